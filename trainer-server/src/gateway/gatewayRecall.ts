// Recall in the gateway: the few active lessons relevant to the request's last user message are put
// in its context as a system message (seed 003's `<recall>` block), and their ids travel with the
// captured interaction and in the `x-autodidact-lessons` response header. `x-autodidact-recall: off`
// gets the model without any recall; `measure` also keeps the exchange out of the capture (samples
// of a lesson's advantage measurement are not the user's work).
import { recallLessons, type RecallableLesson } from '../../../extension/server/lessons/lessonRecall';
import type { ChatRequest } from './chatRequest';

/** The messages the model sees: the recall block in the system message, each lesson's worked example as an earlier exchange. */
export { messagesWithRecall } from '../../../extension/server/lessons/lessonRecall';

export interface LessonSource { lessons(): RecallableLesson[] }

export const RECALL_HEADER = 'x-autodidact-lessons';
export const RECALL_OFF_HEADER = 'x-autodidact-recall';

export function recallFor(request: ChatRequest, source: LessonSource | undefined): RecallableLesson[] {
  if (!source) return [];
  const lastUser = [...request.messages].reverse().find((m) => m.role === 'user');
  if (!lastUser) return [];
  return recallLessons(lastUser.content, source.lessons()).map((r) => r.lesson);
}
