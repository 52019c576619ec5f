// Imports transcripts through the real import path into a store and remembers which file each
// interaction came from (the store keeps sessions, not source files). Used by the scoring fit
// script and the calibration test to line hand labels up with scored interactions.
import * as path from 'node:path';
import type { CaptureEvent, ImportCursor } from '../../../protocol/records';
import type { CaptureSink } from '../../importers/captureSink';
import { importFiles } from '../../importers/importFiles';
import type { ImportReport } from '../../importers/importReport';

export interface ProvenanceImport {
  report: ImportReport;
  /** Interaction id → file path relative to the root, forward slashes. First file wins. */
  fileOf: Map<string, string>;
}

/** Imports everything under `root` into `store`, recording each interaction's file. */
export async function importWithProvenance(root: string, store: CaptureSink): Promise<ProvenanceImport> {
  const pending = new Set<string>();
  const fileOf = new Map<string, string>();
  const tagging: CaptureSink = {
    capture(events: CaptureEvent[]): Promise<void> {
      for (const event of events) if (event.type === 'interaction') pending.add(event.interaction.id);
      return store.capture(events);
    },
    importCursor: (file: string): ImportCursor | undefined => store.importCursor(file),
  };
  // A unit's events are all captured before its report row is handed to onFile.
  const report = await importFiles([root], {
    store: tagging,
    onFile: (row) => {
      const relative = path.relative(root, row.path).split(path.sep).join('/');
      for (const id of pending) if (!fileOf.has(id)) fileOf.set(id, relative);
      pending.clear();
    },
  });
  return { report, fileOf };
}
