// Turns a Cline / Roo Code api_conversation_history.json (Anthropic-style messages with `ts`) into
// interactions. A new interaction starts at the task, at "New instructions for task continuation",
// and at feedback the user gave on an attempted completion (which also marks the previous
// interaction as corrected). Tool results are user messages too, but never new requests.
import type { InteractionSource } from '../../../protocol/records';
import { InteractionDraft } from '../interactionDraft';
import { contentText, isObject, num, str, type JsonObject } from '../readerSupport';
import { stableId } from '../stableId';
import { CLINE_EDIT_TOOLS, parseResultHeader, parseXmlToolCalls, resultFailed, userWords } from './clineToolText';

/** The message inside `<error>…</error>` when there is one, else the text. */
function failureText(body: string): string {
  return /<error>\s*([\s\S]*?)\s*<\/error>/.exec(body)?.[1] ?? body;
}

interface PendingXmlCall { id: string; name: string }

export class ClineApiHistoryReader {
  readonly drafts: InteractionDraft[] = [];
  private draft?: InteractionDraft;
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
    }
    if (words) this.request(words.kind, words.text, index, at);
  }

  private onAssistant(message: JsonObject, index: number, at: number): void {
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
          this.pendingXml.push({ id, name: call.name });
        }
      } else if (block.type === 'tool_use') {
        const name = str(block.name) ?? 'tool';
        const input = isObject(block.input) ? block.input : {};
        const editKind = CLINE_EDIT_TOOLS[name];
        const path = str(input.path) ?? str(input.file_path) ?? str(input.target_file);
        draft.addToolCall({ callId: str(block.id), name, editPath: editKind ? path : undefined, editKind });
        if (name === 'attempt_completion' && typeof input.result === 'string') draft.addResponse(input.result);
      } else if (block.type === 'thinking' || block.type === 'reasoning') {
        draft.hasAssistantActivity = true;
      }
    }
  }
}
