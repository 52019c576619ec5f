// Checks shared by the two request readers (chatRequest.ts for /v1/chat/completions, responsesRequest.ts
// for /v1/responses), so both refuse the same malformed field with the same OpenAI-style error.
import { invalidParam, OpenAIError } from './openaiErrors';

/** Largest max_tokens / max_output_tokens accepted; the engine caps an answer far below it anyway. */
export const MAX_TOKENS_LIMIT = 1 << 20;

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as an object with a non-empty `model`, or the error both APIs answer for a missing one. */
export function requestBodyWithModel(body: unknown): Record<string, unknown> & { model: string } {
  if (!isObject(body)) throw new OpenAIError(400, 'The request body must be a JSON object.');
  if (typeof body.model !== 'string' || body.model === '') throw new OpenAIError(400, "you must provide a model parameter ('autodidact' serves the live version)", 'invalid_request_error', 'model', 'missing_required_parameter');
  return body as Record<string, unknown> & { model: string };
}

/** Refuses a `key` that is present (not null) but not a boolean. */
export function checkOptionalBoolean(body: Record<string, unknown>, key: string): void {
  if (body[key] !== undefined && body[key] !== null && typeof body[key] !== 'boolean') throw invalidParam(key, `'${key}' must be a boolean`);
}

/** `body[key]` when present (not null), checked to be a finite number (an integer if asked) in [min, max]. */
export function optionalNumber(body: Record<string, unknown>, key: string, min: number, max: number, integer = false): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw invalidParam(key, `'${key}' must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}; got ${JSON.stringify(value)}`);
  }
  return value;
}
