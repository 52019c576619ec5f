// Everything the extension does after activation: the analysis connection, the panel, the meter
// updates and the commands. Loaded on the tick after activate() returns.
import * as vscode from 'vscode';
import { DEFAULT_MIN_EFFECTIVENESS } from '../protocol/trainingDefaults';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CaptureRequest, MeterRequest, PanelDataRequest, StoreChangedNotification, TrainerUrlNotification, type MeterReading } from '../protocol/analysisProtocol';
import type { PanelData } from '../protocol/panelData';
import type { StoreStats } from '../protocol/records';
import type { PanelState } from '../protocol/webviewProtocol';
import { createAnalysisClient } from './analysisConnection';
import { CaptureController } from './capture/captureController';
import { LiveInteractionsNotification, LiveOverviewRequest, LiveWatchRequest, type LiveOverview } from '../protocol/liveProtocol';
import { deleteAllDataCommand, deleteSessionCommand } from './capture/dataDeletionCommands';
import { AutodidactChat } from './chat/autodidactChat';
import { chooseChatModelCommand } from './chat/languageModelPicker';
import { exportDatasetCommand } from './exportCommand';
import { importOnStartup, importSessionsCommand } from './importCommands';
import { panelRequestHandler } from './panelRequests';
import { registerLessonCodeActions } from './lessonCodeActions';
import { registerLessonDistillation } from './lessonDistillation';
import { PanelViewProvider } from './panelViewProvider';
import { gatewayHttpUrl, HttpGatewayClient } from './chat/gatewayClient';
import type { LiveModelState } from './chat/liveModelCore';
import { rollbackCommand, trainNextVersionCommand } from './trainer/trainCommands';
import { TrainerLink } from './trainer/trainerLink';
import { enterTrainerTokenCommand, trainerToken } from './trainer/trainerToken';
import type { StatusMeter } from './statusMeter';
import { PREVIEW_SCHEME, pushLessonsToRulesCommand, RulesPreviewProvider } from './lessonRulesCommand';

const EMPTY_STATS: StoreStats = { sessions: 0, interactions: 0, effectiveness: null, categories: [] };

export class AutodidactServices {
  readonly log = vscode.window.createOutputChannel('Autodidact', { log: true });
  readonly panel: PanelViewProvider;
  private client: LanguageClient | undefined;
  private readonly rulesPreviews = new RulesPreviewProvider();
  private stats: StoreStats = EMPTY_STATS;
  private panelData: PanelData | undefined;
  private meterReading: MeterReading | undefined;
  private liveOverview: LiveOverview | undefined;
  private status: PanelState['status'] = { kind: 'loading' };
  /** Editor signals and the chat participant's records; no listeners until start(). */
  readonly capture: CaptureController;
  readonly chat: AutodidactChat;
  readonly trainer: TrainerLink;
  /** The trainer-server's OpenAI-compatible gateway: @autodidact and the editor's chat model (liveModelProvider) answer through it. */
  readonly gateway: HttpGatewayClient;
  private readonly liveModelChanged = new vscode.EventEmitter<void>();
  /** Fires when the live model appears, goes or changes version (not on every training step). */
  readonly onDidChangeLiveModel = this.liveModelChanged.event;
  private liveModelKey = '';

  constructor(private readonly context: vscode.ExtensionContext, private readonly meter: StatusMeter) {
    // Built here, not in start(), because a chat request may reach this.chat before start() runs.
    this.capture = new CaptureController(context, this.log, async (events) => {
      if (!this.client?.isRunning()) throw new Error('the analysis server is not running');
      await this.client.sendRequest(CaptureRequest.type, { events });
    });
    this.chat = new AutodidactChat(context, this.log, this.capture);
    // Gateway exchanges arrive from the trainer-server and are stored like any capture.
    this.trainer = new TrainerLink(context.secrets, this.log, async (events) => {
      if (!this.client?.isRunning()) throw new Error('the analysis server is not running');
      await this.client.sendRequest(CaptureRequest.type, { events });
      this.capture.onGatewayEvents(events); // an edit that applies a gateway answer's code is attributed to it
    });
    this.gateway = new HttpGatewayClient({
      // Read together at each request: the token sent is always the one kept for the URL it goes to.
      endpoint: async () => {
        const url = this.trainer.url;
        return { baseUrl: gatewayHttpUrl(url), token: await trainerToken(context.secrets, url) };
      },
      isConnected: () => this.trainer.state === 'connected',
    });
    this.chat.setGateway(this.gateway);
    context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, this.rulesPreviews));
    context.subscriptions.push(this.trainer, this.liveModelChanged, this.trainer.onDidChange(() => {
      const state = this.liveModelState();
      const key = `${state.connected}|${state.liveVersion ?? ''}`;
      if (key !== this.liveModelKey) { this.liveModelKey = key; this.liveModelChanged.fire(); }
      this.meter.setLiveVersion(this.trainer.versions?.live ?? this.panelData?.recorded.liveVersion ?? null);
      const progress = this.trainer.progress; // rounds started elsewhere (the CLI, another window) spin too
      this.meter.setTraining(progress ? `${progress.phase ?? 'train'} ${progress.step}/${progress.totalSteps}` : undefined);
      this.panel.postState();
    }));
    this.panel = new PanelViewProvider(context.extensionUri, {
      state: () => this.panelState(),
      runCommand: (command) => void vscode.commands.executeCommand(command),
      rollback: (version) => void vscode.commands.executeCommand('autodidact.rollbackVersion', version),
      request: panelRequestHandler(() => this.client, () => vscode.workspace.getConfiguration('autodidact').get<number>('train.minEffectiveness', DEFAULT_MIN_EFFECTIVENESS),
        async () => (this.trainer.state === 'connected' ? { baseUrl: gatewayHttpUrl(this.trainer.url), token: await trainerToken(this.context.secrets, this.trainer.url) } : undefined)),
    });
    context.subscriptions.push(this.log, vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('autodidact')) void this.refresh();
      if (e.affectsConfiguration('autodidact.trainer.url')) {
        void this.trainer.connect();
        void this.client?.sendNotification(TrainerUrlNotification.type, { url: this.trainer.url }); // where lessons.json goes
      }
    }));
  }

  /** What the editor's chat-model list shows (liveModelProvider.ts). */
  liveModelState(): LiveModelState {
    return { connected: this.trainer.state === 'connected', liveVersion: this.trainer.versions?.live, baseModel: this.trainer.versions?.baseModel.id };
  }

  get storageDir(): string {
    // The user's own setting only (machine scope): a workspace cannot move the store.
    const configured = vscode.workspace.getConfiguration('autodidact').inspect<string>('storage.directory')?.globalValue;
    return configured || this.context.globalStorageUri.fsPath;
  }

  async start(activationMs: number): Promise<void> {
    this.log.info(`activate() returned in ${activationMs.toFixed(2)} ms`);
    const config = vscode.workspace.getConfiguration('autodidact');
    try {
      this.client = createAnalysisClient(this.context, this.log, {
        storageDir: this.storageDir,
        minEffectiveness: config.get<number>('train.minEffectiveness', DEFAULT_MIN_EFFECTIVENESS),
        extraCategories: config.get('categories.extra', []),
        workspaceFolders: (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath),
        trainerUrl: this.trainer.url,
      });
      this.client.onNotification(StoreChangedNotification.type, () => void this.refresh());
      this.context.subscriptions.push(registerLessonCodeActions(() => this.client), registerLessonDistillation(this.client, { // lessons: code actions, distilling
        trainerConnected: () => this.trainer.state === 'connected',
        gateway: async () => ({ baseUrl: gatewayHttpUrl(this.trainer.url), token: await trainerToken(this.context.secrets, this.trainer.url) }),
        log: (message) => this.log.info(message),
      }));
      this.client.onNotification(LiveInteractionsNotification.type, ({ interactions }) => this.capture.onLiveInteractions(interactions));
      await this.client.start();
      this.status = { kind: 'ready' };
      await this.refresh();
      if (config.get<boolean>('import.onStartup', false) && vscode.workspace.isTrusted) {
        void importOnStartup(this.client, this.log).catch((error: Error) => this.log.warn(`startup import failed: ${error.message}`));
      }
    } catch (error) {
      this.status = { kind: 'error', message: `The analysis server did not start: ${(error as Error).message}` };
      this.log.error(this.status.message!);
      this.meter.setError(this.status.message!);
      this.panel.postState();
    }
    // Capture on: the analysis server watches the assistants' live sessions; the status bar says on or paused.
    this.capture.liveWatch = async (enabled) => {
      if (!this.client?.isRunning()) return;
      const workspaceFolders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
      await this.client.sendRequest(LiveWatchRequest.type, { enabled, workspaceFolders });
    };
    this.capture.onStateChange = (state) => this.meter.setCapturing(state === 'active');
    this.capture.start();
    this.meter.setPaused(this.paused);
    void this.trainer.connect(); // quietly retried with backoff while no trainer-server runs
  }

  private get paused(): boolean { return this.capture.paused; }

  async refresh(): Promise<void> {
    if (!this.client) return;
    const window = vscode.workspace.getConfiguration('autodidact').get<number>('meter.window', 50);
    const [data, reading] = await Promise.all([
      this.client.sendRequest(PanelDataRequest.type, { window }),
      this.client.sendRequest(MeterRequest.type, { window }),
    ]);
    // An analysis server without live sessions (an older build) leaves the overview's live part out.
    this.liveOverview = await this.client.sendRequest(LiveOverviewRequest.type, {}).catch(() => undefined);
    this.stats = data.stats; // the same readStats query as `autodidact stats`
    this.panelData = data;
    this.meterReading = reading;
    this.meter.update(reading);
    // The trainer's snapshot is the authority; without a connection, the live version the store recorded.
    this.meter.setLiveVersion(this.trainer.versions?.live ?? data.recorded.liveVersion);
    this.panel.postState();
  }

  async runCommand(name: string, argument?: unknown): Promise<void> {
    switch (name) {
      case 'openPanel':
        await vscode.commands.executeCommand('autodidact.panel.focus');
        return;
      case 'enableCapture':
        // The panel's and the tooltip's "Turn on": the user's own setting, the one the opt-in question sets.
        await vscode.workspace.getConfiguration('autodidact.capture').update('enabled', true, vscode.ConfigurationTarget.Global);
        if (this.capture.paused) await this.capture.setPaused(false);
        this.meter.setPaused(this.paused);
        this.panel.postState();
        void vscode.window.showInformationMessage(vscode.workspace.isTrusted
          ? 'Autodidact capture is on. Everything stays on this machine; Pause Capture stops it at any time.'
          : 'Autodidact capture is on, but this workspace is not trusted: nothing is recorded here until you trust it.');
        return;
      case 'pauseCapture':
      case 'resumeCapture':
        await this.capture.setPaused(name === 'pauseCapture');
        this.meter.setPaused(this.paused);
        this.panel.postState();
        void vscode.window.showInformationMessage(this.paused ? 'Autodidact capture paused. Nothing is recorded until you resume.' : 'Autodidact capture resumed.');
        return;
      case 'deleteSession':
        await deleteSessionCommand(this.client, this.capture);
        return;
      case 'deleteAllData':
        await deleteAllDataCommand(this.client, this.capture);
        return;
      case 'chooseChatModel':
        await chooseChatModelCommand(this.context);
        return;
      case 'importSessions':
        await importSessionsCommand(this.client, this.log);
        return;
      case 'showLog':
        this.log.show();
        return;
      case 'exportDataset':
        await exportDatasetCommand(this.client);
        return;
      case 'trainNextVersion':
        await trainNextVersionCommand(this.trainer, this.client, this.meter, this.context.secrets);
        return;
      case 'rollbackVersion':
        await rollbackCommand(this.trainer, this.context.secrets, typeof argument === 'string' ? argument : undefined);
        return;
      case 'enterTrainerToken':
        if (await enterTrainerTokenCommand(this.context.secrets, this.trainer.url)) await this.trainer.connect();
        return;
      case 'pushLessonsToRules':
        await pushLessonsToRulesCommand(this.client, this.rulesPreviews);
        return;
      case 'connectTrainer':
        if (!(await this.trainer.connect())) void vscode.window.showWarningMessage(`Autodidact: cannot connect to the trainer-server at ${this.trainer.url}. ${this.trainer.message ?? ''}`);
        return;
      default:
        this.log.error(`unknown command ${name}`);
    }
  }

  async dispose(): Promise<void> {
    this.chat.dispose();
    await this.capture.dispose().catch((error: Error) => this.log.warn(`capture did not flush: ${error.message}`));
    await this.client?.stop();
  }

  private panelState(): PanelState {
    const config = vscode.workspace.getConfiguration('autodidact');
    return {
      stats: this.stats,
      capture: { enabled: config.get<boolean>('capture.enabled', false) && vscode.workspace.isTrusted, paused: this.paused },
      trainer: { connected: this.trainer.state === 'connected', url: this.trainer.url },
      liveVersion: this.trainer.versions?.live ?? null,
      status: this.status,
      data: this.panelData,
      meter: this.meterReading,
      training: this.trainer.panelState(),
      liveCapture: this.liveOverview,
    };
  }
}
