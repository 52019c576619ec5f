// GitHub Copilot CLI sessions (`~/.copilot/session-state/<sessionId>/events.jsonl`): one event per
// line, `{type, data, id, timestamp, parentId}`. A turn is a user.message and the assistant.message,
// tool.execution_start and tool.execution_complete events after it. An empty user.message is the
// CLI continuing on its own (autopilot), not a request, so the turn goes on.
import { basename, dirname } from 'node:path';
import type { ImportEmitter } from '../importEmitter';
import type { LineInfo } from '../lineReader';
import { addMinedOutcomes } from '../minedToolOutcomes';
import { asJsonObject, isObject, str, titleFrom, toEpochMs, type JsonObject } from '../readerSupport';
import { TurnLineReader } from '../turnLineReader';
import { diffLines, editOf, isShellTool } from './copilotCliTools';

/** Events that say nothing this importer keeps. */
const QUIET_EVENTS = new Set([
  'session.mode_changed', 'session.info', 'session.shutdown', 'session.resume', 'session.usage_info', 'session.compaction_start',
  'session.compaction_complete', 'session.truncation', 'system.message', 'assistant.turn_start', 'assistant.turn_end',
  'assistant.usage', 'assistant.intent', 'assistant.reasoning', 'assistant.message_delta', 'tool.execution_partial_result',
  'hook.start', 'hook.end', 'session.workspace_file_changed',
]);

export class CopilotCliEventsReader extends TurnLineReader {
  private readonly commands = new Map<string, { name: string; command?: string; edit: boolean }>();

  constructor(path: string, emitter: ImportEmitter, startOffset: number, fileMtime: number) {
    // The folder is named after the session; session.start says so too.
    super('copilot-cli', basename(path) === 'events.jsonl' ? basename(dirname(path)) : basename(path, '.jsonl'), emitter, startOffset, fileMtime);
  }

  header(line: LineInfo): boolean {
    let record: unknown;
    try { record = JSON.parse(line.text); } catch { return true; }
    if (!isObject(record) || !isObject(record.data)) return true;
    if (record.type === 'user.message' && str(record.data.content)?.trim()) {
      this.session.title ??= titleFrom(str(record.data.content) ?? '');
      return false;
    }
    this.meta(record.type, record.data, toEpochMs(record.timestamp));
    return true;
  }

  private meta(type: unknown, data: JsonObject, at: number | undefined): boolean {
    if (type === 'session.start') {
      const id = str(data.sessionId);
      if (id) this.renameSession(id);
      const context = isObject(data.context) ? data.context : {};
      this.session.workspace ??= str(context.cwd) ?? str(context.gitRoot);
      this.session.seen(toEpochMs(data.startTime) ?? at);
      return true;
    }
    if (type === 'session.model_change') {
      this.session.model = str(data.newModel) ?? this.session.model;
      return true;
    }
    return false;
  }

  protected record(record: JsonObject, line: LineInfo): void {
    const at = toEpochMs(record.timestamp) ?? this.lastAt;
    this.lastAt = at;
    this.session.seen(toEpochMs(record.timestamp));
    const data = isObject(record.data) ? record.data : {};
    const type = str(record.type) ?? '';
    if (this.meta(type, data, at) || QUIET_EVENTS.has(type)) return;
    switch (type) {
      case 'user.message': {
        const text = str(data.content) ?? '';
        if (text.trim() === '') return; // autopilot continuing: not a request
        this.turnForRequest(line, at).addRequest(text);
        this.session.title ??= titleFrom(text);
        return;
      }
      case 'assistant.message': {
        const draft = this.turnForOutput(line, at);
        if (this.session.model) draft.model = this.session.model;
        draft.addResponse(str(data.content) ?? '');
        for (const request of Array.isArray(data.toolRequests) ? data.toolRequests.filter(isObject) : []) {
          this.call(str(request.toolCallId), str(request.name) ?? 'tool', asJsonObject(request.arguments), line, at);
        }
        return;
      }
      case 'tool.execution_start':
        this.call(str(data.toolCallId), str(data.toolName) ?? 'tool', asJsonObject(data.arguments), line, at);
        return;
      case 'tool.execution_complete':
        return this.complete(data, line, at);
      case 'session.task_complete':
        this.turnForOutput(line, at).addOutcome('task_completed', undefined, str(data.summary), at, 'task_complete');
        return;
      case 'abort':
        this.turnForOutput(line, at).addOutcome('user_interrupt', undefined, str(data.reason) ?? 'aborted', at, `abort:${line.start}`);
        return;
      case 'session.error': {
        const draft = this.turnForOutput(line, at);
        const message = str(data.message) ?? 'error';
        draft.addIssue(`error: ${message}`);
        draft.addOutcome('api_error', undefined, message, at, `error:${line.start}`);
        return;
      }
      default:
        this.emitter.skipped();
    }
  }

  private call(callId: string | undefined, name: string, args: JsonObject, line: LineInfo, at: number): void {
    if (!callId || this.commands.has(callId)) return; // the request and its start event name the same call
    const draft = this.turnForOutput(line, at);
    const edit = editOf(name, args);
    draft.addToolCall({ callId, name, editPath: edit?.path, editKind: edit?.kind });
    this.commands.set(callId, { name, command: str(args.command), edit: edit !== undefined });
  }

  private complete(data: JsonObject, line: LineInfo, at: number): void {
    const callId = str(data.toolCallId);
    if (!callId) return this.emitter.skipped();
    const draft = this.turnForOutput(line, at);
    const result = isObject(data.result) ? data.result : {};
    const error = isObject(data.error) ? str(data.error.message) : str(data.error);
    const text = str(result.detailedContent) ?? str(result.content) ?? '';
    const ok = data.success !== false;
    const call = this.commands.get(callId);
    draft.resolveTool(callId, { ok, detail: ok ? undefined : error ?? (text || 'failed'), at, ...diffLines(text) });
    if (call && (isShellTool(call.name) || call.edit)) {
      addMinedOutcomes(draft, { command: call.command, output: text || error || '', isError: !ok }, at, callId);
    }
  }
}
