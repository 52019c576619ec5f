// GitHub Copilot Chat sessions (workspaceStorage/<id>/chatSessions/<sessionId>.json, state version
// 3). One request is one interaction. Tool arguments live in result.metadata.toolCallRounds, edits
// in textEditGroup response parts; the user's verdict comes as `vote` and editedFileEvents (1 keep,
// 2 undo, 3 modified by the user).
import { basename } from 'node:path';
import type { ImportEmitter } from '../importEmitter';
import { InteractionDraft } from '../interactionDraft';
import { asJsonObject, isObject, num, SessionAccumulator, str, titleFrom, type JsonObject } from '../readerSupport';
import { stableId } from '../stableId';

const EDIT_EVENT = { keep: 1, undo: 2, userModified: 3 } as const;
const VOTE_UP = 1;

function uriPath(uri: unknown): string | undefined {
  if (typeof uri === 'string') return uri.startsWith('file://') ? decodeURIComponent(uri.slice('file://'.length)) : uri;
  if (!isObject(uri)) return undefined;
  return str(uri.fsPath) ?? str(uri.path) ?? str(uri.external);
}

/** A textEditGroup's edits (`[[{text, range}], …]`), flattened. */
function textEdits(part: JsonObject): Array<{ text: string; startLine?: number; endLine?: number }> {
  const out: Array<{ text: string; startLine?: number; endLine?: number }> = [];
  for (const group of Array.isArray(part.edits) ? part.edits : []) {
    for (const edit of Array.isArray(group) ? group : [group]) {
      if (!isObject(edit) || typeof edit.text !== 'string') continue;
      const range = isObject(edit.range) ? edit.range : {};
      out.push({ text: edit.text, startLine: num(range.startLineNumber), endLine: num(range.endLineNumber) });
    }
  }
  return out;
}

function responseText(parts: unknown[]): string {
  let text = '';
  for (const part of parts) {
    if (!isObject(part)) continue;
    // The edit Copilot made is shown as a code block whose body is the textEditGroup: keep its text,
    // so the answer holds the code it wrote and not an empty fence.
    if (part.kind === 'textEditGroup') {
      text += textEdits(part).map((e) => e.text).join('\n');
      continue;
    }
    if (isObject(part.value) && typeof part.value.value === 'string') text += part.value.value;
    else if (part.kind === 'markdownContent' && isObject(part.content) && typeof part.content.value === 'string') text += part.content.value;
    else if (typeof part.value === 'string' && (part.kind === undefined || part.kind === 'markdownContent')) text += part.value;
    else if (part.kind === 'inlineReference' && isObject(part.inlineReference)) {
      const ref = part.inlineReference;
      const path = uriPath(isObject(ref.location) ? ref.location.uri : ref);
      text += `\`${str(part.name) ?? str(ref.name) ?? (path ? basename(path) : 'reference')}\``;
    }
  }
  return text;
}

interface RoundCall { name: string; id?: string; answered: boolean; filePath?: string }

/** Calls from result.metadata.toolCallRounds; a call with an entry in toolCallResults was answered. */
function callsFromRounds(result: JsonObject | undefined): RoundCall[] {
  const metadata = isObject(result?.metadata) ? result.metadata : {};
  const results = isObject(metadata.toolCallResults) ? metadata.toolCallResults : {};
  const calls: RoundCall[] = [];
  for (const round of Array.isArray(metadata.toolCallRounds) ? metadata.toolCallRounds : []) {
    if (!isObject(round) || !Array.isArray(round.toolCalls)) continue;
    for (const call of round.toolCalls) {
      if (!isObject(call) || typeof call.name !== 'string') continue;
      const id = str(call.id);
      const args = asJsonObject(call.arguments);
      calls.push({ name: call.name, id, answered: id !== undefined && id in results, filePath: str(args.filePath) ?? str(args.path) });
    }
  }
  return calls;
}

export function readCopilotSession(state: JsonObject, path: string, emitter: ImportEmitter): void {
  const nativeId = str(state.sessionId) ?? basename(path).replace(/\.jsonl?$/, '');
  const session = new SessionAccumulator('copilot', nativeId);
  session.title = str(state.customTitle);
  session.seen(num(state.creationDate));
  const requests = Array.isArray(state.requests) ? state.requests : [];
  requests.forEach((request, index) => {
    if (!isObject(request)) { emitter.skipped(); return; }
    const at = num(request.timestamp) ?? session.startedAt ?? 0;
    const key = str(request.requestId) ?? `request:${index}`;
    const draft = new InteractionDraft(stableId('copilot', nativeId, key), session.id, 'copilot', at);
    const message = isObject(request.message) ? request.message : {};
    draft.addRequest(str(message.text) ?? '');
    session.title ??= titleFrom(str(message.text) ?? '');
    draft.model = str(request.modelId);
    if (draft.model) session.model = draft.model;
    const parts = Array.isArray(request.response) ? request.response : [];
    draft.addResponse(responseText(parts));
    const result = isObject(request.result) ? request.result : undefined;
    const timings = isObject(result?.timings) ? result.timings : {};
    draft.touch(at + (num(timings.totalElapsed) ?? 0));
    const roundCalls = callsFromRounds(result);
    const invocations = parts.filter((p): p is JsonObject => isObject(p) && p.kind === 'toolInvocationSerialized');
    for (const call of roundCalls) {
      draft.addToolCall({ name: call.name, callId: call.id });
      if (call.id && call.answered) draft.resolveTool(call.id, { ok: true, at: draft.endedAt });
    }
    if (roundCalls.length === 0) for (const call of invocations) draft.addToolCall({ name: str(call.toolId) ?? 'tool' });
    for (const part of parts) {
      if (!isObject(part) || part.kind !== 'textEditGroup') continue;
      const file = uriPath(part.uri);
      if (!file || draft.files.includes(file)) continue;
      // Lines written, and lines of the range they replaced: the size of the change the answer made.
      const edits = textEdits(part);
      const added = edits.reduce((n, e) => n + (e.text === '' ? 0 : e.text.split('\n').length), 0);
      const removed = edits.reduce((n, e) => n + (e.startLine !== undefined && e.endLine !== undefined ? e.endLine - e.startLine + 1 : 0), 0);
      const tool = roundCalls.find((c) => c.filePath === file)?.name ?? 'copilot';
      draft.applyEdit({ path: file, tool, at: draft.endedAt, key: `edit:${file}`, linesAdded: added, linesRemoved: removed });
    }
    const error = isObject(result?.errorDetails) ? result.errorDetails : undefined;
    if (error) {
      const detail = str(error.message) ?? 'request failed';
      draft.addIssue(`Copilot error: ${detail}`);
      draft.addOutcome('api_error', undefined, detail, draft.endedAt, 'errorDetails');
    }
    if (request.isCanceled === true) {
      draft.addIssue('request cancelled by user');
      draft.addOutcome('user_interrupt', undefined, 'request cancelled by user', draft.endedAt, 'canceled');
    }
    const vote = num(request.vote);
    if (vote !== undefined) draft.addOutcome('vote', vote === VOTE_UP ? 1 : -1, str(request.voteDownReason), draft.endedAt, 'vote');
    const fileEvents = Array.isArray(request.editedFileEvents) ? request.editedFileEvents : [];
    fileEvents.forEach((event, n) => {
      if (!isObject(event)) return;
      const file = uriPath(event.uri) ?? 'file';
      if (event.eventKind === EDIT_EVENT.keep) draft.addOutcome('edit_kept', 1, file, draft.endedAt, `file:${n}`);
      else if (event.eventKind === EDIT_EVENT.undo) draft.addOutcome('edit_undone', -1, file, draft.endedAt, `file:${n}`);
      else if (event.eventKind === EDIT_EVENT.userModified) draft.addOutcome('user_correction', -1, `user modified ${file}`, draft.endedAt, `file:${n}`);
    });
    session.seen(draft.startedAt);
    session.seen(draft.endedAt);
    emitter.interaction(draft);
  });
  session.seen(num(state.lastMessageDate));
  if (session.startedAt !== undefined) emitter.session(session.record(0));
}
