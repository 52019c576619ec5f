// OpenCode's JSON storage of versions before its SQLite database (newer versions migrate it into
// opencode.db with json-migration.ts): `storage/session/<projectID>/<sessionID>.json` (id, title,
// directory, time), `storage/message/<sessionID>/<messageID>.json` and
// `storage/part/<messageID>/<partID>.json`, each holding its own id. A session is read from its
// session file; its messages and parts are found from the storage folder above it. Ids are OpenCode's
// own, so a session imported from here and again from the database after migration is the same one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ImportEmitter } from '../importEmitter';
import { isObject, num, str, type JsonObject } from '../readerSupport';
import type { StoredSession } from '../sessionTurnCursor';
import { buildOpencodeSession, type Row } from './opencodeTurns';

const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** `<dir>/*.json` as rows, in id order (OpenCode's ids sort by creation time); unreadable files counted. */
function jsonRows(dir: string, emitter: ImportEmitter): Row[] {
  let names: string[];
  try { names = readdirSync(dir).filter((name) => name.endsWith('.json')).sort(); } catch { return []; }
  const rows: Row[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      const info = statSync(path);
      if (info.size > MAX_RECORD_BYTES) throw new Error(`over ${MAX_RECORD_BYTES} bytes`);
      const data: unknown = JSON.parse(readFileSync(path, 'utf8'));
      if (!isObject(data)) throw new Error('not a JSON object');
      const time = isObject(data.time) ? data.time : {};
      rows.push({ id: str(data.id) ?? name.replace(/\.json$/, ''), created: num(time.created) ?? Math.floor(info.mtimeMs), updated: Math.floor(info.mtimeMs), data });
    } catch (error) {
      // Caught half-written, or damaged: counted; the next import reads it again.
      emitter.unreadable(`${path}: ${(error as Error).message}`);
    }
  }
  return rows;
}

export function readOpencodeJsonSession(sessionPath: string, session: JsonObject, emitter: ImportEmitter): StoredSession | undefined {
  const id = str(session.id);
  if (!id) return undefined;
  const storage = dirname(dirname(dirname(sessionPath)));
  const messages = jsonRows(join(storage, 'message', id), emitter).sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  const partsByMessage = new Map<string, Row[]>();
  for (const message of messages) partsByMessage.set(message.id, jsonRows(join(storage, 'part', message.id), emitter));
  const time = isObject(session.time) ? session.time : {};
  return buildOpencodeSession({ id, title: str(session.title), directory: str(session.directory), created: num(time.created), updated: num(time.updated) }, messages, partsByMessage, storage, emitter);
}
