// The gateway serving through llama.cpp (node-llama-cpp's prebuilt binary) on the real SmolLM2-135M GGUF,
// over real HTTP on loopback with the official `openai` client: whole and streamed chat completions,
// stop sequences, capture, and hot-swaps (promotion, rollback) while requests are in flight. Versions
// v1.1 and v1.2 are seeded random LoRA adapters, converted to GGUF LoRA by the engine's gguf_lora; they
// answer greedily with text that differs from the base and from each other in its first characters, so
// each answer shows which version produced it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { CaptureBuffer } from '../../trainer-server/src/capture/captureBuffer';
import { CaptureHub } from '../../trainer-server/src/capture/captureHub';
import type { EngineSupervisor } from '../../trainer-server/src/engineClient/engineSupervisor';
import { httpRequestListener } from '../../trainer-server/src/http/httpRoutes';
import { startLlamaCppServing, type LlamaCppServing } from '../../trainer-server/src/serving/llamaCpp/llamaCppServing';
import { ServedVersions } from '../../trainer-server/src/serving/servedVersions';
import { VersionRegistry } from '../../trainer-server/src/versions/versionRegistry';
import { ENGINE_DIR, ggufAvailable, PYTHON, SMOLLM2_GGUF, writeRandomAdapter } from './llamaCppTestKit';

const TOKEN = 'llama-cpp-gateway-test-token';
const messages = [{ role: 'user' as const, content: 'Name a fruit.' }];

describe('gateway on llama.cpp', { skip: !ggufAvailable(), timeout: 240_000 }, () => {
  let home: string;
  let registry: VersionRegistry;
  let llama: LlamaCppServing;
  let serving: ServedVersions;
  let buffer: CaptureBuffer;
  let server: http.Server;
  let openai: OpenAI;
  const expected = new Map<string, string>(); // version model name -> its greedy 8-token answer

  before(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-llamacpp-'));
    registry = VersionRegistry.open(path.join(home, 'registry.json'), { id: SMOLLM2_GGUF, requested: SMOLLM2_GGUF, fallback: false });
    // Seed 4 at scales 1 and 2: adapters that make the model repeat one token with a wide margin over the
    // next (measured: p 0.55 vs 0.12, 0.60 vs 0.10), so batching's rounding never changes which version it reads as.
    for (const [n, scale] of [[1, 1], [2, 2]]) {
      const adapterPath = writeRandomAdapter(path.join(home, 'adapters', `seed4-scale${scale}`), 4, scale);
      const sha = createHash('sha256').update(fs.readFileSync(path.join(adapterPath, 'adapter_model.safetensors'))).digest('hex');
      registry.addPromoted({ name: registry.reserveVersionName(), adapterPath, adapterSha256: sha, parent: registry.live.name, roundId: `round-000${n}`, metrics: null });
    }
    registry.rollback('v1.0');
    llama = await startLlamaCppServing({ modelPath: SMOLLM2_GGUF, python: PYTHON, engineDir: ENGINE_DIR, cacheDir: path.join(home, 'gguf-lora'), threads: 1, contextSize: 512, parallel: 4 });
    const log = (level: string, message: string): void => { if (level !== 'info') process.stdout.write(`# ${level}: ${message}\n`); };
    serving = new ServedVersions(registry, [llama.driver], log);
    // Both conversions at once: each is a Python start plus a few MB written.
    await Promise.all(['v1.1', 'v1.2'].map((name) => llama.driver.load(`autodidact-${name}`, registry.get(name)?.adapterPath as string)));
    buffer = CaptureBuffer.open(path.join(home, 'capture'));
    server = http.createServer(httpRequestListener({
      guards: { token: TOKEN, host: '127.0.0.1', allowedOrigins: [] }, maxBodyBytes: 1 << 20, log, capture: new CaptureHub(buffer),
      // llama.cpp serves every version here, so the Python engine is never asked (backendFor decides).
      engine: undefined as unknown as EngineSupervisor, backendFor: () => llama.backend,
      serving: async () => serving, versions: async () => registry.snapshot(),
    }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    openai = new OpenAI({ baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: TOKEN, maxRetries: 0, timeout: 120_000 });
  });
  after(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await llama?.close();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  test('a whole completion is the base answer, with usage, and is captured', async () => {
    const response = await openai.chat.completions.create({ model: 'autodidact', messages, max_tokens: 8, temperature: 0 });
    assert.equal(response.model, 'autodidact-v1.0');
    assert.equal(response.choices[0].message.content, 'The fruit I mentioned is the Banana'); // what transformers generates from the same weights
    assert.equal(response.choices[0].finish_reason, 'length');
    assert.deepEqual([response.usage?.prompt_tokens, response.usage?.completion_tokens], [34, 8]);
    const ended = await openai.chat.completions.create({ model: 'autodidact', messages, max_tokens: 40, temperature: 0 });
    assert.equal(ended.choices[0].finish_reason, 'stop', 'the model ended its answer (end-of-generation token) before max_tokens');
    assert.ok((ended.usage?.completion_tokens ?? 40) < 40);
    const captured = JSON.stringify(buffer.list());
    assert.match(captured, /The fruit I mentioned is the Banana/);
    assert.match(captured, /autodidact-v1\.0/);
  });

  test('streaming gives the same text in pieces; a stop sequence ends it before the stop', async () => {
    const stream = await openai.chat.completions.create({ model: 'autodidact', messages, max_tokens: 8, temperature: 0, stream: true });
    const pieces: string[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      pieces.push(chunk.choices[0]?.delta?.content ?? '');
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.ok(pieces.filter(Boolean).length >= 4, `streamed in ${pieces.filter(Boolean).length} pieces`);
    assert.equal(pieces.join(''), 'The fruit I mentioned is the Banana');
    assert.equal(finish, 'length');
    const stopped = await openai.chat.completions.create({ model: 'autodidact', messages, max_tokens: 8, temperature: 0, stop: [' is'] });
    assert.equal(stopped.choices[0].message.content, 'The fruit I mentioned');
    assert.equal(stopped.choices[0].finish_reason, 'stop');
  });

  test('response_format json_schema is held to the schema by a llama.cpp grammar', async () => {
    const response = await openai.chat.completions.create({
      model: 'autodidact', messages, max_tokens: 40, temperature: 0,
      response_format: { type: 'json_schema', json_schema: { name: 'fruit', schema: { type: 'object', properties: { fruit: { enum: ['apple', 'banana', 'cherry'] } }, required: ['fruit'] } } },
    });
    const content = response.choices[0].message.content ?? '';
    assert.equal(response.choices[0].finish_reason, 'stop', `the grammar let the answer end: ${content}`);
    assert.ok(['apple', 'banana', 'cherry'].includes((JSON.parse(content) as { fruit: string }).fruit), content);
  });

  test('a client that disconnects mid-stream stops llama.cpp within a token; the capture says not delivered', async () => {
    const port = (server.address() as AddressInfo).port;
    const before = buffer.list().length;
    const started = Date.now();
    let tokensAtAbort = 0;
    await new Promise<void>((resolve, reject) => {
      const request = http.request({ port, host: '127.0.0.1', method: 'POST', path: '/v1/chat/completions', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } }, (response) => {
        response.on('data', (chunk: Buffer) => {
          tokensAtAbort += (chunk.toString().match(/"content":"[^"]/g) ?? []).length;
          if (tokensAtAbort >= 2) {
            request.destroy();
            resolve();
          }
        });
        response.on('error', () => undefined);
      });
      request.on('error', (error) => (tokensAtAbort >= 2 ? undefined : reject(error)));
      request.end(JSON.stringify({ model: 'autodidact', messages: [{ role: 'user', content: 'Write a long story about a fruit.' }], max_tokens: 400, temperature: 0, stream: true }));
    });
    while (buffer.list().length === before && Date.now() - started < 30_000) await new Promise((resolve) => setTimeout(resolve, 20));
    const record = JSON.stringify(buffer.list().slice(before));
    assert.match(record, /client disconnected/, `captured as not delivered: ${record.slice(0, 300)}`);
    // 400 tokens would take far longer than the time from the disconnect to the capture.
    const held = await openai.chat.completions.create({ model: 'autodidact', messages, max_tokens: 8, temperature: 0 });
    assert.equal(held.choices[0].message.content, 'The fruit I mentioned is the Banana', 'the slot it used serves the next request');
  });

  test('each version answers with its own adapter; a named older version is served while another is live', async () => {
    for (const name of ['v1.0', 'v1.1', 'v1.2']) {
      const response = await openai.chat.completions.create({ model: `autodidact-${name}`, messages, max_tokens: 8, temperature: 0 });
      assert.equal(response.model, `autodidact-${name}`);
      expected.set(response.model, response.choices[0].message.content ?? '');
    }
    assert.equal(new Set([...expected.values()].map((text) => text.slice(0, 10))).size, 3, `three versions, three answers: ${JSON.stringify([...expected])}`);
  });

  test('promotion and rollback under 8 concurrent clients: no failed request, each answer from one version', async () => {
    assert.equal(expected.size, 3, 'needs the per-version answers of the previous test');
    const failures: unknown[] = [];
    const outcomes: Array<{ model: string; text: string; start: number; end: number }> = [];
    let running = true;
    const worker = async (index: number): Promise<void> => {
      while (running) {
        const start = Date.now();
        try {
          if (index % 2 === 0) {
            const response = await openai.chat.completions.create({ model: 'autodidact', messages, max_tokens: 8, temperature: 0 });
            outcomes.push({ model: response.model, text: response.choices[0].message.content ?? '', start, end: Date.now() });
          } else {
            const stream = await openai.chat.completions.create({ model: 'autodidact', messages, max_tokens: 8, temperature: 0, stream: true });
            const models = new Set<string>();
            let text = '';
            for await (const chunk of stream) {
              models.add(chunk.model);
              text += chunk.choices[0]?.delta?.content ?? '';
            }
            assert.equal(models.size, 1, `one stream, one version: ${[...models]}`);
            outcomes.push({ model: [...models][0], text, start, end: Date.now() });
          }
        } catch (error) {
          failures.push(error);
          return;
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, i) => worker(i));
    // Each swap waits for 4 more answers, so every version serves some requests however slow the machine is.
    const answers = async (count: number): Promise<void> => {
      const target = outcomes.length + count;
      while (outcomes.length < target && failures.length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    const swaps: number[] = [];
    for (const name of ['v1.1', 'v1.2', 'v1.0', 'v1.1']) {
      await answers(4);
      const target = registry.get(name);
      assert.ok(target);
      swaps.push(await serving.switchLive(target, () => registry.rollback(name)));
    }
    await answers(8);
    running = false;
    await Promise.all(workers);
    assert.deepEqual(failures, []);
    const history = registry.snapshot().history;
    const liveDuring = (start: number, end: number): string[] => history.filter((change, i) => change.at <= end && (history[i + 1]?.at ?? Infinity) >= start).map((change) => `autodidact-${change.to}`);
    const spanning = outcomes.filter((o) => history.some((change) => change.reason === 'rollback' && change.at > o.start && change.at < o.end));
    assert.ok(spanning.length > 0, 'some requests were in flight across a swap');
    for (const outcome of outcomes) assert.ok(liveDuring(outcome.start, outcome.end).includes(outcome.model), `${outcome.model} was live while its request ran`);
    const served = new Set(outcomes.map((o) => o.model));
    assert.ok(served.size >= 3, `requests reached ${[...served]}`);
    // Batched with other requests, the last of 8 greedy tokens can tip differently (float sums in another order);
    // the versions' answers already differ in their first 10 characters, which is what names the adapter used.
    for (const outcome of outcomes) assert.equal(outcome.text.slice(0, 10), expected.get(outcome.model)?.slice(0, 10), `${outcome.model} answered as itself: ${JSON.stringify(outcome)} expected ${JSON.stringify(expected.get(outcome.model))}`);
    process.stdout.write(`# ${outcomes.length} requests (${spanning.length} in flight across a swap) over 4 swaps (swap ms: ${swaps.map((s) => s.toFixed(1)).join(', ')}); served by ${[...served].join(', ')}\n`);
  });
});
