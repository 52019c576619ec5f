// How OpenCode's messages and parts become turns, wherever they are kept (opencode.db rows or the
// older JSON files): a user message opens a turn once the assistant has answered; assistant messages
// carry text, reasoning, tool parts (with their state: input, output, error, exit code, diff) and
// patch parts (files a step changed). A session's net change per file, from
// `storage/session_diff/<id>.json` (`[{file, before, after, additions, deletions, status}]`),
// completes the line counts of its edits.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FileChangeKind } from '../../../protocol/records';
import { unifiedDiffCounts } from '../applyPatchFiles';
import type { ImportEmitter } from '../importEmitter';
import { InteractionDraft } from '../interactionDraft';
import { addMinedOutcomes } from '../minedToolOutcomes';
import { isObject, num, SessionAccumulator, str, titleFrom, type JsonObject } from '../readerSupport';
import type { StoredSession, StoredTurn } from '../sessionTurnCursor';
import { stableId } from '../stableId';

const EDIT_TOOLS: Record<string, FileChangeKind> = { edit: 'edit', write: 'edit', patch: 'edit', multiedit: 'edit', apply_patch: 'edit' };
const SHELL_TOOLS = new Set(['bash', 'shell']);
const MAX_SESSION_DIFF_BYTES = 64 * 1024 * 1024;

export interface Row { id: string; created: number; updated: number; data: JsonObject }

interface DiffEntry { file: string; additions?: number; deletions?: number; status?: string }

function sessionDiff(storageDir: string, sessionId: string, emitter: ImportEmitter): { entries: DiffEntry[]; signature: string } {
  const path = join(storageDir, 'session_diff', `${sessionId}.json`);
  if (!existsSync(path)) return { entries: [], signature: '' };
  const info = statSync(path);
  if (info.size > MAX_SESSION_DIFF_BYTES) {
    emitter.unreadable(`${path}: over ${MAX_SESSION_DIFF_BYTES} bytes`);
    return { entries: [], signature: '' };
  }
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const entries = (Array.isArray(value) ? value : []).filter(isObject).flatMap((entry) => {
      const file = str(entry.file);
      return file ? [{ file, additions: num(entry.additions), deletions: num(entry.deletions), status: str(entry.status) }] : [];
    });
    return { entries, signature: `${info.size}:${Math.floor(info.mtimeMs)}` };
  } catch (error) {
    emitter.unreadable(`${path}: ${(error as Error).message}`);
    return { entries: [], signature: '' };
  }
}

function toolPart(draft: InteractionDraft, part: JsonObject, partId: string, at: number): void {
  const name = str(part.tool) ?? 'tool';
  const callId = str(part.callID) ?? partId;
  const state = isObject(part.state) ? part.state : {};
  const input = isObject(state.input) ? state.input : {};
  const metadata = isObject(state.metadata) ? state.metadata : {};
  const editKind = EDIT_TOOLS[name];
  const editPath = editKind ? str(input.filePath) ?? str(input.file_path) ?? str(metadata.filepath) : undefined;
  draft.addToolCall({ callId, name, editPath, editKind });
  const status = str(state.status);
  if (status !== 'completed' && status !== 'error') return; // still pending or running
  const time = isObject(state.time) ? state.time : {};
  const endAt = num(time.end) ?? at;
  const filediff = isObject(metadata.filediff) ? metadata.filediff : undefined;
  const counts = filediff && num(filediff.additions) !== undefined
    ? { linesAdded: num(filediff.additions), linesRemoved: num(filediff.deletions) }
    : str(metadata.diff) ? unifiedDiffCounts(str(metadata.diff) ?? '') : {};
  const output = str(state.output) ?? str(metadata.output) ?? '';
  draft.resolveTool(callId, { ok: status === 'completed', detail: status === 'error' ? str(state.error) ?? 'error' : undefined, at: endAt, created: metadata.exists === false, ...counts });
  if (SHELL_TOOLS.has(name) || editKind) {
    const exit = metadata.exit === null ? undefined : Number(metadata.exit);
    addMinedOutcomes(draft, { command: str(input.command), output, isError: status === 'error', exitCode: Number.isFinite(exit) ? exit : undefined }, endAt, callId);
  }
}

function assistantMessage(draft: InteractionDraft, message: Row, parts: Row[]): void {
  const model = str(message.data.modelID);
  if (model) draft.model = model;
  draft.hasAssistantActivity = true;
  const time = isObject(message.data.time) ? message.data.time : {};
  draft.touch(num(time.completed) ?? message.updated);
  for (const part of parts) {
    const data = part.data;
    const at = part.updated || message.created;
    if (data.type === 'text' && data.synthetic !== true) draft.addResponse(str(data.text) ?? '');
    else if (data.type === 'tool') toolPart(draft, data, part.id, at);
    else if (data.type === 'patch' && Array.isArray(data.files)) {
      // Files the step changed that no edit tool named (a shell command wrote them).
      for (const file of data.files) {
        if (typeof file === 'string' && !draft.files.includes(file)) draft.applyEdit({ path: file, tool: 'snapshot', at, key: `patch:${part.id}:${file}` });
      }
    }
  }
  const error = isObject(message.data.error) ? message.data.error : undefined;
  if (error) {
    const name = str(error.name) ?? 'error';
    const detail = isObject(error.data) ? str(error.data.message) ?? name : name;
    if (name === 'MessageAbortedError') draft.addOutcome('user_interrupt', undefined, detail, message.updated, `abort:${message.id}`);
    else {
      draft.addIssue(`${name}: ${detail}`);
      draft.addOutcome('api_error', undefined, `${name}: ${detail}`, message.updated, `error:${message.id}`);
    }
  }
}

/** The session's net line counts, laid onto the last edit of each file (or added when no turn edited it). */
function applySessionDiff(turns: InteractionDraft[], entries: DiffEntry[], at: number): void {
  const last = turns.at(-1);
  if (!last) return;
  for (const entry of entries) {
    const touch = turns.flatMap((turn) => turn.touches).filter((t) => t.path === entry.file || t.path.endsWith(`/${entry.file}`)).at(-1);
    if (touch) {
      touch.linesAdded = entry.additions ?? touch.linesAdded;
      touch.linesRemoved = entry.deletions ?? touch.linesRemoved;
    } else {
      const kind: FileChangeKind = entry.status === 'added' ? 'create' : entry.status === 'deleted' ? 'delete' : 'edit';
      last.applyEdit({ path: entry.file, kind, tool: 'session diff', linesAdded: entry.additions, linesRemoved: entry.deletions, at, key: `diff:${entry.file}` });
    }
  }
}

export interface SessionInfo { id: string; title?: string; directory?: string; created?: number; updated?: number }

/**
 * One session's turns from its messages (in order) and each message's parts, however they were
 * stored (database rows or JSON files). `storageDir` holds `session_diff/<id>.json`.
 */
export function buildOpencodeSession(info: SessionInfo, messages: Row[], partsByMessage: ReadonlyMap<string, Row[]>, storageDir: string, emitter: ImportEmitter): StoredSession | undefined {
  const id = info.id;
  const session = new SessionAccumulator('opencode', id);
  session.title = info.title || undefined;
  session.workspace = info.directory || undefined;
  session.seen(info.created);
  session.seen(info.updated);
  const turns: Array<{ draft: InteractionDraft; signatures: string[] }> = [];
  let current: { draft: InteractionDraft; signatures: string[] } | undefined;
  for (const message of messages) {
    const parts = partsByMessage.get(message.id) ?? [];
    const signature = [message.id, message.updated, ...parts.map((p) => `${p.id}@${p.updated}`)].join(',');
    if (message.data.role === 'user') {
      const text = parts.filter((p) => p.data.type === 'text' && p.data.synthetic !== true).map((p) => str(p.data.text) ?? '').join('\n').trim();
      if (!current || current.draft.hasAssistantActivity) {
        current = { draft: new InteractionDraft(stableId('opencode', id, 'message', message.id), session.id, 'opencode', message.created), signatures: [] };
        turns.push(current);
      }
      current.draft.addRequest(text);
      current.signatures.push(signature);
      session.title ??= titleFrom(text);
      continue;
    }
    if (message.data.role !== 'assistant') { emitter.skipped(); continue; }
    if (!current) {
      current = { draft: new InteractionDraft(stableId('opencode', id, 'message', message.id), session.id, 'opencode', message.created), signatures: [] };
      turns.push(current);
    }
    current.signatures.push(signature);
    assistantMessage(current.draft, message, parts);
    session.model ??= current.draft.model;
  }
  if (turns.length === 0) return undefined;
  const diff = sessionDiff(storageDir, id, emitter);
  applySessionDiff(turns.map((t) => t.draft), diff.entries, info.updated ?? turns.at(-1)?.draft.endedAt ?? 0);
  turns.at(-1)?.signatures.push(diff.signature);
  for (const turn of turns) session.seen(turn.draft.endedAt);
  const stored: StoredTurn[] = turns.map((turn) => ({ draft: turn.draft, signature: stableId(...turn.signatures) }));
  return { key: id, session: session.record(info.created ?? 0), turns: stored };
}

