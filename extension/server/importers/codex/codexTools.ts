// Codex tool calls and what became of them. Exit codes come from exec_command_end, patch results
// from patch_apply_end (with the files it changed); a tool output is only an error when it says the
// tool itself failed, so a command's non-zero exit is counted once (as an exit code), not twice.
import { applyPatchFiles, unifiedDiffCounts } from '../applyPatchFiles';
import { firstLine, type InteractionDraft } from '../interactionDraft';
import { isObject, num, str, type JsonObject } from '../readerSupport';
import { outcomesFromToolResult } from '../toolResultOutcomes';

const TOOL_FAILED = /^[\w.-]+ failed\b|^(?:Error|error):|^aborted\b|^Failed to /;

interface CallNote { name: string; patch?: string; command?: string; /** write_stdin: the running process it polls */ sessionId?: string }

/** The command line of a shell call: exec_command's `cmd`, shell's `command` array (`bash -lc "…"`). */
function commandOf(item: JsonObject): string | undefined {
  let args: unknown = item.arguments;
  if (typeof args === 'string') {
    try { args = JSON.parse(args); } catch { return undefined; }
  }
  const source = isObject(args) ? args : isObject(item.action) ? item.action : undefined;
  if (!source) return undefined;
  if (typeof source.cmd === 'string') return source.cmd;
  if (source.session_id !== undefined) return undefined;
  if (Array.isArray(source.command)) return source.command.map(String).slice(-1)[0];
  return str(source.command);
}

function outputText(output: unknown): { text: string; exitCode?: number } {
  if (isObject(output)) return { text: str(output.content) ?? '', exitCode: undefined };
  const raw = str(output) ?? '';
  if (raw.startsWith('{"output"')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isObject(parsed)) {
        const metadata = isObject(parsed.metadata) ? parsed.metadata : {};
        return { text: str(parsed.output) ?? '', exitCode: num(metadata.exit_code) };
      }
    } catch { /* plain text output */ }
  }
  return { text: raw };
}

/** write_stdin's target: the session id of the exec_command process it writes to or polls. */
function pollTarget(item: JsonObject): string | undefined {
  if (str(item.name) !== 'write_stdin') return undefined;
  try {
    const args: unknown = typeof item.arguments === 'string' ? JSON.parse(item.arguments) : item.arguments;
    return isObject(args) && args.session_id !== undefined ? String(args.session_id) : undefined;
  } catch {
    return undefined;
  }
}

export class CodexToolTracker {
  private readonly calls = new Map<string, CallNote>();
  private readonly patchesReported = new Set<string>();
  private readonly failedPatches = new Set<string>();
  /** exec_command sessions still running ("Process running with session ID 20936"), by id: their command. */
  private readonly running = new Map<string, string>();

  onResponseItem(draft: InteractionDraft, item: JsonObject, at: number): void {
    const callId = str(item.call_id) ?? str(item.id);
    switch (item.type) {
      case 'reasoning':
        draft.hasAssistantActivity = true;
        return;
      case 'function_call':
      case 'custom_tool_call':
      case 'local_shell_call': {
        const name = str(item.name) ?? (item.type === 'local_shell_call' ? 'local_shell' : 'tool');
        draft.addToolCall({ callId, name });
        if (callId) this.calls.set(callId, { name, patch: this.patchText(name, item), command: commandOf(item), sessionId: pollTarget(item) });
        return;
      }
      case 'web_search_call':
      case 'tool_search_call':
      case 'image_generation_call':
        draft.addToolCall({ name: String(item.type).replace(/_call$/, '') });
        return;
      case 'function_call_output':
      case 'custom_tool_call_output':
        if (callId) this.onOutput(draft, callId, item.output, at);
        return;
    }
  }

  /** Returns false for an event type it does not know. */
  onEvent(draft: InteractionDraft, event: JsonObject, at: number): boolean {
    const callId = str(event.call_id);
    switch (event.type) {
      case 'exec_command_end': {
        const code = num(event.exit_code);
        const command = Array.isArray(event.command) ? event.command.map(String).slice(-1)[0] ?? '' : str(event.command) ?? '';
        draft.addOutcome('exit_code', code, command, at, `exit:${callId ?? at}`);
        if (code !== undefined && code !== 0) draft.addIssue(`exit code ${code}: ${firstLine(command, 200)}`);
        return true;
      }
      case 'patch_apply_end':
        this.onPatchEnd(draft, event, callId, at);
        return true;
      case 'task_complete':
        draft.addOutcome('task_completed', undefined, undefined, at, 'task_complete');
        return true;
      case 'turn_aborted': {
        const reason = str(event.reason) ?? 'interrupted';
        draft.addIssue(`turn aborted: ${reason}`);
        // Esc in the TUI aborts with reason "interrupted": the user stopped the answer.
        if (reason === 'interrupted') draft.addOutcome('user_interrupt', undefined, `turn aborted: ${reason}`, at, 'turn_aborted');
        return true;
      }
      case 'error':
      case 'stream_error': {
        const message = str(event.message) ?? 'error';
        draft.addIssue(`API error: ${message}`);
        draft.addOutcome('api_error', undefined, message, at);
        return true;
      }
      default:
        return false;
    }
  }

  private patchText(name: string, item: JsonObject): string | undefined {
    if (name !== 'apply_patch') return undefined;
    if (typeof item.input === 'string') return item.input;
    const args = str(item.arguments);
    if (!args) return undefined;
    try {
      const parsed: unknown = JSON.parse(args);
      if (isObject(parsed)) return str(parsed.input) ?? (Array.isArray(parsed.command) ? parsed.command.map(String).join('\n') : undefined);
    } catch { /* not JSON */ }
    return args;
  }

  private onOutput(draft: InteractionDraft, callId: string, output: unknown, at: number): void {
    const { text, exitCode } = outputText(output);
    const failed = TOOL_FAILED.test(text.trimStart()) || (exitCode !== undefined && exitCode !== 0);
    const note = this.calls.get(callId);
    draft.resolveTool(callId, { ok: !failed, detail: failed ? text : undefined, at, alreadyReported: this.failedPatches.has(callId) });
    // Test summaries and exit codes in the output ("Process exited with code 1", vitest's counts).
    // The exit code shares its key with exec_command_end's, so one command gives one exit_code; a
    // write_stdin poll reports the exit of a process exec_command_end already reports, so only its
    // test summary is read, as the run of the command that started that process.
    const started = /Process running with session ID (\d+)/.exec(text);
    if (started && note?.command) this.running.set(started[1], note.command);
    const polling = note?.sessionId !== undefined;
    const command = note?.command ?? (polling ? this.running.get(note!.sessionId!) : undefined);
    for (const mined of outcomesFromToolResult({ command, output: text, isError: failed, exitCode })) {
      // apply_patch's own status is the patch outcome above, not a command's exit code.
      if (mined.kind === 'tool_error' || ((mined.kind === 'patch_failed' || mined.kind === 'exit_code') && note?.patch)) continue;
      if (polling && (mined.kind === 'exit_code' || !/^test_/.test(mined.kind))) continue;
      draft.addOutcome(mined.kind, mined.value, mined.detail, at, mined.kind === 'exit_code' ? `exit:${callId}` : `mined:${callId}`);
    }
    // Older rollouts have no patch_apply_end: the apply_patch output is the only word on it.
    if (note?.patch && !this.patchesReported.has(callId)) {
      this.patchesReported.add(callId);
      if (failed) {
        draft.addOutcome('patch_failed', undefined, text, at, `patch:${callId}`);
      } else {
        draft.addOutcome('patch_applied', undefined, undefined, at, `patch:${callId}`);
        for (const file of applyPatchFiles(note.patch)) {
          draft.applyEdit({ ...file, tool: 'apply_patch', at, key: `patch:${callId}:${file.path}` });
        }
      }
    }
  }

  private onPatchEnd(draft: InteractionDraft, event: JsonObject, callId: string | undefined, at: number): void {
    const key = callId ?? `at:${at}`;
    this.patchesReported.add(key);
    if (event.success === false) {
      this.failedPatches.add(key);
      const detail = str(event.stderr) || str(event.stdout) || 'patch failed';
      draft.addIssue(`apply_patch failed: ${detail}`);
      draft.addOutcome('patch_failed', undefined, detail, at, `patch:${key}`);
      return;
    }
    draft.addOutcome('patch_applied', undefined, undefined, at, `patch:${key}`);
    const changes = isObject(event.changes) ? event.changes : {};
    for (const [path, change] of Object.entries(changes)) {
      const info = isObject(change) ? change : {};
      const type = str(info.type) ?? 'update';
      const kind = type === 'add' ? 'create' : type === 'delete' ? 'delete' : str(info.move_path) ? 'rename' : 'edit';
      const counts = str(info.unified_diff) ? unifiedDiffCounts(str(info.unified_diff) ?? '') : undefined;
      draft.applyEdit({ path: str(info.move_path) ?? path, kind, tool: 'apply_patch', at, key: `patch:${key}:${path}`, ...counts });
    }
  }
}
