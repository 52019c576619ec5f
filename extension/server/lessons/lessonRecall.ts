// Recall: the few active lessons relevant to a request, by word similarity to the lesson's trigger
// (what kind of request it is about) and to its rule and tags. A lesson needs two shared words and a
// score over the threshold, so an unrelated request recalls nothing. Used by the gateway (trainer-
// server) on every chat request, so it is plain string work with no I/O.
import type { LessonExample } from '../../protocol/records';
import { contentWords, wordOverlap } from './lessonWords';

/** What recall needs of a lesson (the lessons file the trainer-server reads holds exactly this). */
export interface RecallableLesson { id: string; text: string; trigger: string; tags: string[]; example?: LessonExample }

export interface RecallOptions { limit?: number; minScore?: number }

export const RECALL_DEFAULTS = { limit: 3, minScore: 0.25 } as const;
const TRIGGER_WEIGHT = 0.7;
const MIN_SHARED_WORDS = 2;

export interface Recalled<L extends RecallableLesson> { lesson: L; score: number }

export function recallLessons<L extends RecallableLesson>(request: string, lessons: readonly L[], options: RecallOptions = {}): Array<Recalled<L>> {
  const words = new Set(contentWords(request));
  if (words.size === 0) return [];
  const scored: Array<Recalled<L>> = [];
  for (const lesson of lessons) {
    const trigger = new Set(lesson.trigger.split(/\s+/).filter(Boolean));
    const rule = new Set(contentWords(`${lesson.text} ${lesson.tags.join(' ')}`));
    let shared = 0;
    for (const word of words) if (trigger.has(word) || rule.has(word)) shared++;
    if (shared < MIN_SHARED_WORDS) continue;
    const score = TRIGGER_WEIGHT * wordOverlap(words, trigger) + (1 - TRIGGER_WEIGHT) * wordOverlap(words, rule);
    if (score >= (options.minScore ?? RECALL_DEFAULTS.minScore)) scored.push({ lesson, score });
  }
  return scored.sort((a, b) => b.score - a.score).slice(0, options.limit ?? RECALL_DEFAULTS.limit);
}

/** The system message that carries recalled lessons, in seed 003's `<recall>` marking. */
export function recallMessage(lessons: ReadonlyArray<Pick<RecallableLesson, 'text'>>): string {
  return `Lessons learned from the user's earlier corrections in this project; follow them:\n<recall>\n${lessons.map((l) => `- ${l.text}`).join('\n')}\n</recall>`;
}

type Message = { role: 'system' | 'user' | 'assistant' | 'tool'; content: string };

/**
 * The conversation the model sees with recalled lessons: the `<recall>` block joins the first system
 * message (or opens the conversation), and each lesson's worked example follows the system messages
 * as an earlier exchange (the corrected request, then the accepted fix), before the user's own turns.
 * The gateway and the advantage measurement both use this, so what is measured is what is served.
 */
export function messagesWithRecall<M extends Message>(messages: readonly M[], lessons: ReadonlyArray<Pick<RecallableLesson, 'text' | 'example'>>): Message[] {
  if (lessons.length === 0) return [...messages];
  const block = recallMessage(lessons);
  const firstSystem = messages.findIndex((m) => m.role === 'system');
  const withBlock: Message[] = firstSystem < 0
    ? [{ role: 'system', content: block }, ...messages]
    : messages.map((m, i) => (i === firstSystem ? { ...m, content: `${m.content}\n\n${block}` } : m));
  const examples: Message[] = lessons.flatMap((l) => (l.example ? [{ role: 'user' as const, content: l.example.request }, { role: 'assistant' as const, content: l.example.answer }] : []));
  let afterSystem = 0;
  while (afterSystem < withBlock.length && withBlock[afterSystem].role === 'system') afterSystem++;
  return [...withBlock.slice(0, afterSystem), ...examples, ...withBlock.slice(afterSystem)];
}
