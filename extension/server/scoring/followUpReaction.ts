// Reads the next request in a session as the user's reaction to the previous answer: a correction,
// a complaint, a repeat of the same request (the answer did not do it), an acceptance ("thanks,
// works"), or simply moving on to something else. "Still failing" or "revert that" right after an
// answer is the most common outcome evidence a transcript holds, and no scan of the answer can see it.
import { ACCEPTANCE, COMPLAINT, CORRECTION, type PhraseTable } from './reactionPhrases';

export type ReactionKind = 'correction' | 'complaint' | 'repeat' | 'acceptance' | 'moved_on';

export interface FollowUpReaction {
  kind: ReactionKind;
  /** What was matched (a phrase, or how similar the repeated request is). */
  phrase: string;
  lang?: string;
}

/** Only the start of the follow-up is read: a reaction comes first, a pasted log after it does not count. */
const READ_CHARS = 280;
/** Share of shared character trigrams above which a follow-up is the same request again. */
export const REPEAT_SIMILARITY = 0.75;

function firstMatch(table: PhraseTable, head: string): { phrase: string; lang: string } | undefined {
  for (const [lang, pattern] of table) {
    const m = pattern.exec(head);
    if (m) return { phrase: m[0].trim() || head.slice(0, 20), lang };
  }
  return undefined;
}

function trigrams(text: string): Set<string> {
  const s = text.toLowerCase().replace(/\s+/g, ' ').trim();
  const out = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) out.add(s.slice(i, i + 3));
  return out;
}

/** Jaccard similarity of character trigrams: works for any script, no tokeniser needed. */
export function requestSimilarity(a: string, b: string): number {
  const x = trigrams(a.slice(0, 600));
  const y = trigrams(b.slice(0, 600));
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return shared / (x.size + y.size - shared);
}

/**
 * The reaction in `nextRequest` to the answer of `request`. Undefined when there is no next request
 * (the last turn of a session says nothing either way) or it is empty.
 */
export function followUpReaction(nextRequest: string | undefined, request?: string): FollowUpReaction | undefined {
  if (!nextRequest || nextRequest.trim() === '') return undefined;
  const head = nextRequest.slice(0, READ_CHARS);
  const correction = firstMatch(CORRECTION, head);
  if (correction) return { kind: 'correction', ...correction };
  const complaint = firstMatch(COMPLAINT, head);
  if (complaint) return { kind: 'complaint', ...complaint };
  if (request !== undefined) {
    const similarity = requestSimilarity(request, nextRequest);
    if (similarity >= REPEAT_SIMILARITY) return { kind: 'repeat', phrase: `same request again (${Math.round(similarity * 100)}% alike)` };
  }
  const acceptance = firstMatch(ACCEPTANCE, head);
  if (acceptance) return { kind: 'acceptance', ...acceptance };
  return { kind: 'moved_on', phrase: 'a different request followed' };
}
