// SIGKILL during an import: a child process imports a large generated Claude Code transcript into
// a store and is killed part-way, twice. Afterwards the store opens, importing the same file again
// completes, and the store then holds exactly what one clean import produces: the same interactions
// with the same content (a turn cut by the kill is completed, not duplicated under another id), and
// a further import adds nothing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { CaptureEvent, ImportCursor, InteractionRecord } from '../../extension/protocol/records';
import type { CaptureSink } from '../../extension/server/importers/captureSink';
import { importFiles } from '../../extension/server/importers/importFiles';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { writeClaudeLog } from '../bench/claudeLogGenerator';
import { startScript, storedIds, tempDir } from './faultKit';

type Row = Pick<InteractionRecord, 'id' | 'user_request' | 'assistant_response'> & { tools_used: string; issues_encountered: string };

const digest = (row: Row): string =>
  createHash('sha256').update(JSON.stringify([row.user_request, row.assistant_response, row.tools_used, row.issues_encountered])).digest('hex');

/** Keeps only a digest of the latest version of each interaction: the clean import's answer. */
class DigestSink implements CaptureSink {
  readonly digests = new Map<string, string>();
  batches = 0;
  async capture(events: CaptureEvent[]): Promise<void> {
    this.batches++;
    for (const event of events) {
      if (event.type !== 'interaction') continue;
      const i = event.interaction;
      this.digests.set(i.id, digest({ ...i, tools_used: JSON.stringify(i.tools_used), issues_encountered: JSON.stringify(i.issues_encountered) }));
    }
  }
  importCursor(): ImportCursor | undefined { return undefined; }
}

test('SIGKILL during an import: the store opens, the import completes on retry, and nothing is duplicated', { timeout: 180_000 }, async () => {
  const dir = tempDir('autodidact-fault-import-');
  try {
    const file = path.join(dir, 'c0ffee00-1111-4222-8333-444444444444.jsonl');
    await writeClaudeLog(file, 24 * 2 ** 20);
    const clean = new DigestSink();
    await importFiles([file], { store: clean });
    const expected = clean.digests;
    assert.ok(expected.size > 200, `the generated log has ${expected.size} interactions`);

    const storeDir = path.join(dir, 'store');
    // Killed after 30% and then after 70% of the batches were acknowledged, a few ms into the next one.
    const kills = [Math.floor(clean.batches * 0.3), Math.floor(clean.batches * 0.7)];
    for (const [k, afterBatch] of kills.entries()) {
      const importer = startScript('importWriter.ts', [storeDir, file]);
      await importer.waitFor(new RegExp(`^batch ${afterBatch}$`), 120_000);
      await new Promise((resolve) => setTimeout(resolve, 5 + 20 * k));
      importer.child.kill('SIGKILL');
      await importer.exited;
      assert.ok(!importer.lines.some((line) => line.startsWith('done')), `kill ${k + 1} landed before the import finished`);
      const held = (await storedIds(storeDir)).size; // opens after every kill
      console.log(`killed after batch ${afterBatch} of ${clean.batches}: ${held} of ${expected.size} interactions stored`);
      assert.ok(held > 0 && held < expected.size, `kill ${k + 1}: the store holds part of the import (${held})`);
    }

    const store = await AutodidactStore.open(storeDir);
    try {
      const retry = await importFiles([file], { store });
      assert.deepEqual(retry.files.map((f) => f.status), ['imported'], `the retry completes: ${JSON.stringify(retry.files)}`);
      const rows = store.query<Row>('SELECT id, user_request, assistant_response, tools_used, issues_encountered FROM interactions');
      assert.equal(rows.length, expected.size, 'as many interactions as one clean import');
      const wrong = rows.filter((row) => expected.get(row.id) !== digest(row)).map((row) => row.id);
      assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} interactions differ from a clean import (unknown id or other content)`);
      const again = await importFiles([file], { store });
      assert.deepEqual([again.files[0].status, again.totals.interactions], ['unchanged', 0], 'a further import adds nothing');
      assert.equal(store.query<{ n: number }>('SELECT COUNT(*) AS n FROM interactions')[0].n, expected.size);
    } finally {
      await store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
