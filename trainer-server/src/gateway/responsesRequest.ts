// Reading a POST /v1/responses body (OpenAI's Responses API, the only API current Codex CLI speaks)
// into the same ChatRequest the chat completions route serves: `instructions` become the system
// message, `input` (a string or a list of items) the conversation, function_call and
// function_call_output items the assistant's tool calls and the `tool` results, in the model's tool
// convention (toolCalls.ts). `previous_response_id` continues a conversation this server answered.
import type { ChatRequest } from './chatRequest';
import { invalidParam, OpenAIError } from './openaiErrors';
import { checkOptionalBoolean, isObject, MAX_TOKENS_LIMIT, optionalNumber, requestBodyWithModel } from './requestFields';
import { parseResponseFormat } from './responseFormat';
import { functionTool, parseToolChoice, toolCallsAsText, toolResultAsText, type FunctionTool } from './toolCalls';

type Message = ChatRequest['messages'][number];

export interface ResponsesRequest extends ChatRequest {
  /** The conversation without `instructions` (they do not carry over to a follow-up response). */
  conversation: Message[];
  instructions: string | null;
  previousResponseId: string | null;
  store: boolean;
  /** Tool types other than function (web_search, local_shell, custom...) that this server cannot run, by type. */
  skippedTools: string[];
  /** The request's fields echoed in the response object, as OpenAI does. */
  echo: { tools: unknown[]; toolChoice: unknown; text: unknown; parallelToolCalls: boolean; metadata: unknown };
}

/** Text of a message's content: a string or input_text/output_text parts. */
function contentText(content: unknown, param: string): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw invalidParam(param, `${param} must be a string or an array of content parts`);
  return content.map((part, i) => {
    if (!isObject(part) || typeof part.type !== 'string') throw invalidParam(`${param}[${i}]`, `${param}[${i}] must be a content part with a "type"`);
    if (!['input_text', 'output_text', 'text', 'summary_text'].includes(part.type)) {
      throw invalidParam(`${param}[${i}].type`, `content parts of type '${part.type}' are not supported by this text-only model`);
    }
    if (typeof part.text !== 'string') throw invalidParam(`${param}[${i}].text`, `${param}[${i}].text must be a string`);
    return part.text;
  }).join('');
}

const MESSAGE_ROLES: Record<string, Message['role']> = { user: 'user', system: 'system', developer: 'system', assistant: 'assistant' };

/** The input items as chat messages; consecutive function calls form one assistant turn. */
function inputMessages(input: unknown): Message[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) throw new OpenAIError(400, "'input' is required: a string or an array of input items", 'invalid_request_error', 'input', 'missing_required_parameter');
  const messages: Message[] = [];
  let pendingCalls: Array<{ function: { name: string; arguments: string } }> = [];
  const flushCalls = (): void => {
    if (pendingCalls.length === 0) return;
    const last = messages[messages.length - 1];
    const text = toolCallsAsText(pendingCalls);
    if (last?.role === 'assistant') last.content = last.content ? `${last.content}\n${text}` : text; // the text the model wrote before its calls
    else messages.push({ role: 'assistant', content: text });
    pendingCalls = [];
  };
  input.forEach((item, i) => {
    const param = `input[${i}]`;
    if (!isObject(item)) throw invalidParam(param, `${param} must be an input item object`);
    const type = item.type ?? 'message';
    if (type === 'function_call') {
      if (typeof item.name !== 'string' || typeof item.arguments !== 'string') throw invalidParam(param, `${param}: a function_call needs "name" and "arguments" strings`);
      pendingCalls.push({ function: { name: item.name, arguments: item.arguments } });
      return;
    }
    flushCalls();
    if (type === 'message') {
      const role = typeof item.role === 'string' ? MESSAGE_ROLES[item.role] : undefined;
      if (!role) throw invalidParam(`${param}.role`, `${param}.role must be one of user, system, developer, assistant; got ${JSON.stringify(item.role)}`);
      messages.push({ role, content: contentText(item.content, `${param}.content`) });
    } else if (type === 'function_call_output') {
      const output = typeof item.output === 'string' ? item.output : contentText(item.output, `${param}.output`);
      messages.push({ role: 'tool', content: toolResultAsText(output) });
    } else if (type === 'reasoning') {
      // Reasoning a client sends back: this server never produces any, and a local model cannot use another's.
    } else {
      throw invalidParam(`${param}.type`, `input items of type '${String(type)}' are not supported here (message, function_call, function_call_output are)`);
    }
  });
  flushCalls();
  return messages;
}

/** Function tools in the Responses shape ({type, name, parameters}); other tool types are listed, not served. */
function responsesTools(value: unknown): { tools: FunctionTool[]; skipped: string[] } {
  if (value === undefined || value === null) return { tools: [], skipped: [] };
  if (!Array.isArray(value)) throw invalidParam('tools', "'tools' must be an array");
  const tools: FunctionTool[] = [];
  const skipped: string[] = [];
  value.forEach((tool, i) => {
    if (!isObject(tool) || typeof tool.type !== 'string') throw invalidParam(`tools[${i}]`, `tools[${i}] must be an object with a "type"`);
    if (tool.type === 'function') tools.push(functionTool(tool, `tools[${i}]`));
    else skipped.push(tool.type);
  });
  return { tools, skipped };
}

/** `previous` is the stored conversation of previous_response_id, looked up by the caller. */
export function parseResponsesRequest(rawBody: unknown, previous: (id: string) => Message[] | undefined): ResponsesRequest {
  const body = requestBodyWithModel(rawBody);
  if (body.instructions !== undefined && body.instructions !== null && typeof body.instructions !== 'string') throw invalidParam('instructions', "'instructions' must be a string");
  checkOptionalBoolean(body, 'stream');
  const previousResponseId = typeof body.previous_response_id === 'string' && body.previous_response_id !== '' ? body.previous_response_id : null;
  let history: Message[] = [];
  if (previousResponseId) {
    const stored = previous(previousResponseId);
    if (!stored) throw new OpenAIError(404, `Previous response with id '${previousResponseId}' not found (this server keeps recent stored responses in memory only).`, 'invalid_request_error', 'previous_response_id', 'previous_response_not_found');
    history = stored;
  }
  const conversation = [...history, ...inputMessages(body.input)];
  const instructions = typeof body.instructions === 'string' && body.instructions !== '' ? body.instructions : null;
  const messages = instructions ? [{ role: 'system' as const, content: instructions }, ...conversation] : conversation;
  if (!messages.some((m) => m.role === 'user' || m.role === 'tool')) throw invalidParam('input', "'input' must contain at least one user message or function_call_output");
  const { tools, skipped } = responsesTools(body.tools);
  const toolChoice = parseToolChoice(body.tool_choice, tools);
  const text = isObject(body.text) ? body.text : undefined;
  const responseFormat = parseResponseFormat(text?.format, 'text.format', true);
  return {
    model: body.model,
    messages,
    conversation,
    instructions,
    previousResponseId,
    store: body.store !== false,
    stream: body.stream === true,
    includeUsage: false,
    maxTokens: optionalNumber(body, 'max_output_tokens', 1, MAX_TOKENS_LIMIT, true),
    temperature: optionalNumber(body, 'temperature', 0, 2),
    topP: optionalNumber(body, 'top_p', 0, 1),
    stop: [],
    tools: toolChoice === 'none' ? [] : tools,
    toolChoice,
    responseFormat,
    skippedTools: skipped,
    echo: {
      tools: Array.isArray(body.tools) ? body.tools : [],
      toolChoice: body.tool_choice ?? 'auto',
      text: { format: text?.format ?? { type: 'text' } },
      parallelToolCalls: body.parallel_tool_calls !== false,
      metadata: isObject(body.metadata) ? body.metadata : {},
    },
  };
}
