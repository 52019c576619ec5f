// `--format auto` decides by the records' shape, not the file name; a forced format that does not
// match is a clear error.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { detectFile } from '../../extension/server/importers/formatDetection';
import { ClaudeRecordFactory, claudeTurn } from './claudeRecordFactory';
import { fixture, fixtureFiles, importInto, whenFixtures } from './importersSupport';
import { NEW_AGENT_KINDS } from './newAgentsSupport';

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'autodidact-detect-'));
}

describe('format detection by record shape', () => {
  it('tells hand-made files apart whatever they are called', async () => {
    const dir = tmp();
    const write = (name: string, text: string): string => { writeFileSync(join(dir, name), text); return join(dir, name); };
    const cases: Array<[string, string]> = [
      [write('a.log', `${claudeTurn(new ClaudeRecordFactory(), 1).join('\n')}\n`), 'claude-code'],
      [write('b.txt', `${JSON.stringify({ timestamp: 't', type: 'session_meta', payload: { id: 'x' } })}\n`), 'codex'],
      [write('c.data', `${JSON.stringify({ eventName: 'chatInteraction', schema: '0.2.0', timestamp: 1 })}\n`), 'continue-dev-data'],
      [write('d', `${JSON.stringify({ kind: 0, v: { requests: [] } })}\n`), 'copilot-change-log'],
      [write('e', `${JSON.stringify({ type: 'session.start', data: { sessionId: 's' } })}\n`), 'copilot-transcript'],
      [write('f.json', JSON.stringify({ version: 3, sessionId: 's', requests: [] })), 'copilot-session'],
      [write('g.json', JSON.stringify({ sessionId: 's', title: 't', history: [] }, null, 2)), 'continue-session'],
      [write('h.json', JSON.stringify([{ role: 'user', content: 'x', ts: 1 }], null, 2)), 'cline-task'],
      [write('i.json', JSON.stringify({ version: 1, sessionId: 's', messages: [] })), 'cline-sdk-messages'],
      [write('j.md', '\n# aider chat started at 2025-01-01 10:00:00\n\n#### hi\n'), 'aider-history'],
      [write('k', '\n# 2025-01-01 10:00:00.123\n+hi\n'), 'aider-input'],
      [write('l.jsonl', `not json at all\n${claudeTurn(new ClaudeRecordFactory(), 1)[0]}\n`), 'claude-code'],
    ];
    for (const [path, kind] of cases) {
      const detection = await detectFile(path);
      assert.ok(detection.ok && detection.kind === kind, `${path}: expected ${kind}, got ${JSON.stringify(detection)}`);
    }
  });

  it('a forced format that does not match is an error, not a guess', async () => {
    const path = join(tmp(), 'x.jsonl');
    writeFileSync(path, `${claudeTurn(new ClaudeRecordFactory(), 1).join('\n')}\n`);
    const { report } = await importInto([path], { format: 'codex' });
    assert.deepEqual([report.files[0].status, report.files[0].error], ['failed', 'not a codex transcript (its records look like claude-code)']);
    const forced = await importInto([path], { format: 'claude-code' });
    assert.equal(forced.report.files[0].interactions, 1);
  });

  it('unrelated JSON and text are not recognised', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0' }));
    writeFileSync(join(dir, 'notes.md'), '# Notes\n\nnothing here\n');
    for (const name of ['package.json', 'notes.md']) {
      const detection = await detectFile(join(dir, name));
      assert.deepEqual(detection, { ok: false, error: 'format not recognised', format: undefined });
    }
  });
});

whenFixtures('format detection on renamed fixtures', () => {
  it('detects every real fixture copied under a neutral name', async () => {
    const dir = tmp();
    const expected: Record<string, string> = {
      'aider/afi-core/.aider.chat.history.md': 'aider-history', 'aider/afi-core/.aider.input.history': 'aider-input',
      'cline/cline4-sdk_session.json': 'cline-sdk-manifest', 'cline/cline4-sdk_session.messages.json': 'cline-sdk-messages',
      'continue/dev_data/0.2.0/autocomplete.jsonl': 'continue-dev-data', 'copilot/gitai_chatSessions_v3_legacy.json': 'copilot-session',
      'copilot/gitai_copilot-chat-transcripts_event-stream.jsonl': 'copilot-transcript',
      'roo-code/task-bc93a6f7/api_conversation_history.json': 'cline-task', 'roo-code/task-bc93a6f7/ui_messages.json': 'cline-task',
      ...NEW_AGENT_KINDS,
    };
    for (const [n, file] of fixtureFiles().entries()) {
      const copy = join(dir, `file${n}`);
      copyFileSync(fixture(file), copy);
      const detection = await detectFile(copy);
      const want = expected[file] ?? (file.startsWith('claude-code/') ? 'claude-code' : file.startsWith('codex/') ? 'codex' : undefined);
      if (want === undefined) assert.equal(detection.ok, false, file);
      else assert.ok(detection.ok && detection.kind === want, `${file}: ${JSON.stringify(detection).slice(0, 200)}`);
    }
  });

  it('importing the whole fixture folder reads each source once', async () => {
    const { report } = await importInto([fixture('.')]);
    // 14 files: the Roo task's two files are one unit, the Aider pair one unit, the Cline SDK
    // manifest goes with its messages file, the not-Roo metadata file is not a transcript.
    // Plus the 12 transcripts of the seven newer assistants (the Droid settings go with their session).
    assert.equal(report.files.length, 10 + 12);
    assert.ok(report.files.every((file) => file.status === 'imported'));
    // Continue's 35 autocomplete records are suggestion outcomes, not interactions (6e75fa9).
    assert.equal(report.totals.interactions, 1 + 1 + 1 + 2 + 5 + 6 + 3 + 1 + 28 + 18);
  });
});
