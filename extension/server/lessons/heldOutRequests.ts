// Held-out requests of a lesson's kind for measuring its advantage: requests in the store that recall
// would give this lesson, minus the ones it was learned from (seed 003: transfer to a different
// question of the same type, never the question itself).
import type { LessonRecord } from '../../protocol/records';
import type { AutodidactStore } from '../store/autodidactStore';
import { recallLessons } from './lessonRecall';

export function heldOutRequests(store: AutodidactStore, lesson: LessonRecord, limit = 4): string[] {
  const evidence = new Set(lesson.evidence);
  const seen = new Set<string>();
  const out: Array<{ request: string; score: number }> = [];
  for (const row of store.query<{ id: string; user_request: string }>('SELECT id, user_request FROM interactions ORDER BY started_at DESC LIMIT 5000')) {
    const request = row.user_request.trim();
    if (evidence.has(row.id) || seen.has(request) || request.length > 2000) continue;
    seen.add(request);
    const [hit] = recallLessons(request, [lesson], { limit: 1 });
    if (hit) out.push({ request, score: hit.score });
  }
  return out.sort((a, b) => b.score - a.score).slice(0, limit).map((r) => r.request);
}
