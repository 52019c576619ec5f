// Server-sent events as OpenAI streams them: `data: {json}\n\n` per chunk, `data: [DONE]\n\n` at the
// end (the Responses API instead names each event, `event: response.output_text.delta`, and ends
// without [DONE]). The stream opens on the first chunk, or after a short wait (a request queued behind others or
// behind a training step), after which comment lines keep the idle connection open. An error before
// it opened can still be a plain HTTP error with its proper status.
import type { ServerResponse } from 'node:http';

const KEEPALIVE_MS = 15_000;
export const OPEN_AFTER_MS = 2_000;

export class SseStream {
  private opened = false;
  private closed = false;
  private keepalive: NodeJS.Timeout | undefined;
  private readonly openTimer: NodeJS.Timeout;

  constructor(private readonly res: ServerResponse, private readonly headers: Record<string, string>, private readonly onOpen: () => void, openAfterMs = OPEN_AFTER_MS) {
    res.on('close', () => { this.closed = true; this.stopTimers(); });
    this.openTimer = setTimeout(() => this.open(), openAfterMs);
  }

  send(data: unknown, event?: string): void {
    this.open();
    this.write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
  }

  /** Ends the stream; `done` false leaves out `data: [DONE]` (the Responses API does not send it). */
  end(done = true): void {
    this.open();
    this.stopTimers();
    if (done) this.write('data: [DONE]\n\n');
    if (!this.closed) this.res.end();
  }

  /**
   * Ends the stream with an OpenAI error object, which the openai SDK raises as an APIError. Returns
   * false when nothing was sent yet: the caller then answers with an HTTP error status instead.
   */
  fail(error: unknown, event?: string): boolean {
    this.stopTimers();
    if (!this.opened) return false;
    this.write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(error)}\n\n`);
    if (!this.closed) this.res.end();
    return true;
  }

  private open(): void {
    if (this.opened || this.closed) return;
    this.opened = true;
    clearTimeout(this.openTimer);
    this.res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no', ...this.headers });
    this.res.flushHeaders();
    this.keepalive = setInterval(() => this.write(': keepalive\n\n'), KEEPALIVE_MS);
    this.onOpen();
  }

  private stopTimers(): void {
    clearTimeout(this.openTimer);
    clearInterval(this.keepalive);
  }

  private write(text: string): void {
    if (!this.closed) this.res.write(text);
  }
}
