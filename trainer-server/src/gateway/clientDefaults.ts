// Sampling defaults a client can set by header when it cannot send them in the body. Codex CLI never
// sends `temperature`, but its model provider config can add headers (`http_headers`), so a user of a
// small local model can ask for greedy answers with `x-autodidact-temperature: 0`. A value in the body
// always wins; a malformed header is a 400, never silently ignored.
import type { IncomingHttpHeaders } from 'node:http';
import { OpenAIError } from './openaiErrors';

export const TEMPERATURE_HEADER = 'x-autodidact-temperature';

export function withHeaderDefaults(body: unknown, headers: IncomingHttpHeaders): unknown {
  const raw = headers[TEMPERATURE_HEADER];
  if (raw === undefined || typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const value = Array.isArray(raw) ? Number.NaN : Number(raw);
  if (String(raw).trim() === '' || !Number.isFinite(value) || value < 0 || value > 2) {
    throw new OpenAIError(400, `The ${TEMPERATURE_HEADER} header must be a number between 0 and 2; got ${JSON.stringify(raw)}`, 'invalid_request_error', TEMPERATURE_HEADER, 'invalid_value');
  }
  const request = body as Record<string, unknown>;
  return request.temperature === undefined || request.temperature === null ? { ...request, temperature: value } : body;
}
