// When there is nothing to train on, `train`, `export` and Train Next Version name the threshold and
// say how many interactions are just below it. Real stores, the real scorer, the real CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { DEFAULT_MIN_EFFECTIVENESS } from '../../extension/protocol/trainingDefaults';
import { trainingSetForRound } from '../../extension/server/dataset/trainingSetForRound';
import { nothingToTrainMessage, thresholdCounts } from '../../extension/server/scoring/nothingToTrain';
import { openAnalysedStore, REPO, sessionEvents } from './analysisTestKit';

function cli(...args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'extension/server/cli.ts'), ...args], { cwd: REPO, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

test('the message names the threshold, counts what is just below it and says how to lower it', () => {
  const none = nothingToTrainMessage({ threshold: 0.76, scored: 0, atOrAbove: 0, justBelow: 0, margin: 0.1 }, '--min-effectiveness');
  assert.match(none, /no interaction has been scored yet.*minimum effectiveness 0\.76/);
  const below = nothingToTrainMessage({ threshold: 0.76, scored: 12, atOrAbove: 0, justBelow: 5, margin: 0.1 }, '--min-effectiveness');
  assert.match(below, /none of the 12 scored interactions reaches the training threshold \(minimum effectiveness 0\.76\); 5 interactions are just below it \(0\.66 to 0\.76\)\. Lower it with --min-effectiveness/);
  const unusable = nothingToTrainMessage({ threshold: 0.8, scored: 3, atOrAbove: 1, justBelow: 1, margin: 0.1 }, 'the setting');
  assert.match(unusable, /1 interaction of 3 reaches .* but none is usable .*; 1 interaction is just below it \(0\.70 to 0\.80\)/);
});

async function storeJustBelow(): Promise<{ dir: string; threshold: number; near: number; scored: number }> {
  const { store, dir } = await openAnalysedStore();
  await store.capture(sessionEvents('near', [
    { request: 'Add a retry to the HTTP client', response: 'Added exponential backoff to fetchJson.' },
    { request: 'Now document the retry in the README', response: 'Documented it.' },
    { request: 'Write a changelog entry', response: 'I was unable to find a CHANGELOG file.' },
  ]));
  const scores = store.query<{ effectiveness: number }>('SELECT effectiveness FROM interactions ORDER BY effectiveness DESC').map((r) => r.effectiveness);
  // A threshold a little above the best score: nothing reaches it, the best is just below it.
  const threshold = Math.round((scores[0] + 0.02) * 100) / 100;
  const counts = thresholdCounts(store, threshold);
  await store.close();
  assert.equal(counts.atOrAbove, 0);
  assert.ok(counts.justBelow >= 1);
  return { dir, threshold, near: counts.justBelow, scored: scores.length };
}

test('`autodidact train` and `export` with nothing above the threshold say so before contacting anyone', async () => {
  const { dir, threshold, near, scored } = await storeJustBelow();
  const expected = new RegExp(`none of the ${scored} scored interactions reaches the training threshold \\(minimum effectiveness ${threshold.toFixed(2)}\\); ${near} interactions? (is|are) just below it`);
  const train = cli('train', '--db', dir, '--min-effectiveness', String(threshold), '--trainer', 'ws://127.0.0.1:9');
  assert.equal(train.status, 1);
  assert.match(train.stderr, expected);
  assert.match(train.stderr, /--min-effectiveness/);
  const exported = cli('export', '--db', dir, '--min-effectiveness', String(threshold), '-o', path.join(dir, 'out.jsonl'));
  assert.equal(exported.status, 1);
  assert.match(exported.stderr, expected);
});

test('Train Next Version (the analysis server request) names the default threshold and the near misses', async () => {
  const { store } = await openAnalysedStore();
  await store.capture(sessionEvents('default', [
    { request: 'Rename the config loader', response: 'I could not find a config loader in this project.' },
    { request: 'It is in src/settings.ts', response: 'Renamed loadSettings to readSettings.' },
  ]));
  const counts = thresholdCounts(store);
  assert.equal(counts.threshold, DEFAULT_MIN_EFFECTIVENESS);
  assert.equal(counts.atOrAbove, 0, 'neither turn has evidence that reaches the default');
  await assert.rejects(trainingSetForRound(store), (error: Error) => {
    assert.match(error.message, new RegExp(`minimum effectiveness ${DEFAULT_MIN_EFFECTIVENESS.toFixed(2)}`));
    assert.match(error.message, new RegExp(`${counts.justBelow} interactions? (is|are) just below it`));
    assert.match(error.message, /autodidact\.train\.minEffectiveness setting/);
    return true;
  });
  await store.close();
});
