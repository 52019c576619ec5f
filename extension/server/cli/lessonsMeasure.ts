// `autodidact lessons measure [ID] [--trainer URL] [--rollouts N]`: each pending or active lesson's advantage
// through the gateway (recall off; the lesson put in context by hand for the "with" side), on
// held-out requests of its kind from the store, scored by the check the lesson's own words give.
// The advantage and sample size are stored (journaled); a lesson without one beyond noise retires.
import type { LessonRecord } from '../../protocol/records';
import { lessonCompliance, measureAdvantage, type ChatMessage } from '../lessons/lessonAdvantage';
import type { LessonBook } from '../lessons/lessonBook';
import { heldOutRequests } from '../lessons/heldOutRequests';
import type { AutodidactStore } from '../store/autodidactStore';
import type { CliArgs } from './cliArgs';
import { trainerTokenOf, trainerUrlOf } from './trainerConnection';

export interface MeasureRow { id: string; text: string; heldOut: number; advantage?: number; samples?: number; beyondNoise?: boolean; skipped?: string }

export function gatewayChat(trainerUrl: string, token: string, maxTokens: number): (messages: ChatMessage[]) => Promise<string> {
  const endpoint = `${new URL(trainerUrl.replace(/^ws(s?):/, 'http$1:')).origin}/v1/chat/completions`;
  let seed = 1;
  return async (messages) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-autodidact-recall': 'measure' },
      body: JSON.stringify({ model: 'autodidact', messages, max_tokens: maxTokens, temperature: 0.7, seed: seed++ }),
    });
    const body = await response.json() as { choices?: Array<{ message?: { content?: string } }>; error?: { message?: string } };
    if (!response.ok) throw new Error(`gateway ${response.status}: ${body.error?.message ?? 'no message'}`);
    return body.choices?.[0]?.message?.content ?? '';
  };
}

export async function measureLessons(store: AutodidactStore, book: LessonBook, args: CliArgs): Promise<MeasureRow[]> {
  const id = args.positional[1];
  const rollouts = Number(args.flags.rollouts ?? 2);
  if (!(Number.isInteger(rollouts) && rollouts > 0 && rollouts <= 16)) throw new Error(`--rollouts needs a whole number from 1 to 16 (got ${String(args.flags.rollouts)})`);
  const url = trainerUrlOf(args);
  const generate = gatewayChat(url, trainerTokenOf(args, url), Number(args.flags['max-tokens'] ?? 96));
  // Without an id: every lesson still in play, pending ones included (measuring is how they become active).
  const lessons: LessonRecord[] = id ? book.list().filter((l) => l.id === id || (id.length >= 8 && l.id.startsWith(id))) : book.list().filter((l) => !l.retired && !l.disabled);
  if (id && lessons.length === 0) throw new Error(`no lesson with id ${id}`);
  const rows: MeasureRow[] = [];
  for (const lesson of lessons) {
    if ((lesson.retired || lesson.disabled) && !id) rows.push({ id: lesson.id, text: lesson.text, heldOut: heldOutRequests(store, lesson).length, skipped: lesson.disabled ? 'disabled' : 'retired' });
    else rows.push(await measureLesson(store, book, lesson, generate, rollouts));
  }
  return rows;
}

/** One lesson's advantage on held-out requests of its kind, stored (journaled) with its sample size; or why it cannot be measured. */
export async function measureLesson(store: AutodidactStore, book: LessonBook, lesson: LessonRecord, generate: (messages: ChatMessage[]) => Promise<string>, rollouts: number): Promise<MeasureRow> {
  const row: MeasureRow = { id: lesson.id, text: lesson.text, heldOut: 0 };
  const check = lessonCompliance(lesson);
  const heldOut = heldOutRequests(store, lesson);
  row.heldOut = heldOut.length;
  if (!check) return { ...row, skipped: 'the lesson names nothing an answer can be checked against' };
  if (heldOut.length === 0) return { ...row, skipped: 'no other request of its kind in the store yet' };
  const result = await measureAdvantage(lesson, heldOut, generate, check, rollouts);
  await book.setAdvantage(lesson.id, result.advantage, result.samples, result.beyondNoise);
  return { ...row, advantage: result.advantage, samples: result.samples, beyondNoise: result.beyondNoise };
}

/** The row in words, as the CLI prints it and the panel says it. */
export function measureRowText(r: MeasureRow): string {
  return r.skipped
    ? `not measured: ${r.skipped}`
    : `advantage ${r.advantage! >= 0 ? '+' : ''}${r.advantage!.toFixed(2)} over ${r.samples} answer(s) per side on ${r.heldOut} held-out request(s): ${r.beyondNoise ? 'beyond noise (active)' : 'not beyond noise (retired)'}`;
}
