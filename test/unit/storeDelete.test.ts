// Deletion is a journaled event: replaying the journal applies it in order, so deleted rows do not
// come back; and the delete commands scrub the files so the deleted text is gone from disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CaptureEvent } from '../../extension/protocol/records';
import { deleteAllData, deleteSessions, listSessions } from '../../extension/server/dataDeletion';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { interaction, tempDir } from './storeTestKit';

const outcome = (id: string, interactionId: string | undefined, sessionId?: string): CaptureEvent =>
  ({ type: 'outcome', outcome: { id, interactionId, sessionId, kind: 'vote', value: 1, at: 5 } });
const touch = (id: string, interactionId: string | undefined): CaptureEvent =>
  ({ type: 'file', file: { id, interactionId, path: `/w/${id}.ts`, kind: 'edit', origin: 'assistant', at: 6 } });
const session = (id: string, title?: string): CaptureEvent =>
  ({ type: 'session', session: { id, source: 'chat-participant', title, startedAt: 1 } });

/** A segment as a writer that has since died would have left it: replayed at the next open. */
function writeDeadWritersJournal(dir: string, events: CaptureEvent[]): void {
  fs.mkdirSync(path.join(dir, 'journal'), { recursive: true });
  // Stamped as the real writer does, one millisecond apart, starting now (after anything already captured).
  const start = Date.now() + 1;
  fs.writeFileSync(path.join(dir, 'journal', 'deadbeef-999999.000000.ndjson'),
    events.map((e, n) => JSON.stringify({ ...e, journaledAt: start + n })).join('\n') + '\n');
}

function ids(store: AutodidactStore, table: string): string[] {
  return store.query<{ id: string }>(`SELECT id FROM ${table} ORDER BY id`).map((r) => r.id);
}

const S1_AND_S2: CaptureEvent[] = [
  session('s1', 'first'), interaction('i1', { sessionId: 's1' }), outcome('o1', 'i1'), outcome('o1b', undefined, 's1'), touch('f1', 'i1'),
  session('s2'), interaction('i2', { sessionId: 's2' }), outcome('o2', 'i2'), touch('f2', 'i2'),
];

test('replaying a journal whose delete comes after the rows leaves them deleted, and later rows kept', async () => {
  const dir = tempDir();
  writeDeadWritersJournal(dir, [
    ...S1_AND_S2,
    { type: 'delete', target: { sessionId: 's1' }, at: 10 },
    interaction('i3', { sessionId: 's1' }), // captured after the delete: a new turn in the same session stays
  ]);
  for (let open = 0; open < 2; open++) { // the second open replays whatever journal is left, again
    const store = await AutodidactStore.open(dir);
    assert.deepEqual(ids(store, 'interactions'), ['i2', 'i3']);
    assert.deepEqual(ids(store, 'outcome_events'), ['o2']);
    assert.deepEqual(ids(store, 'files_touched'), ['f2']);
    assert.deepEqual(ids(store, 'sessions'), ['s2']);
    await store.close();
  }
});

test('a persisted database plus a journal holding the original rows and a later delete ends deleted', async () => {
  const dir = tempDir();
  const store = await AutodidactStore.open(dir);
  await store.capture(S1_AND_S2);
  await store.close(); // s1 is now in the database file
  // After a crash, the journal still holds the acknowledged capture (segments go one generation
  // late) followed by the delete that had not been persisted yet.
  writeDeadWritersJournal(dir, [...S1_AND_S2, { type: 'delete', target: { sessionId: 's1' }, at: 10 }]);
  const reopened = await AutodidactStore.open(dir);
  assert.deepEqual(ids(reopened, 'interactions'), ['i2']);
  assert.deepEqual(ids(reopened, 'sessions'), ['s2']);
  await reopened.close();
});

test('delete all wipes captured tables, keeps import cursors and versions, and survives replay', async () => {
  const dir = tempDir();
  const store = await AutodidactStore.open(dir);
  await store.capture([...S1_AND_S2, { type: 'importCursor', cursor: { path: '/t.jsonl', format: 'codex', size: 9, mtimeMs: 1, offset: 9, headHash: 'h' } }]);
  await store.writeDerived((db) => {
    db.run(`INSERT INTO patterns (id, category, representative_request, representative_solution, count, member_ids) VALUES ('p1', 'x', 'r', 's', 2, '["i1","i2"]')`);
    db.run(`INSERT INTO versions (name, created_at) VALUES ('v1', 1)`);
  });
  await store.close();
  writeDeadWritersJournal(dir, [...S1_AND_S2, { type: 'delete', target: { all: true }, at: 10 }, interaction('after', { sessionId: 's9' })]);
  const reopened = await AutodidactStore.open(dir);
  assert.deepEqual(ids(reopened, 'interactions'), ['after']);
  for (const table of ['outcome_events', 'files_touched', 'sessions', 'patterns']) assert.deepEqual(ids(reopened, table), [], table);
  assert.equal(reopened.importCursor('/t.jsonl')?.offset, 9, 'import cursors stay, so old transcripts are not imported again');
  assert.deepEqual(reopened.query<{ name: string }>('SELECT name FROM versions').map((r) => r.name), ['v1']);
  await reopened.close();
});

test('deleting a session drops the patterns that quote its interactions and keeps the others', async () => {
  const dir = tempDir();
  const store = await AutodidactStore.open(dir);
  await store.capture(S1_AND_S2);
  await store.writeDerived((db) => {
    db.run(`INSERT INTO patterns (id, category, representative_request, representative_solution, count, member_ids) VALUES ('p1', 'x', 'r', 's', 2, '["i1","i9"]')`);
    db.run(`INSERT INTO patterns (id, category, representative_request, representative_solution, count, member_ids) VALUES ('p2', 'x', 'r', 's', 1, '["i2"]')`);
  });
  await store.capture([{ type: 'delete', target: { sessionId: 's1' }, at: 10 }]);
  assert.deepEqual(ids(store, 'patterns'), ['p2']);
  await store.close();
});

test('deleteSessions counts what it removed and leaves the text nowhere on disk', async () => {
  const dir = tempDir();
  const store = await AutodidactStore.open(dir, { persistDelayMs: 5 });
  const marker = 'SECRET-MARKER-7f3a9c';
  await store.capture([...S1_AND_S2, interaction('i1x', { sessionId: 's1', user_request: `please keep ${marker} out` })]);
  await store.flush();
  await store.capture([interaction('i2x', { sessionId: 's2' })]);
  await store.flush();
  assert.deepEqual(listSessions(store).map((s) => [s.id, s.interactions]).sort(), [['s1', 2], ['s2', 2]]);
  const result = await deleteSessions(store, ['s1']);
  assert.deepEqual(result, { sessions: 1, interactions: 2, outcomes: 2, fileTouches: 1 });
  assert.deepEqual(listSessions(store).map((s) => s.id), ['s2']);
  assert.deepEqual(filesContaining(dir, marker), []);
  await store.close();
  const reopened = await AutodidactStore.open(dir);
  assert.deepEqual(ids(reopened, 'interactions'), ['i2', 'i2x']);
  await reopened.close();
});

test('deleteAllData removes every captured row and the text from the database, its previous generation and the journal', async () => {
  const dir = tempDir();
  const store = await AutodidactStore.open(dir, { persistDelayMs: 5 });
  const marker = 'SECRET-MARKER-c0ffee';
  for (let round = 0; round < 3; round++) {
    await store.capture([interaction(`i${round}`, { sessionId: `s${round}`, assistant_response: `${marker} ${round}` })]);
    await store.flush();
  }
  assert.ok(filesContaining(dir, marker).length > 0, 'the marker is on disk before the delete');
  const result = await deleteAllData(store);
  assert.deepEqual(result, { sessions: 3, interactions: 3, outcomes: 0, fileTouches: 0 });
  assert.deepEqual(ids(store, 'interactions'), []);
  assert.deepEqual(filesContaining(dir, marker), []);
  await store.close();
});

test('a changed vote replaces the first one (same outcome id, latest wins)', async () => {
  const dir = tempDir();
  const store = await AutodidactStore.open(dir);
  await store.capture([interaction('i1'), { type: 'outcome', outcome: { id: 'vote-i1', interactionId: 'i1', kind: 'vote', value: 1, at: 1 } }]);
  await store.capture([{ type: 'outcome', outcome: { id: 'vote-i1', interactionId: 'i1', kind: 'vote', value: -1, at: 2 } }]);
  assert.deepEqual(store.query<{ value: number }>('SELECT value FROM outcome_events'), [{ value: -1 }]);
  await store.close();
});

test('chat references round-trip through the context_refs column', async () => {
  const dir = tempDir();
  const store = await AutodidactStore.open(dir);
  await store.capture([interaction('i1', { references: ['src/a.ts:3-9'] })]);
  assert.deepEqual(JSON.parse(store.query<{ context_refs: string }>('SELECT context_refs FROM interactions')[0].context_refs), ['src/a.ts:3-9']);
  await store.close();
});

function filesContaining(dir: string, text: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (fs.readFileSync(full).includes(text)) found.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return found;
}

test('an event journaled before a delete but merged after it stays deleted (another window merged late)', async () => {
  const dir = tempDir();
  const store = await AutodidactStore.open(dir);
  const before = Date.now() - 1000;
  await store.capture([interaction('kept-before-delete', { sessionId: 's9' })]);
  await deleteSessions(store, ['s1']);
  // Another window journaled these before the delete; the owner only sees them now.
  fs.writeFileSync(path.join(dir, 'journal', 'feedface-999997.000000.ndjson'), [
    JSON.stringify({ ...interaction('late-s1', { sessionId: 's1' }), journaledAt: before }),
    JSON.stringify({ ...interaction('late-s2', { sessionId: 's2' }), journaledAt: before }),
  ].join('\n') + '\n');
  await store.flush();
  assert.deepEqual(ids(store, 'interactions'), ['kept-before-delete', 'late-s2']);
  await store.close();
});
