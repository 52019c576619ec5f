// The panel's Lessons section and the code action, below the editor (issue 13): correction sessions
// imported through the real Aider importer into a store on disk; the rows the section draws (status,
// advantage with its sample size, recalls, evidence named by its request); approve / edit / disable /
// delete / undo as journaled lesson events that survive a reopen; a new lesson is pending (shown, not
// active) until approved; and which lessons a diagnostic matches, with the concrete swap to apply.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { LessonRecord } from '../../extension/protocol/records';
import { lessonSwap, swapOffsets } from '../../extension/protocol/lessonSwap';
import { lessonActionPlans } from '../../extension/client/lessonActionPlan';
import { runImport } from '../../extension/server/importService';
import { sessionSignatures } from '../../extension/server/lessons/correctionExchanges';
import { lessonsForDiagnostic } from '../../extension/server/lessons/diagnosticLessons';
import { LessonBook } from '../../extension/server/lessons/lessonBook';
import { distilLesson } from '../../extension/server/lessons/lessonExtractor';
import { isActive, lessonStatus } from '../../extension/server/lessons/lessonConfidence';
import { applyLessonAction, readInteractionText, readLessonsPanel } from '../../extension/server/panel/lessonsPanel';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { codeParts, lessonButtons, lessonFacts } from '../../webview/lessonFacts';
import { allSessions, writeAiderSessions } from '../bench/lessons/correctionSessions';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-lessons-panel-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const record = (extra: Partial<LessonRecord>): LessonRecord => ({
  id: 'l1', text: 'Use `dayjs` instead of `moment`.', trigger: 'format invoic due timestamp readabl day typescript report moment', tags: ['dayjs', 'moment'],
  confidence: 0.6, advantage: null, samples: 0, retired: false, disabled: false, evidence: [], recalls: 0, createdAt: 1, lastUsedAt: 1, ...extra,
});

describe('lesson status', () => {
  test('unmeasured lessons are pending until approved; measured ones that were not retired are active', () => {
    assert.equal(lessonStatus(record({})), 'pending');
    assert.equal(isActive(record({})), false);
    assert.equal(lessonStatus(record({ approved: true })), 'active');
    assert.equal(lessonStatus(record({ advantage: 0.5, samples: 8 })), 'active');
    assert.equal(lessonStatus(record({ advantage: 0, samples: 8, retired: true })), 'retired');
    assert.equal(lessonStatus(record({ approved: true, disabled: true })), 'disabled');
  });

  test('what a row says and which buttons it gets', () => {
    assert.deepEqual(lessonFacts({ confidence: 0.604, advantage: null, samples: 0, recalls: 0 }),
      { confidence: 'confidence 60%', advantage: 'advantage not measured', recalls: 'never recalled' });
    assert.equal(lessonFacts({ confidence: 0.7, advantage: 0.5, samples: 8, recalls: 3 }).advantage, 'advantage +0.50 (n=8)');
    assert.equal(lessonFacts({ confidence: 0.7, advantage: -0.25, samples: 4, recalls: 3 }).advantage, 'advantage −0.25 (n=4)');
    assert.deepEqual(codeParts('Use `dayjs`, not `moment`.'), [{ code: false, text: 'Use ' }, { code: true, text: 'dayjs' }, { code: false, text: ', not ' }, { code: true, text: 'moment' }, { code: false, text: '.' }]);
    assert.deepEqual(codeParts('a `b'), [{ code: false, text: 'a `b' }], 'an unclosed backtick stays text');
    assert.deepEqual(lessonButtons({ status: 'pending' }), ['approve', 'measure', 'edit', 'disable', 'delete']);
    assert.deepEqual(lessonButtons({ status: 'active' }), ['measure', 'edit', 'disable', 'delete']);
    assert.deepEqual(lessonButtons({ status: 'disabled' }), ['edit', 'enable', 'delete']);
  });
});

describe('the Lessons section through the analysis server', () => {
  test('rows, evidence, approve / edit / disable / delete and undo, journaled', async () => {
    const dir = path.join(root, 'panel');
    const files = writeAiderSessions(path.join(dir, 'projects'), allSessions());
    let store = await AutodidactStore.open(path.join(dir, 'store'), { persistDelayMs: 10 });
    await runImport(store, { paths: files, format: 'aider' });
    let book = new LessonBook(store);
    // A pass limited to sessions that did not change reads nothing; the first pass reads them all.
    const signatures = sessionSignatures(store);
    assert.equal(signatures.size, allSessions().length);
    assert.equal((await book.learn(undefined, [])).exchanges, 0);
    const [oneSession] = [...signatures.keys()];
    assert.ok((await book.learn(undefined, [oneSession])).exchanges <= 1);
    await book.learn();
    let data = readLessonsPanel(store, book);
    assert.equal(data.lessons.length, 5);
    assert.ok(data.lessons.every((l) => l.status === 'pending' && l.advantage === null && l.samples === 0 && l.recalls === 0));
    const moment = data.lessons.find((l) => l.text.includes('dayjs'))!;
    assert.equal(moment.evidence.length, 2);
    assert.match(moment.evidence[0].request, /^Format the invoice due timestamp/);
    const evidence = readInteractionText(store, moment.evidence[0].id)!;
    assert.match(evidence.response, /import moment from 'moment'/, 'the link opens the attempt the user corrected');
    assert.match(moment.example?.answer ?? '', /import dayjs from 'dayjs'/, 'the row carries the worked example recall shows with the rule');
    assert.equal(readInteractionText(store, 'no-such-interaction'), null);
    assert.match(data.undoable!, /^the (?:new lesson|merge into) “/);
    await store.capture([{ type: 'outcome', outcome: { id: 'o-late', interactionId: moment.evidence[1].id, sessionId: store.query<{ session_id: string }>('SELECT session_id FROM interactions WHERE id = ?', [moment.evidence[1].id])[0].session_id, kind: 'test_passed', at: 5 } }]);
    const after = sessionSignatures(store);
    assert.deepEqual([...after].filter(([id, sig]) => signatures.get(id) !== sig).length, 1, 'a late outcome changes its session\'s signature only');

    let result = await applyLessonAction(store, book, { kind: 'approve', id: moment.id });
    assert.equal(result.data.lessons.find((l) => l.id === moment.id)!.status, 'active');
    assert.equal(result.data.lessons[0].id, moment.id, 'active lessons come first');
    result = await applyLessonAction(store, book, { kind: 'edit', id: moment.id, text: '  Use `dayjs`,   not `moment`. ' });
    assert.equal(result.data.lessons.find((l) => l.id === moment.id)!.text, 'Use `dayjs`, not `moment`.');
    await assert.rejects(applyLessonAction(store, book, { kind: 'edit', id: moment.id, text: '   ' }), /needs some text/);
    result = await applyLessonAction(store, book, { kind: 'disable', id: moment.id });
    assert.equal(result.data.lessons.find((l) => l.id === moment.id)!.status, 'disabled');
    const other = data.lessons.find((l) => l.id !== moment.id)!;
    result = await applyLessonAction(store, book, { kind: 'delete', id: other.id });
    assert.equal(result.data.lessons.some((l) => l.id === other.id), false);
    assert.match(result.data.undoable!, /^deleting “/);
    await assert.rejects(applyLessonAction(store, book, { kind: 'approve', id: 'lesson-nonexistent' }), /no lesson with id/);

    result = await applyLessonAction(store, book, { kind: 'undo' });
    assert.match(result.message, /^Undid deleted/);
    assert.equal(result.data.lessons.some((l) => l.id === other.id), true, 'the delete is undone');
    result = await applyLessonAction(store, book, { kind: 'undo' });
    assert.equal(result.data.lessons.find((l) => l.id === moment.id)!.status, 'active', 'the disable is undone');

    // The journal keeps every change: a reopened store shows the same lessons.
    await store.close();
    store = await AutodidactStore.open(path.join(dir, 'store'), { persistDelayMs: 10 });
    book = new LessonBook(store);
    data = readLessonsPanel(store, book);
    assert.equal(data.lessons.find((l) => l.id === moment.id)!.text, 'Use `dayjs`, not `moment`.');
    assert.equal(data.lessons.find((l) => l.id === moment.id)!.status, 'active');
    result = await applyLessonAction(store, book, { kind: 'undo' });
    assert.equal(result.data.lessons.find((l) => l.id === moment.id)!.text, moment.text, 'the edit undone');
    result = await applyLessonAction(store, book, { kind: 'undo' });
    assert.equal(result.data.lessons.find((l) => l.id === moment.id)!.status, 'pending', 'then the approval');
    await store.close();
  });
});

describe('no lesson from an unrelated next request', () => {
  test('after a failed outcome, a next request with no rule and no code difference teaches nothing', () => {
    const turn = (id: string, request: string, response: string) => ({ id, sessionId: 's', request, response, startedAt: 1 });
    const exchange = {
      attempt: turn('a', 'Split the 400-line handler into small functions', 'Done: applied the change and ran the checks.'),
      correction: 'Make the CI workflow cache npm dependencies',
      fix: turn('b', 'Make the CI workflow cache npm dependencies', 'Done: applied the change and ran the checks.'),
    };
    assert.equal(distilLesson({ ...exchange, signal: 'failed_outcome' }), undefined);
    assert.equal(distilLesson({ ...exchange, correction: 'No, keep each function under forty lines please', signal: 'user_correction' })?.text, 'keep each function under forty lines please.');
  });
});

describe('lessons for a diagnostic (the code action)', () => {
  test('a swap lesson named by the flagged text is applied; a trigger match is shown; pending lessons are offered nothing', () => {
    assert.deepEqual(lessonSwap('Use `dayjs` instead of `moment`.'), { from: 'moment', to: 'dayjs' });
    assert.deepEqual(lessonSwap('Use `parse_iso` helper, not `strptime`.'), { from: 'strptime', to: 'parse_iso' });
    assert.deepEqual(lessonSwap('Use httpx, not requests.'), { from: 'requests', to: 'httpx' });
    assert.equal(lessonSwap('Never use print in the job code.'), undefined);
    assert.deepEqual(swapOffsets("import moment from 'moment'; momentum(moment_x)", 'moment'), [{ start: 7, end: 13 }, { start: 20, end: 26 }]);

    const swap = record({ approved: true });
    const stated = record({ id: 'l2', text: 'Never use print in the job code, log with logger.info.', trigger: 'report progress import job process batch print', approved: true });
    const pending = record({ id: 'l3', text: 'Use `parse_iso`, not `strptime`.', trigger: 'pars dat str' });
    const lessons = [swap, stated, pending];
    const missing = lessonsForDiagnostic({ message: "Cannot find module 'moment' or its corresponding type declarations.", code: '2307', source: 'ts', flagged: "'moment'", file: '/ws/src/report.ts' }, lessons);
    assert.deepEqual(missing, [{ id: 'l1', text: swap.text, score: 1, replace: { from: 'moment', to: 'dayjs' } }]);
    const printed = lessonsForDiagnostic({ message: 'print found in job code: report progress with logging', code: 'T201', source: 'ruff', flagged: 'print', file: '/ws/jobs/batch_job.py' }, lessons);
    assert.deepEqual(printed.map((l) => [l.id, l.replace]), [['l2', undefined]]);
    assert.deepEqual(lessonsForDiagnostic({ message: "Cannot find name 'strptime'.", flagged: 'strptime', file: '/ws/a.py' }, lessons), [], 'a pending lesson offers no fix');
    assert.deepEqual(lessonsForDiagnostic({ message: "Property 'lenght' does not exist on type 'string'.", flagged: 'lenght', file: '/ws/a.ts' }, lessons), [], 'an unrelated diagnostic gets nothing');

    // The quick fixes the client builds from those answers: an edit of the flagged text, or a lesson shown.
    const plans = lessonActionPlans(["'moment'", 'print'], [missing, printed]);
    assert.deepEqual(plans, [
      { title: 'Apply lesson: use dayjs instead of moment', lessonId: 'l1', lessonText: swap.text, diagnosticIndex: 0, edits: [{ start: 1, end: 7, text: 'dayjs' }] },
      { title: 'Show lesson: Never use print in the job code, log with logger.info.', lessonId: 'l2', lessonText: stated.text, diagnosticIndex: 1 },
    ]);
    const edited = plans[0].edits!.reduceRight((text, e) => text.slice(0, e.start) + e.text + text.slice(e.end), "'moment'");
    assert.equal(edited, "'dayjs'");
    assert.deepEqual(lessonActionPlans(['momentum'], [missing]).map((p) => p.title), ['Show lesson: Use `dayjs` instead of `moment`.'], 'no whole-name match in the flagged text: shown, not applied');
  });
});
