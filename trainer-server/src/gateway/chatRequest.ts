// Reading a POST /v1/chat/completions body into what the engine needs, refusing anything malformed
// with the parameter it is about (OpenAI style). Fields real clients send but a local model cannot
// honour (tools, response_format, logit_bias...) are accepted and ignored; n > 1 is refused.
import { invalidParam, OpenAIError } from './openaiErrors';

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
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
const MAX_TOKENS_LIMIT = 1 << 20;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

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

function optionalNumber(body: Record<string, unknown>, key: string, min: number, max: number, integer = false): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw invalidParam(key, `'${key}' must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}; got ${JSON.stringify(value)}`);
  }
  return value;
}

export function parseChatRequest(body: unknown): ChatRequest {
  if (!isObject(body)) throw new OpenAIError(400, 'The request body must be a JSON object.');
  if (typeof body.model !== 'string' || body.model === '') throw new OpenAIError(400, "you must provide a model parameter ('autodidact' serves the live version)", 'invalid_request_error', 'model', 'missing_required_parameter');
  if (!Array.isArray(body.messages)) throw new OpenAIError(400, "'messages' is a required property and must be an array", 'invalid_request_error', 'messages', 'missing_required_parameter');
  if (body.messages.length === 0) throw invalidParam('messages', "'messages' must contain at least one message");
  const messages = body.messages.map((message, i) => {
    if (!isObject(message)) throw invalidParam(`messages[${i}]`, `messages[${i}] must be an object with "role" and "content"`);
    if (typeof message.role !== 'string' || !ROLES.has(message.role)) {
      throw invalidParam(`messages[${i}].role`, `messages[${i}].role must be one of system, developer, user, assistant, tool; got ${JSON.stringify(message.role)}`);
    }
    const role = (message.role === 'developer' ? 'system' : message.role) as ChatRequest['messages'][number]['role'];
    return { role, content: contentText(message.content, `messages[${i}].content`) };
  });
  const n = optionalNumber(body, 'n', 1, 128, true);
  if (n !== undefined && n !== 1) throw invalidParam('n', "only n=1 is supported");
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') throw invalidParam('stream', "'stream' must be a boolean");
  if (body.stream_options !== undefined && body.stream_options !== null && !isObject(body.stream_options)) throw invalidParam('stream_options', "'stream_options' must be an object");
  const stop = body.stop === undefined || body.stop === null ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (!Array.isArray(stop) || stop.length > 4 || !stop.every((s) => typeof s === 'string' && s.length > 0)) {
    throw invalidParam('stop', "'stop' must be a non-empty string or an array of up to 4 non-empty strings");
  }
  const maxTokens = optionalNumber(body, 'max_completion_tokens', 1, MAX_TOKENS_LIMIT, true) ?? optionalNumber(body, 'max_tokens', 1, MAX_TOKENS_LIMIT, true);
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
  };
}
