// Seed 003's SFT phase for recall: training examples whose request matches an active lesson answer
// with the lesson first, `<recall>` lesson `</recall>` before the answer, so later versions learn to
// recall by themselves; every other example stays as it is, and is the "no recall needed" case the
// seed asks for (the model learns when not to recall). An answer that breaks the lesson it would
// recall never gets the block: the recall must be followed by an answer that follows it.
import type { LessonRecord } from '../../protocol/records';
import { lessonCompliance } from '../lessons/lessonAdvantage';
import { isActive } from '../lessons/lessonConfidence';
import { recallLessons } from '../lessons/lessonRecall';
import type { RowReader } from '../store/statsQuery';
import type { TrainingExample } from './trainingExample';

/** The same block the gateway puts lessons in (lessonRecall.ts recallMessage), without its preamble. */
export function recallBlock(lessons: ReadonlyArray<Pick<LessonRecord, 'text'>>): string {
  return `<recall>\n${lessons.map((l) => `- ${l.text}`).join('\n')}\n</recall>\n`;
}

export function activeLessonsIn(store: RowReader): LessonRecord[] {
  let rows: Array<{ body: string }>;
  try {
    rows = store.query<{ body: string }>('SELECT body FROM lessons ORDER BY id');
  } catch {
    return []; // a store from before lessons existed (no table): nothing to recall
  }
  return rows.map((r) => JSON.parse(r.body) as LessonRecord).filter(isActive);
}

export interface RecallStats { withRecall: number; withoutRecall: number; brokeLesson: number }

/** Adds the recall block to the examples whose request recalls lessons their answer follows. */
export function withRecall(examples: readonly TrainingExample[], lessons: readonly LessonRecord[]): { examples: TrainingExample[]; stats: RecallStats } {
  const stats: RecallStats = { withRecall: 0, withoutRecall: 0, brokeLesson: 0 };
  const out = examples.map((example) => {
    const last = example.messages.length - 1;
    const answer = example.messages[last];
    const request = [...example.messages].reverse().find((m) => m.role === 'user');
    // An answer the live version wrote with its own recall block keeps it as it is (never two blocks).
    const ownRecall = answer?.content.trimStart().startsWith('<recall>') ?? false;
    const recalled = lessons.length && !ownRecall && answer?.role === 'assistant' && request ? recallLessons(request.content, lessons).map((r) => r.lesson) : [];
    const followed = recalled.filter((l) => lessonCompliance(l)?.(answer.content) ?? true);
    if (recalled.length > followed.length) stats.brokeLesson++;
    if (followed.length === 0) { stats.withoutRecall++; return example; }
    stats.withRecall++;
    const messages = example.messages.map((m, i) => (i === last ? { ...m, content: `${recallBlock(followed)}${m.content}` } : m));
    return { ...example, messages, recalled: followed.map((l) => l.id) };
  });
  return { examples: out, stats };
}
