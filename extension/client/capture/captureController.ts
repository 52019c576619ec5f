// Owns editor-signal capture in the extension host: the opt-in question, the enabled / paused /
// trusted state (pause survives reloads), the listeners while capture is active, redaction of
// every batch before it leaves the extension host, and the API the chat participant records through.
// While capture is active the analysis server watches the assistants' live sessions (liveWatch) and
// hands back what it imports (onLiveInteractions), so their edits here are attributed to them.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LiveInteraction } from '../../protocol/liveProtocol';
import type { CaptureEvent, OutcomeEvent } from '../../protocol/records';
import { redactCaptureEvent } from '../../shared/redaction/redactCaptureEvent';
import { RedactionTally, redactionSummary } from '../../shared/redaction/redactText';
import { captureState, shouldAskOptIn, type CaptureState } from './captureGate';
import { createIdFactory } from './captureIds';
import { CapturePipeline } from './capturePipeline';
import { CaptureQueue } from './captureQueue';
import { diagnosticCounts } from './diagnosticAttribution';
import { attachEditorSignals } from './editorSignalListeners';
import { ExcludeMatcher } from './globMatcher';
import { WorkspacePaths } from './workspacePaths';

const PAUSED_KEY = 'autodidact.capture.paused';
const OPT_IN_ASKED_KEY = 'autodidact.capture.optInAsked';
const SHUTDOWN_FLUSH_MS = 2_000;

export class CaptureController implements vscode.Disposable {
  readonly pipeline: CapturePipeline<vscode.Uri>;
  readonly newId = createIdFactory('ed');
  private readonly queue: CaptureQueue;
  private readonly exclude: ExcludeMatcher;
  private readonly tally = new RedactionTally();
  private readonly subscriptions: vscode.Disposable[] = [];
  private signals: vscode.Disposable | undefined;
  private readonly workspacePaths: WorkspacePaths;
  private state: CaptureState = 'disabled';
  private sendFailing = false;
  /** Set by the services: asks the analysis server to watch live sessions (true) or stop (false). */
  liveWatch?: (enabled: boolean) => Promise<void>;
  /** Set by the services: the status bar shows capture on or paused. */
  onStateChange?: (state: CaptureState) => void;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    send: (events: CaptureEvent[]) => Promise<void>,
  ) {
    const config = vscode.workspace.getConfiguration('autodidact.capture');
    this.exclude = new ExcludeMatcher(config.get<string[]>('exclude', []), (p) => vscode.workspace.asRelativePath(p, false));
    this.queue = new CaptureQueue((events) => this.sendBatch(send, events), this.newId, {
      prepare: (events) => events.map((event) => redactCaptureEvent(event, this.tally)),
      onError: (error, dropped) => this.onSendError(error, dropped),
    });
    this.workspacePaths = new WorkspacePaths(workspaceFolderPaths(), editorStateDirs(context));
    this.pipeline = new CapturePipeline<vscode.Uri>({
      queue: this.queue, exclude: this.exclude, newId: this.newId,
      isRecordable: (p) => this.workspacePaths.isRecordable(p),
      diagnosticsOf: (uri) => diagnosticCounts(vscode.languages.getDiagnostics(uri)),
      keepAfterMs: Math.max(0.5, config.get<number>('editKeptAfterMinutes', 3)) * 60_000,
    });
  }

  get active(): boolean { return this.state === 'active'; }
  get captureState(): CaptureState { return this.state; }
  get paused(): boolean { return this.context.globalState.get<boolean>(PAUSED_KEY, false); }

  /** Called once from AutodidactServices.start(): cheap, and asks the opt-in question without waiting for it. */
  start(): void {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('autodidact.capture.exclude')) {
          this.exclude.update(vscode.workspace.getConfiguration('autodidact.capture').get<string[]>('exclude', []));
        }
        if (e.affectsConfiguration('autodidact.capture.enabled')) this.evaluate();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.evaluate()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.workspacePaths.update(workspaceFolderPaths())),
    );
    void vscode.commands.executeCommand('setContext', 'autodidact.capturePaused', this.paused);
    this.evaluate();
    if (shouldAskOptIn({ ...this.conditions(), alreadyAsked: this.context.globalState.get<boolean>(OPT_IN_ASKED_KEY, false) })) {
      void this.askOptIn();
    }
  }

  async setPaused(paused: boolean): Promise<void> {
    await this.context.globalState.update(PAUSED_KEY, paused);
    await vscode.commands.executeCommand('setContext', 'autodidact.capturePaused', paused);
    this.evaluate();
  }

  isExcluded(path: string): boolean { return this.exclude.isExcluded(path); }

  /** The chat participant's interaction; dropped unless capture is active. */
  recordInteraction(events: CaptureEvent[], entry: { id: string; sessionId: string; at: number; answer: string }): boolean {
    if (!this.active) return false;
    this.pipeline.recordInteraction(events, entry);
    return true;
  }

  recordOutcome(outcome: OutcomeEvent): boolean {
    if (!this.active) return false;
    this.pipeline.addOutcome(outcome);
    return true;
  }

  /** Interactions the analysis server imported from live sessions; ignored unless capture is active. */
  onLiveInteractions(interactions: LiveInteraction[]): void {
    if (!this.active) return;
    const attributed = this.pipeline.onLiveInteractions(interactions, Date.now());
    const writes = interactions.reduce((n, i) => n + i.writes.length, 0);
    // One line per import while an assistant streams would flood the log: only attributions are news.
    const line = `live sessions: ${interactions.length} interaction(s) imported with ${writes} file write(s); ${attributed} waiting edit(s) attributed`;
    if (attributed > 0) this.log.info(line); else this.log.debug(line);
  }

  /**
   * Exchanges through the trainer's gateway (any client of the local model): their answers' code
   * blocks attribute an insertion of that code here. Like live sessions, they earn terminal outcomes
   * only through an edit in this workspace.
   */
  onGatewayEvents(events: readonly CaptureEvent[]): void {
    if (!this.active) return;
    const interactions = events.flatMap((e) => (e.type === 'interaction' ? [e.interaction] : []));
    this.pipeline.onLiveInteractions(interactions.map((i) => ({
      id: i.id, sessionId: i.sessionId, source: i.source, at: i.endedAt ?? i.startedAt, answer: i.assistant_response, writes: [],
    })), Date.now());
  }

  /** Announces a WorkspaceEdit our participant is about to apply, so its change is linked to the interaction. */
  expectAssistantEdit(uri: vscode.Uri, interactionId: string): void {
    if (this.active && uri.scheme === 'file') this.pipeline.expectAssistantEdit(uri.fsPath, interactionId, Date.now());
  }

  /** Delete All Data: nothing captured before it may be sent after it. */
  discardPending(): void {
    this.pipeline.discard();
  }

  flush(): Promise<void> { return this.queue.flush(); }

  /** Secrets replaced before capture in this window, by type. */
  redactions(): ReturnType<typeof redactionSummary> { return redactionSummary(this.tally); }

  /** Sends what is buffered, but never holds up shutdown for long if the server does not answer. */
  async dispose(): Promise<void> {
    this.detach();
    for (const s of this.subscriptions.splice(0)) s.dispose();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.queue.flush(), new Promise<void>((resolve) => { timer = setTimeout(resolve, SHUTDOWN_FLUSH_MS); })]);
    clearTimeout(timer);
  }

  private conditions(): { enabled: boolean; paused: boolean; trusted: boolean } {
    return {
      enabled: vscode.workspace.getConfiguration('autodidact.capture').get<boolean>('enabled', false),
      paused: this.paused,
      trusted: vscode.workspace.isTrusted,
    };
  }

  private evaluate(): void {
    const next = captureState(this.conditions());
    if (next === this.state) return;
    this.state = next;
    this.log.info(`capture ${next}`);
    if (next === 'active') {
      this.signals ??= attachEditorSignals(this.pipeline, this.log);
    } else {
      this.detach();
    }
    this.onStateChange?.(next);
    this.liveWatch?.(next === 'active').catch((error: Error) => this.log.warn(`live sessions: ${error.message}`));
  }

  /** Tells the analysis server again (it restarted, or was not up when capture went on). */
  syncLiveWatch(): void {
    this.liveWatch?.(this.active).catch((error: Error) => this.log.warn(`live sessions: ${error.message}`));
  }

  private detach(): void {
    if (!this.signals) return;
    this.signals.dispose();
    this.signals = undefined;
    this.pipeline.closeAll(Date.now()); // judge open diagnostic windows on what was seen so far
    void this.queue.flush();
  }

  private async askOptIn(): Promise<void> {
    const enable = 'Enable capture';
    const answer = await vscode.window.showInformationMessage(
      'Autodidact can record your AI-assistant interactions and their outcomes (edits kept, tests, diagnostics) on this machine to score them and train your local model. Secrets are redacted; nothing leaves this machine.',
      enable, 'Not now');
    await this.context.globalState.update(OPT_IN_ASKED_KEY, true);
    if (answer === enable) await vscode.workspace.getConfiguration('autodidact.capture').update('enabled', true, vscode.ConfigurationTarget.Global);
  }

  private async sendBatch(send: (events: CaptureEvent[]) => Promise<void>, events: CaptureEvent[]): Promise<void> {
    await send(events);
    if (this.sendFailing) this.log.info('capture: the analysis server takes events again');
    this.sendFailing = false;
  }

  private onSendError(error: Error, dropped: number): void {
    if (!this.sendFailing) this.log.warn(`capture: cannot send to the analysis server yet (${error.message}); keeping events and retrying`);
    if (dropped > 0) this.log.warn(`capture: dropped ${dropped} oldest events (queue full)`);
    this.sendFailing = true;
  }
}

function workspaceFolderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
}

/**
 * The editor's own settings and state: its user-data folder (globalStorage is <userData>/User/
 * globalStorage/<extension>), and in an installed editor the extensions folder.
 */
function editorStateDirs(context: vscode.ExtensionContext): string[] {
  const dirs = [path.dirname(path.dirname(path.dirname(context.globalStorageUri.fsPath)))];
  if (context.extensionMode === vscode.ExtensionMode.Production) dirs.push(path.dirname(context.extensionUri.fsPath));
  return dirs;
}
