// Messages between the extension host (client) and the analysis server. Each message is a
// namespace with a literal method and a typed RequestType/NotificationType, as vscode-eslint does.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { CaptureEvent, StoreStats } from './records';

/** Options the client hands the server at start. */
export interface AnalysisInitOptions {
  storageDir: string;
  minEffectiveness: number;
  extraCategories: Array<{ name: string; keywords: string[] }>;
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
