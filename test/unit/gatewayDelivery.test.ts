// Issue 15 item 6 over real HTTP on loopback: a client that disconnects mid-stream is captured as not
// delivered with exactly the text it was sent, on /v1/chat/completions and /v1/responses, even when
// the backend ignores the disconnect and runs to max_tokens (then it must not read as "cut off at
// max_tokens"). The backend here misbehaves on purpose: it writes a piece whenever the test says so
// and always ends with 'length', whatever the abort signal says.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, test } from 'node:test';
import type { CaptureBuffer } from '../../trainer-server/src/capture/captureBuffer';
import type { GenerationBackend, GenerationRequest } from '../../trainer-server/src/serving/generationBackend';
import { startGatewayOverBackend, type GatewayOverBackend } from './gatewayOverBackend';

const TOKEN = 'gateway-delivery-test-token';
let buffer: CaptureBuffer;
let gateway: GatewayOverBackend;
let port: number;
/** Pieces the backend writes; it returns once the test releases it. */
let step: { piece: (text: string) => void; finish: () => void } | undefined;

const stubborn: GenerationBackend = {
  label: 'engine',
  generate: (request: GenerationRequest) => new Promise((resolve) => {
    let text = '';
    step = {
      piece: (piece) => { text += piece; request.onText?.(piece); },
      finish: () => resolve({ text: `${text} and more never sent`, promptTokens: 5, completionTokens: 9, finishReason: 'length' }),
    };
  }),
};

before(async () => {
  gateway = await startGatewayOverBackend(stubborn, TOKEN, 'autodidact-delivery-');
  ({ port, buffer } = gateway);
});
after(() => gateway.close());

async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Streams a request, lets the backend send `pieces`, waits until the client read them, disconnects, then lets the backend finish. */
async function disconnectAfter(route: string, body: Record<string, unknown>, pieces: string[]): Promise<{ read: string; record: { assistant_response: string; issues_encountered: string[] } }> {
  const before = buffer.list().length;
  step = undefined;
  let read = '';
  const request = http.request({ port, host: '127.0.0.1', method: 'POST', path: route, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } }, (response) => {
    response.on('data', (chunk: Buffer) => { read += chunk.toString(); });
    response.on('error', () => undefined);
  });
  request.on('error', () => undefined);
  request.end(JSON.stringify({ model: 'autodidact', stream: true, ...body }));
  await until(() => step !== undefined);
  for (const piece of pieces) {
    step!.piece(piece);
    await until(() => read.includes(JSON.stringify(piece).slice(1, -1)));
  }
  request.destroy();
  await new Promise((resolve) => setTimeout(resolve, 50)); // the server sees the close
  step!.finish();
  await until(() => buffer.list().length > before);
  const events = buffer.list().slice(before).flatMap((e) => e.events);
  const interaction = events.find((e) => e.type === 'interaction') as { interaction: { assistant_response: string; issues_encountered: string[] } };
  return { read, record: interaction.interaction };
}

test('chat completions: the disconnect is captured with what was sent, not the answer the backend finished', async () => {
  const { record } = await disconnectAfter('/v1/chat/completions', { messages: [{ role: 'user', content: 'count' }], max_tokens: 9 }, ['one', ' two']);
  assert.equal(record.assistant_response, 'one two');
  assert.deepEqual(record.issues_encountered, ['not delivered in full: the client disconnected; only this part of the answer was sent']);
});

test('responses: the same, through the Responses API events', async () => {
  const { record } = await disconnectAfter('/v1/responses', { input: 'count', max_output_tokens: 9 }, ['uno', ' dos']);
  assert.equal(record.assistant_response, 'uno dos');
  assert.doesNotMatch(JSON.stringify(record), /max_tokens/);
});

test('a whole (not streamed) answer whose client left is captured as nothing delivered', async () => {
  const { record } = await disconnectAfter('/v1/chat/completions', { stream: false, messages: [{ role: 'user', content: 'count' }], max_tokens: 9 }, []);
  assert.equal(record.assistant_response, '');
  assert.deepEqual(record.issues_encountered, ['not delivered: the client disconnected before any of the answer was sent']);
});
