// `npm run bench:serving`: serving figures of the Python engine through the real gateway, on the tiny
// model and on the real base (test/.models/SmolLM2-135M-Instruct), engine on 1 CPU thread:
//   - N requests one after another vs the same N at once (batched by the engine): wall time, tokens/s;
//   - 1, 4 and 16 concurrent streams: median time to first token, aggregate tokens/s;
//   - client disconnect -> the engine reports the generation stopped (ms, and tokens it had made);
//   - gateway overhead when forwarding to vLLM: vllmDouble called directly vs through the gateway
//     (lease, recall, capture to disk, SSE relay), streaming, one request at a time.
// Run it under the measurement lock (flock /tmp/autodidact-measure.lock npm run bench:serving).
import * as fs from 'node:fs';
import * as path from 'node:path';
import OpenAI from 'openai';
import { RECALL_OFF_HEADER } from '../../trainer-server/src/gateway/gatewayRecall';
import { VllmAdapterDriver } from '../../trainer-server/src/serving/vllmAdapterDriver';
import { startVllmDouble } from '../unit/vllmDouble';
import { REPO_ROOT, startServer, tempDir, tinyModelDir, type StartedServer } from '../unit/trainerTestKit';

const MAX_TOKENS = 32;
const SEQUENTIAL_N = 8;
const PROMPTS = [
  'Write a Python function that reverses a string.', 'What is a closure in JavaScript?', 'Explain what a mutex is.',
  'How do I read a file line by line in Python?', 'What does git rebase do?', 'Name three sorting algorithms.',
  'What is the difference between a list and a tuple?', 'How do I center a div in CSS?',
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const ask = (i: number): Array<{ role: 'user'; content: string }> => [{ role: 'user', content: PROMPTS[i % PROMPTS.length] }];

async function whole(openai: OpenAI, i: number): Promise<number> {
  const response = await openai.chat.completions.create({ model: 'autodidact', messages: ask(i), max_tokens: MAX_TOKENS, temperature: 0 });
  return response.usage?.completion_tokens ?? 0;
}

async function stream(openai: OpenAI, i: number): Promise<{ ttftMs: number; tokens: number }> {
  const started = performance.now();
  let ttftMs = NaN;
  let tokens = 0;
  const chunks = await openai.chat.completions.create({ model: 'autodidact', messages: ask(i), max_tokens: MAX_TOKENS, temperature: 0, stream: true, stream_options: { include_usage: true } });
  for await (const chunk of chunks) {
    if (Number.isNaN(ttftMs) && chunk.choices[0]?.delta?.content) ttftMs = performance.now() - started;
    tokens += chunk.usage?.completion_tokens ?? 0;
  }
  return { ttftMs, tokens };
}

async function disconnectToStop(started: StartedServer): Promise<{ ms: number; tokens: number }> {
  const before = started.logs.length;
  const aborter = new AbortController();
  const response = await fetch(`${started.server.httpUrl}/v1/chat/completions`, {
    method: 'POST', signal: aborter.signal, headers: { authorization: `Bearer ${started.server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'autodidact', messages: ask(0), max_tokens: 1024, temperature: 0, stream: true }),
  });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let seen = '';
  while (!/"content":"[^"]/.test(seen)) seen += new TextDecoder().decode((await reader.read()).value);
  const at = performance.now();
  aborter.abort();
  for (;;) {
    const report = started.logs.slice(before).find((line) => line.includes('the engine cancelled a generation'));
    if (report) return { ms: performance.now() - at, tokens: Number(/after (\d+) tokens/.exec(report)?.[1]) };
    if (performance.now() - at > 60_000) throw new Error('the engine never reported the cancellation');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function benchModel(label: string, baseModel: string, env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  const started = await startServer(tempDir('autodidact-serving-bench-'), { baseModel, env });
  const lineage = await started.server.core.booted;
  const openai = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0, timeout: 600_000 });
  try {
    await whole(openai, 0); // warm-up: first forward, allocator
    let t0 = performance.now();
    let sequentialTokens = 0;
    for (let i = 0; i < SEQUENTIAL_N; i++) sequentialTokens += await whole(openai, i);
    const sequentialMs = performance.now() - t0;
    t0 = performance.now();
    const concurrentTokens = (await Promise.all(Array.from({ length: SEQUENTIAL_N }, (_, i) => whole(openai, i)))).reduce((a, b) => a + b, 0);
    const concurrentMs = performance.now() - t0;
    const streams: Record<string, unknown>[] = [];
    for (const n of [1, 4, 16]) {
      t0 = performance.now();
      const results = await Promise.all(Array.from({ length: n }, (_, i) => stream(openai, i)));
      const wallMs = performance.now() - t0;
      const tokens = results.reduce((a, r) => a + r.tokens, 0);
      streams.push({ streams: n, ttft_median_ms: Math.round(median(results.map((r) => r.ttftMs))), tokens, aggregate_tokens_per_s: +(tokens / (wallMs / 1000)).toFixed(1), per_stream_tokens_per_s: +(tokens / n / (wallMs / 1000)).toFixed(1) });
    }
    const stops = [];
    for (let i = 0; i < 3; i++) stops.push(await disconnectToStop(started));
    return {
      model: label, base: lineage.baseModel.id, params: lineage.baseModel.params,
      [`sequential_${SEQUENTIAL_N}_ms`]: Math.round(sequentialMs), [`concurrent_${SEQUENTIAL_N}_ms`]: Math.round(concurrentMs),
      speedup: +(sequentialMs / concurrentMs).toFixed(2),
      sequential_tokens_per_s: +(sequentialTokens / (sequentialMs / 1000)).toFixed(1), concurrent_tokens_per_s: +(concurrentTokens / (concurrentMs / 1000)).toFixed(1),
      streams, disconnect_to_stop_median_ms: Math.round(median(stops.map((s) => s.ms))), tokens_made_before_stop: stops.map((s) => s.tokens),
    };
  } finally {
    await started.server.stop();
  }
}

async function forwardingOverhead(): Promise<Record<string, unknown>> {
  const vllm = await startVllmDouble({ baseModel: 'base' });
  const started = await startServer(tempDir('autodidact-serving-bench-'), { generationServer: { flavor: 'vllm', baseUrl: vllm.url, driver: new VllmAdapterDriver({ baseUrl: vllm.url }) } });
  await started.server.core.booted;
  const direct = new OpenAI({ baseURL: `${vllm.url}/v1`, apiKey: 'none', maxRetries: 0 });
  const gateway = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0 });
  // Without recall (x-autodidact-recall: off), and without recall and capture ('measure', the header lesson
  // measurement uses): how much of the overhead is the lessons lookup and the fsync'd capture append.
  const noRecall = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0, defaultHeaders: { [RECALL_OFF_HEADER]: 'off' } });
  const uncaptured = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0, defaultHeaders: { [RECALL_OFF_HEADER]: 'measure' } });
  const once = async (client: OpenAI, model: string, i: number): Promise<number> => {
    const t0 = performance.now();
    const chunks = await client.chat.completions.create({ model, messages: ask(i), max_tokens: 16, stream: true });
    for await (const _ of chunks) { /* drain */ }
    return performance.now() - t0;
  };
  // Interleaved (direct, gateway, without recall, without recall and capture) so a busy machine slows all three alike; the
  // figure is the median of per-round differences. The first 10 rounds warm up connections and the JIT.
  const rounds: number[][] = [];
  try {
    for (let i = 0; i < 110; i++) {
      const round = [await once(direct, 'base', i), await once(gateway, 'autodidact', i), await once(noRecall, 'autodidact', i), await once(uncaptured, 'autodidact', i)];
      if (i >= 10) rounds.push(round);
    }
  } finally {
    await started.server.stop();
    await vllm.close();
  }
  return {
    requests: rounds.length, direct_median_ms: +median(rounds.map((r) => r[0])).toFixed(2), gateway_median_ms: +median(rounds.map((r) => r[1])).toFixed(2),
    overhead_ms_per_request: +median(rounds.map((r) => r[1] - r[0])).toFixed(2), overhead_without_recall_ms: +median(rounds.map((r) => r[2] - r[0])).toFixed(2), overhead_without_recall_and_capture_ms: +median(rounds.map((r) => r[3] - r[0])).toFixed(2),
  };
}

async function main(): Promise<void> {
  const figures: Record<string, unknown>[] = [];
  const forwarding = await forwardingOverhead();
  console.table([forwarding]);
  figures.push(await benchModel('tiny (random weights)', tinyModelDir(), { ...process.env, AUTODIDACT_OFFLINE: '1', AUTODIDACT_OFFLINE_BASE: 'tiny' }));
  const real = path.join(REPO_ROOT, 'test', '.models', 'SmolLM2-135M-Instruct');
  if (fs.existsSync(real)) figures.push(await benchModel('SmolLM2-135M-Instruct', real, { ...process.env, AUTODIDACT_OFFLINE: '1', AUTODIDACT_OFFLINE_BASE: '' }));
  else console.log(`# ${real} is missing (npm start prepares it): the real-base figures did not run`);
  for (const f of figures) {
    const { streams, ...rest } = f;
    console.table([rest]);
    console.table(streams as Record<string, unknown>[]);
  }
  console.log(JSON.stringify({ bench: 'serving', machine: `${process.platform} ${process.arch}, engine threads 1, max_tokens ${MAX_TOKENS}, temperature 0`, figures, vllmForwardingOverhead: forwarding }));
}

main().catch((error: Error) => {
  console.error(error);
  process.exitCode = 1;
});
