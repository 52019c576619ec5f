// One measurement protocol for any storage that acknowledges captured events durably: the
// Autodidact store (journal + fsync, sql.js, atomic persist) and its reference, Node's built-in
// SQLite with synchronous=FULL. Both see the same events (interactionWorkload.ts) in the same order.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CaptureEvent } from '../../extension/protocol/records';
import { interactionEvents } from './interactionWorkload';

export interface StorageTarget {
  /** Resolves when the events are durable. */
  capture(events: CaptureEvent[]): Promise<void>;
  /** Writes everything to its final file form (the store's persist; SQLite's WAL checkpoint). */
  flush(): Promise<void>;
  /** Bytes on disk that hold the data (database file, plus journal/WAL still needed). */
  bytesOnDisk(): number;
  /** Rows that could be read back, to prove the run stored what it was given. */
  interactionCount(): number;
  close(): Promise<void>;
}

export interface CheckpointFigures {
  interactions: number;
  /** Capture time of the growth phase (batches of 1,000), flushes excluded. */
  buildSeconds: number;
  interactionsPerSecond: number;
  flushMs: number;
  flushMBps: number;
  databaseMB: number;
  rssMB: number;
  heapMB: number;
  /** Memory outside the JS heap: ArrayBuffers and, for sql.js, its WebAssembly memory. */
  externalMB: number;
}

export interface StorageFigures {
  runtime: string;
  /** The disk at the time: median of 100 bare 2 KB appends + fsync in the same folder (shared disks are noisy). */
  diskFsyncMsMedian: number;
  /** One interaction (with its session and outcomes) per capture call. */
  singleCaptureMsMedian: number;
  singleCaptureMsP95: number;
  singleCapturesPerSecond: number;
  /** CPU time of this process per single capture call (insensitive to the disk's latency). */
  singleCaptureCpuMs: number;
  /** 100 interactions per capture call. */
  batchedEventsPerSecond: number;
  batchedInteractionsPerSecond: number;
  batchedCpuMsPerInteraction: number;
  checkpoints: CheckpointFigures[];
}

const MB = 2 ** 20;
const BUILD_BATCH = 1000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

function memory(): { rssMB: number; heapMB: number; externalMB: number } {
  (globalThis as { gc?: () => void }).gc?.(); // live memory, not garbage, when run with --expose-gc
  const m = process.memoryUsage();
  return { rssMB: m.rss / MB, heapMB: m.heapUsed / MB, externalMB: m.external / MB };
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
}

/** What one fsync'd append costs on this disk right now, for reading the figures beside it. */
function probeDisk(dir: string): number {
  const file = path.join(dir, 'fsync-probe');
  const fd = fs.openSync(file, 'a');
  const line = Buffer.from(`${'x'.repeat(2047)}\n`);
  const times: number[] = [];
  try {
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      fs.writeSync(fd, line);
      fs.fsyncSync(fd);
      times.push(performance.now() - t);
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
  return times.sort((a, b) => a - b)[50];
}

export async function measureStorage(target: StorageTarget, dir: string, sizes: readonly number[], singles = 300): Promise<StorageFigures> {
  const diskFsyncMsMedian = probeDisk(dir);
  // 1. Latency: one interaction per call, as the editor sends a finished chat turn.
  const times: number[] = [];
  let cpu = process.cpuUsage();
  for (let i = 0; i < singles; i++) {
    const events = interactionEvents(i, i + 1, 'one');
    const t = performance.now();
    await target.capture(events);
    times.push(performance.now() - t);
  }
  const singleCaptureCpuMs = cpuMs(cpu) / singles;
  times.sort((a, b) => a - b);
  // 2. Throughput in batches of 100, as an import sends them.
  const batches = 20;
  let events = 0;
  let t = performance.now();
  cpu = process.cpuUsage();
  for (let b = 0; b < batches; b++) {
    const batch = interactionEvents(b * 100, (b + 1) * 100, 'hundred');
    events += batch.length;
    await target.capture(batch);
  }
  const batchedSeconds = (performance.now() - t) / 1000;
  const batchedCpuMsPerInteraction = cpuMs(cpu) / (batches * 100);
  // 3. Growth: capture up to each size (counting the interactions above), then flush; figures at each checkpoint.
  const checkpoints: CheckpointFigures[] = [];
  const before = singles + batches * 100;
  let done = before;
  let captureSeconds = 0;
  for (const size of [...sizes].sort((a, b) => a - b)) {
    t = performance.now();
    while (done < size) {
      const next = Math.min(size, done + BUILD_BATCH);
      await target.capture(interactionEvents(done, next, 'grow'));
      done = next;
    }
    captureSeconds += (performance.now() - t) / 1000;
    t = performance.now();
    await target.flush();
    const flushMs = performance.now() - t;
    const bytes = target.bytesOnDisk();
    checkpoints.push({
      interactions: done, buildSeconds: captureSeconds, interactionsPerSecond: (done - before) / captureSeconds, flushMs,
      flushMBps: bytes / MB / (flushMs / 1000), databaseMB: bytes / MB, ...memory(),
    });
  }
  const stored = target.interactionCount();
  if (stored !== done) throw new Error(`stored ${stored} interactions, expected ${done}`);
  await target.close();
  return {
    runtime: `node ${process.version}`, diskFsyncMsMedian, singleCaptureCpuMs, batchedCpuMsPerInteraction,
    singleCaptureMsMedian: percentile(times, 0.5), singleCaptureMsP95: percentile(times, 0.95),
    singleCapturesPerSecond: singles / (times.reduce((a, b) => a + b, 0) / 1000),
    batchedEventsPerSecond: events / batchedSeconds, batchedInteractionsPerSecond: (batches * 100) / batchedSeconds,
    checkpoints,
  };
}
