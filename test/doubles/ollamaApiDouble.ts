// ollamaApiDouble: a DOUBLE of Ollama's HTTP API on real loopback HTTP, since Ollama cannot run on
// these machines. It follows Ollama's documented contract (docs/api.md, docs.ollama.com/api):
// - HEAD /api/blobs/sha256:<hex>: 200 when the blob exists, 404 otherwise.
// - POST /api/blobs/sha256:<hex>: the body's SHA-256 must equal the digest (400 otherwise); 201 Created.
// - POST /api/create {model, from, adapters: {file: digest}, template, system, parameters, stream}:
//   `from` must name a model it holds, every adapter digest must be an uploaded blob, the adapter is a
//   safetensors one (adapter_config.json + *.safetensors) or GGUF file(s); answers a stream of
//   {"status": ...} lines ending in {"status":"success"} (or one {"error": ...} line).
// - DELETE /api/delete {model} (older: {name}): 200, or 404 {"error": ...} for an unknown model.
// - GET /api/tags: {models: [{name, model, digest, ...}]}.
// - POST /api/chat {model, messages, options, stream}: 404 {"error": "model ... not found"} for an unknown
//   model; otherwise newline-delimited chunks {model, created_at, message: {role, content}, done: false}
//   and a final {done: true, done_reason: "stop"|"length", prompt_eval_count, eval_count}.
//   options.num_predict limits the pieces, options.stop ends before the first stop string. The prompt
//   is built as Ollama does: the model's SYSTEM first when the chat does not start with a system
//   message, then its TEMPLATE over .Messages (goTemplateSubset.ts), and recorded for the test.
// It is not a model: the answer is a fixed text naming the model, so a test can tell which tag served.
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderGoTemplate, type TemplateMessage } from './goTemplateSubset';

export interface CreatedModel {
  from: string;
  adapters: Record<string, string>;
  template?: string;
  system?: string;
  parameters?: Record<string, unknown>;
}

export interface OllamaDouble {
  url: string;
  blobs: Map<string, Buffer>;
  models: Map<string, CreatedModel | { base: true }>;
  /** Every request, in order: method, path and parsed JSON body (blob bodies as their byte length). */
  calls: Array<{ method: string; path: string; body: unknown }>;
  chats: Array<{ model: string; messages: unknown; options: Record<string, unknown>; disconnected: boolean; prompt?: string }>;
  /** The words /api/chat streams for `model` (one word = one token). */
  answerFor(model: string): string[];
  close(): Promise<void>;
}

export interface OllamaDoubleOptions {
  /** Models already pulled (e.g. the base 'smollm2:135m'). */
  baseModels?: string[];
  /** Delay between streamed chat chunks, to keep requests in flight. */
  chunkDelayMs?: number;
  /** Simulates Ollama dying mid-answer: the connection is destroyed after this many chat chunks. */
  breakAfterChunks?: number;
}

/** Ollama's rule: a name is [namespace/]model[:tag]; the tag defaults to latest. */
function normalName(name: string): string {
  return name.includes(':') ? name : `${name}:latest`;
}

export async function startOllamaDouble(options: OllamaDoubleOptions = {}): Promise<OllamaDouble> {
  const blobs = new Map<string, Buffer>();
  const models = new Map<string, CreatedModel | { base: true }>();
  for (const base of options.baseModels ?? ['smollm2:135m']) models.set(normalName(base), { base: true });
  const calls: OllamaDouble['calls'] = [];
  const chats: OllamaDouble['chats'] = [];
  const answerFor = (model: string): string[] => `Served by ${normalName(model)} through the Ollama double .`.split(' ');
  const json = (res: http.ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const chunkDelayMs = options.chunkDelayMs ?? 0;
  const breakAfterChunks = options.breakAfterChunks ?? Infinity;
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://double');
      const route = url.pathname;
      const blobMatch = /^\/api\/blobs\/(sha256:[0-9a-f]{64})$/.exec(route);
      if (blobMatch) {
        calls.push({ method: req.method ?? '', path: route, body: raw.length });
        const digest = blobMatch[1];
        if (req.method === 'HEAD') {
          res.writeHead(blobs.has(digest) ? 200 : 404);
          res.end();
          return;
        }
        if (req.method !== 'POST') return json(res, 405, { error: 'method not allowed' });
        const actual = `sha256:${createHash('sha256').update(raw).digest('hex')}`;
        if (actual !== digest) return json(res, 400, { error: `digest mismatch, expected "${digest}", got "${actual}"` });
        blobs.set(digest, raw);
        res.writeHead(201);
        res.end();
        return;
      }
      let body: Record<string, unknown> = {};
      if (raw.length) {
        try {
          body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
        } catch {
          return json(res, 400, { error: 'invalid JSON' });
        }
      }
      calls.push({ method: req.method ?? '', path: route, body });
      if (req.method === 'GET' && route === '/api/tags') {
        return json(res, 200, { models: [...models.keys()].map((name) => ({ name, model: name, digest: createHash('sha256').update(name).digest('hex'), details: { format: 'gguf', family: 'llama' } })) });
      }
      if (req.method === 'POST' && route === '/api/create') return create(body, res);
      if (req.method === 'DELETE' && route === '/api/delete') {
        const name = typeof body.model === 'string' ? body.model : typeof body.name === 'string' ? body.name : '';
        if (!name) return json(res, 400, { error: 'model is required' });
        if (!models.delete(normalName(name))) return json(res, 404, { error: `model '${name}' not found` });
        res.writeHead(200);
        res.end();
        return;
      }
      if (req.method === 'POST' && route === '/api/chat') {
        void chat(body, req, res);
        return;
      }
      json(res, 404, { error: `404 page not found: ${req.method} ${route}` });
    });
  });

  function create(body: Record<string, unknown>, res: http.ServerResponse): void {
    if (typeof body.model !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?$/.test(body.model)) {
      return json(res, 400, { error: 'invalid model name' });
    }
    if (typeof body.from !== 'string') return json(res, 400, { error: 'neither \'from\' or \'files\' was specified' });
    const adapters = (body.adapters ?? {}) as Record<string, unknown>;
    if (typeof adapters !== 'object' || Array.isArray(adapters)) return json(res, 400, { error: 'adapters must be an object of file names to digests' });
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const line = (value: unknown): boolean => res.write(`${JSON.stringify(value)}\n`);
    if (!models.has(normalName(body.from))) {
      line({ error: 'pull model manifest: file does not exist' });
      return void res.end();
    }
    const names = Object.keys(adapters);
    for (const [name, digest] of Object.entries(adapters)) {
      if (typeof digest !== 'string' || !blobs.has(digest)) {
        line({ error: `blob ${String(digest)} for ${name} was not uploaded` });
        return void res.end();
      }
    }
    // Ollama takes a safetensors adapter (its config plus weights) or GGUF LoRA files (told by the GGUF magic).
    const gguf = names.length > 0 && names.every((n) => blobs.get(adapters[n] as string)?.subarray(0, 4).toString('latin1') === 'GGUF');
    const safetensors = names.includes('adapter_config.json') && names.some((n) => n.endsWith('.safetensors'));
    if (names.length && !gguf && !safetensors) {
      line({ error: 'unknown adapter format: expected adapter_config.json and a .safetensors file, or GGUF files' });
      return void res.end();
    }
    line({ status: 'using existing layer' });
    if (names.length) line({ status: 'converting adapter' });
    line({ status: 'writing manifest' });
    models.set(normalName(body.model), {
      from: body.from, adapters: adapters as Record<string, string>,
      ...(typeof body.template === 'string' ? { template: body.template } : {}),
      ...(typeof body.system === 'string' ? { system: body.system } : {}),
      ...(body.parameters ? { parameters: body.parameters as Record<string, unknown> } : {}),
    });
    line({ status: 'success' });
    res.end();
  }

  async function chat(body: Record<string, unknown>, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const model = typeof body.model === 'string' ? body.model : '';
    if (!models.has(normalName(model))) return json(res, 404, { error: `model "${model}" not found, try pulling it first` });
    const options = (body.options ?? {}) as Record<string, unknown>;
    const record = { model, messages: body.messages, options, disconnected: false, prompt: promptOf(models.get(normalName(model)), body.messages as TemplateMessage[]) };
    chats.push(record);
    res.on('close', () => { if (!res.writableFinished) record.disconnected = true; });
    const limit = typeof options.num_predict === 'number' ? options.num_predict : Infinity;
    const stops = Array.isArray(options.stop) ? options.stop.filter((s): s is string => typeof s === 'string') : [];
    const words = answerFor(model);
    const stream = body.stream !== false;
    const created = (): string => new Date().toISOString();
    let text = '';
    let count = 0;
    let reason = 'stop';
    if (stream) res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    for (const word of words) {
      if (count >= limit) { reason = 'length'; break; }
      const piece = count === 0 ? word : ` ${word}`;
      const stopAt = stops.map((s) => (text + piece).indexOf(s)).filter((i) => i >= 0).sort((a, b) => a - b)[0];
      if (stopAt !== undefined) {
        const kept = (text + piece).slice(0, stopAt).slice(text.length);
        if (kept && stream) res.write(`${JSON.stringify({ model, created_at: created(), message: { role: 'assistant', content: kept }, done: false })}\n`);
        text += kept;
        break;
      }
      if (record.disconnected) return;
      if (chunkDelayMs > 0) await sleep(chunkDelayMs);
      if (count >= breakAfterChunks) return void res.destroy();
      if (stream) res.write(`${JSON.stringify({ model, created_at: created(), message: { role: 'assistant', content: piece }, done: false })}\n`);
      text += piece;
      count++;
    }
    const final = {
      model, created_at: created(), message: { role: 'assistant', content: stream ? '' : text }, done: true, done_reason: reason,
      total_duration: 1, load_duration: 1, prompt_eval_count: JSON.stringify(body.messages ?? []).length, prompt_eval_duration: 1, eval_count: count, eval_duration: 1,
    };
    if (stream) res.end(`${JSON.stringify(final)}\n`);
    else json(res, 200, final);
  }

  /** The prompt Ollama builds from a created model's SYSTEM and TEMPLATE; undefined for a pulled base. */
  function promptOf(model: CreatedModel | { base: true } | undefined, messages: TemplateMessage[]): string | undefined {
    if (!model || 'base' in model || model.template === undefined) return undefined;
    const withSystem = model.system !== undefined && messages[0]?.role !== 'system' ? [{ role: 'system', content: model.system }, ...messages] : messages;
    return renderGoTemplate(model.template, withSystem);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, blobs, models, calls, chats, answerFor,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
