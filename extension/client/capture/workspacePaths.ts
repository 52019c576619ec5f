// Which files capture may record: those inside the open workspace folders, and never the editor's
// own settings and state (its user-data folder: settings.json, keybindings, globalStorage,
// workspaceStorage; a workspace's .vscode/settings.json and .code-workspace files), which the editor
// writes itself and which say nothing about the user's work. Pure, with a per-path cache, because
// it runs on every editor event.

const MAX_CACHED = 5_000;

function normalise(path: string): string {
  const forward = path.replace(/\\/g, '/');
  // Windows paths compare without case; a drive letter says which kind this is.
  return /^[A-Za-z]:\//.test(forward) ? forward.toLowerCase() : forward;
}

function withSlash(dir: string): string {
  const n = normalise(dir);
  return n.endsWith('/') ? n : `${n}/`;
}

const EDITOR_FILES_IN_WORKSPACE = /(^|\/)\.vscode\/settings\.json$|\.code-workspace$/;

export class WorkspacePaths {
  private folders: string[] = [];
  private editorState: string[] = [];
  private readonly cache = new Map<string, boolean>();

  constructor(folders: readonly string[], editorStateDirs: readonly string[]) {
    this.update(folders, editorStateDirs);
  }

  /** Workspace folders were added or removed. */
  update(folders: readonly string[], editorStateDirs: readonly string[] = this.editorState): void {
    this.folders = folders.map(withSlash);
    this.editorState = editorStateDirs.map(withSlash);
    this.cache.clear();
  }

  isRecordable(path: string): boolean {
    let answer = this.cache.get(path);
    if (answer === undefined) {
      const p = normalise(path);
      answer = this.folders.some((f) => p.startsWith(f))
        && !this.editorState.some((d) => p.startsWith(d))
        && !EDITOR_FILES_IN_WORKSPACE.test(p);
      if (this.cache.size >= MAX_CACHED) this.cache.clear();
      this.cache.set(path, answer);
    }
    return answer;
  }
}
