// The numbers `autodidact stats` prints and the panel shows: one query, so they always agree.
import type { CategoryStats, StoreStats } from '../../protocol/records';

export interface RowReader { query<T>(sql: string, params?: unknown[]): T[] }

const round = (value: number): number => Math.round(value * 10000) / 10000;

export function readStats(store: RowReader): StoreStats {
  const [counts] = store.query<{ sessions: number; interactions: number; effectiveness: number | null }>(
    `SELECT (SELECT COUNT(*) FROM sessions) AS sessions, COUNT(*) AS interactions,
            AVG(effectiveness) AS effectiveness FROM interactions`);
  const categories = store.query<{ name: string; examples: number; avg: number }>(
    `SELECT category AS name, COUNT(*) AS examples, AVG(effectiveness) AS avg FROM interactions
     WHERE category IS NOT NULL AND effectiveness IS NOT NULL
     GROUP BY category ORDER BY avg DESC, examples DESC, name`);
  return {
    sessions: counts.sessions,
    interactions: counts.interactions,
    effectiveness: counts.effectiveness === null ? null : round(counts.effectiveness),
    categories: categories.map((c): CategoryStats => ({ name: c.name, examples: c.examples, avgEffectiveness: round(c.avg) })),
  };
}
