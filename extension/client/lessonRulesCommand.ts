// "Autodidact: Push Lessons to a Rules File...": the editor's `autodidact lessons export`. Pick the
// assistant, see the change as a diff (the file as it is on the left, with Autodidact's block put in
// on the right), and only an explicit "Write" in a modal writes it. The block is the CLI's
// (rulesExport.ts): the user's own text around it is kept byte for byte. If the file changes while
// the diff is open, nothing is written and the user is told to look again.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LessonsRequest } from '../protocol/lessonsProtocol';
import { EXPORT_TARGETS, rulesFilePath, rulesFileText, writeRulesFile, type ExportTarget } from '../server/lessons/rulesExport';

const ASSISTANTS: Record<ExportTarget, string> = {
  agents: 'Codex, Aider, Jules and others that read AGENTS.md',
  claude: 'Claude Code',
  cursor: 'Cursor',
  copilot: 'GitHub Copilot',
  cline: 'Cline',
  continue: 'Continue',
};

export const PREVIEW_SCHEME = 'autodidact-rules-preview';

/** The proposed texts the diff's right (and, for a new file, left) side shows, by URI path. */
export class RulesPreviewProvider implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  show(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${name}` });
    this.texts.set(uri.path, text);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path) ?? '';
  }
}

export async function pushLessonsToRulesCommand(client: LanguageClient | undefined, previews: RulesPreviewProvider): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') {
    void vscode.window.showErrorMessage('Autodidact: open the project folder first; lessons are written into its rules file.');
    return;
  }
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showErrorMessage('Autodidact: this workspace is not trusted, so Autodidact writes nothing into it. Trust it first to push lessons into its rules file.');
    return;
  }
  if (!client?.isRunning()) {
    void vscode.window.showErrorMessage('Autodidact: the analysis server is not running, so the lessons cannot be read. See "Autodidact: Show Log".');
    return;
  }
  const data = await client.sendRequest(LessonsRequest.type, {});
  const active = data.lessons.filter((l) => l.status === 'active');
  if (active.length === 0) {
    void vscode.window.showInformationMessage('Autodidact: no active lessons to push. A lesson becomes active when its measured advantage is beyond noise or when you approve it in the panel.');
    return;
  }
  const root = folder.uri.fsPath;
  const pick = await vscode.window.showQuickPick((Object.keys(EXPORT_TARGETS) as ExportTarget[]).map((target) => ({
    label: EXPORT_TARGETS[target], description: ASSISTANTS[target], detail: fs.existsSync(path.join(root, EXPORT_TARGETS[target])) ? 'exists: only the Autodidact block changes' : 'new file', target,
  })), { title: `Push ${active.length} active lesson(s) into a rules file`, placeHolder: 'Which assistant do you use?' });
  if (!pick) return;

  let file: string;
  let existing: string | undefined;
  let next: string;
  try {
    file = rulesFilePath(root, pick.target);
    existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    next = rulesFileText(existing, pick.target, active);
  } catch (error) {
    void vscode.window.showErrorMessage(`Autodidact: ${(error as Error).message}`);
    return;
  }
  const name = EXPORT_TARGETS[pick.target];
  if (next === existing) {
    void vscode.window.showInformationMessage(`Autodidact: ${name} already holds these ${active.length} lesson(s).`);
    return;
  }
  const left = existing === undefined ? previews.show(`${name} (new file)`, '') : vscode.Uri.file(file);
  const right = previews.show(`${name} (with lessons)`, next);
  await vscode.commands.executeCommand('vscode.diff', left, right, `${name}: Autodidact lessons (proposed)`, { preview: true });
  const answer = await vscode.window.showInformationMessage(
    `Write ${active.length} lesson(s) into ${name}?`,
    { modal: true, detail: 'The diff shows the change. Only the block between the autodidact:lessons comments is written; your own text is kept as it is.' },
    'Write');
  if (answer !== 'Write') return;
  const now = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (now !== existing) {
    void vscode.window.showWarningMessage(`Autodidact: ${name} changed while the diff was open; nothing was written. Run the command again to see the new difference.`);
    return;
  }
  try {
    writeRulesFile(file, next);
  } catch (error) {
    void vscode.window.showErrorMessage(`Autodidact: could not write ${name}: ${(error as Error).message}`);
    return;
  }
  void vscode.window.showInformationMessage(`Autodidact: wrote ${active.length} lesson(s) into ${name}.`, 'Open')
    .then((open) => (open ? vscode.window.showTextDocument(vscode.Uri.file(file)) : undefined));
}
