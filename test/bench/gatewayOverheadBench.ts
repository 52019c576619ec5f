// `node --import tsx test/bench/gatewayOverheadBench.ts`: what the gateway adds per request in front of a generation server.
// The same streamed chat (16 tokens) sent with the same official openai client (a) straight to the
// vLLM double and (b) through the trainer-server gateway forwarding to it (auth, lease, recall,
// capture to disk, SSE), (c) without recall, (d) without recall and capture. Interleaved, so a busy
// machine slows all alike; figures are medians of the per-round differences from (a).
// GATEWAY_BENCH_ROUNDS sets the rounds (default 200, after 20 warm-up rounds).
import OpenAI from 'openai';
import { RECALL_OFF_HEADER } from '../../trainer-server/src/gateway/gatewayRecall';
import { VllmAdapterDriver } from '../../trainer-server/src/serving/vllmAdapterDriver';
import { startVllmDouble } from '../unit/vllmDouble';
import { startServer, tempDir } from '../unit/trainerTestKit';

const ROUNDS = Number(process.env.GATEWAY_BENCH_ROUNDS ?? 200);
const WARMUP = 20;
const PROMPTS = ['What is the capital of France?', 'Name three prime numbers.', 'Say hello in Spanish.', 'What colour is the sky?'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const vllm = await startVllmDouble({ baseModel: 'base' });
  const started = await startServer(tempDir('autodidact-gateway-overhead-'), { generationServer: { flavor: 'vllm', baseUrl: vllm.url, driver: new VllmAdapterDriver({ baseUrl: vllm.url }) } });
  await started.server.core.booted;
  const gatewayClient = (headers: Record<string, string> = {}): OpenAI => new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0, defaultHeaders: headers });
  const paths: Array<[string, OpenAI, string]> = [
    ['direct to vLLM double', new OpenAI({ baseURL: `${vllm.url}/v1`, apiKey: 'none', maxRetries: 0 }), 'base'],
    ['gateway', gatewayClient(), 'autodidact'],
    ['gateway, no recall', gatewayClient({ [RECALL_OFF_HEADER]: 'off' }), 'autodidact'],
    ['gateway, no recall, no capture', gatewayClient({ [RECALL_OFF_HEADER]: 'measure' }), 'autodidact'],
  ];
  const once = async (client: OpenAI, model: string, i: number): Promise<number> => {
    const t0 = performance.now();
    const chunks = await client.chat.completions.create({ model, messages: [{ role: 'user', content: PROMPTS[i % PROMPTS.length] }], max_tokens: 16, stream: true });
    for await (const _ of chunks) { /* drain */ }
    return performance.now() - t0;
  };
  const rounds: number[][] = [];
  try {
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      const round: number[] = [];
      for (const [, client, model] of paths) round.push(await once(client, model, i));
      if (i >= WARMUP) rounds.push(round);
    }
  } finally {
    await started.server.stop();
    await vllm.close();
  }
  console.table(paths.map(([label], k) => ({
    path: label, median_ms: +median(rounds.map((r) => r[k])).toFixed(2),
    overhead_median_ms: k === 0 ? 0 : +median(rounds.map((r) => r[k] - r[0])).toFixed(2),
  })));
  console.log(JSON.stringify({ bench: 'gateway-overhead', rounds: ROUNDS, overhead_ms: +median(rounds.map((r) => r[1] - r[0])).toFixed(2) }));
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
