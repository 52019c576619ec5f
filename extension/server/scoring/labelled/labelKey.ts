// How a hand label finds its interaction again. Labels are keyed to the transcripts, never copies of
// them: the fixture file (relative path), a digest of the request's start and which occurrence of
// that request in the file it is. Keys by request text survive changes to how turns are paired or
// how many interactions a file yields; a label whose request changed simply no longer matches.
import { createHash } from 'node:crypto';

/** Characters of the (whitespace-collapsed) request that identify it. */
export const KEY_CHARS = 300;

export interface LabelKey {
  /** Path under ../shared/fixtures/transcripts, with forward slashes. */
  file: string;
  /** sha256 hex of normalisedRequestHead(user_request). */
  request: string;
  /** 0 for the first interaction in the file with this digest, 1 for the second... */
  occurrence: number;
}

/** NFC, whitespace runs collapsed to one space, trimmed, first 300 characters. */
export function normalisedRequestHead(request: string): string {
  return request.normalize('NFC').replace(/\s+/g, ' ').trim().slice(0, KEY_CHARS);
}

export function requestDigest(request: string): string {
  return createHash('sha256').update(normalisedRequestHead(request), 'utf8').digest('hex');
}

export const keyString = (key: LabelKey): string => `${key.file}#${key.request}#${key.occurrence}`;

/** Keys for one file's interactions, in the order given (the file's order). */
export function keysForFile<T extends { user_request: string }>(file: string, interactions: readonly T[]): Array<{ key: LabelKey; item: T }> {
  const seen = new Map<string, number>();
  return interactions.map((item) => {
    const request = requestDigest(item.user_request);
    const occurrence = seen.get(request) ?? 0;
    seen.set(request, occurrence + 1);
    return { key: { file, request, occurrence }, item };
  });
}
