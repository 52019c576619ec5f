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
    const row: MeasureRow = { id: lesson.id, text: lesson.text, heldOut: 0 };
    const check = lessonCompliance(lesson);
    const heldOut = heldOutRequests(store, lesson);
    row.heldOut = heldOut.length;
    if (!check) row.skipped = 'the lesson names nothing an answer can be checked against';
    else if (heldOut.length === 0) row.skipped = 'no other request of its kind in the store yet';
    else if ((lesson.retired || lesson.disabled) && !id) row.skipped = lesson.disabled ? 'disabled' : 'retired';
    if (row.skipped) { rows.push(row); continue; }
    const result = await measureAdvantage(lesson, heldOut, generate, check!, rollouts);
    await book.setAdvantage(lesson.id, result.advantage, result.samples, result.beyondNoise);
    rows.push({ ...row, advantage: result.advantage, samples: result.samples, beyondNoise: result.beyondNoise });
  }
  return rows;
}
