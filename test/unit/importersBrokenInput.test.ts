// Broken input is counted and reported, never fatal: a cut-off last line, garbage lines, a
// half-written whole-file JSON, record types the importer does not know, empty files, binary junk.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ClaudeRecordFactory, claudeTurn } from './claudeRecordFactory';
import { importInto } from './importersSupport';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'autodidact-broken-'));
}

describe('importers: broken input', () => {
  it('leaves a truncated last line unconsumed and counts it', async () => {
    const dir = tmp();
    const f = new ClaudeRecordFactory();
    const lines = [...claudeTurn(f, 1), ...claudeTurn(f, 2)];
    const last = lines.pop() ?? '';
    const path = join(dir, 'session.jsonl');
    writeFileSync(path, `${lines.join('\n')}\n${last.slice(0, 40)}`);
    const { report, sink } = await importInto([path]);
    assert.deepEqual([report.files[0].truncated, report.files[0].errors - 2, report.files[0].interactions], [1, 0, 2]);
    const cursor = sink.importCursor(path);
    assert.ok(cursor && cursor.offset < cursor.size, 'the cursor stops before the cut line');
  });

  it('skips a garbage line in the middle and imports the rest', async () => {
    const dir = tmp();
    const f = new ClaudeRecordFactory();
    const lines = [...claudeTurn(f, 1), '{"type":"user", this is not json', '\u0000\u0001garbage', ...claudeTurn(f, 2)];
    const path = join(dir, 'session.jsonl');
    writeFileSync(path, `${lines.join('\n')}\n`);
    const { report } = await importInto([path]);
    const file = report.files[0];
    // Two unreadable lines + one failing Bash per turn.
    assert.deepEqual([file.status, file.interactions, file.errors, file.truncated], ['imported', 2, 4, 0]);
  });

  it('reports a half-written whole-file JSON as an error of that file only', async () => {
    const dir = tmp();
    const session = { version: 3, sessionId: 's-1', creationDate: 1759845046680, requests: [{ requestId: 'r1', message: { text: 'hi' }, response: [{ value: 'hello' }], timestamp: 1759845073835 }] };
    const text = JSON.stringify(session, null, 2);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, text.slice(0, Math.floor(text.length / 2)));
    const good = join(dir, 'good.json');
    writeFileSync(good, text);
    const { report, sink } = await importInto([broken, good], { format: 'copilot' });
    const [bad, ok] = report.files;
    assert.equal(bad.status, 'failed');
    assert.match(bad.error ?? '', /half-written/);
    assert.equal(bad.errors, 1);
    assert.equal(sink.importCursor(broken), undefined, 'no cursor: it is read again next time');
    assert.deepEqual([ok.status, ok.interactions], ['imported', 1]);
  });

  it('a half-written ui_messages.json does not stop its task from importing', async () => {
    const dir = join(tmp(), 'tasks', '1700000000000');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'api_conversation_history.json'), JSON.stringify([
      { role: 'user', content: [{ type: 'text', text: '<task>\nsay hi\n</task>' }], ts: 1700000000000 },
      { role: 'assistant', content: [{ type: 'text', text: 'hi' }], ts: 1700000001000 },
    ]));
    writeFileSync(join(dir, 'ui_messages.json'), '[{"ts":1700000000000,"type":"say","say":"task","text":"say h');
    const { report } = await importInto([join(dir, 'api_conversation_history.json')]);
    assert.deepEqual([report.files[0].status, report.files[0].interactions, report.files[0].errors], ['imported', 1, 1]);
  });

  it('skips and counts record types it does not know', async () => {
    const dir = tmp();
    const f = new ClaudeRecordFactory();
    const lines = [...claudeTurn(f, 1), f.raw({ type: 'brand-new-kind', payload: 1 }), f.raw({ type: 'another-future-kind' }), ...claudeTurn(f, 2)];
    const claude = join(dir, 'session.jsonl');
    writeFileSync(claude, `${lines.join('\n')}\n`);
    const codex = join(dir, 'rollout-2025-01-01T00-00-00-11111111-2222-4333-8444-555555555555.jsonl');
    writeFileSync(codex, [
      { timestamp: '2025-01-01T00:00:00Z', type: 'session_meta', payload: { id: 's', cwd: '/w' } },
      { timestamp: '2025-01-01T00:00:01Z', type: 'response_item', payload: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] } },
      { timestamp: '2025-01-01T00:00:02Z', type: 'future_record', payload: {} },
      { timestamp: '2025-01-01T00:00:03Z', type: 'response_item', payload: { type: 'hologram_call', call_id: 'x' } },
    ].map((r) => JSON.stringify(r)).join('\n') + '\n');
    const { report } = await importInto([claude, codex]);
    assert.deepEqual(report.files.map((file) => [file.skipped, file.interactions]), [[2, 2], [2, 1]]);
  });

  it('an empty transcript imports nothing; an empty unknown file is a clear failure', async () => {
    const dir = join(tmp(), '.claude', 'projects', '-home-dev-project');
    mkdirSync(dir, { recursive: true });
    const empty = join(dir, 'bbbbbbbb-0000-4000-8000-000000000000.jsonl');
    writeFileSync(empty, '');
    const unknown = join(dir, 'notes.txt');
    writeFileSync(unknown, '');
    const { report, sink } = await importInto([empty, unknown]);
    const byPath = new Map(report.files.map((file) => [file.path, file]));
    assert.deepEqual([byPath.get(empty)?.status, byPath.get(empty)?.format, byPath.get(empty)?.interactions], ['imported', 'claude-code', 0]);
    assert.deepEqual([byPath.get(unknown)?.status, byPath.get(unknown)?.error], ['failed', 'empty file']);
    assert.equal(sink.interactions().length, 0);
  });

  it('refuses binary junk with a clear error', async () => {
    const dir = tmp();
    const junk = join(dir, 'session.jsonl');
    writeFileSync(junk, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const { report } = await importInto([junk]);
    assert.deepEqual([report.files[0].status, report.files[0].error], ['failed', 'binary data, not a transcript']);
  });

  it('reports a path that does not exist and still imports the others', async () => {
    const dir = tmp();
    const f = new ClaudeRecordFactory();
    const path = join(dir, 'ok.jsonl');
    writeFileSync(path, `${claudeTurn(f, 1).join('\n')}\n`);
    const { report } = await importInto([join(dir, 'missing.jsonl'), path]);
    assert.deepEqual(report.files.map((file) => file.status), ['failed', 'imported']);
    assert.match(report.files[0].error ?? '', /ENOENT/);
    assert.equal(report.totals.interactions, 1);
  });
});
