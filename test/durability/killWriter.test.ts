// SIGKILL a capturing process at random moments, 50 times: every acknowledged event must be in
// the store afterwards, and the database file must always open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { openDatabaseFile } from '../../extension/server/store/sqlDatabase';
import { startWriter } from './writerProcess';

const RUNS = Number(process.env.AUTODIDACT_KILL_RUNS ?? 50);

async function storedIds(dir: string): Promise<Set<string>> {
  const store = await AutodidactStore.open(dir);
  const ids = new Set(store.query<{ id: string }>('SELECT id FROM interactions').map((row) => row.id));
  await store.close();
  return ids;
}

test(`SIGKILL at ${RUNS} random moments loses no acknowledged event`, { timeout: 600_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-kill-'));
  let totalAcked = 0;
  for (let run = 0; run < RUNS; run++) {
    const writer = startWriter(dir, `run${run}`);
    await writer.ready;
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 400));
    writer.child.kill('SIGKILL');
    await writer.exited;
    if (fs.existsSync(path.join(dir, 'autodidact.db'))) {
      const db = await openDatabaseFile(path.join(dir, 'autodidact.db')); // must open after every kill
      db.exec('SELECT COUNT(*) FROM interactions');
      db.close();
    }
    const ids = await storedIds(dir);
    const lost = [...writer.acked].filter((id) => !ids.has(id));
    assert.deepEqual(lost, [], `run ${run}: acknowledged but lost`);
    totalAcked += writer.acked.size;
  }
  assert.ok(totalAcked > RUNS, `the writers acknowledged only ${totalAcked} events: the test did not exercise capture`);
  console.log(`kill test: ${RUNS} kills, ${totalAcked} acknowledged events, none lost`);
  fs.rmSync(dir, { recursive: true, force: true });
});
