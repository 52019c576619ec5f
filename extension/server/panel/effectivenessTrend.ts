// "Effectiveness now and its trend": the meter's window of most recent scored interactions against
// the window before it, plus a short series of window averages for the overview's sparkline.
import { PANEL_LIMITS, type EffectivenessTrend } from '../../protocol/panelData';
import type { RowReader } from '../store/statsQuery';

const round = (value: number): number => Math.round(value * 10000) / 10000;

export function readTrend(store: RowReader, window: number, buckets: number = PANEL_LIMITS.trendBuckets): EffectivenessTrend {
  const size = Math.max(1, Math.floor(window));
  // The inner LIMIT runs first (a top-N sort), so numbering touches at most size * buckets rows even
  // with 100,000 interactions; the order is the meter's, so `recent` equals the status-bar reading.
  const rows = store.query<{ bucket: number; n: number; avg: number }>(
    `SELECT bucket, COUNT(*) AS n, AVG(effectiveness) AS avg FROM (
       SELECT (ROW_NUMBER() OVER (ORDER BY started_at DESC, id DESC) - 1) / ? AS bucket, effectiveness FROM (
         SELECT started_at, id, effectiveness FROM interactions WHERE effectiveness IS NOT NULL
         ORDER BY started_at DESC, id DESC LIMIT ?))
     GROUP BY bucket ORDER BY bucket`, [size, size * Math.max(2, buckets)]);
  const [recent, previous] = rows;
  return {
    window: size,
    recent: recent ? round(recent.avg) : null,
    recentCount: recent?.n ?? 0,
    previous: previous ? round(previous.avg) : null,
    previousCount: previous?.n ?? 0,
    series: rows.slice(0, buckets).map((r) => round(r.avg)).reverse(),
  };
}
