// OpenAI Codex CLI rollouts ($CODEX_HOME/sessions/YYYY/MM/DD/rollout-<ts>-<uuid>.jsonl): lines of
// {timestamp, type, payload}. Older rollouts wrote the payload objects bare (no wrapper) after a
// first line holding the session's id; both are read. event_msg user_message/agent_message repeat
// the response_item messages, so whichever comes second is dropped.
import { basename } from 'node:path';
import type { ImportEmitter } from '../importEmitter';
import { InteractionDraft } from '../interactionDraft';
import type { LineInfo } from '../lineReader';
import {
  contentText, isObject, parseJsonLine, SessionAccumulator, str, titleFrom, toEpochMs, type JsonObject, type LineFormatReader,
} from '../readerSupport';
import { stableId } from '../stableId';
import { CodexToolTracker } from './codexTools';

const RESPONSE_ITEM_TYPES = new Set([
  'message', 'reasoning', 'function_call', 'function_call_output', 'custom_tool_call', 'custom_tool_call_output',
  'local_shell_call', 'web_search_call', 'tool_search_call', 'image_generation_call',
]);
/** event_msg payloads that carry nothing beyond what response_items and the handled events say. */
const IGNORED_EVENTS = new Set([
  'token_count', 'task_started', 'agent_reasoning', 'agent_reasoning_raw_content', 'agent_reasoning_section_break',
  'exec_command_begin', 'exec_command_output_delta', 'patch_apply_begin', 'web_search_begin', 'web_search_end',
  'mcp_tool_call_begin', 'mcp_tool_call_end', 'turn_diff', 'context_compacted', 'plan_update', 'item_started',
  'item_completed', 'view_image_tool_call', 'entered_review_mode', 'exited_review_mode', 'background_event',
  'user_shell_command', 'raw_response_item', 'session_configured', 'thread_name_updated', 'undo_started', 'undo_completed',
]);
/** User-role messages Codex injects as context: not something the user asked. */
const INJECTED_PREFIXES = ['<environment_context>', '<user_instructions>', '# AGENTS.md instructions', '<permissions instructions>', '<user_shell_command>', '<turn_aborted>'];
/** The same context as whole blocks inside a message that also carries the user's words. */
const INJECTED_BLOCKS = [
  /<environment_context>[\s\S]*?<\/environment_context>/g,
  /<user_instructions>[\s\S]*?<\/user_instructions>/g,
  /# AGENTS\.md instructions for [^\n]*\n+<INSTRUCTIONS>[\s\S]*?<\/INSTRUCTIONS>/g,
  /<permissions instructions>[\s\S]*?<\/permissions instructions>/g,
];

export class CodexReader implements LineFormatReader {
  private session: SessionAccumulator;
  private draft?: InteractionDraft;
  private draftStart = 0;
  private resumeAt?: number;
  private completeEnd: number;
  private lastAt = 0;
  private model?: string;
  private tools = new CodexToolTracker();

  constructor(path: string, private readonly emitter: ImportEmitter, startOffset: number) {
    this.completeEnd = startOffset;
    const fromName = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.jsonl$/i.exec(basename(path))?.[1];
    this.session = new SessionAccumulator('codex', fromName ?? basename(path));
  }

  header(line: LineInfo): boolean {
    let record: unknown;
    try { record = JSON.parse(line.text); } catch { return true; }
    if (!isObject(record)) return true;
    if (record.type === 'session_meta' || (record.type === undefined && typeof record.id === 'string')) {
      this.onSessionMeta(isObject(record.payload) ? record.payload : record, toEpochMs(record.timestamp));
    }
    if (record.type === 'turn_context' && isObject(record.payload)) this.onTurnContext(record.payload);
    if (this.isUserRequest(record)) {
      const payload = isObject(record.payload) ? record.payload : record;
      this.session.title ??= titleFrom(str(payload.message) ?? this.userWords(payload.content));
      return false;
    }
    return true;
  }

  line(line: LineInfo): void {
    if (!line.unterminated) this.completeEnd = line.end;
    const record = parseJsonLine(line, this.emitter);
    if (!record) return;
    const at = toEpochMs(record.timestamp) ?? this.lastAt;
    this.lastAt = at;
    this.session.seen(toEpochMs(record.timestamp));
    const payload = isObject(record.payload) ? record.payload : undefined;
    switch (record.type) {
      case 'session_meta': return this.onSessionMeta(payload ?? {}, at);
      case 'turn_context': return this.onTurnContext(payload ?? {});
      case 'response_item': return payload ? this.onResponseItem(payload, line, at) : this.emitter.skipped();
      case 'event_msg': return payload ? this.onEvent(payload, line, at) : this.emitter.skipped();
      case 'compacted': return;
      default:
        if (typeof record.type === 'string' && RESPONSE_ITEM_TYPES.has(record.type)) return this.onResponseItem(record, line, at);
        if (record.type === undefined && typeof record.id === 'string' && line.start === 0) return this.onSessionMeta(record, at);
        if (record.record_type === 'state') return;
        this.emitter.skipped();
    }
  }

  finish(): void {
    this.resumeAt = this.resumeOffset();
    if (this.draft) this.emitDraft();
    if (this.session.startedAt !== undefined) this.emitter.session(this.session.record(this.lastAt));
  }

  resumeOffset(): number {
    return this.resumeAt ?? (this.draft ? this.draftStart : this.completeEnd);
  }

  private isUserRequest(record: JsonObject): boolean {
    const payload = isObject(record.payload) ? record.payload : record;
    return payload.type === 'user_message' || (payload.type === 'message' && payload.role === 'user' && this.userWords(payload.content) !== '');
  }

  /**
   * What the user typed in a user message: parts that are injected context are dropped, and
   * context blocks inside a part are cut out, so the request is the user's words only.
   */
  private userWords(content: unknown): string {
    const parts = Array.isArray(content) ? content : [content];
    const kept: string[] = [];
    for (const part of parts) {
      const text = contentText(Array.isArray(part) ? part : [part]);
      const cleaned = INJECTED_BLOCKS.reduce((t, re) => t.replace(re, ''), text).trim();
      if (cleaned !== '' && !this.isInjected(cleaned)) kept.push(cleaned);
    }
    return kept.join('\n\n');
  }

  private isInjected(text: string): boolean {
    const trimmed = text.trimStart();
    return INJECTED_PREFIXES.some((prefix) => trimmed.startsWith(prefix));
  }

  private onSessionMeta(meta: JsonObject, at: number | undefined): void {
    const id = str(meta.id);
    if (id && id !== this.session.nativeKey) {
      const previous = this.session;
      this.session = new SessionAccumulator('codex', id);
      this.session.seen(previous.startedAt);
    }
    this.session.workspace ??= str(meta.cwd);
    this.session.seen(toEpochMs(meta.timestamp) ?? at);
  }

  private onTurnContext(context: JsonObject): void {
    this.model = str(context.model) ?? this.model;
    if (this.model) this.session.model = this.model;
    this.session.workspace ??= str(context.cwd);
  }

  private onUserText(raw: string, line: LineInfo, at: number): void {
    const text = INJECTED_BLOCKS.reduce((t, re) => t.replace(re, ''), raw).trim();
    if (text === '' || this.isInjected(text)) return;
    const current = this.draft;
    if (current && !current.hasAssistantActivity && current.request.includes(text)) return; // the event_msg twin
    const draft = current && !current.hasAssistantActivity ? current : this.startDraft(line, at);
    draft.addRequest(text);
    this.session.title ??= titleFrom(text);
  }

  private onAssistantText(text: string, line: LineInfo, at: number): void {
    const draft = this.draft ?? this.startDraft(line, at);
    draft.touch(at);
    if (draft.firstTime(`say:${text}`)) draft.addResponse(text);
  }

  private onResponseItem(item: JsonObject, line: LineInfo, at: number): void {
    if (item.type === 'message') {
      if (item.role === 'user') return this.onUserText(this.userWords(item.content), line, at);
      const text = contentText(item.content);
      if (item.role === 'assistant') return this.onAssistantText(text, line, at);
      return; // developer/system instructions
    }
    if (!RESPONSE_ITEM_TYPES.has(String(item.type))) return this.emitter.skipped();
    const draft = this.draft ?? this.startDraft(line, at);
    draft.touch(at);
    if (this.model) draft.model = this.model;
    this.tools.onResponseItem(draft, item, at);
  }

  private onEvent(event: JsonObject, line: LineInfo, at: number): void {
    const type = str(event.type) ?? '';
    if (type === 'user_message') return this.onUserText(str(event.message) ?? '', line, at);
    if (type === 'agent_message') return this.onAssistantText(str(event.message) ?? '', line, at);
    if (IGNORED_EVENTS.has(type)) return;
    const draft = this.draft;
    if (!draft) return type === '' ? this.emitter.skipped() : undefined;
    draft.touch(at);
    if (!this.tools.onEvent(draft, event, at)) this.emitter.skipped();
  }

  private startDraft(line: LineInfo, at: number): InteractionDraft {
    if (this.draft) this.emitDraft();
    this.draft = new InteractionDraft(stableId('codex', this.session.nativeKey, `byte:${line.start}`), this.session.id, 'codex', at);
    if (this.model) this.draft.model = this.model;
    this.draftStart = line.start;
    this.tools = new CodexToolTracker();
    return this.draft;
  }

  private emitDraft(): void {
    const draft = this.draft;
    if (!draft) return;
    this.draft = undefined;
    this.emitter.session(this.session.record(draft.startedAt));
    this.emitter.interaction(draft);
  }
}
