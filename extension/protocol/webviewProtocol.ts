// Messages between the extension host and the panel webview (GitLens-style typed IPC). The webview
// sends `ready` once its script runs; only then does the host post state (a message posted earlier
// would be lost). Besides the pushed state, the webview asks for pages (patterns, examples, the
// dataset preview) with numbered requests that the host answers with a `response` of the same id.
import type { MeterReading } from './analysisProtocol';
import type {
  DatasetPreview, PanelData, PatternExamplesPage, PatternInclusionResult, PatternPage,
} from './panelData';
import type { LessonAction, LessonActionResult, LessonsPanelData } from './lessonsProtocol';
import type { StoreStats } from './records';
import type { RoundManifest, RoundPhase, VersionsSnapshot } from './trainerProtocol';

/** Live progress of the running round. `loss` is bounded by the feeder (see lossSeries.ts). */
export interface TrainingProgress {
  roundId: string;
  phase?: RoundPhase;
  step: number;
  totalSteps: number;
  loss: number[];
  lr: number;
  tokensPerS: number;
  etaS: number;
}

/** What the client's trainer connection knows; the panel's Training section renders it. */
export interface TrainerPanelState {
  connection: 'disconnected' | 'connecting' | 'connected' | 'error';
  url: string;
  message?: string;
  versions?: VersionsSnapshot;
  /** Newest first is not required: the panel sorts. */
  rounds?: RoundManifest[];
  progress?: TrainingProgress;
}

export interface PanelState {
  stats: StoreStats;
  capture: { enabled: boolean; paused: boolean };
  trainer: { connected: boolean; url: string };
  liveVersion: string | null;
  /** Set while the analysis server is starting or after it failed: the panel shows it instead of numbers. */
  status: { kind: 'loading' | 'ready' | 'error'; message?: string };
  /** Trend, patterns' first page and recorded versions; absent until the analysis server answered. */
  data?: PanelData;
  /** The status-bar meter's reading (effectiveness over the rolling window). */
  meter?: MeterReading;
  /** From the trainer-server connection; absent when the client has none. */
  training?: TrainerPanelState;
  /** Live sessions watched per assistant and the last outcomes the editor recorded; absent until the server answered. */
  liveCapture?: import('./liveProtocol').LiveOverview;
}

export type PanelCommand =
  | 'autodidact.trainNextVersion' | 'autodidact.importSessions' | 'autodidact.exportDataset'
  | 'autodidact.enableCapture' | 'autodidact.pauseCapture' | 'autodidact.resumeCapture' | 'autodidact.showLog' | 'autodidact.connectTrainer'
  | 'autodidact.pushLessonsToRules';

/** Requests the webview makes, each with its params and result. */
export interface PanelRequests {
  patternPage: { params: { offset: number; limit: number }; result: PatternPage };
  patternExamples: { params: { patternId: string; offset: number; limit: number }; result: PatternExamplesPage };
  setPatternIncluded: { params: { patternId: string; included: boolean }; result: PatternInclusionResult };
  datasetPreview: { params: Record<string, never>; result: DatasetPreview };
  /** The Lessons section (lessonsProtocol.ts); `learn` distils lessons from new corrections first. */
  lessons: { params: { learn?: boolean }; result: LessonsPanelData };
  lessonAction: { params: LessonAction; result: LessonActionResult };
  /** One lesson's advantage with the live model (the client adds the gateway and its token). */
  measureLesson: { params: { id: string }; result: LessonActionResult };
  /** Opens an evidence interaction in an editor tab (read-only text). */
  openInteraction: { params: { id: string }; result: { opened: boolean } };
}

export type PanelRequestMethod = keyof PanelRequests;

export type PanelRequestMessage = {
  [M in PanelRequestMethod]: { type: 'request'; id: number; method: M; params: PanelRequests[M]['params'] }
}[PanelRequestMethod];

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'runCommand'; command: PanelCommand }
  | { type: 'rollback'; version: string }
  | PanelRequestMessage;

export type HostToWebview =
  | { type: 'state'; state: PanelState }
  | { type: 'response'; id: number; result: unknown }
  | { type: 'response'; id: number; error: string };
