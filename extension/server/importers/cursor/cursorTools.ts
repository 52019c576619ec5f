// A Cursor bubble's `toolFormerData`: the tool the agent ran, its arguments (`rawArgs`/`params`, JSON
// strings), what came back (`result`, a JSON string), its `status` and, for edits, the user's
// `userDecision` (accepted or rejected). The call and its result live in the same bubble.
import type { FileChangeKind } from '../../../protocol/records';
import { unifiedDiffCounts } from '../applyPatchFiles';
import type { InteractionDraft } from '../interactionDraft';
import { addMinedOutcomes } from '../minedToolOutcomes';
import { asJsonObject, isObject, num, str, type JsonObject } from '../readerSupport';

/** Tools that change a file. Names vary by version; matched after lower-casing. */
const EDIT_TOOLS: Record<string, FileChangeKind> = {
  edit_file: 'edit', edit_file_v2: 'edit', search_replace: 'edit', apply_patch: 'edit', multiedit: 'edit',
  write: 'edit', write_file: 'edit', strreplace: 'edit', create_file: 'create', delete_file: 'delete',
};
const TERMINAL_TOOLS = new Set(['run_terminal_cmd', 'run_terminal_command', 'run_terminal_command_v2', 'shell', 'bash']);

function resultText(raw: unknown, parsed: JsonObject): string {
  return str(parsed.output) ?? str(parsed.error) ?? str(parsed.stdout) ?? (typeof raw === 'string' ? raw : '');
}

function diffCounts(result: JsonObject): { linesAdded: number; linesRemoved: number } | undefined {
  const diff = isObject(result.diff) ? result.diff : undefined;
  if (!diff || !Array.isArray(diff.chunks)) return undefined;
  let linesAdded = 0;
  let linesRemoved = 0;
  for (const chunk of diff.chunks) {
    if (!isObject(chunk)) continue;
    const counts = unifiedDiffCounts(str(chunk.diffString) ?? '');
    linesAdded += num(chunk.linesAdded) ?? counts.linesAdded;
    linesRemoved += num(chunk.linesRemoved) ?? counts.linesRemoved;
  }
  return { linesAdded, linesRemoved };
}

/** Records one tool bubble: the call, its result as an outcome, an edit when a file changed. */
export function addCursorTool(draft: InteractionDraft, tool: JsonObject, bubbleId: string, at: number): void {
  const name = str(tool.name) ?? `tool ${num(tool.tool) ?? '?'}`;
  const args = { ...asJsonObject(tool.params), ...asJsonObject(tool.rawArgs) };
  const callId = `bubble:${bubbleId}`;
  const editKind = EDIT_TOOLS[name.toLowerCase()];
  const terminal = TERMINAL_TOOLS.has(name.toLowerCase());
  const editPath = editKind ? str(args.relativeWorkspacePath) ?? str(args.file_path) ?? str(args.target_file) ?? str(args.path) : undefined;
  draft.addToolCall({ callId, name, editPath, editKind });
  const status = str(tool.status) ?? 'completed';
  const decision = str(tool.userDecision);
  const errorText = str(tool.error) ?? (isObject(tool.error) ? str(tool.error.message) : undefined);
  const rejected = decision === 'rejected';
  const failed = status === 'error' || status === 'cancelled' || errorText !== undefined || rejected;
  // Results of reads and searches can be whole files: parsed only when something is taken from them.
  const result = editKind !== undefined || terminal || failed ? asJsonObject(tool.result) : {};
  const detail = rejected ? 'rejected by the user' : errorText ?? (status === 'cancelled' ? 'cancelled' : resultText(tool.result, result) || status);
  draft.resolveTool(callId, { ok: !failed, detail: failed ? detail : undefined, at, ...diffCounts(result) });
  if (editPath && decision === 'accepted') draft.addOutcome('edit_kept', 1, editPath, at, `decision:${bubbleId}`);
  if (editPath && rejected) draft.addOutcome('edit_undone', -1, editPath, at, `decision:${bubbleId}`);
  // Only commands and edits are mined: a file the agent merely read may quote any log at all.
  if (terminal || editKind !== undefined) {
    const command = terminal ? str(args.command) : undefined;
    addMinedOutcomes(draft, { command, output: resultText(tool.result, result), isError: failed, exitCode: num(result.exitCode) ?? num(result.exit_code) }, at, callId);
  }
}
