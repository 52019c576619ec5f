// "Delete Session" from a window that does not own the store: it reports success only once no file
// in the store folder (both database generations, every journal segment, damaged copies) holds the
// deleted text, while the owner and a third window that captured the same session keep running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CaptureEvent } from '../../extension/protocol/records';
import { deleteSessions } from '../../extension/server/dataDeletion';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { StoreWindowProcess } from './storeWindowProcess';

const MARKER = 'DELETE-ME-4b1d9e';

function interaction(id: string, sessionId: string, text: string): CaptureEvent {
  return { type: 'interaction', interaction: {
    id, sessionId, source: 'editor', startedAt: Date.now(), user_request: text, assistant_response: `answer ${id}`,
    tools_used: [], files_modified: [], issues_encountered: [], solutions_applied: [], effectiveness: null,
  } };
}

function filesContaining(dir: string, text: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && fs.readFileSync(full).includes(text)) found.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return found;
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a delete from a non-owner window scrubs every copy on disk before it reports success', { timeout: 90_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-delete-any-'));
  const owner = new StoreWindowProcess(dir);
  assert.equal(await owner.ready, 'owner');
  const bystander = await AutodidactStore.open(dir, { leaseRetryMs: 100 }); // a third window, still open
  const asking = await AutodidactStore.open(dir, { leaseRetryMs: 100 });
  assert.equal(bystander.isOwner || asking.isOwner, false);
  try {
    await owner.capture([interaction('by-owner', 's1', `${MARKER} from the owner`), interaction('keep', 's2', 'kept text')]);
    await bystander.capture([interaction('by-bystander', 's1', `${MARKER} from the bystander`)]);
    await asking.capture([interaction('by-asker', 's1', `${MARKER} from the asker`)]);
    // Two generations hold the text: the owner merged and persisted, then persisted again.
    await until(() => asking.query('SELECT id FROM interactions').length === 4, 'the owner persisted all four');
    await owner.capture([interaction('later', 's2', 'another kept row')]);
    await until(() => asking.query('SELECT id FROM interactions').length === 5, 'the owner persisted again');
    fs.copyFileSync(path.join(dir, 'autodidact.db'), path.join(dir, 'autodidact.db.corrupt-1700000000000')); // a damaged copy kept aside earlier
    const before = filesContaining(dir, MARKER);
    assert.ok(before.includes('autodidact.db') && before.includes('autodidact.db.prev') && before.includes('autodidact.db.corrupt-1700000000000'), before.join());
    assert.ok(before.filter((f) => f.startsWith('journal')).length >= 2, `both other windows' open journal segments hold it: ${before.join()}`);

    const result = await deleteSessions(asking, ['s1']);
    assert.equal(result.interactions, 3);
    assert.deepEqual(filesContaining(dir, MARKER), [], 'no file in the store folder holds the deleted text');
    assert.deepEqual(asking.query<{ id: string }>('SELECT id FROM interactions ORDER BY id').map((r) => r.id), ['keep', 'later']);
    assert.deepEqual((await owner.query('SELECT id FROM interactions ORDER BY id')).rows!.map((r) => r.id), ['keep', 'later']);
    assert.equal((await owner.query('SELECT 1')).owner, true, 'the owner kept running and owning the store');
  } finally {
    await owner.close();
    await bystander.close();
    await asking.close();
  }
  const reopened = await AutodidactStore.open(dir);
  assert.deepEqual(reopened.query<{ id: string }>('SELECT id FROM interactions ORDER BY id').map((r) => r.id), ['keep', 'later']);
  await reopened.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a delete that no owner completes in time is reported as not done, not as success', { timeout: 30_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-delete-stuck-'));
  const owner = new StoreWindowProcess(dir, 3_600_000); // an owner that never looks at other windows' journals
  assert.equal(await owner.ready, 'owner');
  const asking = await AutodidactStore.open(dir, { leaseRetryMs: 3_600_000 });
  try {
    await assert.rejects(asking.deleteAndScrub([{ sessionId: 's1' }], 500), /has not removed the data from disk/);
  } finally {
    await owner.close();
    await asking.close();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});
