// The figures that say how good an effectiveness score is on labelled interactions: ranking (ROC
// AUC), calibration (expected calibration error over equal-width bins) and precision/recall at a
// threshold. `y` is 1 for "succeeded", 0 for "failed" or "partly".

export interface Scored { p: number; y: 0 | 1 }

/** Probability that a random success scores above a random failure (ties count half). */
export function rocAuc(items: readonly Scored[]): number {
  const pos = items.filter((i) => i.y === 1);
  const neg = items.filter((i) => i.y === 0);
  if (pos.length === 0 || neg.length === 0) return Number.NaN;
  let wins = 0;
  for (const a of pos) for (const b of neg) wins += a.p > b.p ? 1 : a.p === b.p ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

/** Σ over bins of (share of items in the bin) × |mean score − success rate|. */
export function expectedCalibrationError(items: readonly Scored[], bins = 5): number {
  if (items.length === 0) return Number.NaN;
  let total = 0;
  for (let b = 0; b < bins; b++) {
    const inBin = items.filter((i) => Math.min(bins - 1, Math.floor(i.p * bins)) === b);
    if (inBin.length === 0) continue;
    const meanP = inBin.reduce((s, i) => s + i.p, 0) / inBin.length;
    const rate = inBin.reduce((s, i) => s + i.y, 0) / inBin.length;
    total += (inBin.length / items.length) * Math.abs(meanP - rate);
  }
  return total;
}

export interface AtThreshold { threshold: number; selected: number; truePositives: number; precision: number; recall: number }

export function atThreshold(items: readonly Scored[], threshold: number): AtThreshold {
  const selected = items.filter((i) => i.p >= threshold);
  const truePositives = selected.filter((i) => i.y === 1).length;
  const positives = items.filter((i) => i.y === 1).length;
  return {
    threshold, selected: selected.length, truePositives,
    precision: selected.length === 0 ? Number.NaN : truePositives / selected.length,
    recall: positives === 0 ? Number.NaN : truePositives / positives,
  };
}

/** Precision first: the lowest threshold (in steps of 0.01) whose selection, at least `minSelected`
 *  interactions, reaches `minPrecision`. */
export function lowestThresholdWithPrecision(items: readonly Scored[], minPrecision: number, minSelected = 3): number | undefined {
  for (let t = 1; t <= 99; t++) {
    const at = atThreshold(items, t / 100);
    if (at.selected >= minSelected && at.precision >= minPrecision) return t / 100;
  }
  return undefined;
}
