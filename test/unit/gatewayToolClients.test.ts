// Tool calls through the gateway with the real SmolLM2-135M-Instruct base (the tiny model never writes
// a call) and the real client packages: the `openai` npm client and the `openai` Python package
// (test/clients/openai_python_client.py). With one earlier call in the history, greedy SmolLM2 calls
// get_weather for Berlin in the Hermes convention the gateway shows it; the clients must receive that
// as tool_calls (whole and streamed as deltas), and the follow-up with the tool's result must be
// answered in text. Every exchange is captured once, with the call as the model wrote it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { InteractionRecord } from '../../extension/protocol/records';
import type { CapturedExchange, TrainerEvent } from '../../extension/protocol/trainerProtocol';
import { connect, PYTHON, REPO_ROOT, startServer, tempDir, type StartedServer } from './trainerTestKit';

const SMOLLM2_DIR = path.join(REPO_ROOT, 'test', '.models', 'SmolLM2-135M-Instruct');

const TOOLS: ChatCompletionTool[] = [{
  type: 'function',
  function: { name: 'get_weather', description: 'Get the current weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
}];

const HISTORY: ChatCompletionMessageParam[] = [
  { role: 'user', content: 'What is the weather in Paris?' },
  { role: 'assistant', content: null, tool_calls: [{ id: 'call_paris', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } }] },
  { role: 'user', content: 'What is the weather in Berlin?' },
];

describe('gateway: tool calls with the real openai clients (SmolLM2)', { timeout: 600_000 }, () => {
  let started: StartedServer;
  let openai: OpenAI;
  const buffered = (): number => started.server.core.status().captureBuffered;

  before(async () => {
    started = await startServer(tempDir(), { baseModel: SMOLLM2_DIR });
    openai = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0 });
  });
  after(async () => { await started?.server.stop(); });

  /** Every buffered exchange, as a capture subscriber receives it. */
  async function capturedInteractions(): Promise<InteractionRecord[]> {
    const received: CapturedExchange[] = [];
    const subscriber = await connect(started.server, true, (event: TrainerEvent) => { if (event.event === 'capture') received.push(...event.exchanges); });
    const deadline = Date.now() + 10_000;
    while (received.length < buffered() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    subscriber.close();
    return received.flatMap((e) => e.events).flatMap((e) => (e.type === 'interaction' ? [e.interaction] : []));
  }

  test('npm client: a whole answer carries tool_calls with finish_reason tool_calls, captured once as written', async () => {
    const before = buffered();
    const completion = await openai.chat.completions.create({ model: 'autodidact', messages: HISTORY, tools: TOOLS, temperature: 0, max_tokens: 40 });
    const choice = completion.choices[0];
    assert.equal(choice.finish_reason, 'tool_calls', JSON.stringify(choice.message));
    assert.equal(choice.message.content, null);
    const call = choice.message.tool_calls?.[0];
    assert.ok(call && call.type === 'function');
    assert.match(call.id, /^call_/);
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Berlin' });
    assert.equal(buffered(), before + 1);
    const captured = (await capturedInteractions()).at(-1);
    assert.equal(captured?.user_request, 'What is the weather in Berlin?');
    assert.deepEqual(captured?.tools_used, ['get_weather'], 'the call is recorded as a tool used');
    assert.match(captured?.assistant_response ?? '', /^<tool_call>\n\{"name": ?"get_weather", ?"arguments": ?\{"city": ?"Berlin"\}\}\n<\/tool_call>$/, 'as the model wrote it: what a round trains on');
  });

  test('npm client: streamed tool calls arrive as delta.tool_calls and the SDK assembles them', async () => {
    const stream = openai.chat.completions.stream({ model: 'autodidact', messages: HISTORY, tools: TOOLS, temperature: 0, max_tokens: 40 });
    const deltas: unknown[] = [];
    for await (const chunk of stream) if (chunk.choices[0]?.delta?.tool_calls) deltas.push(...chunk.choices[0].delta.tool_calls);
    const final = await stream.finalChatCompletion();
    assert.equal(final.choices[0].finish_reason, 'tool_calls');
    assert.equal(deltas.length, 1, 'one call, one delta with its whole arguments');
    const call = final.choices[0].message.tool_calls?.[0];
    assert.ok(call && call.type === 'function');
    assert.equal(call.function.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Berlin' });
    assert.ok(!(final.choices[0].message.content ?? '').includes('<tool_call>'), 'the call is not also sent as text');
  });

  test('npm client, Responses API: function_call items out, function_call_output back in', async () => {
    const tools = [{ type: 'function' as const, name: 'get_weather', description: 'Get the current weather in a city', parameters: TOOLS[0].type === 'function' ? TOOLS[0].function.parameters ?? null : null, strict: false }];
    const input = [
      { role: 'user' as const, content: 'What is the weather in Paris?' },
      { type: 'function_call' as const, call_id: 'call_paris', name: 'get_weather', arguments: '{"city": "Paris"}' },
      { role: 'user' as const, content: 'What is the weather in Berlin?' },
    ];
    const stream = openai.responses.stream({ model: 'autodidact', input, tools, temperature: 0, max_output_tokens: 40 });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const response = await stream.finalResponse();
    const call = response.output.find((item) => item.type === 'function_call');
    assert.ok(call && call.type === 'function_call', JSON.stringify(response.output));
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.arguments), { city: 'Berlin' });
    assert.ok(types.includes('response.function_call_arguments.done') && types[types.length - 1] === 'response.completed', types.join(' '));

    const answer = await openai.responses.create({
      model: 'autodidact', previous_response_id: response.id, tools, temperature: 0, max_output_tokens: 20,
      input: [{ type: 'function_call_output', call_id: call.call_id, output: 'rain, 12 C' }],
    });
    assert.equal(answer.output.filter((item) => item.type === 'function_call').length, 0, JSON.stringify(answer.output));
    assert.ok(answer.output_text.trim().length > 0, 'the result is answered in text');
  });

  test('the openai Python package: tool calls whole and streamed, the follow-up, responses whole and streamed, the JSON-format 400', async () => {
    const before = buffered();
    const { stdout } = await promisify(execFile)(PYTHON, [path.join(REPO_ROOT, 'test', 'clients', 'openai_python_client.py'), `${started.server.httpUrl}/v1`], {
      env: { ...process.env, AUTODIDACT_TOKEN: started.server.token }, timeout: 400_000,
    });
    const out = JSON.parse(stdout);
    assert.equal(out.openai_version, '3.63.0', 'the pinned client (test/setup/client-requirements.txt)');
    assert.equal(out.chat.finish_reason, 'tool_calls');
    assert.equal(out.chat.content, null);
    assert.deepEqual(out.chat.calls.map((c: { name: string; arguments: unknown }) => [c.name, c.arguments]), [['get_weather', { city: 'Berlin' }]]);
    assert.deepEqual(out.chat_stream, { finish_reason: 'tool_calls', calls: [{ name: 'get_weather', arguments: { city: 'Berlin' } }] });
    assert.equal(out.follow_up.tool_calls, null);
    assert.ok(['stop', 'length'].includes(out.follow_up.finish_reason));
    assert.ok(out.follow_up.content.trim().length > 0);
    assert.match(out.responses.id, /^resp_/);
    assert.deepEqual(out.responses.output_types, ['message']);
    assert.ok(out.responses.output_text.length > 0);
    assert.equal(out.responses_stream.events[0], 'response.created');
    assert.ok(out.responses_stream.events.includes('response.output_text.delta'));
    assert.equal(out.responses_stream.output_text, out.responses_stream.deltas);
    assert.deepEqual(out.json_object, { status: 400, code: 'response_format_unsupported', param: 'response_format' });
    assert.equal(buffered(), before + 5, 'each of the five exchanges captured once (the refused one is not)');
  });
});
