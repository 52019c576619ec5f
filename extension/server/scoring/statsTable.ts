// `autodidact stats --table`: seed 000's Table 5.1 (category, examples, average effectiveness, and
// a bold Overall row), as a markdown table that reads well in a terminal and pastes into a report.
import type { StoreStats } from '../../protocol/records';

const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Rows in the order the stats query gives (best average first). The Overall row covers the scored,
 *  categorised interactions the rows above it count, so its numbers always add up to theirs. */
export function formatStatsTable(stats: StoreStats): string {
  const rows: string[][] = stats.categories.map((c) => [c.name, String(c.examples), percent(c.avgEffectiveness)]);
  const examples = stats.categories.reduce((n, c) => n + c.examples, 0);
  const weighted = stats.categories.reduce((sum, c) => sum + c.avgEffectiveness * c.examples, 0);
  rows.push(['**Overall**', `**${examples}**`, examples === 0 ? '**—**' : `**${percent(weighted / examples)}**`]);
  const header = ['Category', 'Examples', 'Avg Effectiveness'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return `${[line(header), rule, ...rows.map(line)].join('\n')}\n`;
}
