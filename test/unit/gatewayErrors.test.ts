// Malformed gateway requests get OpenAI-style errors ({error: {message, type, param, code}}) with the
// right HTTP status, both as raw HTTP and as the official openai client sees them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startServer, tempDir, type StartedServer } from './trainerTestKit';

interface ErrorBody { error: { message: string; type: string; param: string | null; code: string | null } }

describe('gateway errors', { timeout: 120_000 }, () => {
  let started: StartedServer;
  let post: (body: string, headers?: Record<string, string>) => Promise<{ status: number; body: ErrorBody }>;
  before(async () => {
    started = await startServer(tempDir(), { maxHttpBodyBytes: 64 * 1024 });
    post = async (body, headers = {}) => {
      const response = await fetch(`${started.server.httpUrl}/v1/chat/completions`, {
        method: 'POST', body, headers: { authorization: `Bearer ${started.server.token}`, 'content-type': 'application/json', ...headers },
      });
      return { status: response.status, body: (await response.json()) as ErrorBody };
    };
  });
  after(async () => { await started?.server.stop(); });

  const hi = [{ role: 'user', content: 'hi' }];

  test('bodies that are not JSON, not objects, or too large', async () => {
    const notJson = await post('{"model": ');
    assert.equal(notJson.status, 400);
    assert.deepEqual([notJson.body.error.type, notJson.body.error.code], ['invalid_request_error', 'invalid_json']);
    assert.equal((await post('[1,2]')).status, 400);
    const huge = await post(JSON.stringify({ model: 'autodidact', messages: [{ role: 'user', content: 'x'.repeat(100_000) }] }));
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error.code, 'request_too_large');
  });

  test('each bad field is named in `param`', async () => {
    const cases: Array<[unknown, string]> = [
      [{ messages: hi }, 'model'],
      [{ model: 'autodidact' }, 'messages'],
      [{ model: 'autodidact', messages: 'hi' }, 'messages'],
      [{ model: 'autodidact', messages: [{ role: 'wizard', content: 'hi' }] }, 'messages[0].role'],
      [{ model: 'autodidact', messages: hi, temperature: -1 }, 'temperature'],
      [{ model: 'autodidact', messages: hi, max_tokens: 1.5 }, 'max_tokens'],
      [{ model: 'autodidact', messages: hi, n: 3 }, 'n'],
    ];
    for (const [body, param] of cases) {
      const { status, body: error } = await post(JSON.stringify(body));
      assert.equal(status, 400, param);
      assert.equal(error.error.param, param);
      assert.equal(error.error.type, 'invalid_request_error');
      assert.ok(error.error.message.length > 10);
    }
  });

  test('the openai client raises typed errors: unknown model (404), bad request (400), context too long (400)', async () => {
    const openai = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0 });
    await assert.rejects(openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }),
      (e: InstanceType<typeof OpenAI.NotFoundError>) => e instanceof OpenAI.NotFoundError && e.code === 'model_not_found' && /gpt-4o/.test(e.message));
    await assert.rejects(openai.chat.completions.create({ model: 'autodidact-v9.9', messages: [{ role: 'user', content: 'hi' }] }), OpenAI.NotFoundError);
    await assert.rejects(openai.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:,' } }] }] }),
      (e: InstanceType<typeof OpenAI.BadRequestError>) => e instanceof OpenAI.BadRequestError && e.param === 'messages[0].content[0].type');
    await assert.rejects(openai.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100_000 }),
      (e: InstanceType<typeof OpenAI.BadRequestError>) => e instanceof OpenAI.BadRequestError && e.code === 'context_length_exceeded');
    await assert.rejects(openai.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100_000, stream: true }),
      (e: InstanceType<typeof OpenAI.BadRequestError>) => e instanceof OpenAI.BadRequestError && /exceeds the model's 2048/.test(e.message), 'a streaming request that fails before its first token gets a plain 400');
    const fine = await openai.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 });
    assert.equal(fine.choices[0].finish_reason, 'length', 'the gateway still serves after all those errors');
  });

  test('wrong routes and methods', async () => {
    const auth = { authorization: `Bearer ${started.server.token}` };
    const get = await fetch(`${started.server.httpUrl}/v1/chat/completions`, { headers: auth });
    assert.equal(get.status, 405);
    assert.equal(((await get.json()) as ErrorBody).error.code, 'method_not_allowed');
    const missing = await fetch(`${started.server.httpUrl}/v1/embeddings`, { method: 'POST', headers: auth, body: '{}' });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as ErrorBody).error.code, 'unknown_url');
    const model = await fetch(`${started.server.httpUrl}/v1/models/autodidact-v1.0`, { headers: auth });
    assert.equal(((await model.json()) as { id: string }).id, 'autodidact-v1.0');
    assert.equal((await fetch(`${started.server.httpUrl}/v1/models/nope`, { headers: auth })).status, 404);
  });
});
