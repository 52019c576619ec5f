// One writer at a time. Several VS Code windows (and the CLI) may run against the same store; each
// appends to its own journal, and exactly one process, the lease holder, merges journals into the
// database file. The lease is a listening local socket: the OS releases it the instant the holder
// dies (even by SIGKILL), so there is no lock file to guess about. Linux uses the abstract
// namespace, Windows a named pipe; elsewhere (macOS) it needs a socket file, removed when nobody
// answers on it.
import * as net from 'node:net';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';

/**
 * The longest socket file path the platform keeps whole, without its terminating NUL (sun_path is
 * 104 bytes on macOS and the BSDs, 108 on Linux). Node does not refuse a longer one: it cuts it
 * short silently, so the holder would listen at a name nobody else looks at, and its socket file,
 * left by a kill, would block every later window from owning the store.
 */
export function socketPathLimit(platform: NodeJS.Platform = process.platform): number {
  return (platform === 'linux' ? 108 : 104) - 1;
}

/**
 * Where the lease listens. The socket file is NOT in the store folder (a VS Code Insiders
 * global-storage path alone is close to the limit) but in the user's temp folder under a short
 * name hashed from the store path, or in /tmp where even that would not fit.
 */
export function leaseAddress(storeDir: string, platform: NodeJS.Platform = process.platform, tmpDir = os.tmpdir()): string {
  const id = createHash('sha256').update(path.resolve(storeDir)).digest('hex').slice(0, 24);
  if (platform === 'win32') return `\\\\.\\pipe\\autodidact-${id}`;
  if (platform === 'linux') return `\0autodidact-store-${id}`;
  const name = `autodidact-${id}.sock`;
  for (const dir of [tmpDir, '/tmp']) {
    const candidate = path.join(dir, name);
    if (Buffer.byteLength(candidate) <= socketPathLimit(platform)) return candidate;
  }
  throw new Error(`no socket path for the Autodidact writer lease fits in ${socketPathLimit(platform)} bytes (temp folder ${tmpDir})`);
}

export class WriterLease {
  private server: net.Server | undefined;

  constructor(private readonly address: string) {
    const isFile = !address.startsWith('\0') && !address.startsWith('\\\\');
    if (isFile && Buffer.byteLength(address) > socketPathLimit()) {
      throw new Error(`the writer lease socket ${address} is longer than this platform keeps (${socketPathLimit()} bytes)`);
    }
  }

  get held(): boolean { return this.server !== undefined; }

  /** Resolves true if this process now holds the lease. Never throws for "someone else has it". */
  async tryAcquire(): Promise<boolean> {
    if (this.server) return true;
    if (await this.listen()) return true;
    if (this.address.startsWith('\0') || this.address.startsWith('\\\\')) return false;
    if (await this.someoneAnswers()) return false;
    if (!isSocketFile(this.address)) return false; // not ours to remove (a file someone put there)
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

function isSocketFile(file: string): boolean {
  try {
    return fs.lstatSync(file).isSocket();
  } catch {
    return false;
  }
}
