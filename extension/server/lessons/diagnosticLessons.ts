// Which active lessons a diagnostic in the editor is about, for the code action that offers the
// learned fix. A lesson matches when the flagged text or the diagnostic's message contains the name
// the lesson says to avoid (then the fix is a concrete swap), or when the diagnostic's words match its
// trigger the way a request would recall it (then the action shows the lesson).
import type { DiagnosticLesson, DiagnosticQuery } from '../../protocol/lessonsProtocol';
import { lessonSwap, swapOffsets } from '../../protocol/lessonSwap';
import type { LessonRecord } from '../../protocol/records';
import { isActive } from './lessonConfidence';
import { recallLessons } from './lessonRecall';

const MAX_PER_DIAGNOSTIC = 2;

export function lessonsForDiagnostic(query: DiagnosticQuery, lessons: readonly LessonRecord[]): DiagnosticLesson[] {
  const active = lessons.filter(isActive);
  const found = new Map<string, DiagnosticLesson>();
  for (const lesson of active) {
    const swap = lessonSwap(lesson.text);
    if (!swap) continue;
    if (swapOffsets(query.flagged, swap.from).length > 0) found.set(lesson.id, { id: lesson.id, text: lesson.text, score: 1, replace: swap });
    else if (swapOffsets(query.message, swap.from).length > 0) found.set(lesson.id, { id: lesson.id, text: lesson.text, score: 0.9 });
  }
  const file = query.file.split(/[\\/]/).pop() ?? '';
  const words = [query.message, query.code ?? '', query.flagged, file].join(' ');
  for (const { lesson, score } of recallLessons(words, active)) {
    if (!found.has(lesson.id)) found.set(lesson.id, { id: lesson.id, text: lesson.text, score: Math.round(score * 1000) / 1000 });
  }
  return [...found.values()].sort((a, b) => b.score - a.score).slice(0, MAX_PER_DIAGNOSTIC);
}
