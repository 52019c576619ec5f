// The gateway client against a real HTTP server on 127.0.0.1 speaking OpenAI's streaming format,
// and the SSE parser on chunks split at awkward places.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gatewayHttpUrl, HttpGatewayClient, type CancellationLike, type ChatMessage } from '../../extension/client/chat/gatewayClient';
import { completionDelta, SseParser } from '../../extension/client/chat/sseParser';

const TOKEN = 'test-token-123';

/** A cancellation token like VS Code's, driven by the test. */
function cancellation(): CancellationLike & { cancel(): void } {
  const listeners = new Set<() => unknown>();
  const token = {
    isCancellationRequested: false,
    onCancellationRequested(listener: () => unknown) { listeners.add(listener); return { dispose: () => listeners.delete(listener) }; },
    cancel() { token.isCancellationRequested = true; for (const l of listeners) l(); },
  };
  return token;
}

const chunk = (content: string): string => `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content } }] })}\r\n\r\n`;

interface Seen { auth?: string; source?: string | string[]; interactionId?: string | string[]; body?: { model: string; stream: boolean; messages: ChatMessage[] } }

async function withGateway(handler: (req: http.IncomingMessage, res: http.ServerResponse, seen: Seen) => void, body: (baseUrl: string, seen: Seen) => Promise<void>): Promise<void> {
  const seen: Seen = {};
  const server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (d) => { text += d; });
    req.on('end', () => {
      seen.auth = req.headers.authorization;
      seen.source = req.headers['x-autodidact-source'];
      seen.interactionId = req.headers['x-autodidact-interaction-id'];
      seen.body = JSON.parse(text || '{}');
      if (req.url !== '/v1/chat/completions' || req.headers.authorization !== `Bearer ${TOKEN}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"bad token"}}');
        return;
      }
      handler(req, res, seen);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const parts: string[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

const MESSAGES: ChatMessage[] = [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }];

test('streams the answer, sends the Bearer token, the model, stream: true and who asks', async () => {
  await withGateway((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const stream = `: keep-alive\n\n${chunk('Hel')}${chunk('lo, ')}${chunk('wörld')}data: {"choices":[{"delta":{}}]}\n\ndata: [DONE]\n\n`;
    // Write in 7-byte pieces: lines, events and a multi-byte character split across chunks.
    const bytes = Buffer.from(stream);
    let at = 0;
    const step = (): void => {
      if (at >= bytes.length) { res.end(); return; }
      res.write(bytes.subarray(at, at + 7));
      at += 7;
      setImmediate(step);
    };
    step();
  }, async (baseUrl, seen) => {
    const client = new HttpGatewayClient({ baseUrl, token: () => TOKEN, model: 'live' });
    const parts = await collect(client.chat(MESSAGES, cancellation(), { interactionId: 'chat-42' }));
    assert.equal(parts.join(''), 'Hello, wörld');
    assert.equal(seen.auth, `Bearer ${TOKEN}`);
    assert.deepEqual([seen.source, seen.interactionId], ['chat-participant', 'chat-42'], 'the gateway can tell not to record this turn twice');
    assert.deepEqual({ model: seen.body!.model, stream: seen.body!.stream, messages: seen.body!.messages }, { model: 'live', stream: true, messages: MESSAGES });
  });
});

test('a wrong token is a clear error naming the HTTP status', async () => {
  await withGateway(() => assert.fail('not reached'), async (baseUrl) => {
    const client = new HttpGatewayClient({ baseUrl, token: () => 'wrong' });
    await assert.rejects(collect(client.chat(MESSAGES, cancellation())), /HTTP 401: .*bad token/);
  });
});

test('an error event in the stream is thrown, not shown as text', async () => {
  await withGateway((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(`${chunk('partial')}data: {"error":{"message":"adapter failed to load"}}\n\n`);
  }, async (baseUrl) => {
    const client = new HttpGatewayClient({ baseUrl, token: () => TOKEN });
    const seen: string[] = [];
    await assert.rejects(async () => { for await (const p of client.chat(MESSAGES, cancellation())) seen.push(p); }, /adapter failed to load/);
    assert.deepEqual(seen, ['partial']);
  });
});

test('cancelling mid-stream ends the iteration quietly and closes the request', async () => {
  let closed: () => void;
  const serverSawClose = new Promise<void>((resolve) => { closed = resolve; });
  await withGateway((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(chunk('first'));
    res.on('close', () => closed()); // never ends on its own
  }, async (baseUrl) => {
    const client = new HttpGatewayClient({ baseUrl, token: () => TOKEN });
    const token = cancellation();
    const parts: string[] = [];
    for await (const part of client.chat(MESSAGES, token)) {
      parts.push(part);
      token.cancel();
    }
    assert.deepEqual(parts, ['first']);
    await serverSawClose;
  });
});

test('no token, or not connected: a clear error / not available', async () => {
  const client = new HttpGatewayClient({ baseUrl: 'http://127.0.0.1:9', token: () => undefined, isConnected: () => false });
  assert.equal(client.available(), false);
  await assert.rejects(collect(client.chat(MESSAGES, cancellation())), /no gateway token/);
});

test('the trainer ws URL maps to the gateway http URL', () => {
  assert.equal(gatewayHttpUrl('ws://127.0.0.1:7878'), 'http://127.0.0.1:7878');
  assert.equal(gatewayHttpUrl('wss://gpu.local:443/trainer'), 'https://gpu.local');
  assert.throws(() => gatewayHttpUrl('ftp://x'), /not a trainer URL/);
});

test('SSE parser: CRLF, multi-line data, events without a final blank line', () => {
  const parser = new SseParser();
  const events = [...parser.push('event: note\r\ndata: a\r\nda'), ...parser.push('ta: b\r\n\r\ndata: tail')];
  assert.deepEqual(events, [{ event: 'note', data: 'a\nb' }]);
  assert.deepEqual(parser.end(), [{ event: 'message', data: 'tail' }]);
  assert.equal(completionDelta('[DONE]'), undefined);
  assert.equal(completionDelta('{"choices":[{"delta":{"role":"assistant"}}]}'), '');
  assert.throws(() => completionDelta('not json'), /not JSON/);
});
