// "Autodidact: Import Sessions...": from every assistant's standard locations, or chosen files and
// folders; the analysis server does the work and reports each file as it finishes.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ImportProgressNotification, ImportRequest } from '../protocol/analysisProtocol';
import type { ImportReport } from '../server/importers/importReport';

type ImportSource = { label: string; description: string; pick: 'discover' | 'choose' };

export async function importSessionsCommand(client: LanguageClient | undefined, log: vscode.LogOutputChannel): Promise<void> {
  if (!client?.isRunning()) {
    void vscode.window.showErrorMessage('Autodidact: the analysis server is not running, so nothing can be imported. See "Autodidact: Show Log".');
    return;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Autodidact does not import sessions in an untrusted workspace.');
    return;
  }
  const choice = await vscode.window.showQuickPick<ImportSource>([
    { label: '$(search) All known assistants', description: 'Claude Code, Cline, Roo Code, Continue, Copilot Chat, Aider, Codex CLI, Cursor, Gemini CLI, OpenCode, Copilot CLI, Windsurf, Factory Droid, Amp', pick: 'discover' },
    { label: '$(folder-opened) Choose files or folders…', description: 'transcripts copied from elsewhere', pick: 'choose' },
  ], { title: 'Import assistant sessions', placeHolder: 'Where should Autodidact import from?' });
  if (!choice) return;
  let paths: string[] | undefined;
  if (choice.pick === 'choose') {
    const uris = await vscode.window.showOpenDialog({ canSelectMany: true, canSelectFiles: true, canSelectFolders: true, openLabel: 'Import' });
    if (!uris?.length) return;
    paths = uris.map((uri) => uri.fsPath);
  }
  const report = await runImportWithProgress(client, paths);
  log.info(`import: ${JSON.stringify(report.totals)}`);
  void vscode.window.showInformationMessage(summarise(report), 'Open Panel').then((action) => {
    if (action) void vscode.commands.executeCommand('autodidact.openPanel');
  });
}

/** The startup import (setting `autodidact.import.onStartup`): quiet unless something new arrived. */
export async function importOnStartup(client: LanguageClient, log: vscode.LogOutputChannel): Promise<void> {
  const report = await client.sendRequest(ImportRequest.type, {});
  log.info(`startup import: ${JSON.stringify(report.totals)}`);
  if (report.totals.interactions > 0) vscode.window.setStatusBarMessage(`$(history) Autodidact imported ${report.totals.interactions} interactions`, 8000);
}

function runImportWithProgress(client: LanguageClient, paths: string[] | undefined): Thenable<ImportReport> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Autodidact: importing sessions' }, async (progress) => {
    const listener = client.onNotification(ImportProgressNotification.type, ({ path, done, total }) => {
      progress.report({ message: `${done}/${total} ${path.split(/[\\/]/).pop()}`, increment: 100 / Math.max(total, 1) });
    });
    try {
      return await client.sendRequest(ImportRequest.type, { paths });
    } finally {
      listener.dispose();
    }
  });
}

function summarise(report: ImportReport): string {
  const { totals } = report;
  if (report.files.length === 0) return 'Autodidact found no assistant transcripts in the standard locations.';
  const failed = report.files.filter((file) => file.status === 'failed').length;
  const parts = [`Imported ${totals.interactions} interactions in ${totals.sessions} sessions from ${report.files.length} files`];
  if (failed > 0) parts.push(`${failed} could not be read (see the log)`);
  if (report.redactions.total > 0) parts.push(`${report.redactions.total} secrets redacted`);
  return `Autodidact: ${parts.join('; ')}.`;
}
