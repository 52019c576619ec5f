import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scoreInteraction, type ScoringInput } from '../../extension/server/scoring/effectivenessScore';
import { followUpReaction } from '../../extension/server/scoring/followUpReaction';
import { BASE_SCORE, HEURISTIC_SCALE_WITH_EVIDENCE, OUTCOME_WEIGHTS } from '../../extension/server/scoring/scoringWeights';

const input = (overrides: Partial<ScoringInput> = {}): ScoringInput => ({
  assistantResponse: 'Here is the change.', solutionsApplied: [], issuesEncountered: [], outcomes: [], ...overrides,
});

test('an interaction nobody reacted to scores the base, with an empty breakdown', () => {
  const b = scoreInteraction(input());
  assert.equal(b.score, BASE_SCORE);
  assert.deepEqual(b.signals, []);
});

test("seed 000's indicators: solutions and 'fixed' raise, 'error' and 'failed' lower", () => {
  const good = scoreInteraction(input({ assistantResponse: 'I fixed the import; the build was successful.', solutionsApplied: ['edited a.ts', 'edited b.ts'] }));
  assert.ok(good.score > BASE_SCORE);
  assert.deepEqual(good.signals.map((s) => s.name).sort(), ['says "fixed"', 'says "successful"', 'solutions applied']);
  const bad = scoreInteraction(input({ assistantResponse: 'The command failed with an error.' }));
  assert.ok(bad.score < BASE_SCORE);
});

test('keywords alone never reach the default training threshold of 0.9', () => {
  const b = scoreInteraction(input({
    assistantResponse: 'Fixed! Everything works now and the deploy was successful.',
    solutionsApplied: Array.from({ length: 20 }, (_, i) => `edited f${i}.ts`),
  }));
  assert.ok(b.score < 0.9, `keyword-only score ${b.score}`);
  assert.equal(b.signals.find((s) => s.name === 'solutions applied')?.contribution, 0.15, 'solution count is capped');
});

test('good news is not punished: "no errors" and "0 failed" are not negative indicators', () => {
  const b = scoreInteraction(input({ assistantResponse: 'Ran the suite: 42 passed, 0 failed, no errors.' }));
  assert.equal(b.signals.filter((s) => s.contribution < 0).length, 0, JSON.stringify(b.signals));
});

test('outcomes ground the score: votes, tests and kept edits lift it past 0.9; undo and failures sink it', () => {
  const up = scoreInteraction(input({ outcomes: [{ kind: 'vote', value: 1, detail: null }, { kind: 'test_passed', value: null, detail: null }] }));
  assert.ok(up.score >= 0.9, `score ${up.score}`);
  const down = scoreInteraction(input({ assistantResponse: 'Fixed it, all successful.', outcomes: [{ kind: 'edit_undone', value: null, detail: null }, { kind: 'test_failed', value: null, detail: null }] }));
  assert.ok(down.score < 0.4, `score ${down.score}`);
  assert.equal(down.heuristicScale, HEURISTIC_SCALE_WITH_EVIDENCE, 'keywords count less once outcomes are known');
});

test('an unknown exit code says nothing; 0 helps and non-zero hurts', () => {
  assert.equal(scoreInteraction(input({ outcomes: [{ kind: 'exit_code', value: null, detail: null }] })).score, BASE_SCORE);
  assert.ok(scoreInteraction(input({ outcomes: [{ kind: 'exit_code', value: 0, detail: null }] })).score > BASE_SCORE);
  assert.ok(scoreInteraction(input({ outcomes: [{ kind: 'exit_code', value: 2, detail: null }] })).score < BASE_SCORE);
});

test('forty tool errors cost no more than the cap', () => {
  const rows = Array.from({ length: 40 }, () => ({ kind: 'tool_error', value: null, detail: 'Bash failed' }));
  const b = scoreInteraction(input({ outcomes: rows, issuesEncountered: rows.map(() => 'Bash failed: exit 1') }));
  const signal = b.signals.find((s) => s.name === 'tool_error');
  assert.equal(signal?.value, 40);
  assert.equal(signal?.contribution, OUTCOME_WEIGHTS.tool_error.cap);
  assert.equal(b.signals.find((s) => s.name === 'issues encountered'), undefined, 'issues from tool errors are not counted twice');
});

test('the breakdown adds up: base + contributions = raw, clamped to [0, 1]', () => {
  const cases = [
    input({ outcomes: [{ kind: 'vote', value: 1, detail: null }, { kind: 'test_passed', value: null, detail: null }, { kind: 'edit_kept', value: null, detail: null }, { kind: 'suggestion_accepted', value: null, detail: null }] }),
    input({ outcomes: [{ kind: 'vote', value: -1, detail: null }, { kind: 'user_correction', value: null, detail: null }, { kind: 'api_error', value: null, detail: null }] }),
    input({ assistantResponse: 'fixed', nextRequest: 'still failing with the same error' }),
  ];
  for (const c of cases) {
    const b = scoreInteraction(c);
    const sum = b.base + b.signals.reduce((s, x) => s + x.contribution, 0);
    assert.ok(Math.abs(sum - b.raw) < 1e-3, `${sum} vs ${b.raw}`);
    assert.ok(b.score >= 0 && b.score <= 1);
    assert.equal(b.score, Math.min(1, Math.max(0, b.raw)));
    for (const s of b.signals) assert.ok(s.part === 'heuristic' || s.part === 'outcome');
  }
});

test('the next request in the session is read as a reaction to this answer', () => {
  const corrected = scoreInteraction(input({ nextRequest: "That's wrong, it still fails on empty input" }));
  assert.ok(corrected.score < BASE_SCORE);
  assert.match(corrected.signals[0].name, /follow-up correction/);
  const confirmed = scoreInteraction(input({ nextRequest: 'Thanks, that works! Now add a test for it.' }));
  assert.ok(confirmed.score > BASE_SCORE);
});

test('corrections are recognised; fresh requests and pasted logs are not', () => {
  for (const text of ['still failing', 'Still getting the same error', "that's not what I asked", 'revert that please',
    'undo that change', 'it did not work', 'same error as before', 'No, the other file', 'you broke the login page', 'fails again after your change']) {
    assert.equal(followUpReaction(text)?.kind, 'correction', text);
  }
  for (const text of ['Now add pagination to the list endpoint', 'Write tests for the parser', 'The login page does not load on Safari, can you look?',
    `Here is the log:\n${'x'.repeat(400)}\nstill failing`]) {
    assert.notEqual(followUpReaction(text)?.kind, 'correction', text);
  }
  assert.equal(followUpReaction('thanks, but it still fails')?.kind, 'correction', 'a correction wins over politeness');
});
