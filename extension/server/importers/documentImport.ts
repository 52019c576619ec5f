// Imports whole-file JSON sources (one file or a group read together, like a Cline task's two
// files). They are rewritten in place by their assistant, so a changed file is read whole again;
// stable ids make that an update, not a duplicate. A file that does not parse (caught half-written)
// is an error for that file only, and gets no cursor, so the next import tries it again.
import { readFile } from 'node:fs/promises';
import type { CaptureSink } from './captureSink';
import { decideStart, fingerprint, type FileFingerprint } from './fileCursor';
import { MAX_WHOLE_FILE_BYTES } from './formatDetection';
import type { ImportEmitter } from './importEmitter';
import type { ImportFormat } from './importReport';

export interface DocumentImport {
  /** The first file is the primary one: if it cannot be read, the import of the group fails. */
  paths: string[];
  format: ImportFormat;
  emitter: ImportEmitter;
  sink: CaptureSink | undefined;
  /** Already parsed during detection, to avoid parsing twice. */
  parsed?: Map<string, unknown>;
  read: (documents: Map<string, unknown>) => void;
}

export async function parseJsonFile(path: string, size: number): Promise<unknown> {
  if (size > MAX_WHOLE_FILE_BYTES) throw new Error(`${size} bytes is over the ${MAX_WHOLE_FILE_BYTES}-byte limit for whole-file JSON`);
  const text = await readFile(path, 'utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`incomplete or invalid JSON (${(error as Error).message}); the file may be half-written, it will be read again next time`);
  }
}

export async function importDocuments(job: DocumentImport): Promise<void> {
  const { emitter } = job;
  const prints = new Map<string, FileFingerprint>();
  let changed = false;
  for (const path of job.paths) {
    const now = await fingerprint(path);
    prints.set(path, now);
    const decision = await decideStart(path, job.sink?.importCursor(path), now, false);
    if (decision.mode !== 'unchanged') changed = true;
  }
  if (!changed) {
    emitter.report.status = 'unchanged';
    return;
  }
  const documents = new Map<string, unknown>();
  for (const [index, path] of job.paths.entries()) {
    try {
      const value = job.parsed?.has(path) ? job.parsed.get(path) : await parseJsonFile(path, prints.get(path)?.size ?? 0);
      if (value !== undefined) documents.set(path, value);
    } catch (error) {
      const message = (error as Error).message;
      emitter.unreadable(`${path}: ${message}`);
      if (index === 0) {
        emitter.report.status = 'failed';
        emitter.report.error = message;
        return;
      }
    }
  }
  job.read(documents);
  for (const path of documents.keys()) {
    const now = prints.get(path);
    if (now) emitter.raw({ type: 'importCursor', cursor: { path, format: job.format, size: now.size, mtimeMs: now.mtimeMs, offset: 0, headHash: now.headHash } });
  }
  await emitter.flush();
}
