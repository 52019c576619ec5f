// Real transcripts from ../shared (Claude Code, Codex). Every number and value asserted here was
// read off the files by hand (see the comments) before the importer was run on them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, importInto, whenFixtures } from './importersSupport';

const CCVIEWER = 'claude-code/ccviewer_v1.0.98_init-claude-md_1af7fc5e.jsonl';
const SUBAGENT = 'claude-code/codemie_v2.1.7_subagents_agent-a485154.jsonl';
const GITAI = 'claude-code/gitai_v2.0_with-thinking_file-history-snapshot.jsonl';
const CODEX = 'codex/codemie_codex-tui-0.125.0_rollout-2026-05-11T11-26-55-019e1625-789d-76c0-80ab-3724b5ddb799.jsonl';

whenFixtures('Claude Code and Codex fixture imports', () => {
  describe('Claude Code fixtures', () => {
    it('ccviewer /init session: one turn, 12 tool calls, the Write denied', async () => {
      const { report, sink } = await importInto([fixture(CCVIEWER)]);
      const file = report.files[0];
      assert.equal(file.format, 'claude-code');
      // 29 lines: the /init command, its expanded (isMeta) prompt, then only assistant work and tool results.
      assert.deepEqual([file.sessions, file.interactions, file.toolCalls, file.edits, file.errors, file.skipped], [1, 1, 12, 0, 1, 0]);
      const [turn] = sink.interactions();
      assert.ok(turn.user_request.startsWith('/init\n\nPlease analyze this codebase and create a CLAUDE.md file'));
      assert.deepEqual(turn.tools_used, ['TodoWrite', 'Bash', 'Glob', 'Write']);
      assert.equal(turn.model, 'claude-sonnet-4-20250514');
      assert.equal(turn.startedAt, Date.parse('2025-09-03T00:47:19.293Z'));
      // Line 26: tool_result is_error=true, permission to write CLAUDE.md not granted: no file changed.
      assert.deepEqual(turn.files_modified, []);
      assert.match(turn.issues_encountered[0], /^Write failed: Claude requested permissions to write to \/path\/to\/Demo\/CLAUDE\.md/);
      const kinds = sink.outcomes().map((o) => o.kind);
      assert.equal(kinds.filter((k) => k === 'tool_error').length, 1);
      assert.equal(kinds.filter((k) => k === 'tool_ok').length, 11);
      assert.ok(turn.assistant_response.endsWith('once you start building the project.'));
      assert.equal(sink.sessions()[0].workspace, '/path/to/Demo');
    });

    it('subagent transcript (new layout): its own session, 20 tool calls, one failed Read', async () => {
      const { report, sink } = await importInto([fixture(SUBAGENT)]);
      const file = report.files[0];
      // 45 lines: 1 prompt, 20 tool_use, 20 tool_result, 3 text, 1 progress (ignored, not skipped).
      assert.deepEqual([file.interactions, file.toolCalls, file.edits, file.errors, file.skipped], [1, 20, 0, 1, 0]);
      const [turn] = sink.interactions();
      assert.ok(turn.user_request.startsWith('Analyze the existing CLI command structure in this CodeMie CLI project'));
      assert.deepEqual(turn.tools_used, ['Glob', 'Read', 'Grep', 'Bash']);
      assert.equal(turn.issues_encountered[0], 'Read failed: File does not exist.');
      const session = sink.sessions()[0];
      assert.match(session.title ?? '', /^Subagent a485154: Analyze the existing CLI/);
      assert.equal(session.startedAt, Date.parse('2026-01-14T19:20:13.501Z'));
      assert.equal(session.endedAt, Date.parse('2026-01-14T19:21:02.122Z'));
    });

    it('v2.0 file with thinking, summary and file-history snapshots: one Edit of index.ts', async () => {
      const { report, sink } = await importInto([fixture(GITAI)]);
      assert.deepEqual([report.files[0].interactions, report.files[0].edits, report.files[0].skipped], [1, 1, 0]);
      const [turn] = sink.interactions();
      assert.equal(turn.user_request, 'add another hello world console log to @index.ts ');
      // Thinking blocks are not part of the answer; the two text blocks are.
      assert.equal(turn.assistant_response, "I'll add another hello world console log to the file.\n\nDone! I've added another `console.log('hello world')` statement at index.ts:21.");
      assert.deepEqual(turn.files_modified, ['/Users/svarlamov/projects/testing-git-2/index.ts']);
      const [edit] = sink.files();
      // structuredPatch of line 8: three context lines and one '+' line.
      assert.deepEqual([edit.kind, edit.origin, edit.linesAdded, edit.linesRemoved], ['edit', 'assistant', 1, 0]);
      assert.equal(edit.interactionId, turn.id);
      // The summary record names the conversation.
      assert.equal(sink.sessions().at(-1)?.title, 'Add Hello World Header Comment to index.ts');
    });

    it('gives the same ids when imported twice', async () => {
      const first = await importInto([fixture(CCVIEWER), fixture(GITAI)]);
      const second = await importInto([fixture(CCVIEWER), fixture(GITAI)]);
      assert.deepEqual(second.sink.interactions().map((i) => i.id), first.sink.interactions().map((i) => i.id));
      assert.deepEqual(second.sink.outcomes().map((o) => o.id), first.sink.outcomes().map((o) => o.id));
    });
  });

  describe('Codex fixture', () => {
    it('rollout 0.125.0: two turns, 105 tool calls, three applied patches, four non-zero exits', async () => {
      const { report, sink } = await importInto([fixture(CODEX)]);
      const file = report.files[0];
      // 99 function_call + 3 custom_tool_call (apply_patch) + 3 web_search_call; the AGENTS.md and
      // environment_context user messages are injected context, not requests.
      assert.deepEqual([file.format, file.sessions, file.interactions, file.toolCalls, file.edits], ['codex', 1, 2, 105, 3]);
      // One "write_stdin failed" output + exit codes 2, 1, 1, 1 from exec_command_end.
      assert.equal(file.errors, 5);
      const [first, second] = sink.interactions();
      assert.equal(first.user_request, 'show tools');
      assert.equal(second.user_request, "let's update the defailt context compart to 90 in env var");
      assert.deepEqual(first.tools_used, ['exec_command', 'write_stdin']);
      assert.equal(second.model, 'gpt-5.5');
      assert.deepEqual(second.files_modified, [
        '/Users/Sample_User/repos/codemie-ai/codemie-code/src/agents/plugins/__tests__/codemie-code-reasoning.test.ts',
        '/Users/Sample_User/repos/codemie-ai/codemie-code/src/agents/plugins/codemie-code.plugin.ts',
        '/Users/Sample_User/repos/codemie-ai/codemie-code/src/agents/plugins/opencode/opencode.plugin.ts',
      ]);
      assert.ok(second.issues_encountered.includes('write_stdin failed: stdin is closed for this session; rerun exec_command with tty=true to keep stdin open'));
      const exits = sink.outcomes().filter((o) => o.kind === 'exit_code');
      assert.equal(exits.length, 43);
      assert.deepEqual(exits.filter((o) => o.value !== 0).map((o) => o.value), [2, 1, 1, 1]);
      assert.equal(sink.outcomes().filter((o) => o.kind === 'patch_applied').length, 3);
      assert.equal(sink.outcomes().filter((o) => o.kind === 'task_completed').length, 2);
      // The unified diff of the codemie-code.plugin.ts patch adds 5 lines.
      const plugin = sink.files().find((f) => f.path.endsWith('/codemie-code.plugin.ts'));
      assert.deepEqual([plugin?.linesAdded, plugin?.linesRemoved], [5, 0]);
      const session = sink.sessions().at(-1);
      assert.equal(session?.workspace, '/Users/Sample_User/repos/codemie-ai/codemie-code');
      assert.equal(session?.startedAt, Date.parse('2026-05-11T08:26:55.042Z'));
    });
  });
});
