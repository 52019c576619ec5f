// Spawns captureWriter.ts and collects the ids it acknowledged.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

export interface WriterHandle {
  child: ChildProcess;
  acked: Set<string>;
  ready: Promise<string>;
  exited: Promise<number | null>;
  waitForAcks(count: number): Promise<void>;
}

export function startWriter(dir: string, prefix: string, count?: number): WriterHandle {
  const script = path.join(__dirname, 'captureWriter.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, dir, prefix, String(count ?? 1_000_000)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const acked = new Set<string>();
  let buffered = '';
  let resolveReady!: (role: string) => void;
  const ready = new Promise<string>((resolve) => { resolveReady = resolve; });
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop()!; // a line cut by SIGKILL was never a full acknowledgement
    for (const line of lines) {
      if (line.startsWith('ready ')) resolveReady(line.slice(6));
      if (line.startsWith('ack ')) acked.add(line.slice(4));
    }
    for (const waiter of waiters.filter((w) => acked.size >= w.count)) waiter.resolve();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child, acked, ready, exited,
    waitForAcks: (n) => acked.size >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ count: n, resolve })),
  };
}
