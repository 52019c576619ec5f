// Messages between the extension host and the panel webview. The webview sends `ready` once its
// script runs; only then does the host post state (a message posted earlier would be lost).
import type { StoreStats } from './records';

export interface PanelState {
  stats: StoreStats;
  capture: { enabled: boolean; paused: boolean };
  trainer: { connected: boolean; url: string };
  liveVersion: string | null;
  /** Set while the analysis server is starting or after it failed: the panel shows it instead of numbers. */
  status: { kind: 'loading' | 'ready' | 'error'; message?: string };
}

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'runCommand'; command: 'autodidact.trainNextVersion' | 'autodidact.importSessions' | 'autodidact.exportDataset' | 'autodidact.pauseCapture' | 'autodidact.resumeCapture' };

export type HostToWebview = { type: 'state'; state: PanelState };
