// Scoring, categorisation and embedding figures on this machine. Run:
//   node --import tsx test/bench/scoringBench.ts [--n 2000] [--embedded 300] [--json]   (runAll.ts calls run())
// Needs the embedding model: .venv/bin/python test/setup/prepare_embedding_model.py
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CaptureEvent } from '../../extension/protocol/records';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { BUILT_IN_CATEGORIES } from '../../extension/server/categories/categoryTaxonomy';
import { EmbeddingClassifier } from '../../extension/server/categories/embeddingClassifier';
import { RuleClassifier } from '../../extension/server/categories/ruleClassifier';
import { loadTransformersEmbedder } from '../../extension/server/categories/sentenceEmbedder';
import { scoreInteraction } from '../../extension/server/scoring/effectivenessScore';
import { registerAnalysis, type AnalysisOptions } from '../../extension/server/scoring/registerAnalysis';
import { ScoringDeriver } from '../../extension/server/scoring/scoringDeriver';
import { accuracy, asInput, labelledRequests } from '../unit/labelledRequests';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
type Say = (line: string) => void;

export interface ScoringFigures {
  pureScoresPerSecond: number;
  /** capture + score + categorise + patterns through a real store, rules only */
  rulesStoreInteractionsPerSecond: number;
  rescoreInteractionsPerSecond: number;
  /** sentences/s by "dtype/threads" */
  embeddingsPerSecond: Record<string, number>;
  embeddingsStoreInteractionsPerSecond: number;
  accuracy: Record<string, number>;
}
const MODELS = path.resolve(__dirname, '..', '.models');
const labels = labelledRequests();

const KINDS = ['vote', 'test_passed', 'test_failed', 'exit_code', 'tool_ok', 'tool_error', 'edit_kept', 'edit_undone', 'diagnostic_fixed'] as const;
const FOLLOW_UPS = ['still failing on CI', 'thanks, that works', 'now add a test for it', "that's wrong, revert it", 'ok, next the docs'];

/** A realistic-sized workload: sessions of 8 requests from the labelled set, answers of 1–3 KB, a few outcomes each. */
function workload(n: number, prefix: string): CaptureEvent[][] {
  const batches: CaptureEvent[][] = [];
  let at = 1_700_000_000_000;
  for (let s = 0; s * 8 < n; s++) {
    const sessionId = `${prefix}${s}`;
    const events: CaptureEvent[] = [{ type: 'session', session: { id: sessionId, source: 'editor', startedAt: at } }];
    for (let k = 0; k < 8 && s * 8 + k < n; k++) {
      const i = s * 8 + k;
      const label = labels[(i * 7) % labels.length];
      const id = `${sessionId}-${k}`;
      at += 60_000;
      const response = `I looked at the code. ${'The change updates the handler and keeps the old behaviour for existing callers. '.repeat(12 + (i % 25))}` +
        (i % 3 === 0 ? 'Fixed; the build was successful.' : i % 5 === 0 ? 'The command failed with an error.' : '');
      events.push({ type: 'interaction', interaction: {
        id, sessionId, source: 'editor', startedAt: at, user_request: k > 0 && i % 4 === 0 ? FOLLOW_UPS[i % FOLLOW_UPS.length] : label.request,
        assistant_response: response, tools_used: ['Edit', 'Bash'], files_modified: label.files ?? [`src/module${i % 40}.ts`],
        issues_encountered: i % 6 === 0 ? ['Bash failed: exit 1'] : [], solutions_applied: [`edited src/module${i % 40}.ts`], effectiveness: null,
      } });
      for (let o = 0; o < 1 + (i % 4); o++) {
        const kind = KINDS[(i + o) % KINDS.length];
        events.push({ type: 'outcome', outcome: { id: `${id}-o${o}`, interactionId: id, sessionId, kind, value: kind === 'vote' ? (i % 2 ? 1 : -1) : kind === 'exit_code' ? i % 3 : undefined, at: at + 1000 } });
      }
    }
    batches.push(events);
  }
  return batches;
}

async function throughStore(n: number, options: AnalysisOptions, label: string, say: Say): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-bench-'));
  const store = await AutodidactStore.open(dir, { persistDelayMs: 60_000 });
  const analysis = registerAnalysis(store, options);
  await analysis.settle();
  const batches = workload(n, label);
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (const events of batches) await store.capture(events);
  await analysis.settle();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const [{ scored, categorised }] = store.query<{ scored: number; categorised: number }>(
    'SELECT COUNT(effectiveness) AS scored, COUNT(category) AS categorised FROM interactions');
  if (scored !== n || categorised !== n) throw new Error(`${label}: scored ${scored}, categorised ${categorised} of ${n}`);
  const patterns = store.query<{ n: number }>('SELECT COUNT(*) AS n FROM patterns')[0].n;
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  say(`${label}: ${n} interactions captured (${batches.length} batches, fsync each) + scored + categorised + ${patterns} patterns ` +
    `in ${seconds.toFixed(2)} s wall = ${(n / seconds).toFixed(0)} interactions/s (${(n / cpuSeconds).toFixed(0)}/s per CPU-second of this process)`);
  return n / seconds;
}

export async function run(options: { n?: number; embedded?: number } = {}, say: Say = () => undefined): Promise<ScoringFigures> {
  const N = options.n ?? 2000;
  const EMBEDDED = options.embedded ?? 300;
  const figures: ScoringFigures = { pureScoresPerSecond: 0, rulesStoreInteractionsPerSecond: 0, rescoreInteractionsPerSecond: 0, embeddingsPerSecond: {}, embeddingsStoreInteractionsPerSecond: 0, accuracy: {} };
  say(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  // 1. The pure score function.
  const inputs = workload(N, 'pure').flatMap((b) => b).filter((e) => e.type === 'interaction').map((e) => (e.type === 'interaction' ? e.interaction : undefined)!);
  let t = performance.now();
  for (const i of inputs) scoreInteraction({ assistantResponse: i.assistant_response, solutionsApplied: i.solutions_applied, issuesEncountered: i.issues_encountered, outcomes: [{ kind: 'vote', value: 1, detail: null }], nextRequest: 'still failing' });
  figures.pureScoresPerSecond = inputs.length / ((performance.now() - t) / 1000);
  say(`scoreInteraction (pure): ${figures.pureScoresPerSecond.toFixed(0)} interactions/s`);

  // 2. Rules only, through a real store (journal + sql.js + derivers).
  figures.rulesStoreInteractionsPerSecond = await throughStore(N, { embeddings: false }, 'rules-only store', say);

  // 3. Full rescore of an existing store (what registerAnalysis does at start).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-bench-'));
  const plain = await AutodidactStore.open(dir, { persistDelayMs: 60_000 });
  for (const events of workload(N, 'plain')) await plain.capture(events);
  const deriver = new ScoringDeriver();
  t = performance.now();
  const cpu = process.cpuUsage();
  await plain.writeDerived((db) => { deriver.rescoreAll(db); });
  const rescoreSeconds = (performance.now() - t) / 1000;
  figures.rescoreInteractionsPerSecond = N / rescoreSeconds;
  const used = process.cpuUsage(cpu);
  say(`full rescore (sql.js reads + score + update): ${N} interactions in ${rescoreSeconds.toFixed(2)} s = ${(N / rescoreSeconds).toFixed(0)} interactions/s ` +
    `(${(N / ((used.user + used.system) / 1e6)).toFixed(0)}/s per CPU-second)`);
  await plain.close();
  fs.rmSync(dir, { recursive: true, force: true });

  // 4. Embeddings per second.
  for (const [dtype, threads] of [['q8', 1], ['q8', 2], ['fp32', 1], ['fp32', 2]] as const) {
    const embedder = await loadTransformersEmbedder({ localModelPath: MODELS, allowRemoteModels: false, threads, batchSize: 16, dtype });
    const texts = Array.from({ length: 256 }, (_, i) => `${labels[i % labels.length].request} (variant ${i})`);
    await embedder.embed(texts.slice(0, 16)); // warm-up
    t = performance.now();
    const cpu = process.cpuUsage();
    await embedder.embed(texts);
    const used = process.cpuUsage(cpu);
    const rate = texts.length / ((performance.now() - t) / 1000);
    figures.embeddingsPerSecond[`${dtype}/${threads}`] = rate;
    say(`embeddings (all-MiniLM-L6-v2 ${dtype}, ${threads} thread${threads > 1 ? 's' : ''}, batch 16): ${rate.toFixed(1)} sentences/s wall ` +
      `(${(texts.length / ((used.user + used.system) / 1e6)).toFixed(0)}/s per CPU-second)`);
  }

  // 4b. Long requests: the embedder reads at most their first 500 characters.
  const long = await loadTransformersEmbedder({ localModelPath: MODELS, allowRemoteModels: false, threads: 1, batchSize: 16 });
  const longTexts = Array.from({ length: 64 }, (_, i) => `${labels[i % labels.length].request} `.repeat(20).slice(0, 1000));
  await long.embed(longTexts.slice(0, 16));
  t = performance.now();
  await long.embed(longTexts);
  say(`embeddings of long requests (cut to 500 characters; q8, 1 thread): ${(longTexts.length / ((performance.now() - t) / 1000)).toFixed(1)} sentences/s wall`);

  // 5. With embeddings, through a real store.
  figures.embeddingsStoreInteractionsPerSecond = await throughStore(EMBEDDED, { embeddings: { localModelPath: MODELS, allowRemoteModels: false, threads: 2 } }, 'embeddings store', say);

  // 6. Accuracy on the labelled set.
  const rules = new RuleClassifier(BUILT_IN_CATEGORIES);
  const rulesAccuracy = accuracy(labels, labels.map((l) => rules.classify(asInput(l)).category));
  figures.accuracy.rules = rulesAccuracy;
  const scores: string[] = [];
  for (const dtype of ['q8', 'fp32'] as const) {
    const classifier = await EmbeddingClassifier.create(await loadTransformersEmbedder({ localModelPath: MODELS, allowRemoteModels: false, threads: 2, dtype }), BUILT_IN_CATEGORIES);
    figures.accuracy[`embeddings(${dtype})+rules`] = accuracy(labels, (await classifier.classify(labels.map(asInput))).map((d) => d.category));
    scores.push(`embeddings(${dtype})+rules ${(figures.accuracy[`embeddings(${dtype})+rules`] * 100).toFixed(1)}%`);
  }
  say(`accuracy on ${labels.length} labelled requests: rules ${(rulesAccuracy * 100).toFixed(1)}%, ${scores.join(', ')}`);
  return figures;
}

async function main(): Promise<void> {
  const options = { n: arg('n', 2000), embedded: arg('embedded', 300) };
  if (process.argv.includes('--json')) console.log(JSON.stringify(await run(options)));
  else await run(options, (line) => console.log(line));
}

if (require.main === module) void main();
