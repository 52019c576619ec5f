// Files named by an `apply_patch` envelope (`*** Begin Patch` / `*** Update File: path` ...), the
// patch language Codex and Copilot's agent both use, with the lines it adds and removes.
import type { FileChangeKind } from '../../protocol/records';

export interface PatchedFile {
  path: string;
  kind: FileChangeKind;
  linesAdded: number;
  linesRemoved: number;
}

const HEADER = /^\*\*\* (Add|Update|Delete) File: (.+)$/;

export function applyPatchFiles(patch: string): PatchedFile[] {
  const files: PatchedFile[] = [];
  let current: PatchedFile | undefined;
  for (const line of patch.split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      const kind: FileChangeKind = header[1] === 'Add' ? 'create' : header[1] === 'Delete' ? 'delete' : 'edit';
      current = { path: header[2].trim(), kind, linesAdded: 0, linesRemoved: 0 };
      files.push(current);
    } else if (current && line.startsWith('*** Move to: ')) {
      current.kind = 'rename';
      current.path = line.slice('*** Move to: '.length).trim();
    } else if (current && line.startsWith('+')) {
      current.linesAdded++;
    } else if (current && line.startsWith('-')) {
      current.linesRemoved++;
    }
  }
  return files;
}

/** Lines added/removed in a unified diff body. */
export function unifiedDiffCounts(diff: string): { linesAdded: number; linesRemoved: number } {
  let linesAdded = 0;
  let linesRemoved = 0;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++') || line.startsWith('---')) continue;
    if (line.startsWith('+')) linesAdded++;
    else if (line.startsWith('-')) linesRemoved++;
  }
  return { linesAdded, linesRemoved };
}
