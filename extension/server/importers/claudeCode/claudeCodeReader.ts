// Claude Code session JSONL (~/.claude/projects/<cwd>/<sessionId>.jsonl) and subagent transcripts
// (<sessionId>/subagents/agent-<id>.jsonl, or agent-<id>.jsonl beside the session in older
// versions). Records marked isSidechain belong to a subagent; each subagent is its own session
// (`<sessionId>/agent-<id>`), so its work is never mixed into the main conversation's turns.
import { basename } from 'node:path';
import type { ImportEmitter } from '../importEmitter';
import { InteractionDraft } from '../interactionDraft';
import type { LineInfo } from '../lineReader';
import {
  contentText, isObject, parseJsonLine, parseJsonObject, SessionAccumulator, str, titleFrom, toEpochMs, type JsonObject, type LineFormatReader,
} from '../readerSupport';
import { stableId } from '../stableId';
import { outcomesFromToolResult } from '../toolResultOutcomes';
import { classifyUserText } from './claudeUserText';
import { toolCallFromBlock, toolResultFromBlock } from './claudeTools';

/** Record types that carry nothing to keep; not counted as skipped. */
const IGNORED_TYPES = new Set(['file-history-snapshot', 'progress', 'queue-operation', 'custom-title', 'tag', 'agent-name']);

interface StreamState {
  session: SessionAccumulator;
  draft?: InteractionDraft;
  draftStart: number;
  subagent?: string;
}

export class ClaudeCodeReader implements LineFormatReader {
  private readonly streams = new Map<string, StreamState>();
  private completeEnd: number;
  private lastAt = 0;
  private summary?: string;
  private resumeAt?: number;
  private readonly fileAgentId?: string;
  /** Bash command lines by tool_use id, so their results can be read as test runs. */
  private readonly commands = new Map<string, string>();

  constructor(private readonly path: string, private readonly emitter: ImportEmitter, startOffset: number) {
    this.completeEnd = startOffset;
    this.fileAgentId = /^agent-(.+)\.jsonl$/.exec(basename(path))?.[1];
  }

  header(line: LineInfo): boolean {
    const record = parseJsonObject(line.text);
    if (!record) return true;
    if (record.type === 'summary') this.summary ??= str(record.summary);
    if (record.type !== 'user' && record.type !== 'assistant') return true;
    const stream = this.stream(record);
    stream.session.seen(toEpochMs(record.timestamp));
    stream.session.workspace ??= str(record.cwd);
    if (record.type === 'user' && stream.session.title === undefined) {
      const message = isObject(record.message) ? record.message : {};
      if (typeof message.content === 'string') {
        const classified = classifyUserText(message.content, record);
        if (classified.kind === 'request') stream.session.title = this.titleFor(stream, classified.text);
      }
    }
    return stream.session.title === undefined;
  }

  line(line: LineInfo): void {
    if (!line.unterminated) this.completeEnd = line.end;
    const record = parseJsonLine(line, this.emitter);
    if (!record) return;
    const at = toEpochMs(record.timestamp);
    if (at !== undefined) this.lastAt = at;
    switch (record.type) {
      case 'user': return this.onUser(record, line, at ?? this.lastAt);
      case 'assistant': return this.onAssistant(record, line, at ?? this.lastAt);
      case 'system': return this.onSystem(record, at ?? this.lastAt);
      case 'summary':
        this.summary ??= str(record.summary);
        return;
      default:
        if (typeof record.type === 'string' && IGNORED_TYPES.has(record.type)) return;
        this.emitter.skipped();
    }
  }

  finish(): void {
    this.resumeAt = this.openOffset();
    for (const stream of this.streams.values()) {
      if (stream.draft) this.emitDraft(stream);
      if (stream.session.startedAt !== undefined) {
        if (this.summary && !stream.subagent) stream.session.title = this.summary;
        this.emitter.session(stream.session.record(this.lastAt));
      }
    }
  }

  resumeOffset(): number {
    return this.resumeAt ?? this.openOffset();
  }

  /** The first line of the earliest interaction still open: the assistant may add to it. */
  private openOffset(): number {
    let offset = this.completeEnd;
    for (const stream of this.streams.values()) if (stream.draft) offset = Math.min(offset, stream.draftStart);
    return offset;
  }

  private stream(record: JsonObject): StreamState {
    const sessionId = str(record.sessionId) ?? basename(this.path).replace(/\.jsonl$/, '');
    const agentId = record.isSidechain === true ? str(record.agentId) ?? this.fileAgentId ?? 'sidechain' : undefined;
    const key = agentId === undefined ? 'main' : `agent:${agentId}`;
    let stream = this.streams.get(key);
    if (!stream) {
      const nativeKey = agentId === undefined ? sessionId : `${sessionId}/agent-${agentId}`;
      stream = { session: new SessionAccumulator('claude-code', nativeKey), draftStart: 0, subagent: agentId };
      this.streams.set(key, stream);
    }
    return stream;
  }

  private titleFor(stream: StreamState, request: string): string {
    return stream.subagent ? `Subagent ${stream.subagent}: ${titleFrom(request)}` : titleFrom(request);
  }

  private startDraft(stream: StreamState, record: JsonObject, line: LineInfo, at: number): InteractionDraft {
    if (stream.draft) this.emitDraft(stream);
    const key = str(record.uuid) ?? `byte:${line.start}`;
    const draft = new InteractionDraft(stableId('claude-code', stream.session.nativeKey, key), stream.session.id, 'claude-code', at);
    stream.draft = draft;
    stream.draftStart = line.start;
    return draft;
  }

  private emitDraft(stream: StreamState): void {
    const draft = stream.draft;
    if (!draft) return;
    stream.draft = undefined;
    this.emitter.session(stream.session.record(draft.startedAt));
    this.emitter.interaction(draft);
  }

  private onUser(record: JsonObject, line: LineInfo, at: number): void {
    const stream = this.stream(record);
    stream.session.seen(at);
    stream.session.workspace ??= str(record.cwd);
    const message = isObject(record.message) ? record.message : {};
    const content = message.content;
    const blocks: unknown[] = typeof content === 'string' ? [{ type: 'text', text: content }] : Array.isArray(content) ? content : [];
    for (const block of blocks) {
      if (!isObject(block)) continue;
      if (block.type === 'tool_result') {
        this.onToolResult(stream, block, record.toolUseResult, at);
      } else if (block.type === 'text' && typeof block.text === 'string') {
        this.onUserText(stream, record, line, block.text, at);
      }
      // image and document blocks: attachments of the request, nothing to keep as text
    }
  }

  private onUserText(stream: StreamState, record: JsonObject, line: LineInfo, text: string, at: number): void {
    const classified = classifyUserText(text, record);
    const draft = stream.draft;
    switch (classified.kind) {
      case 'ignore':
        return;
      case 'interrupt':
        if (draft) {
          draft.addIssue('Request interrupted by user');
          draft.addOutcome('user_interrupt', undefined, classified.text, at, `interrupt:${str(record.uuid) ?? at}`);
          draft.touch(at);
        }
        return;
      case 'meta':
        if (draft && !draft.hasAssistantActivity) draft.addRequest(classified.text);
        return;
      case 'request': {
        const target = draft && !draft.hasAssistantActivity ? draft : this.startDraft(stream, record, line, at);
        target.addRequest(classified.text);
        target.touch(at);
        // A subagent's prompt is written by the main agent (the Task tool), not typed by the user:
        // marked so that it is neither scored nor trained on as a user's request.
        if (stream.subagent !== undefined) {
          target.addOutcome('delegated_request', undefined, `prompt written by the main agent for subagent ${stream.subagent}`, at, 'delegated');
        }
        stream.session.title ??= this.titleFor(stream, classified.text);
      }
    }
  }

  private onToolResult(stream: StreamState, block: JsonObject, toolUseResult: unknown, at: number): void {
    const draft = stream.draft;
    const callId = str(block.tool_use_id);
    if (!draft || callId === undefined) return;
    const result = toolResultFromBlock(block, toolUseResult, at);
    const call = draft.pendingCall(callId);
    draft.resolveTool(callId, result);
    if (!call) return;
    // Test summaries, exit codes, failed edits and denials in the result text (the failure itself
    // is already the tool_error resolveTool recorded).
    const mined = outcomesFromToolResult({
      command: this.commands.get(callId), output: toolOutputText(block, toolUseResult), isError: !result.ok, exitCode: result.exitCode,
    });
    for (const outcome of mined) {
      if (outcome.kind === 'tool_error') continue;
      draft.addOutcome(outcome.kind, outcome.value, outcome.detail, at, outcome.kind === 'exit_code' ? `exit:${callId}` : `mined:${callId}`);
    }
  }

  private onAssistant(record: JsonObject, line: LineInfo, at: number): void {
    const stream = this.stream(record);
    stream.session.seen(at);
    const message = isObject(record.message) ? record.message : {};
    const draft = stream.draft ?? this.startDraft(stream, record, line, at);
    const model = str(message.model);
    if (model && model !== '<synthetic>') {
      draft.model = model;
      stream.session.model = model;
    }
    draft.touch(at);
    const messageId = str(message.id) ?? str(record.uuid) ?? `byte:${line.start}`;
    const content = Array.isArray(message.content) ? message.content : typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : [];
    for (const block of content) {
      if (!isObject(block)) continue;
      if (block.type === 'text' && typeof block.text === 'string') {
        if (!draft.firstTime(`text:${messageId}:${block.text}`)) continue;
        if (record.isApiErrorMessage === true) {
          draft.hasAssistantActivity = true;
          draft.addIssue(block.text);
          draft.addOutcome('api_error', undefined, block.text, at);
        } else {
          draft.addResponse(block.text);
        }
      } else if (block.type === 'tool_use') {
        const call = toolCallFromBlock(block);
        if (call && draft.firstTime(`tool:${call.callId ?? `${messageId}:${call.name}`}`)) draft.addToolCall(call);
        const input = isObject(block.input) ? block.input : {};
        if (call?.callId !== undefined && typeof input.command === 'string') this.commands.set(call.callId, input.command);
      } else if (block.type === 'thinking' || block.type === 'redacted_thinking') {
        draft.hasAssistantActivity = true;
      }
    }
  }

  private onSystem(record: JsonObject, at: number): void {
    const text = str(record.content) ?? '';
    const isError = record.level === 'error' || record.subtype === 'api_error' || /^API Error/.test(text);
    if (!isError) return;
    const stream = this.stream(record);
    const draft = stream.draft;
    if (!draft) return;
    const detail = text || str(record.subtype) || 'API error';
    if (!draft.firstTime(`system-error:${detail}`)) return; // retries repeat the same error
    draft.addIssue(detail);
    draft.addOutcome('api_error', undefined, detail, at);
  }
}

/** The text a tool printed: the result block's content, or Bash's stdout and stderr when richer. */
function toolOutputText(block: JsonObject, toolUseResult: unknown): string {
  const text = contentText(block.content);
  if (!isObject(toolUseResult)) return text;
  const stdout = str(toolUseResult.stdout) ?? '';
  const stderr = str(toolUseResult.stderr) ?? '';
  const both = [stdout, stderr].filter((t) => t !== '').join('\n');
  return both.length > text.length ? both : text;
}
