// One Gemini CLI chat, from either of its forms (`<home>/.gemini/tmp/<project>/chats/`):
// - legacy `session-*.json`: `{sessionId, projectHash, startTime, lastUpdated, messages[], summary?}`,
//   rewritten whole on every update;
// - current `session-*.jsonl`: the same metadata on line 1, then message records. A message is
//   appended again each time it changes (the last copy wins, in the place it first had),
//   `{"$set": {...}}` merges into the metadata and `{"$rewindTo": id}` drops that message and all
//   after it. So the file is replayed whole and the turns are built at the end.
// Messages: `user`, `gemini` (text, thoughts, toolCalls with their results), `info`, `error`, `warning`.
import type { FileChangeKind } from '../../../protocol/records';
import { unifiedDiffCounts } from '../applyPatchFiles';
import { InteractionDraft } from '../interactionDraft';
import { addMinedOutcomes } from '../minedToolOutcomes';
import { contentText, isObject, num, SessionAccumulator, str, titleFrom, toEpochMs, type JsonObject } from '../readerSupport';
import type { StoredSession } from '../sessionTurnCursor';
import { stableId } from '../stableId';

const EDIT_TOOLS: Record<string, FileChangeKind> = { replace: 'edit', write_file: 'edit', edit: 'edit', smart_edit: 'edit' };
const SHELL_TOOLS = new Set(['run_shell_command', 'shell']);
/** What the CLI itself sends as a user message when the model stopped mid-task: not a request. */
const INJECTED_USER_TEXT = new Set(['System: Please continue.']);
const REFERENCED_FILES_MARKER = '\n--- Content from referenced files ---';

export class GeminiSession {
  private meta: JsonObject = {};
  private readonly messages = new Map<string, JsonObject>();

  /** Line 1 of a JSONL file or the legacy document (whose messages come with it). */
  metadata(record: JsonObject): void {
    const { messages, ...rest } = record;
    this.meta = { ...this.meta, ...rest };
    if (Array.isArray(messages)) for (const message of messages) if (isObject(message)) this.message(message);
  }

  set(fields: JsonObject): void {
    this.meta = { ...this.meta, ...fields };
  }

  rewindTo(id: string): void {
    let dropping = false;
    for (const key of [...this.messages.keys()]) {
      if (key === id) dropping = true;
      if (dropping) this.messages.delete(key);
    }
  }

  message(record: JsonObject): void {
    const id = str(record.id);
    if (id !== undefined) this.messages.set(id, record);
  }

  /** Feeds one JSONL record; false when it is of no kind this format has. */
  record(record: JsonObject): boolean {
    if (isObject(record.$set)) this.set(record.$set);
    else if (typeof record.$rewindTo === 'string') this.rewindTo(record.$rewindTo);
    else if (typeof record.id === 'string' && typeof record.type === 'string') this.message(record);
    else if (typeof record.sessionId === 'string' || typeof record.projectHash === 'string') this.metadata(record);
    else return false;
    return true;
  }

  /** The session and its turns, each signed by the message records behind it. */
  build(fallbackKey: string, fallbackAt: number): StoredSession | undefined {
    const session = new SessionAccumulator('gemini-cli', str(this.meta.sessionId) ?? fallbackKey);
    session.seen(toEpochMs(this.meta.startTime));
    session.seen(toEpochMs(this.meta.lastUpdated));
    session.title = str(this.meta.summary) || undefined;
    session.workspace = Array.isArray(this.meta.directories) ? str(this.meta.directories[0]) : undefined;
    const turns: Array<{ draft: InteractionDraft; signatures: string[] }> = [];
    let turn: { draft: InteractionDraft; signatures: string[] } | undefined;
    let lastAt = session.startedAt ?? fallbackAt;
    const open = (id: string, at: number): { draft: InteractionDraft; signatures: string[] } => {
      turn = { draft: new InteractionDraft(stableId('gemini-cli', session.nativeKey, 'message', id), session.id, 'gemini-cli', at), signatures: [] };
      turns.push(turn);
      return turn;
    };
    for (const [id, message] of this.messages) {
      const at = toEpochMs(message.timestamp) ?? lastAt;
      lastAt = at;
      const type = str(message.type);
      if (type === 'user') {
        const text = requestText(message);
        if (text === '') {
          turn?.signatures.push(JSON.stringify(message));
          continue;
        }
        const current = turn && !turn.draft.hasAssistantActivity ? turn : open(id, at);
        current.draft.addRequest(text);
        current.signatures.push(JSON.stringify(message));
        session.title ??= titleFrom(text);
        continue;
      }
      // Notices before the first request belong to no turn.
      const current = turn ?? (type === 'gemini' ? open(id, at) : undefined);
      if (!current) continue;
      current.signatures.push(JSON.stringify(message));
      const { draft } = current;
      draft.touch(at);
      if (type === 'gemini') this.onGemini(draft, message, at);
      else if (type === 'error') {
        const text = contentText(message.content) || 'error';
        draft.addIssue(`error: ${text}`);
        draft.addOutcome('api_error', undefined, text, at, `error:${id}`);
      } else if (type === 'info' && /^Request cancelled/i.test(contentText(message.content))) {
        draft.addOutcome('user_interrupt', undefined, contentText(message.content), at, `cancel:${id}`);
      }
    }
    if (turns.length === 0) return undefined;
    for (const { draft } of turns) session.seen(draft.endedAt);
    // A new summary or folder changes the session record: the last turn carries them in its signature.
    turns[turns.length - 1].signatures.push(JSON.stringify([this.meta.summary, this.meta.directories]));
    return {
      key: session.nativeKey,
      session: session.record(fallbackAt),
      turns: turns.map(({ draft, signatures }) => ({ draft, signature: stableId(...signatures) })),
    };
  }

  private onGemini(draft: InteractionDraft, message: JsonObject, at: number): void {
    const model = str(message.model);
    if (model) draft.model = model;
    const text = contentText(message.content);
    if (text.trim() !== '') draft.addResponse(text);
    else draft.hasAssistantActivity = true;
    for (const call of Array.isArray(message.toolCalls) ? message.toolCalls.filter(isObject) : []) {
      const name = str(call.name) ?? 'tool';
      const callId = str(call.id) ?? `${name}:${draft.toolCalls}`;
      const args = isObject(call.args) ? call.args : {};
      const editKind = EDIT_TOOLS[name];
      const editPath = editKind ? str(args.file_path) ?? str(args.absolute_path) : undefined;
      draft.addToolCall({ callId, name, editPath, editKind });
      const callAt = toEpochMs(call.timestamp) ?? at;
      const response = functionResponse(call.result);
      const status = str(call.status) ?? 'success';
      const failed = status !== 'success';
      const display = call.resultDisplay;
      const detail = str(response.error) ?? (typeof display === 'string' ? display : undefined) ?? status;
      draft.resolveTool(callId, { ok: !failed, detail: failed ? detail : undefined, at: callAt, ...editCounts(display) });
      if (status === 'cancelled') draft.addOutcome('user_interrupt', undefined, `${name} cancelled`, callAt, `cancel:${callId}`);
      if (SHELL_TOOLS.has(name) || editKind) {
        addMinedOutcomes(draft, { command: str(args.command), output: str(response.output) ?? str(response.error) ?? '', isError: failed }, callAt, callId);
      }
    }
  }
}

/** What the user asked: the typed command (displayContent, e.g. `/init`) and what it expanded to. */
function requestText(message: JsonObject): string {
  // The CLI appends the files the user @-mentioned after this marker: context, not what was asked.
  const full = contentText(message.content);
  const marker = full.indexOf(REFERENCED_FILES_MARKER);
  const content = (marker === -1 ? full : full.slice(0, marker)).trim();
  if (INJECTED_USER_TEXT.has(content)) return '';
  const display = Array.isArray(message.displayContent) || typeof message.displayContent === 'string' ? contentText(message.displayContent).trim() : '';
  return display !== '' && display !== content ? `${display}\n\n${content}` : content;
}

function functionResponse(result: unknown): JsonObject {
  for (const part of Array.isArray(result) ? result : []) {
    if (isObject(part) && isObject(part.functionResponse) && isObject(part.functionResponse.response)) return part.functionResponse.response;
  }
  return {};
}

/** Lines an edit changed, from the diff the CLI showed the user. */
function editCounts(display: unknown): { linesAdded?: number; linesRemoved?: number } {
  if (!isObject(display)) return {};
  const stat = isObject(display.diffStat) ? display.diffStat : undefined;
  const added = stat ? num(stat.model_added_lines) : undefined;
  const removed = stat ? num(stat.model_removed_lines) : undefined;
  if (added !== undefined && removed !== undefined) return { linesAdded: added, linesRemoved: removed };
  const diff = str(display.fileDiff);
  return diff ? unifiedDiffCounts(diff) : {};
}
