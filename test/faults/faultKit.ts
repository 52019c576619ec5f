// Shared by the fault tests: temporary folders, reading back what a store holds, events of a chosen
// size, and child processes that report progress as lines on stdout (so a test can SIGKILL them at
// a known moment and knows exactly what they acknowledged before).
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CaptureEvent } from '../../extension/protocol/records';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Every interaction id in the store folder, read by opening it as a fresh process would. */
export async function storedIds(dir: string): Promise<Set<string>> {
  const store = await AutodidactStore.open(dir);
  try {
    return new Set(store.query<{ id: string }>('SELECT id FROM interactions').map((row) => row.id));
  } finally {
    await store.close();
  }
}

/** An interaction whose answer is `bytes` long, so databases reach a chosen size quickly. */
export function sizedInteraction(id: string, bytes: number, at = Date.now()): CaptureEvent {
  return {
    type: 'interaction',
    interaction: {
      id, sessionId: `session-${id.split('-')[0]}`, source: 'editor', startedAt: at,
      user_request: `request ${id}`, assistant_response: `response ${id} ${'lorem ipsum dolor sit amet '.repeat(Math.ceil(bytes / 27)).slice(0, bytes)}`,
      tools_used: [], files_modified: [], issues_encountered: [], solutions_applied: [], effectiveness: null,
    },
  };
}

export interface ScriptHandle {
  child: ChildProcess;
  lines: string[];
  /** Resolves with the first line (seen so far or later) that matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  stderr(): string;
}

/** Runs a TypeScript file of this folder with tsx; each complete stdout line is recorded. */
export function startScript(script: string, args: string[]): ScriptHandle {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, script), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  let buffered = '';
  let errors = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const complete = buffered.split('\n');
    buffered = complete.pop()!; // a line cut by SIGKILL was never a whole report
    for (const line of complete) {
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => { errors += chunk.toString('utf8'); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child, lines, exited, stderr: () => errors,
    waitFor(pattern, timeoutMs = 60_000) {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${script}: no line matching ${pattern} within ${timeoutMs} ms; stderr: ${errors.slice(-500)}`)), timeoutMs);
        const waiter = { pattern, resolve: (line: string) => { clearTimeout(timer); resolve(line); } };
        waiters.push(waiter);
        void exited.then((code) => {
          if (!waiters.includes(waiter)) return;
          clearTimeout(timer);
          reject(new Error(`${script} exited (${code}) before a line matching ${pattern}; stderr: ${errors.slice(-500)}`));
        });
      });
    },
  };
}
