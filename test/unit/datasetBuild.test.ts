import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTrainingSet } from '../../extension/server/dataset/buildTrainingSet';
import { readPatterns, setPatternIncluded } from '../../extension/server/patterns/patternQuery';
import { openAnalysedStore, sessionEvents, type TurnSpec } from './analysisTestKit';

const worked = [{ kind: 'vote' as const, value: 1 }, { kind: 'test_passed' as const }];
// A fake token of GitHub's layout: it must never reach a dataset even if it reached the store.
const FAKE_TOKEN = `ghp_${'a1B2c3D4e5F6g7H8i9J0'}k1L2m3N4o5P6q7R8`;

const debugging: TurnSpec[] = [
  { request: 'Fix the CSV import: dates come out as strings', response: 'Changed the column type.' },
  { request: 'still failing, the dates are still strings', response: 'Parse them with dateutil and dayfirst=True.', outcomes: worked },
  { request: `Call the GitHub API with my token ${FAKE_TOKEN}`, response: `Set Authorization: token ${FAKE_TOKEN} in the client.`, outcomes: worked },
  { request: 'Explain what this regex matches', response: 'It matches ISO dates.' },
];

const habit = (n: number, session: string): TurnSpec[] => Array.from({ length: n }, (_, i) => ({
  request: `Write unit tests for the invoice parser covering case ${session}${i}`, response: `Added a test for case ${session}${i}.`,
  files: ['tests/test_invoice.py'], outcomes: worked,
}));

test('direct pairs reach the threshold; the failed attempt is paired with the fix that followed it', async () => {
  const { store } = await openAnalysedStore();
  await store.capture(sessionEvents('dbg', debugging));
  const set = await buildTrainingSet(store, { evalFraction: 0 });
  const direct = set.train.filter((e) => e.kind === 'direct');
  assert.deepEqual(direct.map((e) => e.sourceIds[0]).sort(), ['dbg-i1', 'dbg-i2']);
  const [improvement] = set.train.filter((e) => e.kind === 'improvement');
  assert.deepEqual(improvement.sourceIds, ['dbg-i0', 'dbg-i1']);
  assert.equal(improvement.messages.find((m) => m.role === 'user')!.content, debugging[0].request);
  assert.equal(improvement.messages.at(-1)!.content, debugging[1].response);
  assert.ok(set.train.every((e) => !e.synthetic));
  const lower = await buildTrainingSet(store, { evalFraction: 0, minEffectiveness: 0.5 });
  assert.ok(lower.train.some((e) => e.sourceIds[0] === 'dbg-i3'), 'a lower threshold admits the unrated interaction');
  await store.close();
});

test('secrets are redacted in every message, and counted', async () => {
  const { store } = await openAnalysedStore();
  await store.capture(sessionEvents('sec', debugging));
  const set = await buildTrainingSet(store, { evalFraction: 0 });
  const text = JSON.stringify([...set.train, ...set.eval]);
  assert.ok(!text.includes(FAKE_TOKEN));
  assert.match(text, /\[GITHUB_TOKEN\]/);
  assert.ok(set.stats.redactions.byType.GITHUB_TOKEN >= 1, JSON.stringify(set.stats.redactions));
  await store.close();
});

test('duplicates are removed, and one habit cannot fill the set (cap per pattern)', async () => {
  const { store } = await openAnalysedStore();
  await store.capture(sessionEvents('h1', habit(12, 'a')));
  await store.capture(sessionEvents('dup1', debugging.slice(0, 2)));
  await store.capture(sessionEvents('dup2', debugging.slice(0, 2)));
  const [pattern] = readPatterns(store, { category: 'Testing' });
  assert.equal(pattern.count, 12);
  const set = await buildTrainingSet(store, { evalFraction: 0, maxPerPattern: 3 });
  assert.equal(set.train.filter((e) => e.patternId === pattern.id).length, 3);
  assert.equal(set.stats.cappedRemoved, 9);
  assert.ok(set.stats.duplicatesRemoved >= 2, `removed ${set.stats.duplicatesRemoved}`);
  const texts = set.train.map((e) => JSON.stringify(e.messages.filter((m) => m.role !== 'system')));
  assert.equal(new Set(texts).size, texts.length);
  await store.close();
});

test('an excluded pattern is left out of the training set', async () => {
  const { store } = await openAnalysedStore();
  await store.capture(sessionEvents('ex', habit(4, 'x')));
  await store.capture(sessionEvents('keep', debugging));
  const [pattern] = readPatterns(store, { category: 'Testing' });
  assert.ok((await buildTrainingSet(store, { evalFraction: 0 })).train.some((e) => e.patternId === pattern.id));
  await setPatternIncluded(store, pattern.id, false);
  const set = await buildTrainingSet(store, { evalFraction: 0 });
  assert.ok(set.train.length > 0);
  assert.ok(set.train.every((e) => !pattern.memberIds.includes(e.sourceIds.at(-1)!)));
  await store.close();
});

test('the eval split is deterministic, disjoint from training, and keeps an answer on one side', async () => {
  const { store } = await openAnalysedStore();
  for (let s = 0; s < 12; s++) {
    await store.capture(sessionEvents(`sp${s}`, [
      { request: `Rename the ${s}th helper in module ${s * 7} to something clearer`, response: `Renamed helper ${s}.` },
      { request: `that's wrong, rename helper ${s} in module ${s * 7} instead`, response: `Renamed the right helper ${s}.`, outcomes: worked },
      { request: `Document the public API of service ${s * 13}`, response: `Wrote docs for ${s}.`, outcomes: worked },
    ]));
  }
  const a = await buildTrainingSet(store, { evalFraction: 0.25 });
  const b = await buildTrainingSet(store, { evalFraction: 0.25 });
  assert.deepEqual(a.eval.map((e) => e.id), b.eval.map((e) => e.id));
  assert.equal(a.sha256, b.sha256);
  assert.ok(a.eval.length > 0 && a.train.length > a.eval.length);
  const trainIds = new Set(a.train.map((e) => e.id));
  const trainKeys = new Set(a.train.map((e) => e.splitKey));
  assert.ok(a.eval.every((e) => !trainIds.has(e.id) && !trainKeys.has(e.splitKey)));
  const answers = (examples: typeof a.train): Set<string> => new Set(examples.map((e) => e.messages.at(-1)!.content));
  const evalAnswers = answers(a.eval);
  assert.ok([...answers(a.train)].every((text) => !evalAnswers.has(text)), 'no answer is taught in training and tested in eval');
  assert.ok(a.train.some((e) => e.kind === 'improvement') && a.eval.some((e) => e.kind === 'improvement'));
  await store.close();
});

test('synthetic variations come only from the generator, only from training examples, and are marked', async () => {
  const { store } = await openAnalysedStore();
  for (let s = 0; s < 8; s++) {
    const request = s % 2 ? `Sanitize the untrusted input of endpoint number ${s * 17}` : `Write the README section for module number ${s * 17}`;
    await store.capture(sessionEvents(`sy${s}`, [{ request, response: `Done for ${s}.`, outcomes: worked }]));
  }
  const plain = await buildTrainingSet(store, { evalFraction: 0.3 });
  const prompts: string[] = [];
  const set = await buildTrainingSet(store, {
    evalFraction: 0.3,
    generate: async (prompt) => { prompts.push(prompt); return `Reworded: ${prompt.split('\n').at(-1)}`; },
  });
  const synthetic = set.train.filter((e) => e.synthetic);
  assert.ok(synthetic.some((e) => e.kind === 'variation') && synthetic.some((e) => e.kind === 'cross-category'));
  assert.deepEqual(set.eval.map((e) => e.id), plain.eval.map((e) => e.id), 'synthetic data never changes the eval split');
  assert.ok(set.eval.every((e) => !e.synthetic));
  const evalRequests = plain.eval.map((e) => e.messages.find((m) => m.role === 'user')!.content);
  const leaked = prompts.filter((p) => evalRequests.some((r) => p.includes(r)));
  assert.deepEqual(leaked, [], 'no prompt was built from a held-out example');
  await store.close();
});

test('bad options are refused with a clear message', async () => {
  const { store } = await openAnalysedStore();
  await assert.rejects(buildTrainingSet(store, { minEffectiveness: 1.5 }), /minEffectiveness must be between 0 and 1/);
  await assert.rejects(buildTrainingSet(store, { maxTokens: 10 }), /maxTokens must be at least 256/);
  await store.close();
});

test('a session longer than the context becomes parts that fit, share the session summary and stay together', async () => {
  const { store } = await openAnalysedStore();
  const longAnswer = Array.from({ length: 400 }, (_, i) => `Line ${i}: update handler ${i} to check the input before use.`).join('\n');
  await store.capture(sessionEvents('long', [
    { request: 'Set up the project skeleton', response: 'Created it.', outcomes: worked },
    { request: 'Add input checks to every handler', response: longAnswer, outcomes: worked },
  ]));
  const set = await buildTrainingSet(store, { evalFraction: 0, maxTokens: 1024 });
  const parts = set.train.filter((e) => e.part);
  assert.ok(parts.length >= 4, `${parts.length} parts`);
  assert.equal(set.stats.partitionedExchanges, 1);
  assert.equal(parts.map((p) => p.messages.at(-1)!.content).join(''), longAnswer, 'the parts rebuild the answer exactly');
  for (const p of parts) {
    assert.ok(p.messages.reduce((n, m) => n + Math.ceil(m.content.length / 4), 0) <= 1024);
    assert.match(p.messages[0].content, /Set up the project skeleton/, 'every part carries the session summary');
    assert.equal(p.splitKey, parts[0].splitKey);
  }
  await store.close();
});
