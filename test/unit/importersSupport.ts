// Shared by the importer tests: an in-memory CaptureSink (a plain array collector standing in for
// the store) and the location of the real transcripts in ../shared.
import { resolve } from 'node:path';
import { fixtureDir } from './sharedFixtures';
import type { CaptureEvent, ImportCursor, InteractionRecord, OutcomeEvent, FileTouch, SessionRecord } from '../../extension/protocol/records';
import type { CaptureSink } from '../../extension/server/importers/captureSink';
import { importFiles } from '../../extension/server/importers/importFiles';
import type { ImportFormat, ImportReport } from '../../extension/server/importers/importReport';

export const repoRoot = resolve(__dirname, '..', '..');
// Where ../shared is, and what a fixture suite does without it (fails under CI=true): sharedFixtures.
export { fixtureDir, fixtureFiles, fixturesPresent, whenFixtures } from './sharedFixtures';

export function fixture(relative: string): string {
  return resolve(fixtureDir, relative);
}

/** In-memory array collector: keeps every batch it is given, answers cursors like the store. */
export class ArrayCaptureSink implements CaptureSink {
  readonly events: CaptureEvent[] = [];
  readonly batchSizes: number[] = [];
  private readonly cursors = new Map<string, ImportCursor>();

  async capture(events: CaptureEvent[]): Promise<void> {
    this.batchSizes.push(events.length);
    for (const event of events) {
      this.events.push(event);
      if (event.type === 'importCursor') this.cursors.set(event.cursor.path, event.cursor);
    }
  }

  importCursor(path: string): ImportCursor | undefined {
    return this.cursors.get(path);
  }

  interactions(): InteractionRecord[] {
    return this.events.flatMap((e) => (e.type === 'interaction' ? [e.interaction] : []));
  }

  sessions(): SessionRecord[] {
    return this.events.flatMap((e) => (e.type === 'session' ? [e.session] : []));
  }

  outcomes(): OutcomeEvent[] {
    return this.events.flatMap((e) => (e.type === 'outcome' ? [e.outcome] : []));
  }

  files(): FileTouch[] {
    return this.events.flatMap((e) => (e.type === 'file' ? [e.file] : []));
  }

  /** Latest version of each interaction, by id (what the store would hold after upserts). */
  latestInteractions(): Map<string, InteractionRecord> {
    const byId = new Map<string, InteractionRecord>();
    for (const interaction of this.interactions()) byId.set(interaction.id, interaction);
    return byId;
  }
}

/** Imports files into a fresh array collector. */
export async function importInto(paths: string[], options: { format?: ImportFormat | 'auto'; sink?: ArrayCaptureSink } = {}): Promise<{ report: ImportReport; sink: ArrayCaptureSink }> {
  const sink = options.sink ?? new ArrayCaptureSink();
  const report = await importFiles(paths, { store: sink, format: options.format });
  return { report, sink };
}

