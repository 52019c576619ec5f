// `node --import tsx test/bench/ollamaGatewayBench.ts`: what the gateway adds in front of Ollama. The
// same streaming chat, one request at a time, sent (a) straight to Ollama's POST /api/chat and (b) to
// the trainer-server's /v1/chat/completions with --ollama-url (lease, recall, capture to disk, SSE),
// and (c) the same without capture (the headers an @autodidact turn sends: the client records it), to
// show what the fsynced capture costs. "Ollama" is ollamaApiDouble (no Ollama runs here), so the
// differences are the gateway's own cost (and the openai client's parsing, on the gateway rows).
import OpenAI from 'openai';
import { OllamaApi } from '../../trainer-server/src/serving/ollama/ollamaApi';
import { startOllamaDouble } from '../doubles/ollamaApiDouble';
import { startServer, tempDir } from '../unit/trainerTestKit';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const WARMUP = 20;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function timed(n: number, once: () => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await once();
    times.push(performance.now() - started);
  }
  return times;
}

async function main(): Promise<void> {
  const ollama = await startOllamaDouble({ baseModels: ['smollm2:135m'] });
  const { server } = await startServer(tempDir('autodidact-ollama-bench-'), { ollama: { url: ollama.url, from: 'smollm2:135m' } });
  await server.core.booted;
  const openai = new OpenAI({ baseURL: `${server.httpUrl}/v1`, apiKey: server.token, maxRetries: 0 });
  const api = new OllamaApi({ baseUrl: ollama.url });
  const messages = [{ role: 'user' as const, content: 'What is the code for alpha?' }];
  const viaGateway = async (): Promise<void> => {
    for await (const chunk of await openai.chat.completions.create({ model: 'autodidact', messages, max_tokens: 8, stream: true })) void chunk;
  };
  let turn = 0;
  const uncaptured = async (): Promise<void> => {
    const headers = { 'x-autodidact-source': 'chat-participant', 'x-autodidact-interaction-id': `bench-${turn++}` };
    for await (const chunk of await openai.chat.completions.create({ model: 'autodidact', messages, max_tokens: 8, stream: true }, { headers })) void chunk;
  };
  const direct = async (): Promise<void> => {
    await api.chat({ model: 'autodidact:v1.0', messages, options: { num_predict: 8 } }, () => undefined);
  };
  await timed(WARMUP, viaGateway); // creates autodidact:v1.0, warms both paths
  await timed(WARMUP, direct);
  const gateway: number[] = [];
  const straight: number[] = [];
  const noCapture: number[] = [];
  for (let round = 0; round < 4; round++) { // interleaved, so load changes hit both alike
    gateway.push(...await timed(REQUESTS / 4, viaGateway));
    straight.push(...await timed(REQUESTS / 4, direct));
    noCapture.push(...await timed(REQUESTS / 4, uncaptured));
  }
  const row = (label: string, t: number[]): Record<string, unknown> => ({ path: label, requests: t.length, p50_ms: percentile(t, 0.5).toFixed(2), p90_ms: percentile(t, 0.9).toFixed(2) });
  console.table([row('direct POST /api/chat', straight), row('gateway /v1/chat/completions', gateway), row('gateway, not captured', noCapture)]);
  const over = (t: number[]): string => (percentile(t, 0.5) - percentile(straight, 0.5)).toFixed(2);
  console.log(`gateway overhead (p50 difference): ${over(gateway)} ms per request with capture, ${over(noCapture)} ms without`);
  await server.stop();
  await ollama.close();
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
