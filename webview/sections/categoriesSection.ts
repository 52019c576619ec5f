// Categories: seed 000's Table 5.1 (examples and average effectiveness per category, with an Overall
// row) and the same numbers as bars. The rows are readStats' rows, as `autodidact stats` prints them.
import type { CategoryStats } from '../../extension/protocol/records';
import { h, notice, present } from '../dom';
import { count, percent1 } from '../format';
import { unavailable, type Badge, type PanelContext, type PanelSection } from '../panelContext';
import { barChartSvg } from '../svgCharts';
import { categoryMethodLine } from '../categoryMethod';

/** The Overall row of Table 5.1: examples summed, effectiveness weighted by examples. */
export function overallRow(categories: readonly CategoryStats[]): { examples: number; avg: number | null } {
  const examples = categories.reduce((n, c) => n + c.examples, 0);
  const weighted = categories.reduce((sum, c) => sum + c.avgEffectiveness * c.examples, 0);
  return { examples, avg: examples === 0 ? null : weighted / examples };
}

export class CategoriesSection implements PanelSection {
  readonly id = 'categories' as const;
  readonly title = 'Categories';

  key(ctx: PanelContext): string {
    return JSON.stringify([ctx.state.status, ctx.state.data?.stats, ctx.state.data?.classifierMode, ctx.width]);
  }

  badge(ctx: PanelContext): Badge {
    const n = ctx.state.data?.stats.categories.length;
    return { text: n ? String(n) : '' };
  }

  body(ctx: PanelContext): Node[] {
    const gone = unavailable(ctx);
    if (gone === 'loading') return [notice('loading', 'Reading categories…')];
    if (gone === 'error') return [notice('error', 'Categories are unavailable until the analysis server runs again.')];
    const { stats } = ctx.state.data!;
    if (stats.categories.length === 0) {
      return [notice('empty', stats.interactions === 0
        ? 'No interactions yet. Categories (Testing, Debugging, Security…) appear as sessions are imported or captured.'
        : 'No interaction is scored and categorised yet; this fills in within seconds of a capture or import.')];
    }
    const overall = overallRow(stats.categories);
    const chart = barChartSvg(
      stats.categories.map((c) => ({ label: c.name, value: c.avgEffectiveness, note: `${percent1(c.avgEffectiveness)} · ${count(c.examples)}` })),
      ctx.width, `Average effectiveness per category; overall ${percent1(overall.avg)}`, overall.avg);
    const rows = stats.categories.map((c) => h('tr', {},
      h('th', { scope: 'row' }, c.name), h('td', { class: 'num' }, count(c.examples)), h('td', { class: 'num' }, percent1(c.avgEffectiveness))));
    const table = h('table', { class: 'data-table', id: 'categories-table' },
      h('caption', { class: 'visually-hidden' }, 'Examples and average effectiveness per category'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Category'), h('th', { scope: 'col', class: 'num' }, 'Examples'), h('th', { scope: 'col', class: 'num' }, 'Avg eff.'))),
      h('tbody', {}, ...rows),
      h('tfoot', {}, h('tr', { class: 'total' }, h('th', { scope: 'row' }, 'Overall'), h('td', { class: 'num' }, count(overall.examples)), h('td', { class: 'num' }, percent1(overall.avg)))));
    const uncounted = stats.interactions - overall.examples;
    const method = categoryMethodLine(ctx.state.data!.classifierMode);
    return present([
      h('p', { class: 'legend' }, h('span', { class: 'swatch swatch-bar', 'aria-hidden': 'true' }), 'average effectiveness · examples',
        h('span', { class: 'swatch swatch-reference', 'aria-hidden': 'true' }), 'overall'),
      chart,
      table,
      uncounted > 0 ? h('p', { class: 'footnote' }, `${count(uncounted)} interaction${uncounted === 1 ? ' is' : 's are'} not scored or categorised yet and not counted here.`) : null,
      method ? h('p', { class: method.ruleBased ? 'hint' : 'footnote', id: 'categories-method', role: method.ruleBased ? 'status' : undefined }, method.text) : null,
    ]);
  }
}
