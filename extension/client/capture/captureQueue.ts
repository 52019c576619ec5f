// Buffers capture events on the extension host and sends them in batches (about once a second, or
// at once when a batch is full), never awaiting inside an editor event handler. Typing produces an
// event per keystroke; edits to the same file with the same origin and interaction are merged
// into one file touch per batch, so the store sees "edited a.ts, +3 -1" and not 40 rows.
import type { CaptureEvent, ChangeOrigin, FileTouch } from '../../protocol/records';

export interface CaptureQueueOptions {
  intervalMs?: number;
  /** A batch this large is sent without waiting for the interval. */
  maxBatch?: number;
  /** Events kept while the analysis server cannot take them; the oldest are dropped beyond this. */
  maxPending?: number;
  /** Runs on each batch before it is sent: redaction. */
  prepare?: (events: CaptureEvent[]) => CaptureEvent[];
  onError?: (error: Error, dropped: number) => void;
}

export class CaptureQueue {
  /** path → (interaction id, or the origin when there is none) → the merged touch. */
  private readonly edits = new Map<string, Map<string, FileTouch>>();
  private editCount = 0;
  private events: CaptureEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sending: Promise<void> | undefined;
  private readonly intervalMs: number;
  private readonly maxBatch: number;
  private readonly maxPending: number;
  /** Events dropped because the server stayed unreachable and the queue was full. */
  dropped = 0;

  constructor(
    private readonly send: (events: CaptureEvent[]) => Promise<void>,
    private readonly newId: () => string,
    private readonly options: CaptureQueueOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.maxBatch = options.maxBatch ?? 500;
    this.maxPending = options.maxPending ?? 10_000;
  }

  get size(): number { return this.events.length + this.editCount; }

  /** An edit to a file: merged with earlier edits of the same file, origin and interaction in this batch. */
  addEdit(path: string, origin: ChangeOrigin, interactionId: string | undefined, linesAdded: number, linesRemoved: number, at: number, evidence?: string): void {
    // Two Map lookups with existing strings: no key is built per keystroke. An interaction's
    // edits are always the assistant's, so its id alone tells them apart from the origins.
    let byKey = this.edits.get(path);
    if (!byKey) this.edits.set(path, (byKey = new Map()));
    let key = interactionId ?? origin;
    let existing = byKey.get(key);
    if (existing && existing.origin !== origin) existing = byKey.get((key = `${origin}\0${key}`)); // not expected, but kept apart
    if (existing) {
      existing.linesAdded! += linesAdded;
      existing.linesRemoved! += linesRemoved;
      return;
    }
    byKey.set(key, { id: this.newId(), interactionId, path, kind: 'edit', origin, linesAdded, linesRemoved, at, evidence });
    this.editCount++;
    this.scheduled();
  }

  add(event: CaptureEvent): void {
    this.events.push(event);
    this.scheduled();
  }

  /** Sends what is buffered now. Resolves when the server acknowledged it (or it was kept for a retry). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.sending) return this.sending.then(() => this.flush());
    if (this.size === 0) return Promise.resolve();
    const batch = this.take();
    this.sending = this.sendBatch(batch).finally(() => {
      this.sending = undefined;
      if (this.size > 0) this.scheduled();
    });
    return this.sending;
  }

  /** Forgets everything buffered (Delete All Data: what was captured before it goes too). */
  discard(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.events = [];
    this.edits.clear();
    this.editCount = 0;
  }

  private take(): CaptureEvent[] {
    const batch = this.events;
    for (const byKey of this.edits.values()) for (const file of byKey.values()) batch.push({ type: 'file', file });
    this.events = [];
    this.edits.clear();
    this.editCount = 0;
    return batch;
  }

  private async sendBatch(batch: CaptureEvent[]): Promise<void> {
    try {
      await this.send(this.options.prepare ? this.options.prepare(batch) : batch);
    } catch (error) {
      // Keep the batch for the next attempt, ahead of newer events, within the bound.
      this.events = batch.concat(this.events);
      const excess = this.events.length - this.maxPending;
      if (excess > 0) {
        this.events.splice(0, excess);
        this.dropped += excess;
      }
      this.options.onError?.(error as Error, Math.max(0, excess));
    }
  }

  private scheduled(): void {
    if (this.size >= this.maxBatch) {
      if (!this.sending) void this.flush();
      return;
    }
    if (this.timer || this.sending) return;
    this.timer = setTimeout(() => { this.timer = undefined; void this.flush(); }, this.intervalMs);
    (this.timer as { unref?: () => void }).unref?.();
  }
}
