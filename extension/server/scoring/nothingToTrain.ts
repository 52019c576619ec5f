// The message for an empty training set: it names the threshold and says how many interactions sit
// just below it, so a user can tell "nothing scored yet" from "almost there, lower the threshold".
import { DEFAULT_MIN_EFFECTIVENESS, NEAR_THRESHOLD_MARGIN } from '../../protocol/trainingDefaults';
import type { RowReader } from '../store/statsQuery';

export interface ThresholdCounts {
  threshold: number;
  scored: number;
  atOrAbove: number;
  /** Scored in [threshold − margin, threshold). */
  justBelow: number;
  margin: number;
}

export function thresholdCounts(store: RowReader, threshold = DEFAULT_MIN_EFFECTIVENESS, margin = NEAR_THRESHOLD_MARGIN): ThresholdCounts {
  const [row] = store.query<{ scored: number; above: number | null; near: number | null }>(
    `SELECT COUNT(*) AS scored, SUM(effectiveness >= ?) AS above, SUM(effectiveness >= ? AND effectiveness < ?) AS near
     FROM interactions WHERE effectiveness IS NOT NULL`, [threshold, threshold - margin, threshold]);
  return { threshold, scored: row?.scored ?? 0, atOrAbove: row?.above ?? 0, justBelow: row?.near ?? 0, margin };
}

const fixed2 = (x: number): string => (Math.round(x * 100) / 100).toFixed(2);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * `lower` says how to change the threshold where the message appears, e.g. "--min-effectiveness" in
 * the CLI or "the autodidact.train.minEffectiveness setting" in the editor.
 */
export function nothingToTrainMessage(c: ThresholdCounts, lower: string): string {
  const named = `the training threshold (minimum effectiveness ${fixed2(c.threshold)})`;
  if (c.scored === 0) return `Nothing to train on: no interaction has been scored yet, so none reaches ${named}. Import or capture some sessions first.`;
  const near = `${plural(c.justBelow, 'interaction')} ${c.justBelow === 1 ? 'is' : 'are'} just below it (${fixed2(Math.max(0, c.threshold - c.margin))} to ${fixed2(c.threshold)})`;
  const head = c.atOrAbove === 0
    ? `Nothing to train on: none of the ${plural(c.scored, 'scored interaction')} reaches ${named}; ${near}.`
    : `Nothing to train on: ${plural(c.atOrAbove, 'interaction')} of ${c.scored} ${c.atOrAbove === 1 ? 'reaches' : 'reach'} ${named} but none is usable (duplicates, or their patterns are excluded from training); ${near}.`;
  return `${head} Lower it with ${lower}, or keep working: replies, test runs and votes are what raise a score.`;
}
