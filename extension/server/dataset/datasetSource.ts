// Reads what the dataset is built from: scored interactions in session order, and which pattern
// (included or excluded by the user) each belongs to.
import { jsonList } from '../scoring/dbRows';
import type { RowReader } from '../store/statsQuery';

export interface SourceInteraction {
  id: string;
  sessionId: string;
  startedAt: number;
  request: string;
  response: string;
  files: string[];
  effectiveness: number;
  category: string;
  patternId?: string;
  /** False when the user excluded its pattern from training. */
  included: boolean;
}

export interface DatasetSource {
  /** Sessions in start order, each with its interactions in order. */
  sessions: SourceInteraction[][];
}

export function readDatasetSource(store: RowReader): DatasetSource {
  const membership = new Map<string, { patternId: string; included: boolean }>();
  for (const p of store.query<{ id: string; member_ids: string; included: number }>('SELECT id, member_ids, included FROM patterns ORDER BY id')) {
    for (const member of jsonList(p.member_ids)) membership.set(member, { patternId: p.id, included: p.included !== 0 });
  }
  const rows = store.query<{ id: string; session_id: string; started_at: number; user_request: string; assistant_response: string;
    files_modified: string; effectiveness: number; category: string | null }>(
    `SELECT id, session_id, started_at, user_request, assistant_response, files_modified, effectiveness, category
     FROM interactions i WHERE effectiveness IS NOT NULL
       -- a prompt the main agent wrote for a subagent is not the user's request: never a training pair
       AND NOT EXISTS (SELECT 1 FROM outcome_events o WHERE o.interaction_id = i.id AND o.kind = 'delegated_request')
     ORDER BY session_id, started_at, id`);
  const sessions = new Map<string, SourceInteraction[]>();
  for (const r of rows) {
    const member = membership.get(r.id);
    const interaction: SourceInteraction = {
      id: r.id, sessionId: r.session_id, startedAt: r.started_at, request: r.user_request, response: r.assistant_response,
      files: jsonList(r.files_modified), effectiveness: r.effectiveness, category: r.category ?? 'General',
      patternId: member?.patternId, included: member?.included ?? true,
    };
    const list = sessions.get(r.session_id) ?? [];
    list.push(interaction);
    sessions.set(r.session_id, list);
  }
  return { sessions: [...sessions.values()].sort((a, b) => a[0].startedAt - b[0].startedAt || a[0].sessionId.localeCompare(b[0].sessionId)) };
}
