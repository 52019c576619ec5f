// The vscode listeners that feed the capture pipeline. They exist only while capture is active
// (attached on opt-in/resume, disposed on pause), and each handler does synchronous, constant-time
// work; anything slow (clipboard, reading a file) is a promise that the handler does not await.
import * as vscode from 'vscode';
import type { CapturePipeline } from './capturePipeline';
import { diagnosticCounts } from './diagnosticAttribution';

/** Language servers publish in bursts while they re-check; read the settled state once. */
const DIAGNOSTICS_DEBOUNCE_MS = 750;
/** Attribution windows and keep/undo deadlines are checked this often while any are open. */
const TICK_MS = 5_000;

export function attachEditorSignals(pipeline: CapturePipeline<vscode.Uri>, log: vscode.LogOutputChannel): vscode.Disposable {
  const dirtyDiagnostics = new Map<string, vscode.Uri>();
  let diagnosticsTimer: NodeJS.Timeout | undefined;
  const readDiagnostics = (): void => {
    diagnosticsTimer = undefined;
    for (const [path, uri] of dirtyDiagnostics) pipeline.onDiagnostics(path, diagnosticCounts(vscode.languages.getDiagnostics(uri)));
    dirtyDiagnostics.clear();
  };

  const tick = setInterval(() => {
    if (!pipeline.hasOpenWork) return;
    const now = Date.now();
    for (const edit of pipeline.tick(now)) {
      void currentText(edit.path).then((text) => pipeline.settleEdit(edit, text, Date.now()), (error: Error) => log.warn(`keep/undo check of ${edit.path}: ${error.message}`));
    }
  }, TICK_MS);

  const subscriptions: vscode.Disposable[] = [
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length === 0 || e.document.uri.scheme !== 'file') return;
      const document = e.document;
      pipeline.onTextChange({
        path: document.uri.fsPath, ref: document.uri, changes: e.contentChanges, reason: e.reason,
        inActiveEditor: vscode.window.activeTextEditor?.document === document,
      }, Date.now());
    }),
    // Assistants in a terminal (Claude Code, Codex, Aider) write files the editor may not have open.
    // An open document's change arrives above, as a reload; only closed files are looked at here.
    ...diskWatchers(pipeline, log),
    vscode.workspace.onDidSaveTextDocument((document) => {
      if (document.uri.scheme === 'file') pipeline.onFileEvent('save', document.uri.fsPath, Date.now());
    }),
    vscode.workspace.onDidCreateFiles((e) => { for (const uri of e.files) pipeline.onFileEvent('create', uri.fsPath, Date.now()); }),
    vscode.workspace.onDidDeleteFiles((e) => { for (const uri of e.files) pipeline.onFileEvent('delete', uri.fsPath, Date.now()); }),
    vscode.workspace.onDidRenameFiles((e) => { for (const f of e.files) pipeline.onFileEvent('rename', f.newUri.fsPath, Date.now()); }),
    vscode.languages.onDidChangeDiagnostics((e) => {
      if (!pipeline.hasOpenWork) return; // nothing attributed: the common case costs nothing
      for (const uri of e.uris) if (pipeline.isDiagnosticWatched(uri.fsPath)) dirtyDiagnostics.set(uri.fsPath, uri);
      if (dirtyDiagnostics.size > 0 && !diagnosticsTimer) diagnosticsTimer = setTimeout(readDiagnostics, DIAGNOSTICS_DEBOUNCE_MS);
    }),
    { dispose: () => { clearInterval(tick); clearTimeout(diagnosticsTimer); } },
  ];
  // Shell integration events arrived in VS Code 1.93; an older or trimmed host simply has none.
  if (typeof vscode.window.onDidEndTerminalShellExecution === 'function') {
    subscriptions.push(vscode.window.onDidEndTerminalShellExecution((e) => {
      pipeline.onTerminalEnd({ commandLine: e.execution.commandLine.value, exitCode: e.exitCode, at: Date.now() });
    }));
  }
  // Tasks (npm test, make, a build) end with an exit code too; undefined stays unknown.
  subscriptions.push(vscode.tasks.onDidEndTaskProcess((e) => {
    pipeline.onTerminalEnd({ commandLine: taskCommandLine(e.execution.task), exitCode: e.exitCode, at: Date.now() });
  }));
  return vscode.Disposable.from(...subscriptions);
}

/** The command a task ran, for the test-command check; its name when it is neither a shell nor a process. */
function taskCommandLine(task: vscode.Task): string {
  const text = (part: string | vscode.ShellQuotedString): string => (typeof part === 'string' ? part : part.value);
  const execution = task.execution;
  if (execution instanceof vscode.ShellExecution) {
    return execution.commandLine ?? [execution.command, ...execution.args].filter((p) => p !== undefined).map(text).join(' ');
  }
  if (execution instanceof vscode.ProcessExecution) return [execution.process, ...execution.args].join(' ');
  return task.name;
}

/** Changes and creations on disk under each workspace folder, for files the editor does not have open. */
function diskWatchers(pipeline: CapturePipeline<vscode.Uri>, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const onDisk = (uri: vscode.Uri): void => {
    if (uri.scheme !== 'file') return;
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return;
    const at = Date.now();
    // A new folder is reported instead of the files written into it: say which it is.
    vscode.workspace.fs.stat(uri).then(
      (stat) => pipeline.onDiskChange(uri.fsPath, uri, at, (stat.type & vscode.FileType.Directory) !== 0),
      (error: Error) => log.debug(`disk change of ${uri.fsPath} not read: ${error.message}`));
  };
  return (vscode.workspace.workspaceFolders ?? []).flatMap((folder) => {
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*'), false, false, true);
    return [watcher, watcher.onDidChange(onDisk), watcher.onDidCreate(onDisk)];
  });
}

/** What the user sees: the open document (even unsaved), else the file on disk, else undefined (gone). */
async function currentText(path: string): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === path);
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(path)));
  } catch (error) {
    if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
    throw error;
  }
}
