// Training: the trainer-server connection, the live version, Train Next Version, the running round's
// progress with its loss curve, and the version timeline with metrics before and after each round
// and a rollback button on every version that is not live.
import type { EvalMetrics, RoundPhase } from '../../extension/protocol/trainerProtocol';
import type { TrainerPanelState, TrainingProgress } from '../../extension/protocol/webviewProtocol';
import { button, h, notice } from '../dom';
import { count, dateTime, duration, metric, percent1 } from '../format';
import type { Badge, PanelContext, PanelSection } from '../panelContext';
import { sparklineSvg } from '../svgCharts';
import { gateTableNode } from '../gateTable';
import { lossChange, lossChangeTone, roundLabel, trainingView, type TimelineEntry, type TrainingView } from '../trainingTimeline';

const PHASES: Record<RoundPhase, string> = {
  queued: 'Queued', 'evaluate-live': 'Evaluating the live version', train: 'Training',
  'evaluate-candidate': 'Evaluating the candidate', promote: 'Promoting', done: 'Done',
};
const CONNECTION_TEXT = { connected: 'Connected', connecting: 'Connecting…', disconnected: 'Not connected', error: 'Connection failed' } as const;

export class TrainingSection implements PanelSection {
  readonly id = 'training' as const;
  readonly title = 'Training';

  private trainer(ctx: PanelContext): TrainerPanelState {
    const s = ctx.state;
    return s.training ?? { connection: s.trainer.connected ? 'connected' : 'disconnected', url: s.trainer.url };
  }

  key(ctx: PanelContext): string {
    return JSON.stringify([this.trainer(ctx), ctx.state.data?.recorded, ctx.state.liveVersion, ctx.width]);
  }

  badge(ctx: PanelContext): Badge {
    const progress = ctx.state.training?.progress;
    if (progress && progress.totalSteps > 0) return { text: `training ${Math.floor((100 * progress.step) / progress.totalSteps)}%`, tone: 'warn' };
    const live = trainingView(ctx.state.training, ctx.state.data?.recorded, ctx.state.liveVersion).live;
    return { text: live ?? '' };
  }

  body(ctx: PanelContext): Node[] {
    const trainer = this.trainer(ctx);
    const view = trainingView(ctx.state.training, ctx.state.data?.recorded, ctx.state.liveVersion);
    const running = Boolean(trainer.progress) || view.active?.state === 'running';
    const nodes: Node[] = [connectionLine(trainer)];
    if (trainer.connection !== 'connected') {
      nodes.push(h('p', { class: 'hint' }, trainer.connection === 'connecting'
        ? 'Reaching the trainer-server…'
        : 'Training runs on a trainer-server on the machine with the GPU (npm run trainer there). Train Next Version offers to start or connect one.'));
    }
    nodes.push(h('dl', { class: 'facts' },
      h('dt', {}, 'Live model'), h('dd', { id: 'training-live' }, view.live ?? h('span', { class: 'muted' }, 'base model')),
      view.baseModel ? h('dt', {}, 'Base') : null,
      view.baseModel ? h('dd', { class: 'break' }, view.baseModel.id, view.baseModel.fallback ? h('span', { class: 'inline-warn' }, ' (stand-in tiny model)') : null) : null));
    nodes.push(h('div', { class: 'actions' },
      button(running ? 'Training…' : 'Train Next Version', { class: 'primary', id: 'train-next', disabled: running },
        () => ctx.command('autodidact.trainNextVersion')),
      trainer.connection === 'disconnected' || trainer.connection === 'error'
        ? button('Connect…', { class: 'secondary', id: 'connect-trainer' }, () => ctx.command('autodidact.connectTrainer'))
        : null));
    if (trainer.progress) nodes.push(progressBlock(trainer.progress, ctx.width));
    else if (view.active) {
      nodes.push(notice('loading', `${roundLabel(view.active.roundId)}: ${PHASES[view.active.phase] ?? view.active.phase}…`));
    }
    nodes.push(h('h3', { class: 'sub-heading' }, 'Versions'));
    nodes.push(...timeline(ctx, view));
    return nodes;
  }
}

function connectionLine(trainer: TrainerPanelState): HTMLElement {
  return h('div', { class: `connection conn-${trainer.connection}`, id: 'trainer-connection', role: 'status' },
    h('span', { class: 'dot', 'aria-hidden': 'true' }),
    h('span', {}, `Trainer-server: ${CONNECTION_TEXT[trainer.connection]}`),
    trainer.url ? h('code', { class: 'url' }, trainer.url) : null,
    trainer.message ? h('span', { class: trainer.connection === 'error' ? 'inline-error' : 'muted' }, trainer.message) : null);
}

function progressBlock(p: TrainingProgress, width: number): HTMLElement {
  const fraction = p.totalSteps > 0 ? Math.min(1, p.step / p.totalSteps) : 0;
  const loss = p.loss;
  const last = loss.length ? loss[loss.length - 1] : null;
  return h('div', { class: 'progress-block', id: 'training-progress' },
    h('div', { class: 'progress-title' },
      h('strong', {}, roundLabel(p.roundId)), ` · ${p.phase ? PHASES[p.phase] : 'Training'}`),
    h('progress', { max: Math.max(1, p.totalSteps), value: p.step, 'aria-label': 'Training progress' }),
    h('div', { class: 'progress-line' },
      h('span', {}, `Step ${count(p.step)} of ${count(p.totalSteps)}`),
      h('span', { class: 'num' }, `${Math.floor(fraction * 100)}%`)),
    h('dl', { class: 'mini-stats' },
      h('div', {}, h('dt', {}, 'Loss'), h('dd', {}, metric(last))),
      h('div', {}, h('dt', {}, 'LR'), h('dd', {}, metric(p.lr))),
      h('div', {}, h('dt', {}, 'Tokens/s'), h('dd', {}, count(p.tokensPerS))),
      h('div', {}, h('dt', {}, 'ETA'), h('dd', {}, duration(p.etaS)))),
    loss.length >= 2
      ? h('figure', { class: 'loss-figure' },
        // The block's padding and border (22 px) come off the section width.
        sparklineSvg(loss, width - 22, 56, `Training loss, ${loss.length} points, from ${metric(loss[0])} to ${metric(last)}`, 'sparkline loss-curve'),
        h('figcaption', { class: 'muted small' }, `loss ${metric(loss[0])} → ${metric(last)} (min ${metric(Math.min(...loss))})`))
      : h('p', { class: 'muted small' }, 'The loss curve appears after the first steps.'));
}

function timeline(ctx: PanelContext, view: TrainingView): Node[] {
  if (view.entries.length === 0 && view.source === 'none' && !ctx.state.data && ctx.state.status.kind === 'loading') {
    return [notice('loading', 'Reading the versions this store recorded…')];
  }
  if (view.entries.length === 0) {
    return [notice('empty', 'No trained versions yet. v1.0 is the base model; a round whose candidate beats the live version on held-out data becomes v1.1, then v1.2…')];
  }
  const nodes: Node[] = [];
  if (view.source === 'recorded') nodes.push(h('p', { class: 'muted small' }, 'As recorded in this store; connect the trainer-server to roll back.'));
  const liveAt = view.entries.find((e) => e.live)?.at ?? Number.POSITIVE_INFINITY;
  nodes.push(h('ol', { class: 'timeline', id: 'version-timeline' }, ...view.entries.map((e) => entryItem(ctx, e, liveAt))));
  return nodes;
}

function entryItem(ctx: PanelContext, e: TimelineEntry, liveAt: number): HTMLElement {
  const label = e.kind === 'version' ? e.state.toUpperCase() : e.state;
  return h('li', { class: `tl-entry state-${e.state}`, 'data-entry': e.key },
    h('span', { class: 'tl-dot', 'aria-hidden': 'true' }),
    h('div', { class: 'tl-head' },
      h('strong', {}, e.title), ' ',
      e.kind === 'version' && e.state === 'promoted' ? null : h('span', { class: `pill pill-${e.state}` }, label),
      h('span', { class: 'muted' }, ` ${e.parent ? `from ${e.parent} · ` : ''}${dateTime(e.at)}`)),
    e.servedBy ? h('p', { class: 'tl-served muted small' }, e.servedBy) : null,
    metricLines(e.before, e.after, e.state),
    gateTableNode(e.gate),
    e.reason ? h('p', { class: 'tl-reason muted small' }, e.reason) : null,
    e.canRollback
      ? button(e.at < liveAt ? `Roll back to ${e.title}` : `Make ${e.title} live`, { class: 'secondary small', id: `rollback-${e.title}` }, () => ctx.rollback(e.title))
      : null);
}

function metricLines(before: EvalMetrics | null, after: EvalMetrics | null, state: string): HTMLElement | null {
  if (!before && !after) return null;
  const change = lossChange(before, after);
  const tone = lossChangeTone(change, state);
  const pair = (b: string | null, a: string | null): string => (b !== null && a !== null ? `${b} → ${a}` : a ?? b ?? '—');
  return h('dl', { class: 'tl-metrics' },
    h('dt', {}, 'Held-out loss'),
    h('dd', {}, pair(before ? metric(before.eval_loss) : null, after ? metric(after.eval_loss) : null),
      change === null ? null : h('span', { class: `tone-${tone}` }, ` (${change > 0 ? '+' : '−'}${Math.abs(change * 100).toFixed(1)}%)`)),
    h('dt', {}, 'Token accuracy'),
    h('dd', {}, pair(before ? percent1(before.token_accuracy) : null, after ? percent1(after.token_accuracy) : null)));
}
