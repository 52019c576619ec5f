// The SQLite sources (Cursor's state.vscdb, OpenCode's opencode.db): read from bytes and never
// changed, re-read by their rows when updated in place, WAL commits included, and damaged copies
// imported as far as they can be read.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Database } from 'sql.js';
import { loadSqlJs } from '../../extension/server/store/sqlDatabase';
import { ArrayCaptureSink, importInto } from './importersSupport';
import { copyFixture, NEW_AGENT_FIXTURES as F, tempDir, untouchedSnapshot, whenNewAgentFixtures } from './newAgentsSupport';

async function editDatabase(path: string, edit: (db: Database) => void): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(path));
  edit(db);
  writeFileSync(path, db.export());
  db.close();
}

/** Adds a user message and an answer (with a bash call that exits 1) to an OpenCode session. */
function addOpencodeTurn(db: Database, sessionId: string, at: number): void {
  const message = (id: string, data: object, created = at): void => {
    db.run('INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?)', [id, sessionId, created, created, JSON.stringify(data)]);
  };
  const part = (id: string, messageId: string, data: object): void => {
    db.run('INSERT INTO part (id, message_id, session_id, time_created, time_updated, data) VALUES (?, ?, ?, ?, ?, ?)', [id, messageId, sessionId, at, at, JSON.stringify(data)]);
  };
  message('msg_zz_user', { role: 'user', time: { created: at } });
  part('prt_zz_1', 'msg_zz_user', { type: 'text', text: 'and now run the tests' });
  message('msg_zz_answer', { role: 'assistant', modelID: 'glm-5', time: { created: at + 1, completed: at + 5 } }, at + 1);
  part('prt_zz_2', 'msg_zz_answer', { type: 'tool', tool: 'bash', callID: 'call_zz', state: { status: 'completed', input: { command: 'npm test' }, output: 'Tests:       1 failed, 4 passed, 5 total', metadata: { exit: 1 }, time: { start: at, end: at + 4 } } });
  part('prt_zz_3', 'msg_zz_answer', { type: 'text', text: 'One test fails.' });
}

const FILECOIN = 'ses_3520e0b48ffeYkk02CKdPV1gUd';

whenNewAgentFixtures('SQLite sources (OpenCode, Cursor)', () => {
  describe('OpenCode database updated in place', () => {
    it('a second import adds nothing; a grown session emits its last turn again and the new one; an edited row re-reads its session', async () => {
      const path = copyFixture(F.opencodeDb);
      const sink = new ArrayCaptureSink();
      const first = await importInto([path], { sink });
      assert.equal(first.report.files[0].interactions, 2);
      const again = await importInto([path], { sink });
      assert.deepEqual([again.report.files[0].status, again.report.files[0].interactions], ['unchanged', 0]);

      await editDatabase(path, (db) => {
        addOpencodeTurn(db, FILECOIN, 1772444900000);
        // Credentials the same database holds: never read, never stored.
        db.run("INSERT INTO control_account VALUES ('me@example.com', 'https://opencode.ai', 'oc-access-TOKEN-123456789', 'oc-refresh-TOKEN-987654321', NULL, 1, 1, 1)");
        db.run(`INSERT INTO session_share VALUES ('${FILECOIN}', 'share1', 'share-SECRET-abcdef0123456789', 'https://opncd.ai/s/share1', 1, 1)`);
      });
      const before = sink.events.length;
      const grown = await importInto([path], { sink });
      const file = grown.report.files[0];
      // Only the Filecoin session changed: its one earlier turn (it may have been in progress) and the new turn.
      assert.deepEqual([file.status, file.sessions, file.interactions, file.toolCalls], ['imported', 1, 2, 2]);
      const emitted = sink.events.slice(before).flatMap((e) => (e.type === 'interaction' ? [e.interaction] : []));
      assert.equal(emitted[1].user_request, 'and now run the tests');
      assert.deepEqual(emitted[1].issues_encountered, ['exit code 1: npm test']);
      const mined = sink.events.slice(before).flatMap((e) => (e.type === 'outcome' ? [[e.outcome.kind, e.outcome.value]] : []));
      assert.deepEqual(mined.filter(([kind]) => kind === 'exit_code' || kind === 'test_failed'), [['exit_code', 1], ['test_failed', 1]]);
      assert.equal(sink.latestInteractions().size, 3, 'the re-read turn kept its id');
      const everything = JSON.stringify(sink.events);
      for (const secret of ['oc-access-TOKEN', 'oc-refresh-TOKEN', 'share-SECRET']) assert.ok(!everything.includes(secret), secret);

      // A part of the htmx session rewritten in place (its time_updated moves on): that session is read again.
      await editDatabase(path, (db) => {
        db.run("UPDATE part SET data = json_set(data, '$.text', 'htmx demo 已更新'), time_updated = time_updated + 1000 WHERE id = (SELECT id FROM part WHERE json_extract(data, '$.type') = 'text' AND session_id = 'ses_3a8ef361affe3Qr05TZvm9q4uU' ORDER BY id DESC LIMIT 1)");
      });
      const edited = await importInto([path], { sink });
      assert.deepEqual([edited.report.files[0].sessions, edited.report.files[0].interactions], [1, 1]);
      assert.match(sink.interactions().at(-1)?.assistant_response ?? '', /htmx demo 已更新/);
      assert.equal(sink.latestInteractions().size, 3);
    });
  });

  describe('Cursor database updated in place', () => {
    it('a composer that grew by a turn emits its last turn again and the new one', async () => {
      const path = copyFixture(F.cursorDb);
      const sink = new ArrayCaptureSink();
      await importInto([path], { sink });
      const composerId = '00812842-49fe-4699-afae-bb22cda3f6e1';
      await editDatabase(path, (db) => {
        const row = db.exec(`SELECT value FROM cursorDiskKV WHERE key = 'composerData:${composerId}'`)[0].values[0][0];
        const composer = JSON.parse(String(row)) as { fullConversationHeadersOnly: Array<{ bubbleId: string; type: number }> };
        composer.fullConversationHeadersOnly.push({ bubbleId: 'new-user', type: 1 }, { bubbleId: 'new-answer', type: 2 });
        db.run('UPDATE cursorDiskKV SET value = ? WHERE key = ?', [JSON.stringify(composer), `composerData:${composerId}`]);
        db.run('INSERT INTO cursorDiskKV (key, value) VALUES (?, ?)', [`bubbleId:${composerId}:new-user`, JSON.stringify({ type: 1, bubbleId: 'new-user', text: 'now add a test for it', createdAt: '2025-10-07T19:10:00.000Z' })]);
        db.run('INSERT INTO cursorDiskKV (key, value) VALUES (?, ?)', [`bubbleId:${composerId}:new-answer`, JSON.stringify({
          type: 2, bubbleId: 'new-answer', text: '', createdAt: '2025-10-07T19:10:05.000Z',
          toolFormerData: { name: 'edit_file', status: 'completed', userDecision: 'rejected', rawArgs: JSON.stringify({ target_file: '/repo/tests/agent.rs' }), result: '{}' },
        })]);
      });
      const before = sink.events.length;
      const { report } = await importInto([path], { sink });
      assert.deepEqual([report.files[0].interactions, report.files[0].edits, report.files[0].errors], [2, 1, 1]);
      const emitted = sink.events.slice(before).flatMap((e) => (e.type === 'interaction' ? [e.interaction] : []));
      assert.equal(emitted[1].user_request, 'now add a test for it');
      // The rejected edit changed nothing: an issue and an edit_undone, no file touch of its own.
      assert.deepEqual(emitted[1].issues_encountered, ['edit_file failed: rejected by the user']);
      assert.deepEqual(emitted[1].files_modified, []);
      assert.ok(sink.events.slice(before).some((e) => e.type === 'outcome' && e.outcome.kind === 'edit_undone' && e.outcome.detail === '/repo/tests/agent.rs'));
      assert.equal(sink.latestInteractions().size, 3);
    });
  });

  describe('damaged copies', () => {
    for (const [name, relative, whole] of [['Cursor', F.cursorDb, 2], ['OpenCode', F.opencodeDb, 2]] as const) {
      it(`${name}: a half-written file imports what it can and counts the rest; the whole file later imports everything`, async () => {
        const dir = tempDir();
        const full = readFileSync(copyFixture(relative, dir));
        const path = join(dir, relative.split('/').pop() ?? 'db');
        writeFileSync(path, full.subarray(0, 1000)); // just past the header: nothing readable yet
        const sink = new ArrayCaptureSink();
        const tiny = await importInto([path], { sink });
        assert.equal(tiny.report.files[0].status, 'failed');
        assert.match(tiny.report.files[0].error ?? '', /it will be read again next time/);
        assert.equal(sink.events.filter((e) => e.type === 'importCursor').length, 0, 'no cursor: the next import tries again');

        writeFileSync(path, full.subarray(0, Math.floor(full.length / 2)));
        const half = await importInto([path], { sink });
        assert.equal(half.report.files[0].status, 'imported');
        assert.ok(half.report.files[0].errors >= 2, `damage and unreadable rows counted: ${half.report.files[0].errors}`);

        const garbled = Buffer.from(full);
        for (let i = 0; i < 8192; i++) garbled[Math.floor(garbled.length / 2) + i] = (i * 131) & 255;
        writeFileSync(path, garbled);
        const bad = await importInto([path], { sink });
        assert.equal(bad.report.files[0].status, 'imported');
        assert.ok(bad.report.files[0].errors >= 2, `damage and unreadable rows counted: ${bad.report.files[0].errors}`);

        writeFileSync(path, full);
        await importInto([path], { sink });
        assert.equal(sink.latestInteractions().size, whole);
      });
    }

    it('a file with no SQLite header is refused with a clear error', async () => {
      const path = join(tempDir(), 'state.vscdb');
      writeFileSync(path, Buffer.concat([Buffer.from('SQLite format 2\u0000'), Buffer.alloc(4096)]));
      const { report } = await importInto([path]);
      assert.deepEqual([report.files[0].status, report.files[0].errors], ['failed', 1]);
      assert.match(report.files[0].error ?? '', /binary data, not a transcript/);
    });
  });

  describe('a database locked by its writer', () => {
    it('is read while another process holds an exclusive lock mid-transaction: committed rows in, uncommitted ones not', async () => {
      const dir = tempDir();
      const path = join(dir, 'opencode.db');
      writeFileSync(path, readFileSync(copyFixture(F.opencodeDb, tempDir())));
      // SQLite itself (Python's sqlite3, rollback journal) takes an EXCLUSIVE lock and writes a session it has not committed.
      const script = `
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute('PRAGMA journal_mode=DELETE')
c.execute('BEGIN EXCLUSIVE')
c.execute("INSERT INTO session (id, project_id, slug, directory, title, version, time_created, time_updated) VALUES ('ses_uncommitted', 'p', 's', '/w', 'not yet', '1', 1, 1)")
print('locked', flush=True)
time.sleep(30)
`;
      const writer = spawn('python3', ['-c', script, path], { stdio: ['ignore', 'pipe', 'inherit'] });
      try {
        await new Promise<void>((resolve, reject) => {
          writer.stdout.on('data', (chunk: Buffer) => { if (chunk.toString().includes('locked')) resolve(); });
          writer.on('exit', (code) => reject(new Error(`writer exited ${code}`)));
        });
        const { report, sink } = await importInto([path]);
        assert.deepEqual([report.files[0].status, report.files[0].sessions, report.files[0].interactions, report.files[0].errors], ['imported', 2, 2, 0]);
        assert.ok(!JSON.stringify(sink.events).includes('not yet'));
        assert.ok(existsSync(`${path}-journal`), 'the writer\'s journal is still there, untouched');
      } finally {
        writer.kill();
      }
    });
  });

  describe('a live database in WAL mode', () => {
    it('reads the commits still in <db>-wal, ignores a torn frame after them, and writes nothing beside the files', async () => {
      const dir = tempDir();
      // SQLite itself (Python's sqlite3) writes an OpenCode-shaped database whose rows are only in the WAL,
      // as OpenCode's would be between checkpoints; the files are copied while its connection is open.
      const script = `
import sqlite3, shutil, sys, json
d = sys.argv[1]
c = sqlite3.connect(d + '/live.db')
c.execute('PRAGMA journal_mode=WAL'); c.execute('PRAGMA wal_autocheckpoint=0')
c.execute('CREATE TABLE session (id TEXT PRIMARY KEY, title TEXT, directory TEXT, time_created INTEGER, time_updated INTEGER)')
c.execute('CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT, time_created INTEGER, time_updated INTEGER, data TEXT)')
c.execute('CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT, session_id TEXT, time_created INTEGER, time_updated INTEGER, data TEXT)')
c.commit()
c.execute('PRAGMA wal_checkpoint(TRUNCATE)')
c.execute("INSERT INTO session VALUES ('ses_live', 'live', '/w', 1000, 2000)")
c.execute("INSERT INTO message VALUES ('msg_1', 'ses_live', 1000, 1000, ?)", (json.dumps({'role': 'user'}),))
c.execute("INSERT INTO part VALUES ('prt_1', 'msg_1', 'ses_live', 1000, 1000, ?)", (json.dumps({'type': 'text', 'text': 'hello from the wal'}),))
c.execute("INSERT INTO message VALUES ('msg_2', 'ses_live', 1500, 1500, ?)", (json.dumps({'role': 'assistant', 'modelID': 'm'}),))
c.execute("INSERT INTO part VALUES ('prt_2', 'msg_2', 'ses_live', 1500, 1500, ?)", (json.dumps({'type': 'text', 'text': 'hi'}),))
c.commit()
shutil.copy(d + '/live.db', d + '/copy/opencode.db')
shutil.copy(d + '/live.db-wal', d + '/copy/opencode.db-wal')
c.close()
`;
      execFileSync('mkdir', ['-p', join(dir, 'copy')]);
      execFileSync('python3', ['-c', script, dir]);
      const path = join(dir, 'copy', 'opencode.db');
      // A torn tail: half a frame the writer had not finished.
      writeFileSync(`${path}-wal`, Buffer.concat([readFileSync(`${path}-wal`), Buffer.alloc(1000, 7)]));
      const before = untouchedSnapshot(path);
      const walBefore = readFileSync(`${path}-wal`);
      const { report, sink } = await importInto([path]);
      assert.deepEqual([report.files[0].status, report.files[0].interactions, report.files[0].errors], ['imported', 1, 0]);
      assert.equal(sink.interactions()[0].user_request, 'hello from the wal');
      assert.deepEqual(untouchedSnapshot(path), before);
      assert.ok(walBefore.equals(readFileSync(`${path}-wal`)));
      assert.equal(existsSync(`${path}-shm`), false);
    });
  });
});
