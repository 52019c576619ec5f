// Step of `npm run bench` (and all of `npm run bench:training`): LoRA training on the real SmolLM2-135M base,
// the same data, settings and steps four ways in one run (engine.bench_compare): the engine with packing,
// the engine with padded batches, a plain transformers + PEFT loop, TRL's SFTTrainer with its packing.
// Each row: tokens/s, peak memory and held-out answer loss; the reference is the plain PEFT loop. The GPU
// shapes are left to the gpu step here (npm run bench:training alone runs them too on a CUDA machine).
import * as path from 'node:path';
import { lastJson, runChild } from './benchChild';
import { num, ratio, type BenchRow, type BenchStep } from './benchRows';

interface Arm { arm: string; tokens_per_s: number; peak_memory_mib: number; peak_memory_kind: string; held_out_loss: number; steps: number; train_tokens: number; device: string; error?: string }
interface Compare { arms: Arm[]; settings: { steps: number; threads: number }; load_average: number[]; load_average_end: number[]; cpu: string; shapes?: Array<Record<string, unknown>> }

export const trainingCompareStep: BenchStep = {
  name: 'training-compare',
  async run(options) {
    const out = await runChild(path.join(options.repo, '.venv', 'bin', 'python'), ['-m', 'engine.bench_compare', '--no-shapes', ...(options.quick ? ['--quick'] : [])], {
      cwd: path.join(options.repo, 'trainer-server'), timeoutMs: 3_600_000, env: { ...process.env, HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1' },
    });
    const f = lastJson<Compare>(out.stdout);
    const peft = f.arms.find((a) => a.arm === 'peft' && !a.error);
    const load = `load ${f.load_average.join(' ')} -> ${f.load_average_end.join(' ')}`;
    const rows: BenchRow[] = f.arms.map((a) => a.error
      ? { area: 'training', figure: `SmolLM2-135M LoRA, ${a.arm}`, value: `FAILED ${a.error.slice(0, 160)}` }
      : { area: 'training', figure: `SmolLM2-135M LoRA ${a.device} ${f.settings.threads} threads, ${a.arm} (${a.steps} steps, ${load})`,
        value: `${num(a.tokens_per_s, 1)} tokens/s, peak ${num(a.peak_memory_mib, 0)} MiB, held-out loss ${num(a.held_out_loss, 4)}`,
        reference: peft && a.arm !== 'peft' ? `plain PEFT ${num(peft.tokens_per_s, 1)} tokens/s, held-out loss ${num(peft.held_out_loss, 4)}` : undefined,
        ratio: a.arm !== 'peft' ? ratio(a.tokens_per_s, peft?.tokens_per_s) : undefined });
    for (const shape of f.shapes ?? []) {
      rows.push({ area: 'gpu', figure: `${String(shape.mode)} (${String(shape.device)}), LoRA training, packing`,
        value: shape.error ? `FAILED ${String(shape.error).slice(0, 160)}` : `${num(Number(shape.engine_tokens_per_s), 0)} tokens/s, MFU ${num(Number(shape.engine_mfu ?? 0) * 100)}%, peak ${String(shape.engine_peak_mem_gib)} GiB`,
        reference: shape.baseline_tokens_per_s ? `plain PEFT ${num(Number(shape.baseline_tokens_per_s), 0)} tokens/s` : undefined,
        ratio: ratio(Number(shape.engine_tokens_per_s), Number(shape.baseline_tokens_per_s)) });
    }
    return { rows, raw: f };
  },
};
