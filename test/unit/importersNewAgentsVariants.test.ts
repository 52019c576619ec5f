// Variants of the seven newer formats that have no real sample (written from FORMATS.md), growing
// and damaged copies of the real ones, and the standard locations on Linux, macOS and Windows.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { run } from '../../extension/server/cli/importCommand';
import { discoverSources } from '../../extension/server/importers/discoverSources';
import type { ImportReport } from '../../extension/server/importers/importReport';
import { loadSqlJs } from '../../extension/server/store/sqlDatabase';
import { ArrayCaptureSink, fixture, importInto } from './importersSupport';
import { NEW_AGENT_FIXTURES as F, tempDir, whenNewAgentFixtures } from './newAgentsSupport';

describe('newer formats without a real sample', () => {
  it('Cursor 0.4x state.vscdb: chat tabs and inline composers from ItemTable; tokens and encryption keys never stored', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run('CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)');
    db.run('CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)');
    const put = (key: string, value: unknown): void => { db.run('INSERT INTO ItemTable VALUES (?, ?)', [key, new TextEncoder().encode(JSON.stringify(value))]); };
    put('cursorAuth/accessToken', 'eyJhbGciOiJIUzI1NiJ9.secret-access-token-value');
    put('workbench.panel.aichat.view.aichat.chatdata', {
      tabs: [{ tabId: 'tab-1', chatTitle: 'Fix the parser', lastSendTime: 1730000000000, bubbles: [
        { type: 'user', id: 'b1', text: 'why does parse() drop the last token?' },
        { type: 'ai', id: 'b2', text: 'The loop stops one short.' },
        { type: 'user', id: 'b3', text: 'fix it' },
        { type: 'ai', id: 'b4', text: 'Changed `<` to `<=`.' },
      ] }],
    });
    put('composer.composerData', {
      allComposers: [{ composerId: 'c-1', name: 'Rename', createdAt: 1730000100000, blobEncryptionKey: 'k3y-BLOB-ENCRYPTION-0123456789abcdef', conversation: [
        { type: 1, bubbleId: 'u1', text: 'rename foo to bar' },
        { type: 2, bubbleId: 'a1', text: 'Renamed.' },
      ], codeBlockData: {
        'file:///w/foo.ts': { cb1: { bubbleId: 'a1', uri: { fsPath: '/w/foo.ts', path: '/w/foo.ts' }, status: 'accepted', createdAt: 1730000100500 } },
        'file:///w/bar.ts': { cb2: { bubbleId: 'a1', uri: { fsPath: '/w/bar.ts', path: '/w/bar.ts' }, status: 'rejected', createdAt: 1730000100600 } },
      } }],
    });
    const path = join(tempDir(), 'state.vscdb');
    writeFileSync(path, db.export());
    const { report, sink } = await importInto([path]);
    assert.deepEqual([report.files[0].format, report.files[0].sessions, report.files[0].interactions], ['cursor', 2, 3]);
    const turns = sink.interactions();
    assert.deepEqual(turns.map((t) => [t.user_request, t.assistant_response]), [
      ['why does parse() drop the last token?', 'The loop stops one short.'], ['fix it', 'Changed `<` to `<=`.'], ['rename foo to bar', 'Renamed.'],
    ]);
    assert.ok(turns[1].startedAt > turns[0].startedAt, 'untimed turns still sort in order');
    assert.deepEqual(sink.sessions().map((s) => s.title), ['Fix the parser', 'Rename']);
    // The code block the user accepted is the edit; the rejected one an edit_undone.
    assert.deepEqual(turns[2].files_modified, ['/w/foo.ts']);
    assert.deepEqual(sink.outcomes().map((o) => [o.kind, o.detail]), [['edit_kept', '/w/foo.ts'], ['edit_undone', '/w/bar.ts']]);
    const everything = JSON.stringify(sink.events);
    assert.ok(!everything.includes('secret-access-token-value'));
    assert.ok(!everything.includes('k3y-BLOB-ENCRYPTION'));
  });

  it('OpenCode JSON storage (before the database): a session from its files, a damaged part counted, new messages added alone', async () => {
    const storage = join(tempDir(), 'opencode', 'storage');
    const put = (relativePath: string, value: unknown): void => {
      mkdirSync(join(storage, relativePath, '..'), { recursive: true });
      writeFileSync(join(storage, relativePath), typeof value === 'string' ? value : JSON.stringify(value));
    };
    put('session/proj1/ses_A.json', { id: 'ses_A', projectID: 'proj1', directory: '/w/app', title: 'Fix the off-by-one', version: '0.9.1', time: { created: 1000, updated: 5000 } });
    put('message/ses_A/msg_001.json', { id: 'msg_001', sessionID: 'ses_A', role: 'user', time: { created: 1000 } });
    put('part/msg_001/prt_001.json', { id: 'prt_001', messageID: 'msg_001', sessionID: 'ses_A', type: 'text', text: 'fix the off-by-one in range.ts' });
    put('message/ses_A/msg_002.json', { id: 'msg_002', sessionID: 'ses_A', role: 'assistant', modelID: 'claude-sonnet-4', time: { created: 2000, completed: 3000 } });
    put('part/msg_002/prt_002.json', { id: 'prt_002', messageID: 'msg_002', sessionID: 'ses_A', type: 'tool', tool: 'edit', callID: 'c1',
      state: { status: 'completed', input: { filePath: '/w/app/range.ts' }, output: '', metadata: { filediff: { additions: 1, deletions: 1 } }, time: { start: 2100, end: 2200 } } });
    put('part/msg_002/prt_003.json', '{"id": "prt_003", "type": "text", "tex');
    put('part/msg_002/prt_004.json', { id: 'prt_004', messageID: 'msg_002', sessionID: 'ses_A', type: 'text', text: 'Fixed: `<` is now `<=`.' });
    put('session_diff/ses_A.json', [{ file: 'range.ts', before: 'a', after: 'b', additions: 1, deletions: 1, status: 'modified' }]);
    const sink = new ArrayCaptureSink();
    const first = await importInto([join(storage, 'session')], { sink });
    assert.deepEqual(first.report.files.map((f) => [f.format, f.status, f.sessions, f.interactions, f.toolCalls, f.edits, f.errors]), [['opencode', 'imported', 1, 1, 1, 1, 1]]);
    const [turn] = sink.interactions();
    assert.deepEqual([turn.user_request, turn.assistant_response, turn.model, turn.files_modified], ['fix the off-by-one in range.ts', 'Fixed: `<` is now `<=`.', 'claude-sonnet-4', ['/w/app/range.ts']]);
    assert.deepEqual(sink.sessions()[0].workspace, '/w/app');

    put('part/msg_002/prt_003.json', { id: 'prt_003', messageID: 'msg_002', sessionID: 'ses_A', type: 'reasoning', text: 'look at the loop' });
    put('message/ses_A/msg_003.json', { id: 'msg_003', sessionID: 'ses_A', role: 'user', time: { created: 6000 } });
    put('part/msg_003/prt_005.json', { id: 'prt_005', messageID: 'msg_003', sessionID: 'ses_A', type: 'text', text: 'thanks, now run the tests' });
    const second = await importInto([join(storage, 'session')], { sink });
    // The first turn's part file changed (it was being written), so that turn is read again, and the new one.
    assert.deepEqual([second.report.files[0].interactions, second.report.files[0].errors], [2, 0]);
    assert.equal(sink.latestInteractions().size, 2);
    const third = await importInto([join(storage, 'session')], { sink });
    assert.deepEqual([third.report.files[0].status, third.report.files[0].interactions], ['unchanged', 0]);
  });

  it('Gemini CLI JSONL: $rewindTo drops a message and what follows; a garbled line and a cut-off last line are counted', async () => {
    const path = join(tempDir(), 'session-2026-01-01T10-00-abcd1234.jsonl');
    const lines = [
      { sessionId: 'abcd1234-0000', projectHash: 'p', startTime: '2026-01-01T10:00:00.000Z', lastUpdated: '2026-01-01T10:00:00.000Z', kind: 'main' },
      { id: 'u1', timestamp: '2026-01-01T10:00:01.000Z', type: 'user', content: [{ text: 'first try' }] },
      { id: 'g1', timestamp: '2026-01-01T10:00:02.000Z', type: 'gemini', content: 'wrong answer', model: 'gemini-2.5-pro' },
      { $rewindTo: 'u1' },
      { id: 'u2', timestamp: '2026-01-01T10:01:00.000Z', type: 'user', content: [{ text: 'second try' }] },
      { id: 'g2', timestamp: '2026-01-01T10:01:01.000Z', type: 'gemini', content: '', toolCalls: [
        { id: 'sh1', name: 'run_shell_command', args: { command: 'npm test' }, status: 'success', timestamp: '2026-01-01T10:01:02.000Z',
          result: [{ functionResponse: { id: 'sh1', name: 'run_shell_command', response: { output: 'Tests:       2 failed, 3 passed, 5 total\nExit Code: 1' } } }] },
      ] },
      { id: 'g2', timestamp: '2026-01-01T10:01:01.000Z', type: 'gemini', content: 'Two tests fail.', toolCalls: [
        { id: 'sh1', name: 'run_shell_command', args: { command: 'npm test' }, status: 'success', timestamp: '2026-01-01T10:01:02.000Z',
          result: [{ functionResponse: { id: 'sh1', name: 'run_shell_command', response: { output: 'Tests:       2 failed, 3 passed, 5 total\nExit Code: 1' } } }] },
      ] },
      { $set: { summary: 'Run the tests', lastUpdated: '2026-01-01T10:01:03.000Z' } },
    ].map((line) => JSON.stringify(line));
    writeFileSync(path, `${lines.slice(0, 3).join('\n')}\n{not json\n${lines.slice(3).join('\n')}\n{"id":"u3","type":"us`);
    const { report, sink } = await importInto([path]);
    const file = report.files[0];
    assert.deepEqual([file.format, file.interactions, file.toolCalls, file.errors, file.truncated], ['gemini-cli', 1, 1, 2, 1]);
    const [turn] = sink.interactions();
    assert.deepEqual([turn.user_request, turn.assistant_response], ['second try', 'Two tests fail.']);
    assert.deepEqual(turn.issues_encountered, ['exit code 1: npm test']);
    assert.deepEqual(sink.outcomes().map((o) => [o.kind, o.value]), [['tool_ok', undefined], ['exit_code', 1], ['test_failed', 2]]);
    assert.equal(sink.sessions()[0].title, 'Run the tests');
  });

  it('Copilot CLI legacy JSON with chatMessages only, and a half-written copy that waits for the next import', async () => {
    const dir = tempDir();
    const path = join(dir, '0c0ffee0.json');
    const session = {
      sessionId: '0c0ffee0-1', startTime: '2025-09-01T08:00:00.000Z', timeline: [],
      chatMessages: [
        { role: 'user', content: 'create hello.py' },
        { role: 'assistant', content: 'Creating it.', tool_calls: [{ id: 't1', type: 'function', function: { name: 'str_replace_editor', arguments: '{"command":"create","path":"/w/hello.py"}' } }] },
        { role: 'tool', tool_call_id: 't1', content: 'Created file /w/hello.py' },
        { role: 'assistant', content: 'Done.' },
      ],
    };
    const text = JSON.stringify(session, null, 4);
    writeFileSync(path, text.slice(0, text.length / 2));
    const sink = new ArrayCaptureSink();
    const half = await importInto([path], { sink });
    assert.equal(half.report.files[0].status, 'failed');
    assert.match(half.report.files[0].error ?? '', /half-written/);
    writeFileSync(path, text);
    const whole = await importInto([path], { sink });
    assert.deepEqual([whole.report.files[0].format, whole.report.files[0].interactions, whole.report.files[0].toolCalls], ['copilot-cli', 1, 1]);
    const [turn] = sink.interactions();
    assert.deepEqual([turn.user_request, turn.assistant_response], ['create hello.py', 'Creating it.\n\nDone.']);
  });
});

whenNewAgentFixtures('newer formats: growing and damaged copies of the real files', () => {
  describe('append-only JSONL grows', () => {
    const cases: Array<[string, string, number]> = [
      ['Copilot CLI events.jsonl', F.copilotEvents, 1], ['Windsurf transcript', F.windsurf, 4], ['Factory Droid session', F.droid, 1], ['Cursor agent transcript', F.cursorTranscript, 1],
    ];
    for (const [name, relativePath, turns] of cases) {
      it(`${name}: importing the first half, then the whole, gives the turns of a single import, with the same ids`, async () => {
        const whole = readFileSync(fixture(relativePath), 'utf8');
        const once = await importInto([fixture(relativePath)]);
        const path = join(tempDir(), relativePath.split('/').pop() ?? 'x.jsonl');
        const lines = whole.split('\n');
        const cut = Math.ceil(lines.length / 2);
        writeFileSync(path, `${lines.slice(0, cut).join('\n')}\n`);
        const sink = new ArrayCaptureSink();
        await importInto([path], { sink });
        appendFileSync(path, lines.slice(cut).join('\n'));
        const second = await importInto([path], { sink });
        assert.equal(second.report.files[0].status, 'imported');
        assert.ok(second.report.files[0].interactions <= turns, 'only the open turn and new ones are read again');
        const latest = [...sink.latestInteractions().values()];
        assert.equal(latest.length, turns);
        assert.deepEqual(latest.map((t) => [t.user_request, t.tools_used, t.files_modified]), once.sink.interactions().map((t) => [t.user_request, t.tools_used, t.files_modified]));
        const third = await importInto([path], { sink });
        assert.equal(third.report.files[0].status, 'unchanged');
      });
    }
  });

  it('Cursor: the global database\'s composers get the folder their workspace database lists them under', async () => {
    const user = join(tempDir(), 'User');
    mkdirSync(join(user, 'globalStorage'), { recursive: true });
    mkdirSync(join(user, 'workspaceStorage', 'ws-a'), { recursive: true });
    writeFileSync(join(user, 'globalStorage', 'state.vscdb'), readFileSync(fixture(F.cursorDb)));
    writeFileSync(join(user, 'workspaceStorage', 'ws-a', 'workspace.json'), JSON.stringify({ folder: 'file:///Users/svarlamov/projects/git-ai' }));
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run('CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)');
    db.run('INSERT INTO ItemTable VALUES (?, ?)', ['composer.composerData', JSON.stringify({ allComposers: [{ composerId: '00812842-49fe-4699-afae-bb22cda3f6e1', name: 'Retrieve SQLite cursor queries' }] })]);
    writeFileSync(join(user, 'workspaceStorage', 'ws-a', 'state.vscdb'), db.export());
    const { report, sink } = await importInto([user]);
    // The workspace database has no conversation of its own: a row with nothing in it, not a failure.
    assert.deepEqual(report.files.map((f) => [f.path.split('/').slice(-2).join('/'), f.status, f.interactions]), [
      ['globalStorage/state.vscdb', 'imported', 2], ['ws-a/state.vscdb', 'imported', 0],
    ]);
    assert.equal(sink.sessions()[0].workspace, '/Users/svarlamov/projects/git-ai');
  });

  it('Gemini JSONL and JSON, Amp, Copilot CLI JSON grown in place: only the last turn seen and the new one are emitted', async () => {
    const dir = tempDir();
    const jsonl = join(dir, 'session-2026-04-23T12-52-0ab84937.jsonl');
    writeFileSync(jsonl, readFileSync(fixture(F.geminiJsonl)));
    const legacy = join(dir, 'session-2025-12-06T18-25-18f475c0.json');
    writeFileSync(legacy, readFileSync(fixture(F.geminiGitai)));
    const amp = join(dir, 'T-019ca1ce-3ae2-7686-a41e-ccc078837f8a.json');
    writeFileSync(amp, readFileSync(fixture(F.amp)));
    const copilot = join(dir, 'session_0b2a81da.json');
    writeFileSync(copilot, readFileSync(fixture(F.copilotLegacy)));
    const sink = new ArrayCaptureSink();
    const first = await importInto([jsonl, legacy, amp, copilot], { sink });
    assert.deepEqual(first.report.files.map((f) => f.interactions), [2, 1, 1, 1]);

    appendFileSync(jsonl, `${JSON.stringify({ id: 'u-new', timestamp: '2026-04-23T13:00:00.000Z', type: 'user', content: [{ text: 'one more change' }] })}\n`
      + `${JSON.stringify({ id: 'g-new', timestamp: '2026-04-23T13:00:05.000Z', type: 'gemini', content: 'Done.', model: 'gemini-3-flash-preview' })}\n`);
    const legacyDoc = JSON.parse(readFileSync(legacy, 'utf8')) as { messages: unknown[] };
    legacyDoc.messages.push({ id: 'u-new', timestamp: '2025-12-06T18:30:00.000Z', type: 'user', content: 'and hello alice' }, { id: 'g-new', timestamp: '2025-12-06T18:30:05.000Z', type: 'gemini', content: 'Added.' });
    writeFileSync(legacy, JSON.stringify(legacyDoc, null, 2));
    const thread = JSON.parse(readFileSync(amp, 'utf8')) as { messages: unknown[] };
    thread.messages.push({ role: 'user', messageId: 6, content: [{ type: 'text', text: 'go ahead' }], meta: { sentAt: 1772241300000 } },
      { role: 'assistant', messageId: 7, content: [{ type: 'text', text: 'Implemented.' }], state: { type: 'complete' }, usage: { model: 'claude-opus-4-6' } });
    writeFileSync(amp, JSON.stringify(thread));
    const before = sink.events.length;
    const second = await importInto([jsonl, legacy, amp, copilot], { sink });
    // Copilot's file did not change; each grown one re-reads its last turn and adds the new one.
    assert.deepEqual(second.report.files.map((f) => [f.status, f.interactions]), [['imported', 2], ['imported', 2], ['imported', 2], ['unchanged', 0]]);
    const emitted = sink.events.slice(before).flatMap((e) => (e.type === 'interaction' ? [e.interaction.user_request] : []));
    assert.deepEqual(emitted.filter((r) => ['one more change', 'and hello alice', 'go ahead'].includes(r)), ['one more change', 'and hello alice', 'go ahead']);
    assert.equal(sink.latestInteractions().size, 5 + 3);
    // Rewritten without a change to any turn (same content, new mtime): nothing is emitted.
    writeFileSync(copilot, `${readFileSync(copilot, 'utf8')}\n`);
    const third = await importInto([copilot], { sink });
    assert.deepEqual([third.report.files[0].status, third.report.files[0].interactions], ['imported', 0]);
  });

  it('Cursor: an agent transcript of a conversation already read from the database is not imported twice', async () => {
    const dir = tempDir();
    const composerId = '00812842-49fe-4699-afae-bb22cda3f6e1';
    const db = join(dir, 'state.vscdb');
    writeFileSync(db, readFileSync(fixture(F.cursorDb)));
    mkdirSync(join(dir, 'agent-transcripts', composerId), { recursive: true });
    const transcript = join(dir, 'agent-transcripts', composerId, `${composerId}.jsonl`);
    writeFileSync(transcript, readFileSync(fixture(F.cursorTranscript)));
    const other = join(dir, 'agent-transcripts', 'a1b2c3d4', 'a1b2c3d4.jsonl');
    mkdirSync(join(other, '..'), { recursive: true });
    writeFileSync(other, readFileSync(fixture(F.cursorTranscript)));
    const { report } = await importInto([db, transcript, other]);
    assert.deepEqual(report.files.map((f) => [f.status, f.interactions]), [['imported', 2], ['unchanged', 0], ['imported', 1]]);
  });

  it('a garbled line in a real transcript is counted and the rest imported', async () => {
    const lines = readFileSync(fixture(F.windsurf), 'utf8').split('\n');
    lines.splice(5, 0, '\u0000\u0001garbage{{');
    const path = join(tempDir(), 'song.jsonl');
    writeFileSync(path, lines.join('\n'));
    const { report } = await importInto([path]);
    assert.deepEqual([report.files[0].interactions, report.files[0].toolCalls, report.files[0].errors], [4, 18, 2]);
  });

  it('an Amp thread cut short is refused until it is whole', async () => {
    const text = readFileSync(fixture(F.amp), 'utf8');
    const path = join(tempDir(), 'T-cut.json');
    writeFileSync(path, text.slice(0, 5000));
    const { report } = await importInto([path]);
    assert.equal(report.files[0].status, 'failed');
    assert.equal(report.files[0].errors, 1);
  });
});

whenNewAgentFixtures('`autodidact import` with no paths finds the newer assistants at home', () => {
  it('a home laid out as on Linux, with the real files where each assistant writes them: all seven imported', async () => {
    const home = tempDir('autodidact-home-');
    const place = (relativePath: string, to: string): void => {
      mkdirSync(join(home, to, '..'), { recursive: true });
      writeFileSync(join(home, to), readFileSync(fixture(relativePath)));
    };
    place(F.cursorDb, '.config/Cursor/User/globalStorage/state.vscdb');
    place(F.cursorTranscript, '.cursor/projects/Users-a-p/agent-transcripts/5f0c/5f0c.jsonl');
    place(F.geminiGitai, '.gemini/tmp/28be4f5f/chats/session-2025-12-06T18-25-18f475c0.json');
    place(F.geminiJsonl, '.gemini/tmp/discordbot/chats/session-2026-04-23T12-52-0ab84937.jsonl');
    place(F.opencodeDb, '.local/share/opencode/opencode.db');
    place('opencode/linchen_v1.1-1.2/storage/session_diff/ses_3a8ef361affe3Qr05TZvm9q4uU.json', '.local/share/opencode/storage/session_diff/ses_3a8ef361affe3Qr05TZvm9q4uU.json');
    place(F.copilotEvents, '.copilot/session-state/96ef38f0-9d09-45c3-8124-6448c36090ed/events.jsonl');
    place(F.copilotLegacy, '.copilot/history-session-state/session_0b2a81da.json');
    place(F.windsurf, '.windsurf/transcripts/2b9c.jsonl');
    place(F.droid, '.factory/sessions/-Users-testuser-projects-testing-git/052cb8d0.jsonl');
    place('factory-droid/gitai_session_052cb8d0/052cb8d0.settings.json', '.factory/sessions/-Users-testuser-projects-testing-git/052cb8d0.settings.json');
    place(F.amp, '.local/share/amp/threads/T-019ca1ce-3ae2-7686-a41e-ccc078837f8a.json');
    const saved = { ...process.env };
    const cwd = process.cwd();
    try {
      for (const name of ['XDG_CONFIG_HOME', 'XDG_DATA_HOME', 'CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'CONTINUE_GLOBAL_DIR', 'CURSOR_CONFIG_DIR']) delete process.env[name];
      process.env.HOME = home;
      process.chdir(home);
      const sink = Object.assign(new ArrayCaptureSink(), { close: async (): Promise<void> => undefined });
      let out = '';
      const code = await run({ positional: [], flags: { json: true }, json: true, openStore: async () => sink, print: (text) => { out += text; }, printError: () => undefined });
      assert.equal(code, 0);
      const report = JSON.parse(out) as ImportReport;
      const byFormat = new Map<string, number>();
      for (const file of report.files) byFormat.set(file.format, (byFormat.get(file.format) ?? 0) + file.interactions);
      assert.deepEqual(Object.fromEntries(byFormat), { cursor: 3, 'gemini-cli': 3, opencode: 2, 'copilot-cli': 2, windsurf: 4, 'factory-droid': 1, amp: 1 });
      assert.ok(report.files.every((file) => file.status === 'imported'), JSON.stringify(report.files.map((f) => [f.path, f.status, f.error])));
      assert.equal(sink.latestInteractions().size, 16);
    } finally {
      process.chdir(cwd);
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });
});

describe('standard locations of the newer assistants', () => {
  function fakeHome(folders: string[], files: string[]): string {
    const home = tempDir('autodidact-home-');
    for (const folder of folders) mkdirSync(join(home, folder), { recursive: true });
    for (const file of files) writeFileSync(join(home, file), '');
    return home;
  }
  const found = (home: string, sources: ReturnType<typeof discoverSources>): string[] =>
    sources.map((s) => `${s.format} ${relative(home, s.path).split('\\').join('/')}`).filter((line) => !/^(claude-code|codex|continue|cline|roo|copilot|aider) /.test(line));

  it('Linux: ~/.config/Cursor, dot folders, ~/.local/share for OpenCode and Amp', () => {
    const home = fakeHome(
      ['.config/Cursor/User/globalStorage', '.config/Cursor/User/workspaceStorage/ws1', '.cursor/projects/p/agent-transcripts', '.gemini/tmp/abc/chats',
        '.local/share/opencode', '.copilot/session-state/s1', '.copilot/history-session-state', '.windsurf/transcripts', '.factory/sessions/-w', '.local/share/amp/threads'],
      ['.config/Cursor/User/globalStorage/state.vscdb', '.config/Cursor/User/workspaceStorage/ws1/state.vscdb', '.local/share/opencode/opencode.db', '.local/share/opencode/opencode-beta.db', '.local/share/opencode/auth.json'],
    );
    assert.deepEqual(found(home, discoverSources({}, home, 'linux')), [
      'cursor .config/Cursor/User/globalStorage/state.vscdb', 'cursor .config/Cursor/User/workspaceStorage/ws1/state.vscdb', 'cursor .cursor/projects',
      'gemini-cli .gemini/tmp', 'opencode .local/share/opencode/opencode-beta.db', 'opencode .local/share/opencode/opencode.db',
      'copilot-cli .copilot/session-state', 'copilot-cli .copilot/history-session-state', 'windsurf .windsurf/transcripts', 'factory-droid .factory/sessions',
      'amp .local/share/amp/threads',
    ]);
    // XDG_DATA_HOME and CURSOR_CONFIG_DIR move them.
    const moved = fakeHome(['data/opencode/storage/session', 'data/amp/threads', 'cur/projects'], ['data/opencode/opencode.db']);
    assert.deepEqual(found(moved, discoverSources({ XDG_DATA_HOME: join(moved, 'data'), CURSOR_CONFIG_DIR: join(moved, 'cur') }, moved, 'linux')), [
      'cursor cur/projects', 'opencode data/opencode/opencode.db', 'opencode data/opencode/storage/session', 'amp data/amp/threads',
    ]);
  });

  it('macOS: ~/Library/Application Support/Cursor', () => {
    const home = fakeHome(['Library/Application Support/Cursor/User/globalStorage', '.gemini/tmp'], ['Library/Application Support/Cursor/User/globalStorage/state.vscdb']);
    assert.deepEqual(found(home, discoverSources({}, home, 'darwin')), ['cursor Library/Application Support/Cursor/User/globalStorage/state.vscdb', 'gemini-cli .gemini/tmp']);
  });

  it('Windows: %APPDATA%\\Cursor, %USERPROFILE% dot folders, Amp in %LOCALAPPDATA% and %APPDATA%', () => {
    const home = fakeHome(
      ['AppData/Roaming/Cursor/User/globalStorage', '.factory/sessions', '.copilot/session-state', 'AppData/Local/amp/threads', 'AppData/Roaming/amp/threads'],
      ['AppData/Roaming/Cursor/User/globalStorage/state.vscdb'],
    );
    assert.deepEqual(found(home, discoverSources({}, home, 'win32')), [
      'cursor AppData/Roaming/Cursor/User/globalStorage/state.vscdb', 'copilot-cli .copilot/session-state', 'factory-droid .factory/sessions',
      'amp AppData/Local/amp/threads', 'amp AppData/Roaming/amp/threads',
    ]);
  });
});
