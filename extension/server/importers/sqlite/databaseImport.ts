// Imports the sessions kept in an assistant's SQLite database. The tool updates such a database in
// place, so a changed file is opened again (from a snapshot, see sqliteSnapshot.ts) and each session
// is compared with what the last import saw, by the ids and update times (or content hashes) of the
// rows behind each of its turns (sessionTurnCursor.ts): an unchanged session is passed over, a grown
// one emits only its new turns plus the last one it had (which may have been still in progress).
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Database } from 'sql.js';
import type { CaptureSink } from '../captureSink';
import { decideStart, fingerprint } from '../fileCursor';
import type { ImportEmitter } from '../importEmitter';
import type { ImportFormat } from '../importReport';
import { emitStoredSession, type StoredSession } from '../sessionTurnCursor';
import { openDatabaseSnapshot } from './sqliteSnapshot';

export type { StoredSession, StoredTurn } from '../sessionTurnCursor';

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
      emitStoredSession(stored, path, job.format, emitter, sink);
      await emitter.flushIfFull();
    }
  } finally {
    snapshot.db.close();
  }
  emitter.raw({ type: 'importCursor', cursor: { path, format: job.format, size: now.size, mtimeMs: now.mtimeMs, offset: 0, headHash: now.headHash } });
  emitter.raw({ type: 'importCursor', cursor: { path: walPath, format: job.format, size: walNow?.size ?? 0, mtimeMs: walNow ? Math.floor(walNow.mtimeMs) : 0, offset: 0, headHash: '0:' } });
  await emitter.flush();
}
