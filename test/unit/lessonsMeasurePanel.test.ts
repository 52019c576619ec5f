// Measure in the panel (issue 13): the analysis server's real handler measures one lesson with the live
// model's answers through a real trainer-server's gateway on loopback (tiny model), on held-out
// requests of its kind from the store, and stores the advantage with its sample size as a journaled
// change; a lesson with no other request of its kind, or with nothing an answer can be checked
// against, is not measured, and says why.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { LessonsRequest, MeasureLessonRequest } from '../../extension/protocol/lessonsProtocol';
import { runImport } from '../../extension/server/importService';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { allSessions, KINDS, writeAiderSessions } from '../bench/lessons/correctionSessions';
import { panelOverLoopback, testFolder } from './lessonPanelLoopback';
import { startServer } from './trainerTestKit';

const { root, cleanups } = testFolder('autodidact-lessons-measure-panel-');

test('Measure asks the live model through the gateway and stores the advantage with its sample size', { timeout: 180_000 }, async () => {
  const store = await AutodidactStore.open(path.join(root, 'store'), { persistDelayMs: 10 });
  cleanups.push(() => store.close());
  await runImport(store, { paths: writeAiderSessions(path.join(root, 'projects'), allSessions()), format: 'aider' });
  // A later session with a request of the dates kind: the held-out request the lesson is measured on.
  const dates = KINDS.find((k) => k.name === 'dates')!;
  await runImport(store, { paths: writeAiderSessions(path.join(root, 'later'), [[{ request: dates.heldOut[0], answer: 'Done.' }]], Date.UTC(2026, 1, 1)), format: 'aider' });
  const started = await startServer(fs.mkdtempSync(path.join(root, 'trainer-')));
  cleanups.push(() => started.server.stop());
  const client = await panelOverLoopback(store, cleanups);

  const { lessons } = await client.sendRequest(LessonsRequest.type, { learn: true });
  const lesson = lessons.find((l) => l.text.includes('parse_iso'))!;
  assert.equal(lesson.advantage, null);
  const measured = await client.sendRequest(MeasureLessonRequest.type, { id: lesson.id, gatewayUrl: started.server.httpUrl, token: started.server.token });
  // The tiny model's answers follow no lesson, so the advantage is zero: not beyond noise, and retired.
  assert.match(measured.message, /^Measured: advantage \+0\.00 over 2 answer\(s\) per side on 1 held-out request\(s\): not beyond noise \(retired\)\.$/);
  const row = measured.data.lessons.find((l) => l.id === lesson.id)!;
  assert.deepEqual([row.advantage, row.samples, row.status], [0, 2, 'retired']);
  assert.match(measured.data.undoable ?? '', /^the measurement of “Use/, 'the measurement is a journaled change Undo can take back');

  const measure = (id: string) => client.sendRequest(MeasureLessonRequest.type, { id, gatewayUrl: started.server.httpUrl, token: started.server.token });
  const httpx = lessons.find((l) => l.text.includes('httpx'))!;
  assert.equal((await measure(httpx.id)).message, 'Not measured: no other request of its kind in the store yet.');
  const sql = lessons.find((l) => l.text.includes('placeholders'))!;
  assert.equal((await measure(sql.id)).message, 'Not measured: the lesson names nothing an answer can be checked against.');
  await assert.rejects(client.sendRequest(MeasureLessonRequest.type, { id: lesson.id, gatewayUrl: started.server.httpUrl, token: 'wrong' }), /gateway 401/);
});
