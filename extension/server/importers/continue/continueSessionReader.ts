// Continue chat sessions (~/.continue/sessions/<sessionId>.json) and their index (sessions.json).
// History items carry no timestamps: interactions get the session's creation time (from the index
// beside the file when there is one, else the file's mtime) plus their position, which keeps order.
import { basename } from 'node:path';
import type { ImportEmitter } from '../importEmitter';
import { InteractionDraft } from '../interactionDraft';
import { asJsonObject, contentText, isObject, SessionAccumulator, str, titleFrom, toEpochMs, type JsonObject } from '../readerSupport';
import { stableId } from '../stableId';
import { withoutThinking } from './continuePrompt';

/** Continue's built-in tools that write files, and the argument naming the file. */
const EDIT_TOOLS: Record<string, 'edit' | 'create'> = {
  edit_existing_file: 'edit', create_new_file: 'create', single_find_and_replace: 'edit', multi_edit: 'edit', search_and_replace_in_file: 'edit',
};

function toolArgs(call: JsonObject): JsonObject {
  const fn = isObject(call.function) ? call.function : {};
  return asJsonObject(fn.arguments);
}

function applyToolStates(draft: InteractionDraft, states: unknown[], at: number): void {
  for (const state of states) {
    if (!isObject(state) || !isObject(state.toolCall)) continue;
    const call = state.toolCall;
    const callId = str(call.id) ?? str(state.toolCallId);
    const name = str(isObject(call.function) ? call.function.name : undefined) ?? 'tool';
    const args = toolArgs(call);
    const editKind = EDIT_TOOLS[name];
    const path = str(args.filepath) ?? str(args.filePath) ?? str(args.path);
    const id = callId ?? `${name}:${draft.toolCalls}`;
    if (!draft.firstTime(`tool:${id}`)) continue;
    draft.addToolCall({ callId: id, name, editPath: editKind ? path : undefined, editKind });
    const status = str(state.status);
    if (status === 'done') draft.resolveTool(id, { ok: true, at });
    else if (status === 'errored') draft.resolveTool(id, { ok: false, detail: contentText(state.output) || 'errored', at });
    else if (status === 'canceled' || status === 'cancelled') draft.addIssue(`${name} canceled`);
  }
}

export function readContinueSession(session: JsonObject, path: string, fallbackStart: number, indexEntry: JsonObject | undefined, emitter: ImportEmitter): void {
  const nativeId = str(session.sessionId) ?? basename(path, '.json');
  const accumulator = new SessionAccumulator('continue', nativeId);
  accumulator.title = str(session.title) ?? str(indexEntry?.title);
  accumulator.workspace = str(session.workspaceDirectory) ?? str(indexEntry?.workspaceDirectory);
  accumulator.model = str(session.chatModelTitle);
  const base = toEpochMs(indexEntry?.dateCreated) ?? fallbackStart;
  accumulator.seen(base);
  let draft: InteractionDraft | undefined;
  const history = Array.isArray(session.history) ? session.history : [];
  const emit = (): void => {
    if (!draft) return;
    emitter.session(accumulator.record(base));
    emitter.interaction(draft);
    draft = undefined;
  };
  history.forEach((item, index) => {
    if (!isObject(item) || !isObject(item.message)) { emitter.skipped(); return; }
    const message = item.message;
    const at = base + index;
    const text = contentText(message.content);
    if (message.role === 'user') {
      if (draft && !draft.hasAssistantActivity) { draft.addRequest(text); return; }
      emit();
      draft = new InteractionDraft(stableId('continue', nativeId, `history:${index}`), accumulator.id, 'continue', at);
      draft.addRequest(text);
      accumulator.title ??= titleFrom(text);
      accumulator.seen(at);
      return;
    }
    if (!draft) return;
    draft.touch(at);
    if (message.role === 'assistant') {
      // Reasoning models served through Ollama put `<think>…</think>` in the content: not the answer.
      draft.addResponse(withoutThinking(text).answer);
      draft.hasAssistantActivity = true;
      const logs = Array.isArray(item.promptLogs) ? item.promptLogs : [];
      const model = logs.map((log) => (isObject(log) ? str(log.modelTitle) : undefined)).find(Boolean);
      if (model) draft.model = model;
      applyToolStates(draft, Array.isArray(item.toolCallStates) ? item.toolCallStates : [], at);
      const calls = Array.isArray(message.toolCalls) ? message.toolCalls : [];
      if (!Array.isArray(item.toolCallStates)) {
        applyToolStates(draft, calls.filter(isObject).map((call) => ({ toolCall: call })), at);
      }
    } else if (message.role === 'thinking') {
      draft.hasAssistantActivity = true;
    } else if (message.role !== 'tool' && message.role !== 'system') {
      emitter.skipped();
    }
  });
  emit();
  if (accumulator.startedAt !== undefined && history.length === 0) emitter.session(accumulator.record(base));
}

/** sessions.json: titles and creation dates; sessions only, their interactions are in the files. */
export function readContinueIndex(entries: unknown[], emitter: ImportEmitter): void {
  for (const entry of entries) {
    if (!isObject(entry) || typeof entry.sessionId !== 'string') { emitter.skipped(); continue; }
    const session = new SessionAccumulator('continue', entry.sessionId);
    session.title = str(entry.title);
    session.workspace = str(entry.workspaceDirectory);
    const created = toEpochMs(entry.dateCreated);
    if (created === undefined) continue;
    session.seen(created);
    emitter.session(session.record(created));
  }
}
