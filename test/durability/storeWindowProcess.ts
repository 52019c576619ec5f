// Starts storeWindow.ts and sends it commands, one answer per command, in order.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { CaptureEvent } from '../../extension/protocol/records';

export interface WindowAnswer { ready?: string; rows?: Array<Record<string, unknown>>; owner?: boolean; error?: string; closed?: boolean }

export class StoreWindowProcess {
  private readonly answers: WindowAnswer[] = [];
  private readonly waiting: Array<(answer: WindowAnswer) => void> = [];
  readonly child: ChildProcess;
  readonly ready: Promise<string>;
  readonly exited: Promise<number | null>;

  constructor(dir: string, leaseRetryMs = 100) {
    this.child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'storeWindow.ts'), dir, String(leaseRetryMs)],
      { stdio: ['pipe', 'pipe', 'inherit'] });
    readline.createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const answer = JSON.parse(line) as WindowAnswer;
      const waiter = this.waiting.shift();
      if (waiter) waiter(answer); else this.answers.push(answer);
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    this.ready = this.next().then((answer) => answer.ready!);
  }

  capture(events: CaptureEvent[]): Promise<WindowAnswer> { return this.send({ capture: events }); }
  query(sql: string): Promise<WindowAnswer> { return this.send({ query: sql }); }
  async close(): Promise<void> { await this.send({ close: true }); await this.exited; }

  private send(command: object): Promise<WindowAnswer> {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
    return this.next();
  }

  private next(): Promise<WindowAnswer> {
    const answer = this.answers.shift();
    return answer ? Promise.resolve(answer) : new Promise((resolve) => this.waiting.push(resolve));
  }
}
