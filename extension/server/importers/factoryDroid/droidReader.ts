// Factory Droid sessions (`~/.factory/sessions/<cwd slug>/<sessionId>.jsonl`, with
// `<sessionId>.settings.json` beside it giving the model). Line 1 is `{type: 'session_start', id,
// title, cwd}`, then `{type: 'message', id, timestamp, message: {role, content}}` with Anthropic-style
// blocks (text, tool_use, tool_result) and `todo_state` lines. Edits go through ApplyPatch (an
// `*** Begin Patch` envelope) or Edit/Create with a file path.
import { basename } from 'node:path';
import type { FileChangeKind } from '../../../protocol/records';
import { applyPatchFiles } from '../applyPatchFiles';
import type { ImportEmitter } from '../importEmitter';
import type { InteractionDraft } from '../interactionDraft';
import type { LineInfo } from '../lineReader';
import { addMinedOutcomes } from '../minedToolOutcomes';
import { contentText, isObject, str, titleFrom, toEpochMs, type JsonObject } from '../readerSupport';
import { TurnLineReader } from '../turnLineReader';

const EDIT_TOOLS: Record<string, FileChangeKind> = { Edit: 'edit', MultiEdit: 'edit', Create: 'create', Write: 'edit' };
const SHELL_TOOLS = new Set(['Execute', 'Bash', 'Shell']);
/** Context the client adds to a user message: the contents of an @-mentioned file, reminders. */
const INJECTED_TEXT = /^(Contents of .+ \(lines \d+-\d+ of \d+\):|<system-reminder>)/;

interface PendingCall { name: string; patch?: string; command?: string }

export class DroidReader extends TurnLineReader {
  private readonly calls = new Map<string, PendingCall>();

  constructor(path: string, emitter: ImportEmitter, startOffset: number, fileMtime: number, model: string | undefined) {
    super('factory-droid', basename(path, '.jsonl'), emitter, startOffset, fileMtime);
    this.session.model = model;
  }

  header(line: LineInfo): boolean {
    let record: unknown;
    try { record = JSON.parse(line.text); } catch { return true; }
    if (!isObject(record)) return true;
    if (record.type === 'session_start') this.start(record);
    return record.type !== 'message';
  }

  private start(record: JsonObject): void {
    const id = str(record.id);
    if (id) this.renameSession(id);
    this.session.title ??= str(record.title) || undefined;
    this.session.workspace ??= str(record.cwd);
  }

  protected record(record: JsonObject, line: LineInfo): void {
    const at = toEpochMs(record.timestamp) ?? this.lastAt;
    this.lastAt = at;
    this.session.seen(toEpochMs(record.timestamp));
    if (record.type === 'session_start') return this.start(record);
    if (record.type === 'todo_state') return;
    if (record.type !== 'message' || !isObject(record.message)) return this.emitter.skipped();
    const message = record.message;
    const blocks = Array.isArray(message.content) ? message.content.filter(isObject) : [{ type: 'text', text: contentText(message.content) }];
    if (message.role === 'user') return this.user(blocks, line, at);
    if (message.role !== 'assistant') return this.emitter.skipped();
    const draft = this.turnForOutput(line, at);
    for (const block of blocks) {
      if (block.type === 'text') draft.addResponse(str(block.text) ?? '');
      else if (block.type === 'tool_use') this.toolUse(draft, block);
      else draft.hasAssistantActivity = true;
    }
  }

  private user(blocks: JsonObject[], line: LineInfo, at: number): void {
    const text = blocks.filter((b) => b.type === 'text' && !INJECTED_TEXT.test(str(b.text) ?? '')).map((b) => str(b.text) ?? '').join('\n').trim();
    for (const block of blocks) if (block.type === 'tool_result' && this.draft) this.toolResult(this.draft, block, at);
    if (text === '') return;
    this.turnForRequest(line, at).addRequest(text);
    this.session.title ??= titleFrom(text);
  }

  private toolUse(draft: InteractionDraft, block: JsonObject): void {
    const name = str(block.name) ?? 'tool';
    const callId = str(block.id);
    const input = isObject(block.input) ? block.input : {};
    const editKind = EDIT_TOOLS[name];
    const editPath = editKind ? str(input.file_path) ?? str(input.path) : undefined;
    draft.addToolCall({ callId, name, editPath, editKind });
    if (callId) this.calls.set(callId, { name, patch: name === 'ApplyPatch' ? str(input.input) ?? str(input.patch) : undefined, command: str(input.command) });
  }

  private toolResult(draft: InteractionDraft, block: JsonObject, at: number): void {
    const callId = str(block.tool_use_id);
    if (!callId) return;
    const call = this.calls.get(callId);
    const text = contentText(block.content);
    let failed = block.is_error === true;
    if (call?.patch !== undefined && /^\s*\{/.test(text)) {
      try {
        const parsed: unknown = JSON.parse(text);
        if (isObject(parsed) && parsed.success === false) failed = true;
      } catch { /* plain text result */ }
    }
    draft.touch(at);
    draft.resolveTool(callId, { ok: !failed, detail: failed ? text || 'failed' : undefined, at });
    if (call?.patch !== undefined) {
      if (failed) {
        draft.addOutcome('patch_failed', undefined, text, at, `patch:${callId}`);
      } else {
        draft.addOutcome('patch_applied', undefined, undefined, at, `patch:${callId}`);
        for (const file of applyPatchFiles(call.patch)) draft.applyEdit({ ...file, tool: call.name, at, key: `patch:${callId}:${file.path}` });
      }
    }
    if (call && (SHELL_TOOLS.has(call.name) || call.patch !== undefined || EDIT_TOOLS[call.name])) {
      addMinedOutcomes(draft, { command: call.command, output: text, isError: failed }, at, callId);
    }
  }
}
