// "Autodidact: Export Dataset...": pick a format and a file; the analysis server writes the training
// file, its held-out twin and a dataset_info.json that LLaMA-Factory reads as is.
import * as vscode from 'vscode';
import { DEFAULT_MIN_EFFECTIVENESS } from '../protocol/trainingDefaults';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ExportDatasetRequest } from '../protocol/analysisProtocol';

const FORMATS = [
  { label: 'OpenAI chat', description: 'messages JSONL (also what the trainer-server uses)', format: 'openai' as const },
  { label: 'ShareGPT', description: 'conversations JSONL', format: 'sharegpt' as const },
  { label: 'Alpaca', description: 'instruction / input / output JSONL', format: 'alpaca' as const },
];

export async function exportDatasetCommand(client: LanguageClient | undefined): Promise<void> {
  if (!client?.isRunning()) {
    void vscode.window.showErrorMessage('Autodidact: the analysis server is not running, so nothing can be exported. See "Autodidact: Show Log".');
    return;
  }
  const pick = await vscode.window.showQuickPick(FORMATS, { title: 'Export the training set', placeHolder: 'Format' });
  if (!pick) return;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: 'Training file (the held-out file and dataset_info.json go beside it)',
    defaultUri: folder ? vscode.Uri.joinPath(folder, `autodidact-${pick.format}.jsonl`) : undefined,
    filters: { 'JSON Lines': ['jsonl'] },
  });
  if (!target) return;
  const minEffectiveness = vscode.workspace.getConfiguration('autodidact').get<number>('train.minEffectiveness', DEFAULT_MIN_EFFECTIVENESS);
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Autodidact: exporting the training set' },
      () => client.sendRequest(ExportDatasetRequest.type, { format: pick.format, output: target.fsPath, minEffectiveness }));
    const action = await vscode.window.showInformationMessage(
      `Autodidact: exported ${result.stats.train} training and ${result.stats.eval} held-out examples (${result.stats.redactions.total} secrets redacted).`, 'Open File');
    if (action) await vscode.window.showTextDocument(vscode.Uri.file(result.trainFile));
  } catch (error) {
    void vscode.window.showErrorMessage(`Autodidact: export failed. ${(error as Error).message}`);
  }
}
