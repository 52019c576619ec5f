// Imports one line-oriented file (JSONL, Aider markdown) with its cursor: skip it when unchanged,
// resume an append-only file from where the last import left its open interaction, otherwise read
// it from the start. The cursor is written in the same batches as the events, after them, so a
// crash mid-import re-reads rather than loses.
import type { CaptureSink } from './captureSink';
import { decideStart, fingerprint } from './fileCursor';
import type { ImportEmitter } from './importEmitter';
import type { ImportFormat } from './importReport';
import { readLines } from './lineReader';
import type { LineFormatReader } from './readerSupport';

/** On resume, session facts are looked for in at most this much of the file's head. */
const HEADER_LIMIT = 4 * 1024 * 1024;

export interface LineFileImport {
  path: string;
  format: ImportFormat;
  emitter: ImportEmitter;
  sink: CaptureSink | undefined;
  /** Appended to only (JSONL logs, Aider history): may resume from the cursor's offset. */
  appendOnly: boolean;
  makeReader: (startOffset: number) => LineFormatReader;
}

export async function importLineFile(job: LineFileImport): Promise<void> {
  const { emitter } = job;
  const now = await fingerprint(job.path);
  const decision = await decideStart(job.path, job.sink?.importCursor(job.path), now, job.appendOnly);
  if (decision.mode === 'unchanged') {
    emitter.report.status = 'unchanged';
    return;
  }
  const start = decision.mode === 'resume' ? decision.offset : 0;
  const reader = job.makeReader(start);
  if (start > 0 && reader.header) {
    const header = reader.header.bind(reader);
    await readLines(job.path, { limit: Math.min(start, HEADER_LIMIT), onLine: (line) => header(line) });
  }
  await readLines(job.path, {
    start,
    onLine: (line) => { reader.line(line); },
    onOversized: (at, bytes) => emitter.unreadable(`line at byte ${at} is ${bytes} bytes, over the line size limit`),
    afterChunk: () => emitter.flushIfFull(),
  });
  reader.finish();
  emitter.raw({
    type: 'importCursor',
    cursor: { path: job.path, format: job.format, size: now.size, mtimeMs: now.mtimeMs, offset: reader.resumeOffset(), headHash: now.headHash },
  });
  await emitter.flush();
}
