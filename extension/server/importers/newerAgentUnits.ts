// Runs an import unit of the assistants added after the first seven (Cursor, Gemini CLI, OpenCode,
// Copilot CLI, Windsurf, Factory Droid, Amp) through its reader. JSONL logs that are only appended
// to resume from their cursor; Gemini's JSONL updates earlier lines, so it is read whole when it
// changed; whole-file JSON goes through importDocuments; SQLite through importDatabase.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { readAmpThread } from './amp/ampThreadReader';
import type { CaptureSink } from './captureSink';
import { readCopilotCliLegacy } from './copilotCli/copilotCliLegacyReader';
import { CopilotCliEventsReader } from './copilotCli/copilotCliEventsReader';
import { readCursorDatabase } from './cursor/cursorDatabaseReader';
import { composerImportedFromDatabase, noteComposersFromDatabase } from './cursor/cursorComposerRegistry';
import { CursorTranscriptReader } from './cursor/cursorTranscriptReader';
import { cursorComposerFolders, cursorDatabaseFolder } from './cursor/cursorWorkspaces';
import { importDocuments, parseJsonFile } from './documentImport';
import { DroidReader } from './factoryDroid/droidReader';
import { GeminiJsonlReader, readGeminiDocument } from './geminiCli/geminiReaders';
import type { ImportEmitter } from './importEmitter';
import type { ImportUnit } from './importPlan';
import { importLineFile } from './lineFileImport';
import { readOpencodeDatabase } from './opencode/opencodeDatabaseReader';
import { readOpencodeJsonSession } from './opencode/opencodeJsonStorage';
import { isObject, str, type JsonObject, type LineFormatReader } from './readerSupport';
import { emitStoredSession } from './sessionTurnCursor';
import { importDatabase } from './sqlite/databaseImport';
import { WindsurfReader } from './windsurf/windsurfReader';

const MAX_SETTINGS_BYTES = 1024 * 1024;

/** The model a Droid session ran with, from the `.settings.json` beside it. */
async function droidModel(path: string | undefined): Promise<string | undefined> {
  if (!path) return undefined;
  try {
    if ((await stat(path)).size > MAX_SETTINGS_BYTES) return undefined;
    const value: unknown = JSON.parse(await readFile(path, 'utf8'));
    return isObject(value) ? str(value.model) : undefined;
  } catch {
    return undefined; // a settings file caught half-written only costs the model name
  }
}

export async function runNewerAgentUnit(unit: ImportUnit, emitter: ImportEmitter, sink: CaptureSink | undefined): Promise<void> {
  const [primary] = unit.files;
  const info = await stat(primary);
  const mtime = Math.floor(info.mtimeMs);
  // Formats without times are timed from the file's creation (mtime where the file system has none).
  const created = info.birthtimeMs > 0 && info.birthtimeMs <= info.mtimeMs ? Math.floor(info.birthtimeMs) : mtime;
  const lines = (appendOnly: boolean, makeReader: (start: number) => LineFormatReader): Promise<void> =>
    importLineFile({ path: primary, format: unit.format, emitter, sink, appendOnly, makeReader });
  const document = (read: (doc: JsonObject) => void): Promise<void> =>
    importDocuments({ paths: [primary], format: unit.format, emitter, sink, parsed: unit.parsed, read: (docs) => read(asObject(docs.get(primary))) });
  const key = basename(primary).replace(/\.jsonl?$/, '');

  switch (unit.kind) {
    case 'cursor-database':
      return importDatabase({
        path: primary, format: unit.format, emitter, sink,
        read: async (db) => {
          const sessions = readCursorDatabase(db, emitter, mtime, await cursorComposerFolders(primary), cursorDatabaseFolder(primary));
          noteComposersFromDatabase(sessions.map((stored) => stored.key));
          return sessions;
        },
      });
    case 'cursor-transcript':
      if (composerImportedFromDatabase(basename(primary, '.jsonl'), sink)) {
        emitter.report.status = 'unchanged'; // the same conversation, read from Cursor's database
        return;
      }
      return lines(true, (start) => new CursorTranscriptReader(primary, emitter, start, created));
    case 'gemini-jsonl':
      return lines(false, () => new GeminiJsonlReader(primary, emitter, sink, mtime));
    case 'gemini-json':
      return document((doc) => readGeminiDocument(doc, primary, mtime, emitter, sink));
    case 'opencode-database':
      return importDatabase({ path: primary, format: unit.format, emitter, sink, read: (db) => readOpencodeDatabase(db, primary, emitter) });
    case 'copilot-cli-events':
      return lines(true, (start) => new CopilotCliEventsReader(primary, emitter, start, mtime));
    case 'copilot-cli-legacy':
      return document((doc) => readCopilotCliLegacy(doc, primary, key, mtime, emitter, sink));
    case 'windsurf-transcript':
      return lines(true, (start) => new WindsurfReader(primary, emitter, start, created));
    case 'droid-session': {
      const model = await droidModel(unit.files[1]);
      return lines(true, (start) => new DroidReader(primary, emitter, start, mtime, model));
    }
    case 'amp-thread':
      return document((doc) => readAmpThread(doc, primary, key, mtime, emitter, sink));
    case 'opencode-json-session':
      return importOpencodeJsonSession(unit, emitter, sink);
    default:
      throw new Error(`no reader for ${unit.kind}`);
  }
}

/**
 * An OpenCode JSON-storage session: its messages and parts are files of their own, which change
 * without the session file changing, so the session is always read and compared turn by turn.
 */
async function importOpencodeJsonSession(unit: ImportUnit, emitter: ImportEmitter, sink: CaptureSink | undefined): Promise<void> {
  const [primary] = unit.files;
  let document: unknown;
  try {
    document = unit.parsed.get(primary) ?? await parseJsonFile(primary, (await stat(primary)).size);
  } catch (error) {
    emitter.report.status = 'failed';
    emitter.report.error = (error as Error).message;
    emitter.unreadable(`${primary}: ${emitter.report.error}`);
    return;
  }
  const before = { interactions: emitter.report.interactions, errors: emitter.report.errors };
  const stored = readOpencodeJsonSession(primary, asObject(document), emitter);
  if (stored) emitStoredSession(stored, primary, unit.format, emitter, sink);
  if (emitter.report.interactions === before.interactions && emitter.report.errors === before.errors) emitter.report.status = 'unchanged';
  await emitter.flush();
}

function asObject(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}
