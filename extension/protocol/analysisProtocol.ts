// Messages between the extension host (client) and the analysis server. Each message is a
// namespace with a literal method and a typed RequestType/NotificationType, as vscode-eslint does.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { CaptureEvent, StoreStats } from './records';

/** Options the client hands the server at start. */
export interface AnalysisInitOptions {
  storageDir: string;
  minEffectiveness: number;
  extraCategories: Array<{ name: string; keywords: string[] }>;
  /** Where the sentence-embedding model is cached after its first download. */
  modelCacheDir?: string;
  /** Workspace folders, where Aider keeps its history files. */
  workspaceFolders?: string[];
  /** autodidact.trainer.url: a trainer-server on this machine gets the active lessons in its home's lessons.json. */
  trainerUrl?: string;
}

export interface MeterReading {
  /** Average effectiveness of the most recent scored interactions; null until there are any. */
  effectiveness: number | null;
  scoredInteractions: number;
  window: number;
  byCategory: Array<{ name: string; examples: number; avgEffectiveness: number }>;
}

export namespace CaptureRequest {
  export const method = 'autodidact/capture' as const;
  export const type = new RequestType<{ events: CaptureEvent[] }, { accepted: number }, void>(method);
}

export namespace StatsRequest {
  export const method = 'autodidact/stats' as const;
  export const type = new RequestType<Record<string, never>, StoreStats, void>(method);
}

export namespace MeterRequest {
  export const method = 'autodidact/meter' as const;
  export const type = new RequestType<{ window: number }, MeterReading, void>(method);
}

/** Sent by the server after the store changed (merged events, rescored), at most a few times a second. */
export namespace StoreChangedNotification {
  export const method = 'autodidact/storeChanged' as const;
  export const type = new NotificationType<{ stats: StoreStats }>(method);
}

/** Sent by the client when autodidact.trainer.url changed (where lessons.json goes: lessons/lessonsFileSync.ts). */
export namespace TrainerUrlNotification {
  export const method = 'autodidact/trainerUrl' as const;
  export const type = new NotificationType<{ url: string }>(method);
}

/** One row of the "Delete Session..." quick pick. */
export interface SessionSummary {
  id: string;
  source: string;
  title: string | null;
  startedAt: number;
  interactions: number;
}

/** How many rows a deletion removed, counted just before it was journaled. */
export interface DeletionResult { sessions: number; interactions: number; outcomes: number; fileTouches: number }

export namespace ListSessionsRequest {
  export const method = 'autodidact/listSessions' as const;
  export const type = new RequestType<{ limit?: number }, SessionSummary[], void>(method);
}

export namespace DeleteSessionRequest {
  export const method = 'autodidact/deleteSession' as const;
  export const type = new RequestType<{ sessionIds: string[] }, DeletionResult, void>(method);
}

export namespace DeleteAllDataRequest {
  export const method = 'autodidact/deleteAllData' as const;
  export const type = new RequestType<Record<string, never>, DeletionResult, void>(method);
}

/** Import transcripts. No paths: every assistant's standard locations on this OS. */
export namespace ImportRequest {
  export const method = 'autodidact/import' as const;
  export const type = new RequestType<{ paths?: string[]; format?: string }, import('../server/importers/importReport').ImportReport, void>(method);
}

/** Progress of an import, one file at a time. */
export namespace ImportProgressNotification {
  export const method = 'autodidact/importProgress' as const;
  export const type = new NotificationType<{ path: string; done: number; total: number }>(method);
}

/** How categories are being classified (embeddings, or rules with the reason), for the panel and log. */
export namespace AnalysisStatusRequest {
  export const method = 'autodidact/analysisStatus' as const;
  export const type = new RequestType<Record<string, never>, { classifierMode: string; categoryProblems: string[] }, void>(method);
}

/** The panel's first render: stats (the CLI's query), trend, first page of patterns, recorded versions. */
export namespace PanelDataRequest {
  export const method = 'autodidact/panelData' as const;
  export const type = new RequestType<{ window: number; patternLimit?: number }, import('./panelData').PanelData, void>(method);
}

export namespace PatternPageRequest {
  export const method = 'autodidact/patternPage' as const;
  export const type = new RequestType<{ offset: number; limit: number }, import('./panelData').PatternPage, void>(method);
}

export namespace PatternExamplesRequest {
  export const method = 'autodidact/patternExamples' as const;
  export const type = new RequestType<{ patternId: string; offset: number; limit: number }, import('./panelData').PatternExamplesPage, void>(method);
}

/** Flips patterns.included: an excluded pattern's interactions stay out of training sets. */
export namespace SetPatternIncludedRequest {
  export const method = 'autodidact/setPatternIncluded' as const;
  export const type = new RequestType<{ patternId: string; included: boolean }, import('./panelData').PatternInclusionResult, void>(method);
}

/** Builds the training set as `autodidact export` would (cached until the store changes) and previews it. */
export namespace DatasetPreviewRequest {
  export const method = 'autodidact/datasetPreview' as const;
  export const type = new RequestType<{ minEffectiveness: number }, import('./panelData').DatasetPreview, void>(method);
}

/** The training set a round sends: OpenAI-chat JSONL lines, split, with the digest both sides check. */
export namespace TrainingSetRequest {
  export const method = 'autodidact/trainingSet' as const;
  export const type = new RequestType<{ minEffectiveness?: number }, {
    train: string[]; eval: string[]; sha256: string;
    stats: import('../server/dataset/buildTrainingSet').TrainingSetStats;
  }, void>(method);
}

/** "Export Dataset...": writes the training set, its eval twin and dataset_info.json. */
export namespace ExportDatasetRequest {
  export const method = 'autodidact/exportDataset' as const;
  export const type = new RequestType<{ format: 'openai' | 'sharegpt' | 'alpaca'; output: string; minEffectiveness?: number },
    import('../server/dataset/datasetExport').ExportResult, void>(method);
}
