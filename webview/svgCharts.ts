// SVG for the panel's charts, from the geometry in charts.ts. Colours come from CSS classes that use
// --vscode-charts-* variables (media/panel.css), so every theme, high contrast included, applies.
import { barChart, sparkline, type BarInput } from './charts';
import { svg } from './dom';

export function barChartSvg(inputs: readonly BarInput[], width: number, label: string, reference: number | null = null): SVGSVGElement {
  const g = barChart(inputs, width, 1, reference);
  const root = svg('svg', { class: 'chart bar-chart', width: g.width, height: g.height + 2, viewBox: `0 0 ${g.width} ${g.height + 2}`, role: 'img', 'aria-label': label });
  for (const row of g.rows) {
    const group = svg('g', { class: 'bar-row' },
      svg('title', {}, `${row.label}: ${row.note}`),
      svg('text', { class: 'chart-label', x: 0, y: row.textY }, row.shownLabel),
      svg('text', { class: 'chart-value', x: g.width, y: row.textY, 'text-anchor': 'end' }, row.note),
      svg('rect', { class: 'bar-track', x: 0, y: row.barY, width: row.trackWidth, height: g.barHeight, rx: 2 }),
      row.barWidth > 0 ? svg('rect', { class: 'bar', x: 0, y: row.barY, width: row.barWidth, height: g.barHeight, rx: 2 }) : null,
    );
    root.append(group);
  }
  // The overall average as a tick across each bar, not a line through the labels.
  if (g.referenceX !== null) {
    for (const row of g.rows) {
      root.append(svg('line', { class: 'chart-reference', x1: g.referenceX, x2: g.referenceX, y1: row.barY - 3, y2: row.barY + g.barHeight + 3 }));
    }
  }
  return root;
}

export function sparklineSvg(values: readonly number[], width: number, height: number, label: string, className = 'sparkline'): SVGSVGElement {
  const g = sparkline(values, width, height);
  const root = svg('svg', { class: `chart ${className}`, width: g.width, height: g.height, viewBox: `0 0 ${g.width} ${g.height}`, role: 'img', 'aria-label': label });
  root.append(svg('line', { class: 'chart-baseline', x1: 0, x2: g.width, y1: g.height - 0.5, y2: g.height - 0.5 }));
  if (g.points) root.append(svg('polyline', { class: 'chart-line', points: g.points }));
  if (g.last) root.append(svg('circle', { class: 'chart-dot', cx: g.last.x, cy: g.last.y, r: 2.5 }));
  return root;
}
