// Patterns for the panel, a page at a time and sorted by score (average effectiveness, then size),
// and a pattern's member interactions with their score breakdowns, also a page at a time. Texts are
// cut in SQL, so a 200 KB answer never leaves the database whole.
import { PANEL_LIMITS, type PatternExamplesPage, type PatternInclusionResult, type PatternPage } from '../../protocol/panelData';
import { parseBreakdown } from '../scoring/scoreBreakdown';
import { setPatternIncluded, type PatternChoiceWriter } from '../patterns/patternQuery';
import type { RowReader } from '../store/statsQuery';

const MAX_PAGE = 50;

function page(offset: number, limit: number): { offset: number; limit: number } {
  return {
    offset: Number.isFinite(offset) && offset > 0 ? Math.floor(offset) : 0,
    limit: Number.isFinite(limit) ? Math.min(MAX_PAGE, Math.max(1, Math.floor(limit))) : PANEL_LIMITS.patternsPerPage,
  };
}

export function readPatternPage(store: RowReader, offset: number, limit: number): PatternPage {
  const p = page(offset, limit);
  const [totals] = store.query<{ total: number; excluded: number | null }>(
    'SELECT COUNT(*) AS total, SUM(included = 0) AS excluded FROM patterns');
  const rows = store.query<{ id: string; category: string; name: string; request: string; count: number; avg: number | null; trend: number | null; included: number }>(
    `SELECT id, category, name, substr(representative_request, 1, ?) AS request, count, avg_effectiveness AS avg, trend, included
     FROM patterns ORDER BY avg_effectiveness IS NULL, avg_effectiveness DESC, count DESC, id LIMIT ? OFFSET ?`,
    [PANEL_LIMITS.patternRequestChars, p.limit, p.offset]);
  return {
    total: totals.total,
    excluded: totals.excluded ?? 0,
    offset: p.offset,
    items: rows.map((r) => ({
      id: r.id, category: r.category, name: r.name, request: r.request, count: r.count,
      avgEffectiveness: r.avg, trend: r.trend, included: r.included !== 0,
    })),
  };
}

export function readPatternExamples(store: RowReader, patternId: string, offset: number, limit: number): PatternExamplesPage {
  const p = page(offset, limit);
  const members = `json_each((SELECT member_ids FROM patterns WHERE id = ?)) AS m JOIN interactions i ON i.id = m.value`;
  const [{ total }] = store.query<{ total: number }>(`SELECT COUNT(*) AS total FROM ${members}`, [patternId]);
  const rows = store.query<{ id: string; source: string; started_at: number; request: string; request_length: number;
    response: string; response_length: number; effectiveness: number | null; score_breakdown: string | null }>(
    `SELECT i.id, i.source, i.started_at, substr(i.user_request, 1, ?) AS request, length(i.user_request) AS request_length,
       substr(i.assistant_response, 1, ?) AS response, length(i.assistant_response) AS response_length,
       i.effectiveness, i.score_breakdown
     FROM ${members} ORDER BY i.started_at DESC, i.id DESC LIMIT ? OFFSET ?`,
    [PANEL_LIMITS.exampleRequestChars, PANEL_LIMITS.exampleResponseChars, patternId, p.limit, p.offset]);
  return {
    patternId,
    total,
    offset: p.offset,
    items: rows.map((r) => ({
      id: r.id, source: r.source, startedAt: r.started_at, request: r.request, response: r.response,
      truncated: r.request_length > r.request.length || r.response_length > r.response.length,
      effectiveness: r.effectiveness, breakdown: parseBreakdown(r.score_breakdown) ?? null,
    })),
  };
}

/** The panel's include/exclude switch; says plainly why nothing changed when it could not. */
export async function changePatternInclusion(store: PatternChoiceWriter, patternId: string, included: boolean): Promise<PatternInclusionResult> {
  const changed = await setPatternIncluded(store, patternId, included);
  return changed
    ? { included, changed }
    : { included: !included, changed, message: 'This pattern no longer exists (patterns are recomputed as sessions arrive).' };
}
