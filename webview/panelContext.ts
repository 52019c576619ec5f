// What every section gets to draw itself: the state the host posted, the persisted UI state, the
// request channel and a way to ask for a redraw after local changes (a page that arrived).
import type { PanelCommand, PanelState } from '../extension/protocol/webviewProtocol';
import type { PanelRpc } from './panelRpc';
import type { SectionId } from './sectionFrame';

/** Kept with setState, so the panel reopens as it was left (sections, page, expanded patterns). */
export interface UiState {
  open: Record<SectionId, boolean>;
  patternPage: number;
  expandedPatterns: string[];
}

export const DEFAULT_UI: UiState = {
  open: { overview: true, categories: true, patterns: true, training: true, lessons: true, data: false },
  patternPage: 0,
  expandedPatterns: [],
};

export interface PanelContext {
  readonly state: PanelState;
  readonly ui: UiState;
  readonly rpc: PanelRpc;
  /** Width of the section bodies in CSS pixels (charts draw to it). */
  readonly width: number;
  command(command: PanelCommand): void;
  rollback(version: string): void;
  saveUi(): void;
  redraw(section: SectionId): void;
}

export interface Badge { text: string; tone?: 'plain' | 'up' | 'down' | 'warn' }

export interface PanelSection {
  readonly id: SectionId;
  readonly title: string;
  /** What the body depends on: the body is rebuilt only when this changes, so focus and scroll stay put. */
  key(ctx: PanelContext): string;
  badge(ctx: PanelContext): Badge;
  body(ctx: PanelContext): Node[];
  /** The section was opened by the user (Data builds its preview only then). */
  opened?(ctx: PanelContext): void;
}

/** Loading and failure look the same in every section, so they are decided once. */
export function unavailable(ctx: PanelContext): 'loading' | 'error' | null {
  if (ctx.state.status.kind === 'error') return 'error';
  if (ctx.state.status.kind === 'loading' || !ctx.state.data) return 'loading';
  return null;
}
