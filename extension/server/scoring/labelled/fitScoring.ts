// `npm run fit:scoring`: fits the effectiveness model to the hand labels and writes
// extension/server/scoring/scoringModel.json, with the figures that describe it, both in-sample
// (fitted and measured on the same labels: optimistic) and leave-one-session-out (each session
// scored by a model fitted without it: the honest estimate). Needs ../shared/fixtures/transcripts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FEATURES, FEATURE_NAMES, INTERCEPT_PRIOR } from '../scoringFeatures';
import { atThreshold, expectedCalibrationError, lowestThresholdWithPrecision, rocAuc, type Scored } from './calibrationMetrics';
import { fitLogistic, predict, type FitOptions } from './fitLogistic';
import { loadLabelledSet, outcomeOf, readLabels, type LabelledInteraction } from './labelledInteractions';

const REPO = path.resolve(__dirname, '../../../..');
export const LABELS_FILE = path.join(REPO, 'test/unit/fixtures/effectivenessLabels.json');
export const MODEL_FILE = path.join(REPO, 'extension/server/scoring/scoringModel.json');
export const TRANSCRIPTS = path.resolve(REPO, '../shared/fixtures/transcripts');
/** Precision the default threshold must reach (leave-one-session-out). */
export const TARGET_PRECISION = 0.9;
export const ECE_BINS = 5;

export const FIT_OPTIONS: FitOptions = {
  priorMeans: FEATURE_NAMES.map((n) => FEATURES[n].prior), priorSd: 1, interceptPrior: INTERCEPT_PRIOR, interceptSd: 2,
};

export function featureRow(item: LabelledInteraction): number[] {
  const values = new Map(item.breakdown.signals.map((s) => [s.name, s.value]));
  return FEATURE_NAMES.map((n) => values.get(n) ?? 0);
}

export interface Figures { n: number; auc: number; ece: number; precision: number; recall: number; selected: number }

export function figures(items: readonly Scored[], threshold: number): Figures {
  const at = atThreshold(items, threshold);
  return { n: items.length, auc: rocAuc(items), ece: expectedCalibrationError(items, ECE_BINS), precision: at.precision, recall: at.recall, selected: at.selected };
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

async function main(): Promise<void> {
  const { labels } = readLabels(LABELS_FILE);
  const set = await loadLabelledSet(TRANSCRIPTS, labels);
  const usable = set.matched.filter((m) => outcomeOf(m.label.label) !== undefined);
  const x = usable.map(featureRow);
  const y = usable.map((m) => outcomeOf(m.label.label)!);
  const fit = fitLogistic(x, y, FIT_OPTIONS);

  const inSample: Scored[] = usable.map((m, i) => ({ p: predict(fit, x[i]), y: y[i] }));
  // Leave one session out: every session is scored by a model fitted without any of its turns.
  const cvAligned: Scored[] = new Array<Scored>(usable.length);
  for (const session of new Set(usable.map((m) => m.sessionId))) {
    const train = usable.map((_, i) => i).filter((i) => usable[i].sessionId !== session);
    const foldFit = fitLogistic(train.map((i) => x[i]), train.map((i) => y[i]), FIT_OPTIONS);
    usable.forEach((m, i) => { if (m.sessionId === session) cvAligned[i] = { p: predict(foldFit, x[i]), y: y[i] }; });
  }
  const threshold = lowestThresholdWithPrecision(cvAligned, TARGET_PRECISION) ?? 0.9;
  const chatOnly = (items: Scored[]): Scored[] => items.filter((_, i) => usable[i].label.kind === 'chat');
  const report = {
    threshold,
    counts: Object.fromEntries(['succeeded', 'partly', 'failed', 'cannot_tell'].map((l) => [l, set.matched.filter((m) => m.label.label === l).length])),
    matched: set.matched.length, unmatched: set.unmatched.length, unlabelled: set.unlabelled,
    inSample: { all: figures(inSample, threshold), chat: figures(chatOnly(inSample), threshold) },
    leaveOneSessionOut: { all: figures(cvAligned, threshold), chat: figures(chatOnly(cvAligned), threshold) },
  };
  const weights = Object.fromEntries(FEATURE_NAMES.map((n, j) => [n, r3(fit.weights[j])]));
  const model = {
    about: 'Written by `npm run fit:scoring` (extension/server/scoring/labelled/fitScoring.ts): MAP logistic regression, Gaussian priors from scoringFeatures.ts (sd 1; intercept sd 2), fitted to test/unit/fixtures/effectivenessLabels.json ("succeeded" = 1, "failed"/"partly" = 0, "cannot_tell" left out).',
    intercept: r3(fit.intercept),
    weights,
    recommendedThreshold: threshold,
    figures: JSON.parse(JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' ? r3(v) : v))) as unknown,
  };
  fs.writeFileSync(MODEL_FILE, `${JSON.stringify(model, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(model.figures, null, 2)}\nwrote ${path.relative(REPO, MODEL_FILE)}\n`);
  if (set.unmatched.length > 0) process.stdout.write(`unmatched labels: ${set.unmatched.map((l) => `${l.file}#${l.occurrence} (${l.evidence})`).join('\n  ')}\n`);
}

if (require.main === module) void main().catch((error: Error) => { process.stderr.write(`fit:scoring: ${error.message}\n`); process.exitCode = 1; });
