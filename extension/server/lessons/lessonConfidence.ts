// How much a lesson is trusted (seed 002): it starts in the middle, moves toward the effectiveness of
// each interaction it was recalled into, fades while unused, and is retired under a floor.
import type { LessonRecord } from '../../protocol/records';

export const CONFIDENCE = {
  initial: 0.6,
  /** Each confirming correction of the same rule. */
  mergeBonus: 0.1,
  max: 0.95,
  /** Share of the gap to an outcome closed by one recall (an exponential moving average). */
  outcomeRate: 0.3,
  /** Unused for this long, confidence halves. */
  halfLifeDays: 30,
  floor: 0.25,
} as const;

const DAY_MS = 24 * 3600 * 1000;

/** The confidence after the time since the lesson was last used or last decayed. */
export function decayed(lesson: LessonRecord, now: number): number {
  const since = Math.max(lesson.lastUsedAt, lesson.decayedAt ?? 0);
  const days = Math.max(0, now - since) / DAY_MS;
  return lesson.confidence * 0.5 ** (days / CONFIDENCE.halfLifeDays);
}

/**
 * Where a lesson stands. Issue 13: a lesson becomes active only when its advantage is positive beyond
 * noise, so a new, unmeasured lesson is `pending` (shown, never recalled or exported) until it is
 * measured or the user approves it. A measurement without an advantage beyond noise retires it
 * (lessonBook.setAdvantage), so a measured lesson that is not retired had one.
 */
export type LessonStatus = 'active' | 'pending' | 'retired' | 'disabled';

export function lessonStatus(lesson: LessonRecord): LessonStatus {
  if (lesson.disabled) return 'disabled';
  if (lesson.retired) return 'retired';
  return lesson.approved === true || lesson.advantage !== null ? 'active' : 'pending';
}

/** Recalled into requests, exported, offered as a fix: approved or measured, not retired, not disabled. */
export function isActive(lesson: LessonRecord): boolean {
  return lessonStatus(lesson) === 'active';
}
