// One interaction being assembled: a user request and everything the assistant did until the next
// real request. Every format reader feeds one of these, so the mapping onto seed 000's record
// (tools_used, files_modified, issues_encountered, solutions_applied) and the outcome signals is
// written once.
import type {
  CaptureEvent, FileChangeKind, FileTouch, InteractionSource, OutcomeEvent, OutcomeKind,
} from '../../protocol/records';
import { stableId } from './stableId';

/** Bodies stay lean: the store keeps everything in memory (sql.js) and datasets need the gist. */
const MAX_BODY_CHARS = 200_000;
const MAX_ISSUE_CHARS = 500;

export interface ToolCallInfo {
  /** The format's call id, to match the result; absent when results are matched by order. */
  callId?: string;
  name: string;
  /** File an edit tool will change once its result says it worked. */
  editPath?: string;
  editKind?: FileChangeKind;
  linesAdded?: number;
  linesRemoved?: number;
}

export interface ToolResultInfo {
  ok: boolean;
  /** Error text for a failed tool (first line kept). */
  detail?: string;
  at: number;
  linesAdded?: number;
  linesRemoved?: number;
  /** A create rather than an edit, when only the result can tell. */
  created?: boolean;
  /** The failure is already an issue (reported by another record): only the outcome is added. */
  alreadyReported?: boolean;
}

export interface EditInfo {
  path: string;
  kind?: FileChangeKind;
  tool?: string;
  linesAdded?: number;
  linesRemoved?: number;
  at: number;
  /** Key that makes the file event's id unique within the interaction. */
  key?: string;
}

export function firstLine(text: string, max = MAX_ISSUE_CHARS): string {
  const trimmed = text.trim();
  const nl = trimmed.indexOf('\n');
  const line = nl === -1 ? trimmed : trimmed.slice(0, nl);
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

function capBody(text: string): string {
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}\n[… ${text.length - MAX_BODY_CHARS} more characters not kept]` : text;
}

export class InteractionDraft {
  readonly request: string[] = [];
  readonly response: string[] = [];
  readonly toolNames: string[] = [];
  toolCalls = 0;
  readonly files: string[] = [];
  readonly issues: string[] = [];
  readonly solutions: string[] = [];
  readonly outcomes: OutcomeEvent[] = [];
  readonly touches: FileTouch[] = [];
  private readonly pending = new Map<string, ToolCallInfo>();
  private readonly seenKeys = new Set<string>();
  model: string | undefined;
  endedAt: number;
  /** Set once the assistant said or did anything; a user message after that starts a new interaction. */
  hasAssistantActivity = false;

  constructor(
    readonly id: string,
    readonly sessionId: string,
    readonly source: InteractionSource,
    readonly startedAt: number,
  ) {
    this.endedAt = startedAt;
  }

  touch(at: number | undefined): void {
    if (at !== undefined && Number.isFinite(at) && at > this.endedAt) this.endedAt = at;
  }

  addRequest(text: string): void {
    if (text.trim() !== '') this.request.push(text);
  }

  addResponse(text: string): void {
    this.hasAssistantActivity = true;
    if (text.trim() !== '') this.response.push(text);
  }

  /** True the first time a key is seen: streaming writers repeat the same block or message. */
  firstTime(key: string): boolean {
    if (this.seenKeys.has(key)) return false;
    this.seenKeys.add(key);
    return true;
  }

  addToolCall(call: ToolCallInfo): void {
    this.hasAssistantActivity = true;
    this.toolCalls++;
    if (!this.toolNames.includes(call.name)) this.toolNames.push(call.name);
    if (call.callId !== undefined) this.pending.set(call.callId, call);
  }

  pendingCall(callId: string): ToolCallInfo | undefined {
    return this.pending.get(callId);
  }

  /** A tool's result: an outcome signal, an issue when it failed, an edit when an edit tool worked. */
  resolveTool(callId: string, result: ToolResultInfo): void {
    const call = this.pending.get(callId);
    if (!call) return;
    this.pending.delete(callId);
    this.touch(result.at);
    this.addOutcome(result.ok ? 'tool_ok' : 'tool_error', undefined, result.ok ? call.name : `${call.name}: ${firstLine(result.detail ?? 'failed')}`, result.at, `tool:${callId}`);
    if (!result.ok) {
      if (result.alreadyReported) return;
      const detail = firstLine(result.detail ?? 'error');
      this.addIssue(detail.startsWith(call.name) ? detail : `${call.name} failed: ${detail}`);
      return;
    }
    if (call.editPath !== undefined) {
      this.applyEdit({
        path: call.editPath,
        kind: result.created ? 'create' : call.editKind ?? 'edit',
        tool: call.name,
        linesAdded: result.linesAdded ?? call.linesAdded,
        linesRemoved: result.linesRemoved ?? call.linesRemoved,
        at: result.at,
        key: `tool:${callId}`,
      });
    }
  }

  applyEdit(edit: EditInfo): void {
    const key = edit.key ?? `edit:${this.touches.length}`;
    if (!this.files.includes(edit.path)) this.files.push(edit.path);
    this.touches.push({
      id: stableId(this.id, 'file', key),
      interactionId: this.id,
      path: edit.path,
      kind: edit.kind ?? 'edit',
      origin: 'assistant',
      linesAdded: edit.linesAdded,
      linesRemoved: edit.linesRemoved,
      at: edit.at,
    });
    this.solutions.push(`${edit.tool ? `${edit.tool} ` : ''}${edit.kind === 'create' ? 'created' : 'edited'} ${edit.path}`);
    this.touch(edit.at);
  }

  addIssue(text: string): void {
    this.issues.push(firstLine(text));
  }

  addSolution(text: string): void {
    this.solutions.push(firstLine(text));
  }

  addOutcome(kind: OutcomeKind, value: number | undefined, detail: string | undefined, at: number, key?: string): void {
    const outcomeKey = `${kind}:${key ?? this.outcomes.length}`;
    if (this.seenKeys.has(`outcome:${outcomeKey}`)) return;
    this.seenKeys.add(`outcome:${outcomeKey}`);
    this.outcomes.push({
      id: stableId(this.id, 'outcome', outcomeKey),
      interactionId: this.id,
      sessionId: this.sessionId,
      kind,
      value,
      detail: detail === undefined ? undefined : firstLine(detail),
      at,
    });
  }

  toEvents(): CaptureEvent[] {
    const events: CaptureEvent[] = [{
      type: 'interaction',
      interaction: {
        id: this.id,
        sessionId: this.sessionId,
        source: this.source,
        model: this.model,
        startedAt: this.startedAt,
        endedAt: this.endedAt,
        user_request: capBody(this.request.join('\n\n')),
        assistant_response: capBody(this.response.join('\n\n')),
        tools_used: [...this.toolNames],
        files_modified: [...this.files],
        issues_encountered: [...this.issues],
        solutions_applied: [...this.solutions],
        effectiveness: null,
      },
    }];
    for (const outcome of this.outcomes) events.push({ type: 'outcome', outcome });
    for (const file of this.touches) events.push({ type: 'file', file });
    return events;
  }
}
