// A damaged database file at start, in the ways files really get damaged: emptied (a crash on a
// filesystem that lost the data of a just-renamed file), cut short (a copy or sync that stopped),
// garbled pages (a bad disk), and both generations damaged. The store must keep the bad file aside
// (.corrupt-<time>), rebuild from the previous generation plus the journal, and lose nothing that
// those hold. (test/unit/store.test.ts covers a file of plain garbage.)
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { openDatabaseFile } from '../../extension/server/store/sqlDatabase';
import { sizedInteraction, tempDir } from './faultKit';

/**
 * Three generations: the file holds g1..g3, autodidact.db.prev holds g1..g2, and the journal holds
 * g3 (segments are deleted one generation late), so every id is recoverable from prev + journal.
 */
async function storeWithGenerations(): Promise<{ dir: string; ids: string[] }> {
  const dir = tempDir('autodidact-fault-corrupt-');
  const store = await AutodidactStore.open(dir, { persistDelayMs: 600_000 });
  const ids: string[] = [];
  for (const generation of ['g1', 'g2', 'g3']) {
    const batch = Array.from({ length: 40 }, (_, i) => sizedInteraction(`${generation}-${i}`, 3000));
    await store.capture(batch);
    ids.push(...batch.map((event) => (event.type === 'interaction' ? event.interaction.id : '')));
    if (generation !== 'g3') await store.flush();
  }
  await store.close(); // writes g3's generation
  return { dir, ids };
}

async function openAndCheck(dir: string, expected: string[]): Promise<{ logs: string[]; aside: string[] }> {
  const logs: string[] = [];
  const store = await AutodidactStore.open(dir, { log: (line) => logs.push(line) });
  try {
    const ids = new Set(store.query<{ id: string }>('SELECT id FROM interactions').map((row) => row.id));
    const lost = expected.filter((id) => !ids.has(id));
    assert.deepEqual(lost.slice(0, 5), [], `${lost.length} of ${expected.length} interactions lost`);
  } finally {
    await store.close();
  }
  const db = await openDatabaseFile(path.join(dir, 'autodidact.db'));
  assert.equal(db.exec('PRAGMA integrity_check')[0].values[0][0], 'ok', 'the rebuilt file is sound');
  db.close();
  return { logs, aside: fs.readdirSync(dir).filter((name) => name.includes('.corrupt-')) };
}

const damages: Array<[string, (file: string) => void]> = [
  ['emptied (zero bytes)', (file) => fs.truncateSync(file, 0)],
  ['cut to half its size', (file) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2))],
  ['cut to its first page', (file) => fs.truncateSync(file, 4096)],
  ['garbled pages after the header', (file) => {
    const bytes = fs.readFileSync(file);
    for (let at = 8192; at < bytes.length; at += 4096) bytes.fill(0xa5, at + 100, at + 300);
    fs.writeFileSync(file, bytes);
  }],
];

describe('a damaged database file at start', () => {
  for (const [name, damage] of damages) {
    test(`${name}: kept aside, rebuilt from the previous generation and the journal, nothing lost`, async () => {
      const { dir, ids } = await storeWithGenerations();
      try {
        const file = path.join(dir, 'autodidact.db');
        const damagedSize = (damage(file), fs.statSync(file).size);
        const { logs, aside } = await openAndCheck(dir, ids);
        assert.equal(aside.length, 1, `the damaged file is kept aside: ${fs.readdirSync(dir).join(', ')}`);
        assert.equal(fs.statSync(path.join(dir, aside[0])).size, damagedSize, 'kept as it was found');
        assert.ok(logs.some((line) => /moved it to .*\.corrupt-/.test(line)), `the log says so: ${logs.join(' | ')}`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  test('both generations damaged: the store still opens with what the journal holds, and keeps both files aside', async () => {
    const { dir, ids } = await storeWithGenerations();
    try {
      fs.truncateSync(path.join(dir, 'autodidact.db'), 0);
      fs.writeFileSync(path.join(dir, 'autodidact.db.prev'), 'not a database at all');
      const { aside } = await openAndCheck(dir, ids.filter((id) => id.startsWith('g3-')));
      assert.equal(aside.length, 2, `both damaged files are kept for recovery by hand: ${aside.join(', ')}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
