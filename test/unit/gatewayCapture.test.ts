// Every gateway exchange becomes an interaction for the extension (source 'gateway', the version that
// answered). With no extension connected, exchanges wait in the on-disk buffer; a gateway restart
// loses none of them; an extension that connects gets the backlog and acknowledges it away.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { InteractionRecord } from '../../extension/protocol/records';
import type { CapturedExchange, TrainerEvent } from '../../extension/protocol/trainerProtocol';
import { connect, startServer, tempDir, type StartedServer } from './trainerTestKit';

function interactionOf(exchange: CapturedExchange): InteractionRecord {
  const event = exchange.events.find((e) => e.type === 'interaction');
  assert.ok(event && event.type === 'interaction');
  return event.interaction;
}

describe('gateway capture', { timeout: 240_000 }, () => {
  const home = tempDir();
  let started: StartedServer | undefined;
  after(async () => { await started?.server.stop(); });

  test('exchanges buffered while no extension is connected survive a gateway restart and are replayed until acknowledged', async () => {
    started = await startServer(home);
    const openai = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0 });
    const secret = `ghp_${'A1b2C3d4E5'.repeat(4)}`;
    const answers = new Map<string, string>();
    for (let i = 0; i < 4; i++) {
      const question = `question ${i}: my token is ${secret}`;
      if (i % 2 === 0) {
        const response = await openai.chat.completions.create({ model: 'autodidact', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: question }], max_tokens: 5 });
        answers.set(`question ${i}`, response.choices[0].message.content ?? '');
      } else {
        let text = '';
        for await (const chunk of await openai.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: question }], max_tokens: 5, stream: true })) text += chunk.choices[0]?.delta?.content ?? '';
        answers.set(`question ${i}`, text);
      }
    }
    assert.equal(started.server.core.status().captureBuffered, 4);
    await started.server.stop();

    started = await startServer(home); // the gateway restarts; the engine is not needed to replay
    const received: CapturedExchange[] = [];
    const collect = (into: CapturedExchange[]) => (event: TrainerEvent): void => { if (event.event === 'capture') into.push(...event.exchanges); };
    const extension = await connect(started.server, false, collect(received));
    assert.equal((await extension.call('status', {})).captureBuffered, 4);
    extension.close();
    const subscriber = await connect(started.server, true, collect(received));
    await waitFor(() => received.length >= 4);
    assert.equal(received.length, 4, 'only the capture subscriber receives exchanges');
    for (const exchange of received) {
      const interaction = interactionOf(exchange);
      const key = interaction.user_request.split(':')[0];
      assert.equal(interaction.source, 'gateway');
      assert.equal(interaction.model, 'autodidact-v1.0');
      assert.equal(interaction.assistant_response, answers.get(key), `${key}: the response the client saw`);
      assert.ok(!interaction.user_request.includes(secret) && interaction.user_request.includes('[GITHUB_TOKEN]'), 'secrets are redacted before they touch the disk');
      assert.ok(exchange.events.some((e) => e.type === 'session' && e.session.id === interaction.sessionId && e.session.source === 'gateway'));
    }
    const ack = await subscriber.call('ackCapture', { ids: received.slice(0, 3).map((e) => e.id) });
    assert.deepEqual(ack, { removed: 3, pending: 1 });
    subscriber.close();
    await started.server.stop();

    started = await startServer(home);
    const replayed: CapturedExchange[] = [];
    const again = await connect(started.server, true, collect(replayed));
    await waitFor(() => replayed.length >= 1);
    assert.deepEqual(replayed.map((e) => e.id), [received[3].id], 'only the unacknowledged exchange comes back');
    await again.call('ackCapture', { ids: [received[3].id] });

    // While an extension is connected, a new exchange reaches it at once, tagged with the version.
    const restarted = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0 });
    const live = await restarted.chat.completions.create({ model: 'autodidact-v1.0', messages: [{ role: 'user', content: 'live one' }], max_tokens: 3 });
    await waitFor(() => replayed.length >= 2);
    const liveInteraction = interactionOf(replayed[1]);
    assert.equal(liveInteraction.user_request, 'live one');
    assert.equal(liveInteraction.assistant_response, live.choices[0].message.content);
    await again.call('ackCapture', { ids: [replayed[1].id] });
    assert.equal((await again.call('status', {})).captureBuffered, 0);
    again.close();
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
