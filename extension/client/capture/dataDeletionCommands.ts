// "Autodidact: Delete Session..." and "Autodidact: Delete All Data". Both go through the analysis
// server, which journals the deletion (a replay cannot bring the rows back) and rewrites the files.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DeleteAllDataRequest, DeleteSessionRequest, ListSessionsRequest, type DeletionResult, type SessionSummary } from '../../protocol/analysisProtocol';
import type { CaptureController } from './captureController';

interface SessionItem extends vscode.QuickPickItem { session: SessionSummary }

export async function deleteSessionCommand(client: LanguageClient | undefined, capture: CaptureController): Promise<void> {
  if (!client) return notConnected();
  await capture.flush(); // a session still in the send queue must be in the list, and go with it
  const sessions = await client.sendRequest(ListSessionsRequest.type, { limit: 500 });
  if (sessions.length === 0) {
    void vscode.window.showInformationMessage('Autodidact has no sessions to delete.');
    return;
  }
  const picked = await vscode.window.showQuickPick<SessionItem>(sessions.map(toItem), {
    title: 'Delete Autodidact sessions', placeHolder: 'Pick the sessions to delete (their interactions and outcomes go too)',
    canPickMany: true, matchOnDescription: true, matchOnDetail: true,
  });
  if (!picked || picked.length === 0) return;
  const confirm = picked.length === 1 ? 'Delete Session' : `Delete ${picked.length} Sessions`;
  const interactions = picked.reduce((n, item) => n + item.session.interactions, 0);
  const answer = await vscode.window.showWarningMessage(
    `Delete ${picked.length === 1 ? 'this session' : `${picked.length} sessions`} and ${interactions} interaction${interactions === 1 ? '' : 's'}?`,
    { modal: true, detail: 'This cannot be undone. Adapters already trained are not changed.' }, confirm);
  if (answer !== confirm) return;
  const result = await client.sendRequest(DeleteSessionRequest.type, { sessionIds: picked.map((item) => item.session.id) });
  void vscode.window.showInformationMessage(`Autodidact deleted ${describe(result)}.`);
}

export async function deleteAllDataCommand(client: LanguageClient | undefined, capture: CaptureController): Promise<void> {
  if (!client) return notConnected();
  const confirm = 'Delete All Data';
  const answer = await vscode.window.showWarningMessage('Delete all Autodidact data?', {
    modal: true,
    detail: 'Every captured and imported session, interaction, outcome, file touch and pattern is deleted from this machine. '
      + 'Trained versions and exported datasets are kept; transcripts already imported are not imported again. This cannot be undone.',
  }, confirm);
  if (answer !== confirm) return;
  capture.discardPending(); // events buffered before the delete belong to the data being deleted
  const result = await client.sendRequest(DeleteAllDataRequest.type, {});
  void vscode.window.showInformationMessage(`Autodidact deleted all data: ${describe(result)}.`);
}

function toItem(session: SessionSummary): SessionItem {
  const when = new Date(session.startedAt).toLocaleString();
  return {
    label: (session.title ?? '(untitled)').replace(/\s+/g, ' ').slice(0, 80) || '(untitled)',
    description: `${session.source} · ${when} · ${session.interactions} interaction${session.interactions === 1 ? '' : 's'}`,
    detail: session.id,
    session,
  };
}

function describe(r: DeletionResult): string {
  return `${r.sessions} session(s), ${r.interactions} interaction(s), ${r.outcomes} outcome(s), ${r.fileTouches} file touch(es)`;
}

function notConnected(): void {
  void vscode.window.showErrorMessage('Autodidact: the analysis server is not running; see Autodidact: Show Log.');
}
