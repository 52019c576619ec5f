import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILT_IN_CATEGORIES, FALLBACK_CATEGORY } from '../../extension/server/categories/categoryTaxonomy';
import { buildTaxonomy } from '../../extension/server/categories/extraCategories';
import { RuleClassifier } from '../../extension/server/categories/ruleClassifier';
import { openAnalysedStore, row, sessionEvents } from './analysisTestKit';

const rules = new RuleClassifier(BUILT_IN_CATEGORIES);
const classify = (request: string, files: string[] = []): string => rules.classify({ request, files }).category;

test("the taxonomy holds seed 000's ten categories and the everyday ones", () => {
  const names = BUILT_IN_CATEGORIES.map((c) => c.name);
  for (const seed of ['Security', 'Documentation', 'Deployment', 'Identity', 'Training', 'Branding', 'Versioning', 'Format', 'Quantization', 'Analysis']) {
    assert.ok(names.includes(seed), seed);
  }
  for (const everyday of ['Testing', 'Debugging', 'Refactoring', 'Performance', 'Dependencies', 'Build', 'UI', 'Data', 'Configuration']) {
    assert.ok(names.includes(everyday), everyday);
  }
  for (const c of BUILT_IN_CATEGORIES) assert.ok(c.descriptions.length >= 3 && c.keywords.length >= 5, c.name);
});

test('keywords (with plural and -ing forms) and file paths decide', () => {
  assert.equal(classify('Quantize the model to GGUF'), 'Quantization');
  assert.equal(classify('The deployments keep failing on Kubernetes'), 'Deployment');
  assert.equal(classify('please look at this', ['src/__tests__/cart.test.ts']), 'Testing');
  assert.equal(classify('update this', ['.github/workflows/ci.yml']), 'Deployment');
  assert.equal(classify('hello there'), FALLBACK_CATEGORY);
  const evidence = rules.classify({ request: 'Add pytest fixtures', files: ['tests/conftest.py'] }).evidence;
  assert.ok(evidence.includes('pytest') && evidence.some((e) => e.startsWith('path: ')), evidence.join(', '));
});

test('extra categories from settings are added; a built-in name extends it; bad entries are reported', () => {
  const taxonomy = buildTaxonomy([
    { name: 'Payments', keywords: ['stripe', 'invoice', 'checkout'] },
    { name: 'security', keywords: ['yubikey'] },
    { name: '', keywords: ['x'] },
    { name: 'NoWords', keywords: [] },
    'not an object',
    { name: 'General', keywords: ['misc'] },
  ]);
  assert.equal(taxonomy.categories[0].name, 'Payments');
  assert.ok(taxonomy.categories.find((c) => c.name === 'Security')!.keywords.includes('yubikey'));
  assert.equal(taxonomy.categories.filter((c) => c.name.toLowerCase() === 'security').length, 1);
  assert.equal(taxonomy.problems.length, 4, taxonomy.problems.join('\n'));
  const custom = new RuleClassifier(taxonomy.categories);
  assert.equal(custom.classify({ request: 'The Stripe checkout webhook drops invoices', files: [] }).category, 'Payments');
  assert.equal(custom.classify({ request: 'Require a yubikey at sign-in', files: [] }).category, 'Security');
  assert.deepEqual(buildTaxonomy('nope').problems.length, 1);
});

test('the deriver categorises by rules, and the extra-categories setting recategorises the store', async () => {
  const { store, analysis } = await openAnalysedStore();
  assert.equal(analysis.status().classifierMode, 'rules (embeddings disabled)');
  await store.capture(sessionEvents('cat', [
    { request: 'The Stripe checkout webhook drops invoices', response: 'Handled the retry.' },
    { request: 'Bump the version and write the changelog', response: 'Done.', files: ['CHANGELOG.md'] },
  ]));
  assert.equal(row<{ category: string }>(store, 'SELECT category FROM interactions WHERE id = ?', ['cat-i1']).category, 'Versioning');
  assert.notEqual(row<{ category: string }>(store, 'SELECT category FROM interactions WHERE id = ?', ['cat-i0']).category, 'Payments');
  await analysis.setExtraCategories([{ name: 'Payments', keywords: ['stripe', 'checkout', 'invoice'] }]);
  assert.equal(row<{ category: string }>(store, 'SELECT category FROM interactions WHERE id = ?', ['cat-i0']).category, 'Payments');
  await store.close();
});

test('a follow-up ("still failing", "now do the same for...") takes the topic of the request before it', async () => {
  const { store } = await openAnalysedStore();
  await store.capture(sessionEvents('fol', [
    { request: 'Fix the off-by-one bug in the pagination of the orders list', response: 'Changed < to <=.' },
    { request: 'still failing on the last page', response: 'Also clamp the offset.' },
    { request: 'now the same for the customers list', response: 'Done.' },
  ]));
  const categories = store.query<{ category: string }>("SELECT category FROM interactions WHERE session_id = 'fol' ORDER BY started_at").map((r) => r.category);
  assert.deepEqual(categories, ['Debugging', 'Debugging', 'Debugging']);
  await store.close();
});
