// The panel's figures with a big store: builds one of N interactions (default 100,000; captured in
// big batches, scored by the real scorer, patterns by the real clustering), then times the analysis
// server's panel handlers and measures the JSON of every message the panel exchanges.
//   node --import tsx test/bench/panelBench.ts [--n 100000] [--keep DIR]
// With --keep the store stays in DIR, for the in-browser render time:
//   node --import tsx test/real-editor/panelPreview.ts --store DIR --only fixture --themes dark
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CaptureEvent } from '../../extension/protocol/records';
import type { HostToWebview, PanelState } from '../../extension/protocol/webviewProtocol';
import { readMeter } from '../../extension/server/meterQuery';
import { DatasetPreviewCache } from '../../extension/server/panel/datasetPreview';
import { readPanelData } from '../../extension/server/panel/panelOverview';
import { readPatternExamples, readPatternPage } from '../../extension/server/panel/patternPages';
import { recomputePatterns } from '../../extension/server/patterns/patternTable';
import { ScoringDeriver } from '../../extension/server/scoring/scoringDeriver';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const N = Number(arg('n') ?? 100_000);
const BATCH = 5000;
const CATEGORIES = ['Testing', 'Debugging', 'Refactoring', 'Documentation', 'Security', 'Deployment', 'Performance', 'Configuration', 'Database', 'Frontend', 'API Design', 'Code Review'];
// Requests are verb + object (modifier noun) + its file: about 1,500 patterns in 100,000 interactions.
const VERBS = ['fix', 'add', 'explain', 'refactor', 'optimise', 'document', 'test', 'review', 'rename', 'split', 'migrate', 'debug'];
const MODIFIERS = ['date', 'login', 'cache', 'csv', 'retry', 'webhook', 'search', 'settings', 'migration', 'rate', 'queue', 'pdf', 'billing', 'invoice', 'avatar', 'session', 'token', 'email', 'upload', 'report'];
const NOUNS = ['parser', 'form', 'layer', 'exporter', 'handler', 'index', 'page', 'script', 'limiter', 'worker', 'renderer', 'validator', 'client', 'schema', 'endpoint'];
const KINDS = ['test_passed', 'test_failed', 'edit_kept', 'edit_undone', 'tool_error', 'tool_ok'] as const;
const FILLER = 'The change keeps the public interface, updates the callers and adds a regression test. ';

function batch(from: number, to: number, t0: number): CaptureEvent[] {
  const events: CaptureEvent[] = [];
  for (let i = from; i < to; i++) {
    const sessionId = `s${Math.floor(i / 20)}`;
    if (i % 20 === 0) events.push({ type: 'session', session: { id: sessionId, source: 'claude-code', startedAt: t0 + i * 30_000 } });
    const category = CATEGORIES[(i * 7) % CATEGORIES.length];
    const modifier = MODIFIERS[(i * 3 + Math.floor(i / 20)) % MODIFIERS.length];
    const noun = NOUNS[(i * 11 + Math.floor(i / 300)) % NOUNS.length];
    const id = `b${i}`;
    events.push({ type: 'interaction', interaction: {
      id, sessionId, source: 'claude-code', model: 'claude-sonnet-4', startedAt: t0 + i * 30_000,
      user_request: `${VERBS[(i * 7) % VERBS.length]} the ${modifier} ${noun} (#${i})`,
      assistant_response: `I updated the ${modifier} ${noun}. ${FILLER.repeat(3 + (i % 18))}${i % 3 === 0 ? 'Fixed; tests pass.' : ''}`,
      tools_used: ['Read', 'Edit', 'Bash'], files_modified: [`src/${modifier}-${noun}.ts`],
      issues_encountered: i % 7 === 0 ? ['Bash failed: exit 1'] : [], solutions_applied: ['edited the module'], effectiveness: null, category,
    } });
    const kind = KINDS[(i * 11) % KINDS.length];
    events.push({ type: 'outcome', outcome: { id: `${id}-o`, interactionId: id, sessionId, kind, at: t0 + i * 30_000 + 5_000 } });
    if (i % 3 === 0) events.push({ type: 'outcome', outcome: { id: `${id}-v`, interactionId: id, sessionId, kind: 'vote', value: 1, at: t0 + i * 30_000 + 6_000 } });
  }
  return events;
}

const bytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value));
const ms = (t: number): string => (performance.now() - t).toFixed(1);

function timed<T>(work: () => T, runs = 7): { result: T; first: number; median: number } {
  let t = performance.now();
  const result = work();
  const first = performance.now() - t;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) { t = performance.now(); work(); times.push(performance.now() - t); }
  times.sort((a, b) => a - b);
  return { result, first, median: times[Math.floor(times.length / 2)] };
}

async function main(): Promise<void> {
  console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const dir = arg('keep') ?? fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-panel-bench-'));
  fs.mkdirSync(dir, { recursive: true });
  const store = await AutodidactStore.open(dir, { persistDelayMs: 600_000 });
  try {
    let t = performance.now();
    const t0 = Date.UTC(2026, 0, 1);
    for (let i = 0; i < N; i += BATCH) await store.capture(batch(i, Math.min(N, i + BATCH), t0));
    console.log(`store: ${N} interactions captured in batches of ${BATCH} in ${ms(t)} ms`);
    t = performance.now();
    await store.writeDerived((db) => { new ScoringDeriver().rescoreAll(db); });
    console.log(`scored (real scorer, breakdowns stored) in ${ms(t)} ms`);
    t = performance.now();
    let patterns = 0;
    await store.writeDerived((db) => { patterns = recomputePatterns(db, 'all'); });
    console.log(`patterns: ${patterns} (real clustering) in ${ms(t)} ms`);
    t = performance.now();
    await store.flush();
    console.log(`database written: ${(fs.statSync(store.databaseFile).size / 1e6).toFixed(1)} MB in ${ms(t)} ms`);

    // The first render: PanelDataRequest + MeterRequest, as AutodidactServices.refresh() sends them.
    const panel = timed(() => readPanelData(store, { window: 50 }));
    const meter = timed(() => readMeter(store, 50));
    const state: PanelState = {
      stats: panel.result.stats, capture: { enabled: true, paused: false }, trainer: { connected: false, url: 'ws://127.0.0.1:7878' },
      liveVersion: null, status: { kind: 'ready' }, data: panel.result, meter: meter.result,
    };
    const stateMessage: HostToWebview = { type: 'state', state };
    console.log(`PanelDataRequest handler: first ${panel.first.toFixed(1)} ms, median ${panel.median.toFixed(1)} ms; JSON ${bytes(panel.result)} B ` +
      `(stats ${panel.result.stats.categories.length} categories, ${panel.result.patterns.items.length} of ${panel.result.patterns.total} patterns)`);
    console.log(`MeterRequest handler: median ${meter.median.toFixed(1)} ms; JSON ${bytes(meter.result)} B`);
    console.log(`panel first render, server side (PanelData + meter): ${(panel.first + meter.first).toFixed(1)} ms cold, ${(panel.median + meter.median).toFixed(1)} ms warm; state message ${bytes(stateMessage)} B`);

    const sizes: Array<[string, number]> = [['state message', bytes(stateMessage)]];
    const deep = timed(() => readPatternPage(store, Math.max(0, panel.result.patterns.total - 20), 20));
    sizes.push(['pattern page response (last page)', bytes({ type: 'response', id: 1, result: deep.result })]);
    console.log(`PatternPageRequest (last page): median ${deep.median.toFixed(1)} ms; ${sizes[1][1]} B`);
    const [biggest] = store.query<{ id: string; count: number }>('SELECT id, count FROM patterns ORDER BY count DESC LIMIT 1');
    const examples = timed(() => readPatternExamples(store, biggest.id, 0, 5));
    const examplesDeep = timed(() => readPatternExamples(store, biggest.id, biggest.count - 5, 5));
    sizes.push(['pattern examples response', bytes({ type: 'response', id: 2, result: examples.result })]);
    console.log(`PatternExamplesRequest (largest pattern, ${biggest.count} members): first page median ${examples.median.toFixed(1)} ms, last page ${examplesDeep.median.toFixed(1)} ms; ${sizes[2][1]} B`);
    const cache = new DatasetPreviewCache();
    t = performance.now();
    const preview = await cache.read(store, 0.9);
    const built = performance.now() - t;
    t = performance.now();
    await cache.read(store, 0.9);
    sizes.push(['dataset preview response', bytes({ type: 'response', id: 3, result: preview })]);
    console.log(`DatasetPreviewRequest: built in ${built.toFixed(0)} ms (${preview.train} train / ${preview.eval} eval pairs), cached ${ms(t)} ms; ${sizes[3][1]} B`);
    const [name, largest] = sizes.reduce((a, b) => (b[1] > a[1] ? b : a));
    console.log(`largest message between extension and webview: ${largest} B (${name})`);
  } finally {
    await store.close();
    if (!arg('keep')) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`store kept in ${dir}`);
  }
}

void main().catch((error: Error) => { console.error(error); process.exit(1); });
