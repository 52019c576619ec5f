// "Delete Session..." and "Delete All Data": the deletion is a journaled event (so a replay of the
// journal cannot bring the rows back); the store owner, whichever window that is, then vacuums and
// writes the database twice and removes the journal segments and damaged copies, so that no file in
// the store folder still holds the deleted text. Success is reported only after that.
import type { DeletionResult, SessionSummary } from '../protocol/analysisProtocol';
import type { DeleteTarget } from '../protocol/records';
import type { AutodidactStore } from './store/autodidactStore';

interface SessionRow { id: string; source: string; title: string | null; started_at: number; interactions: number }

export function listSessions(store: AutodidactStore, limit = 500): SessionSummary[] {
  const rows = store.query<SessionRow>(`
    SELECT g.id AS id, COALESCE(s.source, g.source) AS source,
      COALESCE(s.title, (SELECT substr(user_request, 1, 100) FROM interactions i
        WHERE i.session_id = g.id ORDER BY i.started_at LIMIT 1)) AS title,
      COALESCE(s.started_at, g.started) AS started_at, g.n AS interactions
    FROM (SELECT session_id AS id, MIN(source) AS source, MIN(started_at) AS started, COUNT(*) AS n
          FROM interactions GROUP BY session_id) g
    LEFT JOIN sessions s ON s.id = g.id
    UNION ALL
    SELECT id, source, title, started_at, 0 FROM sessions
      WHERE id NOT IN (SELECT session_id FROM interactions)
    ORDER BY started_at DESC LIMIT ?`, [limit]);
  return rows.map((r) => ({ id: r.id, source: r.source, title: r.title, startedAt: r.started_at, interactions: r.interactions }));
}

export async function deleteSessions(store: AutodidactStore, sessionIds: readonly string[]): Promise<DeletionResult> {
  const result = emptyResult();
  for (const sessionId of sessionIds) add(result, countSession(store, sessionId));
  await deleteAndScrub(store, sessionIds.map((sessionId) => ({ sessionId })));
  return result;
}

export async function deleteAllData(store: AutodidactStore): Promise<DeletionResult> {
  const [row] = store.query<DeletionResult>(`SELECT
    (SELECT COUNT(*) FROM (SELECT id FROM sessions UNION SELECT session_id FROM interactions)) AS sessions,
    (SELECT COUNT(*) FROM interactions) AS interactions, (SELECT COUNT(*) FROM outcome_events) AS outcomes,
    (SELECT COUNT(*) FROM files_touched) AS fileTouches`);
  await deleteAndScrub(store, [{ all: true }]);
  return { ...row };
}

async function deleteAndScrub(store: AutodidactStore, targets: DeleteTarget[]): Promise<void> {
  // Any window can ask; the store owner completes it (see AutodidactStore.deleteAndScrub).
  await store.deleteAndScrub(targets);
}

function countSession(store: AutodidactStore, sessionId: string): DeletionResult {
  const [row] = store.query<DeletionResult>(`SELECT
    (SELECT COUNT(*) FROM (SELECT id FROM sessions WHERE id = ? UNION SELECT session_id FROM interactions WHERE session_id = ?)) AS sessions,
    (SELECT COUNT(*) FROM interactions WHERE session_id = ?) AS interactions,
    (SELECT COUNT(*) FROM outcome_events WHERE session_id = ?
      OR interaction_id IN (SELECT id FROM interactions WHERE session_id = ?)) AS outcomes,
    (SELECT COUNT(*) FROM files_touched WHERE interaction_id IN (SELECT id FROM interactions WHERE session_id = ?)) AS fileTouches`,
  Array(6).fill(sessionId));
  return { ...row };
}

function emptyResult(): DeletionResult {
  return { sessions: 0, interactions: 0, outcomes: 0, fileTouches: 0 };
}

function add(total: DeletionResult, part: DeletionResult): void {
  total.sessions += part.sessions;
  total.interactions += part.interactions;
  total.outcomes += part.outcomes;
  total.fileTouches += part.fileTouches;
}
