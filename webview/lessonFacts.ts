// What the Lessons section says about one lesson, in words (pure, so tests pin it): its status, how
// much it is trusted, its measured advantage with the sample size, and how often it was recalled.
import type { LessonRow, LessonStatusName } from '../extension/protocol/lessonsProtocol';

export const STATUS_TEXT: Record<LessonStatusName, { label: string; title: string }> = {
  active: { label: 'active', title: 'Recalled into related requests, exported to rules files and offered as a fix' },
  pending: { label: 'pending', title: 'Not measured yet: shown, never recalled. Approve it, or Measure it with the live model (also `autodidact lessons measure`)' },
  retired: { label: 'retired', title: 'Kept but not recalled: no advantage beyond noise, or its confidence fell under the floor' },
  disabled: { label: 'disabled', title: 'Turned off by you' },
};

export interface LessonFacts { confidence: string; advantage: string; recalls: string }

export function lessonFacts(row: Pick<LessonRow, 'confidence' | 'advantage' | 'samples' | 'recalls'>): LessonFacts {
  const advantage = row.advantage === null
    ? 'advantage not measured'
    : `advantage ${row.advantage >= 0 ? '+' : '−'}${Math.abs(row.advantage).toFixed(2)} (n=${row.samples})`;
  return {
    confidence: `confidence ${Math.round(row.confidence * 100)}%`,
    advantage,
    recalls: row.recalls === 0 ? 'never recalled' : `recalled ${row.recalls}×`,
  };
}

/** Which buttons a lesson gets: Approve where it is not active, Measure where it is in play, Disable or Enable, always Edit and Delete. */
export function lessonButtons(row: Pick<LessonRow, 'status'>): Array<'approve' | 'measure' | 'edit' | 'disable' | 'enable' | 'delete'> {
  return [
    ...(row.status === 'pending' || row.status === 'retired' ? ['approve' as const] : []),
    ...(row.status === 'pending' || row.status === 'active' ? ['measure' as const] : []),
    'edit' as const,
    row.status === 'disabled' ? 'enable' as const : 'disable' as const,
    'delete' as const,
  ];
}

/** "Use `dayjs`, not `moment`." as plain and code parts, so names show as code (never as markup). */
export function codeParts(text: string): Array<{ code: boolean; text: string }> {
  return text.split(/(`[^`\n]+`)/).filter(Boolean).map((part) => (/^`[^`]+`$/.test(part) ? { code: true, text: part.slice(1, -1) } : { code: false, text: part }));
}
