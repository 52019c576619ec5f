// OpenCode's opencode.db (`~/.local/share/opencode/`): `session` rows, their `message` rows (JSON
// `data`: role, model, error, times) and each message's `part` rows (JSON `data`). Only these three
// tables are read; the same database holds account tokens and share secrets, never queried. The
// turns themselves are built in opencodeTurns.ts.
import { dirname, join } from 'node:path';
import type { Database } from 'sql.js';
import type { ImportEmitter } from '../importEmitter';
import { isObject, num, str } from '../readerSupport';
import { readEach, tolerantScan, type StoredSession } from '../sqlite/databaseImport';
import { eachRow, tableNames, textOf } from '../sqlite/sqliteSnapshot';
import { buildOpencodeSession, type Row } from './opencodeTurns';

function rowsOf(db: Database, sql: string, params: string[], emitter: ImportEmitter): Row[] {
  const rows: Row[] = [];
  eachRow(db, sql, params, (row) => {
    let data: unknown;
    try { data = JSON.parse(textOf(row.data) ?? ''); } catch { /* counted below */ }
    if (!isObject(data)) {
      emitter.unreadable(`${String(row.id)}: data is not a JSON object`);
      return;
    }
    rows.push({ id: String(row.id), created: Number(row.time_created) || 0, updated: Number(row.time_updated) || 0, data });
  });
  return rows;
}

function readSession(db: Database, dbPath: string, row: Record<string, unknown>, emitter: ImportEmitter): StoredSession | undefined {
  const id = String(row.id);
  const messages = rowsOf(db, 'SELECT id, time_created, time_updated, data FROM message WHERE session_id = ? ORDER BY time_created, id', [id], emitter);
  // Parts are read message by message, so a damaged page costs only the parts stored on it.
  const partsByMessage = new Map<string, Row[]>();
  for (const message of messages) {
    tolerantScan(`parts of ${message.id}`, emitter, () => {
      partsByMessage.set(message.id, rowsOf(db, 'SELECT id, time_created, time_updated, data FROM part WHERE message_id = ? ORDER BY id', [message.id], emitter));
    });
  }
  const info = { id, title: str(row.title), directory: str(row.directory), created: num(row.time_created), updated: num(row.time_updated) };
  return buildOpencodeSession(info, messages, partsByMessage, join(dirname(dbPath), 'storage'), emitter);
}

export function readOpencodeDatabase(db: Database, dbPath: string, emitter: ImportEmitter): StoredSession[] {
  const tables = tableNames(db);
  if (!tables.has('session') || !tables.has('message') || !tables.has('part')) {
    emitter.unreadable(`${dbPath}: no session, message and part tables`);
    return [];
  }
  const rows: Array<Record<string, unknown>> = [];
  tolerantScan('session table', emitter, () => {
    eachRow(db, 'SELECT id, title, directory, time_created, time_updated FROM session ORDER BY time_created, id', [], (row) => rows.push(row));
  });
  return readEach(rows, (row) => `session ${String(row.id)}`, emitter, (row) => readSession(db, dbPath, row, emitter));
}
