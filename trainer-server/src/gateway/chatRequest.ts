// Reading a POST /v1/chat/completions body into what the engine needs, refusing anything malformed
// with the parameter it is about (OpenAI style). Function tools go to the model (toolCalls.ts);
// response_format is honoured or refused (responseFormat.ts); a few fields a local model cannot honour
// (logit_bias, user...) are accepted and ignored; n > 1 is refused.
import { invalidParam, OpenAIError } from './openaiErrors';
import { checkOptionalBoolean, isObject, MAX_TOKENS_LIMIT, optionalNumber, requestBodyWithModel } from './requestFields';
import { parseResponseFormat, type ResponseFormat } from './responseFormat';
import { parseFunctionTool, parseToolChoice, toolCallsAsText, toolResultAsText, type FunctionTool, type ToolChoice } from './toolCalls';

export interface ChatRequest {
  model: string;
  messages: Array<{ role: 'system' | 'user' | 'assistant' | 'tool'; content: string }>;
  stream: boolean;
  includeUsage: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  seed?: number;
  stop: string[];
  /** Function tools the model may call (none when tool_choice is 'none'). */
  tools: FunctionTool[];
  toolChoice: ToolChoice;
  responseFormat: ResponseFormat;
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

function contentText(content: unknown, param: string): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((part, i) => {
      if (!isObject(part) || typeof part.type !== 'string') throw invalidParam(`${param}[${i}]`, `${param}[${i}] must be a content part object with a "type"`);
      if (part.type !== 'text') throw invalidParam(`${param}[${i}].type`, `content parts of type '${part.type}' are not supported by this text-only model`);
      if (typeof part.text !== 'string') throw invalidParam(`${param}[${i}].text`, `${param}[${i}].text must be a string`);
      return part.text;
    }).join('');
  }
  throw invalidParam(param, `${param} must be a string or an array of content parts`);
}

export function parseChatRequest(rawBody: unknown): ChatRequest {
  const body = requestBodyWithModel(rawBody);
  if (!Array.isArray(body.messages)) throw new OpenAIError(400, "'messages' is a required property and must be an array", 'invalid_request_error', 'messages', 'missing_required_parameter');
  if (body.messages.length === 0) throw invalidParam('messages', "'messages' must contain at least one message");
  const messages = body.messages.map((message, i) => {
    if (!isObject(message)) throw invalidParam(`messages[${i}]`, `messages[${i}] must be an object with "role" and "content"`);
    if (typeof message.role !== 'string' || !ROLES.has(message.role)) {
      throw invalidParam(`messages[${i}].role`, `messages[${i}].role must be one of system, developer, user, assistant, tool; got ${JSON.stringify(message.role)}`);
    }
    const role = (message.role === 'developer' ? 'system' : message.role) as ChatRequest['messages'][number]['role'];
    const content = contentText(message.content, `messages[${i}].content`);
    // Tool calls and results become text in the model's tool convention: what the model saw and what capture records.
    if (role === 'tool') return { role, content: toolResultAsText(content) };
    if (role === 'assistant' && message.tool_calls !== undefined && message.tool_calls !== null) {
      const calls = assistantToolCalls(message.tool_calls, `messages[${i}].tool_calls`);
      return { role, content: [content, toolCallsAsText(calls)].filter((t) => t !== '').join('\n') };
    }
    return { role, content };
  });
  const n = optionalNumber(body, 'n', 1, 128, true);
  if (n !== undefined && n !== 1) throw invalidParam('n', "only n=1 is supported");
  checkOptionalBoolean(body, 'stream');
  if (body.stream_options !== undefined && body.stream_options !== null && !isObject(body.stream_options)) throw invalidParam('stream_options', "'stream_options' must be an object");
  const stop = body.stop === undefined || body.stop === null ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (!Array.isArray(stop) || stop.length > 4 || !stop.every((s) => typeof s === 'string' && s.length > 0)) {
    throw invalidParam('stop', "'stop' must be a non-empty string or an array of up to 4 non-empty strings");
  }
  const maxTokens = optionalNumber(body, 'max_completion_tokens', 1, MAX_TOKENS_LIMIT, true) ?? optionalNumber(body, 'max_tokens', 1, MAX_TOKENS_LIMIT, true);
  if (body.tools !== undefined && body.tools !== null && !Array.isArray(body.tools)) throw invalidParam('tools', "'tools' must be an array");
  const tools = Array.isArray(body.tools) ? body.tools.map((tool, i) => parseFunctionTool(tool, `tools[${i}]`)) : [];
  const toolChoice = parseToolChoice(body.tool_choice, tools);
  return {
    model: body.model,
    messages,
    stream: body.stream === true,
    includeUsage: isObject(body.stream_options) && body.stream_options.include_usage === true,
    maxTokens,
    temperature: optionalNumber(body, 'temperature', 0, 2),
    topP: optionalNumber(body, 'top_p', 0, 1),
    seed: optionalNumber(body, 'seed', -(2 ** 53), 2 ** 53, true),
    stop,
    tools: toolChoice === 'none' ? [] : tools,
    toolChoice,
    responseFormat: parseResponseFormat(body.response_format, 'response_format'),
  };
}

function assistantToolCalls(value: unknown, param: string): Array<{ function: { name: string; arguments: string } }> {
  if (!Array.isArray(value)) throw invalidParam(param, `${param} must be an array`);
  return value.map((call, i) => {
    const fn = isObject(call) ? call.function : undefined;
    if (!isObject(fn) || typeof fn.name !== 'string' || typeof fn.arguments !== 'string') {
      throw invalidParam(`${param}[${i}]`, `${param}[${i}] must be {"type": "function", "function": {"name": string, "arguments": string}}`);
    }
    return { function: { name: fn.name, arguments: fn.arguments } };
  });
}
