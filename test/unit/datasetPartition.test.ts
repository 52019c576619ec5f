import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateResponse, condenseRequest, partitionExchange, splitAtLines } from '../../extension/server/dataset/contextPartition';
import { sessionContextSummaries } from '../../extension/server/dataset/sessionContext';
import { approxTokens } from '../../extension/server/dataset/trainingExample';

const tokensOf = (messages: Array<{ content: string }>): number => messages.reduce((n, m) => n + approxTokens(m.content) + 2, 0);

function longAnswer(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `Step ${i}: change line ${i} of src/module${i % 7}.ts so the handler checks its input.`).join('\n');
}

test('an exchange that fits stays whole', () => {
  const parts = partitionExchange({ context: 'Earlier in this session:\n- set up the repo', request: 'Add a flag', response: 'Added --verbose.' }, 4096);
  assert.equal(parts.length, 1);
  assert.deepEqual(parts[0].messages.map((m) => m.role), ['system', 'user', 'assistant']);
});

test('a long answer is split into parts that each fit and rebuild the original exactly', () => {
  const response = longAnswer(900); // ~20k tokens
  const exchange = { context: 'Earlier in this session:\n- created the project', request: 'Refactor every module to validate input', response };
  const parts = partitionExchange(exchange, 2048);
  assert.ok(parts.length >= 10, `${parts.length} parts`);
  for (const part of parts) {
    assert.ok(tokensOf(part.messages) <= 2048, `part ${part.index} has ${tokensOf(part.messages)} tokens`);
    assert.equal(part.total, parts.length);
    assert.equal(part.messages[0].role, 'system', 'every part carries the shared context');
    assert.match(part.messages[0].content, /created the project/);
  }
  assert.equal(parts[0].messages[1].content, exchange.request);
  assert.equal(parts[3].messages[1].content, 'Continue.');
  assert.match(parts[3].messages[0].content, /part 4 of \d+.*Refactor every module/s);
  assert.equal(aggregateResponse(parts), response, 'nothing is lost or duplicated');
  assert.ok(parts.slice(0, -1).every((p) => p.messages[p.messages.length - 1].content.endsWith('\n')), 'cuts fall on line ends');
});

test('a long pasted request is condensed to head, tail and the lines that carry errors, and says so', () => {
  const log = Array.from({ length: 3000 }, (_, i) => (i === 1500 ? 'ERROR: connection refused to db:5432' : `INFO request ${i} ok`)).join('\n');
  const request = `Why does the worker crash? Here is the log:\n${log}\nPlease fix it.`;
  const [part, ...rest] = partitionExchange({ request, response: 'The database host is wrong in .env.' }, 1024);
  assert.equal(rest.length, 0);
  assert.equal(part.requestCondensed, true);
  const user = part.messages[0].content;
  assert.ok(user.startsWith('Why does the worker crash?'));
  assert.ok(user.endsWith('Please fix it.'));
  assert.match(user, /ERROR: connection refused/);
  assert.match(user, /characters condensed/);
  assert.ok(tokensOf(part.messages) <= 1024);
  assert.ok(condenseRequest(request, 2000).length <= 2000);
});

test('splitting at lines never loses a character, even with no newlines at all', () => {
  const text = 'x'.repeat(10_000);
  assert.equal(splitAtLines(text, 700).join(''), text);
  assert.ok(splitAtLines(text, 700).every((p) => p.length <= 700));
});

test('a long session gets bounded summaries: recent requests listed, older ones aggregated and counted', () => {
  const turns = Array.from({ length: 300 }, (_, i) => ({ id: `t${i}`, request: `Request number ${i}: adjust the parser for case ${i}`, files: [`src/p${i % 5}.ts`] }));
  const summaries = sessionContextSummaries(turns, 256);
  assert.equal(summaries.get('t0'), undefined);
  const last = summaries.get('t299')!;
  assert.ok(approxTokens(last) <= 256, `${approxTokens(last)} tokens`);
  assert.match(last, /Request number 298/);
  const aggregated = /\((\d+) earlier exchanges touching/.exec(last);
  assert.ok(aggregated, last);
  const listed = last.split('\n').filter((l) => l.startsWith('- Request')).length;
  assert.equal(Number(aggregated[1]) + listed, 299, 'every earlier exchange is either listed or counted');
  for (const summary of summaries.values()) if (summary) assert.ok(approxTokens(summary) <= 256);
});
