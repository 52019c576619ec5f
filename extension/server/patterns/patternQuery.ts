// Reading patterns for the CLI and the panel, and the user's switch to keep one out of training.
import type { RowReader } from '../store/statsQuery';
import { jsonList } from '../scoring/dbRows';

export interface PatternSummary {
  id: string;
  category: string;
  /** Readable name: the words that set its members apart (patternName.ts). */
  name: string;
  representativeRequest: string;
  representativeSolution: string;
  count: number;
  avgEffectiveness: number | null;
  /** Recent minus older effectiveness (positive: getting better); null with fewer than 4 scored members. */
  trend: number | null;
  included: boolean;
  memberIds: string[];
}

interface PatternRow {
  id: string; category: string; name: string; representative_request: string; representative_solution: string; count: number;
  avg_effectiveness: number | null; trend: number | null; member_ids: string; included: number;
}

export function readPatterns(store: RowReader, options: { category?: string; limit?: number } = {}): PatternSummary[] {
  const where = options.category ? 'WHERE category = ?' : '';
  const params: unknown[] = options.category ? [options.category] : [];
  const limit = options.limit && options.limit > 0 ? ` LIMIT ${Math.floor(options.limit)}` : '';
  return store.query<PatternRow>(`SELECT * FROM patterns ${where} ORDER BY count DESC, category, id${limit}`, params).map((r) => ({
    id: r.id,
    category: r.category,
    name: r.name,
    representativeRequest: r.representative_request,
    representativeSolution: r.representative_solution,
    count: r.count,
    avgEffectiveness: r.avg_effectiveness,
    trend: r.trend,
    included: r.included !== 0,
    memberIds: jsonList(r.member_ids),
  }));
}

/** Something that journals events and reads rows: the store, in any window (owner or not). */
export interface PatternChoiceWriter {
  capture(events: readonly import('../../protocol/records').CaptureEvent[]): Promise<void>;
  query<T>(sql: string, params?: unknown[]): T[];
}

/**
 * Includes or excludes a pattern from training. Resolves false when the pattern does not exist. The
 * choice is a journaled event, so any window can make it (the owner applies it within seconds) and a
 * database rebuilt from the journal keeps it.
 */
export async function setPatternIncluded(store: PatternChoiceWriter, id: string, included: boolean): Promise<boolean> {
  const [row] = store.query<{ member_ids: string }>('SELECT member_ids FROM patterns WHERE id = ?', [id]);
  if (!row) return false;
  await store.capture([{ type: 'patternChoice', choice: { patternId: id, included, memberIds: jsonList(row.member_ids), at: Date.now() } }]);
  return true;
}
