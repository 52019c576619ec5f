// Promotion and rollback with Ollama as a serving driver, through the real ServedVersions and
// VersionRegistry (no engine): the tag exists before the live pointer moves, a refused create switches
// nothing, and a rolled-back version's tag lives until its last request ends. Against ollamaApiDouble.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BaseModelInfo } from '../../extension/protocol/trainerProtocol';
import { OllamaApi } from '../../trainer-server/src/serving/ollama/ollamaApi';
import { OllamaAdapterDriver } from '../../trainer-server/src/serving/ollama/ollamaAdapterDriver';
import { ServedVersions } from '../../trainer-server/src/serving/servedVersions';
import { VersionRegistry } from '../../trainer-server/src/versions/versionRegistry';
import { startOllamaDouble, type OllamaDouble } from '../doubles/ollamaApiDouble';
import { REPO_ROOT, tempDir } from './trainerTestKit';

const BASE: BaseModelInfo = { id: path.join(REPO_ROOT, 'test', '.models', 'SmolLM2-135M-Instruct'), requested: 'HuggingFaceTB/SmolLM2-135M-Instruct', fallback: false };

function adapterDir(root: string, name: string): { dir: string; sha256: string } {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  const weights = Buffer.from(`weights of ${name} `.repeat(500));
  fs.writeFileSync(path.join(dir, 'adapter_model.safetensors'), weights);
  fs.writeFileSync(path.join(dir, 'adapter_config.json'), '{"peft_type":"LORA","r":8}');
  return { dir, sha256: createHash('sha256').update(weights).digest('hex') };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('promotion and rollback on Ollama (ServedVersions + ollamaApiDouble)', () => {
  let ollama: OllamaDouble;
  before(async () => { ollama = await startOllamaDouble({ baseModels: ['smollm2:135m'] }); });
  after(async () => { await ollama.close(); });

  const setup = (from?: string): { registry: VersionRegistry; served: ServedVersions; root: string } => {
    const root = tempDir('autodidact-ollama-swaps-');
    const registry = VersionRegistry.open(path.join(root, 'versions.json'), BASE);
    const driver = new OllamaAdapterDriver({ api: new OllamaApi({ baseUrl: ollama.url }), baseModel: BASE, from, log: () => undefined });
    return { registry, served: new ServedVersions(registry, [driver], () => undefined), root };
  };

  const promote = (registry: VersionRegistry, served: ServedVersions, root: string): Promise<number> => {
    const name = registry.reserveVersionName();
    const adapter = adapterDir(root, name);
    const record = { name, adapterPath: adapter.dir, adapterSha256: adapter.sha256, parent: registry.live.name, roundId: 'round-0001', metrics: null };
    return served.switchLive({ ...record, model: `autodidact-${name}`, createdAt: Date.now() }, () => {
      assert.ok(ollama.models.has(`autodidact:${name}`), 'the tag exists before the live pointer moves');
      registry.addPromoted(record);
    });
  };

  test('a promotion creates the tag first; a rollback keeps it while a request holds it, then deletes it', async () => {
    const { registry, served, root } = setup();
    await promote(registry, served, root);
    assert.equal(registry.live.name, 'v1.1');
    const lease = served.acquire('autodidact');
    assert.equal(lease.version.name, 'v1.1');
    await served.switchLive(registry.get('v1.0') as never, () => registry.rollback('v1.0'));
    assert.equal(registry.live.name, 'v1.0');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(ollama.models.has('autodidact:v1.1'), 'not deleted under a running request');
    lease.release();
    await until(() => !ollama.models.has('autodidact:v1.1'), 'the idle tag to be deleted');
  });

  test('when Ollama refuses the create, the promotion fails and the live version stays', async () => {
    const { registry, served, root } = setup('not-pulled:7b');
    await assert.rejects(promote(registry, served, root), /could not create autodidact:v1\.1: pull model manifest/);
    assert.equal(registry.live.name, 'v1.0');
    assert.ok(!ollama.models.has('autodidact:v1.1'));
  });
});
