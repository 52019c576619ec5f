// What a pattern's training line says, from the same training-set preview the Data section counts, so
// the two cannot disagree: "Used for training" only for a pattern that has pairs in that very set.
// No DOM here, so the rule is tested in Node (test/unit/panelData.test.ts).
import type { DatasetPreview } from '../extension/protocol/panelData';
import { count, percent } from './format';

export type TrainingUse = 'used' | 'held-out' | 'below-threshold' | 'excluded' | 'checking' | 'unknown';

export interface TrainingLabel { use: TrainingUse; text: string }

const pairs = (n: number): string => `${count(n)} pair${n === 1 ? '' : 's'}`;

export function patternTrainingLabel(
  pattern: { id: string; included: boolean },
  preview: Pick<DatasetPreview, 'patternPairs' | 'minEffectiveness'> | undefined,
  failed = false,
): TrainingLabel {
  if (!pattern.included) return { use: 'excluded', text: 'Kept out of training' };
  if (!preview) return failed ? { use: 'unknown', text: 'Training use unknown (the training set could not be built)' } : { use: 'checking', text: 'Checking the training set…' };
  const contributed = preview.patternPairs[pattern.id];
  if (contributed && contributed.train > 0) return { use: 'used', text: `Used for training · ${pairs(contributed.train)}` };
  if (contributed && contributed.eval > 0) return { use: 'held-out', text: `Held out for evaluation · ${pairs(contributed.eval)}` };
  return { use: 'below-threshold', text: `Not in training set (below threshold ${percent(preview.minEffectiveness)})` };
}
