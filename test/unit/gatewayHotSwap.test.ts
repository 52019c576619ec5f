// The OpenAI-compatible gateway under load, driven by the official `openai` client: at least 32
// streaming requests in flight while a round promotes v1.1 and a rollback returns to v1.0. Every
// request must succeed, and every response must come from one adapter that was live while it ran.
// Promotions and rollbacks are mirrored to vllmDouble (a stand-in for vLLM's runtime LoRA API).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { LiveChange } from '../../extension/protocol/trainerProtocol';
import type { TrainerClient } from '../../extension/shared/trainerClient';
import { VllmAdapterDriver } from '../../trainer-server/src/serving/vllmAdapterDriver';
import { connect, goodDataset, runRound, startServer, tempDir, type StartedServer } from './trainerTestKit';
import { startVllmDouble, type VllmDouble } from './vllmDouble';

interface Outcome { start: number; end: number; models: string[]; text: string; streamed: boolean }

async function until(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The versions live at some moment of [start, end], from the registry's history. */
function liveDuring(history: LiveChange[], start: number, end: number): Set<string> {
  const live = new Set<string>();
  history.forEach((change, i) => {
    const until = history[i + 1]?.at ?? Infinity;
    if (change.at <= end && until >= start) live.add(`autodidact-${change.to}`);
  });
  return live;
}

describe('gateway hot-swap', { timeout: 300_000 }, () => {
  let vllm: VllmDouble;
  let started: StartedServer;
  let client: TrainerClient;
  let openai: OpenAI;

  before(async () => {
    vllm = await startVllmDouble();
    started = await startServer(tempDir(), { mirrors: [new VllmAdapterDriver({ baseUrl: vllm.url })] });
    await started.server.core.booted;
    client = await connect(started.server);
    openai = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0, timeout: 180_000 });
  });
  after(async () => {
    client?.close();
    await started?.server.stop();
    await vllm?.close();
  });

  test('40 concurrent requests (36 streaming) across a promotion and a rollback: zero failures, one live adapter each', async () => {
    const outcomes: Outcome[] = [];
    const failures: unknown[] = [];
    let streamingInflight = 0;
    let stop = false;
    const messages = [{ role: 'user' as const, content: 'What is the code for alpha?' }];
    const worker = async (index: number): Promise<void> => {
      const streamed = index % 10 !== 9;
      for (let n = 0; !stop || n === 0; n++) {
        const start = Date.now();
        if (streamed) streamingInflight++;
        try {
          if (!streamed) {
            const response = await openai.chat.completions.create({ model: 'autodidact', messages, max_tokens: 6, temperature: 0 });
            outcomes.push({ start, end: Date.now(), models: [response.model], text: response.choices[0].message.content ?? '', streamed: false });
          } else {
            const stream = await openai.chat.completions.create({ model: 'autodidact', messages, max_tokens: 6, temperature: 0, stream: true });
            const models = new Set<string>();
            let text = '';
            for await (const chunk of stream) {
              models.add(chunk.model);
              text += chunk.choices[0]?.delta?.content ?? '';
            }
            outcomes.push({ start, end: Date.now(), models: [...models], text, streamed: true });
          }
        } catch (error) {
          failures.push(error);
          stop = true; // one failure already fails the test; no point hammering a broken server
        } finally {
          if (streamed) streamingInflight--;
        }
      }
    };
    const inflightAtSwap: number[] = [];
    client.onEvent((event) => { if (event.event === 'versions') inflightAtSwap.push(streamingInflight); });
    const workers = Array.from({ length: 40 }, (_, i) => worker(i));
    await until(() => streamingInflight >= 32, '32 streaming requests in flight');

    // The tiny random model answers the canary at random: this test is about serving, so the drift bound is off.
    const round = await runRound(client, goodDataset(), undefined, { promotion: { maxCanaryDriftShare: 1 } });
    assert.equal(round.state, 'promoted', round.error ?? round.decision?.reason);
    assert.equal(round.version, 'v1.1');
    await until(() => outcomes.filter((o) => o.models[0] === 'autodidact-v1.1').length >= 12, 'responses from v1.1');
    assert.ok(vllm.loaded.has('autodidact-v1.1'), 'the promotion reached vLLM');
    assert.equal(vllm.loaded.get('autodidact-v1.1'), round.adapter?.path);

    const rollbackAt = Date.now();
    assert.equal((await client.call('rollback', { version: 'v1.0' })).live, 'v1.0');
    const rollbackMs = Date.now() - rollbackAt;
    await until(() => outcomes.filter((o) => o.start > rollbackAt + rollbackMs && o.models[0] === 'autodidact-v1.0').length >= 12, 'responses from v1.0 after the rollback');
    stop = true;
    await Promise.all(workers);

    assert.deepEqual(failures, [], `${failures.length} requests failed`);
    assert.ok(inflightAtSwap.length >= 2 && inflightAtSwap.every((n) => n >= 32), `streaming requests in flight at each swap: ${inflightAtSwap}`);
    const history = (await client.call('listVersions', {})).history;
    for (const outcome of outcomes) {
      assert.equal(outcome.models.length, 1, `one adapter per response, got ${outcome.models}`);
      assert.ok(liveDuring(history, outcome.start, outcome.end).has(outcome.models[0]), `${outcome.models[0]} was not live during ${outcome.start}-${outcome.end}`);
    }
    const byModel = (model: string): number => outcomes.filter((o) => o.models[0] === model).length;
    assert.ok(byModel('autodidact-v1.0') > 0 && byModel('autodidact-v1.1') > 0);
    assert.ok(outcomes.some((o) => !o.streamed) && outcomes.filter((o) => o.streamed).length >= 32);
    await until(() => !vllm.loaded.has('autodidact-v1.1'), 'vLLM to unload v1.1 once no request holds it', 10_000);
    process.stderr.write(`# hot-swap: ${outcomes.length} requests, 0 failed; promotion swap ${round.timings.promoteMs} ms, rollback call ${rollbackMs} ms\n`);
  });

  test('an explicit version name is served by that version even when another is live', async () => {
    const response = await openai.chat.completions.create({ model: 'autodidact-v1.1', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 });
    assert.equal(response.model, 'autodidact-v1.1');
    const live = await openai.chat.completions.create({ model: 'autodidact', messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 });
    assert.equal(live.model, 'autodidact-v1.0');
    const models = (await openai.models.list()).data.map((m) => m.id);
    assert.deepEqual(models, ['autodidact', 'autodidact-v1.0', 'autodidact-v1.1']);
  });
});
