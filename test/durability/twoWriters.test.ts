// Two processes capturing into one store at once (two VS Code windows): nothing is lost, whether
// both finish, or the writer that owns the database is killed and the other takes over.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { openDatabaseFile } from '../../extension/server/store/sqlDatabase';
import { startWriter } from './writerProcess';

async function storedIds(dir: string): Promise<Set<string>> {
  const store = await AutodidactStore.open(dir);
  const ids = new Set(store.query<{ id: string }>('SELECT id FROM interactions').map((row) => row.id));
  await store.close();
  return ids;
}

test('two writers at once both keep every event', { timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-two-'));
  const first = startWriter(dir, 'a', 300);
  const second = startWriter(dir, 'b', 300);
  const roles = [await first.ready, await second.ready].sort();
  assert.deepEqual(roles, ['follower', 'owner'], 'exactly one process holds the writer lease');
  assert.equal(await first.exited, 0);
  assert.equal(await second.exited, 0);
  const ids = await storedIds(dir);
  for (let n = 0; n < 300; n++) {
    assert.ok(ids.has(`a-${n}`), `a-${n} missing`);
    assert.ok(ids.has(`b-${n}`), `b-${n} missing`);
  }
  assert.equal(ids.size, 600);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('when the owner is killed the other writer takes over and nothing is lost', { timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-takeover-'));
  const owner = startWriter(dir, 'owner');
  assert.equal(await owner.ready, 'owner');
  const follower = startWriter(dir, 'follower', 400);
  assert.equal(await follower.ready, 'follower');
  await owner.waitForAcks(50);
  owner.child.kill('SIGKILL');
  await owner.exited;
  assert.equal(await follower.exited, 0);
  // The follower became the owner after the kill, so the database FILE already holds both writers'
  // events, before any other process merges the journals.
  const db = await openDatabaseFile(path.join(dir, 'autodidact.db'));
  const inFile = new Set(db.exec('SELECT id FROM interactions')[0].values.map((row) => String(row[0])));
  db.close();
  assert.deepEqual([...owner.acked].filter((id) => !inFile.has(id)), [], 'the follower merged the dead owner\'s journal');
  const ids = await storedIds(dir);
  const lost = [...owner.acked, ...follower.acked].filter((id) => !ids.has(id));
  assert.deepEqual(lost, []);
  assert.equal(follower.acked.size, 400);
  fs.rmSync(dir, { recursive: true, force: true });
});
