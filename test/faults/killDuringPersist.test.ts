// SIGKILL while the store is persisting: the writer is killed while its temp file
// (autodidact.db.tmp-<pid>) is being written or fsync'd, with a ~48 MB database so that window is
// wide. Afterwards the database file must be the previous, complete generation (it opens and passes
// SQLite's integrity check), every acknowledged event must be in the store, and the next owner must
// remove the dead writer's half-written temp file (else each crash would leak a database-sized file).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { openDatabaseFile } from '../../extension/server/store/sqlDatabase';
import { startScript, storedIds, tempDir, type ScriptHandle } from './faultKit';

const DELAYS_MS = [0, 5, 15, 30]; // after the temp file appears: kills at different depths of the write

/** Polls for the temp file; once it exists, waits `delayMs` and kills. Resolves with its size then. */
async function killWhileWriting(writer: ScriptHandle, tmp: string, delayMs: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(tmp)) {
    if (Date.now() > deadline) throw new Error(`no temp file ${tmp} within ${timeoutMs} ms; stderr: ${writer.stderr().slice(-300)}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  writer.child.kill('SIGKILL');
  await writer.exited;
  return fs.existsSync(tmp) ? fs.statSync(tmp).size : -1;
}

function acknowledged(lines: readonly string[]): string[] {
  const ids: string[] = [];
  for (const line of lines) {
    if (line.startsWith('ack ')) ids.push(line.slice(4));
    const bulk = /^ack-bulk (.+)-bulk0\.\.(\d+)$/.exec(line);
    if (bulk) for (let n = 0; n <= Number(bulk[2]); n++) ids.push(`${bulk[1]}-bulk${n}`);
  }
  return ids;
}

test('SIGKILL while the database file is being written loses nothing and leaves the previous generation', { timeout: 240_000 }, async () => {
  const dir = tempDir('autodidact-fault-persist-');
  const acked = new Set<string>();
  const inside: number[] = [];
  try {
    for (const [round, delay] of DELAYS_MS.entries()) {
      const writer = startScript('persistWriter.ts', [dir, `k${round}`, '48']);
      const ready = await writer.waitFor(/^ready \d+/, 180_000);
      const databaseBytes = Number(ready.split(' ')[1]);
      const tmp = path.join(dir, `autodidact.db.tmp-${writer.child.pid}`);
      const tmpBytes = await killWhileWriting(writer, tmp, delay, 60_000);
      for (const id of acknowledged(writer.lines)) acked.add(id);
      if (tmpBytes >= 0) inside.push(tmpBytes);
      console.log(`round ${round}: killed ${delay} ms after the temp file appeared; database ${(databaseBytes / 2 ** 20).toFixed(1)} MB, ` +
        (tmpBytes >= 0 ? `temp file ${(tmpBytes / 2 ** 20).toFixed(1)} MB (inside the write)` : 'persist had finished'));

      const db = await openDatabaseFile(path.join(dir, 'autodidact.db'));
      try {
        assert.equal(db.exec('PRAGMA integrity_check')[0].values[0][0], 'ok', `round ${round}: the database file is a complete generation`);
      } finally {
        db.close();
      }
      const ids = await storedIds(dir);
      const lost = [...acked].filter((id) => !ids.has(id));
      assert.deepEqual(lost.slice(0, 10), [], `round ${round}: ${lost.length} acknowledged interactions lost`);
      const leftovers = fs.readdirSync(dir).filter((name) => /^autodidact\.db\.(tmp|prev)-\d+$/.test(name));
      assert.deepEqual(leftovers, [], `round ${round}: the dead writer's temp files are removed by the next owner`);
    }
    assert.ok(inside.length >= 3, `at least 3 of ${DELAYS_MS.length} kills landed inside the temp-file write (got ${inside.length})`);
    assert.ok(acked.size > 2000, `the writers acknowledged ${acked.size} interactions`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
