// Copilot Chat's agent transcripts (GitHub.copilot-chat/transcripts/<sessionId>.jsonl): an event
// stream of session.start, user.message, assistant.message (with toolRequests),
// tool.execution_start / tool.execution_complete (with success).
import { basename } from 'node:path';
import { applyPatchFiles } from '../applyPatchFiles';
import type { ImportEmitter } from '../importEmitter';
import { InteractionDraft } from '../interactionDraft';
import type { LineInfo } from '../lineReader';
import {
  asJsonObject, contentText, isObject, num, parseJsonLine, SessionAccumulator, str, titleFrom, toEpochMs, type JsonObject, type LineFormatReader,
} from '../readerSupport';
import { stableId } from '../stableId';
import { outcomesFromToolResult } from '../toolResultOutcomes';

/** Copilot agent tools that write a file, with the argument naming it. */
const EDIT_TOOLS: Record<string, string> = {
  replace_string_in_file: 'filePath', multi_replace_string_in_file: 'filePath', insert_edit_into_file: 'filePath',
  create_file: 'filePath', edit_file: 'filePath', edit_notebook_file: 'filePath',
};
const IGNORED = new Set(['assistant.turn_start', 'assistant.turn_end', 'tool.execution_start', 'session.end', 'assistant.reasoning']);

export class CopilotTranscriptReader implements LineFormatReader {
  private session: SessionAccumulator;
  private draft?: InteractionDraft;
  private draftStart = 0;
  private resumeAt?: number;
  private completeEnd: number;
  private lastAt = 0;
  /** Patch calls: their files become edits when execution_complete says success. */
  private patches = new Map<string, string>();
  /** Terminal command lines by call id, to read their output as a test run or not. */
  private readonly commands = new Map<string, string>();

  constructor(path: string, private readonly emitter: ImportEmitter, startOffset: number) {
    this.completeEnd = startOffset;
    this.session = new SessionAccumulator('copilot', basename(path).replace(/\.jsonl$/, ''));
  }

  header(line: LineInfo): boolean {
    let record: unknown;
    try { record = JSON.parse(line.text); } catch { return true; }
    if (!isObject(record) || !isObject(record.data)) return true;
    if (record.type === 'session.start') this.onStart(record.data, toEpochMs(record.timestamp));
    if (record.type !== 'user.message') return true;
    this.session.title ??= titleFrom(str(record.data.content) ?? '');
    return false;
  }

  line(line: LineInfo): void {
    if (!line.unterminated) this.completeEnd = line.end;
    const record = parseJsonLine(line, this.emitter);
    if (!record) return;
    const at = toEpochMs(record.timestamp) ?? this.lastAt;
    this.lastAt = at;
    const data = isObject(record.data) ? record.data : {};
    const type = str(record.type) ?? '';
    if (type === 'session.start') return this.onStart(data, at);
    if (type === 'user.message') return this.onUser(data, str(record.id) ?? `byte:${line.start}`, line, at);
    if (IGNORED.has(type)) return;
    const draft = this.draft;
    if (type === 'assistant.message' && draft) return this.onAssistant(draft, data, at);
    if (type === 'tool.execution_complete' && draft) return this.onComplete(draft, data, at);
    if (!draft && (type === 'assistant.message' || type === 'tool.execution_complete')) return;
    this.emitter.skipped();
  }

  finish(): void {
    this.resumeAt = this.resumeOffset();
    this.emitDraft();
    if (this.session.startedAt !== undefined) this.emitter.session(this.session.record(this.lastAt));
  }

  resumeOffset(): number {
    return this.resumeAt ?? (this.draft ? this.draftStart : this.completeEnd);
  }

  private onStart(data: JsonObject, at: number | undefined): void {
    const id = str(data.sessionId);
    if (id && id !== this.session.nativeKey) this.session = new SessionAccumulator('copilot', id);
    this.session.seen(toEpochMs(data.startTime) ?? at);
  }

  private onUser(data: JsonObject, key: string, line: LineInfo, at: number): void {
    this.emitDraft();
    const text = str(data.content) ?? '';
    this.draft = new InteractionDraft(stableId('copilot', this.session.nativeKey, key), this.session.id, 'copilot', at);
    this.draft.addRequest(text);
    this.draftStart = line.start;
    this.session.seen(at);
    this.session.title ??= titleFrom(text);
  }

  private onAssistant(draft: InteractionDraft, data: JsonObject, at: number): void {
    draft.touch(at);
    this.session.seen(at);
    draft.addResponse(str(data.content) ?? '');
    for (const request of Array.isArray(data.toolRequests) ? data.toolRequests : []) {
      if (!isObject(request)) continue;
      const name = str(request.name) ?? 'tool';
      const input = asJsonObject(request.arguments);
      const callId = str(request.toolCallId);
      if (name === 'apply_patch' && callId && typeof input.input === 'string') this.patches.set(callId, input.input);
      if (callId && typeof input.command === 'string') this.commands.set(callId, input.command);
      const pathKey = EDIT_TOOLS[name];
      draft.addToolCall({ callId, name, editPath: pathKey ? str(input[pathKey]) : undefined, editKind: name === 'create_file' ? 'create' : 'edit' });
    }
  }

  private onComplete(draft: InteractionDraft, data: JsonObject, at: number): void {
    const callId = str(data.toolCallId);
    if (!callId) return;
    const ok = data.success !== false;
    const error = isObject(data.error) ? str(data.error.message) : str(data.error);
    draft.resolveTool(callId, { ok, detail: ok ? undefined : error ?? 'tool failed', at });
    // A terminal command's output: test runs, exit codes (the failure itself is resolveTool's tool_error).
    const result = isObject(data.result) ? data.result : {};
    const output = contentText(result.content) || str(result.content) || str(data.result) || error || '';
    for (const mined of outcomesFromToolResult({ command: this.commands.get(callId), output, isError: !ok, exitCode: num(result.exitCode) })) {
      if (mined.kind !== 'tool_error') draft.addOutcome(mined.kind, mined.value, mined.detail, at, `mined:${callId}`);
    }
    this.commands.delete(callId);
    const patch = this.patches.get(callId);
    if (patch !== undefined) {
      this.patches.delete(callId);
      draft.addOutcome(ok ? 'patch_applied' : 'patch_failed', undefined, undefined, at, `patch:${callId}`);
      if (ok) for (const file of applyPatchFiles(patch)) draft.applyEdit({ ...file, tool: 'apply_patch', at, key: `patch:${callId}:${file.path}` });
    }
  }

  private emitDraft(): void {
    const draft = this.draft;
    if (!draft) return;
    this.draft = undefined;
    this.emitter.session(this.session.record(draft.startedAt));
    this.emitter.interaction(draft);
  }
}
