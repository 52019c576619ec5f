// Excluding a pattern from training is a journaled event: a database rebuilt from the journal (the
// owner killed before it wrote the file) keeps the choice, and a window that does not own the store
// can make it too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { registerAnalysis } from '../../extension/server/scoring/registerAnalysis';
import { readPatterns, setPatternIncluded } from '../../extension/server/patterns/patternQuery';
import { sessionEvents, type TurnSpec } from './analysisTestKit';
import { tempDir } from './storeTestKit';

const CASES = ['totals and subtotals', 'currency rounding', 'empty invoices', 'tax lines per country'];
const turns: TurnSpec[] = CASES.map((c) => ({
  request: `Write unit tests for the invoice parser: ${c}`, response: `Added tests for ${c}.`, files: ['tests/test_invoice.py'],
}));

/** An owner whose database file is never written while the test runs (as if killed before persisting). */
async function openWithPatterns(dir: string): Promise<{ store: AutodidactStore; settle: () => Promise<void> }> {
  const store = await AutodidactStore.open(dir, { persistDelayMs: 3_600_000, leaseRetryMs: 3_600_000 });
  const analysis = registerAnalysis(store, { embeddings: false });
  await analysis.settle();
  return { store, settle: () => analysis.settle() };
}

test('a pattern exclusion survives a rebuild of the database from the journal', async () => {
  const dir = tempDir();
  const { store, settle } = await openWithPatterns(dir);
  await store.capture(sessionEvents('inv', turns));
  await settle();
  const [pattern] = readPatterns(store, { category: 'Testing' });
  assert.ok(pattern, 'the four requests make a pattern');
  assert.equal(await setPatternIncluded(store, pattern.id, false), true);
  assert.equal(readPatterns(store, { category: 'Testing' })[0].included, false);
  assert.equal(fs.existsSync(path.join(dir, 'autodidact.db')), false, 'nothing was written but the journal');

  // Only the journal is left, as after a crash with both generations unreadable.
  const rebuilt = tempDir();
  fs.cpSync(path.join(dir, 'journal'), path.join(rebuilt, 'journal'), { recursive: true });
  await store.close();
  const again = await openWithPatterns(rebuilt);
  try {
    await again.settle();
    const [recomputed] = readPatterns(again.store, { category: 'Testing' });
    assert.equal(recomputed.id, pattern.id);
    assert.equal(recomputed.included, false, 'the exclusion came back from the journal');
  } finally {
    await again.store.close();
  }
});

test('a window that does not own the store can exclude a pattern; the owner applies it', async () => {
  const dir = tempDir();
  const owner = await openWithPatterns(dir);
  await owner.store.capture(sessionEvents('inv', turns));
  await owner.settle();
  await owner.store.flush(); // the other window reads the persisted file
  const reader = await AutodidactStore.open(dir, { leaseRetryMs: 3_600_000 });
  assert.equal(reader.isOwner, false);
  const [pattern] = readPatterns(reader, { category: 'Testing' });
  assert.equal(await setPatternIncluded(reader, pattern.id, false), true);
  await owner.store.flush(); // the owner's next tick would do the same
  assert.equal(readPatterns(owner.store, { category: 'Testing' })[0].included, false);
  assert.equal(readPatterns(reader, { category: 'Testing' })[0].included, false, 'the reader sees it once the owner wrote the file');
  await reader.close();
  await owner.store.close();
});
