// Issue 13's "done when" on the real base (SmolLM2-135M-Instruct, CPU): after sessions in which the
// user corrected the assistant (imported through the real Aider importer), the next similar request
// through the real gateway on loopback is answered right more often because the lesson, with its
// worked example, was recalled. Greedy answers (one per request and side, 64 tokens) to the bench's
// ten held-out requests, with recall and with `x-autodidact-recall: measure`'s explicit messages
// without it; unrelated requests recall nothing. `npm run bench:lessons` is the sampled version with
// a per-lesson advantage.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { smolLm2Dir } from '../bench/learning/baseModel';
import { REPO_ROOT } from '../bench/learning/productCli';
import { runLessonsBench } from '../bench/lessons/lessonsBenchRun';

test('a recalled lesson gets the next similar request answered right on the real base', { timeout: 900_000 }, async () => {
  const result = await runLessonsBench({
    baseModel: smolLm2Dir(), python: path.join(REPO_ROOT, '.venv', 'bin', 'python'), engineDir: path.join(REPO_ROOT, 'trainer-server'),
    env: { ...process.env, AUTODIDACT_OFFLINE: '1', HF_HUB_OFFLINE: '1' },
    advantage: true, rollouts: 1, maxTokens: 64, temperature: 0,
    progress: (line) => console.log(line),
  });
  assert.equal(result.found, result.expected, 'every kind of correction taught its lesson');
  assert.equal(result.recallHitRate, 1);
  assert.equal(result.recallPrecision, 1);
  assert.equal(result.falseRecalls, 0);
  const rows = result.lessons.map((l) => ({ kind: l.kind, with: Math.round(l.advantage!.withRate * l.advantage!.samples), without: Math.round(l.advantage!.withoutRate * l.advantage!.samples), n: l.advantage!.samples }));
  const withRight = rows.reduce((sum, r) => sum + r.with, 0);
  const withoutRight = rows.reduce((sum, r) => sum + r.without, 0);
  const asked = rows.reduce((sum, r) => sum + r.n, 0);
  console.log(`held-out requests answered right, greedy: ${withRight}/${asked} with recall, ${withoutRight}/${asked} without (${rows.map((r) => `${r.kind} ${r.with}-${r.without}`).join(', ')})`);
  assert.ok(withRight >= withoutRight + 3, `recall must get at least three more of the ${asked} held-out requests right (${withRight} vs ${withoutRight})`);
});
