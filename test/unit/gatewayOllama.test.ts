// A trainer-server started with --ollama-url, against ollamaApiDouble (a double of Ollama's documented
// HTTP API; no Ollama runs here). A promotion creates autodidact:v1.1 in Ollama from the promoted
// adapter's files (uploaded as blobs under their SHA-256), the gateway's answers for that version come
// from Ollama with the version pinned and the exchange captured, a rollback routes back to
// autodidact:v1.0 and deletes the tag no request holds any more, and `autodidact export ollama` writes
// the version as a Modelfile folder. The trainer-server runs the tiny model (plumbing, not quality).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { CapturedExchange } from '../../extension/protocol/trainerProtocol';
import type { TrainerClient } from '../../extension/shared/trainerClient';
import { startOllamaDouble, type CreatedModel, type OllamaDouble } from '../doubles/ollamaApiDouble';
import { connect, goodDataset, REPO_ROOT, runRound, startServer, tempDir, type StartedServer } from './trainerTestKit';

const sha256 = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('gateway served by Ollama (ollamaApiDouble)', { timeout: 240_000 }, () => {
  let ollama: OllamaDouble;
  let started: StartedServer;
  let client: TrainerClient;
  let openai: OpenAI;
  const captured: CapturedExchange[] = [];

  before(async () => {
    ollama = await startOllamaDouble({ baseModels: ['smollm2:135m'], chunkDelayMs: 5 });
    started = await startServer(tempDir(), { ollama: { url: ollama.url, from: 'smollm2:135m' } });
    await started.server.core.booted;
    client = await connect(started.server, true, (event) => { if (event.event === 'capture') captured.push(...event.exchanges); });
    openai = new OpenAI({ baseURL: `${started.server.httpUrl}/v1`, apiKey: started.server.token, maxRetries: 0, timeout: 60_000 });
  });
  after(async () => {
    client?.close();
    await started?.server.stop();
    await ollama?.close();
  });

  const ask = async (model: string, content: string): Promise<{ text: string; models: Set<string> }> => {
    let text = '';
    const models = new Set<string>();
    for await (const chunk of await openai.chat.completions.create({ model, messages: [{ role: 'user', content }], max_tokens: 50, stream: true })) {
      models.add(chunk.model);
      text += chunk.choices[0]?.delta?.content ?? '';
    }
    return { text, models };
  };

  test('v1.0 is answered by Ollama as autodidact:v1.0, and the exchange is captured', async () => {
    const { text, models } = await ask('autodidact', 'first question');
    assert.equal(text, ollama.answerFor('autodidact:v1.0').join(' '));
    assert.deepEqual([...models], ['autodidact-v1.0']);
    assert.deepEqual(ollama.chats.at(-1)?.messages, [{ role: 'user', content: 'first question' }]);
    await until(() => captured.some((e) => JSON.stringify(e).includes('first question')), 'the capture of the first exchange');
    assert.ok(JSON.stringify(captured).includes(text), 'the captured answer is the one Ollama gave');
  });

  test('a promotion creates autodidact:v1.1 from the promoted adapter; the live model and a pinned v1.0 are each served by their tag', async () => {
    const round = await runRound(client, goodDataset(), undefined, { promotion: { maxCanaryDriftShare: 1 } });
    assert.equal(round.state, 'promoted', round.error ?? round.decision?.reason);
    const adapterDir = round.adapter?.path as string;
    const created = ollama.models.get('autodidact:v1.1') as CreatedModel;
    assert.ok(created, 'the promotion created autodidact:v1.1');
    assert.equal(created.from, 'smollm2:135m');
    assert.deepEqual(created.adapters, {
      'adapter_config.json': `sha256:${sha256(path.join(adapterDir, 'adapter_config.json'))}`,
      'adapter_model.safetensors': `sha256:${round.adapter?.sha256}`,
    });
    assert.deepEqual(ollama.blobs.get(`sha256:${round.adapter?.sha256}`), fs.readFileSync(path.join(adapterDir, 'adapter_model.safetensors')));
    assert.deepEqual(created.parameters, { stop: ['<|im_end|>', '<|im_start|>'] }, 'the tiny model speaks ChatML');

    const live = await ask('autodidact', 'after the promotion');
    assert.deepEqual([...live.models], ['autodidact-v1.1']);
    assert.equal(live.text, ollama.answerFor('autodidact:v1.1').join(' '));
    const pinned = await ask('autodidact-v1.0', 'pinned to the base');
    assert.deepEqual([...pinned.models], ['autodidact-v1.0']);
    assert.equal(pinned.text, ollama.answerFor('autodidact:v1.0').join(' '));
  });

  test('a rollback routes back to autodidact:v1.0; a request in flight finishes on v1.1, then its tag is deleted', async () => {
    const inflight = ask('autodidact', 'in flight during the rollback');
    await until(() => ollama.chats.at(-1)?.messages !== undefined && JSON.stringify(ollama.chats.at(-1)?.messages).includes('in flight'), 'the request to reach Ollama');
    assert.equal((await client.call('rollback', { version: 'v1.0' })).live, 'v1.0');
    const after = await ask('autodidact', 'after the rollback');
    assert.deepEqual([...after.models], ['autodidact-v1.0']);
    const during = await inflight;
    assert.deepEqual([...during.models], ['autodidact-v1.1']);
    assert.equal(during.text, ollama.answerFor('autodidact:v1.1').join(' '), 'the pinned request was never cut off');
    await until(() => !ollama.models.has('autodidact:v1.1'), 'the idle v1.1 tag to be deleted');
    assert.ok(ollama.calls.some((c) => c.method === 'DELETE' && (c.body as { model?: string }).model === 'autodidact:v1.1'));
  });

  test('autodidact export ollama writes the version as a Modelfile folder through the trainer protocol', async () => {
    const out = path.join(tempDir(), 'v1.1-for-ollama');
    const cli = await promisify(execFile)(process.execPath, [
      '--import', 'tsx', path.join(REPO_ROOT, 'extension', 'server', 'cli.ts'), 'export', 'ollama', '--version', 'v1.1', '--out', out, '--from', 'smollm2:135m',
      '--trainer', started.server.wsUrl, '--token', started.server.token, '--json',
    ], { cwd: REPO_ROOT, env: { ...process.env, AUTODIDACT_DB: tempDir() } });
    const result = JSON.parse(cli.stdout) as { tag: string; from: string; files: string[] };
    assert.equal(result.tag, 'autodidact:v1.1');
    const version = (await client.call('listVersions', {})).versions.find((v) => v.name === 'v1.1');
    assert.equal(sha256(path.join(out, 'adapter', 'adapter_model.safetensors')), version?.adapterSha256);
    assert.deepEqual(version?.servedBy, { backend: 'ollama', name: 'autodidact:v1.1' }, 'versions say the gateway serves it through Ollama (issue 15 item 7)');
    const modelfile = fs.readFileSync(path.join(out, 'Modelfile'), 'utf8');
    assert.match(modelfile, /^FROM smollm2:135m\nADAPTER \.\/adapter\nTEMPLATE """/m);
    await assert.rejects(client.call('exportVersion', { version: 'v9.9', format: 'ollama' }), /no version named "v9.9"/);
  });
});
