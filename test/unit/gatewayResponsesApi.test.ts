// POST /v1/responses through the real `openai` npm client against the real trainer-server on loopback
// (tiny model: the plumbing, not the answers): whole and streamed responses with the event types the
// SDK parses, previous_response_id, one capture per exchange, and the clear 400s for what the built-in
// engine cannot honour (JSON formats, forced tool calls) on both APIs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startServer, tempDir, type StartedServer } from './trainerTestKit';

describe('gateway: Responses API with the openai npm client', { timeout: 240_000 }, () => {
  let started: StartedServer;
  let openai: OpenAI;
  const buffered = (): number => started.server.core.status().captureBuffered;

  before(async () => {
    started = await startServer(tempDir());
    openai = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0 });
  });
  after(async () => { await started?.server.stop(); });

  test('a whole response: instructions and a string input, output_text, usage, the version, one capture', async () => {
    const before = buffered();
    const response = await openai.responses.create({ model: 'autodidact', instructions: 'Be brief.', input: 'Say hello.', max_output_tokens: 6 });
    assert.equal(response.object, 'response');
    assert.match(response.id, /^resp_/);
    assert.equal(response.model, 'autodidact-v1.0');
    assert.ok(['completed', 'incomplete'].includes(response.status ?? ''), String(response.status));
    assert.equal(response.output[0].type, 'message');
    assert.ok(response.output_text.length > 0, 'the SDK reads the text from the output items');
    const outputTokens = response.usage?.output_tokens ?? 0;
    assert.ok(response.status === 'incomplete' ? outputTokens === 6 : outputTokens <= 6, `${response.status} after ${outputTokens} tokens`);
    if (response.status === 'incomplete') assert.equal(response.incomplete_details?.reason, 'max_output_tokens');
    assert.ok((response.usage?.input_tokens ?? 0) > 0);
    assert.equal(buffered(), before + 1, 'captured exactly once');
  });

  test('a streamed response: the SDK sees created, deltas, done and completed events, and the final response matches the deltas', async () => {
    const before = buffered();
    const stream = openai.responses.stream({ model: 'autodidact', input: [{ role: 'user', content: [{ type: 'input_text', text: 'Count to three.' }] }], max_output_tokens: 8 });
    const types: string[] = [];
    const sequence: number[] = [];
    let deltas = '';
    for await (const event of stream) {
      types.push(event.type);
      sequence.push(event.sequence_number);
      if (event.type === 'response.output_text.delta') deltas += event.delta;
    }
    const final = await stream.finalResponse();
    assert.deepEqual(sequence, sequence.map((_, i) => i), 'sequence numbers count up from 0 in the order sent');
    assert.equal(types[0], 'response.created');
    assert.equal(types[1], 'response.in_progress');
    assert.ok(types.includes('response.output_item.added') && types.includes('response.content_part.added'));
    assert.ok(types.includes('response.output_text.delta'));
    assert.deepEqual(types.slice(-4, -1), ['response.output_text.done', 'response.content_part.done', 'response.output_item.done']);
    assert.ok(['response.completed', 'response.incomplete'].includes(types[types.length - 1]));
    assert.equal(final.output_text, deltas);
    assert.ok(deltas.length > 0);
    assert.equal(buffered(), before + 1, 'captured exactly once');
  });

  test('previous_response_id continues the stored conversation; an unknown id is a 404', async () => {
    const first = await openai.responses.create({ model: 'autodidact', input: 'My name is Ada.', max_output_tokens: 4 });
    const second = await openai.responses.create({ model: 'autodidact', previous_response_id: first.id, input: 'What is my name?', max_output_tokens: 4 });
    assert.equal(second.previous_response_id, first.id);
    assert.ok((second.usage?.input_tokens ?? 0) > (first.usage?.input_tokens ?? 0) + 4, 'the earlier turn is in the prompt');
    await assert.rejects(
      openai.responses.create({ model: 'autodidact', previous_response_id: 'resp_nope', input: 'hi' }),
      (error: unknown) => error instanceof OpenAI.NotFoundError && /resp_nope/.test(error.message),
    );
  });

  test('a pinned version and an unknown model behave as on chat completions', async () => {
    const response = await openai.responses.create({ model: 'autodidact-v1.0', input: 'hi', max_output_tokens: 2 });
    assert.equal(response.model, 'autodidact-v1.0');
    await assert.rejects(openai.responses.create({ model: 'autodidact-v9.9', input: 'hi' }), (error: unknown) => error instanceof OpenAI.NotFoundError);
  });

  test('JSON formats are refused with a clear 400 on both APIs, never accepted and ignored; nothing is captured', async () => {
    const before = buffered();
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    await assert.rejects(
      openai.responses.create({ model: 'autodidact', input: 'hi', text: { format: { type: 'json_schema', name: 'reply', schema } } }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.code === 'response_format_unsupported' && error.param === 'text.format' && /constrained/.test(error.message),
    );
    await assert.rejects(
      openai.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_object' } }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.code === 'response_format_unsupported' && error.param === 'response_format',
    );
    await assert.rejects(
      openai.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'json_schema', json_schema: { name: 'reply', schema } }, stream: true }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.code === 'response_format_unsupported',
    );
    const tool = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } };
    await assert.rejects(
      openai.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: 'hi' }], tools: [tool], tool_choice: 'required' }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === 'tool_choice',
    );
    const plain = await openai.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: 'hi' }], response_format: { type: 'text' }, max_tokens: 2 });
    assert.equal(plain.choices.length, 1, "type 'text' is plain text: served");
    assert.equal(buffered(), before + 1, 'only the served request was captured');
  });

  test('x-autodidact-temperature sets the temperature a client cannot send (Codex); a bad value is a 400', async () => {
    const greedy = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0, defaultHeaders: { 'x-autodidact-temperature': '0' } });
    const answers = new Set<string>();
    for (let i = 0; i < 3; i++) answers.add((await greedy.responses.create({ model: 'autodidact', input: 'Tell me a story.', max_output_tokens: 12 })).output_text);
    assert.equal(answers.size, 1, 'greedy: the same answer every time');
    const bad = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0, defaultHeaders: { 'x-autodidact-temperature': 'hot' } });
    await assert.rejects(bad.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof OpenAI.BadRequestError && /x-autodidact-temperature/.test(error.message));
  });

  test('bad input items get a 400 naming the parameter', async () => {
    await assert.rejects(
      openai.responses.create({ model: 'autodidact', input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'http://x/y.png', detail: 'auto' }] }] }),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === 'input[0].content[0].type',
    );
  });
});
