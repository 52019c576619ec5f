// The small version of `npm run bench:lessons`: the same sessions, importer, store and gateway on
// loopback, with the tiny model (recall does not depend on the model; the advantage does, so it is
// measured by the full bench on the real base).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runLessonsBench } from '../bench/lessons/lessonsBenchRun';
import { ENGINE_DIR, PYTHON, tinyModelDir } from './trainerTestKit';

test('lessons bench (small): every expected lesson found, recalled for its kind only, never for unrelated requests', { timeout: 300_000 }, async () => {
  const result = await runLessonsBench({
    baseModel: tinyModelDir(), python: PYTHON, engineDir: ENGINE_DIR, env: { ...process.env, AUTODIDACT_OFFLINE: '1', AUTODIDACT_OFFLINE_BASE: 'tiny' },
    advantage: false, rollouts: 1, maxTokens: 8,
  });
  assert.equal(result.found, result.expected);
  assert.equal(result.recallHitRate, 1, 'each held-out request recalls its kind\'s lesson');
  assert.equal(result.recallPrecision, 1, 'and no other');
  assert.equal(result.falseRecalls, 0);
  assert.ok(result.recallMedianMs < 50, `recall is cheap (${result.recallMedianMs} ms)`);
});
