// What an import writes to. The store (extension/server/store/) satisfies it; tests use an
// in-memory array collector. Kept to two methods so importers never depend on how storage works.
import type { CaptureEvent, ImportCursor } from '../../protocol/records';

export interface CaptureSink {
  /** Resolves when the events are durable. */
  capture(events: CaptureEvent[]): Promise<void>;
  /** Where the last import of this file stopped, if it was imported before. */
  importCursor(path: string): ImportCursor | undefined;
}
