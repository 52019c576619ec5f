// `npm run bench:llamacpp`: llama.cpp (node-llama-cpp, Q4_1 GGUF) against the Hugging Face engine's model
// (transformers, fp32 folder converted from the same GGUF) on SmolLM2-135M-Instruct, same chat prompt, greedy,
// a fixed number of answer tokens. llama.cpp runs through the trainer-server's own backend at 1, 4 and 16
// concurrent streams (tokens/s summed over streams; time to first token per stream); transformers one at a time.
// Run it under `flock /tmp/autodidact-measure.lock` on a shared machine and report `uptime` beside it.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLlamaCppServing } from '../../../trainer-server/src/serving/llamaCpp/llamaCppServing';
import type { VersionLease } from '../../../trainer-server/src/serving/servedVersions';
import type { VersionRecord } from '../../../extension/protocol/trainerProtocol';
import { ENGINE_DIR, PYTHON, REPO_ROOT, SMOLLM2_GGUF } from '../../unit/llamaCppTestKit';

const PROMPT = 'Write a short story about a fruit.';
const TOKENS = Number(process.env.BENCH_TOKENS ?? 64);
const THREADS = Number(process.env.BENCH_THREADS ?? 1);

async function main(): Promise<void> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-llamacpp-bench-'));
  const llama = await startLlamaCppServing({ modelPath: SMOLLM2_GGUF, python: PYTHON, engineDir: ENGINE_DIR, cacheDir: home, threads: THREADS, contextSize: 512, parallel: 16 });
  const lease: VersionLease = { version: { name: 'v1.0', adapterPath: null } as unknown as VersionRecord, adapter: null, release: () => undefined };
  const one = async (): Promise<{ tokens: number; ttftMs: number }> => {
    const started = performance.now();
    let first = 0;
    const result = await llama.backend.generate({
      lease, messages: [{ role: 'user', content: PROMPT }], maxTokens: TOKENS, temperature: 0, stop: [], signal: new AbortController().signal,
      onText: () => { first ||= performance.now() - started; },
    });
    return { tokens: result.completionTokens, ttftMs: first };
  };
  await one(); // warm-up: the base context and its first evaluation
  const rows: Record<string, unknown>[] = [];
  for (const streams of [1, 4, 16]) {
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: streams }, one));
    const seconds = (performance.now() - started) / 1000;
    const tokens = results.reduce((sum, r) => sum + r.tokens, 0);
    const ttft = results.map((r) => r.ttftMs).sort((a, b) => a - b);
    rows.push({ backend: 'llama.cpp (Q4_1)', threads: THREADS, streams, tokens, seconds: +seconds.toFixed(3), tokens_per_s: +(tokens / seconds).toFixed(2), ttft_ms_median: +ttft[Math.floor(ttft.length / 2)].toFixed(1) });
  }
  await llama.close();
  fs.rmSync(home, { recursive: true, force: true });
  const base = process.env.AUTODIDACT_SMOLLM2_DIR ?? path.join(REPO_ROOT, 'test', '.models', 'SmolLM2-135M-Instruct');
  const hf = execFileSync(PYTHON, [path.join(__dirname, 'hf_generate_speed.py'), '--base', base, '--prompt', PROMPT, '--tokens', String(TOKENS), '--threads', String(THREADS)], { encoding: 'utf8', env: { ...process.env, HF_HUB_OFFLINE: '1' }, stdio: ['ignore', 'pipe', 'ignore'] });
  for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
  process.stdout.write(`${JSON.stringify({ ...JSON.parse(hf.trim().split('\n').at(-1) as string), streams: 1 })}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench:llamacpp: ${error.message}\n`);
  process.exit(1);
});
