// Tells which assistant wrote a file from the shape of its records, not its name: names vary by
// version and users pass copies. Line formats are judged on their first parseable lines; whole-file
// JSON is parsed once here and handed on, so it is not parsed twice.
import { open, stat } from 'node:fs/promises';
import type { ImportFormat } from './importReport';
import { isObject, type JsonObject } from './readerSupport';
import { isSqliteHeader } from './sqlite/sqliteSnapshot';

export type ReaderKind =
  | 'claude-code' | 'codex' | 'continue-dev-data' | 'continue-session' | 'continue-index'
  | 'copilot-session' | 'copilot-change-log' | 'copilot-transcript'
  | 'cline-task' | 'cline-sdk-messages' | 'cline-sdk-manifest' | 'aider-history' | 'aider-input'
  | 'cursor-database' | 'cursor-transcript' | 'gemini-json' | 'gemini-jsonl' | 'opencode-database'
  | 'copilot-cli-events' | 'copilot-cli-legacy' | 'windsurf-transcript' | 'droid-session' | 'amp-thread' | 'opencode-json-session';

export const KIND_FORMAT: Record<ReaderKind, ImportFormat> = {
  'claude-code': 'claude-code', codex: 'codex',
  'continue-dev-data': 'continue', 'continue-session': 'continue', 'continue-index': 'continue',
  'copilot-session': 'copilot', 'copilot-change-log': 'copilot', 'copilot-transcript': 'copilot',
  'cline-task': 'cline', 'cline-sdk-messages': 'cline', 'cline-sdk-manifest': 'cline',
  'aider-history': 'aider', 'aider-input': 'aider',
  'cursor-database': 'cursor', 'cursor-transcript': 'cursor', 'gemini-json': 'gemini-cli', 'gemini-jsonl': 'gemini-cli',
  'opencode-database': 'opencode', 'copilot-cli-events': 'copilot-cli', 'copilot-cli-legacy': 'copilot-cli',
  'windsurf-transcript': 'windsurf', 'droid-session': 'factory-droid', 'amp-thread': 'amp', 'opencode-json-session': 'opencode',
};

export type Detection =
  | { ok: true; kind: ReaderKind; format: ImportFormat; document?: unknown; empty?: boolean }
  | { ok: false; error: string; format?: ImportFormat };

/** Whole-file JSON bigger than this is refused with a clear error instead of exhausting memory. */
export const MAX_WHOLE_FILE_BYTES = 256 * 1024 * 1024;
const HEAD_BYTES = 1024 * 1024;
const CLAUDE_TYPES = new Set(['user', 'assistant', 'system', 'summary', 'file-history-snapshot', 'progress', 'queue-operation']);
const CODEX_TYPES = new Set(['session_meta', 'response_item', 'event_msg', 'turn_context', 'compacted']);

/** Records of the formats added after the first seven; checked first, as some look like Codex or
 * Copilot Chat records at a glance. */
function newerLineRecordKind(record: JsonObject): ReaderKind | undefined {
  const type = record.type;
  const data = isObject(record.data) ? record.data : undefined;
  // Copilot CLI's events.jsonl opens like Copilot Chat's transcripts, but names no VS Code version.
  if (type === 'session.start' && data && data.vscodeVersion === undefined && (typeof data.copilotVersion === 'string' || isObject(data.context))) return 'copilot-cli-events';
  if ((type === 'session_start' && typeof record.id === 'string' && ('cwd' in record || 'owner' in record || 'sessionTitle' in record))
    || (type === 'message' && typeof record.id === 'string' && isObject(record.message) && typeof record.message.role === 'string')) return 'droid-session';
  if (typeof type === 'string' && typeof record.status === 'string' && isObject(record[type]) && !('data' in record) && !('payload' in record)) return 'windsurf-transcript';
  if (type === undefined && typeof record.role === 'string' && isObject(record.message) && Array.isArray(record.message.content)) return 'cursor-transcript';
  if ((typeof record.sessionId === 'string' && typeof record.projectHash === 'string') || isObject(record.$set) || typeof record.$rewindTo === 'string'
    || (type === 'gemini' && typeof record.id === 'string')) return 'gemini-jsonl';
  return undefined;
}

export function lineRecordKind(record: JsonObject): ReaderKind | undefined {
  const newer = newerLineRecordKind(record);
  if (newer) return newer;
  const type = record.type;
  if (typeof type === 'string' && CODEX_TYPES.has(type) && 'payload' in record) return 'codex';
  if (typeof type === 'string' && CLAUDE_TYPES.has(type) && ('uuid' in record || 'sessionId' in record || 'leafUuid' in record || 'messageId' in record)) return 'claude-code';
  if (typeof record.eventName === 'string' && ('schema' in record || 'timestamp' in record)) return 'continue-dev-data';
  if (typeof record.kind === 'number' && record.kind >= 0 && record.kind <= 3 && ('v' in record || 'k' in record)) return 'copilot-change-log';
  if (typeof type === 'string' && /^(session|user|assistant|tool|turn|subagent|hook)\.[a-z_]+/.test(type) && isObject(record.data)) return 'copilot-transcript';
  // Codex rollouts before the {type, payload} wrapper: a meta line, then bare response items.
  if (type === undefined && typeof record.id === 'string' && typeof record.timestamp === 'string' && ('instructions' in record || 'git' in record)) return 'codex';
  if (type === 'message' && typeof record.role === 'string' && Array.isArray(record.content)) return 'codex';
  return undefined;
}

export function documentKind(value: unknown): ReaderKind | undefined {
  if (Array.isArray(value)) {
    const first = value.find(isObject);
    if (!first) return undefined;
    if (typeof first.role === 'string' && 'content' in first) return 'cline-task';
    if (typeof first.ts === 'number' && (first.type === 'ask' || first.type === 'say')) return 'cline-task';
    if (typeof first.sessionId === 'string' && ('title' in first || 'dateCreated' in first)) return 'continue-index';
    return undefined;
  }
  if (!isObject(value)) return undefined;
  if (typeof value.projectHash === 'string' && Array.isArray(value.messages)) return 'gemini-json';
  if (typeof value.sessionId === 'string' && (Array.isArray(value.timeline) || Array.isArray(value.chatMessages))) return 'copilot-cli-legacy';
  if (typeof value.id === 'string' && value.id.startsWith('T-') && Array.isArray(value.messages)) return 'amp-thread';
  // OpenCode's pre-database storage/session/<projectID>/<sessionID>.json.
  if (typeof value.id === 'string' && value.id.startsWith('ses') && typeof value.projectID === 'string' && isObject(value.time)) return 'opencode-json-session';
  if (Array.isArray(value.requests) && (typeof value.sessionId === 'string' || typeof value.version === 'number')) return 'copilot-session';
  if (Array.isArray(value.history) && typeof value.sessionId === 'string') return 'continue-session';
  if (Array.isArray(value.messages) && (typeof value.sessionId === 'string' || typeof value.version === 'number')) return 'cline-sdk-messages';
  if (typeof value.session_id === 'string' && ('messages_path' in value || isObject(value.metadata))) return 'cline-sdk-manifest';
  return undefined;
}

function textKind(head: string): ReaderKind | undefined {
  if (/^# aider chat started at /m.test(head)) return 'aider-history';
  if (/^# \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/m.test(head) && /^\+/m.test(head)) return 'aider-input';
  return undefined;
}

/** More than 1% control bytes (NUL and friends, not tab/newline): not text. A stray garbage
 * line in a text transcript stays below that and is counted as unreadable instead. */
function looksBinary(head: Buffer): boolean {
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const byte = head[i];
    if (byte < 9 || (byte > 13 && byte < 32 && byte !== 27)) control++;
  }
  return control > Math.max(1, head.length / 100);
}

/** The kind a file's name suggests, for files with nothing in them yet to judge by. */
function kindFromName(path: string): ReaderKind | undefined {
  const name = path.replace(/\\/g, '/').split('/').pop() ?? '';
  if (name === 'api_conversation_history.json' || name === 'ui_messages.json') return 'cline-task';
  if (name === '.aider.chat.history.md') return 'aider-history';
  if (name === '.aider.input.history') return 'aider-input';
  if (/^rollout-.*\.jsonl$/.test(name)) return 'codex';
  if (/\.messages\.json$/.test(name)) return 'cline-sdk-messages';
  if (path.replace(/\\/g, '/').includes('/.claude/projects/') && name.endsWith('.jsonl')) return 'claude-code';
  if (name === 'events.jsonl' && path.replace(/\\/g, '/').includes('/session-state/')) return 'copilot-cli-events';
  if (/^session-.*\.jsonl$/.test(name) && path.replace(/\\/g, '/').includes('/chats/')) return 'gemini-jsonl';
  return undefined;
}

/**
 * Which assistant an SQLite file belongs to, from the table definitions in its head (the schema
 * lives in the first pages), else from its name.
 */
function sqliteKind(head: string, path: string): ReaderKind | undefined {
  if (/CREATE TABLE ["`]?cursorDiskKV\b/.test(head)) return 'cursor-database';
  if (/CREATE TABLE ["`]?part\b/.test(head) && /CREATE TABLE ["`]?message\b/.test(head) && /CREATE TABLE ["`]?session\b/.test(head)) return 'opencode-database';
  const name = path.replace(/\\/g, '/').split('/').pop() ?? '';
  // A state.vscdb whose schema is not in the head yet (still being written) goes by its name.
  if (name.endsWith('.vscdb')) return 'cursor-database';
  if (/^opencode(-[\w.-]+)?\.db$/.test(name)) return 'opencode-database';
  return undefined;
}

function accept(kind: ReaderKind, forced: ImportFormat | undefined, document?: unknown): Detection {
  const format = KIND_FORMAT[kind];
  const matches = forced === undefined || forced === format || (kind === 'cline-task' && forced === 'roo');
  if (!matches) return { ok: false, error: `not a ${forced} transcript (its records look like ${format})`, format: forced };
  return { ok: true, kind, format: forced ?? format, document };
}

export async function detectFile(path: string, forced?: ImportFormat): Promise<Detection> {
  const info = await stat(path);
  if (!info.isFile()) return { ok: false, error: 'not a regular file', format: forced };
  if (info.size === 0) {
    const kind = kindFromName(path);
    return kind ? { ...accept(kind, forced), empty: true } as Detection : { ok: false, error: 'empty file', format: forced };
  }
  const handle = await open(path, 'r');
  let head: string;
  try {
    const buffer = Buffer.alloc(Math.min(info.size, HEAD_BYTES));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (isSqliteHeader(buffer.subarray(0, bytesRead))) {
      const kind = sqliteKind(buffer.toString('latin1', 0, bytesRead), path);
      return kind ? accept(kind, forced) : { ok: false, error: 'an SQLite database of no assistant this importer knows', format: forced };
    }
    if (looksBinary(buffer.subarray(0, bytesRead))) return { ok: false, error: 'binary data, not a transcript', format: forced };
    head = buffer.toString('utf8', 0, bytesRead);
  } finally {
    await handle.close();
  }
  const text = textKind(head);
  if (text) return accept(text, forced);
  const lines = head.split('\n');
  const complete = info.size <= HEAD_BYTES ? lines : lines.slice(0, -1);
  let parsedLines = 0;
  for (const line of complete.slice(0, 50)) {
    if (line.trim() === '') continue;
    let value: unknown;
    try { value = JSON.parse(line); } catch { continue; }
    parsedLines++;
    if (!isObject(value)) continue;
    const kind = lineRecordKind(value);
    if (kind) return accept(kind, forced);
    if (complete.length <= 2) {
      const docKind = documentKind(value);
      if (docKind) return accept(docKind, forced, value);
    }
  }
  const trimmed = head.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return detectDocument(path, info.size, forced, parsedLines);
  return { ok: false, error: 'format not recognised', format: forced };
}

async function detectDocument(path: string, size: number, forced: ImportFormat | undefined, parsedLines: number): Promise<Detection> {
  if (size > MAX_WHOLE_FILE_BYTES) return { ok: false, error: `JSON file of ${size} bytes is over the ${MAX_WHOLE_FILE_BYTES}-byte limit for whole-file formats`, format: forced };
  const { readFile } = await import('node:fs/promises');
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const kind = kindFromName(path);
    const reason = `incomplete or invalid JSON (${(error as Error).message}); the file may be half-written, it will be read again next time`;
    if (parsedLines > 0 && !kind) return { ok: false, error: 'format not recognised', format: forced };
    return { ok: false, error: reason, format: forced ?? (kind ? KIND_FORMAT[kind] : undefined) };
  }
  const kind = documentKind(value) ?? (Array.isArray(value) && value.length === 0 ? kindFromName(path) : undefined);
  return kind ? accept(kind, forced, value) : { ok: false, error: 'format not recognised', format: forced };
}
