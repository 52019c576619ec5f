// The calibrated effectiveness score on the hand-labelled real transcripts in ../shared: the labels
// still find their interactions, and ranking, calibration and precision/recall at the default
// threshold stay at the levels measured when the model was fitted (a little slack), both in-sample
// (the committed model) and leave-one-session-out (refitted without each session). With default
// settings the same transcripts give a non-empty training set of interactions that succeeded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_MIN_EFFECTIVENESS } from '../../extension/protocol/trainingDefaults';
import { buildTrainingSet } from '../../extension/server/dataset/buildTrainingSet';
import { fitLogistic, predict } from '../../extension/server/scoring/labelled/fitLogistic';
import { FIT_OPTIONS, featureRow, figures, LABELS_FILE, MODEL_FILE } from '../../extension/server/scoring/labelled/fitScoring';
import { loadLabelledSet, outcomeOf, readLabels, type LabelledSet } from '../../extension/server/scoring/labelled/labelledInteractions';
import type { Scored } from '../../extension/server/scoring/labelled/calibrationMetrics';
import { fixtureDir, whenFixtures, repoRoot } from './importersSupport';

/** Measured by `npm run fit:scoring` when the model was last fitted (scoringModel.json "figures"). */
const FLOOR = {
  inSample: { auc: 0.88, maxEce: 0.08, precision: 0.9, recall: 0.6 },
  leaveOneSessionOut: { auc: 0.82, maxEce: 0.11, precision: 0.88, recall: 0.6 },
};

whenFixtures('calibrated effectiveness on the labelled transcripts', () => {
  let set: LabelledSet;
  let trainingDirect: string[] = [];
  const labels = readLabels(LABELS_FILE).labels;

  test('the labels find their interactions (>= 85% of the chat labels)', async () => {
    set = await loadLabelledSet(fixtureDir, labels, async (store) => {
      const training = await buildTrainingSet(store, { evalFraction: 0 });
      trainingDirect = training.train.filter((e) => e.kind === 'direct').flatMap((e) => e.sourceIds);
    });
    const chat = labels.filter((l) => l.kind === 'chat');
    const matchedChat = set.matched.filter((m) => m.label.kind === 'chat').length;
    console.log(`labels matched: ${matchedChat}/${chat.length} chat (${set.unmatched.length} unmatched in all, ${set.unlabelled} imported interactions unlabelled)`);
    assert.ok(matchedChat / chat.length >= 0.85, `${matchedChat}/${chat.length}`);
  });

  test('in-sample (the committed model) and leave-one-session-out figures stay at their fitted levels', () => {
    const usable = set.matched.filter((m) => outcomeOf(m.label.label) !== undefined);
    const inSample: Scored[] = usable.map((m) => ({ p: m.score, y: outcomeOf(m.label.label)! }));
    const x = usable.map(featureRow);
    const y = usable.map((m) => outcomeOf(m.label.label)!);
    const cv: Scored[] = new Array<Scored>(usable.length);
    for (const session of new Set(usable.map((m) => m.sessionId))) {
      const train = usable.map((_, i) => i).filter((i) => usable[i].sessionId !== session);
      const fit = fitLogistic(train.map((i) => x[i]), train.map((i) => y[i]), FIT_OPTIONS);
      usable.forEach((m, i) => { if (m.sessionId === session) cv[i] = { p: predict(fit, x[i]), y: y[i] }; });
    }
    for (const [name, items] of [['inSample', inSample], ['leaveOneSessionOut', cv]] as const) {
      const f = figures(items, DEFAULT_MIN_EFFECTIVENESS);
      const floor = FLOOR[name];
      console.log(`${name}: n ${f.n}, AUC ${f.auc.toFixed(3)}, ECE(5 bins) ${f.ece.toFixed(3)}, at ${DEFAULT_MIN_EFFECTIVENESS}: precision ${f.precision.toFixed(3)}, recall ${f.recall.toFixed(3)} (${f.selected} selected)`);
      assert.ok(f.auc >= floor.auc, `${name} AUC ${f.auc}`);
      assert.ok(f.ece <= floor.maxEce, `${name} ECE ${f.ece}`);
      assert.ok(f.precision >= floor.precision, `${name} precision ${f.precision}`);
      assert.ok(f.recall >= floor.recall, `${name} recall ${f.recall}`);
    }
  });

  test('the default threshold is the fitted recommendation, and package.json says the same', () => {
    const model = JSON.parse(fs.readFileSync(MODEL_FILE, 'utf8')) as { recommendedThreshold: number };
    assert.equal(DEFAULT_MIN_EFFECTIVENESS, model.recommendedThreshold);
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown }> } | Array<{ properties: Record<string, { default: unknown }> }> } };
    const configs = Array.isArray(pkg.contributes.configuration) ? pkg.contributes.configuration : [pkg.contributes.configuration];
    const setting = configs.map((c) => c.properties['autodidact.train.minEffectiveness']).find(Boolean);
    assert.equal(setting?.default, DEFAULT_MIN_EFFECTIVENESS);
  });

  test('default settings give a non-empty training set whose labelled members succeeded', () => {
    assert.ok(trainingDirect.length > 0, 'direct training pairs at the default threshold');
    const labelOf = new Map(set.matched.map((m) => [m.id, m.label.label]));
    const judged = trainingDirect.map((id) => labelOf.get(id)).filter((l) => l !== undefined && l !== 'cannot_tell');
    const succeeded = judged.filter((l) => l === 'succeeded').length;
    console.log(`direct pairs: ${trainingDirect.length}; labelled: ${judged.length}, of which succeeded ${succeeded}`);
    assert.ok(judged.length > 0 && succeeded / judged.length >= 0.9, `${succeeded}/${judged.length}`);
  });
});
