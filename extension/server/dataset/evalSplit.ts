// The held-out evaluation split: decided by a hash of each example's split key, so it is the same on
// every run and machine, and one answer (its direct pair, an improvement pair ending in it, all its
// parts) sits wholly on one side. Exact duplicates were removed before the split. Synthetic examples are never evaluation data: the evaluation measures real work.
import { createHash } from 'node:crypto';
import type { TrainingExample } from './trainingExample';

function bucket(key: string): number {
  return createHash('sha256').update(`autodidact-eval\u0000${key}`).digest().readUInt32BE(0) / 0x1_0000_0000;
}

export function splitTrainEval(examples: readonly TrainingExample[], evalFraction: number): { train: TrainingExample[]; eval: TrainingExample[] } {
  const real = examples.filter((e) => !e.synthetic);
  const keys = [...new Set(real.map((e) => e.splitKey))];
  const evalKeys = new Set(keys.filter((k) => bucket(k) < evalFraction));
  // A small set can hash entirely to train; hold out the lowest-hash group so evaluation always exists.
  if (evalKeys.size === 0 && evalFraction > 0 && keys.length >= 5) {
    evalKeys.add(keys.reduce((best, k) => (bucket(k) < bucket(best) ? k : best)));
  }
  return {
    train: examples.filter((e) => e.synthetic || !evalKeys.has(e.splitKey)),
    eval: real.filter((e) => evalKeys.has(e.splitKey)),
  };
}
