// Delivers captured gateway exchanges to the extensions that asked for them (hello {capture: true}).
// The buffer is written first; a connecting extension gets everything still unacknowledged.
import type { CapturedExchange } from '../../../extension/protocol/trainerProtocol';
import type { CaptureBuffer } from './captureBuffer';

export type CaptureSink = (exchanges: CapturedExchange[]) => void;

const REPLAY_BATCH = 100;

export class CaptureHub {
  private readonly sinks = new Set<CaptureSink>();

  constructor(private readonly buffer: CaptureBuffer) {}

  get buffered(): number {
    return this.buffer.size;
  }

  async record(exchange: CapturedExchange): Promise<void> {
    await this.buffer.append(exchange);
    for (const sink of this.sinks) sink([exchange]);
  }

  /** Subscribes a connection and replays the backlog to it; returns the unsubscribe function. */
  subscribe(sink: CaptureSink): () => void {
    this.sinks.add(sink);
    const backlog = this.buffer.list();
    for (let i = 0; i < backlog.length; i += REPLAY_BATCH) sink(backlog.slice(i, i + REPLAY_BATCH));
    return () => this.sinks.delete(sink);
  }

  ack(ids: string[]): Promise<number> {
    return this.buffer.ack(ids);
  }
}
