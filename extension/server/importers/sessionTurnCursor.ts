// Emits a session whose whole record is re-read on every change (a database row set, a JSON file
// rewritten in place, a JSONL file whose later lines update earlier ones), adding only what is new.
// Each turn carries a signature of the records behind it; the cursor kept per session, under
// "<file>#<session key>", holds the hash of the turns that were settled (all but the last, which may
// have been in progress) and of all of them. Unchanged session: nothing is emitted. Grown session:
// the last turn seen before (read again) and the new ones. Anything else: the whole session again,
// with the same ids, so the store updates rather than duplicates.
import type { SessionRecord } from '../../protocol/records';
import type { CaptureSink } from './captureSink';
import type { ImportEmitter } from './importEmitter';
import type { InteractionDraft } from './interactionDraft';
import { stableId } from './stableId';

export interface StoredTurn {
  /** Changes whenever a record behind this turn is added, removed or updated. */
  signature: string;
  draft: InteractionDraft;
}

export interface StoredSession {
  /** Unique within its file (the tool's session, composer or thread id). */
  key: string;
  session: SessionRecord;
  turns: StoredTurn[];
}

export function sessionCursorPath(path: string, key: string): string {
  return `${path}#${key}`;
}

/** Hash of the turns' signatures before `count`: what a later import compares against. */
function prefixHash(turns: StoredTurn[], count: number): string {
  return `${count}:${stableId(...turns.slice(0, count).map((turn) => turn.signature))}`;
}

/** Index of the first turn to emit, given the settled prefix the last import of this session recorded. */
function firstNewTurn(turns: StoredTurn[], settledHash: string | undefined): number {
  if (settledHash === undefined) return 0;
  const settled = Number(settledHash.split(':', 1)[0]);
  if (!Number.isInteger(settled) || settled > turns.length) return 0;
  return prefixHash(turns, settled) === settledHash ? settled : 0;
}

/** Emits what is new in `stored` since the last import of `path`, and the session's cursor. */
export function emitStoredSession(stored: StoredSession, path: string, format: string, emitter: ImportEmitter, sink: CaptureSink | undefined): void {
  const cursorPath = sessionCursorPath(path, stored.key);
  const previous = sink?.importCursor(cursorPath);
  const whole = prefixHash(stored.turns, stored.turns.length);
  const [settledBefore, wholeBefore] = previous ? previous.headHash.split('|') : [];
  if (wholeBefore === whole) return;
  const start = firstNewTurn(stored.turns, settledBefore);
  emitter.session(stored.session);
  for (const turn of stored.turns.slice(start)) emitter.interaction(turn.draft);
  const settled = prefixHash(stored.turns, Math.max(0, stored.turns.length - 1));
  emitter.raw({
    type: 'importCursor',
    cursor: { path: cursorPath, format, size: stored.turns.length, mtimeMs: stored.session.endedAt ?? stored.session.startedAt, offset: stored.turns.length, headHash: `${settled}|${whole}` },
  });
}
