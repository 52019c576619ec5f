// `node --import tsx test/bench/trainerBench.ts`: trainer-server figures on this machine (tiny model,
// CPU): round wall time and training tokens/s; hot-swap latency idle and under 32 streaming requests,
// with the number of requests that failed; gateway overhead over calling the engine directly.
import OpenAI from 'openai';
import type { RoundManifest, TrainConfig } from '../../extension/protocol/trainerProtocol';
import { connect, FAST_CONFIG, goodDataset, runRound, startServer, tempDir } from '../unit/trainerTestKit';

const SEED_000_DEFAULTS: TrainConfig = { max_seq_len: 96 }; // rank 8, alpha 16, lr 1e-5, batch 2, accum 4, 1 epoch
const GEN_TOKENS = 24;
const GEN_REQUESTS = 20;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function describeRound(label: string, m: RoundManifest): Record<string, unknown> {
  const t = m.metrics.training;
  return {
    round: label, state: m.state, steps: t?.steps, train_tokens: t?.train_tokens, train_tokens_per_s: t?.tokens_per_s,
    round_wall_s: ((m.timings.totalMs ?? 0) / 1000).toFixed(2), evaluate_live_ms: m.timings.evaluateLiveMs, train_ms: m.timings.trainMs,
    evaluate_candidate_ms: m.timings.evaluateCandidateMs, promote_swap_ms: m.timings.promoteMs ?? null,
  };
}

async function main(): Promise<void> {
  const { server } = await startServer(tempDir('autodidact-trainer-bench-'));
  const lineage = await server.core.booted;
  const client = await connect(server);
  const openai = new OpenAI({ baseURL: `${server.httpUrl}/v1`, apiKey: server.token, maxRetries: 0, timeout: 600_000 });
  const figures: Record<string, unknown> = {};
  try {
    // 1. Rounds.
    const fast = await runRound(client, goodDataset(), FAST_CONFIG);
    const seed = await runRound(client, goodDataset(), SEED_000_DEFAULTS);
    figures.rounds = [describeRound('test config (lr 1e-2, 24 steps, batch 4)', fast), describeRound("seed 000 defaults (lr 1e-5, batch 2 x accum 4, 1 epoch)", seed)];
    console.table(figures.rounds);
    if (lineage.registry.live.name === 'v1.0') throw new Error('the bench needs a promoted version to swap to');
    const trained = lineage.registry.live.name;

    // 2. Hot-swap latency, idle: rollback to the base and back; the adapter is unloaded and reloaded each time.
    const idle: number[] = [];
    for (let i = 0; i < 10; i++) {
      for (const version of ['v1.0', trained]) {
        const t0 = performance.now();
        await client.call('rollback', { version });
        idle.push(performance.now() - t0);
      }
    }
    // ... and under load: 32 streaming requests in flight throughout.
    let stop = false;
    let failed = 0;
    let completed = 0;
    const worker = async (): Promise<void> => {
      while (!stop) {
        try {
          const stream = await openai.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: 'What is the code for alpha?' }], max_tokens: 8, stream: true });
          for await (const _ of stream) { /* drain */ }
          completed++;
        } catch {
          failed++;
        }
      }
    };
    const workers = Array.from({ length: 32 }, () => worker());
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const loaded: number[] = [];
    for (let i = 0; i < 5; i++) {
      for (const version of ['v1.0', trained]) {
        const t0 = performance.now();
        await client.call('rollback', { version });
        loaded.push(performance.now() - t0);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    }
    stop = true;
    await Promise.all(workers);
    figures.hotSwap = {
      idle_median_ms: median(idle).toFixed(1), idle_max_ms: Math.max(...idle).toFixed(1),
      under_32_streams_median_ms: median(loaded).toFixed(1), under_32_streams_max_ms: Math.max(...loaded).toFixed(1),
      swaps: idle.length + loaded.length, requests_during_swaps: completed, requests_failed: failed,
    };
    console.table([figures.hotSwap]);

    // 3. Gateway overhead: the same engine called directly vs through HTTP + SSE + capture, one request at a time.
    const messages = [{ role: 'user' as const, content: 'Tell me the code for bravo.' }];
    const adapter = lineage.registry.live.model;
    const direct: number[] = [];
    let directTokens = 0;
    for (let i = 0; i < GEN_REQUESTS; i++) {
      const t0 = performance.now();
      const result = await server.core.engine.call<{ completion_tokens: number }>('generate', { messages, adapter, max_tokens: GEN_TOKENS, temperature: 0, stream: true }, { lane: 'generate', onToken: () => undefined });
      direct.push(performance.now() - t0);
      directTokens += result.completion_tokens;
    }
    const viaGateway: number[] = [];
    let gatewayTokens = 0;
    for (let i = 0; i < GEN_REQUESTS; i++) {
      const t0 = performance.now();
      const stream = await openai.chat.completions.create({ model: 'autodidact', messages, max_tokens: GEN_TOKENS, temperature: 0, stream: true, stream_options: { include_usage: true } });
      for await (const chunk of stream) gatewayTokens += chunk.usage?.completion_tokens ?? 0;
      viaGateway.push(performance.now() - t0);
    }
    const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
    figures.gatewayOverhead = {
      requests: GEN_REQUESTS, max_tokens: GEN_TOKENS,
      direct_ms_per_request: median(direct).toFixed(1), gateway_ms_per_request: median(viaGateway).toFixed(1),
      overhead_ms_per_request: (median(viaGateway) - median(direct)).toFixed(1),
      direct_tokens_per_s: (directTokens / (sum(direct) / 1000)).toFixed(1), gateway_tokens_per_s: (gatewayTokens / (sum(viaGateway) / 1000)).toFixed(1),
    };
    console.table([figures.gatewayOverhead]);
    console.log(JSON.stringify({ bench: 'trainer', machine: `${process.platform} ${process.arch}, engine threads 1`, ...figures }));
  } finally {
    client.close();
    await server.stop();
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exitCode = 1;
});
