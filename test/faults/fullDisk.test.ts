// A full disk: the store folder lives on a 1 MiB tmpfs mounted for this test (we run as root in
// CI; without the privilege the test FAILS with the reason, it is never skipped). Capture until the
// disk is full: capture() must reject with a clear error, everything acknowledged before must stay
// readable, the database file must still open, and once space is freed capture must work again and
// everything acknowledged (before and after) must survive a reopen.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { openDatabaseFile } from '../../extension/server/store/sqlDatabase';
import { sizedInteraction, storedIds, tempDir } from './faultKit';

function mountTmpfs(dir: string, size: string): void {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    fs.rmSync(dir, { recursive: true, force: true });
    assert.fail(`cannot mount a ${size} tmpfs at ${dir} for the full-disk test (it needs root or CAP_SYS_ADMIN): ${stderr || (error as Error).message}`);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes a file until the disk refuses; returns its path (delete it to free the space again). */
function fillDisk(dir: string): string {
  const file = path.join(dir, 'filler');
  const fd = fs.openSync(file, 'w');
  const page = Buffer.alloc(4096, 2);
  try {
    for (;;) fs.writeSync(fd, page);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

async function assertDatabaseFileOpens(file: string): Promise<void> {
  if (!fs.existsSync(file)) return;
  const db = await openDatabaseFile(file);
  try {
    assert.equal(db.exec('PRAGMA integrity_check')[0].values[0][0], 'ok', `${file} is a complete database`);
  } finally {
    db.close();
  }
}

const liveIds = (store: AutodidactStore): Set<string> => new Set(store.query<{ id: string }>('SELECT id FROM interactions').map((row) => row.id));
const missing = (acked: string[], ids: Set<string>): string[] => acked.filter((id) => !ids.has(id));

test('a full disk: capture rejects clearly, nothing acknowledged is lost, the file opens, capture resumes when space is freed', { timeout: 60_000 }, async () => {
  const mountPoint = tempDir('autodidact-fault-full-');
  mountTmpfs(mountPoint, '1m');
  const logs: string[] = [];
  try {
    const ballast = path.join(mountPoint, 'ballast'); // freed later, as a user would delete something
    fs.writeFileSync(ballast, Buffer.alloc(192 * 1024, 1));
    const dir = path.join(mountPoint, 'store');
    let store = await AutodidactStore.open(dir, { persistDelayMs: 400, log: (line) => logs.push(line) });
    const acked: string[] = [];

    // 1. The journal meets the full disk. Events of 9 KB span pages, so the failing write is a torn one.
    let failure: Error | undefined;
    for (let n = 0; n < 1000 && !failure; n++) {
      // Bursts of 10, then a pause in which a persist runs, so persists fill the disk too; a failure
      // inside a burst is followed at once by what comes next, before a persist seals the segment.
      if (n > 0 && n % 10 === 0) await sleep(450);
      try {
        await store.capture([sizedInteraction(`full-${n}`, 9000)]);
        acked.push(`full-${n}`);
      } catch (error) {
        failure = error as Error;
      }
    }
    assert.ok(failure, `the 1 MiB disk never filled (${acked.length} captures)`);
    assert.match(failure.message, /could not save 1 captured event.*the disk is full \(ENOSPC/);
    assert.ok(acked.length > 5, `some captures succeeded before the disk filled (${acked.length})`);
    let pending: Promise<void> | undefined;
    assert.doesNotThrow(() => { pending = store.capture([sizedInteraction('still-full', 9000)]); }, 'capture() rejects, never throws at the caller');
    await assert.rejects(pending!, /the disk is full/);
    // Space freed, and at once (in the same journal segment as the torn write) capture works again.
    fs.rmSync(ballast);
    for (let n = 0; n < 5; n++) {
      await store.capture([sizedInteraction(`after-${n}`, 1500)]);
      acked.push(`after-${n}`);
    }
    assert.deepEqual(missing(acked, liveIds(store)), [], 'every acknowledged event is in the live store');
    assert.equal(liveIds(store).has('still-full'), false, 'a rejected capture was not stored');
    await assertDatabaseFileOpens(store.databaseFile);

    // 2. Persisting meets the full disk: flush and close reject clearly, and leave no temp file behind.
    const filler = fillDisk(mountPoint);
    await assert.rejects(store.flush(), /could not write .*autodidact\.db: the disk is full .*kept in the journal/);
    assert.deepEqual(fs.readdirSync(dir).filter((name) => name.includes('.tmp-')), [], 'the half-written temp file is removed');
    await assertDatabaseFileOpens(store.databaseFile);
    await assert.rejects(store.close(), /the disk is full/);
    // Reopened on the still-full disk: the lease was released, and every event is readable (file + journal).
    store = await AutodidactStore.open(dir, { log: (line) => logs.push(line) });
    assert.equal(store.isOwner, true, 'close() released the writer lease even though its last write failed');
    assert.deepEqual(missing(acked, liveIds(store)), [], 'readable after a reopen on the full disk');

    // 3. Room for a whole new database file (the disk grown, as by a cleanup): it is written, and a
    //    last reopen holds everything.
    fs.rmSync(filler);
    execFileSync('mount', ['-o', 'remount,size=8m', mountPoint]);
    await store.capture([sizedInteraction('last', 1500)]);
    acked.push('last');
    await store.close();
    await assertDatabaseFileOpens(path.join(dir, 'autodidact.db'));
    assert.deepEqual(missing(acked, await storedIds(dir)), [], 'every acknowledged interaction after the disk recovered');
    console.log(`full disk: ${acked.length - 6} captures before ENOSPC, none lost; the store logged ${logs.length} failed writes, the first: ${logs[0]}`);
  } finally {
    execFileSync('umount', ['-l', mountPoint]);
    fs.rmSync(mountPoint, { recursive: true, force: true });
  }
});
