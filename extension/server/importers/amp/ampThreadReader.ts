// Amp threads (`~/.local/share/amp/threads/T-<uuid>.json`, or `amp threads export`): one JSON object
// `{v, id, created, title, env, messages[]}`. Messages carry Anthropic-style blocks: text, thinking,
// tool_use{id, name, input} and, in user messages, tool_result{toolUseID, run{status, result, error}}.
// Each message has `state` (complete, cancelled, error) and `usage.model`.
import { fileURLToPath } from 'node:url';
import type { FileChangeKind } from '../../../protocol/records';
import { unifiedDiffCounts } from '../applyPatchFiles';
import type { CaptureSink } from '../captureSink';
import type { ImportEmitter } from '../importEmitter';
import { InteractionDraft } from '../interactionDraft';
import { addMinedOutcomes } from '../minedToolOutcomes';
import { isObject, num, SessionAccumulator, str, titleFrom, toEpochMs, type JsonObject } from '../readerSupport';
import { emitStoredSession } from '../sessionTurnCursor';
import { stableId } from '../stableId';

const EDIT_TOOLS: Record<string, FileChangeKind> = { edit_file: 'edit', create_file: 'create', apply_patch: 'edit', undo_edit: 'edit' };
const SHELL_TOOLS = new Set(['Bash', 'bash', 'shell_command']);

function workspaceOf(env: unknown): string | undefined {
  const initial = isObject(env) && isObject(env.initial) ? env.initial : {};
  const tree = Array.isArray(initial.trees) ? initial.trees.find(isObject) : undefined;
  const uri = tree ? str(tree.uri) : undefined;
  if (!uri?.startsWith('file://')) return uri;
  try { return fileURLToPath(uri); } catch { return uri; }
}

function resultText(run: JsonObject): string {
  const result = run.result;
  if (typeof result === 'string') return result;
  if (isObject(result)) return str(result.output) ?? str(result.content) ?? str(result.diff) ?? JSON.stringify(result);
  const error = run.error;
  return isObject(error) ? str(error.message) ?? JSON.stringify(error) : str(error) ?? '';
}

export function readAmpThread(thread: JsonObject, path: string, fallbackKey: string, fallbackAt: number, emitter: ImportEmitter, sink: CaptureSink | undefined): void {
  const session = new SessionAccumulator('amp', str(thread.id) ?? fallbackKey);
  session.title = str(thread.title) || undefined;
  session.workspace = workspaceOf(thread.env);
  session.seen(toEpochMs(thread.created));
  const calls = new Map<string, { name: string; command?: string; edit: boolean }>();
  const drafts: InteractionDraft[] = [];
  /** Per turn, the messages behind it: a rewritten thread re-emits only the turns that changed or are new. */
  const signatures = new Map<InteractionDraft, string[]>();
  let draft: InteractionDraft | undefined;
  let lastAt = session.startedAt ?? fallbackAt;
  for (const [index, message] of (Array.isArray(thread.messages) ? thread.messages : []).entries()) {
    if (!isObject(message)) { emitter.unreadable(`message ${index}: not an object`); continue; }
    const meta = isObject(message.meta) ? message.meta : {};
    const usage = isObject(message.usage) ? message.usage : {};
    const at = toEpochMs(meta.sentAt) ?? toEpochMs(usage.timestamp) ?? lastAt;
    lastAt = at;
    const blocks = Array.isArray(message.content) ? message.content.filter(isObject) : [];
    const nativeId = `message:${num(message.messageId) ?? index}`;
    const signature = JSON.stringify(message);
    if (message.role === 'user') {
      for (const block of blocks) {
        if (block.type !== 'tool_result' || !draft) continue;
        const callId = str(block.toolUseID) ?? str(block.tool_use_id);
        const run = isObject(block.run) ? block.run : {};
        const status = str(run.status) ?? 'done';
        const call = callId ? calls.get(callId) : undefined;
        if (!callId || !call) continue;
        // A call still running or waiting for the user has no outcome yet.
        if (/progress|queued|blocked|pending/.test(status)) continue;
        const text = resultText(run);
        const ok = status === 'done';
        const diff = isObject(run.result) ? str(run.result.diff) : undefined;
        draft.resolveTool(callId, { ok, detail: ok ? undefined : `${status}: ${text}`, at, ...(diff ? unifiedDiffCounts(diff) : {}) });
        if (/reject|cancel/.test(status)) draft.addOutcome('user_interrupt', undefined, `${call.name} ${status}`, at, `stop:${callId}`);
        if (SHELL_TOOLS.has(call.name) || call.edit) addMinedOutcomes(draft, { command: call.command, output: text, isError: !ok, exitCode: isObject(run.result) ? num(run.result.exitCode) : undefined }, at, callId);
      }
      const text = blocks.filter((b) => b.type === 'text').map((b) => str(b.text) ?? '').join('\n').trim();
      if (text === '') {
        if (draft) signatures.get(draft)?.push(signature);
        continue;
      }
      if (!draft || draft.hasAssistantActivity) {
        draft = new InteractionDraft(stableId('amp', session.nativeKey, nativeId), session.id, 'amp', at);
        drafts.push(draft);
        signatures.set(draft, []);
      }
      signatures.get(draft)?.push(signature);
      draft.addRequest(text);
      session.title ??= titleFrom(text);
      continue;
    }
    if (message.role !== 'assistant') { emitter.skipped(); continue; }
    if (!draft) {
      draft = new InteractionDraft(stableId('amp', session.nativeKey, nativeId), session.id, 'amp', at);
      drafts.push(draft);
      signatures.set(draft, []);
    }
    signatures.get(draft)?.push(signature);
    draft.touch(at);
    const model = str(usage.model);
    if (model) { draft.model = model; session.model = model; }
    draft.hasAssistantActivity = true;
    for (const block of blocks) {
      if (block.type === 'text') draft.addResponse(str(block.text) ?? '');
      else if (block.type === 'tool_use') {
        const name = str(block.name) ?? 'tool';
        const callId = str(block.id);
        const input = isObject(block.input) ? block.input : {};
        const editKind = EDIT_TOOLS[name];
        const editPath = editKind ? str(input.path) ?? str(input.file_path) : undefined;
        draft.addToolCall({ callId, name, editPath, editKind });
        if (callId) calls.set(callId, { name, command: str(input.cmd) ?? str(input.command), edit: editKind !== undefined });
      }
    }
    const state = isObject(message.state) ? message.state : {};
    if (state.type === 'cancelled') draft.addOutcome('user_interrupt', undefined, 'cancelled', at, `cancel:${nativeId}`);
    if (state.type === 'error') {
      const detail = isObject(state.error) ? str(state.error.message) ?? 'error' : 'error';
      draft.addIssue(`error: ${detail}`);
      draft.addOutcome('api_error', undefined, detail, at, `error:${nativeId}`);
    }
  }
  for (const turn of drafts) session.seen(turn.endedAt);
  if (drafts.length === 0) return;
  signatures.get(drafts[drafts.length - 1])?.push(JSON.stringify([thread.title, thread.env]));
  const turns = drafts.map((turn) => ({ draft: turn, signature: stableId(...(signatures.get(turn) ?? [])) }));
  emitStoredSession({ key: session.nativeKey, session: session.record(fallbackAt), turns }, path, 'amp', emitter, sink);
}
