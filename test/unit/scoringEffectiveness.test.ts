import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logistic, scoreInteraction, type ScoringInput } from '../../extension/server/scoring/effectivenessScore';
import { followUpReaction } from '../../extension/server/scoring/followUpReaction';
import { responseAdmission } from '../../extension/server/scoring/responseAdmissions';
import { FEATURE_NAMES } from '../../extension/server/scoring/scoringFeatures';
import { SCORING_MODEL } from '../../extension/server/scoring/scoringModel';
import { parseBreakdown } from '../../extension/server/scoring/scoreBreakdown';

const input = (overrides: Partial<ScoringInput> = {}): ScoringInput => ({
  assistantResponse: 'Here is the change.', solutionsApplied: [], issuesEncountered: [], outcomes: [], ...overrides,
});
const event = (kind: string, value: number | null = null, detail: string | null = null): ScoringInput['outcomes'][number] => ({ kind, value, detail });
const BASE = scoreInteraction(input()).score;

test('an interaction with no evidence scores the base probability, with an empty breakdown', () => {
  const b = scoreInteraction(input());
  assert.equal(b.score, b.base);
  assert.equal(b.base, Math.round(logistic(SCORING_MODEL.intercept) * 10000) / 10000);
  assert.deepEqual(b.signals, []);
  assert.deepEqual(b.evidence, []);
});

test("the assistant praising itself is not evidence: 'Done! This works' scores like silence", () => {
  const praise = scoreInteraction(input({ assistantResponse: 'Done! Fixed it, everything works now and all tests pass. The deploy was successful.' }));
  assert.equal(praise.score, BASE);
  assert.deepEqual(praise.signals, []);
  const claimed = scoreInteraction(input({ outcomes: [event('task_completed', null, 'Task complete: all good')] }));
  assert.equal(claimed.score, BASE, 'a task_completed event is read but not counted');
  assert.equal(claimed.evidence[0].kind, 'task_completed');
  assert.match(claimed.evidence[0].ignored ?? '', /own claim/);
});

test('admissions are failure evidence, in five languages', () => {
  for (const [text, lang] of [
    ['I was unable to run the migration because the database is locked.', 'en'],
    ["Sorry, I couldn't find a way to make this work.", 'en'],
    ["I'm not able to reach the database from here.", 'en'],
    ['No puedo acceder al repositorio.', 'es'],
    ['Please add `src/app.ts` to the chat so I can edit it.', 'en'],
    ['抱歉，我无法访问这个文件。', 'zh'],
    ['No pude compilar el proyecto.', 'es'],
    ["Je n'ai pas pu lancer les tests.", 'fr'],
    ['Ich konnte die Datei nicht finden.', 'de'],
  ] as const) {
    assert.equal(responseAdmission(text)?.lang, lang, text);
    assert.ok(scoreInteraction(input({ assistantResponse: text })).score < BASE, text);
  }
  for (const text of ['I can help with that: here is the patch.', 'The function cannot return null, so the check is safe.', 'Done! I added the test.']) {
    assert.equal(responseAdmission(text), undefined, text);
  }
});

test('the next message is read as a reaction: correction, complaint, repeat, acceptance or moving on', () => {
  const cases: Array<[string, string, string?]> = [
    ["That's wrong, it still fails on empty input", 'correction'],
    ['还是报错，同样的错误', 'correction'],
    ['Sigue sin funcionar', 'correction'],
    ['Ça ne marche toujours pas', 'correction'],
    ['Funktioniert immer noch nicht', 'correction'],
    ['I told you not to touch the config', 'complaint'],
    ['Je t\'ai dit de ne pas toucher au fichier', 'complaint'],
    ['Thanks, that works! Now add a test for it.', 'acceptance'],
    ['谢谢，可以了', 'acceptance'],
    ['¡Gracias! Ya funciona', 'acceptance'],
    ['Merci, ça marche', 'acceptance'],
    ['Danke, funktioniert jetzt', 'acceptance'],
    ['Now add pagination to the list endpoint', 'moved_on'],
    ['Please fix the login form validation so empty emails are rejected', 'repeat', 'please fix the login form validation so empty emails are rejected!'],
  ];
  for (const [next, kind, request] of cases) assert.equal(followUpReaction(next, request ?? 'Add a retry to the HTTP client')?.kind, kind, next);
  assert.equal(followUpReaction(undefined), undefined, 'the last turn of a session has no reaction');
  assert.equal(followUpReaction('thanks, but it still fails')?.kind, 'correction', 'a correction wins over politeness');
  assert.notEqual(followUpReaction(`Here is the log:\n${'x'.repeat(400)}\nstill failing`)?.kind, 'correction', 'only the head is read');

  const accepted = scoreInteraction(input({ nextRequest: 'Perfect, thanks' })).score;
  const movedOn = scoreInteraction(input({ nextRequest: 'Now write the README section' })).score;
  const corrected = scoreInteraction(input({ nextRequest: 'No, that broke the build' })).score;
  assert.ok(accepted > movedOn && movedOn > BASE && BASE > corrected, `${accepted} > ${movedOn} > ${BASE} > ${corrected}`);
});

test('observed outcomes move the score: last test run, failed tools and commands, votes, undone edits', () => {
  const passed = scoreInteraction(input({ outcomes: [event('test_failed'), event('test_passed', null, '12 passed')] }));
  const failed = scoreInteraction(input({ outcomes: [event('test_passed'), event('test_failed', null, '1 failed')] }));
  assert.ok(passed.score > BASE && failed.score < BASE, 'the last run decides: red then green is a pass');
  assert.deepEqual(passed.signals.map((s) => s.name), ['tests_passed_last']);
  const errors = scoreInteraction(input({ outcomes: [event('tool_error', null, 'Bash failed'), event('tool_ok'), event('tool_ok'), event('tool_ok')] }));
  assert.equal(errors.signals.find((s) => s.name === 'tool_error_share')?.value, 0.25);
  assert.ok(errors.score < BASE);
  assert.equal(scoreInteraction(input({ outcomes: [event('exit_code', null)] })).score, BASE, 'an unknown exit code says nothing');
  assert.ok(scoreInteraction(input({ outcomes: [event('vote', 1)] })).score > 0.85);
  assert.ok(scoreInteraction(input({ outcomes: [event('edit_undone'), event('vote', -1)] })).score < 0.05);
});

test('the breakdown explains the score: logistic of the intercept plus contributions, with its evidence', () => {
  const b = scoreInteraction(input({
    solutionsApplied: ['edited a.ts'], nextRequest: 'great, thanks',
    outcomes: [event('tool_ok'), event('exit_code', 0, 'npm test'), event('exit_code', 1, 'npm run lint'), event('test_passed', null, 'Tests: 4 passed')],
  }));
  const logit = SCORING_MODEL.intercept + b.signals.reduce((s, x) => s + x.contribution, 0);
  assert.ok(Math.abs(logit - b.logit) < 1e-3);
  assert.ok(Math.abs(logistic(b.logit) - b.score) < 1e-3);
  for (const s of b.signals) {
    assert.ok(FEATURE_NAMES.includes(s.name as never), s.name);
    assert.ok(s.detail && s.detail.length > 0, `${s.name} says why`);
  }
  assert.deepEqual(b.evidence.map((e) => `${e.kind}×${e.count}`), ['tool_ok×1', 'exit_code 0×1', 'exit_code non-zero×1', 'test_passed×1']);
  assert.deepEqual(b.evidence[3].details, ['Tests: 4 passed']);
  assert.match(b.signals.find((s) => s.name === 'reaction_acceptance')?.detail ?? '', /great/);
});

test('a breakdown stored by the old hand-tuned scorer reads as not scored yet, not as a broken shape', () => {
  const old = JSON.stringify({ version: 1, base: 0.6, heuristic: 0, outcome: 0.3, heuristicScale: 1, raw: 0.9, score: 0.9, signals: [{ name: 'vote_up', part: 'outcome', weight: 0.3, value: 1, contribution: 0.3 }] });
  assert.equal(parseBreakdown(old), undefined);
  const current = scoreInteraction(input({ outcomes: [event('vote', 1)] }));
  assert.deepEqual(parseBreakdown(JSON.stringify(current)), current);
});
