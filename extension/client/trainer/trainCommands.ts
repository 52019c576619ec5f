// "Train Next Version" and "Rollback Version": the round runs on the trainer-server; here we build
// the training set (analysis server), upload it, follow progress in a cancellable notification,
// and say plainly what was decided and why.
import * as vscode from 'vscode';
import { DEFAULT_MIN_EFFECTIVENESS } from '../../protocol/trainingDefaults';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TrainingSetRequest } from '../../protocol/analysisProtocol';
import type { RoundManifest } from '../../protocol/trainerProtocol';
import type { StatusMeter } from '../statusMeter';
import type { TrainerLink } from './trainerLink';
import { enterTrainerTokenCommand } from './trainerToken';

const FINAL_STATES = new Set(['promoted', 'rejected', 'failed', 'cancelled']);

export async function trainNextVersionCommand(link: TrainerLink, analysis: LanguageClient | undefined, meter: StatusMeter, secrets: vscode.SecretStorage): Promise<void> {
  if (!link.connected && !(await link.connect())) {
    await offerConnection(link, secrets);
    return;
  }
  const trainer = link.connected!;
  if (!analysis?.isRunning()) {
    void vscode.window.showErrorMessage('Autodidact: the analysis server is not running, so no training set can be built. See "Autodidact: Show Log".');
    return;
  }
  const minEffectiveness = vscode.workspace.getConfiguration('autodidact').get<number>('train.minEffectiveness', DEFAULT_MIN_EFFECTIVENESS);
  let manifest: RoundManifest | undefined;
  try {
    manifest = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Autodidact: training the next version', cancellable: true }, async (progress, cancel) => {
      progress.report({ message: 'building the training set…' });
      const set = await analysis.sendRequest(TrainingSetRequest.type, { minEffectiveness }, cancel);
      if (cancel.isCancellationRequested) return undefined;
      progress.report({ message: `uploading ${set.train.length} training and ${set.eval.length} held-out examples…` });
      await trainer.call('uploadDataset', { train: set.train, eval: set.eval, sha256: set.sha256 });
      const { roundId } = await trainer.call('startRound', { datasetSha256: set.sha256 });
      meter.setTraining(`round ${roundId}`);
      const cancelling = cancel.onCancellationRequested(() => void trainer.call('cancelRound', { roundId }).catch(() => undefined));
      try {
        return await followRound(link, roundId, progress);
      } finally {
        cancelling.dispose();
        meter.setTraining(undefined);
      }
    });
  } catch (error) {
    void vscode.window.showErrorMessage(`Autodidact: training did not start. ${(error as Error).message}`);
    return;
  }
  if (manifest) reportRound(manifest);
}

function followRound(link: TrainerLink, roundId: string, progress: vscode.Progress<{ message?: string; increment?: number }>): Promise<RoundManifest> {
  return new Promise((resolve, reject) => {
    let reported = 0;
    const listener = link.onEvent((event) => {
      if (event.event === 'progress' && event.roundId === roundId) {
        const percent = event.totalSteps > 0 ? (100 * event.step) / event.totalSteps : 0;
        const loss = Number.isFinite(event.loss) ? ` · loss ${event.loss.toFixed(3)}` : '';
        const eta = event.etaS > 0 ? ` · ${Math.ceil(event.etaS)} s left` : '';
        progress.report({ message: `${event.phase} ${event.step}/${event.totalSteps}${loss}${eta}`, increment: Math.max(0, percent - reported) });
        reported = Math.max(reported, percent);
      }
      if (event.event === 'round' && event.manifest.roundId === roundId && FINAL_STATES.has(event.manifest.state)) {
        listener.dispose();
        closed.dispose();
        resolve(event.manifest);
      }
    });
    const closed = link.onDidChange(() => {
      if (link.state === 'connected') return;
      listener.dispose();
      closed.dispose();
      reject(new Error('the connection to the trainer-server was lost; the round goes on there, and its result will show in the panel'));
    });
  });
}

function reportRound(manifest: RoundManifest): void {
  const before = manifest.metrics.before?.eval_loss;
  const after = manifest.metrics.after?.eval_loss;
  const losses = before !== undefined && after !== undefined ? ` Held-out loss ${before.toFixed(3)} → ${after.toFixed(3)}.` : '';
  const reason = manifest.decision?.reason ?? manifest.error ?? '';
  switch (manifest.state) {
    case 'promoted':
      void vscode.window.showInformationMessage(`Autodidact: ${manifest.version} is live.${losses}`);
      break;
    case 'rejected':
      void vscode.window.showWarningMessage(`Autodidact: the candidate was not better, so ${manifest.parent} stays live.${losses} ${reason}`);
      break;
    case 'cancelled':
      void vscode.window.showInformationMessage(`Autodidact: round cancelled; ${manifest.parent} stays live.`);
      break;
    default:
      void vscode.window.showErrorMessage(`Autodidact: the round failed and ${manifest.parent} stays live. ${reason}`);
  }
}

/** With no trainer-server, say so plainly and offer the ways forward. */
async function offerConnection(link: TrainerLink, secrets: vscode.SecretStorage): Promise<void> {
  const detail = link.message ? ` (${link.message})` : '';
  const choice = await vscode.window.showWarningMessage(
    `Autodidact: no trainer-server is connected at ${link.url}${detail}. Training runs on a trainer-server on your GPU machine: start one with "npm run trainer" in the Autodidact folder, or connect to one.`,
    'Retry', 'Set Trainer URL…', 'Enter Token…');
  if (choice === 'Retry') await link.connect();
  if (choice === 'Set Trainer URL…') await vscode.commands.executeCommand('workbench.action.openSettings', 'autodidact.trainer.url');
  if (choice === 'Enter Token…' && (await enterTrainerTokenCommand(secrets, link.url))) await link.connect();
}

export async function rollbackCommand(link: TrainerLink, secrets: vscode.SecretStorage, version?: string): Promise<void> {
  const trainer = link.connected ?? ((await link.connect()) ? link.connected : undefined);
  if (!trainer) {
    await offerConnection(link, secrets);
    return;
  }
  const snapshot = await trainer.call('listVersions', {});
  const target = version ?? (await vscode.window.showQuickPick(
    snapshot.versions.filter((v) => v.name !== snapshot.live).map((v) => ({
      label: v.name, description: v.metrics ? `held-out loss ${v.metrics.eval_loss.toFixed(3)}` : 'base model',
      detail: `created ${new Date(v.createdAt).toLocaleString()}${v.parent ? ` from ${v.parent}` : ''}`,
    })), { title: `Roll back from ${snapshot.live}`, placeHolder: 'Which version should be live?' }))?.label;
  if (!target) return;
  try {
    const after = await trainer.call('rollback', { version: target });
    link.versions = after;
    void vscode.window.showInformationMessage(`Autodidact: ${after.live} is live again.`);
  } catch (error) {
    void vscode.window.showErrorMessage(`Autodidact: rollback failed. ${(error as Error).message}`);
  }
}
