// The analysis server's side of the panel's Lessons section: rows for each lesson (status, measured
// advantage, recalls, evidence named by its request), the user's changes as LessonBook calls (each a
// journaled lesson event, undoable), and the full text of an evidence interaction.
import type {
  InteractionText, LessonAction, LessonActionResult, LessonEvidence, LessonRow, LessonsPanelData,
} from '../../protocol/lessonsProtocol';
import type { LessonRecord } from '../../protocol/records';
import type { LessonBook } from '../lessons/lessonBook';
import { lessonStatus } from '../lessons/lessonConfidence';
import type { AutodidactStore } from '../store/autodidactStore';

const EVIDENCE_REQUEST_CHARS = 90;
export const READ_ONLY = 'Another window owns the Autodidact store: lessons can be changed there.';

function evidenceOf(store: AutodidactStore, ids: readonly string[]): LessonEvidence[] {
  if (ids.length === 0) return [];
  const rows = store.query<{ id: string; user_request: string; source: string; started_at: number }>(
    `SELECT id, user_request, source, started_at FROM interactions WHERE id IN (${ids.map(() => '?').join(',')})`, [...ids]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const request = r.user_request.replace(/\s+/g, ' ').trim();
    return [{ id, source: r.source, startedAt: r.started_at,
      request: request.length <= EVIDENCE_REQUEST_CHARS ? request : `${request.slice(0, EVIDENCE_REQUEST_CHARS - 1)}…` }];
  });
}

export function lessonRow(store: AutodidactStore, l: LessonRecord): LessonRow {
  return {
    id: l.id, text: l.text, trigger: l.trigger, tags: l.tags, confidence: l.confidence, advantage: l.advantage, samples: l.samples,
    recalls: l.recalls, status: lessonStatus(l), approved: l.approved === true, evidence: evidenceOf(store, l.evidence),
    ...(l.example ? { example: l.example } : {}),
  };
}

const CHANGE_WORDS: Record<string, string> = {
  created: 'the new lesson', merged: 'the merge into', confidence: 'the confidence change of', advantage: 'the measurement of',
  retired: 'the retirement of', edited: 'the edit of', approved: 'the approval of', disabled: 'disabling', enabled: 'enabling', deleted: 'deleting',
};

/** "deleting “Use httpx…”": what Undo would take back, for its button's title. */
function undoableText(book: LessonBook): string | null {
  const last = book.lastUndoable();
  if (!last) return null;
  const lesson = JSON.parse(last.after ?? last.before ?? 'null') as LessonRecord | null;
  const text = lesson ? ` “${lesson.text.length > 48 ? `${lesson.text.slice(0, 47)}…` : lesson.text}”` : '';
  return `${CHANGE_WORDS[last.kind] ?? last.kind}${text}`;
}

export function readLessonsPanel(store: AutodidactStore, book: LessonBook): LessonsPanelData {
  // Active first, then pending (waiting for the user), then the rest; most trusted first within each.
  const order = { active: 0, pending: 1, disabled: 2, retired: 3 } as const;
  const lessons = book.list().map((l) => lessonRow(store, l))
    .sort((a, b) => order[a.status] - order[b.status] || b.confidence - a.confidence || a.id.localeCompare(b.id));
  return { lessons, undoable: undoableText(book), ...(store.isOwner ? {} : { readOnly: READ_ONLY }) };
}

/** Applies one change from the panel; the answer carries the lessons as they are now and what happened, in words. */
export async function applyLessonAction(store: AutodidactStore, book: LessonBook, action: LessonAction): Promise<LessonActionResult> {
  if (!store.isOwner) throw new Error(READ_ONLY);
  let message: string;
  switch (action.kind) {
    case 'approve': await book.approve(action.id); message = 'Approved: the lesson is active (recalled and exported).'; break;
    case 'disable': await book.setDisabled(action.id, true); message = 'Disabled: the lesson is no longer recalled.'; break;
    case 'enable': await book.setDisabled(action.id, false); message = 'Enabled.'; break;
    case 'delete': await book.delete(action.id); message = 'Deleted. Undo brings it back.'; break;
    case 'edit': await book.edit(action.id, action.text); message = 'Saved.'; break;
    case 'undo': {
      const undone = await book.undo();
      message = undone ? `Undid ${undone.reason?.replace(/^undo /, '') ?? 'the last change'}.` : 'Nothing to undo.';
      break;
    }
    default: throw new Error(`unknown lesson action ${(action as { kind: string }).kind}`);
  }
  return { data: readLessonsPanel(store, book), message };
}

export function readInteractionText(store: AutodidactStore, id: string): InteractionText | null {
  const [row] = store.query<{ id: string; source: string; started_at: number; user_request: string; assistant_response: string; effectiveness: number | null }>(
    'SELECT id, source, started_at, user_request, assistant_response, effectiveness FROM interactions WHERE id = ?', [id]);
  return row ? { id: row.id, source: row.source, startedAt: row.started_at, request: row.user_request, response: row.assistant_response, effectiveness: row.effectiveness } : null;
}
