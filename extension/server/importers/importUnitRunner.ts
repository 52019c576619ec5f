// Runs one import unit through the reader for its kind.
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputTimeline, parseInputHistory } from './aider/aiderInputHistory';
import { AiderChatReader } from './aider/aiderChatReader';
import type { CaptureSink } from './captureSink';
import { ClaudeCodeReader } from './claudeCode/claudeCodeReader';
import { readClineSdkManifest, readClineSdkSession, readClineTask } from './cline/clineTaskReader';
import { CodexReader } from './codex/codexReader';
import { ContinueDevDataReader } from './continue/continueDevDataReader';
import { readContinueIndex, readContinueSession } from './continue/continueSessionReader';
import { CopilotChangeLogReader } from './copilot/copilotChangeLogReader';
import { readCopilotSession } from './copilot/copilotSessionReader';
import { CopilotTranscriptReader } from './copilot/copilotTranscriptReader';
import { importDocuments, parseJsonFile } from './documentImport';
import type { ImportEmitter } from './importEmitter';
import type { ImportFormat } from './importReport';
import type { ImportUnit } from './importPlan';
import { importLineFile } from './lineFileImport';
import { runNewerAgentUnit } from './newerAgentUnits';
import { isObject, type JsonObject } from './readerSupport';

const MAX_INPUT_HISTORY = 64 * 1024 * 1024;

export async function runImportUnit(unit: ImportUnit, emitter: ImportEmitter, sink: CaptureSink | undefined, forced: ImportFormat | undefined): Promise<void> {
  const [primary] = unit.files;
  const lines = (appendOnly: boolean, makeReader: Parameters<typeof importLineFile>[0]['makeReader']): Promise<void> =>
    importLineFile({ path: primary, format: unit.format, emitter, sink, appendOnly, makeReader });
  const documents = (read: (docs: Map<string, unknown>) => void): Promise<void> =>
    importDocuments({ paths: unit.files, format: unit.format, emitter, sink, parsed: unit.parsed, read });

  switch (unit.kind) {
    case 'claude-code':
      return lines(true, (start) => new ClaudeCodeReader(primary, emitter, start));
    case 'codex':
      return lines(true, (start) => new CodexReader(primary, emitter, start));
    case 'continue-dev-data':
      return lines(true, (start) => new ContinueDevDataReader(primary, emitter, start));
    case 'copilot-transcript':
      return lines(true, (start) => new CopilotTranscriptReader(primary, emitter, start));
    case 'copilot-change-log':
      return lines(false, () => new CopilotChangeLogReader(primary, emitter));
    case 'aider-history':
    case 'aider-input':
      return importAider(unit, emitter, sink);
    case 'copilot-session':
      return documents((docs) => readCopilotSession(asObject(docs.get(primary)), primary, emitter));
    case 'continue-session': {
      const index = await continueIndexEntry(primary);
      const mtime = Math.floor((await stat(primary)).mtimeMs);
      return documents((docs) => readContinueSession(asObject(docs.get(primary)), primary, mtime, index, emitter));
    }
    case 'continue-index':
      return documents((docs) => readContinueIndex(asArray(docs.get(primary)), emitter));
    case 'cline-task':
      return documents((docs) => {
        const api = docs.get(join(dirname(primary), 'api_conversation_history.json'));
        const ui = docs.get(join(dirname(primary), 'ui_messages.json'));
        const source = readClineTask(dirname(primary), Array.isArray(api) ? api : undefined, Array.isArray(ui) ? ui : undefined,
          forced === 'cline' || forced === 'roo' ? forced : undefined, emitter);
        emitter.report.format = source;
        unit.format = source;
      });
    case 'cline-sdk-messages':
      return documents((docs) => readClineSdkSession(primary, asObject(docs.get(primary)), isObject(docs.get(unit.files[1])) ? docs.get(unit.files[1]) as JsonObject : undefined, emitter));
    case 'cline-sdk-manifest':
      return documents((docs) => readClineSdkManifest(asObject(docs.get(primary)), emitter));
    default:
      return runNewerAgentUnit(unit, emitter, sink);
  }
}

function asObject(value: unknown): JsonObject {
  return isObject(value) ? value : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

async function importAider(unit: ImportUnit, emitter: ImportEmitter, sink: CaptureSink | undefined): Promise<void> {
  const [history, input] = unit.files;
  if (basename(history) !== '.aider.chat.history.md') {
    emitter.report.status = 'failed';
    emitter.report.error = 'an .aider.input.history has only what was typed; its .aider.chat.history.md is not beside it';
    emitter.unreadable(emitter.report.error);
    return;
  }
  let entries: ReturnType<typeof parseInputHistory> = [];
  if (input) {
    const size = (await stat(input)).size;
    if (size <= MAX_INPUT_HISTORY) entries = parseInputHistory(await readFile(input, 'utf8'));
  }
  const timeline = new InputTimeline(entries);
  await importLineFile({
    path: history, format: 'aider', emitter, sink, appendOnly: true,
    makeReader: (start) => new AiderChatReader(history, emitter, timeline, start),
  });
}

/** Continue's sessions.json beside a session file gives its title and creation date. */
async function continueIndexEntry(sessionPath: string): Promise<JsonObject | undefined> {
  const indexPath = join(dirname(sessionPath), 'sessions.json');
  try {
    const info = await stat(indexPath);
    const index = await parseJsonFile(indexPath, info.size);
    const id = basename(sessionPath, '.json');
    return Array.isArray(index) ? index.find((entry): entry is JsonObject => isObject(entry) && entry.sessionId === id) : undefined;
  } catch {
    return undefined;
  }
}
