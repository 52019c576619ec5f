// Issue 13: what the user does to a lesson in the editor reaches the gateway. The panel's real request
// handlers (registerLessonRequests) answer over a real JSON-RPC connection on a loopback socket, on a
// sql.js store on disk holding correction sessions imported through the real Aider importer; after
// each change the trainer home's lessons.json (what the gateway reads) is checked: a learning pass
// leaves pending lessons out, an approved lesson appears, an edit shows, a disabled or deleted one
// disappears, undo brings it back, a change another process journals arrives once merged, and with a
// remote trainer nothing is written (and the log says why).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { LessonActionRequest, LessonsRequest, type LessonAction } from '../../extension/protocol/lessonsProtocol';
import { runImport } from '../../extension/server/importService';
import { LessonBook } from '../../extension/server/lessons/lessonBook';
import { LessonsFileReader, lessonsFilePath } from '../../extension/server/lessons/lessonsFile';
import { LessonsFileSync } from '../../extension/server/lessons/lessonsFileSync';
import { panelOverLoopback, testFolder } from './lessonPanelLoopback';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { allSessions, writeAiderSessions } from '../bench/lessons/correctionSessions';

const { root, cleanups } = testFolder('autodidact-lessons-file-sync-');

test('panel changes rewrite the gateway\'s lessons.json; a remote trainer gets none', { timeout: 60_000 }, async () => {
  const trainerHome = path.join(root, 'trainer-home');
  const file = lessonsFilePath(trainerHome);
  const files = writeAiderSessions(path.join(root, 'projects'), allSessions());
  const store = await AutodidactStore.open(path.join(root, 'store'), { persistDelayMs: 10, leaseRetryMs: 50 });
  cleanups.push(() => store.close());
  await runImport(store, { paths: files, format: 'aider' });
  const logged: string[] = [];
  const sync = new LessonsFileSync(store, (message) => logged.push(message), { AUTODIDACT_TRAINER_HOME: trainerHome });
  sync.setTrainerUrl('ws://127.0.0.1:7878');
  const client = await panelOverLoopback(store, cleanups);
  // What the gateway recalls from: one reader kept for the whole run, as the trainer-server keeps it.
  const reader = new LessonsFileReader(file);
  const gatewaySees = (): string[] => reader.lessons().map((l) => l.text).sort();
  const act = (action: LessonAction) => client.sendRequest(LessonActionRequest.type, action);

  const learned = await client.sendRequest(LessonsRequest.type, { learn: true });
  assert.equal(learned.lessons.length, 5);
  assert.ok(learned.lessons.every((l) => l.status === 'pending'));
  assert.equal(fs.existsSync(file), false, 'pending lessons are not recalled, and a user with no active lesson gets no file');

  const dayjs = learned.lessons.find((l) => l.text.includes('dayjs'))!;
  const httpx = learned.lessons.find((l) => l.text.includes('httpx'))!;
  await act({ kind: 'approve', id: dayjs.id });
  assert.deepEqual(gatewaySees(), [dayjs.text], 'the approved lesson reaches the gateway');
  await act({ kind: 'approve', id: httpx.id });
  assert.deepEqual(gatewaySees(), [dayjs.text, httpx.text].sort());

  const edited = 'Use `dayjs` for dates, never `moment`.';
  await act({ kind: 'edit', id: dayjs.id, text: edited });
  assert.deepEqual(gatewaySees(), [edited, httpx.text].sort(), 'an edit shows');
  await act({ kind: 'disable', id: dayjs.id });
  assert.deepEqual(gatewaySees(), [httpx.text], 'a disabled lesson is no longer recalled');
  await act({ kind: 'undo' });
  assert.deepEqual(gatewaySees(), [edited, httpx.text].sort(), 'undo brings it back');
  await act({ kind: 'delete', id: httpx.id });
  assert.deepEqual(gatewaySees(), [edited]);
  await act({ kind: 'undo' });
  assert.deepEqual(gatewaySees(), [edited, httpx.text].sort());
  assert.ok(logged.some((m) => m.includes(`written to ${file}`)));
  assert.deepEqual(fs.readdirSync(trainerHome), ['lessons.json'], 'written atomically: no temporary file left');

  // A change another process journals (the CLI's `lessons --disable`, a `lessons measure`) reaches the
  // file once this window, the store's owner, merges it.
  const cli = await AutodidactStore.open(path.join(root, 'store'));
  cleanups.push(() => cli.close());
  assert.equal(cli.isOwner, false);
  await assert.rejects(new LessonBook(cli).setDisabled(httpx.id, true), /another window owns the store; the change is journaled/);
  const deadline = Date.now() + 10_000;
  while (gatewaySees().length !== 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(gatewaySees(), [edited]);
  await act({ kind: 'undo' });
  assert.deepEqual(gatewaySees(), [edited, httpx.text].sort());

  // A trainer-server on another machine has no home here: the editor writes nothing and says so.
  sync.setTrainerUrl('wss://trainer.example.com:7878');
  assert.match(logged.at(-1)!, /trainer\.example\.com.*not on this machine.*lessons push/);
  const before = fs.readFileSync(file, 'utf8');
  await act({ kind: 'disable', id: httpx.id });
  assert.equal(fs.readFileSync(file, 'utf8'), before);
  // Back on this machine: the file catches up at once.
  sync.setTrainerUrl('ws://localhost:7878');
  assert.deepEqual(gatewaySees(), [edited]);
});
