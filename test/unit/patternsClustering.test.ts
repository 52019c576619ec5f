import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import {
  clusterMembers, effectivenessTrend, representativeOf, type PatternMember,
} from '../../extension/server/patterns/patternClustering';
import { readPatterns, setPatternIncluded } from '../../extension/server/patterns/patternQuery';
import { openAnalysedStore, REPO, sessionEvents, type TurnSpec } from './analysisTestKit';

let t = 0;
const member = (id: string, request: string, effectiveness: number | null = 0.6, files: string[] = []): PatternMember =>
  ({ id, startedAt: ++t, request, response: `answer to ${request}`, files, effectiveness });

const requests = [
  member('a1', 'Write unit tests for the date parser', 0.7),
  member('b1', 'Dockerfile for the API service, keep the image small'),
  member('a2', 'Add unit tests for the date parser edge cases', 0.95),
  member('b2', 'Make the API Dockerfile image smaller'),
  member('c1', 'Explain the caching layer'),
  member('a3', 'More unit tests for the date parser: leap years', 0.8),
];

test('similar requests cluster together, deterministically, whatever the input order', () => {
  const clusters = clusterMembers(requests);
  assert.deepEqual(clusters.map((c) => c.members.map((m) => m.id)), [['a1', 'a2', 'a3'], ['b1', 'b2'], ['c1']]);
  const shuffled = clusterMembers([...requests].reverse());
  assert.deepEqual(shuffled, clusters);
});

test('later requests never move earlier ones: a pattern keeps its leader as data grows', () => {
  const before = clusterMembers(requests);
  const after = clusterMembers([...requests, member('a4', 'unit tests for the date parser with time zones'), member('d1', 'Rename the config loader')]);
  for (const cluster of before) {
    const same = after.find((c) => c.leaderId === cluster.leaderId)!;
    assert.deepEqual(same.members.slice(0, cluster.members.length).map((m) => m.id), cluster.members.map((m) => m.id));
  }
});

test('the representative is the most effective member; the trend compares recent with older', () => {
  const [tests] = clusterMembers(requests);
  assert.equal(representativeOf(tests).id, 'a2');
  const rising = [0.4, 0.5, 0.8, 0.9].map((e, i) => member(`r${i}`, 'x', e));
  assert.equal(effectivenessTrend(rising), 0.4);
  assert.equal(effectivenessTrend(rising.slice(0, 3)), null, 'too few to call a trend');
});

// Distinct cases: a request that only repeats the one before ("case 1", "case 2") reads as the user asking again.
const CASES = ['totals and subtotals', 'currency rounding', 'empty invoices', 'tax lines per country', 'discount codes', 'due dates in the past'];
const testTurns = (n: number): TurnSpec[] => Array.from({ length: n }, (_, i) => ({
  request: `Write unit tests for the invoice parser: ${CASES[i % CASES.length]}`, response: `Added tests for ${CASES[i % CASES.length]}.`,
  files: ['tests/test_invoice.py'], outcomes: i % 2 === 0 ? [{ kind: 'test_passed' as const }] : [],
}));

test('patterns are stored per category, and an excluded pattern stays excluded when recomputed', async () => {
  const { store } = await openAnalysedStore();
  await store.capture(sessionEvents('pat', testTurns(4)));
  const [pattern] = readPatterns(store, { category: 'Testing' });
  assert.equal(pattern.count, 4);
  assert.ok(pattern.avgEffectiveness! > 0.6);
  assert.ok(pattern.included);
  assert.equal(await setPatternIncluded(store, pattern.id, false), true);
  await store.capture(sessionEvents('pat2', testTurns(2)));
  const [again] = readPatterns(store, { category: 'Testing' });
  assert.equal(again.id, pattern.id);
  assert.equal(again.count, 6);
  assert.equal(again.included, false, 'the user exclusion survives the recompute');
  assert.equal(await setPatternIncluded(store, 'no-such-pattern', false), false);
  await store.close();
});

test('`autodidact patterns --json` lists them from the command line', async () => {
  const { store, dir } = await openAnalysedStore();
  await store.capture(sessionEvents('cli', testTurns(3)));
  await store.close();
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'extension/server/cli.ts'), 'patterns', '--db', dir, '--json', '--no-embeddings'], { cwd: REPO, encoding: 'utf8' });
  const parsed = JSON.parse(out) as { classifierMode: string; patterns: Array<{ category: string; name: string; count: number; representativeRequest: string; trend: number | null }> };
  assert.equal(parsed.classifierMode, 'rules (embeddings disabled)');
  assert.equal(parsed.patterns[0].name, 'unit tests, invoice parser');
  assert.equal(parsed.patterns.length, 1);
  assert.equal(parsed.patterns[0].category, 'Testing');
  assert.equal(parsed.patterns[0].count, 3);
  assert.match(parsed.patterns[0].representativeRequest, /invoice parser/);
});
