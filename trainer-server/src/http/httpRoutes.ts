// Every HTTP request: guards first (Origin, Host, token), then the OpenAI-compatible routes. Bodies
// are read up to a size limit; anything unexpected is answered with an OpenAI-style error.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkHttpToken, checkOriginAndHost, type GuardOptions } from '../auth/requestGuards';
import { handleChatCompletions, replyError, type GatewayDeps } from '../gateway/chatCompletions';
import { RECALL_OFF_HEADER } from '../gateway/gatewayRecall';
import { withHeaderDefaults } from '../gateway/clientDefaults';
import { recordedByClient } from '../gateway/clientRecording';
import { getModel, listModels } from '../gateway/modelsRoute';
import { handleResponses } from '../gateway/responsesApi';
import { OpenAIError } from '../gateway/openaiErrors';
import type { VersionsSnapshot } from '../../../extension/protocol/trainerProtocol';

export interface HttpDeps extends GatewayDeps {
  guards: GuardOptions;
  maxBodyBytes: number;
  versions(): Promise<VersionsSnapshot>;
}

export function httpRequestListener(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    route(req, res, deps).catch((error: unknown) => replyError(res, error));
  };
}

async function route(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): Promise<void> {
  const guard = checkOriginAndHost(req, deps.guards);
  const auth = guard.ok ? checkHttpToken(req, deps.guards) : guard;
  if (!auth.ok) {
    req.resume();
    throw new OpenAIError(auth.status, auth.message, 'invalid_request_error', null, auth.status === 401 ? 'invalid_api_key' : 'forbidden');
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const pathname = url.pathname.replace(/\/+$/, '');
  if (pathname === '/v1/chat/completions' || pathname === '/v1/responses') {
    if (req.method !== 'POST') throw methodNotAllowed(req, 'POST');
    const body = withHeaderDefaults(await readJsonBody(req, deps.maxBodyBytes), req.headers);
    const captureOptions = {
      // 'measure': a lesson's advantage being measured; its samples are neither recalled into nor captured.
      record: !recordedByClient(req.headers) && req.headers[RECALL_OFF_HEADER] !== 'measure',
      serverToken: deps.guards.token, recall: !['off', 'measure'].includes(String(req.headers[RECALL_OFF_HEADER])),
    };
    await (pathname === '/v1/responses' ? handleResponses : handleChatCompletions)(body, res, deps, captureOptions);
    return;
  }
  if (pathname === '/v1/models' || pathname.startsWith('/v1/models/')) {
    if (req.method !== 'GET') throw methodNotAllowed(req, 'GET');
    const snapshot = await deps.versions();
    const id = decodeURIComponent(pathname.slice('/v1/models/'.length));
    sendJson(res, pathname === '/v1/models' ? listModels(snapshot) : getModel(snapshot, id));
    return;
  }
  req.resume();
  throw new OpenAIError(404, `Unknown route ${req.method} ${url.pathname}; this server offers GET /v1/models, POST /v1/chat/completions and POST /v1/responses`, 'invalid_request_error', null, 'unknown_url');
}

function methodNotAllowed(req: IncomingMessage, allowed: string): OpenAIError {
  req.resume();
  return new OpenAIError(405, `Method ${req.method} is not allowed here; use ${allowed}`, 'invalid_request_error', null, 'method_not_allowed');
}

function sendJson(res: ServerResponse, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    throw new OpenAIError(413, `The request body is ${declared} bytes; the limit is ${limit}`, 'invalid_request_error', null, 'request_too_large');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new OpenAIError(413, `The request body exceeds the limit of ${limit} bytes`, 'invalid_request_error', null, 'request_too_large');
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OpenAIError(400, `We could not parse the JSON body of your request: ${(error as Error).message}`, 'invalid_request_error', null, 'invalid_json');
  }
}

