// Issue 18 item 5: the live version as the editor's chat model. The editor's request messages
// (parts shaped like vscode's LanguageModelTextPart, ToolCallPart, ToolResultPart, DataPart) become
// OpenAI messages, the real gateway on 127.0.0.1 (tiny model, real engine) streams the answer into
// the progress callback, and the gateway records the exchange exactly once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HttpGatewayClient, type CancellationLike } from '../../extension/client/chat/gatewayClient';
import { estimateTokens, liveModelInformation, streamLiveAnswer, toGatewayMessages, type ProviderMessageLike } from '../../extension/client/chat/liveModelCore';
import type { CapturedExchange, TrainerEvent } from '../../extension/protocol/trainerProtocol';
import { connect, startServer, tempDir, type StartedServer } from './trainerTestKit';

const never: CancellationLike = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };
const USER = 1;
const ASSISTANT = 2;
const SYSTEM = 3;

// A conversation begun with another model: a tool call and its result sit in the history.
const conversation: ProviderMessageLike[] = [
  { role: SYSTEM, content: [{ value: 'Be brief.' }] },
  { role: USER, content: [{ value: 'What is in ' }, { value: 'a.ts?' }] },
  { role: ASSISTANT, content: [{ value: 'Let me look.' }, { callId: 'c1', name: 'readFile', input: { path: 'a.ts' } }] },
  { role: USER, content: [{ callId: 'c1', content: [{ value: 'export const a = 1;' }] }, { mimeType: 'text/plain', data: new TextEncoder().encode(' now answer') }, { mimeType: 'image/png', data: new Uint8Array([137, 80]) }] },
  { role: ASSISTANT, content: [{ mimeType: 'cache_control', data: new TextEncoder().encode('ephemeral') }] },
];

describe('the live version as the editor chat model', () => {
  test("the editor's message parts become OpenAI messages; parts with no text are dropped", () => {
    assert.deepEqual(toGatewayMessages(conversation), [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is in a.ts?' },
      { role: 'assistant', content: 'Let me look.\n[tool call readFile {"path":"a.ts"}]\n' },
      { role: 'user', content: '\n[tool result]\nexport const a = 1;\n now answer' },
    ]);
    assert.throws(() => toGatewayMessages([{ role: 7, content: [{ value: 'x' }] }]), /role the live version does not know \(7\)/);
    assert.equal(estimateTokens('12345678'), 2);
    assert.equal(estimateTokens(conversation[1]), 4);
  });

  test('the model is listed only while the trainer-server is connected', () => {
    assert.deepEqual(liveModelInformation({ connected: false, liveVersion: 'v2' }), []);
    const [model, ...others] = liveModelInformation({ connected: true, liveVersion: 'v2', baseModel: 'tiny' });
    assert.equal(others.length, 0);
    assert.equal(model.id, 'autodidact');
    assert.equal(model.version, 'v2');
    assert.match(model.tooltip ?? '', /Live version: v2\nBase model: tiny/);
    assert.equal(model.capabilities.toolCalling, true, "the editor's Agent chat lists only models that take tools");
  });

  test('not connected: the request fails with a message naming the command that connects', async () => {
    const offline = new HttpGatewayClient({ baseUrl: 'http://127.0.0.1:9', token: () => 'unused', isConnected: () => false });
    await assert.rejects(streamLiveAnswer(offline, conversation, () => undefined, never), /Run "Autodidact: Connect to Trainer-Server"/);
  });
});

describe('the live version answering through the real gateway', { timeout: 300_000 }, () => {
  let started: StartedServer;
  before(async () => { started = await startServer(tempDir()); });
  after(async () => { await started?.server.stop(); });

  test('deltas stream into the progress callback and the gateway records the exchange once', async () => {
    const gateway = new HttpGatewayClient({ baseUrl: started.server.httpUrl, token: () => started.server.token, isConnected: () => true });
    const reported: string[] = [];
    await streamLiveAnswer(gateway, conversation, (text) => reported.push(text), never);
    assert.ok(reported.length > 0, 'the answer arrives as deltas');
    assert.ok(reported.every((piece) => typeof piece === 'string' && piece.length > 0), 'no empty parts are reported');
    assert.equal(started.server.core.status().captureBuffered, 1, 'an editor-chat exchange is recorded by the gateway, once');

    const received: CapturedExchange[] = [];
    const subscriber = await connect(started.server, true, (event: TrainerEvent) => { if (event.event === 'capture') received.push(...event.exchanges); });
    try {
      const deadline = Date.now() + 30_000;
      while (received.length < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      assert.equal(received.length, 1);
      const event = received[0].events.find((e) => e.type === 'interaction');
      assert.ok(event && event.type === 'interaction');
      assert.match(event.interaction.user_request, /now answer/);
      assert.equal(event.interaction.assistant_response, reported.join(''), 'the captured answer is exactly what the editor was shown');
    } finally {
      subscriber.close();
    }
  });
});
