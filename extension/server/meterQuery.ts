// The status-bar meter: effectiveness of the most recent scored interactions, with the category
// split shown in its tooltip.
import type { MeterReading } from '../protocol/analysisProtocol';
import type { RowReader } from './store/statsQuery';

const round = (value: number): number => Math.round(value * 10000) / 10000;

export function readMeter(store: RowReader, window: number): MeterReading {
  const recent = `SELECT effectiveness, COALESCE(category, 'Uncategorised') AS category FROM interactions
    WHERE effectiveness IS NOT NULL ORDER BY started_at DESC, id DESC LIMIT ?`;
  const [overall] = store.query<{ n: number; avg: number | null }>(
    `SELECT COUNT(*) AS n, AVG(effectiveness) AS avg FROM (${recent})`, [window]);
  const byCategory = store.query<{ name: string; examples: number; avg: number }>(
    `SELECT category AS name, COUNT(*) AS examples, AVG(effectiveness) AS avg FROM (${recent})
     GROUP BY category ORDER BY examples DESC, name`, [window]);
  return {
    effectiveness: overall.avg === null ? null : round(overall.avg),
    scoredInteractions: overall.n,
    window,
    byCategory: byCategory.map((c) => ({ name: c.name, examples: c.examples, avgEffectiveness: round(c.avg) })),
  };
}
