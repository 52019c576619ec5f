// The filter on seed 000's synthetic examples: a model-written variation or answer is kept only when
// it still passes its source's checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syntheticExamples } from '../../extension/server/dataset/syntheticExamples';
import { answerKeepsSourceChecks, keyTerms, variationKeepsSolution } from '../../extension/server/dataset/syntheticChecks';
import type { TrainingExample } from '../../extension/server/dataset/trainingExample';

const REQUEST = 'Add a function that fetches the open invoices from the backend.';
const ANSWER = 'Added `get_open_invoices`:\n\n```python\nfrom app.http import fetch_json\n\n\ndef get_open_invoices():\n    return fetch_json("/api/open-invoices")\n```';

test('a variation must keep the names its answer is built from and really reword the request', () => {
  assert.deepEqual(keyTerms(REQUEST, ANSWER), ['invoices', 'open']);
  assert.equal(variationKeepsSolution('Write a helper that loads the open invoices from the server.', REQUEST, ANSWER), true);
  assert.equal(variationKeepsSolution('Write a helper that loads the unpaid bills from the server.', REQUEST, ANSWER), false, 'the things asked about changed');
  assert.equal(variationKeepsSolution('  add a function that fetches the OPEN invoices from the backend. ', REQUEST, ANSWER), false, 'not a rewording');
  assert.equal(variationKeepsSolution('Sure:\n```python\nopen invoices\n```', REQUEST, ANSWER), false, 'an answer, not a request');
});

test("a written answer must keep the source answer's imports and show code when it did", () => {
  assert.equal(answerKeepsSourceChecks('```python\nfrom app.http import fetch_json\n\ndef get_rates():\n    return fetch_json("/rates")\n```', ANSWER), true);
  assert.equal(answerKeepsSourceChecks('```python\nimport requests\n\ndef get_rates():\n    return requests.get("/rates").json()\n```', ANSWER), false);
  assert.equal(answerKeepsSourceChecks('from app.http import fetch_json, then call it', ANSWER), false, 'no code block');
  assert.equal(answerKeepsSourceChecks('Plain prose.', 'Restart the server.'), true, 'nothing to keep');
});

test('generated examples that fail their checks are dropped and counted, the rest are marked synthetic', async () => {
  const source: TrainingExample = {
    id: 'e1', kind: 'direct', synthetic: false, category: 'API', sourceIds: ['i1'], sessionId: 's1', effectiveness: 1, splitKey: 'i1',
    messages: [{ role: 'user', content: REQUEST }, { role: 'assistant', content: ANSWER }],
  };
  const replies = [
    'Write a helper that loads the open invoices.', // variation: kept
    'Write one request about exchange rates.', // cross-category request
    '```python\nimport requests\nrequests.get("/rates")\n```', // its answer breaks the import convention: dropped
  ];
  const result = await syntheticExamples([source], async () => replies.shift() ?? '', { maxExamples: 5, categories: ['API', 'Data'], crossCategory: true });
  assert.equal(result.examples.length, 1);
  assert.equal(result.examples[0].kind, 'variation');
  assert.equal(result.examples[0].synthetic, true);
  assert.equal(result.examples[0].messages[1].content, ANSWER, 'a variation keeps the solution');
  assert.equal(result.rejected, 1);
  assert.equal(result.failures, 0);
});
