// Cursor's state.vscdb (global or per workspace): key/value tables `cursorDiskKV` and `ItemTable`
// whose values are JSON text (declared BLOB, so they may come back as bytes).
// - Current builds: `composerData:<composerId>` (title, model, times, the bubble order in
//   `fullConversationHeadersOnly`) and one `bubbleId:<composerId>:<bubbleId>` row per message.
//   Older composers keep their messages inline in `conversation[]`.
// - Old builds (0.4x): ItemTable `workbench.panel.aichat.view.aichat.chatdata` (chat tabs with their
//   bubbles) and `composer.composerData` (composers with `conversation[]` inline).
// Only these keys are read. The same database holds `cursorAuth/*` tokens, and composerData carries
// per-conversation encryption keys (`speculativeSummarizationEncryptionKey`, `blobEncryptionKey`):
// nothing here copies a composer's fields beyond its name, model and times.
import type { Database } from 'sql.js';
import type { ImportEmitter } from '../importEmitter';
import { isObject, num, SessionAccumulator, str, titleFrom, toEpochMs, type JsonObject } from '../readerSupport';
import { readEach, tolerantScan, type StoredSession } from '../sqlite/databaseImport';
import { eachRow, tableNames, textOf } from '../sqlite/sqliteSnapshot';
import { stableId } from '../stableId';
import { bubbleRole, conversationTurns, type CursorBubble } from './cursorConversation';

const CHAT_TABS_KEY = 'workbench.panel.aichat.view.aichat.chatdata';
const COMPOSER_LIST_KEY = 'composer.composerData';

function parseValue(value: unknown, what: string, emitter: ImportEmitter): JsonObject | undefined {
  const text = textOf(value);
  if (text === undefined || text === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (isObject(parsed)) return parsed;
  } catch { /* counted below */ }
  emitter.unreadable(`${what}: value is not a JSON object`);
  return undefined;
}

function sessionFor(key: string, composer: JsonObject, turnsFirstAt: number | undefined, fallbackAt: number): SessionAccumulator {
  const session = new SessionAccumulator('cursor', key);
  session.title = str(composer.name) || str(composer.chatTitle) || undefined;
  session.model = isObject(composer.modelConfig) ? str(composer.modelConfig.modelName) : undefined;
  session.seen(toEpochMs(composer.createdAt) ?? turnsFirstAt ?? fallbackAt);
  session.seen(toEpochMs(composer.lastUpdatedAt) ?? toEpochMs(composer.lastSendTime));
  return session;
}

function toStored(key: string, composer: JsonObject, bubbles: CursorBubble[], fallbackAt: number, folder?: string): StoredSession | undefined {
  if (bubbles.length === 0) return undefined;
  const createdAt = toEpochMs(composer.createdAt) ?? toEpochMs(bubbles[0].value.createdAt) ?? fallbackAt;
  const session = sessionFor(key, composer, createdAt, fallbackAt);
  session.workspace = folder;
  const turns = conversationTurns({ key, model: session.model, createdAt, codeBlockData: composer.codeBlockData }, bubbles, session.id);
  if (turns.length === 0) return undefined;
  for (const turn of turns) session.seen(turn.draft.endedAt);
  session.title ??= titleFrom(turns[0].draft.request.join('\n')) || undefined;
  return { key, session: session.record(createdAt), turns };
}

function inlineBubbles(conversation: unknown[], ownerKey: string): CursorBubble[] {
  const bubbles: CursorBubble[] = [];
  conversation.forEach((item, index) => {
    if (!isObject(item)) return;
    const role = bubbleRole(item.type);
    if (!role) return;
    const id = str(item.bubbleId) ?? str(item.id) ?? `${ownerKey}:${index}`;
    bubbles.push({ id, role, value: item, signature: stableId(JSON.stringify(item)) });
  });
  return bubbles;
}

/** Current builds: composers and their bubble rows in cursorDiskKV. */
function composerSessions(db: Database, emitter: ImportEmitter, fallbackAt: number, seen: Set<string>, folders: ReadonlyMap<string, string>): StoredSession[] {
  const composers: JsonObject[] = [];
  tolerantScan('composerData rows', emitter, () => {
    eachRow(db, "SELECT key, value FROM cursorDiskKV WHERE key >= 'composerData:' AND key < 'composerData;' ORDER BY key", [], (row) => {
      const composer = parseValue(row.value, String(row.key), emitter);
      if (composer) composers.push({ ...composer, composerId: str(composer.composerId) ?? String(row.key).slice('composerData:'.length) });
    });
  });
  return readEach(composers, (composer) => `composer ${String(composer.composerId)}`, emitter, (composer) => {
    const id = String(composer.composerId);
    seen.add(id);
    const headers = Array.isArray(composer.fullConversationHeadersOnly) ? composer.fullConversationHeadersOnly.filter(isObject) : [];
    let bubbles: CursorBubble[];
    if (headers.length > 0) {
      const rows = new Map<string, { text: string; value: JsonObject } | undefined>();
      const prefix = `bubbleId:${id}:`;
      // On a damaged page the scan stops; the bubbles read before it still make turns.
      tolerantScan(`bubbles of composer ${id}`, emitter, () => {
        eachRow(db, 'SELECT key, value FROM cursorDiskKV WHERE key >= ? AND key < ?', [prefix, `bubbleId:${id};`], (row) => {
          const text = textOf(row.value);
          const value = parseValue(row.value, String(row.key), emitter);
          rows.set(String(row.key).slice(prefix.length), value && text ? { text, value } : undefined);
        });
      });
      bubbles = [];
      for (const header of headers) {
        const bubbleId = str(header.bubbleId);
        const row = bubbleId ? rows.get(bubbleId) : undefined;
        const role = bubbleRole(row?.value.type ?? header.type);
        // A header whose row is not there (yet) has nothing to read: passed over and counted
        // (a row that is there but unreadable was counted as an error already).
        if (!bubbleId || !row || !role) {
          if (!bubbleId || !rows.has(bubbleId)) emitter.skipped();
          continue;
        }
        bubbles.push({ id: bubbleId, role, value: row.value, signature: stableId(bubbleId, row.text) });
      }
    } else {
      bubbles = inlineBubbles(Array.isArray(composer.conversation) ? composer.conversation : [], id);
    }
    return toStored(id, composer, bubbles, fallbackAt, folders.get(id));
  });
}

function itemValue(db: Database, key: string, emitter: ImportEmitter): JsonObject | undefined {
  let value: JsonObject | undefined;
  eachRow(db, 'SELECT value FROM ItemTable WHERE key = ?', [key], (row) => { value = parseValue(row.value, key, emitter); });
  return value;
}

/** Old builds: chat tabs and inline composers in ItemTable. */
function itemTableSessions(db: Database, emitter: ImportEmitter, fallbackAt: number, seen: Set<string>, folder: string | undefined): StoredSession[] {
  const sessions: StoredSession[] = [];
  const chats = itemValue(db, CHAT_TABS_KEY, emitter);
  for (const tab of Array.isArray(chats?.tabs) ? chats.tabs.filter(isObject) : []) {
    const key = `chat:${str(tab.tabId) ?? stableId(JSON.stringify(tab).slice(0, 200))}`;
    const stored = toStored(key, tab, inlineBubbles(Array.isArray(tab.bubbles) ? tab.bubbles : [], key), num(tab.lastSendTime) ?? fallbackAt, folder);
    if (stored) sessions.push(stored);
  }
  const list = itemValue(db, COMPOSER_LIST_KEY, emitter);
  for (const composer of Array.isArray(list?.allComposers) ? list.allComposers.filter(isObject) : []) {
    const id = str(composer.composerId);
    if (!id || seen.has(id) || !Array.isArray(composer.conversation)) continue;
    const stored = toStored(id, composer, inlineBubbles(composer.conversation, id), fallbackAt, folder);
    if (stored) sessions.push(stored);
  }
  return sessions;
}

/** `folders`: composerId → the folder it was opened in; `ownFolder`: a workspace database's folder (see cursorWorkspaces.ts). */
export function readCursorDatabase(db: Database, emitter: ImportEmitter, fileMtime: number, folders: ReadonlyMap<string, string> = new Map(), ownFolder?: string): StoredSession[] {
  const tables = tableNames(db);
  const seen = new Set<string>();
  const sessions = tables.has('cursorDiskKV') ? composerSessions(db, emitter, fileMtime, seen, folders) : [];
  if (tables.has('ItemTable')) tolerantScan('ItemTable chats', emitter, () => { sessions.push(...itemTableSessions(db, emitter, fileMtime, seen, ownFolder)); });
  for (const stored of sessions) stored.session.workspace ??= ownFolder;
  return sessions;
}
