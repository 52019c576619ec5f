// Lessons from corrections (issue 13, seeds 002/003): sessions with corrections of several kinds are
// imported through the real Aider importer into a real store on disk; lessons are distilled, merged,
// journaled (surviving a reopen), moved by recall outcomes, decayed, retired and undone one by one.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { runImport } from '../../extension/server/importService';
import { LessonBook } from '../../extension/server/lessons/lessonBook';
import { CONFIDENCE } from '../../extension/server/lessons/lessonConfidence';
import { distilLesson } from '../../extension/server/lessons/lessonExtractor';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { KINDS, PLAIN_SESSIONS, allSessions, writeAiderSessions } from '../bench/lessons/correctionSessions';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-lessons-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

async function importedStore(dir: string, sessions = allSessions()): Promise<AutodidactStore> {
  const files = writeAiderSessions(path.join(dir, 'projects'), sessions);
  const store = await AutodidactStore.open(path.join(dir, 'store'), { persistDelayMs: 10 });
  const report = await runImport(store, { paths: files, format: 'aider' });
  assert.equal(report.files.filter((f) => f.status === 'imported').length, sessions.length);
  return store;
}

describe('lessons from corrections', () => {
  test('one lesson per kind of correction, the two date corrections merged, nothing from the session without one', async () => {
    const store = await importedStore(path.join(root, 'learn'));
    try {
      const book = new LessonBook(store);
      const report = await book.learn();
      assert.equal(report.exchanges, 6, 'six correction exchanges (two about dates)');
      assert.equal(report.created.length, 5);
      assert.equal(report.merged.length, 1);
      const lessons = book.list();
      for (const kind of KINDS) {
        const found = lessons.filter((l) => kind.expectWords.every((w) => l.text.toLowerCase().includes(w)));
        assert.equal(found.length, 1, `${kind.name}: ${lessons.map((l) => l.text).join(' | ')}`);
      }
      const dates = lessons.find((l) => l.text.includes('parse_iso'))!;
      assert.equal(dates.evidence.length, 4, 'attempt and fix of both date sessions');
      assert.equal(dates.confidence, CONFIDENCE.initial + CONFIDENCE.mergeBonus);
      assert.ok(lessons.every((l) => l.text.length <= 160));
      assert.ok(!lessons.some((l) => /best practices|correct and robust/i.test(l.text)), 'self-praise never becomes a lesson');
      const plainIds = new Set(store.query<{ id: string }>('SELECT id FROM interactions WHERE user_request LIKE ?', [`${PLAIN_SESSIONS[0][0].request}%`]).map((r) => r.id));
      assert.ok(!lessons.some((l) => l.evidence.some((id) => plainIds.has(id))));
      assert.deepEqual((await book.learn()).created, [], 'learning again adds nothing');
    } finally {
      await store.close();
    }
  });

  test('a failed outcome with no words: the lesson comes from the code difference', () => {
    const kind = KINDS.find((k) => k.name === 'moment')!;
    const [attempt, correction] = kind.sessions[0];
    const draft = distilLesson({
      attempt: { id: 'a', sessionId: 's', request: attempt.request, response: attempt.answer, startedAt: 1 },
      correction: 'the tests failed', fix: { id: 'b', sessionId: 's', request: correction.request, response: correction.answer, startedAt: 2 }, signal: 'failed_outcome',
    });
    assert.equal(draft?.text, 'Use `dayjs` instead of `moment`.');
    assert.match(draft!.trigger, /timestamp/);
  });

  test("the user's own words become the rule only as statements: a rhetorical question is dropped", () => {
    const exchange = (correction: string) => distilLesson({
      attempt: { id: 'a', sessionId: 's', request: 'Add retries to the upload', response: 'Added a loop.', startedAt: 1 },
      correction, fix: { id: 'b', sessionId: 's', request: correction, response: 'Moved it.', startedAt: 2 }, signal: 'user_correction',
    });
    assert.equal(exchange('Why did you not ask me first? Keep the retry logic inside the client module.')?.text, 'Keep the retry logic inside the client module.');
    assert.equal(exchange('Could you not have checked the upload client module first?'), undefined, 'a question alone teaches nothing');
  });

  test('every change is journaled: it survives a reopen and is undone newest first', async () => {
    const dir = path.join(root, 'journal');
    let store = await importedStore(dir);
    let book = new LessonBook(store);
    await book.learn();
    const http = book.list().find((l) => l.text.includes('httpx'))!;
    const sql = book.list().find((l) => l.text.includes('placeholders'))!;
    await book.setDisabled(http.id, true);
    await book.edit(sql.id, 'Always pass SQL values as ? parameters.');
    await book.delete(http.id);
    await store.close();

    store = await AutodidactStore.open(path.join(dir, 'store'));
    book = new LessonBook(store);
    try {
      assert.equal(book.get(http.id), undefined, 'deleted');
      assert.equal(book.get(sql.id)?.text, 'Always pass SQL values as ? parameters.');
      assert.equal((await book.undo())?.kind, 'undo');
      assert.equal(book.get(http.id)?.disabled, true, 'undoing the delete brings back the disabled lesson');
      await book.undo();
      assert.equal(book.get(sql.id)?.text, sql.text, 'the edit is taken back');
      await book.undo();
      assert.equal(book.get(http.id)?.disabled, false);
      const count = book.list().length;
      await book.undo(); // the last creation/merge of learn()
      assert.equal(book.list().length <= count, true);
      const kinds = store.query<{ kind: string }>('SELECT kind FROM lesson_changes ORDER BY seq').map((r) => r.kind);
      assert.deepEqual(kinds.slice(0, 6).sort(), ['created', 'created', 'created', 'created', 'created', 'merged'].sort());
      assert.deepEqual(kinds.slice(6), ['disabled', 'edited', 'deleted', 'undo', 'undo', 'undo', 'undo']);
    } finally {
      await store.close();
    }
  });

  test('recall outcomes move confidence; unused lessons decay; under the floor they retire', async () => {
    const dir = path.join(root, 'confidence');
    const store = await importedStore(dir, KINDS.slice(1, 3).flatMap((k) => k.sessions));
    let now = Date.UTC(2026, 1, 1);
    const book = new LessonBook(store, () => now);
    try {
      await book.learn();
      const [good, bad] = book.list();
      // Two gateway interactions that recalled the lessons: one went well, one badly.
      const interaction = (id: string, lessonId: string, effectiveness: number) => ({ type: 'interaction' as const, interaction: {
        id, sessionId: 'gw', source: 'gateway' as const, startedAt: now, user_request: 'q', assistant_response: 'a', tools_used: [], files_modified: [],
        issues_encountered: [], solutions_applied: [], effectiveness, recalledLessons: [lessonId] } });
      await store.capture([interaction('gw-1', good.id, 0.9), interaction('gw-2', bad.id, 0.0)]);
      assert.equal(await book.applyRecallOutcomes(), 2);
      assert.equal(await book.applyRecallOutcomes(), 0, 'each recall counts once');
      assert.ok(book.get(good.id)!.confidence > good.confidence);
      assert.ok(book.get(bad.id)!.confidence < bad.confidence);
      assert.equal(book.get(good.id)!.recalls, 1);
      const beforeDecay = book.get(good.id)!.confidence;
      now += 2 * CONFIDENCE.halfLifeDays * 24 * 3600 * 1000; // two half-lives unused
      await book.decay();
      assert.ok(Math.abs(book.get(good.id)!.confidence - beforeDecay / 4) < 0.002, `halved twice: ${book.get(good.id)!.confidence}`);
      assert.equal(await book.decay(), 0, 'decay counts from the last decay, not again from the last use');
      assert.equal(book.get(bad.id)!.retired, true, 'under the floor');
      assert.equal(book.active().some((l) => l.id === bad.id), false);
    } finally {
      await store.close();
    }
  });
});

describe('measured advantage', () => {
  test('a check derived from the lesson; advantage counts only beyond noise', async () => {
    const { advantageOf, lessonCompliance, measureAdvantage } = await import('../../extension/server/lessons/lessonAdvantage');
    const check = lessonCompliance({ text: 'Use `dayjs` instead of `moment`.' })!;
    assert.equal(check("import dayjs from 'dayjs'"), true);
    assert.equal(check("import moment from 'moment'; import dayjs from 'dayjs'"), false);
    assert.equal(lessonCompliance({ text: 'Always keep answers polite.' }), undefined, 'nothing checkable: no check');
    assert.equal(advantageOf(8, 0, 8).beyondNoise, true);
    assert.equal(advantageOf(2, 1, 4).beyondNoise, false, 'one more success in four is noise');
    assert.equal(advantageOf(3, 3, 6).advantage, 0);
    // The with-lesson condition really carries the lesson: a generator that follows what it is told.
    const follows = async (messages: Array<{ role: string; content: string }>) => (messages.some((m) => m.content.includes('dayjs')) ? 'dayjs(ts)' : 'moment(ts)');
    const result = await measureAdvantage({ text: 'Use `dayjs` instead of `moment`.' }, ['Format the timestamp', 'Show the day'], follows, check, 3);
    assert.deepEqual([result.withRate, result.withoutRate, result.samples, result.beyondNoise], [1, 0, 6, true]);
  });
});
