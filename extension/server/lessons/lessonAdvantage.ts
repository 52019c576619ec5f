// Seed 003's introspection advantage for one lesson: answers to held-out requests of the same kind,
// generated with and without the lesson in context, scored by the same compliance check; the
// advantage is the difference of the two compliance rates. A lesson stays active only when the
// advantage is positive beyond noise (over twice its standard error).
import type { LessonRecord } from '../../protocol/records';
import { messagesWithRecall, type RecallableLesson } from './lessonRecall';

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };
/** One answer from the model with exactly these messages (and no recall of its own). */
export type Generate = (messages: ChatMessage[]) => Promise<string>;

export interface AdvantageResult {
  advantage: number;
  /** Answers scored per condition. */
  samples: number;
  withRate: number;
  withoutRate: number;
  standardError: number;
  beyondNoise: boolean;
}

/** How many standard errors above zero count as a real advantage (one-sided, about 97.7%). */
const Z = 2;

const codeNames = (text: string): string[] => [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/**
 * A check derived from the lesson itself: what it says to use appears in the answer, and what it
 * says not to use does not. Lessons that name nothing checkable get no check (undefined).
 */
export function lessonCompliance(lesson: Pick<LessonRecord, 'text'>): ((answer: string) => boolean) | undefined {
  const text = lesson.text;
  const split = text.split(/\b(?:not|instead of|never|rather than)\b/i);
  const wanted = /^\s*never\b/i.test(text) ? [] : namesIn(split[0]);
  const unwanted = split.length > 1 ? namesIn(split.slice(1).join(' ')) : [];
  if (wanted.length === 0 && unwanted.length === 0) return undefined;
  return (answer) => {
    const code = answerCode(answer);
    return wanted.every((n) => code.includes(n)) && unwanted.every((n) => !new RegExp(`\\b${escape(n)}\\b`).test(code));
  };
}

/**
 * What an answer does, as opposed to what it says: its code blocks (a block cut off by the token limit
 * counts to the end), or the whole answer when it has none. "Use `parse_iso` instead of `strptime`"
 * in prose above code that calls parse_iso follows the lesson; code that calls strptime does not.
 */
export function answerCode(answer: string): string {
  const parts = answer.split('```');
  if (parts.length < 2) return answer;
  // Odd parts are inside fences; each starts with the fence's language line.
  return parts.filter((_, i) => i % 2 === 1).map((block) => block.replace(/^[^\n]*\n?/, '')).join('\n');
}

function namesIn(fragment: string): string[] {
  const quoted = codeNames(fragment);
  if (quoted.length > 0) return quoted;
  // An unquoted name that is the whole object of the verb ("not strptime.", "use httpx in ...").
  return [...fragment.matchAll(/\b(?:use|not|instead of|never use)\s+([A-Za-z_][\w.]*)(?=\s*(?:[,.;]|$|\s+(?:in|for|here|anywhere)\b))/gi)]
    .map((m) => m[1]).filter((w) => w.length >= 3 && !STOPWORDS.has(w.toLowerCase())).slice(0, 1);
}

const STOPWORDS = new Set(['this', 'that', 'with', 'project', 'here', 'always', 'never', 'the', 'use', 'code', 'job', 'them', 'one']);
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Generates `rollouts` answers per held-out request in each condition and compares compliance. */
export async function measureAdvantage(
  lesson: Pick<RecallableLesson, 'text' | 'example'>, heldOut: readonly string[], generate: Generate, complies: (answer: string) => boolean, rollouts = 2,
): Promise<AdvantageResult> {
  let withOk = 0;
  let withoutOk = 0;
  let n = 0;
  for (const request of heldOut) {
    for (let r = 0; r < rollouts; r++) {
      const user: ChatMessage = { role: 'user', content: request };
      if (complies(await generate(messagesWithRecall([user], [lesson]) as ChatMessage[]))) withOk++;
      if (complies(await generate([user]))) withoutOk++;
      n++;
    }
  }
  return advantageOf(withOk, withoutOk, n);
}

export function advantageOf(withOk: number, withoutOk: number, n: number): AdvantageResult {
  if (n === 0) return { advantage: 0, samples: 0, withRate: 0, withoutRate: 0, standardError: 0, beyondNoise: false };
  const p1 = withOk / n;
  const p0 = withoutOk / n;
  // Smoothed rates for the error, so 0/n or n/n does not claim certainty from a handful of samples.
  const s1 = (withOk + 1) / (n + 2);
  const s0 = (withoutOk + 1) / (n + 2);
  const standardError = Math.sqrt((s1 * (1 - s1) + s0 * (1 - s0)) / n);
  const advantage = p1 - p0;
  return { advantage, samples: n, withRate: p1, withoutRate: p0, standardError, beyondNoise: advantage > Z * standardError };
}
