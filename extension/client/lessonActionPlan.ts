// What the lesson code action offers for a diagnostic, decided without the editor API so tests pin
// it: a lesson that names a concrete swap found in the flagged text becomes an edit (every whole-name
// occurrence in the flagged range); any other matching lesson is shown. One action per lesson and diagnostic.
import type { DiagnosticLesson } from '../protocol/lessonsProtocol';
import { swapOffsets } from '../protocol/lessonSwap';

export interface LessonActionPlan {
  title: string;
  lessonId: string;
  lessonText: string;
  diagnosticIndex: number;
  /** Offsets within the flagged text, with what replaces them; absent: the action shows the lesson. */
  edits?: Array<{ start: number; end: number; text: string }>;
}

const MAX_TITLE_TEXT = 70;
const shortText = (text: string): string => (text.length <= MAX_TITLE_TEXT ? text : `${text.slice(0, MAX_TITLE_TEXT - 1)}…`);

export function lessonActionPlans(flagged: readonly string[], answers: readonly DiagnosticLesson[][]): LessonActionPlan[] {
  const plans: LessonActionPlan[] = [];
  const seen = new Set<string>();
  answers.forEach((lessons, diagnosticIndex) => {
    for (const lesson of lessons) {
      const offsets = lesson.replace ? swapOffsets(flagged[diagnosticIndex] ?? '', lesson.replace.from) : [];
      const key = `${lesson.id}|${offsets.length > 0 ? diagnosticIndex : 'show'}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (lesson.replace && offsets.length > 0) {
        plans.push({
          title: `Apply lesson: use ${lesson.replace.to} instead of ${lesson.replace.from}`, lessonId: lesson.id, lessonText: lesson.text, diagnosticIndex,
          edits: offsets.map(({ start, end }) => ({ start, end, text: lesson.replace!.to })),
        });
      } else {
        plans.push({ title: `Show lesson: ${shortText(lesson.text)}`, lessonId: lesson.id, lessonText: lesson.text, diagnosticIndex });
      }
    }
  });
  return plans;
}
