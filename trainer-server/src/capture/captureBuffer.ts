// The gateway's durable outbox. Every exchange is appended (and fsynced) here before it is sent to
// any extension, and removed only when an extension acknowledges it, so nothing is lost when no
// extension is connected, when one disconnects mid-send, or when the server restarts.
// The file is a log of {t:'x', exchange} and {t:'ack', ids} lines; it is compacted once most of it
// is acknowledged. A torn last line (a crash mid-append) is ignored on open.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CapturedExchange } from '../../../extension/protocol/trainerProtocol';
import { writeFileAtomic } from '../home/atomicFile';

type LogLine = { t: 'x'; exchange: CapturedExchange } | { t: 'ack'; ids: string[] };

export class CaptureBuffer {
  private readonly pending = new Map<string, CapturedExchange>();
  private lines = 0;
  /** The log, open for appending; reopened after a compaction renamed a new file over it. */
  private fd: number | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly file: string) {}

  static open(dir: string): CaptureBuffer {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const buffer = new CaptureBuffer(path.join(dir, 'gateway-exchanges.jsonl'));
    // A torn tail would swallow the next append into the same line, so the file is rewritten whole first.
    if (buffer.replay()) buffer.compact();
    return buffer;
  }

  get size(): number {
    return this.pending.size;
  }

  list(): CapturedExchange[] {
    return [...this.pending.values()];
  }

  /** Resolves once the exchange is on disk. */
  append(exchange: CapturedExchange): Promise<void> {
    this.pending.set(exchange.id, exchange);
    return this.serialized(() => this.appendLine({ t: 'x', exchange }));
  }

  /** Drops acknowledged exchanges; returns how many of the ids were pending. */
  async ack(ids: string[]): Promise<number> {
    const known = ids.filter((id) => this.pending.delete(id));
    if (known.length === 0) return 0;
    await this.serialized(async () => {
      if (this.pending.size === 0 || this.lines > 4 * this.pending.size + 64) this.compact();
      else await this.appendLine({ t: 'ack', ids: known });
    });
    return known.length;
  }

  /** Returns true when the file had a line that did not parse. */
  private replay(): boolean {
    let torn = false;
    let text = '';
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const raw of text.split('\n')) {
      if (!raw.trim()) continue;
      let line: LogLine;
      try {
        line = JSON.parse(raw) as LogLine;
      } catch {
        torn = true; // a torn append from a crash; whatever it held was never acknowledged as stored
        continue;
      }
      this.lines++;
      if (line.t === 'x') this.pending.set(line.exchange.id, line.exchange);
      else if (line.t === 'ack') for (const id of line.ids) this.pending.delete(id);
    }
    return torn || (text.length > 0 && !text.endsWith('\n'));
  }

  /**
   * One line, on disk when this resolves. The file stays open between appends and the line is written
   * synchronously (a few hundred bytes into the page cache), so a request waits for one thread-pool
   * trip, the fdatasync, instead of four (open, write, sync, close): the gateway's capture is on the
   * path of every response (measured with test/bench/gatewayOverheadBench.ts).
   */
  private async appendLine(line: LogLine): Promise<void> {
    this.fd ??= fs.openSync(this.file, 'a', 0o600);
    const fd = this.fd;
    fs.writeSync(fd, `${JSON.stringify(line)}\n`);
    // fdatasync also writes the new file size, so the appended line can be read back after a crash.
    await new Promise<void>((resolve, reject) => fs.fdatasync(fd, (error) => (error ? reject(error) : resolve())));
    this.lines++;
  }

  private compact(): void {
    // The rewrite replaces the file: appends must go to the new one. Callers hold the serialized
    // chain (or run before any append), so no fdatasync is in flight on the old descriptor.
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
    const text = [...this.pending.values()].map((exchange) => `${JSON.stringify({ t: 'x', exchange })}\n`).join('');
    writeFileAtomic(this.file, text, 0o600);
    this.lines = this.pending.size;
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
