// Deterministic distillation of a lesson from a correction exchange: the rule comes from the user's
// own correction words when they state one ("use X instead of Y", "never ..."), else from what the
// fix's code has that the attempt's lacked. The assistant's prose is never read (no self-praise).
import type { LessonExample } from '../../protocol/records';
import { codeTokens, tokenDifference } from './codeTokens';
import type { CorrectionExchange } from './correctionExchanges';
import { contentWords } from './lessonWords';
import { statedRule, withoutReaction } from './statedRules';

export interface LessonDraft {
  text: string;
  trigger: string;
  tags: string[];
  evidence: string[];
  /** Set by the lesson book from the exchange (lessonExample.ts), whoever wrote the rule. */
  example?: LessonExample;
}

/** Lessons stay short: a rule, not a transcript. */
export const MAX_LESSON_CHARS = 160;
const MAX_TRIGGER_WORDS = 8;

function fenceLanguages(text: string): string[] {
  return [...text.matchAll(/```([A-Za-z0-9+#-]+)/g)].map((m) => m[1].toLowerCase());
}

function short(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length <= MAX_LESSON_CHARS ? clean : `${clean.slice(0, MAX_LESSON_CHARS - 1).replace(/\s+\S*$/, '')}…`;
}

/** The lesson an exchange teaches, or undefined when neither the user's words nor the code say anything transferable. */
export function distilLesson(exchange: CorrectionExchange): LessonDraft | undefined {
  const diff = tokenDifference(codeTokens(exchange.attempt.response), codeTokens(exchange.fix.response));
  const stated = statedRule(exchange.correction);
  let text: string | undefined = stated;
  if (!text && diff.added.length > 0 && diff.removed.length > 0) text = `Use \`${diff.added[0]}\` instead of \`${diff.removed[0]}\`.`;
  else if (!text && diff.added.length > 0) text = `Use \`${diff.added.slice(0, 2).join('` and `')}\`.`;
  else if (!text && exchange.signal === 'user_correction') {
    // The user's own words as the rule, only when they reacted to the attempt: after a failed outcome
    // the next request may be a new task ("Make the CI workflow cache npm dependencies"), not a rule.
    // A question ("you could have asked me, no?") is a reproach, not a rule: only the statements stay.
    const said = withoutReaction(exchange.correction.split('\n')[0]).split(/(?<=[.!?])\s+/).filter((s) => !s.trim().endsWith('?')).join(' ').trim();
    if (contentWords(said).length >= 3) text = said.replace(/[.!]*$/, '.');
  }
  if (!text) return undefined;
  // The trigger is what the attempt's request was about, plus the wrong thing it reached for.
  const requestWords = contentWords(exchange.attempt.request).slice(0, MAX_TRIGGER_WORDS);
  const trigger = [...new Set([...requestWords, ...diff.removed.slice(0, 2).flatMap((t) => contentWords(t))])].slice(0, MAX_TRIGGER_WORDS + 2);
  const tags = [...new Set([...fenceLanguages(exchange.fix.response), ...diff.added.slice(0, 3), ...diff.removed.slice(0, 2)])].slice(0, 6);
  return { text: short(text), trigger: trigger.join(' '), tags, evidence: [exchange.attempt.id, exchange.fix.id] };
}
