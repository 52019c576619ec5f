// Continue turns (no chat sample in ../shared, written from FORMATS.md and Continue's prompt
// rendering): the request is the user's latest instruction in the rendered prompt, `<think>` is
// not the answer, and a chat present in both dev_data and sessions/ is imported once.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promptParts, withoutThinking } from '../../extension/server/importers/continue/continuePrompt';
import { importInto } from './importersSupport';

const common = { schema: '0.2.0', userAgent: 'Visual Studio Code/1.98 (Continue/1.0.5)' };

function continueHome(): string {
  const home = join(mkdtempSync(join(tmpdir(), 'autodidact-continue-turns-')), '.continue');
  mkdirSync(join(home, 'dev_data', '0.2.0'), { recursive: true });
  mkdirSync(join(home, 'sessions'), { recursive: true });
  return home;
}

const RENDERED = [
  '<system>', 'Always answer in TypeScript. Keep answers short.', '',
  '<user>', 'What does parseArgs return?', '',
  '<assistant>', 'An object with the flags.', '',
  '<user>', '```src/cli.ts', 'export function parseArgs(argv: string[]) {', '  return { verbose: argv.includes("-v") };', '}', '```', '',
  'Add a --quiet flag to parseArgs', '', '',
].join('\n');

describe('Continue rendered prompts', () => {
  it('the request is the last user block without the files pasted before it', () => {
    const parts = promptParts(RENDERED);
    assert.equal(parts.request, 'Add a --quiet flag to parseArgs');
    assert.deepEqual(parts.attached, ['src/cli.ts']);
    assert.equal(parts.structured, true);
  });

  it('model chat templates (ChatML, Llama 3, [INST]) are read the same way; plain text is kept whole', () => {
    const chatml = '<|im_start|>system\nYou are a coding assistant.<|im_end|>\n<|im_start|>user\nfirst question<|im_end|>\n<|im_start|>assistant\nfirst answer<|im_end|>\n<|im_start|>user\nrename foo to bar<|im_end|>\n<|im_start|>assistant\n';
    assert.equal(promptParts(chatml).request, 'rename foo to bar');
    const llama3 = '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nwhy is the build slow?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n';
    assert.equal(promptParts(llama3).request, 'why is the build slow?');
    assert.equal(promptParts('[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nhello [/INST] hi </s><s>[INST] sort this list [/INST]').request, 'sort this list');
    assert.deepEqual(promptParts('What does main do?'), { request: 'What does main do?', attached: [], structured: false });
    // A message that is only code: the code is what the user sent.
    assert.equal(promptParts('<user>\n```py\nprint(1)\n```\n').request, '```py\nprint(1)\n```');
  });

  it('<think> is reasoning, kept out of the answer', () => {
    assert.deepEqual(withoutThinking('<think>\nThe user wants a flag.\n</think>\n\nAdd `quiet: argv.includes("-q")`.'), {
      answer: 'Add `quiet: argv.includes("-q")`.', reasoning: 'The user wants a flag.',
    });
    // Cut off while still thinking: no answer at all.
    assert.equal(withoutThinking('<think>\nstill going').answer, '');
  });
});

describe('Continue dev_data and sessions', () => {
  it('chatInteraction: the latest instruction is the request, the <think> block is not in the answer', async () => {
    const home = continueHome();
    const chat = join(home, 'dev_data', '0.2.0', 'chatInteraction.jsonl');
    writeFileSync(chat, `${JSON.stringify({
      ...common, eventName: 'chatInteraction', timestamp: '2025-04-01T10:00:00.000Z', prompt: RENDERED,
      completion: '<think>\nThey want a quiet flag.\n</think>\n\nReturn `quiet: argv.includes("--quiet")` too.', modelName: 'deepseek-r1:14b', modelProvider: 'ollama', sessionId: 'only-in-dev-data',
    })}\n`);
    const { sink } = await importInto([chat]);
    const [turn] = sink.interactions();
    assert.equal(turn.user_request, 'Add a --quiet flag to parseArgs');
    assert.equal(turn.assistant_response, 'Return `quiet: argv.includes("--quiet")` too.');
    assert.equal(sink.sessions()[0].title, 'Add a --quiet flag to parseArgs');
  });

  it('a conversation in both dev_data and sessions/ is imported once, from the session file', async () => {
    const home = continueHome();
    const chat = join(home, 'dev_data', '0.2.0', 'chatInteraction.jsonl');
    writeFileSync(chat, [
      { ...common, eventName: 'chatInteraction', timestamp: '2025-04-01T10:00:00.000Z', prompt: '<user>\nWhat does main do?\n\n', completion: 'It starts the server.', modelName: 'gpt-4o', sessionId: 'sess-9' },
      { ...common, eventName: 'chatInteraction', timestamp: '2025-04-01T11:00:00.000Z', prompt: '<user>\nWhat does stop do?\n\n', completion: 'It stops it.', modelName: 'gpt-4o', sessionId: 'sess-other' },
    ].map((e) => JSON.stringify(e)).join('\n') + '\n');
    const session = join(home, 'sessions', 'sess-9.json');
    writeFileSync(session, JSON.stringify({
      sessionId: 'sess-9', title: 'main', workspaceDirectory: 'file:///home/dev/p', history: [
        { message: { role: 'user', content: 'What does main do?' }, contextItems: [] },
        { message: { role: 'assistant', content: '<think>look at main</think>It starts the server.' }, contextItems: [] },
      ],
    }));
    const { report, sink } = await importInto([chat, session]);
    assert.deepEqual(report.files.map((f) => f.interactions), [1, 1]);
    const turns = sink.interactions();
    assert.deepEqual(turns.map((t) => [t.user_request, t.assistant_response]).sort(), [
      ['What does main do?', 'It starts the server.'],
      ['What does stop do?', 'It stops it.'],
    ]);
    // Imported alone, the dev_data file still skips the chat that the session file holds.
    const alone = await importInto([chat]);
    assert.deepEqual(alone.sink.interactions().map((t) => t.user_request), ['What does stop do?']);
  });
});
