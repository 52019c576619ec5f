// The gateway's tool-call convention: generated `<tool_call>{json}</tool_call>` blocks become OpenAI
// tool calls, also when the text arrives in pieces split inside the tags; anything that is not a call
// to a declared tool stays text, unchanged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractToolCalls, messagesWithTools, toolCallsAsText, ToolCallExtractor, type FunctionTool } from '../../trainer-server/src/gateway/toolCalls';

const TOOLS: FunctionTool[] = [
  { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
  { type: 'function', function: { name: 'shell' } },
];

function streamed(text: string, size: number): { text: string; calls: Array<{ name: string; arguments: string }> } {
  const extractor = new ToolCallExtractor(TOOLS);
  let out = '';
  const calls: Array<{ name: string; arguments: string }> = [];
  const take = (e: ReturnType<ToolCallExtractor['push']>): void => { out += e.text; calls.push(...e.calls.map((c) => c.function)); };
  for (let at = 0; at < text.length; at += size) take(extractor.push(text.slice(at, at + size)));
  take(extractor.flush());
  return { text: out, calls };
}

test('a call between text is split out, in every piece size', () => {
  const text = 'Let me check.\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Berlin"}}\n</tool_call>\n<tool_call>{"name":"shell","arguments":{}}</tool_call>';
  for (const size of [1, 2, 3, 5, 7, 11, 1000]) {
    const got = streamed(text, size);
    assert.equal(got.text, 'Let me check.', `piece size ${size}`);
    assert.deepEqual(got.calls, [{ name: 'get_weather', arguments: '{"city":"Berlin"}' }, { name: 'shell', arguments: '{}' }], `piece size ${size}`);
  }
  const whole = extractToolCalls(text, TOOLS);
  assert.match(whole.calls[0].id, /^call_[0-9a-f]{24}$/);
  assert.equal(whole.calls[0].type, 'function');
});

test('not a call stays text: unknown tool, bad JSON, a lone "<tool", no tools declared', () => {
  for (const text of ['<tool_call>{"name": "rm_rf", "arguments": {}}</tool_call>', '<tool_call>{"name": get_weather}</tool_call>', 'a <tool and more', 'x < y']) {
    for (const size of [1, 4, 100]) assert.deepEqual(streamed(text, size), { text, calls: [] }, `${text} / ${size}`);
  }
  assert.deepEqual(extractToolCalls('<tool_call>{"name":"shell","arguments":{}}</tool_call>', []).calls, []);
});

test('a call the model did not close, and a bare JSON call (Llama-style), still count at the end', () => {
  assert.deepEqual(streamed('<tool_call>\n{"name": "shell", "arguments": {"cmd": "ls"}}', 3).calls, [{ name: 'shell', arguments: '{"cmd":"ls"}' }]);
  assert.deepEqual(streamed(' {"name": "get_weather", "parameters": {"city": "Oslo"}}', 4), { text: '', calls: [{ name: 'get_weather', arguments: '{"city":"Oslo"}' }] });
  assert.deepEqual(streamed('{"answer": 42}', 4), { text: '{"answer": 42}', calls: [] }, 'JSON that is not a call is the answer');
});

test("a follow-up's calls are written back in the same convention, and the tools join the system message", () => {
  const text = toolCallsAsText([{ function: { name: 'shell', arguments: '{"cmd":"ls"}' } }]);
  assert.equal(text, '<tool_call>\n{"name":"shell","arguments":{"cmd":"ls"}}\n</tool_call>');
  assert.deepEqual(extractToolCalls(text, TOOLS).calls.map((c) => c.function), [{ name: 'shell', arguments: '{"cmd":"ls"}' }], 'round trip');
  const messages = messagesWithTools([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }], TOOLS);
  assert.equal(messages.length, 2);
  assert.match(messages[0].content, /^Be brief\.\n\n.*<tools>\n.*"get_weather".*\n.*"shell".*\n<\/tools>/s);
  assert.equal(messagesWithTools([{ role: 'user', content: 'hi' }], TOOLS)[0].role, 'system');
});
