// Recall examples in the training set (issue 13, seed 003's SFT phase): correction sessions and later
// requests of the same kinds are imported through the real Aider importer into a store on disk; once a
// lesson is active, the training examples whose request matches it open their answer with
// `<recall>` lesson `</recall>`, the others (no recall needed) stay as they were, an answer that breaks
// the lesson never gets the block, and pending lessons add nothing.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { buildTrainingSet } from '../../extension/server/dataset/buildTrainingSet';
import { recallBlock, withRecall } from '../../extension/server/dataset/recallExamples';
import { runImport } from '../../extension/server/importService';
import { LessonBook } from '../../extension/server/lessons/lessonBook';
import { registerAnalysis } from '../../extension/server/scoring/registerAnalysis';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { KINDS, UNRELATED, allSessions, writeAiderSessions } from '../bench/lessons/correctionSessions';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-lessons-recall-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const fence = (lang: string, code: string): string => `\`\`\`${lang}\n${code}\n\`\`\``;

describe('recall examples in the training set', () => {
  test('matching requests answer with the lesson recalled first; unrelated ones and lesson-breaking ones do not', async () => {
    const moment = KINDS.find((k) => k.name === 'moment')!;
    const later = [
      // Same kind, answered the way the lesson says.
      [{ request: moment.heldOut[0], answer: fence('ts', "import dayjs from 'dayjs';\n\nexport const shown = (ts: number) => dayjs(ts).format('D MMM YYYY');") }],
      // Same kind, answered against the lesson: no recall block may precede it.
      [{ request: moment.heldOut[1], answer: fence('ts', "import moment from 'moment';\n\nexport const shown = (ts: number) => moment(ts).format('D MMM YYYY HH:00');") }],
      // Unrelated requests: examples where no recall is needed.
      ...UNRELATED.slice(2, 5).map((request) => [{ request, answer: fence('python', 'def answer():\n    return 42') }]),
    ];
    const files = writeAiderSessions(path.join(root, 'projects'), [...allSessions(), ...later]);
    const store = await AutodidactStore.open(path.join(root, 'store'), { persistDelayMs: 10 });
    try {
      await runImport(store, { paths: files, format: 'aider' });
      await registerAnalysis(store, { embeddings: false }).settle();
      const book = new LessonBook(store);
      await book.learn();
      const options = { minEffectiveness: 0, evalFraction: 0 };

      const pending = await buildTrainingSet(store, options);
      assert.ok(pending.train.length >= 8, `${pending.train.length} examples`);
      assert.equal(pending.stats.recall.withRecall, 0, 'pending lessons are not recalled into training examples');
      assert.ok(pending.train.every((e) => !e.messages.some((m) => m.content.includes('<recall>'))));

      const lesson = book.list().find((l) => l.text.includes('dayjs'))!;
      await book.approve(lesson.id);
      const set = await buildTrainingSet(store, options);
      const answerTo = (request: string) => set.train.filter((e) => e.messages.some((m) => m.role === 'user' && m.content === request)).map((e) => e.messages.at(-1)!.content);

      const followed = answerTo(moment.heldOut[0]);
      assert.equal(followed.length, 1);
      assert.ok(followed[0].startsWith(`${recallBlock([lesson])}\`\`\`ts\nimport dayjs`), followed[0]);
      assert.equal(recallBlock([lesson]), `<recall>\n- ${lesson.text}\n</recall>\n`);
      assert.ok(!answerTo(moment.heldOut[1])[0].includes('<recall>'), 'an answer that breaks the lesson is not taught to recall it');
      for (const request of UNRELATED.slice(2, 5)) {
        const [answer] = answerTo(request);
        assert.ok(answer && !answer.includes('<recall>'), `no recall needed for "${request}"`);
      }
      const recalled = set.train.filter((e) => e.recalled);
      assert.equal(set.stats.recall.withRecall, recalled.length);
      assert.ok(recalled.every((e) => e.recalled!.every((id) => id === lesson.id)), 'only the active lesson is recalled');
      assert.ok(set.stats.recall.brokeLesson >= 1);
      assert.equal(set.stats.recall.withRecall + set.stats.recall.withoutRecall, set.train.length);
      assert.notEqual(set.sha256, pending.sha256, 'the round sends (and the manifest names) the set with recall');
      assert.equal((await buildTrainingSet(store, { ...options, recall: false })).sha256, pending.sha256, 'recall: false builds the set without it');
      // An answer that already opens with a recall block (the live version recalling by itself) gets no second one.
      const again = withRecall(set.train, [book.get(lesson.id)!]);
      assert.deepEqual(again.examples.map((e) => e.messages), set.train.map((e) => e.messages));
    } finally {
      await store.close();
    }
  });
});
