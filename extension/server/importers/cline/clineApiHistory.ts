// Turns a Cline / Roo Code api_conversation_history.json (Anthropic-style messages with `ts`) into
// interactions. A new interaction starts at the task, at "New instructions for task continuation",
// and at feedback the user gave on an attempted completion (which also marks the previous
// interaction as corrected). Tool results are user messages too, but never new requests.
import type { InteractionSource } from '../../../protocol/records';
import { InteractionDraft } from '../interactionDraft';
import { outcomesFromToolResult, type ToolResultText } from '../toolResultOutcomes';
import { contentText, isObject, num, str, type JsonObject } from '../readerSupport';
import { stableId } from '../stableId';
import { CLINE_EDIT_TOOLS, injectedUserText, parseResultHeader, parseXmlToolCalls, resultFailed, userWords } from './clineToolText';

/** The message inside `<error>…</error>` when there is one, else the text. */
function failureText(body: string): string {
  return /<error>\s*([\s\S]*?)\s*<\/error>/.exec(body)?.[1] ?? body;
}

/**
 * Test summaries, exit codes, failed patches and denials in a tool's result, as outcomes. The
 * failure itself is already the tool_error and the issue resolveTool recorded.
 */
function mineResult(draft: InteractionDraft, result: ToolResultText, at: number, callId: string): void {
  for (const outcome of outcomesFromToolResult(result)) {
    if (outcome.kind !== 'tool_error') draft.addOutcome(outcome.kind, outcome.value, outcome.detail, at, `mined:${callId}`);
  }
}

function firstLineOf(text: string): string {
  return text.trim().split('\n', 1)[0];
}

interface PendingXmlCall { id: string; name: string; command?: string }

export class ClineApiHistoryReader {
  readonly drafts: InteractionDraft[] = [];
  private draft?: InteractionDraft;
  /** Command lines of native tool_use calls, by call id, to read their results. */
  private readonly commands = new Map<string, string>();
  private pendingXml: PendingXmlCall[] = [];
  private lastAt = 0;
  model?: string;
  workspace?: string;
  private envModel?: string;
  skipped = 0;

  constructor(private readonly source: InteractionSource, private readonly taskId: string, private readonly sessionId: string) {}

  read(messages: unknown[]): void {
    messages.forEach((message, index) => {
      if (!isObject(message)) { this.skipped++; return; }
      const at = num(message.ts) ?? this.lastAt;
      this.lastAt = at;
      if (message.role === 'user') this.onUser(message, index, at);
      else if (message.role === 'assistant') this.onAssistant(message, index, at);
      else this.skipped++;
    });
  }

  private startDraft(index: number, at: number, text: string): InteractionDraft {
    const draft = new InteractionDraft(stableId(this.source, this.taskId, `msg:${index}`), this.sessionId, this.source, at);
    draft.addRequest(text);
    this.drafts.push(draft);
    this.draft = draft;
    this.pendingXml = [];
    return draft;
  }

  private request(kind: 'feedback' | 'continuation' | 'task' | 'plain', text: string, index: number, at: number): void {
    if (kind === 'feedback' && this.draft) {
      this.draft.addOutcome('user_correction', -1, text, at, `feedback:${index}`);
    }
    const current = this.draft;
    if (current && !current.hasAssistantActivity) current.addRequest(text);
    else this.startDraft(index, at, text);
  }

  private onUser(message: JsonObject, index: number, at: number): void {
    const blocks: unknown[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : Array.isArray(message.content) ? message.content : [];
    let resultName: string | undefined;
    let resultBody: string[] = [];
    let sawResult = false;
    const closeResult = (): void => {
      if (resultName !== undefined) this.onXmlResult(resultName, resultBody.join('\n'), index, at);
      resultName = undefined;
      resultBody = [];
    };
    for (const block of blocks) {
      if (!isObject(block)) continue;
      if (block.type === 'tool_result') {
        closeResult();
        sawResult = true;
        this.onToolResult(block, index, at);
        continue;
      }
      if (block.type !== 'text' || typeof block.text !== 'string') continue;
      const text = block.text;
      if (text.trimStart().startsWith('<environment_details>')) {
        closeResult();
        this.readEnvironment(text);
        continue;
      }
      const header = parseResultHeader(text);
      if (header) {
        closeResult();
        sawResult = true;
        resultName = header.name;
        resultBody = header.inline ? [header.inline] : [];
        continue;
      }
      const words = userWords(text);
      if (words && (words.kind !== 'feedback' || resultName === undefined)) {
        closeResult();
        this.request(words.kind, words.text, index, at);
        continue;
      }
      const injected = injectedUserText(text);
      if (injected) {
        closeResult();
        sawResult = true; // what follows in this message is the client's, not the user's
        if (injected === 'no_tool' && this.draft) {
          this.draft.addIssue('the assistant answered without using a tool');
          this.draft.addOutcome('tool_error', undefined, firstLineOf(text), at, `no_tool:${index}`);
        }
        continue;
      }
      if (resultName !== undefined) resultBody.push(text);
      else if (!sawResult && text.trim() !== '') this.request('plain', text, index, at);
    }
    closeResult();
    this.draft?.touch(at);
  }

  /** Roo names the model and both name the workspace in the environment details they send. */
  private readEnvironment(text: string): void {
    const model = /<model>([^<]+)<\/model>/.exec(text)?.[1];
    if (model) this.envModel = model.trim();
    this.workspace ??= /# Current (?:Workspace|Working) Directory \(([^)]+)\)/.exec(text)?.[1];
  }

  private onXmlResult(name: string, body: string, index: number, at: number): void {
    const words = userWords(body);
    const pendingIndex = this.pendingXml.findIndex((call) => call.name === name);
    const call = pendingIndex === -1 ? undefined : this.pendingXml.splice(pendingIndex, 1)[0];
    if (call && this.draft) {
      const failed = resultFailed(body) && !(name === 'attempt_completion' && words?.kind === 'feedback');
      this.draft.resolveTool(call.id, { ok: !failed, detail: failed ? failureText(body) : undefined, at });
      mineResult(this.draft, { command: call.command, output: body, isError: failed }, at, call.id);
    }
    if (words && words.kind === 'feedback') this.request('feedback', words.text, index, at);
  }

  private onToolResult(block: JsonObject, index: number, at: number): void {
    const text = contentText(block.content);
    const callId = str(block.tool_use_id);
    const words = userWords(text);
    if (callId && this.draft) {
      const failed = block.is_error === true || (resultFailed(text) && words?.kind !== 'feedback');
      this.draft.resolveTool(callId, { ok: !failed, detail: failed ? failureText(text) : undefined, at });
      mineResult(this.draft, { command: this.commands.get(callId), output: text, isError: failed }, at, callId);
    }
    if (words) this.request(words.kind, words.text, index, at);
  }

  private onAssistant(message: JsonObject, index: number, at: number): void {
    // Roo's condensed context: a summary of the turns before, written by the model for itself.
    if (message.isSummary === true) return;
    const draft = this.draft ?? this.startDraft(index, at, '');
    draft.touch(at);
    const modelInfo = isObject(message.modelInfo) ? message.modelInfo : undefined;
    const model = str(modelInfo?.modelId) ?? str(modelInfo?.id) ?? this.envModel;
    if (model) { draft.model = model; this.model = model; }
    const blocks: unknown[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : Array.isArray(message.content) ? message.content : [];
    let callNumber = 0;
    for (const block of blocks) {
      if (!isObject(block)) continue;
      if (block.type === 'text' && typeof block.text === 'string') {
        const { calls, prose } = parseXmlToolCalls(block.text);
        draft.addResponse(prose);
        for (const call of calls) {
          const id = `xml:${index}:${callNumber++}`;
          const editKind = CLINE_EDIT_TOOLS[call.name];
          draft.addToolCall({ callId: id, name: call.name, editPath: editKind ? call.path : undefined, editKind });
          this.pendingXml.push({ id, name: call.name, command: call.command });
        }
      } else if (block.type === 'tool_use') {
        const name = str(block.name) ?? 'tool';
        const input = isObject(block.input) ? block.input : {};
        const editKind = CLINE_EDIT_TOOLS[name];
        const path = str(input.path) ?? str(input.file_path) ?? str(input.target_file);
        draft.addToolCall({ callId: str(block.id), name, editPath: editKind ? path : undefined, editKind });
        const command = str(input.command) ?? (Array.isArray(input.commands) ? input.commands.filter((c) => typeof c === 'string').join('\n') : undefined);
        if (command !== undefined && str(block.id) !== undefined) this.commands.set(str(block.id)!, command);
        if (name === 'attempt_completion' && typeof input.result === 'string') draft.addResponse(input.result);
      } else if (block.type === 'thinking' || block.type === 'reasoning') {
        draft.hasAssistantActivity = true;
      }
    }
  }
}
