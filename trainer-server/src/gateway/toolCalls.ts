// Function tools through the gateway. A local model that has no tool-calling template of its own is
// shown the tools in a Hermes-style system message (the engine does that: engine/chat_template.py) and
// answers a call as `<tool_call>{"name": ..., "arguments": {...}}</tool_call>`; Qwen and Hermes
// templates use the same convention natively. Here the generated text is split back into content and
// OpenAI `tool_calls`, also while it streams, and a follow-up's assistant tool calls and `tool` results
// are written back into that convention so the model sees (and capture records) what really happened.
import { randomUUID } from 'node:crypto';
import { invalidParam, OpenAIError } from './openaiErrors';

export interface FunctionTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export interface ToolCall { id: string; type: 'function'; function: { name: string; arguments: string } }

export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };

export const TOOL_CALL_OPEN = '<tool_call>';
export const TOOL_CALL_CLOSE = '</tool_call>';

const NAME = /^[a-zA-Z0-9_.-]{1,64}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One function tool in Chat Completions' shape ({type, function: {name, ...}}). */
export function parseFunctionTool(value: unknown, param: string): FunctionTool {
  if (!isObject(value) || value.type !== 'function' || !isObject(value.function)) {
    throw invalidParam(param, `${param} must be {"type": "function", "function": {"name": ...}}; only function tools are supported`);
  }
  return functionTool(value.function, param);
}

/** Validates {name, description?, parameters?, strict?} into a FunctionTool. */
export function functionTool(fn: Record<string, unknown>, param: string): FunctionTool {
  if (typeof fn.name !== 'string' || !NAME.test(fn.name)) throw invalidParam(`${param}.name`, `${param}.name must be 1-64 letters, digits, '_', '.' or '-'`);
  if (fn.description !== undefined && fn.description !== null && typeof fn.description !== 'string') throw invalidParam(`${param}.description`, `${param}.description must be a string`);
  if (fn.parameters !== undefined && fn.parameters !== null && !isObject(fn.parameters)) throw invalidParam(`${param}.parameters`, `${param}.parameters must be a JSON Schema object`);
  return {
    type: 'function',
    function: {
      name: fn.name,
      ...(typeof fn.description === 'string' ? { description: fn.description } : {}),
      ...(isObject(fn.parameters) ? { parameters: fn.parameters } : {}),
      ...(typeof fn.strict === 'boolean' ? { strict: fn.strict } : {}),
    },
  };
}

export function parseToolChoice(value: unknown, tools: readonly FunctionTool[]): ToolChoice {
  if (value === undefined || value === null) return 'auto';
  if (value === 'auto' || value === 'none' || value === 'required') return value;
  const name = isObject(value) && value.type === 'function' ? (isObject(value.function) ? value.function.name : value.name) : undefined;
  if (typeof name !== 'string') throw invalidParam('tool_choice', "'tool_choice' must be 'auto', 'none', 'required' or {\"type\": \"function\", \"function\": {\"name\": ...}}");
  if (!tools.some((t) => t.function.name === name)) throw invalidParam('tool_choice', `tool_choice names '${name}', which is not among the tools`);
  return { type: 'function', function: { name } };
}

/**
 * Forcing a call ('required' or a named function) needs decoding constrained to a call; the built-in
 * engine cannot do that, so such a request gets a clear 400 rather than a model that may not call.
 */
export function refuseForcedToolChoice(choice: ToolChoice): void {
  if (choice === 'auto' || choice === 'none') return;
  throw new OpenAIError(400, "tool_choice 'required' or a named function needs constrained decoding, which this model's backend does not offer; use tool_choice 'auto' (the model then decides whether to call)", 'invalid_request_error', 'tool_choice', 'unsupported_value');
}

export function newToolCallId(): string {
  return `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

/** An assistant turn's tool calls as the model writes them (for a follow-up's history and for capture). */
export function toolCallsAsText(calls: ReadonlyArray<{ function: { name: string; arguments: string } }>): string {
  return calls.map((call) => {
    let args: unknown = call.function.arguments;
    try { args = JSON.parse(call.function.arguments); } catch { /* kept as the string the client sent */ }
    return `${TOOL_CALL_OPEN}\n${JSON.stringify({ name: call.function.name, arguments: args })}\n${TOOL_CALL_CLOSE}`;
  }).join('\n');
}

/** A `tool` message's result, wrapped the way Hermes-style templates show results to the model. */
export function toolResultAsText(content: string): string {
  return `<tool_response>\n${content}\n</tool_response>`;
}

/** A parsed call, or undefined when the text is not a call to one of `tools` (then it stays text). */
function callFrom(json: string, tools: readonly FunctionTool[]): ToolCall | undefined {
  let value: unknown;
  try { value = JSON.parse(json); } catch { return undefined; }
  if (!isObject(value) || typeof value.name !== 'string') return undefined;
  if (!tools.some((t) => t.function.name === value.name)) return undefined;
  const args = value.arguments ?? value.parameters ?? {};
  return { id: newToolCallId(), type: 'function', function: { name: value.name, arguments: typeof args === 'string' ? args : JSON.stringify(args) } };
}

export interface Extracted { text: string; calls: ToolCall[] }

/**
 * Splits generated text into plain content and tool calls as it arrives. Text that may be the start of
 * `<tool_call>` is held back; a call is released when its closing tag arrives (or, for a model that
 * ended right after the JSON, at the end). An answer that opens with `{` is held whole, since models
 * with Llama-style templates answer a call as a bare JSON object. Anything that does not parse as a
 * call to a declared tool is passed on as text, unchanged: nothing the model wrote is lost.
 */
export class ToolCallExtractor {
  private held = '';
  private mode: 'start' | 'text' | 'bare-json' = 'start';
  readonly calls: ToolCall[] = [];

  constructor(private readonly tools: readonly FunctionTool[]) {}

  push(piece: string): Extracted {
    if (this.tools.length === 0) return { text: piece, calls: [] };
    this.held += piece;
    if (this.mode === 'start') {
      const trimmed = this.held.trimStart();
      if (trimmed === '') return { text: '', calls: [] };
      this.mode = trimmed.startsWith('{') ? 'bare-json' : 'text';
    }
    if (this.mode === 'bare-json') return { text: '', calls: [] };
    return this.drain(false);
  }

  /** Whatever is left once generation ended. */
  flush(): Extracted {
    if (this.tools.length === 0) return { text: '', calls: [] };
    if (this.mode === 'bare-json') {
      const call = callFrom(this.held.trim(), this.tools);
      if (call) {
        this.held = '';
        this.calls.push(call);
        return { text: '', calls: [call] };
      }
      this.mode = 'text';
    }
    return this.drain(true);
  }

  private drain(final: boolean): Extracted {
    let text = '';
    const calls: ToolCall[] = [];
    for (;;) {
      const open = this.held.indexOf(TOOL_CALL_OPEN);
      if (open < 0) {
        const keep = final ? 0 : partialTagLength(this.held);
        text += this.held.slice(0, this.held.length - keep);
        this.held = this.held.slice(this.held.length - keep);
        break;
      }
      const close = this.held.indexOf(TOOL_CALL_CLOSE, open);
      if (close < 0 && !final) { // a call is being written: release the text before it, wait for the rest
        text += this.held.slice(0, open);
        this.held = this.held.slice(open);
        break;
      }
      const end = close < 0 ? this.held.length : close + TOOL_CALL_CLOSE.length;
      const call = callFrom(this.held.slice(open + TOOL_CALL_OPEN.length, close < 0 ? undefined : close).trim(), this.tools);
      if (call) {
        text += this.held.slice(0, open).replace(/\s+$/, ''); // the line break before a call is layout, not content
        calls.push(call);
      } else {
        text += this.held.slice(0, end);
      }
      this.held = this.held.slice(end);
    }
    this.calls.push(...calls);
    if (!final) { // trailing whitespace waits: it is dropped if a call follows
      const tail = text.match(/\s+$/)?.[0] ?? '';
      text = text.slice(0, text.length - tail.length);
      this.held = tail + this.held;
    } else if (this.calls.length > 0 && text.trim() === '') {
      text = '';
    }
    return { text, calls };
  }
}

/** The length of the longest suffix of `text` that is a proper prefix of `<tool_call>`. */
function partialTagLength(text: string): number {
  for (let length = Math.min(TOOL_CALL_OPEN.length - 1, text.length); length > 0; length--) {
    if (text.endsWith(TOOL_CALL_OPEN.slice(0, length))) return length;
  }
  return 0;
}

/** Whole-text version, for answers that are not streamed. */
export function extractToolCalls(text: string, tools: readonly FunctionTool[]): Extracted {
  const extractor = new ToolCallExtractor(tools);
  const first = extractor.push(text);
  const rest = extractor.flush();
  return { text: first.text + rest.text, calls: extractor.calls };
}

/**
 * The tools as a system message in the Hermes convention, for models whose template has no tool
 * support of its own (SmolLM2, the tiny test model); it joins the first system message or opens the
 * conversation. Every backend gets the same text, so one parser reads every backend's calls.
 */
export function toolsSystemPrompt(tools: readonly FunctionTool[]): string {
  const signatures = tools.map((t) => JSON.stringify({ type: 'function', function: t.function })).join('\n');
  return [
    'You may call one or more functions to assist with the user query. You are provided with function signatures within <tools></tools> XML tags:',
    `<tools>\n${signatures}\n</tools>`,
    'For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:',
    `${TOOL_CALL_OPEN}\n{"name": <function-name>, "arguments": <args-json-object>}\n${TOOL_CALL_CLOSE}`,
    'A function\'s result comes back in a <tool_response></tool_response> block.',
  ].join('\n');
}

export function messagesWithTools<M extends { role: string; content: string }>(messages: readonly M[], tools: readonly FunctionTool[]): M[] {
  if (tools.length === 0) return [...messages];
  const prompt = toolsSystemPrompt(tools);
  const first = messages.findIndex((m) => m.role === 'system');
  if (first < 0) return [{ role: 'system', content: prompt } as M, ...messages];
  return messages.map((m, i) => (i === first ? { ...m, content: `${m.content}\n\n${prompt}` } : m));
}
