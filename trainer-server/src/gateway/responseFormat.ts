// `response_format` (Chat Completions) and `text.format` (Responses): JSON output is honoured only
// where the backend constrains decoding to it (llama.cpp grammars, vLLM guided decoding). Where it
// cannot, the request gets a clear 400: a format that is accepted and then ignored would hand an agent
// text it believes is valid JSON. A backend that can constrain says so by implementing
// `ConstrainedDecoding.supportsResponseFormat` on its GenerationBackend (serving/generationBackend.ts)
// and then receives the format as GenerationRequest.responseFormat.
import { invalidParam, OpenAIError } from './openaiErrors';

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema: Record<string, unknown>; strict?: boolean; description?: string } };

/** Implemented by a GenerationBackend that can constrain generation to a format (a grammar, guided decoding). */
export interface ConstrainedDecoding {
  /** True when this backend can hold generation to `format`; it then gets the format with the request. */
  supportsResponseFormat(format: ResponseFormat): boolean;
}

function canConstrain(backend: unknown): backend is ConstrainedDecoding {
  return typeof backend === 'object' && backend !== null && typeof (backend as Partial<ConstrainedDecoding>).supportsResponseFormat === 'function';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses Chat Completions' `response_format` ({type, json_schema: {name, schema, strict}}) or, with
 * `flat`, Responses' `text.format` ({type, name, schema, strict}). Undefined means plain text.
 */
export function parseResponseFormat(value: unknown, param: string, flat = false): ResponseFormat {
  if (value === undefined || value === null) return { type: 'text' };
  if (!isObject(value) || typeof value.type !== 'string') throw invalidParam(param, `'${param}' must be an object with a "type"`);
  if (value.type === 'text') return { type: 'text' };
  if (value.type === 'json_object') return { type: 'json_object' };
  if (value.type === 'json_schema') {
    const spec = flat ? value : value.json_schema;
    const where = flat ? param : `${param}.json_schema`;
    if (!isObject(spec)) throw invalidParam(where, `'${where}' is required for type json_schema`);
    if (typeof spec.name !== 'string' || spec.name === '') throw invalidParam(`${where}.name`, `'${where}.name' is required`);
    if (!isObject(spec.schema)) throw invalidParam(`${where}.schema`, `'${where}.schema' must be a JSON Schema object`);
    return {
      type: 'json_schema',
      json_schema: {
        name: spec.name, schema: spec.schema,
        ...(typeof spec.strict === 'boolean' ? { strict: spec.strict } : {}),
        ...(typeof spec.description === 'string' ? { description: spec.description } : {}),
      },
    };
  }
  throw invalidParam(`${param}.type`, `'${param}.type' must be 'text', 'json_object' or 'json_schema'; got ${JSON.stringify(value.type)}`);
}

/** Throws the 400 unless the format is plain text or the backend can constrain decoding to it. */
export function requireConstrainable(format: ResponseFormat, model: string, backend: unknown, param: string): void {
  if (format.type === 'text') return;
  if (canConstrain(backend) && backend.supportsResponseFormat(format)) return;
  throw new OpenAIError(
    400,
    `${param} of type '${format.type}' needs decoding constrained to JSON, which the backend serving '${model}' cannot do (the built-in Hugging Face engine has no grammar support). Leave ${param} out and ask for JSON in the prompt, or serve this version through a backend with grammars (llama.cpp).`,
    'invalid_request_error', param, 'response_format_unsupported',
  );
}
