// How Claude Code's tool calls and results map onto edits and outcome signals.
import type { FileChangeKind } from '../../../protocol/records';
import type { ToolCallInfo, ToolResultInfo } from '../interactionDraft';
import { contentText, isObject, num, str, type JsonObject } from '../readerSupport';

/** Tools that change a file, and the input key holding its path. */
const EDIT_TOOLS: Record<string, { pathKey: string; kind: FileChangeKind }> = {
  Edit: { pathKey: 'file_path', kind: 'edit' },
  MultiEdit: { pathKey: 'file_path', kind: 'edit' },
  Write: { pathKey: 'file_path', kind: 'edit' },
  NotebookEdit: { pathKey: 'notebook_path', kind: 'edit' },
};

export function toolCallFromBlock(block: JsonObject): ToolCallInfo | undefined {
  const name = str(block.name);
  const id = str(block.id);
  if (!name) return undefined;
  const edit = EDIT_TOOLS[name];
  const input = isObject(block.input) ? block.input : {};
  const editPath = edit ? str(input[edit.pathKey]) : undefined;
  return { callId: id, name, editPath, editKind: edit?.kind };
}

/** Lines added/removed from a structuredPatch (`[{lines: ['+a', '-b', ' c']}]`). */
function patchLineCounts(patch: unknown): { added: number; removed: number } | undefined {
  if (!Array.isArray(patch)) return undefined;
  let added = 0;
  let removed = 0;
  for (const hunk of patch) {
    if (!isObject(hunk) || !Array.isArray(hunk.lines)) continue;
    for (const line of hunk.lines) {
      if (typeof line !== 'string') continue;
      if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
    }
  }
  return { added, removed };
}

const EXIT_CODE = /^(?:Error: )?Exit code (-?\d+)/;

export interface ClaudeToolResult extends ToolResultInfo {
  exitCode?: number;
}

export function toolResultFromBlock(block: JsonObject, toolUseResult: unknown, at: number): ClaudeToolResult {
  const text = contentText(block.content);
  const isError = block.is_error === true;
  const detail = isError ? (text || str(toolUseResult) || 'error').replace(/<\/?tool_use_error>/g, '') : undefined;
  const result: ClaudeToolResult = { ok: !isError, at, detail };
  const exit = isError ? EXIT_CODE.exec(text.trimStart()) : null;
  if (exit) result.exitCode = Number(exit[1]);
  if (isObject(toolUseResult)) {
    if (toolUseResult.type === 'create') {
      result.created = true;
      const content = str(toolUseResult.content);
      if (content !== undefined) result.linesAdded = content === '' ? 0 : content.split('\n').length;
    }
    const counts = patchLineCounts(toolUseResult.structuredPatch);
    if (counts && (counts.added > 0 || counts.removed > 0 || result.linesAdded === undefined)) {
      result.linesAdded = counts.added || result.linesAdded;
      result.linesRemoved = counts.removed;
    }
    if (toolUseResult.interrupted === true && !isError) result.detail = 'interrupted';
    const code = num(toolUseResult.exitCode) ?? num(toolUseResult.exit_code);
    if (code !== undefined) result.exitCode = code;
  }
  return result;
}
