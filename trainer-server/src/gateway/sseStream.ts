// Server-sent events as OpenAI streams them: `data: {json}\n\n` per chunk, `data: [DONE]\n\n` at the
// end, and comment lines to keep idle connections open while a request waits its turn.
import type { ServerResponse } from 'node:http';

const KEEPALIVE_MS = 15_000;

export class SseStream {
  private closed = false;
  private readonly keepalive: NodeJS.Timeout;

  constructor(private readonly res: ServerResponse, extraHeaders: Record<string, string> = {}) {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no', ...extraHeaders });
    res.flushHeaders();
    res.on('close', () => { this.closed = true; });
    this.keepalive = setInterval(() => this.write(': keepalive\n\n'), KEEPALIVE_MS);
  }

  /** False once the client went away; the caller may stop producing. */
  get open(): boolean {
    return !this.closed;
  }

  send(data: unknown): void {
    this.write(`data: ${JSON.stringify(data)}\n\n`);
  }

  end(): void {
    clearInterval(this.keepalive);
    this.write('data: [DONE]\n\n');
    if (!this.closed) this.res.end();
  }

  /** Ends the stream with an OpenAI error object, which the openai SDK raises as an APIError. */
  fail(error: unknown): void {
    clearInterval(this.keepalive);
    this.write(`data: ${JSON.stringify(error)}\n\n`);
    if (!this.closed) this.res.end();
  }

  private write(text: string): void {
    if (!this.closed) this.res.write(text);
  }
}
