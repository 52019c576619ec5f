import * as fs from 'node:fs';
import { loadTransformersEmbedder, cosine } from '../../extension/server/categories/sentenceEmbedder';
import { embeddingText } from '../../extension/server/categories/embeddingClassifier';
import { RuleClassifier } from '../../extension/server/categories/ruleClassifier';
import { BUILT_IN_CATEGORIES } from '../../extension/server/categories/categoryTaxonomy';
const set = JSON.parse(fs.readFileSync('test/unit/fixtures/labelledRequests.json', 'utf8')) as Array<{ request: string; files?: string[]; category: string }>;
(async () => {
  const rules = new RuleClassifier(BUILT_IN_CATEGORIES);
  const emb = await loadTransformersEmbedder({ localModelPath: 'test/.models', allowRemoteModels: false, threads: 2 });
  const protos = await Promise.all(BUILT_IN_CATEGORIES.map((c) => emb.embed(c.descriptions)));
  const vecs = await emb.embed(set.map((s) => embeddingText({ request: s.request, files: s.files ?? [] })));
  for (const agg of ['max', 'mean']) for (const bonus of [0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5]) for (const scale of [1, 2, 3]) {
    let ok = 0;
    set.forEach((s, i) => {
      const rs = rules.scores({ request: s.request, files: s.files ?? [] });
      let best = -1, bs = -Infinity;
      protos.forEach((ps, c) => {
        const sims = ps.map((p) => cosine(vecs[i], p));
        const sim = agg === 'max' ? Math.max(...sims) : sims.reduce((a, b) => a + b, 0) / sims.length;
        const v = sim + bonus * Math.min(scale, rs[c].score) / scale;
        if (v > bs) { bs = v; best = c; }
      });
      if (BUILT_IN_CATEGORIES[best].name === s.category) ok++;
    });
    console.log(agg, bonus, scale, (ok / set.length).toFixed(3));
  }
})();
