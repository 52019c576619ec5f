// Cline and Roo Code turns: the opening task is kept, an answer to the assistant's follow-up
// question stays in the exchange that asked it, and text the client injects into the user's turn
// (resume prompts, "you did not use a tool", condensed-context summaries) is no request.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixture, importInto, whenFixtures } from './importersSupport';

const ROO_API = 'roo-code/task-bc93a6f7/api_conversation_history.json';
const ROO_UI = 'roo-code/task-bc93a6f7/ui_messages.json';
const CLINE_SDK = 'cline/cline4-sdk_session.messages.json';

function taskDir(extension: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'autodidact-cline-turns-')), 'globalStorage', extension, 'tasks', '1750000000000');
  mkdirSync(dir, { recursive: true });
  return dir;
}

whenFixtures('Cline / Roo turns on the real tasks', () => {
  describe('Roo Code task bc93a6f7', () => {
    it('named turns: the opening task, the feedback, the follow-up answer kept inside its exchange', async () => {
      const { sink } = await importInto([fixture(ROO_API)]);
      const turns = sink.interactions();
      // Message 0: the <task> (French, "PHASE 1 : Diagnostic…"); message 1 answers it.
      assert.ok(turns[0].user_request.startsWith('# PHASE 1 : Diagnostic Système Interface-First - Stratégie Anti-Échec SDDD'));
      assert.ok(turns[0].assistant_response.startsWith("Je vais suivre rigoureusement l'approche **Interface-First** demandée"));
      // Message 22: the user's feedback on the attempted completion opens turn 1.
      assert.ok(turns[1].user_request.startsWith("Interface first, tu auras pu me demander, non?"));
      assert.ok(turns[1].assistant_response.startsWith('Vous avez absolument raison - je me suis trompé'));
      // Message 26: "<answer>Je vois 22 tâches…" answers the follow-up asked in message 25: it is
      // part of turn 1, not a request of its own.
      assert.equal(turns.filter((t) => t.user_request.includes('Je vois 22 tâches')).length, 0);
      assert.equal(turns.filter((t) => t.user_request.includes('Je ne vois toujours que les 22 tâches')).length, 0);
      // Message 28: new instructions given when the task was resumed.
      assert.equal(turns[2].user_request, 'Instruis une sous-tâche pour ça stp');
      // Messages 34 / 45 / 58 are subtask results ("[new_task completed] Result:"), never requests.
      assert.equal(turns.filter((t) => /MISSION CRITIQUE ACCOMPLIE|J'ai identifié et corrigé la boucle/.test(t.user_request)).length, 0);
      assert.equal(turns.length, 6);
      assert.ok(turns[5].user_request.startsWith('Ne range pas juste les 3 docuemnts à la racine'));
    });

    it('ui_messages.json alone gives the same requests, the opening task included', async () => {
      const dir = taskDir('rooveterinaryinc.roo-cline');
      copyFileSync(fixture(ROO_UI), join(dir, 'ui_messages.json'));
      const fromUi = await importInto([join(dir, 'ui_messages.json')]);
      const fromApi = await importInto([fixture(ROO_API)]);
      assert.deepEqual(fromUi.sink.interactions().map((t) => t.user_request), fromApi.sink.interactions().map((t) => t.user_request));
    });
  });

  describe('Cline 4 SDK session', () => {
    it('named turns pair each request with its own answer', async () => {
      const { sink } = await importInto([fixture(CLINE_SDK)]);
      const turns = sink.interactions();
      assert.ok(turns[0].user_request.startsWith('can you update @apps/examples/desktop-app/webview/components/agent-sidebar.tsx so that the filter icon'));
      assert.ok(turns[0].assistant_response.startsWith("I'll look at the `ThreadSection` component"));
      assert.equal(turns[1].user_request, 'can you make the filter icon smaller?');
      assert.ok(turns[1].assistant_response.startsWith("I'll make the filter icon smaller."));
      assert.deepEqual([turns[4].user_request, turns[4].assistant_response], ['hello', 'Hello! How can I assist you today?']);
    });
  });
});

describe('Cline / Roo text the client puts in the user\'s turn', () => {
  const env = { type: 'text', text: '<environment_details>\n# Current Working Directory (/home/dev/app) Files\n</environment_details>' };

  it('resume prompts, "you did not use a tool" and condensed summaries are not requests', async () => {
    const dir = taskDir('saoudrizwan.claude-dev');
    writeFileSync(join(dir, 'api_conversation_history.json'), JSON.stringify([
      { role: 'user', ts: 1750000000000, content: [{ type: 'text', text: '<task>\nAdd a /health route\n</task>' }, env] },
      { role: 'assistant', ts: 1750000001000, content: [{ type: 'text', text: 'I will add it.' }] },
      { role: 'user', ts: 1750000002000, content: [{ type: 'text', text: '[ERROR] You did not use a tool in your previous response! Please retry with a tool use.\n\n# Reminder: Instructions for Tool Use\n\nTool uses are formatted using XML-style tags.' }, env] },
      { role: 'assistant', ts: 1750000003000, content: [{ type: 'text', text: '<write_to_file>\n<path>src/health.ts</path>\n<content>export {}</content>\n</write_to_file>' }] },
      { role: 'user', ts: 1750000004000, content: [{ type: 'text', text: "[write_to_file for 'src/health.ts'] Result:" }, { type: 'text', text: 'The content was successfully saved to src/health.ts.' }, env] },
      { role: 'user', ts: 1750000600000, content: [{ type: 'text', text: "[TASK RESUMPTION] This task was interrupted 10 minutes ago. It may or may not be complete, so please reassess the task context. Be aware that the project state may have changed since then. The current working directory is now '/home/dev/app'." }, env] },
      { role: 'assistant', ts: 1750000601000, content: [{ type: 'text', text: 'The route exists; the task is done.' }] },
      { role: 'user', ts: 1750000700000, content: [{ type: 'text', text: "[TASK RESUMPTION] This task was interrupted 1 minute ago.\n\nNew instructions for task continuation:\n<user_message>\nalso return the version\n</user_message>" }, env] },
      { role: 'assistant', ts: 1750000701000, content: [{ type: 'text', text: 'Version added.' }] },
      { role: 'user', ts: 1750000800000, content: [{ type: 'text', text: 'This session is being continued from a previous conversation that ran out of context. The conversation is summarized below:\n1. Primary Request: add a /health route' }, env] },
      { role: 'assistant', ts: 1750000801000, isSummary: true, content: [{ type: 'text', text: '## Summary\nThe user asked for a /health route.' }] },
      { role: 'assistant', ts: 1750000802000, content: [{ type: 'text', text: 'Continuing: all done.' }] },
    ]));
    const { sink } = await importInto([dir]);
    const turns = sink.interactions();
    assert.deepEqual(turns.map((t) => t.user_request), ['Add a /health route', 'also return the version']);
    assert.equal(turns[0].assistant_response, 'I will add it.\n\nThe route exists; the task is done.');
    assert.ok(turns[0].issues_encountered.includes('the assistant answered without using a tool'));
    assert.deepEqual(turns[0].files_modified, ['src/health.ts']);
    // The condensed summary is neither a request nor part of the answer.
    assert.equal(turns[1].assistant_response, 'Version added.\n\nContinuing: all done.');
  });

  it('a request the user cancelled is a user_interrupt', async () => {
    const dir = taskDir('saoudrizwan.claude-dev');
    writeFileSync(join(dir, 'api_conversation_history.json'), JSON.stringify([
      { role: 'user', ts: 1750000000000, content: [{ type: 'text', text: '<task>\nrewrite the router\n</task>' }, env] },
      { role: 'assistant', ts: 1750000001000, content: [{ type: 'text', text: 'Starting with the' }] },
    ]));
    writeFileSync(join(dir, 'ui_messages.json'), JSON.stringify([
      { ts: 1750000000000, type: 'say', say: 'text', text: 'rewrite the router' },
      { ts: 1750000000500, type: 'say', say: 'api_req_started', text: '{"tokensIn":10,"tokensOut":3,"cancelReason":"user_cancelled"}' },
    ]));
    const { sink } = await importInto([dir]);
    const [turn] = sink.interactions();
    assert.deepEqual(sink.outcomes().filter((o) => o.kind === 'user_interrupt').map((o) => [o.interactionId, o.detail]), [[turn.id, 'request cancelled by user']]);
  });

  it('a test command\'s result becomes test and exit-code outcomes', async () => {
    const dir = taskDir('saoudrizwan.claude-dev');
    writeFileSync(join(dir, 'api_conversation_history.json'), JSON.stringify([
      { role: 'user', ts: 1750000000000, content: [{ type: 'text', text: '<task>\nfix the failing parser test\n</task>' }, env] },
      { role: 'assistant', ts: 1750000001000, content: [{ type: 'tool_use', id: 'c1', name: 'execute_command', input: { command: 'npx jest src/parser', requires_approval: false } }] },
      { role: 'user', ts: 1750000002000, content: [{ type: 'tool_result', tool_use_id: 'c1', content: 'Command executed.\nOutput:\nPASS src/parser.test.ts\nTests:       4 passed, 4 total\nTime:        0.9 s' }] },
    ]));
    const { sink } = await importInto([dir]);
    const mined = sink.outcomes().filter((o) => o.kind === 'test_passed');
    assert.deepEqual(mined.map((o) => [o.value, o.detail]), [[4, 'Tests: 4 passed, 4 total']]);
  });
});
