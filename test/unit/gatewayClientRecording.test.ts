// Issue 14 items 2 and 3, against the real trainer-server on 127.0.0.1 (tiny model, real engine): an
// @autodidact turn sent by the extension's own gateway client is not recorded by the gateway (the
// extension records it), every other exchange is, and the server's token pasted into a prompt never
// reaches the capture buffer.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { HttpGatewayClient, type CancellationLike } from '../../extension/client/chat/gatewayClient';
import type { CapturedExchange, TrainerEvent } from '../../extension/protocol/trainerProtocol';
import { connect, startServer, tempDir, type StartedServer } from './trainerTestKit';

const never: CancellationLike = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };

async function drain(stream: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const piece of stream) text += piece;
  return text;
}

describe('the real gateway and who records an exchange', { timeout: 300_000 }, () => {
  let started: StartedServer;
  before(async () => { started = await startServer(tempDir()); });
  after(async () => { await started?.server.stop(); });

  const buffered = (): number => started.server.core.status().captureBuffered;

  test('an @autodidact turn (source and interaction id headers) is left to the extension; other requests are recorded', async () => {
    const client = new HttpGatewayClient({ baseUrl: started.server.httpUrl, token: () => started.server.token, model: 'autodidact', isConnected: () => true });
    const answer = await drain(client.chat([{ role: 'user', content: 'an @autodidact turn' }], never, { interactionId: 'chat-1234' }));
    assert.equal(typeof answer, 'string');
    assert.equal(buffered(), 0, 'the extension records this turn; the gateway must not record it a second time');

    await drain(client.chat([{ role: 'user', content: 'no interaction id' }], never));
    assert.equal(buffered(), 1, 'without the interaction id the gateway cannot know the turn is recorded: it records it');

    const openai = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0 });
    await openai.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: 'another tool' }], max_tokens: 3 });
    assert.equal(buffered(), 2, 'an ordinary OpenAI client is recorded');
    const skipped = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0, defaultHeaders: { 'x-autodidact-source': 'chat-participant', 'x-autodidact-interaction-id': 'chat-5678' } });
    await skipped.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: 'non-streaming @autodidact turn' }], max_tokens: 3 });
    assert.equal(buffered(), 2, 'the non-streaming path honours the headers too');
  });

  test("the server's token pasted into a prompt is redacted before it is buffered", async () => {
    const openai = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0 });
    await openai.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: `my token is ${started.server.token}, keep it safe` }], max_tokens: 3 });
    const received: CapturedExchange[] = [];
    const subscriber = await connect(started.server, true, (event: TrainerEvent) => { if (event.event === 'capture') received.push(...event.exchanges); });
    try {
      const deadline = Date.now() + 30_000;
      while (received.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      const everything = JSON.stringify(received);
      assert.equal(received.length, 3);
      assert.equal(everything.includes(started.server.token), false, 'the token is nowhere in what the extension receives');
      assert.ok(everything.includes('my token is [TRAINER_TOKEN], keep it safe'));
      assert.equal(everything.includes('@autodidact turn'), false, 'neither @autodidact turn was recorded');
    } finally {
      subscriber.close();
    }
  });
});
