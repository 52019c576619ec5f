// Windsurf (Cascade) transcripts (`~/.windsurf/transcripts/<trajectory id>.jsonl`, or wherever a
// hook's `transcript_path` points): one step per line, `{type, status, <type>: {...}}`. Steps:
// user_input, planner_response, code_action (an edit with the user's acknowledgement),
// run_command (exit code, output, whether the user rejected it) and read-only tools (view_file,
// find, grep_search, list_directory, ...). Steps have no times or ids: turns are located by byte
// offset and timed by their place in the file (TurnLineReader.positionTime).
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImportEmitter } from '../importEmitter';
import type { InteractionDraft } from '../interactionDraft';
import type { LineInfo } from '../lineReader';
import { addMinedOutcomes } from '../minedToolOutcomes';
import { isObject, str, titleFrom, type JsonObject } from '../readerSupport';
import { TurnLineReader } from '../turnLineReader';

/** A `file://` URI as a path; anything else as it is. */
function pathOf(value: unknown): string | undefined {
  const text = str(value);
  if (!text) return undefined;
  if (!text.startsWith('file://')) return text;
  try { return fileURLToPath(text); } catch { return text.slice('file://'.length); }
}

/** Lines changed between two versions of a file, once the common head and tail are set aside. */
export function changedLines(before: string, after: string): { linesAdded: number; linesRemoved: number } {
  const a = before === '' ? [] : before.split('\n');
  const b = after === '' ? [] : after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  return { linesAdded: b.length - head - tail, linesRemoved: a.length - head - tail };
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true' || value === 'True';
}

export class WindsurfReader extends TurnLineReader {
  /** `fileCreated`: the file's creation time (its mtime where the file system keeps none). */
  constructor(path: string, emitter: ImportEmitter, startOffset: number, fileCreated: number) {
    super('windsurf', basename(path, '.jsonl'), emitter, startOffset, fileCreated);
    this.session.seen(fileCreated);
  }

  header(line: LineInfo): boolean {
    let record: unknown;
    try { record = JSON.parse(line.text); } catch { return true; }
    if (isObject(record) && record.type === 'user_input' && isObject(record.user_input)) {
      this.session.title ??= titleFrom(str(record.user_input.user_response) ?? '');
      return false;
    }
    return true;
  }

  protected record(record: JsonObject, line: LineInfo): void {
    const type = str(record.type);
    const step = type && isObject(record[type]) ? record[type] as JsonObject : undefined;
    if (!type || !step) return this.emitter.skipped();
    const at = this.positionTime(line);
    if (type === 'user_input') {
      const text = str(step.user_response) ?? '';
      if (text.trim() === '') return;
      this.turnForRequest(line, at).addRequest(text);
      this.session.title ??= titleFrom(text);
      return;
    }
    const draft = this.turnForOutput(line, at);
    if (type === 'planner_response') return void draft.addResponse(str(step.response) ?? '');
    const callId = `byte:${line.start}`;
    if (type === 'code_action') return this.codeAction(draft, step, callId, record.status, at);
    if (type === 'run_command') return this.runCommand(draft, step, callId, record.status, at);
    draft.addToolCall({ callId, name: type });
    const failed = record.status === 'error';
    draft.resolveTool(callId, { ok: !failed, detail: failed ? str(step.error) ?? str(step.error_message) ?? `${type} failed` : undefined, at });
  }

  private codeAction(draft: InteractionDraft, step: JsonObject, callId: string, status: unknown, at: number): void {
    const path = pathOf(step.path);
    const acknowledgement = str(step.acknowledgement_type) ?? '';
    const rejected = /REJECT/.test(acknowledgement);
    draft.addToolCall({ callId, name: 'code_action', editPath: path, editKind: str(step.original_content) === '' ? 'create' : 'edit' });
    const failed = status === 'error' || rejected;
    draft.resolveTool(callId, {
      ok: !failed, at, detail: rejected ? 'edit rejected by the user' : failed ? 'code action failed' : undefined,
      ...changedLines(str(step.original_content) ?? '', str(step.new_content) ?? ''),
    });
    if (path && /ACCEPT/.test(acknowledgement)) draft.addOutcome('edit_kept', 1, path, at, `ack:${callId}`);
    if (path && rejected) draft.addOutcome('edit_undone', -1, path, at, `ack:${callId}`);
  }

  private runCommand(draft: InteractionDraft, step: JsonObject, callId: string, status: unknown, at: number): void {
    const command = str(step.command) ?? '';
    draft.addToolCall({ callId, name: 'run_command' });
    const exit = step.exit_code === undefined || step.exit_code === null ? undefined : Number(step.exit_code);
    const exitCode = Number.isFinite(exit) ? exit : undefined;
    const rejected = isTrue(step.user_rejected);
    const failed = rejected || status === 'error';
    draft.resolveTool(callId, { ok: !failed, at, detail: rejected ? `${command}: rejected by the user` : failed ? `${command}: failed` : undefined });
    if (rejected) draft.addOutcome('user_interrupt', undefined, `rejected: ${command}`, at, `reject:${callId}`);
    else addMinedOutcomes(draft, { command, output: str(step.output) ?? '', exitCode }, at, callId);
  }
}
