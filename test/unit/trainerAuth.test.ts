// Who may talk to a trainer-server: the token (WebSocket header or subprotocol, HTTP Bearer), the
// Origin and Host guards, the protocol version, payload limits; and the embedded default base model
// falling back, plainly reported, to a locally built tiny model when no model hub can be reached.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import WebSocket from 'ws';
import { TOKEN_SUBPROTOCOL_PREFIX, TRAINER_WS_SUBPROTOCOL, type TrainerStatus } from '../../extension/protocol/trainerProtocol';
import { TrainerCallError, TrainerClient } from '../../extension/shared/trainerClient';
import { connect, goodDataset, startServer, tempDir, type StartedServer } from './trainerTestKit';

/** Opens a raw WebSocket; resolves with it, or with the HTTP status that refused it. */
function openRaw(url: string, protocols: string[], headers: Record<string, string>): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

function nextMessage(ws: WebSocket): Promise<{ id?: unknown; result?: unknown; error?: { code: string; message: string } }> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(JSON.parse(data.toString()))));
}

describe('trainer-server access', { timeout: 180_000 }, () => {
  const home = tempDir();
  let started: StartedServer;
  before(async () => {
    started = await startServer(home, { baseModel: 'Qwen/Qwen2.5-Coder-0.5B-Instruct', allowedOrigins: ['vscode-webview://trusted'], maxWsPayloadBytes: 1 << 20 });
  });
  after(async () => { await started?.server.stop(); });

  test('the token is made on first start and kept 0600 in the home', () => {
    const file = started.server.tokenFile;
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.readFileSync(file, 'utf8').trim(), started.server.token);
  });

  test('WebSocket: a missing or wrong token is refused with 401; the right one works as header or subprotocol', async () => {
    const url = started.server.wsUrl;
    assert.equal(await openRaw(url, [TRAINER_WS_SUBPROTOCOL], {}), 401);
    await assert.rejects(TrainerClient.connect(url, `${started.server.token.slice(1)}x`, { client: 'test' }), (e: TrainerCallError) => e.code === 'unauthorized');
    const viaHeader = await connect(started.server);
    assert.equal(viaHeader.status?.protocol, 1);
    viaHeader.close();
    const viaProtocol = await openRaw(url, [TRAINER_WS_SUBPROTOCOL, `${TOKEN_SUBPROTOCOL_PREFIX}${started.server.token}`], {});
    assert.ok(viaProtocol instanceof WebSocket);
    assert.equal(viaProtocol.protocol, TRAINER_WS_SUBPROTOCOL, 'the server selects the protocol name, never echoes the token');
    viaProtocol.close();
    assert.equal(await openRaw(url, [`${TOKEN_SUBPROTOCOL_PREFIX}wrong`, TRAINER_WS_SUBPROTOCOL], {}), 401);
  });

  test('a foreign Origin or a rebound Host is refused even with the right token', async () => {
    const auth = { authorization: `Bearer ${started.server.token}` };
    assert.equal(await openRaw(started.server.wsUrl, [TRAINER_WS_SUBPROTOCOL], { ...auth, origin: 'https://evil.example' }), 403);
    assert.equal(await openRaw(started.server.wsUrl, [TRAINER_WS_SUBPROTOCOL], { ...auth, host: `rebind.evil.example:${started.server.port}` }), 403);
    const trusted = await openRaw(started.server.wsUrl, [TRAINER_WS_SUBPROTOCOL], { ...auth, origin: 'vscode-webview://trusted' });
    assert.ok(trusted instanceof WebSocket, 'an origin allowed with --allow-origin connects');
    trusted.close();
    const response = await fetch(`${started.server.httpUrl}/v1/models`, { headers: { ...auth, origin: 'https://evil.example' } });
    assert.equal(response.status, 403);
  });

  test('HTTP: the gateway needs the same token', async () => {
    const models = `${started.server.httpUrl}/v1/models`;
    assert.equal((await fetch(models)).status, 401);
    const wrong = await fetch(models, { headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, 'invalid_api_key');
    const openai = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: 'wrong-token', maxRetries: 0 });
    await assert.rejects(openai.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: 'hi' }] }), (e: { status?: number }) => e.status === 401);
  });

  test('hello first, with the same protocol version; other mistakes get clear errors and keep the connection', async () => {
    const ws = await openRaw(started.server.wsUrl, [TRAINER_WS_SUBPROTOCOL], { authorization: `Bearer ${started.server.token}` }) as WebSocket;
    ws.send(JSON.stringify({ id: 1, method: 'status', params: {} }));
    assert.equal((await nextMessage(ws)).error?.code, 'hello_required');
    ws.send('{not json');
    assert.equal((await nextMessage(ws)).error?.code, 'bad_request');
    ws.send(JSON.stringify({ id: 2, method: 'launchMissiles', params: {} }));
    assert.match((await nextMessage(ws)).error?.message ?? '', /unknown method "launchMissiles"; known: hello, status/);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ id: 3, method: 'hello', params: { protocol: 99, client: 'future-extension' } }));
    const refused = await nextMessage(ws);
    assert.equal(refused.error?.code, 'protocol_mismatch');
    assert.match(refused.error?.message ?? '', /speaks protocol 1, the client speaks 99/);
    assert.equal(await closed, 4002);
  });

  test('messages over the payload limit close the connection; datasets must match their SHA-256', async () => {
    const client = await connect(started.server);
    const { train, eval: held } = goodDataset();
    await assert.rejects(client.call('uploadDataset', { train, eval: held, sha256: '0'.repeat(64) }), (e: TrainerCallError) => e.code === 'hash_mismatch' && /nothing was stored/.test(e.message));
    await assert.rejects(client.call('startRound', { datasetSha256: '1'.repeat(64) }), (e: TrainerCallError) => e.code === 'not_found');
    await assert.rejects(client.call('uploadDataset', { train: ['x'.repeat(2 << 20)], eval: held, sha256: '0'.repeat(64) }), (e: TrainerCallError) => e.code === 'closed' && /1009/.test(e.message));
  });

  test('offline, the default hub model falls back to a tiny local model and says so', async () => {
    const lineage = await started.server.core.booted;
    const client = await connect(started.server);
    const status: TrainerStatus = await client.call('status', {});
    assert.equal(status.baseModel?.fallback, true);
    assert.equal(status.baseModel?.requested, 'Qwen/Qwen2.5-Coder-0.5B-Instruct');
    assert.match(status.baseModel?.reason ?? '', /offline mode \(AUTODIDACT_OFFLINE=1\)/);
    assert.equal(lineage.baseModel.id, `${home}/models/tiny-fallback`);
    assert.ok(started.logs.some((line) => /^warn FALLBACK BASE MODEL: offline mode/.test(line)));
    const versions = await client.call('listVersions', {});
    assert.equal(versions.baseModel.fallback, true);
    client.close();
    const openai = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0 });
    const reply = await openai.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: 'hi' }], max_tokens: 3 });
    assert.equal(reply.model, 'autodidact-v1.0');
  });
});
