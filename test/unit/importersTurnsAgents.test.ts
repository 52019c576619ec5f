// Claude Code and Codex turns: a subagent's prompt is marked as written by the main agent, the
// context Codex injects is not part of the request, and tool results become outcomes (test runs,
// exit codes, interrupts) — on the real transcripts in ../shared and on hand-made records.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ClaudeRecordFactory } from './claudeRecordFactory';
import { fixture, importInto, whenFixtures } from './importersSupport';

const CCVIEWER = 'claude-code/ccviewer_v1.0.98_init-claude-md_1af7fc5e.jsonl';
const SUBAGENT = 'claude-code/codemie_v2.1.7_subagents_agent-a485154.jsonl';
const GITAI = 'claude-code/gitai_v2.0_with-thinking_file-history-snapshot.jsonl';
const CODEX = 'codex/codemie_codex-tui-0.125.0_rollout-2026-05-11T11-26-55-019e1625-789d-76c0-80ab-3724b5ddb799.jsonl';

function write(path: string, lines: string[]): string {
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

whenFixtures('Claude Code and Codex turns on the real transcripts', () => {
  describe('Claude Code', () => {
    it('the subagent transcript\'s prompt is delegated by the main agent; the user\'s own requests are not', async () => {
      const sub = await importInto([fixture(SUBAGENT)]);
      const [turn] = sub.sink.interactions();
      assert.ok(turn.user_request.startsWith('Analyze the existing CLI command structure in this CodeMie CLI project'));
      assert.ok(turn.assistant_response.startsWith("I'll analyze the existing CLI command structure and create a comprehensive technical specification"));
      const delegated = sub.sink.outcomes().filter((o) => o.kind === 'delegated_request');
      assert.deepEqual(delegated.map((o) => [o.interactionId, o.detail]), [[turn.id, 'prompt written by the main agent for subagent a485154']]);
      for (const path of [CCVIEWER, GITAI]) {
        const { sink } = await importInto([fixture(path)]);
        assert.equal(sink.outcomes().filter((o) => o.kind === 'delegated_request').length, 0, path);
      }
    });

    it('named turns pair the request with its answer', async () => {
      const { sink } = await importInto([fixture(GITAI)]);
      const [turn] = sink.interactions();
      assert.equal(turn.user_request, 'add another hello world console log to @index.ts ');
      assert.ok(turn.assistant_response.startsWith("I'll add another hello world console log to the file.\n\nDone! I've added another `console.log('hello world')`"));
      const init = (await importInto([fixture(CCVIEWER)])).sink.interactions()[0];
      assert.ok(init.user_request.startsWith('/init\n\nPlease analyze this codebase and create a CLAUDE.md file'));
    });
  });

  describe('Codex', () => {
    it('the two requests are the user\'s words only; AGENTS.md and <environment_context> are not requests', async () => {
      const { sink } = await importInto([fixture(CODEX)]);
      const turns = sink.interactions();
      assert.deepEqual(turns.map((t) => t.user_request), ['show tools', "let's update the defailt context compart to 90 in env var"]);
      assert.ok(turns[0].assistant_response.startsWith('Available tool groups in this session:'));
      assert.ok(turns[1].assistant_response.endsWith('npm run build\n```'));
    });

    it('the vitest runs in the tool output become test outcomes, in order: red, focused green, file green', async () => {
      const { sink } = await importInto([fixture(CODEX)]);
      const second = sink.interactions()[1];
      const tests = sink.outcomes().filter((o) => o.kind === 'test_passed' || o.kind === 'test_failed');
      assert.deepEqual(tests.map((o) => [o.interactionId, o.kind, o.value, o.detail]), [
        [second.id, 'test_failed', 1, 'Tests 1 failed | 15 skipped (16)'],
        [second.id, 'test_passed', 1, 'Tests 1 passed | 15 skipped (16)'],
        [second.id, 'test_passed', 16, 'Tests 16 passed (16)'],
      ]);
      // One exit code per command (write_stdin polls repeat exec_command_end's), none for apply_patch.
      assert.equal(sink.outcomes().filter((o) => o.kind === 'exit_code').length, 43);
      // A printed source file that contains "[Request interrupted by user]" is not an interrupt.
      assert.equal(sink.outcomes().filter((o) => o.kind === 'user_interrupt').length, 0);
    });
  });
});

describe('Claude Code and Codex, hand-made records', () => {
  it('Claude Code: a Bash test run\'s output is a test outcome; an interrupt is a user_interrupt', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'autodidact-turns-')), '.claude', 'projects', '-home-dev-project');
    mkdirSync(dir, { recursive: true });
    const f = new ClaudeRecordFactory();
    const path = write(join(dir, 'eeeeeeee-1111-4222-8333-444444444444.jsonl'), [
      f.user('make the parser tests pass'),
      f.toolUse('b1', 'Bash', { command: 'python -m pytest -q tests/test_parser.py', description: 'Run tests' }),
      f.toolResult('b1', 'Error: Exit code 1\n..F.\nFAILED tests/test_parser.py::test_empty - assert None == []\n1 failed, 3 passed in 0.05s', true),
      f.toolUse('b2', 'Bash', { command: 'python -m pytest -q tests/test_parser.py', description: 'Run tests' }),
      f.toolResult('b2', '....\n4 passed in 0.04s', false, { stdout: '....\n4 passed in 0.04s', stderr: '', interrupted: false, isImage: false }),
      f.assistantText('All four parser tests pass.'),
      f.user('now refactor the lexer'),
      f.assistantText('Starting with'),
      f.user('[Request interrupted by user]'),
    ]);
    const { sink } = await importInto([path]);
    const [first, second] = sink.interactions();
    const mined = sink.outcomes().filter((o) => /^(test_|exit_code|user_interrupt)/.test(o.kind)).map((o) => [o.interactionId, o.kind, o.value, o.detail]);
    assert.deepEqual(mined, [
      [first.id, 'exit_code', 1, '$ python -m pytest -q tests/test_parser.py → exit 1'],
      [first.id, 'test_failed', 1, '1 failed, 3 passed in 0.05s'],
      [first.id, 'test_passed', 4, '4 passed in 0.04s'],
      [second.id, 'user_interrupt', undefined, '[Request interrupted by user]'],
    ]);
  });

  it('Codex: context parts and blocks inside a user message are cut out of the request; Esc is a user_interrupt', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'autodidact-codex-turns-')), 'rollout-2025-07-01T10-00-00-aaaaaaaa-bbbb-4ccc-8ddd-000000000001.jsonl');
    const line = (type: string, payload: Record<string, unknown>): string => JSON.stringify({ timestamp: '2025-07-01T10:00:00.000Z', type, payload });
    write(path, [
      line('session_meta', { id: 'sess-3', cwd: '/repo', cli_version: '0.40.0' }),
      line('response_item', { type: 'message', role: 'user', content: [
        { type: 'input_text', text: '<user_instructions>\nAlways run the tests.\n</user_instructions>' },
        { type: 'input_text', text: '<environment_context>\n  <cwd>/repo</cwd>\n</environment_context>' },
        { type: 'input_text', text: 'add a --dry-run flag' },
      ] }),
      line('response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Added.' }] }),
      line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: '<environment_context>\n  <cwd>/repo</cwd>\n  <shell>zsh</shell>\n</environment_context>\n\nnow document it' }] }),
      line('response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Writing the docs' }] }),
      line('event_msg', { type: 'turn_aborted', reason: 'interrupted' }),
    ]);
    const { sink } = await importInto([path]);
    const turns = sink.interactions();
    assert.deepEqual(turns.map((t) => t.user_request), ['add a --dry-run flag', 'now document it']);
    assert.deepEqual(sink.outcomes().filter((o) => o.kind === 'user_interrupt').map((o) => o.interactionId), [turns[1].id]);
  });
});
