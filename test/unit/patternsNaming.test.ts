// Pattern names: the words that set a pattern's members apart from the rest of its category (c-TF-IDF),
// in the order the requests say them, never a cut-off prompt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameTerms, patternNames } from '../../extension/server/patterns/patternName';
import { readPatterns } from '../../extension/server/patterns/patternQuery';
import { openAnalysedStore, sessionEvents } from './analysisTestKit';

const cluster = (...requests: string[]) => ({ members: requests.map((request) => ({ request, files: [] as string[] })) });

test('a name is the words its members share and the rest of the category lacks, in the order they are said', () => {
  const names = patternNames([
    cluster('can you update agent-sidebar.tsx so that the filter icon comes after the Sessions text button',
      'can you make the filter icon smaller?',
      'the Sessions button has a space or padding in front of the text',
      'can you also remove that spacing from the Show more button at the end of the Sessions list'),
    cluster('Write unit tests for the date parser', 'Add unit tests for the date parser edge cases', 'More unit tests for the date parser: leap years'),
    cluster('Write unit tests for the invoice totals', 'unit tests for invoice rounding'),
  ]);
  assert.equal(names[0], 'filter icon, sessions, button');
  assert.equal(names[1], 'unit tests, date parser');
  assert.match(names[2], /invoice/);
});

test('words every pattern of the category uses rank below the ones that set a pattern apart', () => {
  const names = patternNames([
    cluster('refactor the billing module: invoice export to csv', 'refactor the billing module invoice export, csv quoting'),
    cluster('refactor the billing module login form', 'refactor the billing module login form validation'),
    cluster('refactor the billing module email sender', 'refactor the billing module email sender retries'),
  ]);
  const common = (name: string): number => (name.match(/refactor|billing|module/g) ?? []).length;
  assert.match(names[0], /invoice export/);
  assert.match(names[0], /csv/);
  assert.match(names[1], /login form/);
  assert.match(names[2], /email sender/);
  for (const name of names) assert.ok(common(name) <= 1, `${name}: words all patterns share fill the name`);
});

test('a word only one member uses does not name a pattern; verbs and pleasantries never do', () => {
  const [name] = patternNames([cluster('Please fix the flaky login test, thanks', 'fix the flaky login test again', 'the login test is flaky on CI, kubernetes')]);
  assert.equal(name, 'flaky login test');
  assert.ok(!/kubernetes|please|fix|thanks/i.test(name));
});

test('words come from any script: Chinese is segmented, French keeps its accents, case is kept for names', () => {
  assert.deepEqual(nameTerms('請幫我調查自動生成文檔的工具').map((t) => t.surface).filter((w) => w.length > 1).slice(0, 3), ['調查', '自動', '生成']);
  assert.deepEqual(nameTerms('Réorganise les tâches orphelines').map((t) => t.surface), ['Réorganise', 'les', 'tâches', 'orphelines']);
  const [name] = patternNames([cluster('review PoIValidator.ts for brittle logic', 'make PoIValidator.ts less brittle')]);
  assert.equal(name, 'PoIValidator.ts, brittle');
});

test('patterns in the store carry their name; the representative request is kept beside it', async () => {
  const { store } = await openAnalysedStore();
  const turns = ['Write unit tests for the invoice parser', 'Add unit tests for the invoice parser: negative totals', 'More unit tests for the invoice parser, rounding']
    .map((request) => ({ request, response: 'Added tests.', files: ['tests/test_invoice.py'] }));
  await store.capture(sessionEvents('named', turns));
  const [pattern] = readPatterns(store, { category: 'Testing' });
  assert.equal(pattern.name, 'unit tests, invoice parser');
  assert.notEqual(pattern.name, pattern.representativeRequest.slice(0, pattern.name.length));
  await store.close();
});

test('a file named in the request and edited by the answer is named once', () => {
  const members = [{ request: 'Write a song in @[xyz.md]', files: ['xyz.md'] }, { request: '@[xyz.md] again, longer', files: ['xyz.md'] }];
  assert.equal(patternNames([{ members }])[0], 'xyz.md');
});
