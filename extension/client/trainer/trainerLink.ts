// The extension's connection to the trainer-server: connection state for the status bar and panel,
// versions, rounds and live progress, and the gateway's captured exchanges, which are stored through
// the analysis server and only then acknowledged (so the server deletes its buffered copy).
import * as vscode from 'vscode';
import { TrainerCallError, TrainerClient } from '../../shared/trainerClient';
import type { CaptureEvent } from '../../protocol/records';
import type { CapturedExchange, ProgressEvent, RoundManifest, TrainerEvent, TrainerStatus, VersionsSnapshot } from '../../protocol/trainerProtocol';
import { LossSeries } from '../../shared/lossSeries';
import type { TrainerPanelState, TrainingProgress } from '../../protocol/webviewProtocol';
import { receiveGatewayExchanges } from './gatewayExchanges';
import { trainerUrlFromSettings } from './trainerOrigin';
import { forgetTrainerToken, trainerToken } from './trainerToken';

export type LinkState = 'disconnected' | 'connecting' | 'connected' | 'error';


const MAX_BACKOFF_MS = 60_000;
const LOG_LEVELS = new Set(['info', 'warn', 'error']);

export class TrainerLink implements vscode.Disposable {
  state: LinkState = 'disconnected';
  message: string | undefined;
  status: TrainerStatus | undefined;
  versions: VersionsSnapshot | undefined;
  rounds: RoundManifest[] = [];
  progress: TrainingProgress | undefined;
  private losses = new LossSeries();
  private client: TrainerClient | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private backoffMs = 2000;
  private disposed = false;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly eventListeners = new Set<(event: TrainerEvent) => void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
    private readonly storeExchanges: (events: CaptureEvent[]) => Promise<void>,
  ) {}

  get url(): string {
    return trainerUrlFromSettings(vscode.workspace.getConfiguration('autodidact').inspect<string>('trainer.url'));
  }

  get connected(): TrainerClient | undefined {
    return this.state === 'connected' ? this.client : undefined;
  }

  onEvent(listener: (event: TrainerEvent) => void): vscode.Disposable {
    this.eventListeners.add(listener);
    return new vscode.Disposable(() => this.eventListeners.delete(listener));
  }

  /** Connects now (cancelling a scheduled retry). Resolves true when connected. */
  async connect(): Promise<boolean> {
    if (this.disposed) return false;
    clearTimeout(this.retryTimer);
    this.client?.close();
    this.setState('connecting');
    const url = this.url;
    const token = await trainerToken(this.secrets, url);
    if (!token) {
      this.setState('error', `No token for the trainer-server at ${url}. Run "Autodidact: Enter Trainer Token..." or start a trainer-server on this machine.`);
      return false;
    }
    try {
      // The server sends buffered gateway exchanges right after hello: hold events until the
      // client is ours, so none is missed.
      const early: TrainerEvent[] = [];
      let ready = false;
      const client = await TrainerClient.connect(url, token, {
        client: 'vscode', capture: true, timeoutMs: 5000,
        onEvent: (event) => (ready ? void this.onTrainerEvent(event) : early.push(event)),
      });
      this.client = client;
      ready = true;
      for (const event of early) void this.onTrainerEvent(event);
      client.onClose(() => this.onClosed(client));
      this.status = client.status;
      this.backoffMs = 2000;
      this.setState('connected');
      this.log.info(`connected to the trainer-server at ${url} (base model ${client.status?.baseModel?.id ?? 'loading'})`);
      await this.refresh();
      return true;
    } catch (error) {
      const code = error instanceof TrainerCallError ? error.code : '';
      if (code === 'unauthorized') await forgetTrainerToken(this.secrets, url);
      this.setState(code === 'unreachable' ? 'disconnected' : 'error', (error as Error).message);
      this.scheduleRetry();
      return false;
    }
  }

  async refresh(): Promise<void> {
    const client = this.connected;
    if (!client) return;
    const [versions, rounds] = await Promise.all([client.call('listVersions', {}), client.call('listRounds', {})]);
    this.versions = versions;
    this.rounds = rounds.rounds;
    this.changed.fire();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retryTimer);
    this.client?.close();
    this.changed.dispose();
  }

  private async onTrainerEvent(event: TrainerEvent): Promise<void> {
    for (const listener of this.eventListeners) listener(event);
    switch (event.event) {
      case 'progress': this.onProgress(event); break;
      case 'round': this.onRound(event.manifest); break;
      case 'versions': this.versions = event.snapshot; break;
      case 'status': this.status = event.status; break;
      case 'capture': await this.onCapture(event.exchanges); break;
      // The level picks a method of the log channel: only the three the protocol has (never `dispose`).
      case 'log': if (LOG_LEVELS.has(event.level)) this.log[event.level](`trainer-server: ${String(event.message).slice(0, 4000)}`); break;
    }
    this.changed.fire();
  }

  private onProgress(event: ProgressEvent): void {
    if (this.progress?.roundId !== event.roundId) this.losses = new LossSeries(); // bounded: a long round still posts a small curve
    if (event.phase === 'train') this.losses.add(event.loss);
    this.progress = { roundId: event.roundId, phase: event.phase, step: event.step, totalSteps: event.totalSteps, loss: this.losses.values(), lr: event.learningRate, tokensPerS: event.tokensPerS, etaS: event.etaS };
  }

  /** What the panel's Training section shows. */
  panelState(): TrainerPanelState {
    return { connection: this.state, url: this.url, message: this.message, versions: this.versions, rounds: this.rounds.slice(0, 20), progress: this.progress };
  }

  private onRound(manifest: RoundManifest): void {
    this.rounds = [manifest, ...this.rounds.filter((r) => r.roundId !== manifest.roundId)];
    if (manifest.phase === 'done' && this.progress?.roundId === manifest.roundId) this.progress = undefined;
  }

  private async onCapture(exchanges: CapturedExchange[]): Promise<void> {
    // Checked and redacted again: the store takes only gateway exchanges of the gateway's own shape.
    const { accepted, rejected } = receiveGatewayExchanges(exchanges);
    for (const refused of rejected) this.log.warn(`refused a captured exchange ${refused.id} from ${this.url}: ${refused.reason}`);
    if (accepted.length === 0) return;
    try {
      await this.storeExchanges(accepted.flatMap((exchange) => exchange.events));
      await this.client?.call('ackCapture', { ids: accepted.map((e) => e.id) });
    } catch (error) {
      // Not acknowledged: the trainer-server keeps them buffered and sends them again next connection.
      this.log.warn(`gateway exchanges not stored yet: ${(error as Error).message}`);
    }
  }

  private onClosed(client: TrainerClient): void {
    if (client !== this.client || this.disposed) return;
    this.setState('disconnected', 'The trainer-server closed the connection.');
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.disposed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
  }

  private setState(state: LinkState, message?: string): void {
    this.state = state;
    this.message = message;
    this.changed.fire();
  }
}
