// Steps of `npm run bench` for the model side: LoRA training tokens/s on the tiny model (CPU) against
// plain transformers + PEFT in the same run (engine.bench_train); gateway overhead against calling the
// engine directly, and hot-swap latency (trainerBench.ts, the trainer-server's own bench); GPU figures
// when this machine has a CUDA device.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lastJson, runChild } from './benchChild';
import { num, ratio, type BenchOptions, type BenchRow, type BenchStep } from './benchRows';

function python(options: BenchOptions): string {
  return path.join(options.repo, '.venv', 'bin', 'python');
}

async function engineBench<T>(options: BenchOptions, args: string[], timeoutMs: number): Promise<T> {
  const out = await runChild(python(options), ['-m', 'engine.bench_train', ...args], {
    cwd: path.join(options.repo, 'trainer-server'), timeoutMs, env: { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1' },
  });
  return lastJson<T>(out.stdout);
}

interface TinyRound { steps: number; examples: number; round_wall_s: number; train_tokens: number; engine_tokens_per_s: number; baseline_tokens_per_s?: number; threads: number }

export const trainingStep: BenchStep = {
  name: 'training',
  async run(options) {
    const f = await engineBench<TinyRound>(options, options.quick ? ['--examples', '64'] : [], 240_000);
    const rows: BenchRow[] = [
      { area: 'training', figure: `LoRA round, tiny model, CPU ${f.threads} thread (${f.examples} chats, ${f.steps} steps, seed 000 defaults)`,
        value: `${num(f.engine_tokens_per_s, 0)} tokens/s`, reference: f.baseline_tokens_per_s ? `plain transformers + PEFT loop ${num(f.baseline_tokens_per_s, 0)} tokens/s` : undefined,
        ratio: ratio(f.engine_tokens_per_s, f.baseline_tokens_per_s) },
      { area: 'training', figure: 'LoRA round wall time (load, train, save adapter)', value: `${num(f.round_wall_s, 2)} s` },
    ];
    return { rows, raw: f };
  },
};

interface TrainerFigures {
  hotSwap: { idle_median_ms: string; idle_max_ms: string; under_32_streams_median_ms: string; under_32_streams_max_ms: string; swaps: number; requests_during_swaps: number; requests_failed: number };
  gatewayOverhead: { direct_ms_per_request: string; gateway_ms_per_request: string; overhead_ms_per_request: string; direct_tokens_per_s: string; gateway_tokens_per_s: string; max_tokens: number };
  rounds?: Array<{ round: string; round_wall_s: string; train_tokens_per_s: number }>;
}

export const trainerStep: BenchStep = {
  name: 'trainer',
  async run(options) {
    const bench = path.join(options.repo, 'test', 'bench', 'trainerBench.ts');
    if (!fs.existsSync(bench)) {
      return { rows: [{ area: 'gateway', figure: 'gateway overhead, hot-swap latency', value: 'not available (test/bench/trainerBench.ts absent)' }], raw: null };
    }
    const out = await runChild(process.execPath, ['--import', 'tsx', bench], { cwd: options.repo, timeoutMs: 300_000 });
    const f = lastJson<TrainerFigures>(out.stdout);
    const g = f.gatewayOverhead;
    const h = f.hotSwap;
    const rows: BenchRow[] = [
      { area: 'gateway', figure: `chat completion, ${g.max_tokens} tokens streamed, tiny model CPU (median per request)`, value: `${g.gateway_ms_per_request} ms via gateway`,
        reference: `engine called directly ${g.direct_ms_per_request} ms`, ratio: `+${g.overhead_ms_per_request} ms overhead` },
      { area: 'gateway', figure: 'tokens/s through the gateway', value: `${g.gateway_tokens_per_s} tokens/s`, reference: `engine directly ${g.direct_tokens_per_s} tokens/s`,
        ratio: ratio(Number(g.gateway_tokens_per_s), Number(g.direct_tokens_per_s)) },
      { area: 'gateway', figure: 'hot-swap latency, idle (median; max)', value: `${h.idle_median_ms} ms; ${h.idle_max_ms} ms` },
      { area: 'gateway', figure: 'hot-swap latency under 32 streaming requests (median; max)', value: `${h.under_32_streams_median_ms} ms; ${h.under_32_streams_max_ms} ms` },
      { area: 'gateway', figure: `requests failed during ${h.swaps} swaps`, value: `${h.requests_failed} of ${h.requests_during_swaps}` },
    ];
    return { rows, raw: f };
  },
};

interface ShapeFigures { device: string; params: number; engine_tokens_per_s: number; baseline_tokens_per_s?: number; engine_mfu: number | null; baseline_mfu?: number | null }

export const gpuStep: BenchStep = {
  name: 'gpu',
  async run(options) {
    const probe = await runChild(python(options), ['-c', 'import torch; print(torch.cuda.is_available())'], { cwd: options.repo, timeoutMs: 120_000 });
    if (probe.stdout.trim() !== 'True') return { rows: [{ area: 'gpu', figure: 'GPU training tokens/s and MFU (0.5B, 7B shapes)', value: 'no GPU' }], raw: { gpu: false } };
    const rows: BenchRow[] = [];
    const raw: Record<string, ShapeFigures> = {};
    for (const shape of options.quick ? ['0.5b'] : ['0.5b', '7b']) {
      const f = await engineBench<ShapeFigures>(options, ['--model-shape', shape, '--random-weights', '--steps', '10'], 600_000);
      raw[shape] = f;
      rows.push({ area: 'gpu', figure: `${shape} shape (${f.device}), LoRA training`, value: `${num(f.engine_tokens_per_s, 0)} tokens/s, MFU ${num((f.engine_mfu ?? 0) * 100)}%`,
        reference: f.baseline_tokens_per_s ? `plain transformers + PEFT ${num(f.baseline_tokens_per_s, 0)} tokens/s` : undefined, ratio: ratio(f.engine_tokens_per_s, f.baseline_tokens_per_s) });
    }
    return { rows, raw };
  },
};
