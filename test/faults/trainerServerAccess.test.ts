// Hostile clients against the real trainer-server process (trainer-server/main.ts on 127.0.0.1, an
// ephemeral port, a temporary home; its engine is not needed for these checks and is pointed at
// /bin/false): a missing or wrong token and a foreign Origin on WebSocket and HTTP, a WebSocket frame
// that announces 1 GiB, and HTTP bodies over the limit, declared or streamed. Each is refused, the
// server does not buffer what it refuses, and it keeps serving honest clients afterwards.
// (test/unit/trainerAuth.test.ts covers the same guards in-process, with the engine running.)
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TRAINER_PROTOCOL_VERSION, TRAINER_WS_SUBPROTOCOL } from '../../extension/protocol/trainerProtocol';
import { REPO_ROOT, tempDir } from './faultKit';
import { hugeFrameCloseCode, openWebSocket, rssOfMb } from './hostileClients';

interface Reply { status: number; body: string }

function request(port: number, options: http.RequestOptions, body?: (req: http.ClientRequest) => void): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, ...options }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => { text += chunk.toString('utf8'); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    if (body) body(req);
    else req.end();
  });
}

describe('the trainer-server process against hostile clients', { timeout: 120_000 }, () => {
  const home = tempDir('autodidact-fault-trainer-');
  let server: ChildProcess;
  let port = 0;
  let token = '';
  let auth: Record<string, string> = {};

  before(async () => {
    server = spawn(process.execPath, ['--import', 'tsx', path.join('trainer-server', 'main.ts'), '--host', '127.0.0.1', '--port', '0', '--home', home, '--python', '/bin/false'],
      { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, AUTODIDACT_OFFLINE: '1' } });
    let log = '';
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the trainer-server did not start within 60 s: ${log}`)), 60_000);
      server.stderr!.on('data', (chunk: Buffer) => {
        log += chunk.toString('utf8');
        const match = /listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(log);
        if (match) { clearTimeout(timer); resolve(Number(match[1])); }
      });
      server.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the trainer-server exited (${code}): ${log}`)); });
    });
    token = fs.readFileSync(path.join(home, 'token'), 'utf8').trim();
    auth = { authorization: `Bearer ${token}` };
  });

  after(() => {
    server?.kill('SIGKILL');
    fs.rmSync(home, { recursive: true, force: true });
  });

  test('WebSocket: no token and a wrong token get 401, a foreign Origin 403 even with the token; the token alone connects', async () => {
    assert.equal(await openWebSocket(port, {}), 401);
    assert.equal(await openWebSocket(port, { authorization: `Bearer ${token.slice(0, -2)}xx` }), 401);
    assert.equal(await openWebSocket(port, { ...auth, origin: 'https://evil.example' }), 403);
    assert.equal(await openWebSocket(port, { ...auth, host: `evil.example:${port}` }), 403, 'a DNS-rebound Host header');
    const hello = await openWebSocket(port, auth, { id: 1, method: 'hello', params: { protocol: TRAINER_PROTOCOL_VERSION, client: 'fault-test' } });
    assert.equal(typeof hello, 'object', 'the honest client connects');
    assert.ok((hello as { result?: unknown }).result, `hello answered: ${JSON.stringify(hello)}`);
  });

  test('HTTP: no token and a wrong token get 401 in OpenAI\'s error shape, a foreign Origin 403', async () => {
    const none = await request(port, { path: '/v1/models' });
    assert.equal(none.status, 401);
    assert.equal(JSON.parse(none.body).error.code, 'invalid_api_key');
    assert.equal((await request(port, { path: '/v1/models', headers: { authorization: 'Bearer wrong' } })).status, 401);
    assert.equal((await request(port, { path: '/v1/models', headers: { ...auth, origin: 'https://evil.example' } })).status, 403);
    const honest = await request(port, { path: '/v1/models', headers: auth });
    assert.ok(![401, 403].includes(honest.status), `the token passes the guards (${honest.status}: no engine here, so no models)`);
  });

  test('a WebSocket frame announcing 1 GiB is refused with close code 1009 before its body is read', async () => {
    const before = rssOfMb(server.pid!);
    const started = Date.now();
    assert.equal(await hugeFrameCloseCode(port, { ...auth, 'sec-websocket-protocol': TRAINER_WS_SUBPROTOCOL }, 2 ** 30), 1009);
    assert.ok(Date.now() - started < 5000, 'refused at once, not after reading 1 GiB');
    assert.ok(rssOfMb(server.pid!) - before < 50, 'nothing of the announced GiB was buffered');
    assert.equal(typeof (await openWebSocket(port, auth, { id: 1, method: 'hello', params: { protocol: TRAINER_PROTOCOL_VERSION, client: 'after' } })), 'object', 'still serving');
  });

  test('HTTP bodies over the 8 MB limit get 413, declared or streamed, and the server keeps serving', async () => {
    const declared = await request(port, { method: 'POST', path: '/v1/chat/completions', headers: { ...auth, 'content-type': 'application/json', 'content-length': String(2 ** 30) } },
      (req) => { req.write('{"model":"autodidact","messages":['); setTimeout(() => req.destroy(), 3000); });
    assert.equal(declared.status, 413);
    assert.equal(JSON.parse(declared.body).error.code, 'request_too_large');
    const before = rssOfMb(server.pid!);
    const streamed = await request(port, { method: 'POST', path: '/v1/chat/completions', headers: { ...auth, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
      (req) => {
        const chunk = Buffer.alloc(1 << 20, 0x20);
        let sent = 0;
        const pump = (): void => {
          while (sent < 24 && req.write(chunk)) sent++;
          if (sent < 24) req.once('drain', () => { sent++; pump(); });
          else req.end();
        };
        req.on('error', () => undefined); // the server may stop reading once it has answered
        pump();
      }).catch((error: Error) => ({ status: -1, body: error.message }));
    assert.equal(streamed.status, 413, `a streamed body over the limit: ${streamed.body}`);
    assert.ok(rssOfMb(server.pid!) - before < 60, 'the streamed body was not buffered past the limit');
    const honest = await request(port, { path: '/v1/models', headers: auth });
    assert.ok(![401, 403, 413].includes(honest.status), 'still serving honest requests');
  });
});
