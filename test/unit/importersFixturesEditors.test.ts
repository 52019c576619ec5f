// Real transcripts from ../shared (Cline 4 SDK, Roo Code, Copilot, Continue, Aider). The numbers
// were counted in the files by hand first; comments say where they come from.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, fixtureFiles, importInto, whenFixtures } from './importersSupport';
import { NEW_AGENT_FIXTURE_FILES } from './newAgentsSupport';

const ROO_DIR = 'roo-code/task-bc93a6f7';
const SIDEBAR = '/Users/example/dev/cline/apps/examples/desktop-app/webview/components/agent-sidebar.tsx';

/** Every transcript file in ../shared and the test below that asserts on it. */
const COVERED = [
  'aider/afi-core/.aider.chat.history.md', 'aider/afi-core/.aider.input.history',
  'claude-code/ccviewer_v1.0.98_init-claude-md_1af7fc5e.jsonl', 'claude-code/codemie_v2.1.7_subagents_agent-a485154.jsonl',
  'claude-code/gitai_v2.0_with-thinking_file-history-snapshot.jsonl',
  'cline/cline4-sdk_session.json', 'cline/cline4-sdk_session.messages.json',
  'codex/codemie_codex-tui-0.125.0_rollout-2026-05-11T11-26-55-019e1625-789d-76c0-80ab-3724b5ddb799.jsonl',
  'continue/dev_data/0.2.0/autocomplete.jsonl',
  'copilot/gitai_chatSessions_v3_legacy.json', 'copilot/gitai_copilot-chat-transcripts_event-stream.jsonl',
  'roo-code/task-bc93a6f7/api_conversation_history.json', 'roo-code/task-bc93a6f7/task_metadata.NOT-ROO-NATIVE.json',
  'roo-code/task-bc93a6f7/ui_messages.json',
  ...NEW_AGENT_FIXTURE_FILES, // tested in importersNewAgents.test.ts
];

whenFixtures('editor-assistant fixture imports', () => {
  it('has a test for every fixture file', () => {
    assert.deepEqual(fixtureFiles(), [...COVERED].sort());
  });

  describe('Cline 4 SDK', () => {
    it('messages file: five requests, eleven tool calls, four editor edits, manifest metadata', async () => {
      const { report, sink } = await importInto([fixture('cline/cline4-sdk_session.messages.json')]);
      const file = report.files[0];
      // User text at messages 0, 6, 10, 22, 30; tool_use: editor x4, read_files x6, run_commands x1.
      assert.deepEqual([file.format, file.sessions, file.interactions, file.toolCalls, file.edits, file.errors], ['cline', 1, 5, 11, 4, 0]);
      assert.deepEqual(file.companions, [fixture('cline/cline4-sdk_session.json')]);
      const turns = sink.interactions();
      assert.equal(turns[1].user_request, 'can you make the filter icon smaller?');
      assert.equal(turns[4].user_request, 'hello');
      assert.equal(turns[4].assistant_response, 'Hello! How can I assist you today?');
      assert.equal(turns[4].model, 'mistralai/voxtral-small-24b-2507');
      assert.equal(turns[0].model, 'anthropic/claude-opus-4.8-fast');
      assert.deepEqual(turns[0].files_modified, [SIDEBAR]);
      assert.deepEqual(turns[2].tools_used, ['run_commands', 'read_files', 'editor']);
      assert.equal(turns[0].startedAt, 1783376868634);
      const session = sink.sessions().at(-1);
      assert.match(session?.title ?? '', /so that the filter icon comes afte \(fork\)$/);
      assert.equal(session?.model, 'mistralai/mixtral-8x22b-instruct');
      assert.equal(session?.workspace, '/Users/example/dev/cline');
    });

    it('manifest alone: the same session, no interactions', async () => {
      const messages = await importInto([fixture('cline/cline4-sdk_session.messages.json')]);
      const { report, sink } = await importInto([fixture('cline/cline4-sdk_session.json')]);
      assert.deepEqual([report.files[0].sessions, report.files[0].interactions], [1, 0]);
      assert.equal(sink.sessions()[0].id, messages.sink.sessions()[0].id);
      assert.equal(sink.sessions()[0].startedAt, Date.parse('2026-07-15T05:42:04.609Z'));
    });
  });

  describe('Roo Code task', () => {
    it('api history + ui messages: six interactions, XML tool calls, feedback and completion', async () => {
      const { report, sink } = await importInto([fixture(`${ROO_DIR}/api_conversation_history.json`)]);
      const file = report.files[0];
      // Requests: the <task>, the <feedback> on attempt_completion, and four "New instructions for
      // task continuation". 30 XML tool calls in assistant text; 27 got a result header.
      assert.deepEqual([file.format, file.sessions, file.interactions, file.toolCalls, file.edits, file.errors], ['roo', 1, 6, 30, 0, 1]);
      const turns = sink.interactions();
      assert.ok(turns[0].user_request.startsWith('# PHASE 1 : Diagnostic Système Interface-First'));
      assert.ok(turns[1].user_request.startsWith("Interface first, tu auras pu me demander, non?"));
      assert.equal(turns[2].user_request, 'Instruis une sous-tâche pour ça stp');
      assert.deepEqual(turns[0].tools_used, ['update_todo_list', 'use_mcp_tool', 'attempt_completion']);
      assert.equal(turns[3].issues_encountered[0], 'use_mcp_tool failed: Tool "use_mcp_tool" is not allowed in orchestrator mode.');
      assert.equal(turns[0].model, 'claude-sonnet-4-20250514');
      const byKind = (kind: string): number => sink.outcomes().filter((o) => o.kind === kind).length;
      assert.deepEqual([byKind('tool_ok'), byKind('tool_error'), byKind('user_correction'), byKind('task_completed')], [26, 1, 1, 1]);
      // ui_messages.json's completion_result (ts 1758115961495) falls in the first interaction.
      assert.equal(sink.outcomes().find((o) => o.kind === 'task_completed')?.interactionId, turns[0].id);
      assert.equal(sink.outcomes().find((o) => o.kind === 'user_correction')?.interactionId, turns[0].id);
      assert.equal(sink.sessions()[0].workspace, 'd:/dev/roo-extensions');
    });

    it('naming ui_messages.json reads the same task with the same ids', async () => {
      const viaApi = await importInto([fixture(`${ROO_DIR}/api_conversation_history.json`)]);
      const viaUi = await importInto([fixture(`${ROO_DIR}/ui_messages.json`)]);
      assert.equal(viaUi.report.files[0].path, fixture(`${ROO_DIR}/ui_messages.json`));
      assert.deepEqual(viaUi.report.files[0].companions, [fixture(`${ROO_DIR}/api_conversation_history.json`)]);
      assert.deepEqual(viaUi.sink.interactions().map((i) => i.id), viaApi.sink.interactions().map((i) => i.id));
      const both = await importInto([fixture(`${ROO_DIR}/ui_messages.json`), fixture(`${ROO_DIR}/api_conversation_history.json`)]);
      assert.equal(both.report.files.length, 1, 'the two files of one task are one import');
    });

    it('the synthesised task_metadata is not a Roo file: a clear failure, nothing imported', async () => {
      const { report, sink } = await importInto([fixture(`${ROO_DIR}/task_metadata.NOT-ROO-NATIVE.json`)]);
      assert.deepEqual([report.files[0].status, report.files[0].error, report.files[0].errors], ['failed', 'format not recognised', 1]);
      assert.equal(sink.events.length, 0);
    });
  });

  describe('Copilot Chat', () => {
    it('chatSessions v3 .json: three requests, one text edit of index.ts', async () => {
      const { report, sink } = await importInto([fixture('copilot/gitai_chatSessions_v3_legacy.json')]);
      assert.deepEqual([report.files[0].format, report.files[0].interactions, report.files[0].toolCalls, report.files[0].edits], ['copilot', 3, 2, 1]);
      const turns = sink.interactions();
      assert.deepEqual(turns.map((t) => t.user_request), ['What can you help me with?', 'Change Bonjour World to hello world', 'Search for any other mentions of Bonjour']);
      assert.deepEqual(turns[1].tools_used, ['replace_string_in_file']);
      assert.deepEqual(turns[1].files_modified, ['/Users/svarlamov/projects/testing-git/index.ts']);
      assert.ok(turns[1].assistant_response.endsWith('Done! I\'ve changed "Bonjour World" to "hello world" in line 10 of your `index.ts` file.'));
      assert.equal(turns[2].model, 'copilot/claude-sonnet-4');
      assert.equal(turns[0].startedAt, 1759845073835);
      assert.equal(sink.sessions()[0].title, 'Assistance with TypeScript project tasks');
      assert.equal(sink.outcomes().filter((o) => o.kind === 'tool_ok').length, 2);
    });

    it('agent transcript event stream: read_file then a successful apply_patch', async () => {
      const { report, sink } = await importInto([fixture('copilot/gitai_copilot-chat-transcripts_event-stream.jsonl')]);
      assert.deepEqual([report.files[0].interactions, report.files[0].toolCalls, report.files[0].edits, report.files[0].skipped], [1, 2, 1, 0]);
      const [turn] = sink.interactions();
      assert.equal(turn.user_request, 'Add a comment to the file');
      assert.deepEqual(turn.tools_used, ['read_file', 'apply_patch']);
      assert.deepEqual(sink.files().map((f) => [f.path, f.linesAdded]), [['/Users/test/project/src/main.ts', 1]]);
      assert.deepEqual(sink.outcomes().map((o) => o.kind).sort(), ['patch_applied', 'tool_ok', 'tool_ok']);
    });
  });

  describe('Continue dev_data', () => {
    it('autocomplete.jsonl: 35 suggestions, 3 accepted, epoch-ms timestamps: outcome signals, not chat interactions', async () => {
      // Inline completions answer no request, so they are not training pairs (issue 11): each is a
      // suggestion_accepted / suggestion_rejected outcome, and an accepted one is an assistant edit.
      const { report, sink } = await importInto([fixture('continue/dev_data/0.2.0/autocomplete.jsonl')]);
      assert.deepEqual([report.files[0].format, report.files[0].interactions, report.files[0].edits, report.files[0].outcomes], ['continue', 0, 3, 35]);
      const outcomes = sink.outcomes();
      assert.equal(outcomes.filter((o) => o.kind === 'suggestion_accepted').length, 3);
      assert.equal(outcomes.filter((o) => o.kind === 'suggestion_rejected').length, 32);
      const [first] = outcomes;
      assert.equal(first.at, 1743140006270);
      assert.equal(first.detail, 'autocomplete c:/Users/26259/OneDrive/桌面/proxy-handler/xray_manager.py: tasks.")');
      assert.deepEqual(sink.files()[0].path, 'c:/Users/26259/OneDrive/桌面/proxy-handler/xray_manager.py');
    });
  });

  describe('Aider', () => {
    it('chat history with input history: nine runs, 28 requests, 17 applied edits, 13 commits', async () => {
      const { report, sink } = await importInto([fixture('aider/afi-core/.aider.chat.history.md')]);
      const file = report.files[0];
      // 9 "# aider chat started at" lines. Slash commands, "!cmd" and answers to Aider's y/n prompts
      // logged as "####" lines are not requests; consecutive "####" lines are one request.
      assert.deepEqual([file.sessions, file.interactions, file.edits, file.errors], [9, 28, 17, 5]);
      const turns = sink.interactions();
      assert.equal(turns[2].user_request, 'sync-afi\naider-afi');
      // A pasted file: its "// …" and "/**" lines are text, not Aider slash commands.
      assert.ok(turns[12].user_request.startsWith('Add this file as src/components/ModalSignalReview.tsx:'));
      assert.ok(turns[12].user_request.includes('\n// 🧠 Placeholder type — will map to SignalSchema later\ntype SignalData = {'));
      assert.deepEqual(turns[2].files_modified, ['aider-afi.sh', 'sync-afi.sh']);
      assert.ok(turns[2].solutions_applied.includes('Commit dde0244 feat: add sync-afi and aider-afi shell scripts for AFI operations'));
      assert.equal(sink.interactions().flatMap((t) => t.solutions_applied.filter((s) => s.startsWith('Commit '))).length, 13);
      // "Create new file? y" then "Applied edit": a create.
      assert.deepEqual(sink.files().slice(0, 2).map((f) => [f.path, f.kind]), [['aider-afi.sh', 'create'], ['sync-afi.sh', 'create']]);
      // Times come from .aider.input.history ("# 2025-07-15 11:41:32.156157"), read as UTC.
      assert.equal(turns[0].startedAt, Date.UTC(2025, 6, 15, 11, 41, 32, 156));
      assert.equal(turns[0].model, 'gpt-4o');
      assert.equal(turns.at(-1)?.model, 'gpt-4.1');
      assert.equal(sink.outcomes().filter((o) => o.kind === 'patch_failed').length, 2);
      assert.ok(turns.some((t) => t.issues_encountered.includes('# 1 SEARCH/REPLACE block failed to match!')));
    });

    it('naming the input history imports the chat history beside it', async () => {
      const viaHistory = await importInto([fixture('aider/afi-core/.aider.chat.history.md')]);
      const { report, sink } = await importInto([fixture('aider/afi-core/.aider.input.history')]);
      assert.equal(report.files[0].interactions, 28);
      assert.deepEqual(sink.interactions().map((i) => i.id), viaHistory.sink.interactions().map((i) => i.id));
    });
  });
});
