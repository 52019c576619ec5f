// Real transcripts of Cursor, Gemini CLI, OpenCode, Copilot CLI, Windsurf, Factory Droid and Amp from
// ../shared. Every number asserted was counted off the files by hand first (see the comments).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectFile } from '../../extension/server/importers/formatDetection';
import { fixture, fixtureFiles, importInto } from './importersSupport';
import { NEW_AGENT_FIXTURES as F, untouchedSnapshot, whenNewAgentFixtures } from './newAgentsSupport';

function counts(file: { sessions: number; interactions: number; toolCalls: number; edits: number; errors: number; skipped: number }): number[] {
  return [file.sessions, file.interactions, file.toolCalls, file.edits, file.errors, file.skipped];
}

whenNewAgentFixtures('Cursor, Gemini CLI, OpenCode, Copilot CLI, Windsurf, Droid and Amp fixture imports', () => {
  describe('format detection', () => {
    it('tells every fixture of ../shared apart: each file gets the format of the folder it is in', async () => {
      const folders: Record<string, string> = {
        'claude-code': 'claude-code', cline: 'cline', 'roo-code': 'cline', continue: 'continue', copilot: 'copilot', aider: 'aider', codex: 'codex',
        cursor: 'cursor', 'gemini-cli': 'gemini-cli', opencode: 'opencode', 'copilot-cli': 'copilot-cli', windsurf: 'windsurf', 'factory-droid': 'factory-droid', amp: 'amp',
      };
      // Companions that are not transcripts on their own.
      const notTranscripts = /(\.settings\.json|session_diff\/.*\.json|task_metadata\.NOT-ROO-NATIVE\.json|cline4-sdk_session\.json)$/;
      for (const relative of fixtureFiles()) {
        if (notTranscripts.test(relative)) continue;
        const detection = await detectFile(fixture(relative));
        assert.ok(detection.ok, `${relative}: ${detection.ok ? '' : detection.error}`);
        assert.equal(detection.format, folders[relative.split('/')[0]], relative);
      }
    });
  });

  describe('Cursor', () => {
    it('global state.vscdb: one agent composer, two turns, 19 tool calls, the accepted apply_patch', async () => {
      const before = untouchedSnapshot(fixture(F.cursorDb));
      const { report, sink } = await importInto([fixture(F.cursorDb)]);
      const file = report.files[0];
      assert.equal(file.format, 'cursor');
      // 42 bubbles: 2 user (type 1), 40 assistant, 19 of them carrying toolFormerData.
      assert.deepEqual(counts(file), [1, 2, 19, 1, 0, 0]);
      const [first, second] = sink.interactions();
      assert.equal(first.user_request, 'Give me the queries used in the cursor sqlite storage db');
      assert.deepEqual(first.tools_used, ['codebase_search', 'grep', 'read_file']);
      assert.ok(first.assistant_response.startsWith("I'll look for where the Cursor extension uses SQLite"));
      assert.equal(first.startedAt, Date.parse('2025-10-07T18:28:55.045Z'));
      assert.ok(second.user_request.startsWith('For the code present, we get this error:\n```\nuse of moved value: `bubble_created_at`'));
      assert.deepEqual(second.tools_used, ['read_file', 'apply_patch', 'read_lints']);
      assert.ok(second.assistant_response.includes('- Root cause: `bubble_created_at` is an Option<String> moved into the first'));
      assert.equal(second.model, 'gpt-5');
      const [edit] = sink.files();
      // toolFormerData.result.diff: two chunks, each linesAdded 2 / linesRemoved 2; userDecision accepted.
      assert.deepEqual([edit.path, edit.linesAdded, edit.linesRemoved, edit.interactionId],
        ['/Users/svarlamov/projects/git-ai/src/commands/checkpoint_agent/agent_preset.rs', 4, 4, second.id]);
      assert.deepEqual(sink.outcomes().filter((o) => o.kind !== 'tool_ok').map((o) => [o.kind, o.value]), [['edit_kept', 1]]);
      const session = sink.sessions()[0];
      assert.deepEqual([session.title, session.model, session.startedAt, session.endedAt], ['Retrieve SQLite cursor queries', 'gpt-5', 1759861723898, 1759863763312]);
      // The composer's per-conversation encryption key is never stored, nor the composer object itself.
      const everything = JSON.stringify(sink.events);
      assert.ok(!everything.includes('ER86sfVRw54kjnWePqTz7OiwP445vCUmXL0uRQQF9Oc='));
      assert.ok(!everything.includes('speculativeSummarizationEncryptionKey'));
      // Read from bytes: the file and its folder are exactly as they were (no -journal, -wal, -shm).
      assert.deepEqual(untouchedSnapshot(fixture(F.cursorDb)), before);
    });

    it('agent transcript: one turn, 10 tool calls, the Write taken as the edit, <user_query> unwrapped', async () => {
      const { report, sink } = await importInto([fixture(F.cursorTranscript)]);
      // 11 lines: 1 user, 10 assistant with one tool_use each; no tool results are recorded.
      assert.deepEqual(counts(report.files[0]), [1, 1, 10, 1, 0, 0]);
      const [turn] = sink.interactions();
      assert.equal(turn.user_request, "Generate a file with all the HBO shows from the 90's in it");
      assert.deepEqual(turn.tools_used, ['Read', 'WebSearch', 'WebFetch', 'Grep', 'Write']);
      assert.deepEqual(turn.files_modified, ['/Users/aidancunniffe/Desktop/testing-gitflows-git-ai/hbo-shows-1990s.txt']);
      assert.ok(turn.assistant_response.endsWith(turn.assistant_response.split('\n\n').at(-1) ?? ''));
      assert.match(turn.assistant_response, /^Creating a file listing 1990s HBO shows\./);
    });
  });

  describe('Gemini CLI', () => {
    it('legacy JSON (git-ai): one turn, 5 tool calls, the failed replace an error, the retry the edit', async () => {
      const { report, sink } = await importInto([fixture(F.geminiGitai)]);
      // 7 messages: 1 user, 6 gemini with toolCalls replace(error), read_file, replace, read_file, write_todos.
      assert.deepEqual(counts(report.files[0]), [1, 1, 5, 1, 1, 0]);
      const [turn] = sink.interactions();
      // The @index.ts contents the CLI appended after "--- Content from referenced files ---" are not the request.
      assert.equal(turn.user_request, 'add another hello bob console log to @index.ts');
      assert.deepEqual(turn.tools_used, ['replace', 'read_file', 'write_todos']);
      assert.equal(turn.issues_encountered[0], 'replace failed: Failed to edit, Expected 1 occurrence but found 4 for old_string in file: /Users/svarlamov/projects/testing-git/index.ts');
      assert.deepEqual(turn.files_modified, ['/Users/svarlamov/projects/testing-git/index.ts']);
      assert.equal(turn.model, 'gemini-2.5-flash');
      assert.equal(turn.endedAt, Date.parse('2025-12-06T18:27:49.718Z'));
      assert.deepEqual(sink.outcomes().map((o) => o.kind), ['tool_error', 'tool_ok', 'tool_ok', 'tool_ok', 'tool_ok']);
    });

    it('JSONL: repeated ids and $set lines are updates, "System: Please continue." no request, the cancel an interrupt', async () => {
      const { report, sink } = await importInto([fixture(F.geminiJsonl)]);
      // 28 lines: metadata, 11 $set, 16 message records for 11 distinct ids (3 user, 6 gemini, 2 info).
      // Turns: /init (with the CLI's own "Please continue"), then the uv request. Tools 5+3+1+1 and 2.
      assert.deepEqual(counts(report.files[0]), [1, 2, 12, 2, 0, 0]);
      const [init, change] = sink.interactions();
      assert.match(init.user_request, /^\/init\n\nYou are an AI agent that brings the power of Gemini directly into the terminal\./);
      assert.deepEqual(init.tools_used, ['update_topic', 'read_file', 'write_file']);
      assert.ok(init.assistant_response.startsWith('我已經完成了對專案的深入分析'));
      assert.equal(change.user_request, '幫我做一個小修改 請幫我將上面確保執行時要透過 uv run 來執行 避免環境有問題');
      assert.deepEqual(change.tools_used, ['update_topic', 'replace']);
      assert.equal(change.model, 'gemini-3.1-pro-preview');
      // write_file's fileDiff adds 76 lines; the replace changes one line.
      assert.deepEqual(sink.files().map((f) => [f.path, f.linesAdded, f.linesRemoved]), [['GEMINI.md', 76, 0], ['GEMINI.md', 1, 1]]);
      assert.deepEqual(sink.outcomes().filter((o) => o.kind === 'user_interrupt').map((o) => [o.interactionId, o.detail]), [[change.id, 'Request cancelled.']]);
      assert.equal(sink.sessions()[0].startedAt, Date.parse('2026-04-23T12:52:52.759Z'));
    });

    it('legacy JSON without recorded tool calls (VibeCodingTracker): one turn each, all answers kept', async () => {
      const { report, sink } = await importInto([fixture(F.geminiEefc), fixture(F.gemini2d9e)]);
      assert.deepEqual(report.files.map(counts), [[1, 1, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0]]);
      const [eefc, d9e] = sink.interactions();
      assert.equal(eefc.user_request, '請幫我檢查一下所有代碼是否足夠簡潔 而不是一堆冗餘代碼');
      // 18 gemini messages after the request, every one with text.
      assert.equal(eefc.assistant_response.split('\n\n').filter((p) => p.startsWith('好的')).length >= 3, true);
      assert.ok(eefc.assistant_response.startsWith('好的，我將使用 `cargo clippy` 來分析您的 Rust 代碼庫。'));
      assert.equal(eefc.model, 'gemini-2.5-pro');
      assert.ok(d9e.user_request.startsWith('## 任務：將專案描述中的 "Vibe Coding Tracker" 改為 "Vibe Code Tracker" 並更新文檔'));
      assert.ok(d9e.assistant_response.endsWith(d9e.assistant_response.slice(-20)));
    });
  });

  describe('OpenCode', () => {
    it('opencode.db: two sessions of one turn each, 10 tool calls, the write with the session diff line counts', async () => {
      const before = untouchedSnapshot(fixture(F.opencodeDb));
      const { report, sink } = await importInto([fixture(F.opencodeDb)]);
      const file = report.files[0];
      // 10 messages: 2 user, 8 assistant; tool parts webfetch + bash, glob, glob, read, read, bash, read, write, bash.
      assert.deepEqual(counts(file), [2, 2, 10, 1, 0, 0]);
      const turns = sink.interactions();
      const htmx = turns.find((t) => t.user_request === '引入 htmx 实现一个 htmx demo.\n现有首页可以重写');
      const filecoin = turns.find((t) => t.user_request === '查看 filecoin 的价格历史 https://coinmarketcap.com/currencies/filecoin/');
      assert.ok(htmx && filecoin);
      assert.deepEqual(htmx.tools_used, ['bash', 'glob', 'read', 'write']);
      assert.deepEqual(filecoin.tools_used, ['webfetch']);
      assert.ok(htmx.assistant_response.startsWith('我将创建一个 htmx demo，使用公共 API 展示 htmx 的核心功能。\n\nhtmx demo 已创建完成！'));
      assert.equal(htmx.model, 'glm-5');
      // storage/session_diff/ses_3a8e….json: index.html, 135 additions, 3 deletions.
      assert.deepEqual(sink.files().map((f) => [f.path, f.linesAdded, f.linesRemoved, f.interactionId]), [['/Users/linchen/bprojects/tmp-htmx/index.html', 135, 3, htmx.id]]);
      // Two bash calls exited 0; the `pnpm dev` one was stopped by its timeout (exit null): no exit code.
      assert.deepEqual(sink.outcomes().filter((o) => o.kind === 'exit_code').map((o) => o.value), [0, 0]);
      assert.deepEqual(sink.sessions().map((s) => s.workspace).sort(), ['/Users/linchen/bprojects/chat', '/Users/linchen/bprojects/tmp-htmx']);
      assert.deepEqual(untouchedSnapshot(fixture(F.opencodeDb)), before);
    });
  });

  describe('Copilot CLI', () => {
    it('events.jsonl: one turn (the empty autopilot message continues it), 11 tool calls, task_complete', async () => {
      const { report, sink } = await importInto([fixture(F.copilotEvents)]);
      // 51 events: toolRequests 4+3+2+1 in the first request, task_complete after the empty user.message.
      assert.deepEqual(counts(report.files[0]), [1, 1, 11, 0, 0, 0]);
      const [turn] = sink.interactions();
      assert.ok(turn.user_request.startsWith('請不要修改任何代碼 我希望你幫我調查一下 有沒有好一點的自動生成文檔'));
      assert.deepEqual(turn.tools_used, ['report_intent', 'view', 'web_search', 'bash', 'task_complete']);
      assert.ok(turn.assistant_response.startsWith('以下是我的調查結果，針對你的專案特性整理：'));
      assert.equal(turn.model, 'claude-sonnet-4.6');
      assert.equal(sink.outcomes().filter((o) => o.kind === 'task_completed').length, 1);
      // The two bash results end "<exited with exit code 0>".
      assert.deepEqual(sink.outcomes().filter((o) => o.kind === 'exit_code').map((o) => o.value), [0, 0]);
      const session = sink.sessions().at(-1);
      assert.deepEqual([session?.workspace, session?.startedAt], ['/home/wei/repo/VibeCodingTracker', Date.parse('2026-04-23T17:08:08.893Z')]);
    });

    it('legacy session JSON: one turn from the timeline, 15 tool calls, 7 edits with their diff line counts', async () => {
      const { report, sink } = await importInto([fixture(F.copilotLegacy)]);
      // timeline: 2 info, 1 user, 5 copilot, 15 tool_call_completed (3 views, 1 web search, 6 str_replace, 1 create, 4 bash).
      assert.deepEqual(counts(report.files[0]), [1, 1, 15, 7, 0, 0]);
      const [turn] = sink.interactions();
      assert.ok(turn.user_request.startsWith('## 任務：將專案描述中的 "Vibe Coding Tracker" 改為 "Vibe Code Tracker" 並更新文檔'));
      assert.deepEqual(turn.tools_used, ['str_replace_editor', 'github-mcp-server-web_search', 'bash']);
      assert.ok(turn.assistant_response.startsWith('I\'ll help you update the project description'));
      assert.ok(turn.assistant_response.includes("Excellent! All tasks completed successfully. Here's what was accomplished:"));
      const created = sink.files().find((f) => f.kind === 'create');
      assert.equal(created?.path, '/home/wei/repo/VibeCodingTracker/CHANGELOG_DEMO.md');
      assert.equal(sink.files().filter((f) => f.path.endsWith('/README.md')).length, 4);
    });
  });

  describe('Windsurf', () => {
    it('Cascade transcript: four turns, 18 tool calls, two accepted code actions, the failed list_resources', async () => {
      const { report, sink } = await importInto([fixture(F.windsurf)]);
      // 27 steps, user_input at lines 1, 9, 11 and 18: the second got only a planner_response before the third.
      assert.deepEqual(counts(report.files[0]), [1, 4, 18, 2, 1, 0]);
      const turns = sink.interactions();
      assert.deepEqual(turns.map((t) => t.user_request), ['Write a song in @[xyz.md] ', 'Eraase rewrite you cand o bettter', '@[xyz.md] ', 'call some tools :) ']);
      assert.equal(turns[1].assistant_response, "I'll erase and rewrite the song with something better.");
      // No times in the file: turns are timed by their place in it, so they sort in the order they had.
      assert.ok(turns.every((t, i) => i === 0 || t.startedAt > turns[i - 1].startedAt), JSON.stringify(turns.map((t) => t.startedAt)));
      assert.deepEqual(turns[3].tools_used, ['list_directory', 'find', 'view_file', 'grep_search', 'run_command', 'list_resources']);
      assert.deepEqual(turns[3].issues_encountered, ['list_resources failed']);
      assert.deepEqual(sink.files().map((f) => [f.path, f.interactionId]), [
        ['/Users/aidancunniffe/Desktop/testing-gitflows-git-ai/xyz.md', turns[0].id], ['/Users/aidancunniffe/Desktop/testing-gitflows-git-ai/xyz.md', turns[2].id],
      ]);
      const kinds = sink.outcomes().map((o) => o.kind);
      assert.equal(kinds.filter((k) => k === 'edit_kept').length, 2);
      // Six run_command steps, all exit_code 0.
      assert.deepEqual(sink.outcomes().filter((o) => o.kind === 'exit_code').map((o) => o.value), [0, 0, 0, 0, 0, 0]);
    });
  });

  describe('Factory Droid', () => {
    it('session JSONL with its settings: one turn, 5 tool calls, the ApplyPatch the edit, the model from settings', async () => {
      const { report, sink } = await importInto([fixture(F.droid)]);
      assert.deepEqual(report.files[0].companions?.map((p) => p.split('/').pop()), ['052cb8d0.settings.json']);
      assert.deepEqual(counts(report.files[0]), [1, 1, 5, 1, 0, 0]);
      const [turn] = sink.interactions();
      // The second text block of the user message is the @index.ts contents the client attached.
      assert.equal(turn.user_request, 'Update the first comment in @index.ts to "DROID3"');
      assert.deepEqual(turn.tools_used, ['Read', 'TodoWrite', 'ApplyPatch']);
      assert.equal(turn.model, 'custom:BYOK-GPT-5-MINI-0');
      assert.ok(turn.assistant_response.startsWith('# Update complete'));
      assert.deepEqual(sink.files().map((f) => [f.path, f.linesAdded, f.linesRemoved]), [['/Users/testuser/projects/testing-git/index.ts', 1, 1]]);
      assert.equal(sink.outcomes().filter((o) => o.kind === 'patch_applied').length, 1);
      assert.equal(sink.sessions().at(-1)?.workspace, '/Users/testuser/projects/testing-git');
    });
  });

  describe('Amp', () => {
    it('thread JSON: one turn, 4 Read calls, the plan as the answer', async () => {
      const { report, sink } = await importInto([fixture(F.amp)]);
      // 6 messages: user, assistant (3 Read), user (3 results), assistant (1 Read), user (1 result), assistant.
      assert.deepEqual(counts(report.files[0]), [1, 1, 4, 0, 0, 0]);
      const [turn] = sink.interactions();
      assert.ok(turn.user_request.startsWith('Create a plan to add a jokes.csv and a cli that will pull a random joke off it (ts)'));
      assert.deepEqual(turn.tools_used, ['Read']);
      assert.equal(turn.model, 'claude-opus-4-6');
      assert.ok(turn.assistant_response.includes("Here's the plan:\n\n## Plan: Random Joke CLI"));
      const session = sink.sessions()[0];
      assert.deepEqual([session.title, session.workspace], ['Add jokes CLI with CSV data source', '/Users/svarlamov/projects/testing-git-amp']);
      assert.equal(sink.outcomes().filter((o) => o.kind === 'tool_ok').length, 4);
    });
  });

  describe('the folder of all seven', () => {
    it('imports each folder with no failures, and a second import adds nothing', async () => {
      const dirs = ['cursor', 'gemini-cli', 'opencode', 'copilot-cli', 'windsurf', 'factory-droid', 'amp'].map((d) => fixture(d));
      const first = await importInto(dirs);
      assert.equal(first.report.files.filter((f) => f.status === 'failed').length, 0);
      // 2 + 1 (Cursor), 1 + 2 + 1 + 1 (Gemini), 2 (OpenCode), 1 + 1 (Copilot CLI), 4, 1, 1.
      assert.equal(first.report.totals.interactions, 18);
      const second = await importInto(dirs, { sink: first.sink });
      assert.deepEqual(second.report.files.map((f) => f.status), first.report.files.map(() => 'unchanged'));
      assert.equal(second.report.totals.interactions, 0);
    });
  });
});
