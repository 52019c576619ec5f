// vllmDouble: a small HTTP stand-in for a vLLM OpenAI server's runtime LoRA API, since no vLLM (or
// GPU) runs here. It follows vLLM's documented contract (docs "Dynamically serving LoRA Adapters",
// vllm/entrypoints/openai/serving_models.py): the routes exist only with
// VLLM_ALLOW_RUNTIME_LORA_UPDATING=True; load needs lora_name and lora_path (400 otherwise), refuses a
// name already loaded (400), answers 404 when no adapter is found at the path, and returns a text
// "Success: ..." message; unload of an unknown name is 404; GET /v1/models lists the base model and
// each adapter with its parent. Errors use vLLM's ErrorResponse shape {object, message, type, code}.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

export interface VllmDouble {
  url: string;
  loaded: Map<string, string>;
  calls: Array<{ route: string; body: unknown }>;
  close(): Promise<void>;
}

export async function startVllmDouble(options: { runtimeLoraUpdating?: boolean; apiKey?: string; baseModel?: string } = {}): Promise<VllmDouble> {
  const loaded = new Map<string, string>();
  const calls: VllmDouble['calls'] = [];
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
        const base = options.baseModel ?? 'base';
        return send(res, 200, { object: 'list', data: [{ id: base, object: 'model', parent: null }, ...[...loaded].map(([id, root]) => ({ id, object: 'model', root, parent: base }))] });
      }
      const isLoraRoute = route === '/v1/load_lora_adapter' || route === '/v1/unload_lora_adapter';
      if (!isLoraRoute || !runtime || req.method !== 'POST') return send(res, 404, { detail: 'Not Found' });
      let body: { lora_name?: string; lora_path?: string };
      try {
        body = JSON.parse(raw);
      } catch {
        return error(res, 400, 'BadRequestError', 'invalid JSON');
      }
      calls.push({ route, body });
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    loaded,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
