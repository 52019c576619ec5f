// One writer at a time. Several VS Code windows (and the CLI) may run against the same store; each
// appends to its own journal, and exactly one process, the lease holder, merges journals into the
// database file. The lease is a listening local socket: the OS releases it the instant the holder
// dies (even by SIGKILL), so there is no stale lock file to guess about. Linux uses the abstract
// namespace, Windows a named pipe; macOS needs a socket file, removed when nobody answers on it.
import * as net from 'node:net';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';

export function leaseAddress(storeDir: string): string {
  const id = createHash('sha256').update(path.resolve(storeDir)).digest('hex').slice(0, 24);
  if (process.platform === 'win32') return `\\\\.\\pipe\\autodidact-${id}`;
  if (process.platform === 'linux') return `\0autodidact-store-${id}`;
  return path.join(storeDir, 'writer.sock');
}

export class WriterLease {
  private server: net.Server | undefined;

  constructor(private readonly address: string) {}

  get held(): boolean { return this.server !== undefined; }

  /** Resolves true if this process now holds the lease. Never throws for "someone else has it". */
  async tryAcquire(): Promise<boolean> {
    if (this.server) return true;
    if (await this.listen()) return true;
    if (this.address.startsWith('\0') || this.address.startsWith('\\\\')) return false;
    if (await this.someoneAnswers()) return false;
    fs.rmSync(this.address, { force: true }); // socket file left by a dead holder
    return this.listen();
  }

  async release(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private listen(): Promise<boolean> {
    return new Promise((resolve) => {
      const server = net.createServer((socket) => socket.end());
      server.once('error', () => resolve(false));
      server.listen(this.address, () => {
        server.unref(); // holding the lease must not keep a CLI process alive
        this.server = server;
        resolve(true);
      });
    });
  }

  private someoneAnswers(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = net.connect(this.address, () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
  }
}
