// The importers against the real store (sql.js on disk, journal first): what the CLI does.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { importFiles } from '../../extension/server/importers/importFiles';
import { AutodidactStore } from '../../extension/server/store/autodidactStore';
import { ClaudeRecordFactory, claudeTurn } from './claudeRecordFactory';
import { fixture, whenFixtures } from './importersSupport';

function count(store: AutodidactStore, table: string): number {
  return store.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)[0].n;
}

describe('importers into the store', () => {
  it('stores interactions, outcomes, files and cursors; re-import and append add only what is new', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autodidact-store-import-'));
    const path = join(dir, 'session.jsonl');
    const f = new ClaudeRecordFactory();
    writeFileSync(path, `${[...claudeTurn(f, 1), ...claudeTurn(f, 2)].join('\n')}\n`);
    const store = await AutodidactStore.open(join(dir, 'db'), { persistDelayMs: 10 });
    try {
      await importFiles([path], { store });
      // Per turn: Read ok, Edit ok, Bash error, its exit code and the failed `npm test` mined from its output.
      assert.deepEqual([count(store, 'interactions'), count(store, 'outcome_events'), count(store, 'files_touched'), count(store, 'sessions')], [2, 10, 2, 1]);
      assert.equal(store.importCursor(path)?.format, 'claude-code');
      const again = await importFiles([path], { store });
      assert.equal(again.files[0].status, 'unchanged');
      appendFileSync(path, `${claudeTurn(f, 3).join('\n')}\n`);
      await importFiles([path], { store });
      assert.deepEqual([count(store, 'interactions'), count(store, 'outcome_events'), count(store, 'files_touched')], [3, 15, 3]);
      const [row] = store.query<{ tools_used: string; issues_encountered: string }>('SELECT tools_used, issues_encountered FROM interactions ORDER BY started_at DESC LIMIT 1');
      assert.deepEqual(JSON.parse(row.tools_used), ['Read', 'Edit', 'Bash']);
      assert.deepEqual(JSON.parse(row.issues_encountered), ['Bash failed: Error: Exit code 1']);
    } finally {
      await store.close();
    }
  });
});

whenFixtures('fixture import into the store', () => {
  it('imports the whole fixture folder twice without duplicates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'autodidact-store-fixtures-'));
    const store = await AutodidactStore.open(dir, { persistDelayMs: 10 });
    try {
      const first = await importFiles([fixture('.')], { store });
      assert.equal(count(store, 'interactions'), first.totals.interactions);
      const second = await importFiles([fixture('.')], { store });
      assert.ok(second.files.every((file) => file.status === 'unchanged'));
      // 48 from the first seven assistants, 18 from Cursor, Gemini CLI, OpenCode, Copilot CLI, Windsurf, Droid and Amp.
      assert.equal(count(store, 'interactions'), 48 + 18);
    } finally {
      await store.close();
    }
  });
});
