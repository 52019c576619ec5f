import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { readStats } from '../../extension/server/store/statsQuery';
import { SCHEMA_VERSION } from '../../extension/server/store/migrations';
import { interaction, tempDir } from './storeTestKit';

test('captured events are queryable at once and survive a reopen', async () => {
  const dir = tempDir();
  const store = await AutodidactStore.open(dir);
  assert.equal(store.isOwner, true);
  await store.capture([
    { type: 'session', session: { id: 's1', source: 'editor', startedAt: 1 } },
    interaction('i1', { tools_used: ['Edit'], files_modified: ['src/a.ts'] }),
  ]);
  assert.equal(store.query<{ n: number }>('SELECT COUNT(*) AS n FROM interactions')[0].n, 1);
  await store.close();
  const reopened = await AutodidactStore.open(dir);
  const [row] = reopened.query<{ tools_used: string; files_modified: string }>('SELECT * FROM interactions WHERE id = ?', ['i1']);
  assert.deepEqual(JSON.parse(row.tools_used), ['Edit']);
  assert.deepEqual(JSON.parse(row.files_modified), ['src/a.ts']);
  await reopened.close();
});

test('merged journal segments are deleted one generation later, so the journal stays small', async () => {
  const dir = tempDir();
  const store = await AutodidactStore.open(dir);
  for (let round = 0; round < 5; round++) {
    await store.capture([interaction(`i${round}`)]);
    await store.flush();
  }
  const segments = fs.readdirSync(path.join(dir, 'journal'));
  assert.ok(segments.length <= 2, `journal holds ${segments.length} segments: ${segments.join(', ')}`);
  assert.ok(fs.existsSync(path.join(dir, 'autodidact.db.prev')), 'the previous generation is kept');
  await store.close();
});

test('replaying a journal twice changes nothing (ids are keys)', async () => {
  const dir = tempDir();
  const store = await AutodidactStore.open(dir);
  const events = [interaction('i1'), { type: 'outcome' as const, outcome: { id: 'o1', interactionId: 'i1', kind: 'vote' as const, value: 1, at: 2 } }];
  await store.capture(events);
  await store.capture(events);
  assert.equal(store.query<{ n: number }>('SELECT COUNT(*) AS n FROM outcome_events')[0].n, 1);
  assert.equal(store.query<{ n: number }>('SELECT COUNT(*) AS n FROM interactions')[0].n, 1);
  await store.close();
});

test('a derived score is not wiped when the interaction event is replayed', async () => {
  const dir = tempDir();
  const store = await AutodidactStore.open(dir);
  store.registerDeriver('fixed-score', (db, changed) => {
    for (const id of changed) db.run('UPDATE interactions SET effectiveness = 0.75, category = ? WHERE id = ?', ['Testing', id]);
  });
  await store.capture([interaction('i1')]);
  await store.capture([interaction('i1', { assistant_response: 'edited' })]);
  const stats = readStats(store);
  assert.deepEqual(stats, { sessions: 0, interactions: 1, effectiveness: 0.75, categories: [{ name: 'Testing', examples: 1, avgEffectiveness: 0.75 }] });
  await store.close();
});

test('a corrupted database file is kept aside and the store rebuilds from the journal', async () => {
  const dir = tempDir();
  const first = await AutodidactStore.open(dir);
  await first.capture([interaction('kept')]);
  await first.close();
  // Simulate events acknowledged after the last persist: a journal segment left by a dead writer.
  const journalFile = path.join(dir, 'journal', 'deadbeef-999999.000000.ndjson');
  fs.writeFileSync(journalFile, `${JSON.stringify(interaction('from-journal'))}\n`);
  fs.writeFileSync(path.join(dir, 'autodidact.db'), 'this is not sqlite '.repeat(200));
  const logs: string[] = [];
  const store = await AutodidactStore.open(dir, { log: (m) => logs.push(m) });
  const ids = store.query<{ id: string }>('SELECT id FROM interactions ORDER BY id').map((r) => r.id);
  assert.deepEqual(ids, ['from-journal', 'kept']);
  assert.ok(fs.readdirSync(dir).some((name) => name.startsWith('autodidact.db.corrupt-')), 'the bad file is kept for inspection');
  assert.match(logs.join('\n'), /not a readable Autodidact database/);
  await store.close();
});

test('a corrupted current file falls back to the previous generation plus the journal', async () => {
  const dir = tempDir();
  const store = await AutodidactStore.open(dir);
  for (const id of ['a', 'b', 'c']) {
    await store.capture([interaction(id)]);
    await store.flush();
  }
  await store.close();
  fs.writeFileSync(path.join(dir, 'autodidact.db'), Buffer.alloc(8192, 7));
  const reopened = await AutodidactStore.open(dir);
  assert.deepEqual(reopened.query<{ id: string }>('SELECT id FROM interactions ORDER BY id').map((r) => r.id), ['a', 'b', 'c']);
  await reopened.close();
});

test('a torn last journal line is ignored, and lines after it are read once complete', async () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'journal'), { recursive: true });
  const file = path.join(dir, 'journal', 'cafe0001-999998.000000.ndjson');
  fs.writeFileSync(file, `${JSON.stringify(interaction('whole'))}\n{"type":"interaction","interac`);
  const store = await AutodidactStore.open(dir);
  assert.deepEqual(store.query<{ id: string }>('SELECT id FROM interactions').map((r) => r.id), ['whole']);
  await store.close();
});

test('the schema is migrated to the current version and a newer database is refused', async () => {
  const dir = tempDir();
  const store = await AutodidactStore.open(dir);
  assert.equal(store.query<{ user_version: number }>('PRAGMA user_version')[0].user_version, SCHEMA_VERSION);
  await store.writeDerived((db) => db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`));
  await store.close();
  await assert.rejects(AutodidactStore.open(dir), /newer than this Autodidact/);
});

test('a second process-like store on the same folder is a reader until the writer closes', async () => {
  const dir = tempDir();
  const writer = await AutodidactStore.open(dir, { persistDelayMs: 5 });
  const reader = await AutodidactStore.open(dir, { leaseRetryMs: 20 });
  assert.equal(reader.isOwner, false);
  await reader.capture([interaction('from-reader')]); // durable in the reader's own journal
  await writer.flush(); // the writer merges every journal, including the reader's
  assert.deepEqual(reader.query<{ id: string }>('SELECT id FROM interactions').map((r) => r.id), ['from-reader']);
  await writer.close();
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(reader.isOwner, true, 'the reader takes over when the writer is gone');
  await reader.close();
});
