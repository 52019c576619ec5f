// Errors in the shape OpenAI's API and clients expect: {error: {message, type, param, code}} with a
// matching HTTP status, so Continue, Cline, Aider and the openai SDK show the message as is.
import type { ServerResponse } from 'node:http';

export class OpenAIError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string = 'invalid_request_error',
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }

  body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function sendOpenAIError(res: ServerResponse, error: OpenAIError): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(error.body());
  res.writeHead(error.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function invalidParam(param: string, message: string): OpenAIError {
  return new OpenAIError(400, message, 'invalid_request_error', param, 'invalid_value');
}

export function modelNotFound(model: string): OpenAIError {
  return new OpenAIError(404, `The model '${model}' does not exist. GET /v1/models lists the versions this server has.`, 'invalid_request_error', 'model', 'model_not_found');
}
