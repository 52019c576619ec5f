// Hand-made files for the editor assistants' variants with no sample in ../shared, written from
// FORMATS.md: a Cline extension task (native tool_use and text results), a task with only
// ui_messages.json, Continue sessions and the other dev_data events, Copilot votes / keep / undo /
// errors and its .jsonl change log, and Aider's undo and /ask.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { importInto } from './importersSupport';

function dir(...parts: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'autodidact-editors-')), ...parts);
  mkdirSync(path, { recursive: true });
  return path;
}

function json(path: string, value: unknown): string {
  writeFileSync(path, JSON.stringify(value));
  return path;
}

function jsonl(path: string, values: unknown[]): string {
  writeFileSync(path, `${values.map((v) => JSON.stringify(v)).join('\n')}\n`);
  return path;
}

describe('Cline extension task (no sample in ../shared)', () => {
  const task = (): string => dir('globalStorage', 'saoudrizwan.claude-dev', 'tasks', '1740000000000');
  const api = [
    { role: 'user', ts: 1740000000000, content: [{ type: 'text', text: '<task>\nAdd a health check\n</task>' }, { type: 'text', text: '<environment_details>\n# Current Working Directory (/home/dev/app) Files\n</environment_details>' }] },
    { role: 'assistant', ts: 1740000001000, modelInfo: { modelId: 'claude-sonnet-4', providerId: 'anthropic' }, content: [{ type: 'text', text: 'Creating the route.' }, { type: 'tool_use', id: 't1', name: 'write_to_file', input: { path: 'src/health.ts', content: 'export {}' } }] },
    { role: 'user', ts: 1740000002000, content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'The content was successfully saved to src/health.ts.' }] }] },
    { role: 'assistant', ts: 1740000003000, content: [{ type: 'text', text: '<thinking>run it</thinking>\n<execute_command>\n<command>npm test</command>\n</execute_command>' }] },
    { role: 'user', ts: 1740000004000, content: [{ type: 'text', text: '[execute_command for \'npm test\'] Result:' }, { type: 'text', text: 'Error: Command failed with exit code 1' }] },
    { role: 'assistant', ts: 1740000005000, content: [{ type: 'tool_use', id: 't2', name: 'replace_in_file', input: { path: 'src/app.ts', diff: '...' } }] },
    { role: 'user', ts: 1740000006000, content: [{ type: 'tool_result', tool_use_id: 't2', is_error: true, content: 'The user denied this operation.' }] },
    { role: 'assistant', ts: 1740000007000, content: [{ type: 'tool_use', id: 't3', name: 'attempt_completion', input: { result: 'Health check added.' } }] },
    { role: 'user', ts: 1740000009000, content: [{ type: 'tool_result', tool_use_id: 't3', content: 'The user has provided feedback on the results.\n<feedback>\nAlso log it\n</feedback>' }] },
    { role: 'assistant', ts: 1740000010000, content: [{ type: 'text', text: 'Logging added.' }] },
  ];
  const ui = [
    { ts: 1740000000000, type: 'say', say: 'task', text: 'Add a health check' },
    { ts: 1740000001500, type: 'ask', ask: 'tool', text: '{"tool":"newFileCreated","path":"src/health.ts"}', partial: false },
    { ts: 1740000004500, type: 'ask', ask: 'api_req_failed', text: '529 overloaded' },
    { ts: 1740000004600, type: 'say', say: 'api_req_started', text: '{"tokensIn":10,"tokensOut":5,"cost":0.01}' },
    { ts: 1740000008000, type: 'say', say: 'completion_result', text: 'Health check added.', partial: true },
    { ts: 1740000008100, type: 'say', say: 'completion_result', text: 'Health check added.', partial: false },
    { ts: 1740000008500, type: 'say', say: 'user_feedback', text: 'Also log it' },
  ];

  it('maps tool_use and text results, feedback and UI signals', async () => {
    const path = task();
    json(join(path, 'api_conversation_history.json'), api);
    json(join(path, 'ui_messages.json'), ui);
    const { report, sink } = await importInto([path]);
    assert.deepEqual([report.files.length, report.files[0].format, report.files[0].interactions], [1, 'cline', 2]);
    const [first, second] = sink.interactions();
    assert.equal(first.user_request, 'Add a health check');
    assert.equal(first.assistant_response, 'Creating the route.\n\nHealth check added.');
    assert.deepEqual(first.tools_used, ['write_to_file', 'execute_command', 'replace_in_file', 'attempt_completion']);
    assert.deepEqual(first.files_modified, ['src/health.ts']);
    assert.deepEqual(first.issues_encountered, ['execute_command failed: Error: Command failed with exit code 1', 'replace_in_file failed: The user denied this operation.', 'API request failed: 529 overloaded']);
    assert.equal(first.model, 'claude-sonnet-4');
    assert.equal(second.user_request, 'Also log it');
    const kinds = sink.outcomes().filter((o) => o.interactionId === first.id).map((o) => o.kind).sort();
    // Mined from the results (issue 11): `npm test` failing with exit code 1, and the denied edit.
    assert.deepEqual(kinds, ['api_error', 'exit_code', 'task_completed', 'test_failed', 'tool_error', 'tool_error', 'tool_ok', 'tool_ok', 'user_correction', 'user_interrupt']);
    assert.equal(sink.sessions()[0].workspace, '/home/dev/app');
  });

  it('a task with only ui_messages.json still gives interactions', async () => {
    const path = task();
    json(join(path, 'ui_messages.json'), ui);
    const { report, sink } = await importInto([join(path, 'ui_messages.json')]);
    assert.deepEqual([report.files[0].format, report.files[0].interactions, report.files[0].edits], ['cline', 2, 1]);
    assert.deepEqual(sink.files().map((f) => [f.path, f.kind]), [['src/health.ts', 'create']]);
    assert.equal(sink.interactions()[0].assistant_response, 'Health check added.');
  });
});

describe('Continue (no session sample in ../shared)', () => {
  it('a session file with its index: tool states, edits, title and creation date', async () => {
    const sessions = dir('.continue', 'sessions');
    json(join(sessions, 'sessions.json'), [{ sessionId: 'cs-1', title: 'Fix the parser', dateCreated: '2025-03-01T09:00:00.000Z', workspaceDirectory: 'file:///home/dev/p' }]);
    const call = (id: string, name: string, args: unknown): unknown => ({ id, type: 'function', function: { name, arguments: JSON.stringify(args) } });
    const path = json(join(sessions, 'cs-1.json'), {
      sessionId: 'cs-1', title: 'Fix the parser', workspaceDirectory: 'file:///home/dev/p', chatModelTitle: 'Claude 3.7',
      history: [
        { message: { role: 'user', content: [{ type: 'text', text: 'Fix the parser bug' }] }, contextItems: [] },
        { message: { role: 'assistant', content: 'Reading it.', toolCalls: [call('c1', 'read_file', { filepath: 'src/parser.ts' })] }, contextItems: [], promptLogs: [{ modelTitle: 'Claude 3.7', modelProvider: 'anthropic', prompt: '', completion: '' }],
          toolCallStates: [{ toolCallId: 'c1', toolCall: call('c1', 'read_file', { filepath: 'src/parser.ts' }), status: 'done', output: [] }] },
        { message: { role: 'tool', content: 'file contents', toolCallId: 'c1' }, contextItems: [] },
        { message: { role: 'assistant', content: 'Fixing.' }, contextItems: [],
          toolCallStates: [
            { toolCallId: 'c2', toolCall: call('c2', 'edit_existing_file', { filepath: 'src/parser.ts', changes: '...' }), status: 'done' },
            { toolCallId: 'c3', toolCall: call('c3', 'run_terminal_command', { command: 'npm test' }), status: 'errored', output: [{ name: 'Terminal', content: 'exit 1' }] },
          ] },
        { message: { role: 'user', content: 'thanks' }, contextItems: [] },
        { message: { role: 'assistant', content: 'You are welcome.' }, contextItems: [] },
      ],
    });
    const { report, sink } = await importInto([path]);
    assert.deepEqual([report.files[0].format, report.files[0].interactions, report.files[0].toolCalls, report.files[0].edits, report.files[0].errors], ['continue', 2, 3, 1, 1]);
    const [first] = sink.interactions();
    assert.equal(first.user_request, 'Fix the parser bug');
    assert.equal(first.assistant_response, 'Reading it.\n\nFixing.');
    assert.deepEqual(first.files_modified, ['src/parser.ts']);
    assert.equal(first.startedAt, Date.parse('2025-03-01T09:00:00.000Z'));
    assert.equal(first.model, 'Claude 3.7');
    assert.equal(sink.sessions()[0].title, 'Fix the parser');
    const index = await importInto([join(sessions, 'sessions.json')]);
    assert.deepEqual([index.report.files[0].sessions, index.report.files[0].interactions], [1, 0]);
    assert.equal(index.sink.sessions()[0].id, sink.sessions()[0].id);
  });

  it('dev_data chatInteraction, editOutcome and toolUsage events', async () => {
    const data = dir('.continue', 'dev_data', '0.2.0');
    const common = { schema: '0.2.0', userAgent: 'Visual Studio Code/1.98 (Continue/1.0.5)' };
    const chat = jsonl(join(data, 'chatInteraction.jsonl'), [{ ...common, eventName: 'chatInteraction', timestamp: '2025-04-01T10:00:00.000Z', prompt: 'What does main do?', completion: 'It starts the server.', modelName: 'gpt-4o', modelProvider: 'openai', sessionId: 'sess-9' }]);
    const edit = jsonl(join(data, 'editOutcome.jsonl'), [{ ...common, eventName: 'editOutcome', timestamp: 1743501600000, previousCode: 'let a = 1', newCode: 'const a = 1', accepted: true, filepath: 'file:///home/dev/p/a.ts', modelName: 'gpt-4o' }]);
    const tools = jsonl(join(data, 'toolUsage.jsonl'), [
      { ...common, eventName: 'toolUsage', timestamp: '2025-04-01T10:01:00.000Z', functionName: 'run_terminal_command', toolCallArgs: '{}', succeeded: false, output: 'command not found' },
      { ...common, eventName: 'toolUsage', timestamp: '2025-04-01T10:02:00.000Z', functionName: 'read_file', toolCallArgs: '{}', succeeded: true, output: [] },
      { ...common, eventName: 'quickEdit', timestamp: '2025-04-01T10:03:00.000Z' },
      { ...common, eventName: 'somethingNew', timestamp: '2025-04-01T10:04:00.000Z' },
    ]);
    const { report, sink } = await importInto([chat, edit, tools]);
    // An editOutcome is a suggestion taken or left, not a chat interaction (issue 11): an outcome and, accepted, an edit.
    assert.deepEqual(report.files.map((f) => [f.interactions, f.toolCalls, f.edits, f.errors, f.skipped]), [[1, 0, 0, 0, 0], [0, 0, 1, 0, 0], [0, 2, 0, 1, 1]]);
    const [chatTurn] = sink.interactions();
    assert.equal(sink.interactions().length, 1);
    assert.deepEqual([chatTurn.user_request, chatTurn.assistant_response, chatTurn.startedAt], ['What does main do?', 'It starts the server.', Date.parse('2025-04-01T10:00:00.000Z')]);
    assert.deepEqual(sink.files().map((f) => f.path), ['/home/dev/p/a.ts']);
    assert.deepEqual(sink.outcomes().map((o) => [o.kind, o.detail]), [['suggestion_accepted', 'edit /home/dev/p/a.ts: const a = 1'], ['tool_error', 'run_terminal_command: command not found'], ['tool_ok', 'read_file']]);
  });
});

describe('Copilot Chat variants (no sample with votes or a change log)', () => {
  const request = (n: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    requestId: `request_${n}`, message: { text: `ask ${n}`, parts: [] }, timestamp: 1_760_000_000_000 + n * 1000, modelId: 'copilot/gpt-4.1',
    response: [{ value: `answer ${n}`, supportThemeIcons: false }], result: { timings: { totalElapsed: 500 }, metadata: {} }, ...extra,
  });

  it('votes, keep / undo / user-modified edits, errors and cancellations', async () => {
    const path = json(join(dir('workspaceStorage', 'abc', 'chatSessions'), 's1.json'), {
      version: 3, sessionId: 's1', creationDate: 1_760_000_000_000, requests: [
        request(1, { vote: 1, editedFileEvents: [{ eventKind: 1, uri: { fsPath: '/w/a.ts' } }, { eventKind: 3, uri: { fsPath: '/w/b.ts' } }],
          response: [{ kind: 'textEditGroup', uri: { fsPath: '/w/a.ts' }, edits: [], done: true }, { value: 'edited' }] }),
        request(2, { vote: 0, voteDownReason: 'incorrectCode', editedFileEvents: [{ eventKind: 2, uri: 'file:///w/c.ts' }] }),
        request(3, { result: { errorDetails: { message: 'Sorry, your request failed.' }, metadata: {} } }),
        request(4, { isCanceled: true }),
      ],
    });
    const { sink } = await importInto([path]);
    const outcome = (n: number): string[] => sink.outcomes().filter((o) => o.interactionId === sink.interactions()[n].id).map((o) => `${o.kind}:${o.value ?? ''}`);
    assert.deepEqual(outcome(0), ['vote:1', 'edit_kept:1', 'user_correction:-1']);
    assert.deepEqual(outcome(1), ['vote:-1', 'edit_undone:-1']);
    assert.deepEqual(outcome(2), ['api_error:']);
    assert.deepEqual(sink.interactions()[2].issues_encountered, ['Copilot error: Sorry, your request failed.']);
    assert.deepEqual(sink.interactions()[3].issues_encountered, ['request cancelled by user']);
    assert.deepEqual(sink.interactions()[0].files_modified, ['/w/a.ts']);
  });

  it('a .jsonl change log replays to the same interactions as the .json state', async () => {
    const folder = dir('workspaceStorage', 'def', 'chatSessions');
    const state = { version: 3, sessionId: 's2', creationDate: 1_760_000_000_000, requests: [request(1)] };
    const path = jsonl(join(folder, 's2.jsonl'), [
      { kind: 0, v: { version: 3, sessionId: 's2', creationDate: 1_760_000_000_000, requests: [] } },
      { kind: 2, k: ['requests'], v: [request(9)] },
      { kind: 2, k: ['requests'], v: [request(1, { response: [] })], i: 0 },
      { kind: 1, k: ['requests', 0, 'response'], v: [{ value: 'answer 1', supportThemeIcons: false }] },
      { kind: 1, k: ['customTitle'], v: 'temporary' },
      { kind: 3, k: ['customTitle'] },
      { kind: 7, k: ['x'] },
    ]);
    const replayed = await importInto([path]);
    const direct = await importInto([json(join(folder, 's2.json'), state)]);
    assert.deepEqual([replayed.report.files[0].format, replayed.report.files[0].interactions, replayed.report.files[0].skipped], ['copilot', 1, 1]);
    assert.deepEqual(replayed.sink.interactions(), direct.sink.interactions());
  });

  it('a compaction restarts the log with a new whole state', async () => {
    const path = jsonl(join(dir('chatSessions'), 's3.jsonl'), [
      { kind: 0, v: { version: 3, sessionId: 's3', requests: [request(1)] } },
      { kind: 2, k: ['requests'], v: [request(2)] },
      { kind: 0, v: { version: 3, sessionId: 's3', requests: [request(1), request(2), request(3)] } },
    ]);
    const { sink } = await importInto([path]);
    assert.deepEqual(sink.interactions().map((i) => i.user_request), ['ask 1', 'ask 2', 'ask 3']);
  });
});

describe('Aider variants', () => {
  it('/ask is a request, /undo marks the last commit undone, whole-file fences count by "Applied edit"', async () => {
    const path = join(dir('repo'), '.aider.chat.history.md');
    writeFileSync(path, [
      '', '# aider chat started at 2025-09-01 08:00:00', '', '> Main model: claude-3-7-sonnet with whole edit format', '',
      '#### /ask what does util.py do?  ', '', 'It formats dates.', '', '> Tokens: 2k sent, 50 received.', '',
      '#### make it use ISO 8601  ', '', 'util.py', '```python', 'def fmt(d): return d.isoformat()', '```', '',
      '> Tokens: 2k sent, 80 received.', '> Applied edit to util.py  ', '> Commit abc1234 refactor: use ISO 8601  ', '',
      '#### /undo  ', '> Removed: abc1234 refactor: use ISO 8601  ', '',
    ].join('\n'));
    const { sink } = await importInto([path]);
    const turns = sink.interactions();
    assert.deepEqual(turns.map((t) => t.user_request), ['what does util.py do?', 'make it use ISO 8601']);
    assert.deepEqual(turns[1].files_modified, ['util.py']);
    assert.ok(turns[1].assistant_response.includes('def fmt(d): return d.isoformat()'));
    assert.deepEqual(sink.outcomes().map((o) => [o.kind, o.interactionId]), [['edit_undone', turns[1].id]]);
    assert.equal(turns[0].model, 'claude-3-7-sonnet');
  });
});
