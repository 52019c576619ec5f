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

/** Recalled into requests: not retired (by the floor or a measured lack of advantage) and not disabled by the user. */
export function isActive(lesson: LessonRecord): boolean {
  return !lesson.retired && !lesson.disabled;
}
