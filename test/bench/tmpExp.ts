import * as fs from 'node:fs';
import { loadTransformersEmbedder } from '../../extension/server/categories/sentenceEmbedder';
import { EmbeddingClassifier } from '../../extension/server/categories/embeddingClassifier';
import { RuleClassifier } from '../../extension/server/categories/ruleClassifier';
import { BUILT_IN_CATEGORIES } from '../../extension/server/categories/categoryTaxonomy';
const set = JSON.parse(fs.readFileSync('test/unit/fixtures/labelledRequests.json', 'utf8')) as Array<{ request: string; files?: string[]; category: string }>;
(async () => {
  const rules = new RuleClassifier(BUILT_IN_CATEGORIES);
  let ok = 0;
  for (const s of set) { const d = rules.classify({ request: s.request, files: s.files ?? [] }); if (d.category === s.category) ok++; else console.log('R', s.category, '->', d.category, '|', s.request.slice(0, 60), d.evidence.join(',')); }
  console.log('rules', ok, set.length, ok / set.length);
  const emb = await loadTransformersEmbedder({ localModelPath: 'test/.models', allowRemoteModels: false, threads: 2 });
  const c = await EmbeddingClassifier.create(emb, BUILT_IN_CATEGORIES);
  const ds = await c.classify(set.map((s) => ({ request: s.request, files: s.files ?? [] })));
  ok = 0;
  ds.forEach((d, i) => { if (d.category === set[i].category) ok++; else console.log('E', set[i].category, '->', d.category, '|', set[i].request.slice(0, 60), d.evidence.join(',')); });
  console.log('emb+rules', ok, set.length, ok / set.length);
})();
