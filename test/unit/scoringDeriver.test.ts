import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { readStats } from '../../extension/server/store/statsQuery';
import { registerAnalysis } from '../../extension/server/scoring/registerAnalysis';
import { parseBreakdown } from '../../extension/server/scoring/scoreBreakdown';
import { formatStatsTable } from '../../extension/server/scoring/statsTable';
import { scoreInteraction } from '../../extension/server/scoring/effectivenessScore';

/** What an interaction with no evidence at all scores under the fitted model. */
const BASE_SCORE = scoreInteraction({ assistantResponse: '', solutionsApplied: [], issuesEncountered: [], outcomes: [] }).base;
import { openAnalysedStore, row, sessionEvents } from './analysisTestKit';
import { tempDir } from './storeTestKit';

type Scored = { effectiveness: number; score_breakdown: string; category: string };

test('captured interactions are scored with a stored breakdown, and a late vote rescores them', async () => {
  const { store } = await openAnalysedStore();
  await store.capture(sessionEvents('late', [{ request: 'Add retry to the HTTP client', response: 'Added exponential backoff.' }]));
  const before = row<Scored>(store, 'SELECT * FROM interactions WHERE id = ?', ['late-i0']);
  assert.equal(before.effectiveness, BASE_SCORE);
  assert.equal(parseBreakdown(before.score_breakdown)?.score, BASE_SCORE);

  await store.capture([{ type: 'outcome', outcome: { id: 'vote-1', interactionId: 'late-i0', kind: 'vote', value: 1, at: Date.now() } }]);
  const after = row<Scored>(store, 'SELECT * FROM interactions WHERE id = ?', ['late-i0']);
  assert.ok(after.effectiveness > before.effectiveness);
  const breakdown = parseBreakdown(after.score_breakdown)!;
  assert.deepEqual(breakdown.signals.map((s) => s.name), ['vote_up']);
  assert.deepEqual(breakdown.evidence.map((e) => e.kind), ['vote_up']);
  await store.close();
});

test('a follow-up that says "still failing" lowers the previous answer when it arrives', async () => {
  const { store } = await openAnalysedStore();
  const events = sessionEvents('fu', [
    { request: 'Fix the date parser for ISO weeks', response: 'Fixed the week calculation.' },
    { request: 'still failing for 2021-W53, same error', response: 'Handled the 53-week year.', outcomes: [{ kind: 'test_passed' }] },
  ]);
  await store.capture(events.slice(0, 2)); // session + first interaction
  const first = row<Scored>(store, 'SELECT * FROM interactions WHERE id = ?', ['fu-i0']).effectiveness;
  await store.capture(events.slice(2));
  const corrected = row<Scored>(store, 'SELECT * FROM interactions WHERE id = ?', ['fu-i0']);
  assert.ok(corrected.effectiveness < first, `${corrected.effectiveness} should be below ${first}`);
  assert.match(corrected.score_breakdown, /reaction_correction/);
  assert.ok(row<Scored>(store, 'SELECT * FROM interactions WHERE id = ?', ['fu-i1']).effectiveness > BASE_SCORE);
  await store.close();
});

test('an outcome that names only the session counts for the interaction that came last before it', async () => {
  const { store } = await openAnalysedStore();
  const events = sessionEvents('un', [
    { request: 'Run the migrations', response: 'Ran them.' },
    { request: 'Now seed the database', response: 'Seeded.' },
  ]);
  await store.capture(events);
  const firstBefore = row<Scored>(store, 'SELECT * FROM interactions WHERE id = ?', ['un-i0']).effectiveness;
  const at = row<{ started_at: number }>(store, 'SELECT started_at FROM interactions WHERE id = ?', ['un-i1']).started_at + 5000;
  await store.capture([{ type: 'outcome', outcome: { id: 'exit-9', sessionId: 'un', kind: 'exit_code', value: 1, at } }]);
  assert.ok(row<Scored>(store, 'SELECT * FROM interactions WHERE id = ?', ['un-i1']).effectiveness < BASE_SCORE);
  assert.equal(row<Scored>(store, 'SELECT * FROM interactions WHERE id = ?', ['un-i0']).effectiveness, firstBefore, 'the earlier turn is untouched');
  await store.close();
});

test('a store written without derivers is brought up to date when analysis registers', async () => {
  const dir = tempDir();
  const plain = await AutodidactStore.open(dir);
  await plain.capture(sessionEvents('old', [
    { request: 'Write unit tests for the tokenizer', response: 'Added 12 tests.', files: ['tests/test_tokenizer.py'], outcomes: [{ kind: 'test_passed' }, { kind: 'vote', value: 1 }] },
    { request: 'Deploy the API to staging with docker', response: 'Deployed.', files: ['Dockerfile'] },
  ]));
  assert.equal(plain.query<{ n: number }>('SELECT COUNT(*) AS n FROM interactions WHERE effectiveness IS NULL')[0].n, 2);
  await plain.close();

  const store = await AutodidactStore.open(dir);
  await registerAnalysis(store, { embeddings: false }).settle();
  const rows = store.query<Scored & { id: string }>('SELECT id, effectiveness, category FROM interactions ORDER BY id');
  assert.deepEqual(rows.map((r) => r.category), ['Testing', 'Deployment']);
  assert.ok(rows.every((r) => r.effectiveness !== null));
  const stats = readStats(store);
  assert.equal(stats.categories.length, 2);
  await store.close();
});

test('stats --table prints seed 000 Table 5.1: categories, examples, average %, and a bold Overall row', () => {
  const table = formatStatsTable({
    sessions: 1, interactions: 5, effectiveness: 0.94,
    categories: [{ name: 'Security', examples: 2, avgEffectiveness: 1 }, { name: 'Documentation', examples: 3, avgEffectiveness: 0.9333 }],
  });
  const lines = table.trim().split('\n');
  assert.match(lines[0], /\| Category\s+\| Examples \| Avg Effectiveness \|/);
  assert.match(lines[2], /\| Security\s+\|\s+2 \|\s+100\.0% \|/);
  assert.match(lines[3], /\| Documentation \|\s+3 \|\s+93\.3% \|/);
  assert.match(lines[4], /\| \*\*Overall\*\*\s+\|\s+\*\*5\*\* \|\s+\*\*96\.0%\*\* \|/);
  assert.equal(new Set(lines.map((l) => l.length)).size, 1, 'columns line up');
  assert.match(formatStatsTable({ sessions: 0, interactions: 0, effectiveness: null, categories: [] }), /\*\*Overall\*\*.*\*\*0\*\*.*\*\*—\*\*/);
});
