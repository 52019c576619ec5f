// What @autodidact records and sends, without VS Code: messages, the interaction record, votes,
// session continuity through result metadata, and the model choice order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chatTurnEvents, readChatMetadata, sessionFromHistory, voteOutcome, type ChatTurn } from '../../extension/client/chat/chatRecord';
import { buildChatMessages, MAX_HISTORY_TURNS, SYSTEM_PROMPT } from '../../extension/client/chat/chatTranscript';
import { chooseModel, type ModelInfo } from '../../extension/client/chat/modelChoice';
import { extractCodeBlocks } from '../../extension/client/capture/interactionLedger';
import type { InteractionRecord, SessionRecord } from '../../extension/protocol/records';

test('messages: system prompt, earlier turns in order, then the prompt with references fenced safely', () => {
  const messages = buildChatMessages(
    [{ kind: 'request', prompt: 'what is x?', command: 'explain' }, { kind: 'response', text: 'x is 1' }],
    'fix it', undefined,
    [{ label: 'src/a.ts:1-2', text: 'const x = 1;\n```\nnot a fence end' }, { label: 'symbol Foo' }],
  );
  assert.deepEqual(messages.slice(0, 3), [
    { role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content: '/explain what is x?' }, { role: 'assistant', content: 'x is 1' }]);
  const last = messages[3];
  assert.equal(last.role, 'user');
  assert.match(last.content, /^fix it\n\nAttached context:\n\n### src\/a\.ts:1-2\n````\nconst x = 1;\n```\nnot a fence end\n````$/);
  assert.doesNotMatch(last.content, /symbol Foo/, 'a reference without text is not inlined');
});

test('messages keep only the last turns of a long conversation', () => {
  const history = Array.from({ length: 40 }, (_, i) => ({ kind: 'request' as const, prompt: `q${i}` }));
  const messages = buildChatMessages(history, 'now', undefined, []);
  assert.equal(messages.length, 1 + MAX_HISTORY_TURNS + 1);
  assert.equal(messages[1].content, `q${40 - MAX_HISTORY_TURNS}`);
});

const TURN: ChatTurn = {
  interactionId: 'chat-1', sessionId: 'chat-s', newSession: true, prompt: '  Fix the\nparser  ', references: ['src/p.ts:3-9', 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789.txt'],
  response: 'Done.', model: 'gpt-4o', startedAt: 100, endedAt: 250, workspace: 'proj',
  toolCalls: [{ name: 'readFile', ok: true, detail: '{"path":"a"}' }, { name: 'runTests', ok: false, detail: 'exit 1' }],
  issues: ['the user stopped the answer'],
};

test('a turn becomes a session row and an interaction in seed 000\'s schema, with tool outcomes', () => {
  let n = 0;
  const events = chatTurnEvents(TURN, () => `o${n++}`);
  const session = (events[0] as { session: SessionRecord }).session;
  assert.deepEqual(session, { id: 'chat-s', source: 'chat-participant', model: 'gpt-4o', workspace: 'proj', startedAt: 100, endedAt: 250, title: 'Fix the parser' });
  const interaction = (events[1] as { interaction: InteractionRecord }).interaction;
  assert.equal(interaction.source, 'chat-participant');
  assert.deepEqual(interaction.tools_used, ['readFile', 'runTests']);
  assert.deepEqual(interaction.issues_encountered, ['the user stopped the answer', 'tool runTests failed: exit 1']);
  assert.deepEqual(interaction.outcomes!.map((o) => [o.id, o.kind, o.interactionId]), [['o0', 'tool_ok', 'chat-1'], ['o1', 'tool_error', 'chat-1']]);
  assert.equal(interaction.references![0], 'src/p.ts:3-9');
  assert.doesNotMatch(interaction.references![1], /ghp_/, 'references are redacted here');
  const later = chatTurnEvents({ ...TURN, newSession: false }, () => 'x');
  assert.equal((later[0] as { session: SessionRecord }).session.title, undefined, 'a later turn does not retitle the session');
});

test('votes: one outcome id per interaction, +1 / -1; metadata is read back defensively', () => {
  const meta = { interactionId: 'chat-1', sessionId: 'chat-s' };
  assert.deepEqual(voteOutcome(meta, true, 9), { id: 'vote-chat-1', interactionId: 'chat-1', sessionId: 'chat-s', kind: 'vote', value: 1, at: 9 });
  assert.equal(voteOutcome(meta, false, 10).value, -1);
  assert.equal(voteOutcome(meta, false, 10).id, 'vote-chat-1');
  assert.deepEqual(readChatMetadata({ ...meta, other: 1 }), meta);
  assert.equal(readChatMetadata({ interactionId: 3 }), undefined);
  assert.equal(readChatMetadata(undefined), undefined);
  assert.equal(sessionFromHistory([undefined, { interactionId: 'a', sessionId: 's-old' }, {}, { interactionId: 'b', sessionId: 's-new' }]), 's-new');
  assert.equal(sessionFromHistory([]), undefined);
});

const model = (id: string, family: string, vendor = 'copilot'): ModelInfo => ({ id, family, vendor, name: id.toUpperCase() });
const MODELS = [model('gpt-4o-2024', 'gpt-4o'), model('claude-3.5', 'claude-3.5-sonnet'), model('llama', 'llama3', 'ollama')];

test('model choice: setting, then remembered pick, then the chat view\'s model, then the only one; else ask', () => {
  const pick = (setting: string, remembered?: string, selected?: ModelInfo, models = MODELS) => {
    const d = chooseModel(models, setting, remembered, selected);
    return d.kind === 'use' ? d.model.id : d.kind;
  };
  assert.equal(pick('gpt-4o'), 'gpt-4o-2024', 'by family');
  assert.equal(pick('claude-3.5'), 'claude-3.5', 'by id');
  assert.equal(pick('ollama/llama3'), 'llama', 'by vendor/family');
  assert.equal(pick('nonexistent', 'llama'), 'ask', 'a setting that matches nothing asks instead of guessing');
  assert.equal(pick('', 'llama', MODELS[0]), 'llama');
  assert.equal(pick('', 'gone', MODELS[1]), 'claude-3.5');
  assert.equal(pick('', undefined, undefined, [MODELS[2]]), 'llama');
  assert.equal(pick(''), 'ask');
  assert.equal(pick('', undefined, undefined, []), 'none');
});

test('code blocks are extracted from answers (both fence styles, nested backticks)', () => {
  const answer = 'a\n```ts\nconst a = 1;\n```\ntext\n~~~\nb ``` c\n~~~\n````md\n```js\nx\n```\n````\n';
  assert.deepEqual(extractCodeBlocks(answer), ['const a = 1;', 'b ``` c', '```js\nx\n```']);
});
