// A small client for the parts of Ollama's HTTP API (docs/api.md, docs.ollama.com/api) the
// trainer-server uses: blobs (HEAD/POST /api/blobs/sha256:<hex>), create (POST /api/create with
// `from`, `adapters` as {file name: "sha256:<hex>"}, template, system, parameters), delete
// (DELETE /api/delete), the local model list (GET /api/tags) and streaming chat (POST /api/chat,
// newline-delimited JSON). Every failure is an OllamaApiError that says which call failed and why.
import { createReadStream } from 'node:fs';
import * as fs from 'node:fs';
import { Readable } from 'node:stream';

export interface OllamaApiOptions {
  baseUrl: string;
  /** Applied to management calls (blob upload, create, delete); generation is bounded by its caller. */
  timeoutMs?: number;
}

export class OllamaApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface OllamaCreateRequest {
  model: string;
  from: string;
  /** File name (as in the adapter folder) -> "sha256:<hex>" of a blob already uploaded. */
  adapters?: Record<string, string>;
  template?: string;
  system?: string;
  parameters?: Record<string, unknown>;
}

export interface OllamaChatMessage { role: string; content: string }

export interface OllamaChatRequest {
  model: string;
  messages: OllamaChatMessage[];
  options?: Record<string, unknown>;
}

/** The final object of a /api/chat stream (done: true), with the counts Ollama reports. */
export interface OllamaChatDone {
  model: string;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
}

export class OllamaApi {
  constructor(private readonly options: OllamaApiOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl.replace(/\/+$/, '').replace(/\/(v1|api)$/, '');
  }

  /** True when Ollama already holds the blob (HEAD answers 200; 404 otherwise). */
  async hasBlob(digest: string): Promise<boolean> {
    const response = await this.send('HEAD', `/api/blobs/${digest}`);
    if (response.status === 200) return true;
    if (response.status === 404) return false;
    throw new OllamaApiError(response.status, `Ollama could not check blob ${digest}: HTTP ${response.status}`);
  }

  /** Uploads a file as the blob `digest`; Ollama recomputes the SHA-256 and refuses a mismatch (400). */
  async pushBlob(digest: string, file: string): Promise<void> {
    const size = (await fs.promises.stat(file)).size;
    const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
    const response = await this.send('POST', `/api/blobs/${digest}`, body, { 'content-type': 'application/octet-stream', 'content-length': String(size) });
    if (response.status !== 201 && response.status !== 200) {
      throw new OllamaApiError(response.status, `Ollama refused blob ${digest} (${file}): ${await errorText(response)}`);
    }
  }

  /** Creates (or replaces) a model; reads the status stream to its end and fails on any error in it. */
  async create(request: OllamaCreateRequest): Promise<string[]> {
    const response = await this.send('POST', '/api/create', JSON.stringify({ ...request, stream: true }), { 'content-type': 'application/json' });
    if (!response.ok) throw new OllamaApiError(response.status, `Ollama could not create ${request.model}: ${await errorText(response)}`);
    const statuses: string[] = [];
    for await (const line of jsonLines(response)) {
      if (typeof line.error === 'string') throw new OllamaApiError(500, `Ollama could not create ${request.model}: ${line.error}`);
      if (typeof line.status === 'string') statuses.push(line.status);
    }
    if (statuses.at(-1) !== 'success') throw new OllamaApiError(502, `Ollama's create stream for ${request.model} ended without "success" (last: ${statuses.at(-1) ?? 'nothing'})`);
    return statuses;
  }

  /** Deletes a model; a model that is already gone (404) is not an error. */
  async delete(model: string): Promise<boolean> {
    // `model` is the current field; `name` is what Ollama releases before 0.5.5 read.
    const response = await this.send('DELETE', '/api/delete', JSON.stringify({ model, name: model }), { 'content-type': 'application/json' });
    if (response.status === 404) return false;
    if (!response.ok) throw new OllamaApiError(response.status, `Ollama could not delete ${model}: ${await errorText(response)}`);
    return true;
  }

  /** The names of the models Ollama holds locally. */
  async listModels(): Promise<string[]> {
    const response = await this.send('GET', '/api/tags');
    if (!response.ok) throw new OllamaApiError(response.status, `Ollama could not list models: ${await errorText(response)}`);
    const body = (await response.json()) as { models?: Array<{ name?: string; model?: string }> };
    return (body.models ?? []).map((m) => m.model ?? m.name ?? '').filter(Boolean);
  }

  /** Streams a chat: `onText` gets each piece of the answer; resolves with the final (done) object. */
  async chat(request: OllamaChatRequest, onText: (text: string) => void, signal?: AbortSignal): Promise<OllamaChatDone> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/api/chat`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...request, stream: true }), signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new OllamaApiError(0, `Ollama at ${this.baseUrl} cannot be reached: ${(error as Error).message}`);
    }
    if (!response.ok) throw new OllamaApiError(response.status, `Ollama could not chat with ${request.model}: ${await errorText(response)}`);
    try {
      for await (const line of jsonLines(response)) {
        if (typeof line.error === 'string') throw new OllamaApiError(500, `Ollama failed while answering with ${request.model}: ${line.error}`);
        const message = line.message as { content?: unknown } | undefined;
        if (typeof message?.content === 'string' && message.content) onText(message.content);
        if (line.done === true) return line as unknown as OllamaChatDone;
      }
    } catch (error) {
      if (signal?.aborted || error instanceof OllamaApiError) throw error;
      throw new OllamaApiError(502, `Ollama's chat stream for ${request.model} broke: ${(error as Error).message}`);
    }
    throw new OllamaApiError(502, `Ollama's chat stream for ${request.model} ended before "done"`);
  }

  private async send(method: string, route: string, body?: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Promise<Response> {
    try {
      return await fetch(`${this.baseUrl}${route}`, {
        method, headers, body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 600_000),
        ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
      } as RequestInit);
    } catch (error) {
      throw new OllamaApiError(0, `Ollama at ${this.baseUrl} cannot be reached (${method} ${route}): ${(error as Error).message}`);
    }
  }
}

/** Ollama answers errors as {"error": "..."}; anything else is shown as it came. */
async function errorText(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: fall through
  }
  return text || `HTTP ${response.status}`;
}

/** Newline-delimited JSON objects from a response body, however the bytes are split into chunks. */
async function* jsonLines(response: Response): AsyncGenerator<Record<string, unknown>> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline).trim();
      pending = pending.slice(newline + 1);
      if (line) yield parseLine(line);
    }
  }
  pending += decoder.decode();
  if (pending.trim()) yield parseLine(pending.trim());
}

function parseLine(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new OllamaApiError(502, `Ollama sent a line that is not JSON: ${line.slice(0, 200)}`);
  }
}
