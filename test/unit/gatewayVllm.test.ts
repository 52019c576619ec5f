// The vLLM adapter driver against vllmDouble (a stand-in that behaves as vLLM's runtime LoRA API is
// documented). The full promotion/rollback path through a trainer-server is in gatewayHotSwap.test.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { VllmAdapterDriver, VllmApiError } from '../../trainer-server/src/serving/vllmAdapterDriver';
import { tempDir } from './trainerTestKit';
import { startVllmDouble, type VllmDouble } from './vllmDouble';

function fakeAdapterDir(): string {
  const dir = path.join(tempDir('autodidact-vllm-'), 'adapter');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'adapter_config.json'), '{"peft_type":"LORA"}');
  return dir;
}

describe('VllmAdapterDriver against vllmDouble', () => {
  let vllm: VllmDouble;
  before(async () => { vllm = await startVllmDouble({ apiKey: 'vllm-key' }); });
  after(async () => { await vllm.close(); });

  test('loads and unloads versioned adapters with the documented request bodies', async () => {
    const driver = new VllmAdapterDriver({ baseUrl: `${vllm.url}/v1`, apiKey: 'vllm-key' });
    const dir = fakeAdapterDir();
    await driver.load('autodidact-v1.1', dir);
    assert.equal(vllm.loaded.get('autodidact-v1.1'), dir);
    assert.deepEqual(vllm.calls.at(-1), { route: '/v1/load_lora_adapter', body: { lora_name: 'autodidact-v1.1', lora_path: dir } });
    assert.ok(driver.isLoaded('autodidact-v1.1'));
    assert.deepEqual(await driver.listAdapters(), ['autodidact-v1.1']);
    await driver.unload('autodidact-v1.1');
    assert.equal(vllm.loaded.size, 0);
    assert.deepEqual(vllm.calls.at(-1), { route: '/v1/unload_lora_adapter', body: { lora_name: 'autodidact-v1.1' } });
  });

  test('a name vLLM already holds (same versioned weights, e.g. after our restart) counts as loaded', async () => {
    const dir = fakeAdapterDir();
    await new VllmAdapterDriver({ baseUrl: vllm.url, apiKey: 'vllm-key' }).load('autodidact-v1.2', dir);
    const fresh = new VllmAdapterDriver({ baseUrl: vllm.url, apiKey: 'vllm-key' });
    await fresh.load('autodidact-v1.2', dir);
    assert.ok(fresh.isLoaded('autodidact-v1.2'));
    await fresh.unload('autodidact-v1.2');
    await fresh.unload('autodidact-v1.2'); // vLLM's 404 for an unknown name: already gone
  });

  test('a path with no adapter is refused with vLLM\'s message', async () => {
    const driver = new VllmAdapterDriver({ baseUrl: vllm.url, apiKey: 'vllm-key' });
    await assert.rejects(driver.load('autodidact-v1.3', '/nonexistent/adapter'), (error: VllmApiError) => error.status === 404 && /No adapter found/.test(error.message));
    assert.ok(!driver.isLoaded('autodidact-v1.3'));
  });

  test('the adapter path is mapped to where the vLLM machine mounts the trainer home', async () => {
    const trainerSide = fakeAdapterDir();
    const mount = tempDir('autodidact-vllm-mount-');
    fs.cpSync(path.dirname(trainerSide), mount, { recursive: true });
    const driver = new VllmAdapterDriver({ baseUrl: vllm.url, apiKey: 'vllm-key', mapPath: (p) => p.replace(path.dirname(trainerSide), mount) });
    await driver.load('autodidact-v1.4', trainerSide);
    assert.equal(vllm.loaded.get('autodidact-v1.4'), path.join(mount, 'adapter'));
  });

  test('a vLLM without VLLM_ALLOW_RUNTIME_LORA_UPDATING gets an error that says how to enable it', async () => {
    const plain = await startVllmDouble({ runtimeLoraUpdating: false });
    try {
      await assert.rejects(new VllmAdapterDriver({ baseUrl: plain.url }).load('autodidact-v1.1', fakeAdapterDir()), /VLLM_ALLOW_RUNTIME_LORA_UPDATING=True/);
    } finally {
      await plain.close();
    }
  });

  test('an unreachable vLLM is a clear error, not a hang', async () => {
    const closed = await startVllmDouble();
    await closed.close();
    await assert.rejects(new VllmAdapterDriver({ baseUrl: closed.url, timeoutMs: 2000 }).load('autodidact-v1.1', fakeAdapterDir()), /cannot be reached/);
  });
});
