// A Cline or Roo Code task folder (globalStorage/<extension>/tasks/<taskId>/) is read as one
// source: interactions from api_conversation_history.json, outcome signals from ui_messages.json
// (or interactions from the UI messages when the API history is missing). The Cline 4 SDK keeps
// sessions as <id>.messages.json (same message shape) beside an <id>.json manifest.
import { basename, dirname } from 'node:path';
import type { ImportEmitter } from '../importEmitter';
import type { InteractionDraft } from '../interactionDraft';
import { isObject, num, SessionAccumulator, str, titleFrom, toEpochMs, type JsonObject } from '../readerSupport';
import { ClineApiHistoryReader } from './clineApiHistory';
import { applyUiSignals, draftsFromUi } from './clineUiMessages';

/** Roo Code is a fork with the same files; its path or its own message kinds tell it apart. */
export function isRooTask(taskDir: string, api: unknown[] | undefined, ui: unknown[] | undefined): boolean {
  if (/roo-?c(line|ode)/i.test(taskDir)) return true;
  if (/claude-dev|[\\/]\.?cline[\\/]/i.test(taskDir)) return false;
  const rooUi = ui?.some((m) => isObject(m) && (m.say === 'subtask_result' || m.say === 'condense_context' || 'isProtected' in m));
  const rooApi = api?.slice(0, 2).some((m) => isObject(m) && JSON.stringify(m.content ?? '').includes('<slug>'));
  return Boolean(rooUi || rooApi);
}

function emitAll(session: SessionAccumulator, drafts: InteractionDraft[], emitter: ImportEmitter): void {
  for (const draft of drafts) {
    session.seen(draft.startedAt);
    session.seen(draft.endedAt);
    session.title ??= titleFrom(draft.request.join('\n'));
  }
  if (session.startedAt !== undefined) emitter.session(session.record(0));
  for (const draft of drafts) emitter.interaction(draft);
}

export function readClineTask(taskDir: string, api: unknown[] | undefined, ui: unknown[] | undefined, forced: 'cline' | 'roo' | undefined, emitter: ImportEmitter): 'cline' | 'roo' {
  const source: 'cline' | 'roo' = forced ?? (isRooTask(taskDir, api, ui) ? 'roo' : 'cline');
  const taskId = basename(taskDir);
  const session = new SessionAccumulator(source, taskId);
  let drafts: InteractionDraft[];
  if (api) {
    const reader = new ClineApiHistoryReader(source, taskId, session.id);
    reader.read(api);
    for (let n = 0; n < reader.skipped; n++) emitter.skipped();
    drafts = reader.drafts;
    session.model = reader.model;
    session.workspace = reader.workspace;
    if (ui) for (let n = applyUiSignals(ui, drafts); n > 0; n--) emitter.skipped();
  } else {
    drafts = draftsFromUi(ui ?? [], source, taskId, session.id);
  }
  emitAll(session, drafts, emitter);
  return source;
}

/** Cline 4 SDK: `{version, sessionId, messages}` plus, when found, its manifest's title/model/cwd. */
export function readClineSdkSession(path: string, document: JsonObject, manifest: JsonObject | undefined, emitter: ImportEmitter): void {
  const sessionId = str(document.sessionId) ?? str(manifest?.session_id) ?? basename(path).replace(/\.messages\.json$/, '');
  const session = new SessionAccumulator('cline', sessionId);
  const reader = new ClineApiHistoryReader('cline', sessionId, session.id);
  reader.read(Array.isArray(document.messages) ? document.messages : []);
  for (let n = 0; n < reader.skipped; n++) emitter.skipped();
  applyManifest(session, manifest);
  session.model ??= reader.model;
  emitAll(session, reader.drafts, emitter);
}

function applyManifest(session: SessionAccumulator, manifest: JsonObject | undefined): void {
  if (!manifest) return;
  const metadata = isObject(manifest.metadata) ? manifest.metadata : {};
  session.title = str(metadata.title) ?? session.title;
  session.model = str(manifest.model) ?? str(metadata.model);
  session.workspace = str(manifest.workspace_root) ?? str(manifest.cwd);
  session.seen(toEpochMs(manifest.started_at) ?? num(manifest.startedAt));
  session.seen(toEpochMs(manifest.ended_at));
}

/** A manifest imported on its own: the session it describes (its messages file is elsewhere). */
export function readClineSdkManifest(manifest: JsonObject, emitter: ImportEmitter): void {
  const id = str(manifest.session_id);
  if (!id) return;
  const session = new SessionAccumulator('cline', id);
  applyManifest(session, manifest);
  if (session.startedAt !== undefined) emitter.session(session.record(0));
}

/** The manifest that goes with an SDK messages file: `<id>.json` beside `<id>.messages.json`. */
export function sdkManifestPath(messagesPath: string): string {
  return `${dirname(messagesPath)}/${basename(messagesPath).replace(/\.messages\.json$/, '.json')}`;
}
