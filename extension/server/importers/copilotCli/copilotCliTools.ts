// Copilot CLI's tools and what their results say: which calls edit a file, and the lines changed
// (results carry a git-style diff of the edit).
import type { FileChangeKind } from '../../../protocol/records';
import { unifiedDiffCounts } from '../applyPatchFiles';
import { str, type JsonObject } from '../readerSupport';

const SHELL_TOOLS = new Set(['bash', 'shell', 'powershell']);

export function editOf(name: string, args: JsonObject): { path: string; kind: FileChangeKind } | undefined {
  const path = str(args.path) ?? str(args.file_path);
  if (!path) return undefined;
  if (name === 'str_replace_editor') {
    const command = str(args.command);
    if (command === 'create') return { path, kind: 'create' };
    if (command === 'str_replace' || command === 'insert' || command === 'undo_edit') return { path, kind: 'edit' };
    return undefined;
  }
  if (name === 'create') return { path, kind: 'create' };
  if (name === 'edit' || name === 'str_replace' || name === 'insert' || name === 'write') return { path, kind: 'edit' };
  return undefined;
}

export function isShellTool(name: string): boolean {
  return SHELL_TOOLS.has(name);
}

/** Lines added and removed, when the result text holds a diff. */
export function diffLines(text: string): { linesAdded?: number; linesRemoved?: number } {
  return /^(diff --git|@@ |--- )/m.test(text) ? unifiedDiffCounts(text) : {};
}
