// Copilot Chat turns on the real chatSessions file in ../shared: each request paired with its
// answer, and the edit the answer made extracted (its code in the answer, the file, the tool and
// the size of the change), not an empty code fence.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixture, importInto, whenFixtures } from './importersSupport';

const SESSION = 'copilot/gitai_chatSessions_v3_legacy.json';

whenFixtures('Copilot turns on the real session', () => {
  describe('chatSessions v3 (git-ai capture)', () => {
    it('turn 2 ("Change Bonjour World to hello world") carries the edit it made', async () => {
      const { sink } = await importInto([fixture(SESSION)]);
      const turns = sink.interactions();
      assert.deepEqual(turns.map((t) => t.user_request), ['What can you help me with?', 'Change Bonjour World to hello world', 'Search for any other mentions of Bonjour']);
      const edit = turns[1];
      // The textEditGroup's text sits inside the fence the answer opened for it.
      assert.equal(edit.assistant_response, [
        'I\'ll change "Bonjour World" to "hello world" in your selected text. ',
        '```',
        '// Print numbers 1 through 10',
        'for (let i = 1; i <= 10; i++) {',
        '\tconsole.log(i);',
        '}',
        '',
        "console.log('hello world');",
        '```',
        'Done! I\'ve changed "Bonjour World" to "hello world" in line 10 of your `index.ts` file.',
      ].join('\n'));
      assert.deepEqual(edit.files_modified, ['/Users/svarlamov/projects/testing-git/index.ts']);
      assert.deepEqual(edit.solutions_applied, ['replace_string_in_file edited /Users/svarlamov/projects/testing-git/index.ts']);
      // Six lines written over the range 5-10.
      assert.deepEqual(sink.files().map((f) => [f.interactionId, f.linesAdded, f.linesRemoved]), [[edit.id, 6, 6]]);
      assert.ok(turns[2].assistant_response.startsWith('I\'ll search for any other mentions of "Bonjour" in your workspace.'));
    });
  });
});

describe('Copilot agent transcript, hand-made (same events as the sample in ../shared)', () => {
  it('a terminal command\'s output is read as a test run', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'autodidact-copilot-turns-')), 'GitHub.copilot-chat', 'transcripts');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, '11111111-2222-4333-8444-555555555555.jsonl');
    const event = (type: string, data: Record<string, unknown>, n: number): string => JSON.stringify({ type, data, id: `e${n}`, timestamp: `2026-05-11T23:13:1${n}.000Z`, parentId: n === 0 ? null : `e${n - 1}` });
    writeFileSync(path, [
      event('session.start', { sessionId: '11111111-2222-4333-8444-555555555555', version: 1, producer: 'copilot-agent', copilotVersion: '0.47.0', vscodeVersion: '1.119.0', startTime: '2026-05-11T23:13:10.000Z' }, 0),
      event('user.message', { content: 'run the tests', attachments: [] }, 1),
      event('assistant.message', { messageId: 'm1', content: 'Running them.', toolRequests: [{ toolCallId: 'call_t', name: 'run_in_terminal', arguments: '{"command":"npx vitest run","explanation":"tests","isBackground":false}', type: 'function' }] }, 2),
      event('tool.execution_complete', { toolCallId: 'call_t', success: true, result: { content: ' Test Files  1 failed | 2 passed (3)\n      Tests  2 failed | 30 passed (32)\n   Duration  1.20s' } }, 3),
      event('assistant.message', { messageId: 'm2', content: 'Two tests fail.', toolRequests: [] }, 4),
    ].join('\n') + '\n');
    const { sink } = await importInto([path]);
    const [turn] = sink.interactions();
    assert.equal(turn.user_request, 'run the tests');
    assert.deepEqual(sink.outcomes().filter((o) => o.kind === 'test_failed').map((o) => [o.interactionId, o.value, o.detail]), [[turn.id, 2, 'Tests 2 failed | 30 passed (32)']]);
  });
});

describe('Copilot chat session, hand-made', () => {
  it('a request the user cancelled is a user_interrupt', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'autodidact-copilot-cancel-')), 'workspaceStorage', 'abc', 'chatSessions');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 's2.json');
    writeFileSync(path, JSON.stringify({ version: 3, sessionId: 's2', creationDate: 1_760_000_000_000, requests: [
      { requestId: 'r1', message: { text: 'refactor everything', parts: [] }, timestamp: 1_760_000_001_000, modelId: 'copilot/gpt-4.1', response: [{ value: 'Let me start' }], isCanceled: true, result: { metadata: {} } },
    ] }));
    const { sink } = await importInto([path]);
    const [turn] = sink.interactions();
    assert.deepEqual(sink.outcomes().filter((o) => o.kind === 'user_interrupt').map((o) => [o.interactionId, o.detail]), [[turn.id, 'request cancelled by user']]);
  });
});
