// The trainer-server's pure parts: version registry, promotion rule, dataset hashing and storage,
// base-model planning, OpenAI request parsing, stop sequences, request guards, the capture buffer.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { IncomingMessage } from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { datasetSha256 } from '../../extension/shared/datasetDigest';
import type { BaseModelInfo, BehaviourSummary, CapturedExchange, RoundManifest } from '../../extension/protocol/trainerProtocol';
import { trainingView } from '../../webview/trainingTimeline';
import { loadOrCreateToken } from '../../trainer-server/src/auth/accessToken';
import { checkHttpToken, checkOriginAndHost, checkWsToken } from '../../trainer-server/src/auth/requestGuards';
import { planBaseModel, probeHub, type HubProbe } from '../../trainer-server/src/baseModel/baseModelPlan';
import { CaptureBuffer } from '../../trainer-server/src/capture/captureBuffer';
import { DatasetStore } from '../../trainer-server/src/datasets/datasetStore';
import { parseChatRequest } from '../../trainer-server/src/gateway/chatRequest';
import { OpenAIError } from '../../trainer-server/src/gateway/openaiErrors';
import { SseStream } from '../../trainer-server/src/gateway/sseStream';
import { StopFilter } from '../../trainer-server/src/gateway/stopSequences';
import { decidePromotion, DEFAULT_PROMOTION_POLICY, gateTable, promotionPolicyFrom } from '../../trainer-server/src/rounds/promotionDecision';
import { VersionRegistry } from '../../trainer-server/src/versions/versionRegistry';
import { goodDataset, tempDir } from './trainerTestKit';

const BASE: BaseModelInfo = { id: '/models/tiny', requested: '/models/tiny', fallback: false };

describe('version registry', () => {
  test('starts at v1.0, never reuses a name, and survives reopening', () => {
    const file = path.join(tempDir(), 'versions.json');
    const registry = VersionRegistry.open(file, BASE, 1000);
    assert.equal(registry.live.name, 'v1.0');
    assert.equal(registry.live.adapterPath, null);
    const burned = registry.reserveVersionName(); // a promotion whose adapter failed to load
    assert.equal(burned, 'v1.1');
    const name = registry.reserveVersionName();
    registry.addPromoted({ name, adapterPath: path.join(path.dirname(file), 'adapters', 'round-0002'), adapterSha256: 'ab', parent: 'v1.0', roundId: 'round-0002', metrics: null });
    assert.equal(registry.live.name, 'v1.2');
    registry.rollback('v1.0');
    const reopened = VersionRegistry.open(file, BASE);
    assert.equal(reopened.live.name, 'v1.0');
    assert.equal(reopened.reserveVersionName(), 'v1.3', 'a rolled-back name is not handed out again');
    assert.equal(reopened.get('autodidact-v1.2')?.adapterPath, path.join(path.dirname(file), 'adapters', 'round-0002'));
    assert.deepEqual(reopened.snapshot().history.map((h) => `${h.reason}:${h.to}`), ['initial:v1.0', 'promotion:v1.2', 'rollback:v1.0']);
    assert.equal(reopened.allocateRoundId(), 'round-0001');
    assert.equal(VersionRegistry.open(file, BASE).allocateRoundId(5), 'round-0005');
    assert.throws(() => reopened.rollback('v9.9'), /no version named v9.9/);
    assert.deepEqual(fs.readdirSync(path.dirname(file)).filter((n) => n.endsWith('.tmp')), [], 'no temp files left behind');
  });

  test('refuses a registry file it does not understand instead of overwriting it', () => {
    const file = path.join(tempDir(), 'versions.json');
    fs.writeFileSync(file, '{"schema": 9}');
    assert.throws(() => VersionRegistry.open(file, BASE), /not a version registry/);
    fs.writeFileSync(file, '{not json');
    assert.throws(() => VersionRegistry.open(file, BASE), /not valid JSON/);
  });
});

describe('promotion decision', () => {
  const heldOut = (agreement: number | null, perCategory: Record<string, number> = {}) => ({
    agreement, scored: 8, perCategory: Object.fromEntries(Object.entries(perCategory).map(([k, v]) => [k, { n: 4, agreement: v }])),
  });
  const canary = (drifted: { coding: number; plain: number }) => ({
    similarity: 0.9, drifted: drifted.coding + drifted.plain, driftShare: (drifted.coding + drifted.plain) / 18, n: 18,
    perCategory: { coding: { n: 10, similarity: 0.9, drifted: drifted.coding }, plain: { n: 8, similarity: 0.9, drifted: drifted.plain } },
  });
  const summary = (h: ReturnType<typeof heldOut>, c: ReturnType<typeof canary> | null): BehaviourSummary => ({ heldOut: h, canary: c, maxNewTokens: 40, generatedTokens: 100, wallS: 1 });
  const parent = summary(heldOut(0.3, { debug: 0.2, feature: 0.4 }), null);
  const good = { before: parent, after: summary(heldOut(0.6, { debug: 0.5, feature: 0.7 }), canary({ coding: 1, plain: 0 })) };
  const before = { eval_loss: 2, token_accuracy: 0.5 };

  test('promotes only when loss falls by the margin, generated answers improve and the canary holds', () => {
    const decision = decidePromotion(before, { eval_loss: 1.9, token_accuracy: 0.5 }, DEFAULT_PROMOTION_POLICY, good);
    assert.equal(decision.promoted, true, decision.reason);
    assert.match(decision.reason, /^better: held-out loss .*generated held-out answers agree 0\.30 -> 0\.60.*canary: 1 of 18 answers drifted/);
    assert.deepEqual(decision.failed, []);
  });

  test('the reason names each condition that failed', () => {
    const flatLoss = decidePromotion(before, { eval_loss: 1.995, token_accuracy: 0.6 }, DEFAULT_PROMOTION_POLICY, good);
    assert.deepEqual(flatLoss.failed, ['held-out loss'], '0.25% is below the 1% margin');
    assert.match(flatLoss.reason, /^not promoted \(held-out loss failed\): held-out loss not better enough/);
    const worseAccuracy = decidePromotion(before, { eval_loss: 1.5, token_accuracy: 0.49 }, DEFAULT_PROMOTION_POLICY, good);
    assert.deepEqual(worseAccuracy.failed, ['token accuracy']);
    assert.match(worseAccuracy.reason, /token accuracy got worse/);
    assert.equal(decidePromotion(before, { eval_loss: 1.5, token_accuracy: 0.49 }, { ...DEFAULT_PROMOTION_POLICY, maxTokenAccuracyDrop: 0.02 }, good).promoted, true);
    assert.equal(decidePromotion(before, { eval_loss: Number.NaN, token_accuracy: 1 }, DEFAULT_PROMOTION_POLICY, good).promoted, false);
  });

  test('lower loss with unchanged generated answers is not promoted (seed 000 defaults on a real model)', () => {
    const unchanged = { before: parent, after: summary(heldOut(0.32, { debug: 0.22, feature: 0.42 }), canary({ coding: 0, plain: 0 })) };
    const decision = decidePromotion(before, { eval_loss: 1.5, token_accuracy: 0.6 }, DEFAULT_PROMOTION_POLICY, unchanged);
    assert.deepEqual(decision.failed, ['generated answers']);
    assert.match(decision.reason, /generated answers not better enough: generated held-out answers agree 0\.30 -> 0\.32 .*needs \+0\.05/);
    const oneCategoryWorse = { before: parent, after: summary(heldOut(0.5, { debug: 0.9, feature: 0.1 }), canary({ coding: 0, plain: 0 })) };
    assert.match(decidePromotion(before, { eval_loss: 1.5, token_accuracy: 0.6 }, DEFAULT_PROMOTION_POLICY, oneCategoryWorse).reason, /got worse in feature/);
    assert.deepEqual(decidePromotion(before, { eval_loss: 1.5, token_accuracy: 0.6 }, DEFAULT_PROMOTION_POLICY, null).failed, ['generated answers'], 'no generated-answer measurement, no promotion');
  });

  test('a candidate that changes unrelated answers is rejected, overall or in one category', () => {
    const damaged = { before: parent, after: summary(heldOut(0.9, { debug: 0.9, feature: 0.9 }), canary({ coding: 6, plain: 3 })) };
    const decision = decidePromotion(before, { eval_loss: 0.1, token_accuracy: 0.99 }, DEFAULT_PROMOTION_POLICY, damaged);
    assert.deepEqual(decision.failed, ['canary']);
    assert.match(decision.reason, /unrelated requests changed \(coding, plain\): canary: 9 of 18 answers drifted/);
    const codingOnly = { before: parent, after: summary(heldOut(0.9, { debug: 0.9, feature: 0.9 }), canary({ coding: 4, plain: 0 })) };
    const byCategory = decidePromotion(before, { eval_loss: 0.1, token_accuracy: 0.99 }, DEFAULT_PROMOTION_POLICY, codingOnly);
    assert.deepEqual(byCategory.failed, ['canary'], '4 of 18 overall is under 25%, but 4 of 10 coding answers is not');
    assert.match(byCategory.reason, /\(coding\)/);
    assert.equal(decidePromotion(before, { eval_loss: 0.1, token_accuracy: 0.99 }, { ...DEFAULT_PROMOTION_POLICY, maxCanaryDriftShare: 1 }, damaged).promoted, true, 'a drift share of 1 switches the bound off');
  });

  test('the gate table has seed 000 Table 5.3 rows: category | before | after | change', () => {
    const rows = gateTable(good);
    assert.deepEqual(rows.map((r) => [r.kind, r.category, r.before, r.after === null ? null : Number(r.after.toFixed(2)), r.change === null ? null : Number(r.change.toFixed(2))]), [
      ['held-out', 'debug', 0.2, 0.5, 0.3], ['held-out', 'feature', 0.4, 0.7, 0.3], ['canary', 'coding', 1, 0.9, -0.1], ['canary', 'plain', 1, 1, 0],
    ]);
  });

  test('the panel timeline carries each round\'s gate table to the row it draws', () => {
    const rows = gateTable(good);
    const round = { schema: 1, roundId: 'round-0002', state: 'rejected', phase: 'done', parent: 'v1.0', version: null, baseModel: { id: 'b', fallback: false },
      dataset: { sha256: '', trainExamples: 1, evalExamples: 1 }, config: {}, promotion: DEFAULT_PROMOTION_POLICY, continueFromParent: true,
      metrics: { before: null, after: null, training: null }, gateTable: rows, decision: { promoted: false, reason: 'not promoted (canary failed): x', failed: ['canary'] },
      adapter: null, timings: { queuedAt: 1, endedAt: 2 } } satisfies RoundManifest;
    const versions = { live: 'v1.0', history: [], baseModel: { id: 'b', requested: 'b', fallback: false },
      versions: [{ name: 'v1.0', model: 'autodidact-v1.0', adapterPath: null, adapterSha256: null, parent: null, roundId: null, createdAt: 0, metrics: null }] };
    const view = trainingView({ connection: 'connected', url: 'ws://x', versions, rounds: [round] }, undefined, null);
    assert.deepEqual(view.entries.find((e) => e.title === 'Round 0002')?.gate, rows);
  });

  test('policies outside their ranges are refused', () => {
    assert.throws(() => promotionPolicyFrom({ minAgreementGain: 1 }), /minAgreementGain must be a number in \[0, 1\)/);
    assert.throws(() => promotionPolicyFrom({ maxCanaryDriftShare: 1.5 }), /maxCanaryDriftShare must be a number in \[0, 1\]/);
    assert.equal(promotionPolicyFrom({ maxCanaryDriftShare: 1 }).maxCanaryDriftShare, 1);
    assert.deepEqual(promotionPolicyFrom(undefined), DEFAULT_PROMOTION_POLICY);
  });
});

describe('datasets', () => {
  test('the hash covers both splits and the store refuses a mismatch or a bad row with its line', () => {
    const { train, eval: held } = goodDataset();
    const sha = datasetSha256(train, held);
    assert.notEqual(sha, datasetSha256([...train, held[0]], held.slice(1)), 'moving a row between splits changes the hash');
    const store = new DatasetStore(tempDir());
    assert.throws(() => store.save(train, held, 'f'.repeat(64)), /SHA-256 mismatch/);
    const saved = store.save(train, held, sha);
    assert.equal(saved.stored, true);
    assert.equal(store.save(train, held, sha).stored, false);
    assert.equal(fs.readFileSync(saved.dataset.trainPath, 'utf8'), `${train.join('\n')}\n`);
    const bad = [...train.slice(0, 2), '{"messages": [{"role": "user", "content": "no answer"}]}'];
    assert.throws(() => store.save(bad, held, datasetSha256(bad, held)), /train line 3 has no assistant message/);
    const broken = ['{oops'];
    assert.throws(() => store.save(broken, held, datasetSha256(broken, held)), /train line 1 is not valid JSON/);
    assert.throws(() => store.save(train, [], datasetSha256(train, [])), /eval split is empty/);
  });
});

describe('base model plan', () => {
  const unreachableHub: HubProbe = async () => ({ ok: false, reason: 'the model hub (https://huggingface.co) cannot be reached: ENOTFOUND' });
  const reachableHub: HubProbe = async () => ({ ok: true });
  const env = { HF_HOME: tempDir() };

  test('a local folder loads as is; offline or an unreachable hub falls back and says why', async () => {
    const folder = tempDir();
    assert.deepEqual(await planBaseModel(folder, env, unreachableHub), { kind: 'load', model: folder, localFilesOnly: true, offline: true });
    const offline = await planBaseModel('Qwen/Qwen2.5-Coder-0.5B-Instruct', { ...env, AUTODIDACT_OFFLINE: '1' }, reachableHub);
    assert.equal(offline.kind, 'fallback');
    assert.match((offline as { reason: string }).reason, /AUTODIDACT_OFFLINE=1/);
    const unreachable = await planBaseModel('Qwen/Qwen2.5-Coder-0.5B-Instruct', env, unreachableHub);
    assert.match((unreachable as { reason: string }).reason, /cannot be reached/);
    assert.deepEqual(await planBaseModel('Qwen/Qwen2.5-Coder-0.5B-Instruct', env, reachableHub), { kind: 'load', model: 'Qwen/Qwen2.5-Coder-0.5B-Instruct', localFilesOnly: false, offline: false });
  });

  test('a model already in the hub cache loads offline without asking the hub', async () => {
    fs.mkdirSync(path.join(env.HF_HOME, 'hub', 'models--Qwen--Tiny', 'snapshots', 'abc'), { recursive: true });
    const plan = await planBaseModel('Qwen/Tiny', { ...env, HF_HUB_OFFLINE: '1' }, async () => assert.fail('no probe when offline'));
    assert.deepEqual(plan, { kind: 'load', model: 'Qwen/Tiny', localFilesOnly: true, offline: true });
  });

  test('the hub probe fails fast when nothing answers', async () => {
    const silent = net.createServer(() => undefined); // accepts and never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    process.env.HF_ENDPOINT = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    const started = Date.now();
    try {
      const answer = await probeHub('Qwen/Qwen2.5-Coder-0.5B-Instruct', 500);
      assert.equal(answer.ok, false);
      assert.match((answer as { reason: string }).reason, /no answer within 500 ms/);
      assert.ok(Date.now() - started < 2000);
    } finally {
      delete process.env.HF_ENDPOINT;
      silent.close();
    }
  });
});

describe('OpenAI request parsing', () => {
  const ok = { model: 'autodidact', messages: [{ role: 'user', content: 'hi' }] };
  const paramOf = (body: unknown): string | null => {
    try {
      parseChatRequest(body);
    } catch (error) {
      assert.ok(error instanceof OpenAIError);
      assert.equal(error.status, 400);
      return error.param;
    }
    return 'accepted';
  };

  test('accepts what clients send and names the parameter it refuses', () => {
    const parsed = parseChatRequest({ ...ok, messages: [{ role: 'developer', content: [{ type: 'text', text: 'be brief' }] }, { role: 'user', content: 'hi' }], stop: 'END', max_completion_tokens: 9, stream: true, stream_options: { include_usage: true }, tools: [] });
    assert.deepEqual(parsed.messages[0], { role: 'system', content: 'be brief' });
    assert.deepEqual([parsed.stop, parsed.maxTokens, parsed.stream, parsed.includeUsage], [['END'], 9, true, true]);
    assert.equal(paramOf([]), null);
    assert.equal(paramOf({ messages: ok.messages }), 'model');
    assert.equal(paramOf({ model: 'autodidact' }), 'messages');
    assert.equal(paramOf({ ...ok, messages: [] }), 'messages');
    assert.equal(paramOf({ ...ok, messages: [{ role: 'robot', content: 'x' }] }), 'messages[0].role');
    assert.equal(paramOf({ ...ok, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }] }), 'messages[0].content[0].type');
    assert.equal(paramOf({ ...ok, temperature: 3 }), 'temperature');
    assert.equal(paramOf({ ...ok, max_tokens: 0 }), 'max_tokens');
    assert.equal(paramOf({ ...ok, n: 2 }), 'n');
    assert.equal(paramOf({ ...ok, stream: 'yes' }), 'stream');
    assert.equal(paramOf({ ...ok, stop: ['a', 'b', 'c', 'd', 'e'] }), 'stop');
  });
});

describe('stop sequences', () => {
  test('cut the text at the first stop, even when it arrives split across pieces', () => {
    const filter = new StopFilter(['</end>']);
    const out = ['Hello </', 'en', 'd> never'].map((p) => filter.push(p)).join('') + filter.flush();
    assert.equal(out, 'Hello ');
    assert.equal(filter.stopped, true);
    const open = new StopFilter(['STOP']);
    assert.equal(['ST', 'ay ', 'here S'].map((p) => open.push(p)).join('') + open.flush(), 'STay here S');
    assert.equal(open.stopped, false);
  });
});

describe('request guards and the token', () => {
  const request = (headers: Record<string, string>): IncomingMessage => ({ headers } as unknown as IncomingMessage);
  const guards = { token: 't'.repeat(43), host: '127.0.0.1', allowedOrigins: ['vscode-webview://abc'] };

  test('the token file is created 0600 and reused', () => {
    const file = path.join(tempDir(), 'token');
    const first = loadOrCreateToken(file);
    assert.equal(first.created, true);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.ok(first.token.length >= 43);
    assert.equal(loadOrCreateToken(file).token, first.token);
  });

  test('Origin, Host and token are each checked', () => {
    assert.equal(checkOriginAndHost(request({ host: '127.0.0.1:7878' }), guards).ok, true);
    assert.equal(checkOriginAndHost(request({ host: 'localhost:7878', origin: 'vscode-webview://abc' }), guards).ok, true);
    assert.equal(checkOriginAndHost(request({ host: '127.0.0.1:7878', origin: 'https://evil.example' }), guards).ok, false);
    assert.equal(checkOriginAndHost(request({ host: 'rebind.evil.example:7878' }), guards).ok, false, 'DNS rebinding');
    assert.equal(checkOriginAndHost(request({ host: 'box.lan:7878' }), { ...guards, host: '0.0.0.0' }).ok, true);
    assert.equal(checkHttpToken(request({ authorization: `Bearer ${guards.token}` }), guards).ok, true);
    assert.equal(checkHttpToken(request({ authorization: `Bearer ${guards.token}x` }), guards).ok, false);
    assert.equal(checkWsToken(request({ 'sec-websocket-protocol': `autodidact-trainer.v1, autodidact-token.${guards.token}` }), guards).ok, true);
    assert.equal(checkWsToken(request({ 'sec-websocket-protocol': 'autodidact-trainer.v1' }), guards).ok, false);
  });
});

describe('capture buffer', () => {
  const exchange = (id: string): CapturedExchange => ({ id, events: [] });

  test('keeps unacknowledged exchanges across reopen, ignores a torn last line, compacts when acked', async () => {
    const dir = tempDir();
    const buffer = CaptureBuffer.open(dir);
    for (const id of ['a', 'b', 'c']) await buffer.append(exchange(id));
    assert.equal(await buffer.ack(['b', 'unknown']), 1);
    const file = path.join(dir, 'gateway-exchanges.jsonl');
    fs.appendFileSync(file, '{"t":"x","exchange":{"id":"torn"'); // a crash mid-append
    const reopened = CaptureBuffer.open(dir);
    assert.deepEqual(reopened.list().map((e) => e.id), ['a', 'c']);
    await reopened.append(exchange('d'));
    assert.deepEqual(CaptureBuffer.open(dir).list().map((e) => e.id), ['a', 'c', 'd'], 'an append after a torn tail is kept');
    await reopened.ack(['a', 'c', 'd']);
    assert.equal(fs.readFileSync(file, 'utf8'), '', 'fully acknowledged: compacted to nothing');
    assert.equal(CaptureBuffer.open(dir).size, 0);
  });
});

describe('SSE stream', () => {
  test('an error before the stream opened is left to the caller; after it opened it is an SSE error event', async () => {
    const outcomes: boolean[] = [];
    const server = http.createServer((req, res) => {
      const slow = req.url === '/slow';
      const stream: SseStream = new SseStream(res, {}, () => stream.send({ opened: true }), slow ? 20 : 60_000);
      setTimeout(() => {
        const sent = stream.fail({ error: { message: 'boom' } });
        outcomes.push(sent);
        if (!sent) { res.writeHead(400); res.end('plain'); }
      }, slow ? 80 : 0);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    try {
      const early = await fetch(`${base}/early`);
      assert.deepEqual([early.status, await early.text()], [400, 'plain']);
      const late = await fetch(`${base}/slow`);
      assert.equal(late.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      assert.equal(await late.text(), 'data: {"opened":true}\n\ndata: {"error":{"message":"boom"}}\n\n');
      assert.deepEqual(outcomes, [false, true]);
    } finally {
      server.close();
    }
  });
});
