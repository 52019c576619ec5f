// The analysis server's panel queries on real stores (sql.js on disk): the overview agrees with
// `autodidact stats` and the meter, pages stay bounded and sorted, the include switch reaches the
// dataset, the dataset preview is cached until the store changes, and the training timeline is
// built from the trainer's snapshot or the store's records.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CaptureEvent } from '../../extension/protocol/records';
import { PANEL_LIMITS } from '../../extension/protocol/panelData';
import type { VersionsSnapshot, RoundManifest } from '../../extension/protocol/trainerProtocol';
import { readDatasetSource } from '../../extension/server/dataset/datasetSource';
import { readMeter } from '../../extension/server/meterQuery';
import { countPlaceholders, DatasetPreviewCache } from '../../extension/server/panel/datasetPreview';
import { readTrend } from '../../extension/server/panel/effectivenessTrend';
import { readPanelData } from '../../extension/server/panel/panelOverview';
import { changePatternInclusion, readPatternExamples, readPatternPage } from '../../extension/server/panel/patternPages';
import { readRecordedTraining } from '../../extension/server/panel/recordedTraining';
import { recomputePatterns } from '../../extension/server/patterns/patternTable';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { readStats } from '../../extension/server/store/statsQuery';
import { trainingView } from '../../webview/trainingTimeline';
import { interaction, tempDir } from './storeTestKit';

const T0 = 1_700_000_000_000;
const TOPICS = [
  ['Testing', 'fix the flaky date parser unit test in the calendar module'],
  ['Debugging', 'server crashes with a null pointer on an empty request body'],
  ['Documentation', 'document the command line flags of the export tool in the readme'],
] as const;

/** 3 topics × 30 interactions, scores rising over time in Testing, falling in Debugging. */
function events(): CaptureEvent[] {
  const out: CaptureEvent[] = [{ type: 'session', session: { id: 's1', source: 'editor', startedAt: T0 } }];
  for (let i = 0; i < 90; i++) {
    const [category, request] = TOPICS[i % 3];
    const k = Math.floor(i / 3);
    const effectiveness = category === 'Testing' ? 0.5 + k / 60 : category === 'Debugging' ? 0.95 - k / 60 : 0.92;
    out.push(interaction(`i${String(i).padStart(3, '0')}`, {
      startedAt: T0 + i * 60_000, category, effectiveness: Math.round(effectiveness * 1000) / 1000,
      user_request: `${request} (case ${k})`, assistant_response: i === 0 ? 'x'.repeat(5000) : `fixed it (${i}); [EMAIL] was redacted`,
    }));
  }
  return out;
}

describe('panel data from a real store', () => {
  let store: AutodidactStore;
  before(async () => {
    store = await AutodidactStore.open(tempDir(), { persistDelayMs: 60_000 });
    await store.capture(events());
    await store.writeDerived((db) => { recomputePatterns(db, 'all'); });
  });
  after(async () => { await store.close(); });

  test('the overview carries readStats as is, and "now" is the meter\'s window', () => {
    const data = readPanelData(store, { window: 20 });
    assert.deepEqual(data.stats, readStats(store));
    assert.equal(data.scored, 90);
    assert.equal(data.trend.recent, readMeter(store, 20).effectiveness);
    assert.equal(data.trend.recentCount, 20);
    assert.equal(data.trend.previousCount, 20);
    const all = store.query<{ e: number }>('SELECT effectiveness AS e FROM interactions ORDER BY started_at DESC');
    const avg = (xs: Array<{ e: number }>): number => Math.round((xs.reduce((s, x) => s + x.e, 0) / xs.length) * 10000) / 10000;
    assert.equal(data.trend.previous, avg(all.slice(20, 40)));
    assert.equal(data.trend.series.length, 5, '90 scored in windows of 20: 4 full and 1 partial');
    assert.equal(data.trend.series[data.trend.series.length - 1], data.trend.recent, 'oldest first, newest last');
    assert.ok(data.readMs >= 0);
  });

  test('the trend of an empty store is empty, not an error', async () => {
    const empty = await AutodidactStore.open(tempDir());
    try {
      assert.deepEqual(readTrend(empty, 50), { window: 50, recent: null, recentCount: 0, previous: null, previousCount: 0, series: [] });
      const data = readPanelData(empty, { window: 50 });
      assert.equal(data.patterns.total, 0);
      assert.equal(data.recorded.liveVersion, null);
    } finally {
      await empty.close();
    }
  });

  test('patterns come sorted by score, a bounded page at a time, without member lists', () => {
    const first = readPatternPage(store, 0, 2);
    assert.ok(first.total >= 3, `${first.total} patterns`);
    assert.equal(first.items.length, 2);
    const all = readPatternPage(store, 0, 50).items;
    const scores = all.map((p) => p.avgEffectiveness ?? -1);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
    const second = readPatternPage(store, 2, 2);
    assert.equal(second.offset, 2);
    assert.deepEqual(second.items.map((p) => p.id), all.slice(2, 4).map((p) => p.id));
    assert.equal(readPatternPage(store, 0, 10_000).items.length, Math.min(50, first.total), 'the page size is capped');
    assert.ok(all.every((p) => p.request.length <= PANEL_LIMITS.patternRequestChars));
    assert.ok(!('memberIds' in all[0]), 'member ids stay on the server');
  });

  test('a pattern\'s interactions: most recent first, paged, long answers cut and flagged', () => {
    const testing = readPatternPage(store, 0, 50).items.find((p) => p.category === 'Testing' && p.count > 5)!;
    const page = readPatternExamples(store, testing.id, 0, 3);
    assert.equal(page.total, testing.count);
    assert.equal(page.items.length, 3);
    assert.deepEqual(page.items.map((e) => e.startedAt), [...page.items.map((e) => e.startedAt)].sort((a, b) => b - a));
    const next = readPatternExamples(store, testing.id, 3, 3);
    assert.ok(next.items.every((e) => !page.items.some((p) => p.id === e.id)));
    const oldest = readPatternExamples(store, testing.id, testing.count - 1, 5).items[0];
    assert.equal(oldest.id, 'i000');
    assert.equal(oldest.response.length, PANEL_LIMITS.exampleResponseChars);
    assert.equal(oldest.truncated, true);
    assert.equal(oldest.breakdown, null, 'not scored by the scorer, so no breakdown');
    assert.deepEqual(readPatternExamples(store, 'no-such-pattern', 0, 5), { patternId: 'no-such-pattern', total: 0, offset: 0, items: [] });
  });

  test('excluding a pattern flips patterns.included, shows in the page counts and keeps it out of the dataset source', async () => {
    const pattern = readPatternPage(store, 0, 50).items[0];
    const result = await changePatternInclusion(store, pattern.id, false);
    assert.deepEqual(result, { included: false, changed: true });
    assert.equal(readPatternPage(store, 0, 50).excluded, 1);
    const members = readPatternExamples(store, pattern.id, 0, 50).items.map((e) => e.id);
    const source = readDatasetSource(store).sessions.flat();
    assert.ok(members.every((id) => source.find((s) => s.id === id)?.included === false));
    assert.deepEqual(await changePatternInclusion(store, pattern.id, true), { included: true, changed: true });
    assert.equal(readPatternPage(store, 0, 50).excluded, 0);
    const missing = await changePatternInclusion(store, 'nope', false);
    assert.equal(missing.changed, false);
    assert.match(missing.message!, /no longer exists/);
    // Any window may change it: the choice is journaled (test/unit/storePatternChoice.test.ts).
  });

  test('the dataset preview is built once per store state, bounded, and counts placeholders left by redaction', async () => {
    let builds = 0;
    const counting = { query: <T>(sql: string, params?: unknown[]): T[] => {
      if (/FROM interactions i WHERE effectiveness IS NOT NULL[\s\S]*ORDER BY session_id/.test(sql)) builds++; // the dataset source's read
      return store.query<T>(sql, params);
    } };
    const cache = new DatasetPreviewCache();
    const [a, b] = await Promise.all([cache.read(counting, 0.9), cache.read(counting, 0.9)]);
    assert.equal(builds, 1, 'concurrent asks share one build');
    assert.deepEqual({ ...b, buildMs: 0 }, { ...a, buildMs: 0 });
    assert.ok(a.train > 0 && a.byKind.direct > 0);
    assert.ok(a.examples.length <= PANEL_LIMITS.previewExamples);
    assert.ok(a.examples.every((e) => e.user.length <= PANEL_LIMITS.previewMessageChars + 1 && e.assistant.length <= PANEL_LIMITS.previewMessageChars + 1));
    assert.ok(a.placeholders.byType.EMAIL > 0, 'placeholders of secrets removed at capture are counted');
    await cache.read(counting, 0.8);
    assert.equal(builds, 2, 'another threshold is another dataset');
    await store.capture([interaction('late', { startedAt: T0 + 999 * 60_000, effectiveness: 0.99, category: 'Testing' })]);
    await cache.read(counting, 0.8);
    assert.equal(builds, 3, 'a store change rebuilds');
  });

  test('placeholders in system context are not counted twice', () => {
    const example = { id: 'e', kind: 'direct' as const, synthetic: false, category: 'c', sourceIds: [], sessionId: 's', effectiveness: 1, splitKey: 'e',
      messages: [{ role: 'system' as const, content: 'earlier: [GITHUB_TOKEN]' }, { role: 'user' as const, content: 'use [GITHUB_TOKEN] and [EMAIL], not [TODO]' }] };
    assert.deepEqual(countPlaceholders([example]), { total: 2, byType: { GITHUB_TOKEN: 1, EMAIL: 1 } });
  });
});

describe('recorded training and the timeline', () => {
  test('the store\'s versions and rounds, a damaged metrics row shown without metrics', async () => {
    const store = await AutodidactStore.open(tempDir());
    try {
      await store.writeDerived((db) => {
        db.run("INSERT INTO versions (name, parent, created_at, live, metrics) VALUES ('v1.0', NULL, 1, 0, '{\"eval_loss\":2.4,\"token_accuracy\":0.4}'), ('v1.1', 'v1.0', 2, 1, 'not json')");
        db.run("INSERT INTO training_rounds (id, parent_version, candidate_version, status, metrics_before, metrics_after, decision, started_at) VALUES ('round-0001', 'v1.0', 'v1.1', 'promoted', '{\"eval_loss\":2.4,\"token_accuracy\":0.4}', '{\"eval_loss\":2.1,\"token_accuracy\":0.45}', 'better', 2)");
      });
      const recorded = readRecordedTraining(store);
      assert.equal(recorded.liveVersion, 'v1.1');
      assert.deepEqual(recorded.versions.map((v) => [v.name, v.live, v.metrics?.eval_loss ?? null]), [['v1.1', true, null], ['v1.0', false, 2.4]]);
      const view = trainingView(undefined, recorded, null);
      assert.equal(view.source, 'recorded');
      assert.deepEqual(view.entries.map((e) => [e.title, e.state, e.before?.eval_loss, e.after?.eval_loss, e.canRollback]),
        [['v1.1', 'live', 2.4, 2.1, false], ['v1.0', 'base', undefined, 2.4, false]]);
    } finally {
      await store.close();
    }
  });

  const manifest = (n: number, state: RoundManifest['state'], version: string | null, at: number): RoundManifest => ({
    schema: 1, roundId: `round-000${n}`, state, phase: 'done', parent: 'v1.0', version, baseModel: { id: 'tiny', fallback: true },
    dataset: { sha256: '', trainExamples: 1, evalExamples: 1 }, config: {}, promotion: { minRelativeLossDecrease: 0.01, maxTokenAccuracyDrop: 0 },
    continueFromParent: false, metrics: { before: { eval_loss: 2, token_accuracy: 0.4 }, after: { eval_loss: 1.8, token_accuracy: 0.5 }, training: null },
    decision: { promoted: state === 'promoted', reason: `${state} because` }, adapter: null, timings: { queuedAt: at, endedAt: at + 1 },
  });

  test('from a connected trainer: newest first, failed rounds shown, rollback on every version but the live one', () => {
    const versions: VersionsSnapshot = {
      live: 'v1.1', history: [], baseModel: { id: 'tiny', requested: 'x', fallback: true },
      versions: [
        { name: 'v1.0', model: 'autodidact-v1.0', adapterPath: null, adapterSha256: null, parent: null, roundId: null, createdAt: 100, metrics: null },
        { name: 'v1.1', model: 'autodidact-v1.1', adapterPath: 'p', adapterSha256: 'h', parent: 'v1.0', roundId: 'round-0001', createdAt: 300, metrics: { eval_loss: 1.8, token_accuracy: 0.5 } },
      ],
    };
    const rounds = [manifest(1, 'promoted', 'v1.1', 299), manifest(2, 'rejected', null, 400), manifest(3, 'running', null, 500)];
    const view = trainingView({ connection: 'connected', url: 'ws://x', versions, rounds }, undefined, null);
    assert.equal(view.live, 'v1.1');
    assert.deepEqual(view.entries.map((e) => [e.title, e.state, e.canRollback]), [['Round 0002', 'rejected', false], ['v1.1', 'live', false], ['v1.0', 'base', true]]);
    assert.equal(view.entries[1].before?.eval_loss, 2, 'before comes from the round that made the version');
    assert.equal(view.active?.roundId, 'round-0003');
    const disconnected = trainingView({ connection: 'disconnected', url: 'ws://x', versions, rounds }, undefined, null);
    assert.ok(disconnected.entries.every((e) => !e.canRollback), 'no rollback without a connection');
    assert.equal(trainingView(undefined, undefined, 'v9').live, 'v9');
  });
});
