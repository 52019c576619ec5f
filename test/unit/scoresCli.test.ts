// `autodidact scores --json`: every score explains itself with its signals and the evidence events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { ScoredInteraction } from '../../extension/server/cli/scoresCommand';
import { openAnalysedStore, REPO, sessionEvents } from './analysisTestKit';

test('scores --json lists each interaction with its signals and the outcome events they came from', async () => {
  const { store, dir } = await openAnalysedStore();
  await store.capture(sessionEvents('cli-scores', [
    { request: 'Fix the failing date parser test', response: 'Changed the week calculation.', solutions: ['edited src/dates.ts'],
      outcomes: [{ kind: 'test_failed', detail: '1 failed' }, { kind: 'test_passed', detail: '14 passed' }, { kind: 'task_completed', detail: 'done' }] },
    { request: 'Thanks, works! Now add a test for leap years', response: 'I could not find the test folder.' },
  ]));
  await store.close();
  const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'extension/server/cli.ts'), 'scores', '--db', dir, '--json'], { cwd: REPO, encoding: 'utf8' });
  const rows = JSON.parse(out) as ScoredInteraction[];
  assert.equal(rows.length, 2);
  assert.ok(rows[0].effectiveness <= rows[1].effectiveness, 'lowest first');
  const [admitted, fixed] = rows;
  assert.deepEqual(admitted.breakdown?.signals.map((s) => s.name), ['admission']);
  assert.deepEqual(fixed.breakdown?.signals.map((s) => s.name).sort(), ['edits_made', 'reaction_acceptance', 'tests_passed_last']);
  assert.deepEqual(fixed.breakdown?.evidence.map((e) => [e.kind, e.count, e.ignored !== undefined]), [['test_failed', 1, false], ['test_passed', 1, false], ['task_completed', 1, true]]);
  assert.equal(fixed.effectiveness, fixed.breakdown?.score);
  const text = execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'extension/server/cli.ts'), 'scores', '--db', dir, '--min', '0.5'], { cwd: REPO, encoding: 'utf8' });
  assert.match(text, /tests_passed_last: the last test run passed: 14 passed/);
  assert.match(text, /evidence: test_failed ×1, test_passed ×1, task_completed ×1 \(not counted\)/);
});
