// The lessons bench, as a function (the unit test runs a small version): sessions with corrections of
// five kinds are imported through the Aider importer into a real store; lessons are learned; they are
// handed to a real trainer-server through its home's lessons.json; held-out same-kind requests and
// unrelated requests go through the gateway on loopback, and its x-autodidact-lessons header says what
// was recalled. With `advantage`, each lesson's advantage is measured on the held-out requests (with
// vs without the lesson, recall off) with that kind's compliance check.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runImport } from '../../../extension/server/importService';
import { answerCode, measureAdvantage, type AdvantageResult, type ChatMessage } from '../../../extension/server/lessons/lessonAdvantage';
import { LessonBook } from '../../../extension/server/lessons/lessonBook';
import { recallLessons } from '../../../extension/server/lessons/lessonRecall';
import { writeLessonsFile } from '../../../extension/server/lessons/lessonsFile';
import { AutodidactStore } from '../../../extension/server/store/autodidactStore';
import { TrainerServer } from '../../../trainer-server/src/trainerServer';
import { KINDS, UNRELATED, allSessions, writeAiderSessions } from './correctionSessions';

export interface LessonsBenchOptions {
  baseModel: string;
  python: string;
  engineDir: string;
  env: NodeJS.ProcessEnv;
  advantage: boolean;
  rollouts: number;
  maxTokens: number;
  /** Sampling temperature of the advantage answers (0.7 unless given; 0 is greedy: one answer per request and side). */
  temperature?: number;
  /** Told each line of progress (the advantage on a CPU takes minutes per lesson). */
  progress?: (line: string) => void;
}

export interface LessonsBenchResult {
  expected: number;
  found: number;
  lessons: Array<{ kind: string; id?: string; text?: string; advantage?: AdvantageResult }>;
  heldOut: number;
  recalledRight: number;
  recalledTotal: number;
  recalledWrong: number;
  recallPrecision: number;
  recallHitRate: number;
  unrelated: number;
  falseRecalls: number;
  falseRecallRate: number;
  /** Median time to read the lessons and pick them for one request, in-process (ms). */
  recallMedianMs: number;
  /** Median gateway wall time with recall minus with recall off, 1-token answers (ms). */
  gatewayAddedMedianMs: number;
}

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : 0; };

export async function runLessonsBench(options: LessonsBenchOptions): Promise<LessonsBenchResult> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-lessons-bench-'));
  const store = await AutodidactStore.open(path.join(root, 'store'));
  let server: TrainerServer | undefined;
  try {
    await runImport(store, { paths: writeAiderSessions(path.join(root, 'projects'), allSessions()), format: 'aider' });
    const book = new LessonBook(store);
    await book.learn();
    // New lessons are pending until measured; recall is measured here as if the user had approved them.
    for (const lesson of book.list()) await book.approve(lesson.id);
    const lessons = book.list();
    const byKind = KINDS.map((kind) => ({ kind, lesson: lessons.find((l) => kind.expectWords.every((w) => l.text.toLowerCase().includes(w))) }));
    const home = path.join(root, 'trainer-home');
    writeLessonsFile(home, lessons);

    server = await TrainerServer.start({ host: '127.0.0.1', port: 0, homeDir: home, baseModel: options.baseModel, python: options.python, engineDir: options.engineDir, engineThreads: 2, env: options.env, log: () => undefined });
    const chat = async (messages: ChatMessage[], extra: Record<string, unknown>, headers: Record<string, string> = {}) => {
      const started = performance.now();
      const res = await fetch(`${server!.httpUrl}/v1/chat/completions`, {
        method: 'POST', headers: { authorization: `Bearer ${server!.token}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ model: 'autodidact', messages, ...extra }),
      });
      if (res.status !== 200) throw new Error(`gateway answered ${res.status}: ${await res.text()}`);
      const body = await res.json() as { choices: Array<{ message: { content: string } }> };
      return { text: body.choices[0].message.content, lessons: (res.headers.get('x-autodidact-lessons') ?? '').split(',').filter(Boolean), ms: performance.now() - started };
    };
    await chat([{ role: 'user', content: 'hello' }], { max_tokens: 1 }); // the engine is loaded before anything is timed

    let recalledRight = 0; let recalledTotal = 0; let recalledWrong = 0; let heldOut = 0;
    const added: number[] = [];
    for (const { kind, lesson } of byKind) {
      for (const request of kind.heldOut) {
        heldOut++;
        const off = await chat([{ role: 'user', content: request }], { max_tokens: 1, temperature: 0 }, { 'x-autodidact-recall': 'off' });
        const on = await chat([{ role: 'user', content: request }], { max_tokens: 1, temperature: 0 });
        added.push(on.ms - off.ms);
        recalledTotal += on.lessons.length;
        if (lesson && on.lessons.includes(lesson.id)) recalledRight++;
        recalledWrong += on.lessons.filter((id) => id !== lesson?.id).length;
      }
    }
    let falseRecalls = 0;
    for (const request of UNRELATED) if ((await chat([{ role: 'user', content: request }], { max_tokens: 1, temperature: 0 })).lessons.length > 0) falseRecalls++;
    const recallTimes: number[] = [];
    for (const request of [...KINDS.flatMap((k) => k.heldOut), ...UNRELATED]) {
      const started = performance.now();
      const pushed = JSON.parse(fs.readFileSync(path.join(home, 'lessons.json'), 'utf8')).lessons;
      recallLessons(request, pushed);
      recallTimes.push(performance.now() - started);
    }

    options.progress?.(`recall: ${recalledRight}/${heldOut} held-out right, ${recalledTotal} recalled in all, ${falseRecalls}/${UNRELATED.length} false`);
    const rows: LessonsBenchResult['lessons'] = [];
    for (const { kind, lesson } of byKind) {
      const row: LessonsBenchResult['lessons'][number] = { kind: kind.name, id: lesson?.id, text: lesson?.text };
      if (lesson && options.advantage) {
        let seed = 1;
        const generate = async (messages: ChatMessage[]) => (await chat(messages, { max_tokens: options.maxTokens, temperature: options.temperature ?? 0.7, seed: seed++ }, { 'x-autodidact-recall': 'measure' })).text;
        row.advantage = await measureAdvantage(lesson, kind.heldOut, generate, (answer) => kind.complies(answerCode(answer)), options.rollouts);
        await book.setAdvantage(lesson.id, row.advantage.advantage, row.advantage.samples, row.advantage.beyondNoise);
        options.progress?.(`${kind.name}: advantage ${row.advantage.advantage.toFixed(2)} (with ${row.advantage.withRate.toFixed(2)}, without ${row.advantage.withoutRate.toFixed(2)}, n=${row.advantage.samples})`);
      }
      rows.push(row);
    }
    const found = byKind.filter((k) => k.lesson).length;
    return {
      expected: KINDS.length, found, lessons: rows, heldOut, recalledRight, recalledTotal, recalledWrong,
      recallPrecision: recalledTotal ? recalledRight / recalledTotal : 0, recallHitRate: recalledRight / heldOut,
      unrelated: UNRELATED.length, falseRecalls, falseRecallRate: falseRecalls / UNRELATED.length,
      recallMedianMs: median(recallTimes), gatewayAddedMedianMs: median(added),
    };
  } finally {
    await server?.stop();
    await store.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
