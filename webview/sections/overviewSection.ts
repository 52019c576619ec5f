// Overview: effectiveness now (the meter's window) and its trend against the window before, how much
// was captured, and the live model.
import { button, h, notice } from '../dom';
import { count, direction, percent, points } from '../format';
import { unavailable, type Badge, type PanelContext, type PanelSection } from '../panelContext';
import { sparklineSvg } from '../svgCharts';
import { liveCaptureView } from './liveCaptureView';

const ARROWS = { up: '▲', down: '▼', flat: '▶' } as const;

export class OverviewSection implements PanelSection {
  readonly id = 'overview' as const;
  readonly title = 'Overview';

  key(ctx: PanelContext): string {
    const s = ctx.state;
    return JSON.stringify([s.status, s.data?.stats, s.data?.trend, s.data?.scored, s.capture, s.liveCapture, this.live(ctx), ctx.width]);
  }

  badge(ctx: PanelContext): Badge {
    const trend = ctx.state.data?.trend;
    return { text: trend && trend.recent !== null ? percent(trend.recent) : '' };
  }

  body(ctx: PanelContext): Node[] {
    const gone = unavailable(ctx);
    if (gone === 'loading') return [notice('loading', 'Reading your store…')];
    if (gone === 'error') return [notice('error', 'Numbers are unavailable until the analysis server runs again.')];
    const data = ctx.state.data!;
    const { stats, trend } = data;
    const delta = trend.recent !== null && trend.previous !== null ? trend.recent - trend.previous : null;
    const tone = direction(delta);
    const hero = h('div', { class: 'hero' },
      h('div', { class: 'hero-text' },
        h('span', { class: 'hero-label', id: 'effectiveness-label' }, 'Effectiveness'),
        h('span', { class: 'hero-value', id: 'effectiveness', 'aria-labelledby': 'effectiveness-label effectiveness' }, percent(trend.recent)),
        delta === null ? null : h('span', { class: `delta tone-${tone}`, id: 'effectiveness-delta' },
          h('span', { 'aria-hidden': 'true' }, `${ARROWS[tone]} `), points(delta))),
      trend.series.length >= 2
        ? sparklineSvg(trend.series, Math.min(120, Math.max(60, ctx.width * 0.35)), 36,
          `Effectiveness over the last ${trend.series.length} windows of ${trend.window}`, 'sparkline trend-line')
        : null);
    const note = trend.recentCount === 0
      ? 'No scored interactions yet.'
      : `Last ${count(trend.recentCount)} scored interaction${trend.recentCount === 1 ? '' : 's'}` +
        (trend.previous === null ? ' (no earlier window to compare yet)' : ` vs the ${count(trend.previousCount)} before (${percent(trend.previous)})`);
    const tiles = h('dl', { class: 'stat-grid' },
      tile('Interactions', count(stats.interactions), 'interactions'),
      tile('Sessions', count(stats.sessions), 'sessions'),
      tile('Scored', count(data.scored), 'scored'),
      tile('All-time average', percent(stats.effectiveness), 'effectiveness-all'));
    const nodes: Node[] = [hero, h('p', { class: 'hero-note' }, note), tiles, this.facts(ctx)];
    const liveCapture = liveCaptureView(ctx.state.liveCapture);
    if (liveCapture) nodes.push(liveCapture);
    if (stats.interactions === 0) {
      const sources = 'the sessions your assistants already keep on this machine (Claude Code, Cline, Roo, Continue, Copilot, Aider, Codex)';
      nodes.push(notice('empty', ctx.state.capture.enabled && !ctx.state.capture.paused
        ? `Nothing captured yet. Capture is on, so your next assistant sessions appear here; or import ${sources}.`
        : `Nothing captured yet. Import ${sources}, or turn capture on.`));
    }
    nodes.push(h('div', { class: 'actions' },
      button('Import Sessions…', { class: stats.interactions === 0 ? 'primary' : 'secondary', id: 'import-sessions' }, () => ctx.command('autodidact.importSessions'))));
    return nodes;
  }

  private live(ctx: PanelContext): string | null {
    const s = ctx.state;
    return s.training?.versions?.live ?? s.liveVersion ?? s.data?.recorded.liveVersion ?? null;
  }

  private facts(ctx: PanelContext): HTMLElement {
    const { capture } = ctx.state;
    const live = this.live(ctx);
    const captureText = !capture.enabled ? 'Off' : capture.paused ? 'Paused' : 'On';
    const captureAction = !capture.enabled
      ? button('Turn on', { class: 'link', id: 'capture-enable' }, () => ctx.command('autodidact.enableCapture'))
      : capture.paused
      ? button('Resume', { class: 'link', id: 'capture-resume' }, () => ctx.command('autodidact.resumeCapture'))
      : button('Pause', { class: 'link', id: 'capture-pause' }, () => ctx.command('autodidact.pauseCapture'));
    return h('dl', { class: 'facts' },
      h('dt', {}, 'Live model'),
      h('dd', { id: 'live-version' }, live ?? h('span', { class: 'muted' }, 'base model')),
      h('dt', {}, 'Capture'),
      h('dd', { id: 'capture-state' }, h('span', { class: `dot dot-${captureText.toLowerCase()}`, 'aria-hidden': 'true' }), captureText, captureAction ? ' · ' : null, captureAction),
      !capture.enabled ? h('dd', { class: 'fact-note' }, 'Turn on the setting autodidact.capture.enabled to record sessions. Everything stays on this machine.') : null);
  }
}

function tile(label: string, value: string, id: string): HTMLElement {
  return h('div', { class: 'stat' }, h('dt', {}, label), h('dd', { id }, value));
}
