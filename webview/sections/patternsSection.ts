// Patterns: the recurring kinds of request, sorted by score, a page at a time, each under the name its
// members' words give it. Each expands to its interactions with their score breakdowns (a few at a
// time) and has a switch that keeps it in or out of training (patterns.included, flipped by the
// analysis server); beside it, whether the current training set really uses it (patternTraining.ts).
import type { PatternExample, PatternPage, PatternRow } from '../../extension/protocol/panelData';
import { PANEL_LIMITS } from '../../extension/protocol/panelData';
import { button, h, notice, present } from '../dom';
import { count, dateTime, direction, percent, points } from '../format';
import { unavailable, type Badge, type PanelContext, type PanelSection } from '../panelContext';
import { patternTrainingLabel } from '../patternTraining';
import type { TrainingSetPreview } from '../trainingSetPreview';
import { scoreBreakdownTable } from './scoreBreakdownView';

interface Examples { items: PatternExample[]; total: number; loading: boolean; error?: string }
interface Toggle { pending: boolean; included: boolean; message?: string }

export class PatternsSection implements PanelSection {
  readonly id = 'patterns' as const;
  readonly title = 'Patterns';
  private page: PatternPage | undefined;
  private pageState: { loading: boolean; error?: string; forFirstPage?: string } = { loading: false };
  private readonly examples = new Map<string, Examples>();
  private readonly toggles = new Map<string, Toggle>();
  private revision = 0;
  private firstPageKey = '';

  /** Shared with the Data section: the labels and its pair count come from one preview. */
  constructor(private readonly training: TrainingSetPreview) {}

  key(ctx: PanelContext): string {
    const first = JSON.stringify(ctx.state.data?.patterns ?? null);
    if (first !== this.firstPageKey) this.firstPageChanged(ctx, first);
    return JSON.stringify([ctx.state.status.kind, first, ctx.ui.patternPage, ctx.ui.expandedPatterns, this.revision, this.training.revision]);
  }

  badge(ctx: PanelContext): Badge {
    const p = ctx.state.data?.patterns;
    return { text: p && p.total > 0 ? count(p.total) : '' };
  }

  body(ctx: PanelContext): Node[] {
    const gone = unavailable(ctx);
    if (gone === 'loading') return [notice('loading', 'Reading patterns…')];
    if (gone === 'error') return [notice('error', 'Patterns are unavailable until the analysis server runs again.')];
    const first = ctx.state.data!.patterns;
    if (first.total === 0) {
      return [notice('empty', 'No patterns yet. A pattern is a kind of request you make again and again: it appears once two similar requests are captured in a category.')];
    }
    this.training.ensure(ctx);
    const page = this.currentPage(ctx);
    const summary = h('p', { class: 'section-summary', id: 'patterns-summary' },
      `${count(first.total)} pattern${first.total === 1 ? '' : 's'}, best score first`,
      first.excluded > 0 ? ` · ${count(first.excluded)} kept out of training` : '');
    if (!page) {
      return [summary, this.pageState.error
        ? notice('error', this.pageState.error, button('Retry', { class: 'secondary' }, () => this.loadPage(ctx)))
        : notice('loading', 'Loading this page…')];
    }
    const list = h('ul', { class: 'pattern-list', id: 'pattern-list' }, ...page.items.map((p) => this.patternItem(ctx, p)));
    return present([summary, list, this.pager(ctx, page)]);
  }

  private firstPageChanged(ctx: PanelContext, first: string): void {
    this.firstPageKey = first;
    // The store changed: a later page may be stale, and settled switches now show in the data.
    if (ctx.ui.patternPage > 0 && ctx.state.data) this.loadPage(ctx);
    for (const [id, t] of this.toggles) if (!t.pending && !t.message) this.toggles.delete(id);
  }

  private currentPage(ctx: PanelContext): PatternPage | undefined {
    const first = ctx.state.data!.patterns;
    if (ctx.ui.patternPage === 0) return first;
    const offset = ctx.ui.patternPage * PANEL_LIMITS.patternsPerPage;
    if (offset >= first.total) { ctx.ui.patternPage = 0; return first; } // the store shrank
    if (this.page?.offset === offset) return this.page;
    if (!this.pageState.loading && !this.pageState.error) this.loadPage(ctx);
    return undefined;
  }

  private loadPage(ctx: PanelContext): void {
    const offset = ctx.ui.patternPage * PANEL_LIMITS.patternsPerPage;
    this.pageState = { loading: true };
    ctx.rpc.request('patternPage', { offset, limit: PANEL_LIMITS.patternsPerPage }).then(
      (page) => { this.page = page; this.pageState = { loading: false }; },
      (error: Error) => { this.pageState = { loading: false, error: `Could not load this page: ${error.message}` }; },
    ).finally(() => this.changed(ctx));
  }

  private changed(ctx: PanelContext): void {
    this.revision++;
    ctx.redraw(this.id);
  }

  private pager(ctx: PanelContext, page: PatternPage): HTMLElement | null {
    const size = PANEL_LIMITS.patternsPerPage;
    const total = ctx.state.data!.patterns.total;
    if (total <= size) return null;
    const go = (delta: number): void => {
      ctx.ui.patternPage += delta;
      ctx.saveUi();
      this.pageState = { loading: false };
      this.changed(ctx);
    };
    const last = Math.ceil(total / size) - 1;
    return h('nav', { class: 'pager', 'aria-label': 'Pattern pages' },
      button('‹ Previous', { class: 'secondary small', id: 'patterns-previous', disabled: ctx.ui.patternPage === 0 }, () => go(-1)),
      h('span', { class: 'pager-range' }, `${count(page.offset + 1)}–${count(page.offset + page.items.length)} of ${count(total)}`),
      button('Next ›', { class: 'secondary small', id: 'patterns-next', disabled: ctx.ui.patternPage >= last }, () => go(1)));
  }

  private patternItem(ctx: PanelContext, p: PatternRow): HTMLElement {
    const expanded = ctx.ui.expandedPatterns.includes(p.id);
    const toggle = this.toggles.get(p.id);
    const included = toggle?.included ?? p.included;
    const trendTone = direction(p.trend);
    const meta = h('span', { class: 'pattern-meta' },
      h('span', { class: 'tag' }, p.category), ` ${count(p.count)} interactions`,
      p.trend === null || trendTone === 'flat' ? null : h('span', { class: `tone-${trendTone}` }, ` · ${trendTone === 'up' ? '▲' : trendTone === 'down' ? '▼' : '▶'} ${points(p.trend)}`));
    const expander = h('button', { type: 'button', class: 'pattern-toggle', id: `pattern-toggle-${p.id}`, 'aria-expanded': String(expanded), 'aria-controls': `pattern-body-${p.id}` },
      h('span', { class: 'chevron', 'aria-hidden': 'true' }),
      h('span', { class: 'pattern-text' },
        h('span', { class: 'pattern-name' }, p.name || p.request.replace(/\s+/g, ' ').trim() || '(empty request)'),
        meta,
        p.name ? h('span', { class: 'pattern-request muted small', title: 'The most effective, most typical request of this pattern' }, `e.g. “${p.request.replace(/\s+/g, ' ').trim()}”`) : null),
      h('span', { class: 'score-pill', title: 'Average effectiveness' }, percent(p.avgEffectiveness)));
    expander.addEventListener('click', () => this.setExpanded(ctx, p.id, !expanded));
    const checkbox = h('input', { type: 'checkbox', id: `include-${p.id}`, checked: included, disabled: toggle?.pending });
    checkbox.addEventListener('change', () => void this.setIncluded(ctx, p.id, checkbox.checked));
    const label = patternTrainingLabel({ id: p.id, included }, this.training.preview, this.training.error !== undefined);
    const switchRow = h('div', { class: 'include-row' },
      h('label', { class: `include use-${label.use}`, for: `include-${p.id}`, 'data-training-use': label.use }, checkbox, label.text),
      toggle?.pending ? h('span', { class: 'muted', role: 'status' }, ' saving…') : null,
      toggle?.message ? h('span', { class: 'inline-error', role: 'alert' }, toggle.message) : null);
    return h('li', { class: `pattern${included ? '' : ' excluded'}`, 'data-pattern-id': p.id },
      expander, switchRow,
      expanded ? h('div', { class: 'pattern-body', id: `pattern-body-${p.id}` }, ...this.examplesView(ctx, p)) : null);
  }

  private setExpanded(ctx: PanelContext, id: string, expanded: boolean): void {
    const list = ctx.ui.expandedPatterns.filter((x) => x !== id);
    // A handful stays open across reloads; older ones close (the state must stay small).
    ctx.ui.expandedPatterns = expanded ? [...list, id].slice(-5) : list;
    ctx.saveUi();
    this.changed(ctx);
  }

  private async setIncluded(ctx: PanelContext, id: string, included: boolean): Promise<void> {
    this.toggles.set(id, { pending: true, included });
    this.changed(ctx);
    try {
      const result = await ctx.rpc.request('setPatternIncluded', { patternId: id, included });
      this.toggles.set(id, { pending: false, included: result.included, message: result.changed ? undefined : result.message });
    } catch (error) {
      this.toggles.set(id, { pending: false, included: !included, message: (error as Error).message });
    }
    this.changed(ctx);
  }

  private examplesView(ctx: PanelContext, p: PatternRow): Node[] {
    const state = this.examples.get(p.id);
    if (!state) { this.loadExamples(ctx, p.id, 0); return [notice('loading', 'Loading interactions…')]; }
    if (state.items.length === 0 && state.loading) return [notice('loading', 'Loading interactions…')];
    if (state.items.length === 0 && state.error) {
      return [notice('error', state.error, button('Retry', { class: 'secondary small' }, () => this.loadExamples(ctx, p.id, 0)))];
    }
    if (state.total === 0) return [notice('empty', 'This pattern has no interactions left (they were deleted); it disappears at the next recompute.')];
    const more = state.total - state.items.length;
    return present([
      h('p', { class: 'muted small' }, `${count(state.items.length)} of ${count(state.total)} interactions, most recent first`),
      h('ol', { class: 'examples' }, ...state.items.map((e) => exampleItem(e))),
      state.error ? h('p', { class: 'inline-error', role: 'alert' }, state.error) : null,
      more > 0 ? button(state.loading ? 'Loading…' : `Show ${Math.min(more, PANEL_LIMITS.examplesPerPage)} more`,
        { class: 'link', id: `pattern-more-${p.id}`, disabled: state.loading }, () => this.loadExamples(ctx, p.id, state.items.length)) : null,
    ]);
  }

  private loadExamples(ctx: PanelContext, id: string, offset: number): void {
    const previous = this.examples.get(id);
    this.examples.set(id, { items: offset === 0 ? [] : previous?.items ?? [], total: previous?.total ?? 0, loading: true });
    ctx.rpc.request('patternExamples', { patternId: id, offset, limit: PANEL_LIMITS.examplesPerPage }).then(
      (page) => {
        const items = offset === 0 ? page.items : [...(this.examples.get(id)?.items ?? []), ...page.items];
        this.examples.set(id, { items, total: page.total, loading: false });
      },
      (error: Error) => {
        const current = this.examples.get(id);
        this.examples.set(id, { items: current?.items ?? [], total: current?.total ?? 0, loading: false, error: `Could not load interactions: ${error.message}` });
      },
    ).finally(() => this.changed(ctx));
  }
}

function exampleItem(e: PatternExample): HTMLElement {
  return h('li', { class: 'example' },
    h('div', { class: 'example-head' },
      h('span', { class: 'score-pill' }, percent(e.effectiveness)),
      h('span', { class: 'muted' }, ` ${e.source} · ${dateTime(e.startedAt)}`)),
    h('p', { class: 'example-label' }, 'Request'),
    h('p', { class: 'example-text' }, e.request),
    h('p', { class: 'example-label' }, 'Answer'),
    h('p', { class: 'example-text answer' }, e.response, e.truncated ? h('span', { class: 'muted' }, ' …') : null),
    e.breakdown ? scoreBreakdownTable(e.breakdown) : h('p', { class: 'muted small' }, 'Not scored yet.'));
}
