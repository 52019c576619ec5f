// Imports the sessions kept in an assistant's SQLite database. The tool updates such a database in
// place, so a changed file is opened again (from a snapshot, see sqliteSnapshot.ts) and each session
// is compared with what the last import saw, by the ids and update times (or content hashes) of the
// rows behind each of its turns: an unchanged session is passed over, a grown one emits only its new
// turns plus the last one it had (which may have been still in progress), a rewritten one is read
// whole. What was seen is kept as one cursor per session, under "<database path>#<session key>".
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Database } from 'sql.js';
import type { SessionRecord } from '../../../protocol/records';
import type { CaptureSink } from '../captureSink';
import { decideStart, fingerprint } from '../fileCursor';
import type { ImportEmitter } from '../importEmitter';
import type { ImportFormat } from '../importReport';
import type { InteractionDraft } from '../interactionDraft';
import { stableId } from '../stableId';
import { openDatabaseSnapshot } from './sqliteSnapshot';

export interface StoredTurn {
  /** Changes whenever a row behind this turn is added, removed or updated. */
  signature: string;
  draft: InteractionDraft;
}

export interface StoredSession {
  /** Unique within the database (the tool's session or composer id). */
  key: string;
  session: SessionRecord;
  turns: StoredTurn[];
}

export interface DatabaseImport {
  path: string;
  format: ImportFormat;
  emitter: ImportEmitter;
  sink: CaptureSink | undefined;
  /** Reads the sessions; rows it cannot parse it counts with emitter.unreadable and passes over. */
  read: (db: Database) => StoredSession[] | Promise<StoredSession[]>;
}

/**
 * Runs `read` for each item, so that rows on a damaged page cost only their own session: a query
 * that fails is counted as an error and the next item is read.
 */
export function readEach<T, R>(items: T[], what: (item: T) => string, emitter: ImportEmitter, read: (item: T) => R | undefined): R[] {
  const out: R[] = [];
  for (const item of items) {
    try {
      const result = read(item);
      if (result !== undefined) out.push(result);
    } catch (error) {
      emitter.unreadable(`${what(item)}: ${(error as Error).message}`);
    }
  }
  return out;
}

/** Runs a scan; rows before a damaged page are kept and the failure is counted. */
export function tolerantScan(what: string, emitter: ImportEmitter, scan: () => void): void {
  try {
    scan();
  } catch (error) {
    emitter.unreadable(`${what}: ${(error as Error).message}`);
  }
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

export async function importDatabase(job: DatabaseImport): Promise<void> {
  const { emitter, sink, path } = job;
  const walPath = `${path}-wal`;
  const now = await fingerprint(path);
  const walNow = existsSync(walPath) ? await stat(walPath) : undefined;
  const decision = await decideStart(path, sink?.importCursor(path), now, false);
  const walBefore = sink?.importCursor(walPath);
  const walSame = walNow === undefined ? walBefore === undefined || walBefore.size === 0
    : walBefore !== undefined && walBefore.size === walNow.size && walBefore.mtimeMs === Math.floor(walNow.mtimeMs);
  if (decision.mode === 'unchanged' && walSame) {
    emitter.report.status = 'unchanged';
    return;
  }
  let snapshot;
  try {
    snapshot = await openDatabaseSnapshot(path, now.size);
  } catch (error) {
    // A database caught half-written gets no cursor: the next import tries it again.
    emitter.report.status = 'failed';
    emitter.report.error = (error as Error).message;
    emitter.unreadable(`${path}: ${emitter.report.error}`);
    return;
  }
  if (snapshot.damage) emitter.unreadable(`${path}: database is damaged (${snapshot.damage}); the rows on sound pages are read`);
  try {
    let sessions: StoredSession[];
    try {
      sessions = await job.read(snapshot.db);
    } catch (error) {
      emitter.unreadable(`${path}: ${(error as Error).message}`);
      sessions = [];
    }
    for (const stored of sessions) {
      const cursorPath = sessionCursorPath(path, stored.key);
      const previous = sink?.importCursor(cursorPath);
      const whole = prefixHash(stored.turns, stored.turns.length);
      const [settledBefore, wholeBefore] = previous ? previous.headHash.split('|') : [];
      if (wholeBefore === whole) continue;
      const start = firstNewTurn(stored.turns, settledBefore);
      emitter.session(stored.session);
      for (const turn of stored.turns.slice(start)) emitter.interaction(turn.draft);
      // Settled: every turn but the last, which may still be in progress and is read again next time.
      const settled = prefixHash(stored.turns, Math.max(0, stored.turns.length - 1));
      emitter.raw({
        type: 'importCursor',
        cursor: { path: cursorPath, format: job.format, size: stored.turns.length, mtimeMs: stored.session.endedAt ?? stored.session.startedAt, offset: stored.turns.length, headHash: `${settled}|${whole}` },
      });
      await emitter.flushIfFull();
    }
  } finally {
    snapshot.db.close();
  }
  emitter.raw({ type: 'importCursor', cursor: { path, format: job.format, size: now.size, mtimeMs: now.mtimeMs, offset: 0, headHash: now.headHash } });
  emitter.raw({ type: 'importCursor', cursor: { path: walPath, format: job.format, size: walNow?.size ?? 0, mtimeMs: walNow ? Math.floor(walNow.mtimeMs) : 0, offset: 0, headHash: '0:' } });
  await emitter.flush();
}
