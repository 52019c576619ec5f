// vllmDouble: a small HTTP stand-in for a vLLM OpenAI server's runtime LoRA API, since no vLLM (or
// GPU) runs here. It follows vLLM's documented contract (docs "Dynamically serving LoRA Adapters",
// vllm/entrypoints/openai/serving_models.py): the routes exist only with
// VLLM_ALLOW_RUNTIME_LORA_UPDATING=True; load needs lora_name and lora_path (400 otherwise), refuses a
// name already loaded (400), answers 404 when no adapter is found at the path, and returns a text
// "Success: ..." message; unload of an unknown name is 404; GET /v1/models lists the base model and
// each adapter with its parent. Errors use vLLM's ErrorResponse shape {object, message, type, code}.
// Generation: POST /v1/chat/completions as vLLM's OpenAI server answers it, streaming included: `model`
// is the base or a loaded adapter's lora_name (404 "The model `x` does not exist." otherwise), the
// answer is words that name the model (`[model] w1 w2 ...`, one word per token and per chunk, every
// tokenDelayMs), `stop` and `max_tokens` end it, stream_options.include_usage adds the usage chunk, and
// a client that disconnects aborts it. If the adapter a stream uses is unloaded mid-stream, the stream
// fails with an error chunk, as vLLM does when a LoRA is removed under a running request: tests check
// that this never happens. With flavor 'sglang' it is SGLang's API instead: the LoRA routes have no /v1
// prefix, answer {success, error_message, loaded_adapters}, and the chat model is "<base>:<adapter>".
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export interface DoubleGeneration { model: string; stream: boolean; outcome: 'running' | 'completed' | 'aborted' | 'adapter_gone'; tokens: number; stop: unknown; responseFormat: unknown }

export interface VllmDouble {
  url: string;
  loaded: Map<string, string>;
  calls: Array<{ route: string; body: unknown }>;
  generations: DoubleGeneration[];
  close(): Promise<void>;
}

export interface VllmDoubleOptions { runtimeLoraUpdating?: boolean; apiKey?: string; baseModel?: string; tokenDelayMs?: number; flavor?: 'vllm' | 'sglang' }

export async function startVllmDouble(options: VllmDoubleOptions = {}): Promise<VllmDouble> {
  const loaded = new Map<string, string>();
  const calls: VllmDouble['calls'] = [];
  const generations: DoubleGeneration[] = [];
  const base = options.baseModel ?? 'base';
  const sglang = options.flavor === 'sglang';
  const prefix = sglang ? '' : '/v1';
  const runtime = options.runtimeLoraUpdating ?? true;
  const send = (res: http.ServerResponse, status: number, body: unknown): void => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
    res.end(text);
  };
  const error = (res: http.ServerResponse, status: number, type: string, message: string): void => send(res, status, { object: 'error', message, type, param: null, code: status });
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => { raw += chunk.toString(); });
    req.on('end', () => {
      if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) return send(res, 401, { error: 'Unauthorized' });
      const route = req.url ?? '';
      if (req.method === 'GET' && route === '/v1/models') {
        return send(res, 200, { object: 'list', data: [{ id: base, object: 'model', parent: null }, ...[...loaded].map(([id, root]) => ({ id, object: 'model', root, parent: base }))] });
      }
      if (req.method === 'POST' && route === '/v1/chat/completions') return chat(raw, res);
      const isLoraRoute = route === `${prefix}/load_lora_adapter` || route === `${prefix}/unload_lora_adapter`;
      if (!isLoraRoute || !runtime || req.method !== 'POST') return send(res, 404, { detail: 'Not Found' });
      let body: { lora_name?: string; lora_path?: string };
      try {
        body = JSON.parse(raw);
      } catch {
        return error(res, 400, 'BadRequestError', 'invalid JSON');
      }
      calls.push({ route, body });
      if (sglang) return sglangLora(route, body, res);
      if (route === '/v1/load_lora_adapter') {
        if (!body.lora_name || !body.lora_path) return error(res, 400, 'InvalidUserInput', "Both 'lora_name' and 'lora_path' must be provided.");
        if (loaded.has(body.lora_name)) return error(res, 400, 'InvalidUserInput', `The lora adapter '${body.lora_name}' has already been loaded.`);
        if (!fs.existsSync(path.join(body.lora_path, 'adapter_config.json'))) return error(res, 404, 'NotFoundError', `No adapter found for ${body.lora_path}`);
        loaded.set(body.lora_name, body.lora_path);
        return send(res, 200, `Success: LoRA adapter '${body.lora_name}' added successfully.`);
      }
      if (!body.lora_name) return error(res, 400, 'InvalidUserInput', "either 'lora_name' and 'lora_int_id' needs to be provided.");
      if (!loaded.has(body.lora_name)) return error(res, 404, 'NotFoundError', `The lora adapter '${body.lora_name}' cannot be found.`);
      loaded.delete(body.lora_name);
      return send(res, 200, `Success: LoRA adapter '${body.lora_name}' removed successfully.`);
    });
  });
  const sglangLora = (route: string, body: { lora_name?: string; lora_path?: string }, res: http.ServerResponse): void => {
    const reply = (status: number, failure?: string): void => send(res, status, { success: failure === undefined, error_message: failure ?? '', loaded_adapters: Object.fromEntries(loaded) });
    if (route === '/load_lora_adapter') {
      if (!body.lora_name || !body.lora_path) return reply(400, 'lora_name and lora_path are required');
      if (loaded.has(body.lora_name)) return reply(400, `LoRA adapter ${body.lora_name} already exists`);
      if (!fs.existsSync(path.join(body.lora_path, 'adapter_config.json'))) return reply(400, `cannot load LoRA from ${body.lora_path}`);
      loaded.set(body.lora_name, body.lora_path);
      return reply(200);
    }
    if (!body.lora_name || !loaded.has(body.lora_name)) return reply(400, `LoRA adapter ${body.lora_name} is not loaded`);
    loaded.delete(body.lora_name);
    return reply(200);
  };

  /** The adapter a chat model name uses (null: the base), or undefined when no such model is served. */
  const adapterOf = (model: string): string | null | undefined => {
    if (model === base) return null;
    const name = sglang ? (model.startsWith(`${base}:`) ? model.slice(base.length + 1) : undefined) : model;
    return name !== undefined && loaded.has(name) ? name : undefined;
  };

  const chat = (raw: string, res: http.ServerResponse): void => {
    let body: { model?: string; messages?: unknown[]; stream?: boolean; max_tokens?: number; stop?: string | string[]; stream_options?: { include_usage?: boolean }; response_format?: unknown };
    try {
      body = JSON.parse(raw);
    } catch {
      return error(res, 400, 'BadRequestError', 'invalid JSON');
    }
    const model = String(body.model);
    const adapter = adapterOf(model);
    if (adapter === undefined) return error(res, 404, 'NotFoundError', `The model \`${model}\` does not exist.`);
    if (!Array.isArray(body.messages) || body.messages.length === 0) return error(res, 400, 'BadRequestError', 'messages must be a non-empty list');
    const stops = body.stop === undefined ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop;
    const words = [`[${model}]`, ...Array.from({ length: 200 }, (_, i) => `w${i + 1}`)].map((w, i) => (i === 0 ? w : ` ${w}`));
    const record: DoubleGeneration = { model, stream: body.stream === true, outcome: 'running', tokens: 0, stop: body.stop, responseFormat: body.response_format };
    generations.push(record);
    const maxTokens = body.max_tokens ?? 16;
    const id = `chatcmpl-double-${generations.length}`;
    let text = '';
    let finish: 'stop' | 'length' | null = null;
    const nextPiece = (): string | null => {
      if (finish) return null;
      if (record.tokens >= maxTokens) { finish = 'length'; return null; }
      const candidate = text + words[record.tokens];
      record.tokens++;
      const cut = Math.min(...stops.map((s) => candidate.indexOf(s)).filter((at) => at >= 0));
      if (Number.isFinite(cut)) { finish = 'stop'; const piece = candidate.slice(text.length, Math.max(text.length, cut)); text = candidate.slice(0, Math.max(text.length, cut)); return piece; }
      const piece = candidate.slice(text.length);
      text = candidate;
      return piece;
    };
    const usage = (): Record<string, number> => ({ prompt_tokens: 7, completion_tokens: record.tokens, total_tokens: 7 + record.tokens });
    if (!body.stream) {
      while (nextPiece() !== null) { /* the whole answer */ }
      record.outcome = 'completed';
      return send(res, 200, { id, object: 'chat.completion', created: 0, model, choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finish }], usage: usage() });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (delta: Record<string, unknown>, finishReason: string | null): string => `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
    res.write(chunk({ role: 'assistant', content: '' }, null));
    res.on('close', () => { if (record.outcome === 'running') record.outcome = 'aborted'; });
    const tick = (): void => {
      if (record.outcome !== 'running') return;
      if (adapter !== null && !loaded.has(adapter)) {
        record.outcome = 'adapter_gone';
        res.end(`data: ${JSON.stringify({ object: 'error', message: `LoRA adapter ${adapter} was removed while the request ran`, type: 'InternalServerError', code: 500 })}\n\n`);
        return;
      }
      const piece = nextPiece();
      if (piece) res.write(chunk({ content: piece }, null));
      if (finish) {
        res.write(chunk({}, finish));
        if (body.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [], usage: usage() })}\n\n`);
        record.outcome = 'completed';
        res.end('data: [DONE]\n\n');
        return;
      }
      setTimeout(tick, options.tokenDelayMs ?? 0);
    };
    tick();
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    loaded,
    calls,
    generations,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
