// The analysis server's lesson handlers: the panel's Lessons section (list, learn, change, undo), the
// evidence links, and the code action's question "which lessons is this diagnostic about?".
import type { Connection } from 'vscode-languageserver/node';
import {
  DistilLessonRequest, InteractionTextRequest, LessonActionRequest, LessonsForDiagnosticRequest, LessonsRequest, MeasureLessonRequest,
} from '../../protocol/lessonsProtocol';
import { gatewayChat, measureLesson, measureRowText } from '../cli/lessonsMeasure';
import { lessonsForDiagnostic } from '../lessons/diagnosticLessons';
import { sessionSignatures } from '../lessons/correctionExchanges';
import { LessonBook } from '../lessons/lessonBook';
import { modelDistiller } from '../lessons/modelDistillation';
import type { AutodidactStore } from '../store/autodidactStore';
import { applyLessonAction, READ_ONLY, readInteractionText, readLessonsPanel } from './lessonsPanel';

/** As `autodidact lessons measure`'s defaults: answers per held-out request and side, and their length. */
const MEASURE_ROLLOUTS = 2;
const MEASURE_MAX_TOKENS = 96;

export function registerLessonRequests(connection: Connection, store: () => Promise<AutodidactStore>, announceChange: () => void): void {
  // Each learning pass asks the client for a model (the live version, else the editor's chat model);
  // without one, or with an unusable answer, the extractor distils (modelDistillation.ts).
  const distiller = () => modelDistiller(async (prompt) => {
    const { text } = await connection.sendRequest(DistilLessonRequest.type, { prompt });
    if (text === null) throw new Error('no model in the editor');
    return text;
  }, (message) => connection.console.info(`lessons: ${message}`));
  let book: LessonBook | undefined;
  const bookOf = (s: AutodidactStore): LessonBook => (book ??= new LessonBook(s));
  // One learning pass at a time: a second panel refresh waits for the running one.
  let learning: Promise<void> | undefined;
  // The sessions as the last pass saw them: a pass reads only the sessions that changed since (the
  // panel asks on every store change while the section is open, and a store may hold years of answers).
  let seen = new Map<string, string>();
  const learn = (s: AutodidactStore): Promise<void> => (learning ??= (async () => {
    const b = bookOf(s);
    const now = sessionSignatures(s);
    const changedSessions = [...now].filter(([id, signature]) => seen.get(id) !== signature).map(([id]) => id);
    const report = await b.learn(distiller(), changedSessions);
    seen = now;
    const changed = report.created.length + report.merged.length + await b.applyRecallOutcomes() + await b.decay();
    if (changed > 0) announceChange();
  })().finally(() => { learning = undefined; }));

  connection.onRequest(LessonsRequest.type, async ({ learn: shouldLearn }) => {
    const s = await store();
    if (shouldLearn && s.isOwner) await learn(s);
    return readLessonsPanel(s, bookOf(s));
  });
  connection.onRequest(LessonActionRequest.type, async (action) => {
    const s = await store();
    const result = await applyLessonAction(s, bookOf(s), action);
    announceChange();
    return result;
  });
  connection.onRequest(MeasureLessonRequest.type, async ({ id, gatewayUrl, token }) => {
    const s = await store();
    if (!s.isOwner) throw new Error(READ_ONLY);
    const b = bookOf(s);
    const lesson = b.get(id);
    if (!lesson) throw new Error(`no lesson with id ${id}`);
    const row = await measureLesson(s, b, lesson, gatewayChat(gatewayUrl, token, MEASURE_MAX_TOKENS), MEASURE_ROLLOUTS);
    announceChange();
    return { data: readLessonsPanel(s, b), message: row.skipped ? `Not measured: ${row.skipped}.` : `Measured: ${measureRowText(row)}.` };
  });
  connection.onRequest(InteractionTextRequest.type, async ({ id }) => readInteractionText(await store(), id));
  connection.onRequest(LessonsForDiagnosticRequest.type, async ({ diagnostics }) => {
    // Asked on every cursor move over a diagnostic: one read of the (few) lessons for all of them.
    const lessons = bookOf(await store()).list();
    return diagnostics.slice(0, 20).map((query) => lessonsForDiagnostic(query, lessons));
  });
}
