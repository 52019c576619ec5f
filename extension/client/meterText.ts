// What the status-bar meter says, as plain strings (no vscode import), so it can be tested in Node.
import type { MeterReading } from '../protocol/analysisProtocol';

/** Resume while paused, Pause while capturing, and while capture is off a way to turn it on (never a Pause that does nothing). */
function captureLink(view: MeterView): string {
  if (view.paused) return '[$(debug-start) Resume capture](command:autodidact.resumeCapture)';
  if (view.capturing) return '[$(debug-pause) Pause capture](command:autodidact.pauseCapture)';
  return '[$(record) Turn on capture](command:autodidact.enableCapture)';
}

export interface MeterView {
  reading?: MeterReading;
  liveVersion: string | null;
  training?: string;
  paused: boolean;
  /** Capture is active: editor signals recorded, live sessions watched. */
  capturing?: boolean;
  error?: string;
}

/** Rows in the tooltip's category table; the panel has the rest. */
export const TOOLTIP_CATEGORIES = 8;

export const meterPercent = (value: number | null | undefined): string =>
  (value === null || value === undefined ? '—' : `${Math.round(value * 100)}%`);

/** Markdown-escapes user-provided text (category names come from settings). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

export function meterText(view: MeterView): { text: string; accessibleLabel: string } {
  const percent = meterPercent(view.reading?.effectiveness);
  if (view.error) return { text: '$(error) Autodidact', accessibleLabel: 'Autodidact effectiveness unavailable: the analysis server failed' };
  const icon = view.training ? '$(loading~spin)' : view.paused ? '$(debug-pause)' : view.capturing ? '$(record)' : '$(pulse)';
  const version = view.liveVersion ? ` · ${view.liveVersion}` : '';
  const notes = [
    view.liveVersion ? `live model ${view.liveVersion}` : '',
    view.training ? `training ${view.training}` : '',
    view.paused ? 'capture paused' : view.capturing ? 'capture on' : '',
  ].filter(Boolean);
  return {
    text: `${icon} Autodidact ${percent}${version}`,
    accessibleLabel: `Autodidact effectiveness ${percent}${notes.length ? `, ${notes.join(', ')}` : ''}`,
  };
}

export function meterTooltipMarkdown(view: MeterView): string {
  const parts: string[] = [];
  if (view.error) {
    parts.push(`$(error) **Autodidact** could not start its analysis server.\n\n${escapeMarkdown(view.error)}`);
    parts.push('[$(output) Show log](command:autodidact.showLog)');
    return parts.join('\n\n');
  }
  const r = view.reading;
  const over = r && r.scoredInteractions > 0
    ? ` over the last ${r.scoredInteractions} scored interaction${r.scoredInteractions === 1 ? '' : 's'} (window ${r.window})`
    : '';
  parts.push(`**Autodidact** effectiveness **${meterPercent(r?.effectiveness)}**${over}`);
  const status = [`Live model: **${view.liveVersion ? escapeMarkdown(view.liveVersion) : 'base (no trained version yet)'}**`];
  if (view.training) status.push(`$(loading~spin) Training ${escapeMarkdown(view.training)}`);
  if (view.paused) status.push('$(debug-pause) Capture is **paused**');
  else if (view.capturing) status.push('$(record) Capture is **on**: editor outcomes recorded, assistants\' live sessions watched');
  parts.push(status.join('  \n'));
  const categories = r?.byCategory ?? [];
  if (categories.length > 0) {
    const rows = categories.slice(0, TOOLTIP_CATEGORIES)
      .map((c) => `| ${escapeMarkdown(c.name)} | ${c.examples} | ${meterPercent(c.avgEffectiveness)} |`);
    parts.push(['| Category | Examples | Avg |', '|:--|--:|--:|', ...rows].join('\n'));
    if (categories.length > TOOLTIP_CATEGORIES) parts.push(`*…and ${categories.length - TOOLTIP_CATEGORIES} more in the panel*`);
  } else {
    parts.push('No scored interactions yet: import past sessions or turn on capture.');
  }
  parts.push([
    '[$(graph) Open panel](command:autodidact.openPanel)',
    '[$(rocket) Train next version](command:autodidact.trainNextVersion)',
    captureLink(view),
  ].join(' · '));
  return parts.join('\n\n');
}
