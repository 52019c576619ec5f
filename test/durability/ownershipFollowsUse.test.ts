// Two windows in separate processes on one store. A window that does not own the store sees what
// was merged (its own import included) within seconds, and is told so (onMerged, which refreshes the
// panel); when the user acts in it, ownership moves to it from the window nobody uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CaptureEvent } from '../../extension/protocol/records';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { StoreWindowProcess } from './storeWindowProcess';

function interaction(id: string): CaptureEvent {
  return { type: 'interaction', interaction: {
    id, sessionId: 's1', source: 'editor', startedAt: Date.now(), user_request: `request ${id}`, assistant_response: `answer ${id}`,
    tools_used: [], files_modified: [], issues_encountered: [], solutions_applied: [], effectiveness: null,
  } };
}

async function until(condition: () => boolean | Promise<boolean>, what: string, ms: number): Promise<number> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - start;
}

test('a reader window sees new data within seconds, and ownership moves to the window in use', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-ownership-'));
  const idle = new StoreWindowProcess(dir, 500); // the window whose tab was closed: alive, owning, unused
  assert.equal(await idle.ready, 'owner');
  let merged = 0;
  const active = await AutodidactStore.open(dir, { leaseRetryMs: 500, onMerged: () => { merged++; } });
  try {
    assert.equal(active.isOwner, false);
    // The active window imports while the other one owns the store.
    await active.capture([interaction('i1'), interaction('i2'), interaction('i3')]);
    const seenAfter = await until(() => merged > 0, 'the reader window is told the store changed', 8_000);
    assert.equal(active.query('SELECT id FROM interactions').length, 3, 'and then reads its import');
    console.log(`reader saw its own import ${seenAfter} ms after capturing it`);

    // The user acts in the active window: it becomes the owner; the idle one hands over and reads.
    assert.equal(await active.requestOwnership(), true);
    assert.equal(active.isOwner, true);
    assert.equal((await idle.query('SELECT 1')).owner, false, 'the idle window let go');
    await active.capture([interaction('i4')]);
    assert.equal(active.query('SELECT id FROM interactions').length, 4, 'the owner reads its capture at once');

    // The idle window does not take the store back while the active one lives, and still loses nothing.
    await idle.capture([interaction('from-idle')]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(active.isOwner, true);
    assert.equal((await idle.query('SELECT 1')).owner, false);
    await until(() => active.query("SELECT id FROM interactions WHERE id = 'from-idle'").length === 1, 'the owner merged the idle window\'s capture', 5_000);
    await until(async () => (await idle.query("SELECT id FROM interactions WHERE id = 'i4'")).rows!.length === 1, 'the idle window reads the new owner\'s data', 8_000);
  } finally {
    await idle.close();
    await active.close();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});
