// The panel's numbers say what will be trained: a pattern reads "Used for training" only when the
// training set the Data section counts (buildTrainingSet at the configured threshold) holds pairs from
// it, and the Categories section says so when categories come from rules alone.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CaptureEvent } from '../../extension/protocol/records';
import type { DatasetPreview, PatternRow } from '../../extension/protocol/panelData';
import { DatasetPreviewCache } from '../../extension/server/panel/datasetPreview';
import { readPanelData } from '../../extension/server/panel/panelOverview';
import { changePatternInclusion } from '../../extension/server/panel/patternPages';
import { recomputePatterns } from '../../extension/server/patterns/patternTable';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { categoryMethodLine } from '../../webview/categoryMethod';
import { patternTrainingLabel, type TrainingUse } from '../../webview/patternTraining';
import { openAnalysedStore, sessionEvents } from './analysisTestKit';
import { interaction, tempDir } from './storeTestKit';

const T0 = 1_700_000_000_000;
/** Three habits, 12 interactions each: tests that go well, docs that go so-so, crashes that go well. */
const HABITS = [
  { category: 'Testing', request: 'write unit tests for the invoice parser', effectiveness: 0.95 },
  { category: 'Documentation', request: 'document the export flags in the readme', effectiveness: 0.6 },
  { category: 'Debugging', request: 'the worker crashes with a null pointer on empty input', effectiveness: 0.93 },
] as const;

function events(): CaptureEvent[] {
  const out: CaptureEvent[] = [];
  for (let i = 0; i < 36; i++) {
    const habit = HABITS[i % 3];
    const session = `s${Math.floor(i / 3)}`;
    if (i % 3 === 0) out.push({ type: 'session', session: { id: session, source: 'editor', startedAt: T0 + i * 60_000 } });
    out.push(interaction(`i${String(i).padStart(2, '0')}`, {
      sessionId: session, startedAt: T0 + i * 60_000, category: habit.category, effectiveness: habit.effectiveness,
      user_request: `${habit.request} (case ${Math.floor(i / 3)})`, assistant_response: `Done, case ${i}: changed the code and checked it.`,
    }));
  }
  return out;
}

function labelsOf(patterns: readonly PatternRow[], preview: DatasetPreview): Map<string, TrainingUse> {
  return new Map(patterns.map((p) => [p.category, patternTrainingLabel(p, preview).use]));
}

/** The agreement the issue asks for: the patterns labelled "used" hold exactly the pairs Data counts. */
function assertAgreement(patterns: readonly PatternRow[], preview: DatasetPreview): void {
  let usedPairs = 0;
  for (const p of patterns) {
    const label = patternTrainingLabel(p, preview);
    const pairs = preview.patternPairs[p.id]?.train ?? 0;
    assert.equal(label.use === 'used', pairs > 0, `${p.category}: "${label.text}" with ${pairs} train pairs`);
    if (label.use === 'used') { usedPairs += pairs; assert.match(label.text, new RegExp(`^Used for training · ${pairs} pairs?$`)); }
  }
  // Every interaction here belongs to a pattern, so the used patterns' pairs are all of Data's pairs.
  assert.equal(usedPairs, preview.train);
}

describe('training labels agree with the Data section', () => {
  let store: AutodidactStore;
  before(async () => {
    store = await AutodidactStore.open(tempDir(), { persistDelayMs: 60_000 });
    await store.capture(events());
    await store.writeDerived((db) => { recomputePatterns(db, 'all'); });
  });
  after(async () => { await store.close(); });

  test('at 0.9: the good habits are used for training, the so-so one is below the threshold', async () => {
    const data = readPanelData(store, { window: 20 });
    assert.equal(data.patterns.total, 3);
    const preview = await new DatasetPreviewCache().read(store, 0.9);
    assert.ok(preview.train > 0);
    const labels = labelsOf(data.patterns.items, preview);
    assert.deepEqual(Object.fromEntries(labels), { Testing: 'used', Debugging: 'used', Documentation: 'below-threshold' });
    assertAgreement(data.patterns.items, preview);
    const docs = data.patterns.items.find((p) => p.category === 'Documentation')!;
    assert.equal(patternTrainingLabel(docs, preview).text, 'Not in training set (below threshold 90%)');
  });

  test('at a threshold nothing reaches, Data shows 0 pairs and no pattern says "Used for training"', async () => {
    const data = readPanelData(store, { window: 20 });
    const preview = await new DatasetPreviewCache().read(store, 0.99);
    assert.equal(preview.train, 0);
    assert.ok(data.patterns.items.every((p) => patternTrainingLabel(p, preview).use === 'below-threshold'));
    assertAgreement(data.patterns.items, preview);
  });

  test('a pattern the user excluded says "Kept out of training" and its pairs leave the count', async () => {
    const cache = new DatasetPreviewCache();
    const before = await cache.read(store, 0.9);
    const testing = readPanelData(store, { window: 20 }).patterns.items.find((p) => p.category === 'Testing')!;
    const testingPairs = before.patternPairs[testing.id].train;
    assert.deepEqual(await changePatternInclusion(store, testing.id, false), { included: false, changed: true });
    try {
      const data = readPanelData(store, { window: 20 });
      const after = await cache.read(store, 0.9);
      assert.equal(after.train, before.train - testingPairs);
      assert.equal(after.patternPairs[testing.id], undefined);
      assert.equal(labelsOf(data.patterns.items, after).get('Testing'), 'excluded');
      assert.equal(patternTrainingLabel(data.patterns.items.find((p) => p.id === testing.id)!, after).text, 'Kept out of training');
      assertAgreement(data.patterns.items, after);
    } finally {
      await changePatternInclusion(store, testing.id, true);
    }
  });

  test('until the preview arrives the label says it is checking, and says so when it failed', () => {
    assert.equal(patternTrainingLabel({ id: 'p', included: true }, undefined).use, 'checking');
    assert.equal(patternTrainingLabel({ id: 'p', included: true }, undefined, true).use, 'unknown');
    assert.equal(patternTrainingLabel({ id: 'p', included: false }, undefined).use, 'excluded');
  });
});

describe('how categories were found', () => {
  test('without the sentence model the panel data carries the rules mode and the panel says categories are rule-based', async () => {
    const { store, analysis } = await openAnalysedStore({ embeddings: { localModelPath: tempDir('no-model-'), allowRemoteModels: false } });
    try {
      await store.capture(sessionEvents('m', [{ request: 'Write pytest tests for the parser', response: 'Added tests.' }]));
      const data = readPanelData(store, { window: 20, classifierMode: analysis.status().classifierMode });
      assert.match(data.classifierMode!, /^rules \(offline: .*not found locally.*\)$/s);
      const line = categoryMethodLine(data.classifierMode)!;
      assert.equal(line.ruleBased, true);
      assert.match(line.text, /^Categories are rule-based \(keywords and file paths only\): offline: .*not found locally.*\.$/s);
    } finally {
      await store.close();
    }
  });

  test('with embeddings, or rules by choice, the line says which', () => {
    assert.deepEqual(categoryMethodLine('embeddings'), { ruleBased: false, text: 'Categories: sentence embeddings and keyword rules.' });
    assert.equal(categoryMethodLine('rules (embeddings disabled)')!.text, 'Categories are rule-based (keywords and file paths only): embeddings disabled.');
    assert.equal(categoryMethodLine('rules (loading embedding model)')!.text, 'Categories are rule-based (keywords and file paths) until the sentence model has loaded.');
    assert.equal(categoryMethodLine(undefined), null);
  });
});
