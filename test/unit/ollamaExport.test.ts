// Ollama, without Ollama: the Modelfile export of a version, and the driver and backend against
// ollamaApiDouble (a double of Ollama's documented HTTP API on loopback). The chat template is read
// from the real SmolLM2-135M-Instruct folder the test setup prepares (test/.models).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BaseModelInfo, VersionRecord } from '../../extension/protocol/trainerProtocol';
import { parseServerArgs } from '../../trainer-server/src/serverOptions';
import { OllamaApi } from '../../trainer-server/src/serving/ollama/ollamaApi';
import { OllamaAdapterDriver } from '../../trainer-server/src/serving/ollama/ollamaAdapterDriver';
import { OllamaBackend } from '../../trainer-server/src/serving/ollama/ollamaBackend';
import { ollamaExportBundle, writeOllamaExport } from '../../trainer-server/src/serving/ollama/ollamaExport';
import { modelfileText, planOllamaModel } from '../../trainer-server/src/serving/ollama/ollamaModel';
import type { VersionLease } from '../../trainer-server/src/serving/servedVersions';
import { startOllamaDouble, type CreatedModel, type OllamaDouble } from '../doubles/ollamaApiDouble';
import { ENGINE_DIR, PYTHON, REPO_ROOT, tempDir } from './trainerTestKit';

const SMOLLM2_DIR = path.join(REPO_ROOT, 'test', '.models', 'SmolLM2-135M-Instruct');
const SMOLLM2: BaseModelInfo = { id: SMOLLM2_DIR, requested: 'HuggingFaceTB/SmolLM2-135M-Instruct', fallback: false };
const SMOLLM2_SYSTEM = 'You are a helpful AI assistant named SmolLM, trained by Hugging Face';
const CHATML = '{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n';

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/** An adapter folder in PEFT's layout; the weights are arbitrary bytes (nothing here parses them). */
function adapterVersion(name: string, seed = name): VersionRecord {
  const dir = path.join(tempDir('autodidact-ollama-'), name);
  fs.mkdirSync(dir);
  const weights = Buffer.from(`safetensors weights of ${seed} `.repeat(2000));
  fs.writeFileSync(path.join(dir, 'adapter_model.safetensors'), weights);
  fs.writeFileSync(path.join(dir, 'adapter_config.json'), JSON.stringify({ peft_type: 'LORA', r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] }));
  fs.writeFileSync(path.join(dir, 'autodidact_round.json'), '{}');
  return { name, model: `autodidact-${name}`, adapterPath: dir, adapterSha256: sha256(weights), parent: 'v1.0', roundId: 'round-0001', createdAt: 1, metrics: null };
}

/** The base's Jinja chat template rendered as transformers renders it (jinja2 sandbox, trim_blocks, lstrip_blocks). */
function jinjaPrompt(jinja: string, messages: Array<{ role: string; content: string }>, eosToken = ''): string {
  const script = [
    'import json, sys',
    'from jinja2.sandbox import ImmutableSandboxedEnvironment',
    'args = json.load(sys.stdin)',
    'env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)',
    'sys.stdout.write(env.from_string(args["template"]).render(messages=args["messages"], add_generation_prompt=True, eos_token=args["eos"], bos_token=""))',
  ].join('\n');
  return execFileSync(PYTHON, ['-c', script], { input: JSON.stringify({ template: jinja, messages, eos: eosToken }), encoding: 'utf8' });
}

function leaseOf(version: VersionRecord): VersionLease {
  return { version, adapter: version.adapterPath ? version.model : null, release: () => undefined };
}

describe('Ollama export (Modelfile + adapter folder)', () => {
  test('SmolLM2: FROM the library model, ADAPTER the folder, ChatML template, its default system prompt, stops', () => {
    assert.ok(fs.existsSync(path.join(SMOLLM2_DIR, 'config.json')), `${SMOLLM2_DIR} is missing: run test/setup/install-python-env.sh`);
    const plan = planOllamaModel(adapterVersion('v1.2'), SMOLLM2, undefined);
    assert.equal(plan.tag, 'autodidact:v1.2');
    assert.equal(plan.from, 'smollm2:135m');
    assert.deepEqual(plan.warnings, []);
    assert.equal(modelfileText(plan, './adapter'), [
      '# autodidact:v1.2: Autodidact version v1.2',
      '# Build it with: ollama create autodidact:v1.2 -f Modelfile',
      'FROM smollm2:135m',
      'ADAPTER ./adapter',
      `TEMPLATE """${CHATML}"""`,
      `SYSTEM """${SMOLLM2_SYSTEM}"""`,
      'PARAMETER stop "<|im_end|>"',
      'PARAMETER stop "<|im_start|>"',
      '',
    ].join('\n'));
  });

  test('the folder is written with byte-identical adapter files; a non-empty folder is refused', () => {
    const version = adapterVersion('v1.3');
    const bundle = ollamaExportBundle(planOllamaModel(version, SMOLLM2, 'smollm2:135m-instruct-fp16'));
    const out = path.join(tempDir(), 'export');
    const { written } = writeOllamaExport(bundle, out);
    assert.deepEqual(written.map((f) => path.relative(out, f)).sort(), ['Modelfile', 'adapter/adapter_config.json', 'adapter/adapter_model.safetensors']);
    for (const name of ['adapter_config.json', 'adapter_model.safetensors']) {
      assert.deepEqual(fs.readFileSync(path.join(out, 'adapter', name)), fs.readFileSync(path.join(version.adapterPath as string, name)));
    }
    assert.match(fs.readFileSync(path.join(out, 'Modelfile'), 'utf8'), /^FROM smollm2:135m-instruct-fp16\nADAPTER \.\/adapter$/m);
    assert.throws(() => writeOllamaExport(bundle, out), /not an empty folder/);
  });

  test('a GGUF LoRA adapter is exported as one file the ADAPTER line names', () => {
    const plan = planOllamaModel(adapterVersion('v1.8'), SMOLLM2, undefined, process.env, true);
    const gguf = path.join(tempDir(), 'converted.gguf');
    fs.writeFileSync(gguf, 'GGUF and the converted tensors');
    plan.adapterFiles = [{ name: 'adapter.gguf', source: gguf, sha256: sha256(fs.readFileSync(gguf)) }];
    const out = path.join(tempDir(), 'export');
    const { written } = writeOllamaExport(ollamaExportBundle(plan), out);
    assert.deepEqual(written.map((f) => path.relative(out, f)).sort(), ['Modelfile', 'adapter.gguf']);
    assert.match(fs.readFileSync(path.join(out, 'Modelfile'), 'utf8'), /^ADAPTER \.\/adapter\.gguf$/m);
  });

  test('weights that are not the registered ones, a damaged transfer, and an unknown base are refused', () => {
    const version = adapterVersion('v1.4');
    fs.appendFileSync(path.join(version.adapterPath as string, 'adapter_model.safetensors'), 'tampered');
    assert.throws(() => planOllamaModel(version, SMOLLM2, undefined), /the registry recorded .*refusing to export/);
    const bundle = ollamaExportBundle(planOllamaModel(adapterVersion('v1.5'), SMOLLM2, undefined));
    bundle.files[0].base64 = Buffer.from('other bytes').toString('base64');
    const out = path.join(tempDir(), 'export');
    assert.throws(() => writeOllamaExport(bundle, out), /arrived with SHA-256 .* nothing was written/);
    assert.ok(!fs.existsSync(out));
    const dora = adapterVersion('v1.10');
    fs.writeFileSync(path.join(dora.adapterPath as string, 'adapter_config.json'), JSON.stringify({ peft_type: 'LORA', r: 8, lora_alpha: 16, use_dora: true, modules_to_save: ['lm_head'] }));
    assert.throws(() => planOllamaModel(dora, SMOLLM2, undefined), /uses DoRA \(use_dora\) and fully trained modules \(modules_to_save: lm_head\), which Ollama's adapter import does not apply/);
    const unknown: BaseModelInfo = { id: '/models/my-own-model', requested: '/models/my-own-model', fallback: false };
    assert.throws(() => planOllamaModel(adapterVersion('v1.6'), unknown, undefined), /no Ollama model is known to hold the base/);
  });

  test('a base without a chat template gets the engine fallback format, with its EOS as a stop', () => {
    const dir = tempDir('autodidact-plain-base-');
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ model_type: 'llama' }));
    fs.writeFileSync(path.join(dir, 'tokenizer_config.json'), JSON.stringify({ eos_token: '</s>' }));
    const plan = planOllamaModel(adapterVersion('v1.7'), { id: dir, requested: dir, fallback: false }, 'my-base:latest');
    assert.equal(plan.format?.family, 'engine-fallback');
    assert.deepEqual(plan.format?.stops, ['</s>', '### user:']);
    assert.match(plan.format?.template ?? '', /### \{\{ \.Role \}\}:\n\{\{ \.Content \}\}\{\{ if eq \.Role "assistant" \}\}<\/s>/);
  });
});

test('--ollama-url and --ollama-from are trainer-server options; a URL that is not http(s) is refused', () => {
  const options = parseServerArgs(['--ollama-url', 'http://127.0.0.1:11434', '--ollama-from', 'smollm2:135m-instruct-fp16'], {});
  assert.equal(options.ollamaUrl, 'http://127.0.0.1:11434');
  assert.equal(options.ollamaFrom, 'smollm2:135m-instruct-fp16');
  assert.equal(parseServerArgs([], { OLLAMA_HOST: '127.0.0.1:11434' }).ollamaUrl, undefined, 'never switched on by the environment');
  assert.throws(() => parseServerArgs(['--ollama-url', '127.0.0.1:11434'], {}), /--ollama-url must be an http\(s\) URL/);
});

describe('Ollama driver and backend against ollamaApiDouble', () => {
  let ollama: OllamaDouble;
  let driver: OllamaAdapterDriver;
  const logs: string[] = [];
  before(async () => {
    ollama = await startOllamaDouble({ baseModels: ['smollm2:135m'] });
    driver = new OllamaAdapterDriver({ api: new OllamaApi({ baseUrl: ollama.url }), baseModel: SMOLLM2, log: (level, message) => logs.push(`${level} ${message}`) });
  });
  after(async () => { await ollama.close(); });

  test('load uploads both adapter files as blobs under their SHA-256 and creates the tag with the documented body', async () => {
    const version = adapterVersion('v1.1');
    await driver.load(version.model, version.adapterPath as string);
    const configDigest = `sha256:${sha256(fs.readFileSync(path.join(version.adapterPath as string, 'adapter_config.json')))}`;
    const weightsDigest = `sha256:${version.adapterSha256}`;
    assert.deepEqual(fs.readFileSync(path.join(version.adapterPath as string, 'adapter_model.safetensors')), ollama.blobs.get(weightsDigest));
    assert.ok(ollama.blobs.has(configDigest));
    const create = ollama.calls.find((c) => c.path === '/api/create')?.body as Record<string, unknown>;
    assert.deepEqual(create, {
      model: 'autodidact:v1.1', from: 'smollm2:135m', adapters: { 'adapter_config.json': configDigest, 'adapter_model.safetensors': weightsDigest },
      template: CHATML, system: SMOLLM2_SYSTEM, parameters: { stop: ['<|im_end|>', '<|im_start|>'] }, stream: true,
    });
    assert.equal((ollama.models.get('autodidact:v1.1') as CreatedModel).from, 'smollm2:135m');
    assert.ok(driver.isLoaded('autodidact-v1.1'));

    const posted = ollama.calls.filter((c) => c.method === 'POST' && c.path.startsWith('/api/blobs/')).length;
    await driver.load(version.model, version.adapterPath as string); // after a restart: same weights
    assert.equal(ollama.calls.filter((c) => c.method === 'POST' && c.path.startsWith('/api/blobs/')).length, posted, 'blobs Ollama holds are not uploaded again');
  });

  test('with a GGUF LoRA source (bases Ollama cannot convert), the adapter goes up as one GGUF blob', async () => {
    const converted: string[] = [];
    const ggufDriver = new OllamaAdapterDriver({
      api: new OllamaApi({ baseUrl: ollama.url }), baseModel: SMOLLM2, log: () => undefined,
      ggufLora: { fileFor: async (adapter, adapterPath) => {
        converted.push(adapter);
        const file = path.join(tempDir(), `${adapter}.gguf`);
        fs.writeFileSync(file, Buffer.concat([Buffer.from('GGUF'), fs.readFileSync(path.join(adapterPath, 'adapter_model.safetensors'))]));
        return file;
      } },
    });
    const version = adapterVersion('v1.9');
    await ggufDriver.load(version.model, version.adapterPath as string);
    assert.deepEqual(converted, ['autodidact-v1.9']);
    const created = ollama.models.get('autodidact:v1.9') as CreatedModel;
    assert.deepEqual(Object.keys(created.adapters), ['adapter.gguf']);
    assert.equal(ollama.blobs.get(created.adapters['adapter.gguf'])?.subarray(0, 4).toString(), 'GGUF');
  });

  test('unload deletes the tag; a tag already gone is fine', async () => {
    const version = adapterVersion('v1.2');
    await driver.load(version.model, version.adapterPath as string);
    await driver.unload(version.model);
    assert.ok(!ollama.models.has('autodidact:v1.2'));
    assert.ok(!driver.isLoaded('autodidact-v1.2'));
    assert.deepEqual(ollama.calls.at(-1), { method: 'DELETE', path: '/api/delete', body: { model: 'autodidact:v1.2', name: 'autodidact:v1.2' } });
    await driver.unload(version.model);
  });

  test('a base Ollama does not have fails the load with Ollama\'s message, and nothing is marked loaded', async () => {
    const other = new OllamaAdapterDriver({ api: new OllamaApi({ baseUrl: ollama.url }), baseModel: SMOLLM2, from: 'not-pulled:1b', log: () => undefined });
    const version = adapterVersion('v1.3');
    await assert.rejects(other.load(version.model, version.adapterPath as string), /could not create autodidact:v1.3: pull model manifest/);
    assert.ok(!other.isLoaded(version.model));
  });

  test('generation streams Ollama\'s pieces on the lease\'s tag, with stop, max_tokens and the template stops', async () => {
    const version = adapterVersion('v1.4');
    const backend = new OllamaBackend({ api: new OllamaApi({ baseUrl: ollama.url }), driver, ensureLoaded: (lease) => driver.load(lease.version.model, lease.version.adapterPath as string) });
    const pieces: string[] = [];
    const messages = [{ role: 'user' as const, content: 'hello' }];
    const whole = await backend.generate({ lease: leaseOf(version), messages, stop: [], signal: new AbortController().signal, onText: (p) => pieces.push(p) });
    assert.equal(whole.text, ollama.answerFor('autodidact:v1.4').join(' '));
    assert.equal(pieces.join(''), whole.text);
    assert.ok(pieces.length > 3);
    assert.equal(whole.finishReason, 'stop');
    assert.equal(whole.completionTokens, pieces.length);
    assert.deepEqual(ollama.chats.at(-1)?.messages, messages);

    const limited = await backend.generate({ lease: leaseOf(version), messages, maxTokens: 2, stop: [], signal: new AbortController().signal });
    assert.equal(limited.text, 'Served by');
    assert.equal(limited.finishReason, 'length');
    const stopped = await backend.generate({ lease: leaseOf(version), messages, stop: ['through'], temperature: 0, seed: 7, signal: new AbortController().signal });
    assert.equal(stopped.text, 'Served by autodidact:v1.4 ');
    assert.deepEqual(ollama.chats.at(-1)?.options, { temperature: 0, seed: 7, stop: ['<|im_end|>', '<|im_start|>', 'through'] });
  });

  test('v1.0 is served as autodidact:v1.0 (the base with the template); a tag Ollama lost is created again', async () => {
    const base: VersionRecord = { name: 'v1.0', model: 'autodidact-v1.0', adapterPath: null, adapterSha256: null, parent: null, roundId: null, createdAt: 0, metrics: null };
    const backend = new OllamaBackend({ api: new OllamaApi({ baseUrl: ollama.url }), driver, ensureLoaded: async () => { throw new Error('not for the base'); } });
    const first = await backend.generate({ lease: leaseOf(base), messages: [{ role: 'user', content: 'hi' }], stop: [], signal: new AbortController().signal });
    assert.match(first.text, /^Served by autodidact:v1\.0 /);
    const created = ollama.models.get('autodidact:v1.0') as CreatedModel;
    assert.deepEqual(created.adapters, {});
    assert.equal(created.template, CHATML);
    ollama.models.delete('autodidact:v1.0'); // Ollama restarted on an empty models folder
    const again = await backend.generate({ lease: leaseOf(base), messages: [{ role: 'user', content: 'hi' }], stop: [], signal: new AbortController().signal });
    assert.equal(again.text, first.text);
  });

  test('the prompt Ollama builds from the created TEMPLATE and SYSTEM is the one the base\'s Jinja template renders', async () => {
    const backend = new OllamaBackend({ api: new OllamaApi({ baseUrl: ollama.url }), driver, ensureLoaded: (lease) => driver.load(lease.version.model, lease.version.adapterPath as string) });
    const version = adapterVersion('v1.6');
    const jinja = fs.readFileSync(path.join(SMOLLM2_DIR, 'chat_template.jinja'), 'utf8');
    const chats = [
      [{ role: 'user' as const, content: 'What is the code for alpha?' }],
      [{ role: 'system' as const, content: 'Answer briefly.' }, { role: 'user' as const, content: 'Q1' }, { role: 'assistant' as const, content: 'A1\nsecond line' }, { role: 'user' as const, content: 'Q2' }],
    ];
    for (const messages of chats) {
      await backend.generate({ lease: leaseOf(version), messages, stop: [], signal: new AbortController().signal });
      assert.equal(ollama.chats.at(-1)?.prompt, jinjaPrompt(jinja, messages));
    }
    assert.match(ollama.chats.at(-2)?.prompt ?? '', /^<\|im_start\|>system\nYou are a helpful AI assistant named SmolLM/);

    const plainDir = tempDir('autodidact-plain-base-');
    fs.writeFileSync(path.join(plainDir, 'config.json'), JSON.stringify({ model_type: 'llama' }));
    fs.writeFileSync(path.join(plainDir, 'tokenizer_config.json'), JSON.stringify({ eos_token: '</s>' }));
    const plainDriver = new OllamaAdapterDriver({ api: new OllamaApi({ baseUrl: ollama.url }), baseModel: { id: plainDir, requested: plainDir, fallback: false }, from: 'smollm2:135m', log: () => undefined });
    const plain = new OllamaBackend({ api: new OllamaApi({ baseUrl: ollama.url }), driver: plainDriver, ensureLoaded: (lease) => plainDriver.load(lease.version.model, lease.version.adapterPath as string) });
    await plain.generate({ lease: leaseOf(adapterVersion('v1.7')), messages: chats[1], stop: [], signal: new AbortController().signal });
    const fallback = execFileSync(PYTHON, ['-c', 'from engine.chat_template import FALLBACK_CHAT_TEMPLATE; print(FALLBACK_CHAT_TEMPLATE, end="")'], { cwd: ENGINE_DIR, encoding: 'utf8' });
    assert.equal(ollama.chats.at(-1)?.prompt, jinjaPrompt(fallback, chats[1], '</s>'));
  });

  test('an aborted request stops the Ollama stream and resolves as cancelled with what was sent', async () => {
    const slow = await startOllamaDouble({ chunkDelayMs: 40 });
    try {
      const slowDriver = new OllamaAdapterDriver({ api: new OllamaApi({ baseUrl: slow.url }), baseModel: SMOLLM2, log: () => undefined });
      const backend = new OllamaBackend({ api: new OllamaApi({ baseUrl: slow.url }), driver: slowDriver, ensureLoaded: (lease) => slowDriver.load(lease.version.model, lease.version.adapterPath as string) });
      const controller = new AbortController();
      const pieces: string[] = [];
      const result = await backend.generate({ lease: leaseOf(adapterVersion('v1.5')), messages: [{ role: 'user', content: 'hi' }], stop: [], signal: controller.signal, onText: (p) => { pieces.push(p); if (pieces.length === 2) controller.abort(); } });
      assert.equal(result.finishReason, 'cancelled');
      assert.equal(result.text, pieces.join(''));
      const deadline = Date.now() + 2000;
      while (!slow.chats.at(-1)?.disconnected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      assert.ok(slow.chats.at(-1)?.disconnected, 'the Ollama request was closed');
    } finally {
      await slow.close();
    }
  });

  test('Ollama dying mid-answer is a 502 that says so, after the pieces already streamed', async () => {
    const dying = await startOllamaDouble({ breakAfterChunks: 2, chunkDelayMs: 20 });
    try {
      const dyingDriver = new OllamaAdapterDriver({ api: new OllamaApi({ baseUrl: dying.url }), baseModel: SMOLLM2, log: () => undefined });
      const backend = new OllamaBackend({ api: new OllamaApi({ baseUrl: dying.url }), driver: dyingDriver, ensureLoaded: async () => undefined });
      const base: VersionRecord = { name: 'v1.0', model: 'autodidact-v1.0', adapterPath: null, adapterSha256: null, parent: null, roundId: null, createdAt: 0, metrics: null };
      const pieces: string[] = [];
      await assert.rejects(backend.generate({ lease: leaseOf(base), messages: [{ role: 'user', content: 'hi' }], stop: [], signal: new AbortController().signal, onText: (p) => pieces.push(p) }),
        (error: { status?: number; message: string }) => error.status === 502 && /chat stream for autodidact:v1\.0 broke/.test(error.message));
      assert.deepEqual(pieces, ['Served', ' by']);
    } finally {
      await dying.close();
    }
  });

  test('an unreachable Ollama is a 503 for the client, not a hang', async () => {
    const gone = await startOllamaDouble();
    await gone.close();
    const goneDriver = new OllamaAdapterDriver({ api: new OllamaApi({ baseUrl: gone.url, timeoutMs: 2000 }), baseModel: SMOLLM2, log: () => undefined });
    const backend = new OllamaBackend({ api: new OllamaApi({ baseUrl: gone.url }), driver: goneDriver, ensureLoaded: async () => undefined });
    const base: VersionRecord = { name: 'v1.0', model: 'autodidact-v1.0', adapterPath: null, adapterSha256: null, parent: null, roundId: null, createdAt: 0, metrics: null };
    await assert.rejects(backend.generate({ lease: leaseOf(base), messages: [{ role: 'user', content: 'hi' }], stop: [], signal: new AbortController().signal }), (error: { status?: number; message: string }) => error.status === 503 && /cannot be reached/.test(error.message));
  });
});
