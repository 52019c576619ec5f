// Issue 15 item 7: one place (serving/backendChoice.ts) decides which backend serves a version; the
// version snapshots clients get carry that choice, and the panel's timeline and `autodidact versions` show it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { formatVersions } from '../../extension/server/cli/versionsCommand';
import { chooseBackend, describeServing, type BackendCandidates } from '../../trainer-server/src/serving/backendChoice';
import type { GenerationBackend } from '../../trainer-server/src/serving/generationBackend';
import type { VersionLease } from '../../trainer-server/src/serving/servedVersions';
import { VersionRegistry } from '../../trainer-server/src/versions/versionRegistry';
import { trainingView } from '../../webview/trainingTimeline';

/** A backend known only by its label: the choice never generates, it picks. */
function labelled(label: string): GenerationBackend {
  return { label, generate: () => Promise.reject(new Error(`${label} was asked to generate in a choice test`)) };
}

const registryFile = (): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-servedby-')), 'versions.json');

function registryWithOnePromotion(file = registryFile()): VersionRegistry {
  const dir = path.dirname(file);
  const registry = VersionRegistry.open(file, { id: 'HuggingFaceTB/SmolLM2-135M-Instruct', requested: 'HuggingFaceTB/SmolLM2-135M-Instruct', fallback: false }, 1_000);
  fs.mkdirSync(path.join(dir, 'adapters', 'a1'), { recursive: true });
  registry.addPromoted({ name: registry.reserveVersionName(), adapterPath: path.join(dir, 'adapters', 'a1'), adapterSha256: 'ab'.repeat(32), parent: 'v1.0', roundId: 'round-0001', metrics: null });
  return registry;
}

test('the versions shown name the backend the gateway chooses, for every combination of configured backends', () => {
  const cases: Array<[BackendCandidates, string]> = [
    [{}, 'engine'],
    [{ llamaCpp: labelled('llama.cpp') }, 'llama.cpp'],
    [{ ollama: labelled('ollama'), llamaCpp: labelled('llama.cpp') }, 'ollama'],
    [{ openaiServer: labelled('vllm'), ollama: labelled('ollama') }, 'vllm'],
    [{ openaiServer: labelled('sglang') }, 'sglang'],
  ];
  const registry = registryWithOnePromotion();
  const v11 = registry.get('v1.1')!;
  for (const [candidates, expected] of cases) {
    const chosen = chooseBackend(candidates)?.({ version: v11 } as VersionLease).label ?? 'engine';
    assert.equal(chosen, expected, 'the gateway choice');
    assert.equal(describeServing(candidates)(v11).backend, chosen, 'what clients are shown is the same choice');
  }
  assert.throws(() => describeServing({ llamaCpp: labelled('mystery') }), /mystery is not one the panel knows/);
});

test('each version is named as its backend knows it: adapter, Ollama tag, or the base model', () => {
  const registry = registryWithOnePromotion();
  const [base, v11] = [registry.get('v1.0')!, registry.get('v1.1')!];
  assert.deepEqual(describeServing({})(v11), { backend: 'engine', name: 'autodidact-v1.1' });
  assert.deepEqual(describeServing({})(base), { backend: 'engine', name: 'base model' });
  assert.deepEqual(describeServing({ ollama: labelled('ollama') })(v11), { backend: 'ollama', name: 'autodidact:v1.1' });
  assert.deepEqual(describeServing({ ollama: labelled('ollama') })(base), { backend: 'ollama', name: 'autodidact:v1.0' });
  assert.deepEqual(describeServing({ openaiServer: labelled('vllm') })(v11), { backend: 'vllm', name: 'autodidact-v1.1' });
});

test('snapshots carry servedBy (never the registry file), and the CLI and the panel show it', () => {
  const file = registryFile();
  const registry = registryWithOnePromotion(file);
  assert.equal(registry.snapshot().versions[0].servedBy, undefined, 'nothing is claimed before the server says which backend');
  registry.describeServingWith(describeServing({ ollama: labelled('ollama') }));
  const snapshot = registry.snapshot();
  assert.deepEqual(snapshot.versions.map((v) => v.servedBy?.name), ['autodidact:v1.0', 'autodidact:v1.1']);

  const cli = formatVersions(snapshot);
  assert.match(cli, /\* v1\.1 .*served by Ollama as autodidact:v1\.1/);
  assert.match(cli, /  v1\.0 .*served by Ollama as autodidact:v1\.0/);

  const view = trainingView({ connection: 'connected', url: 'ws://127.0.0.1:1', versions: snapshot, rounds: [] }, undefined, null);
  assert.deepEqual(view.entries.map((e) => [e.title, e.servedBy]), [['v1.1', 'served by Ollama as autodidact:v1.1'], ['v1.0', 'served by Ollama as autodidact:v1.0']]);
  const vllm = VersionRegistry.open(file, snapshot.baseModel);
  vllm.describeServingWith(describeServing({ openaiServer: labelled('vllm') }));
  assert.match(formatVersions(vllm.snapshot()), /v1\.1 .*served by vLLM \(adapter autodidact-v1\.1\)/);
  assert.match(formatVersions(vllm.snapshot()), /v1\.0 .*served by vLLM \(base model\)/);
  const stored = fs.readFileSync(file, 'utf8');
  assert.doesNotMatch(stored, /servedBy/, 'the choice is the server configuration of now, not history');
});

test('the engine and llama.cpp are named with the adapter they load', async () => {
  const { servedByText } = await import('../../extension/protocol/servedByText');
  assert.equal(servedByText({ backend: 'engine', name: 'autodidact-v1.2' }), 'served by the Python engine (adapter autodidact-v1.2)');
  assert.equal(servedByText({ backend: 'llama.cpp', name: 'autodidact-v1.2' }), 'served by llama.cpp (GGUF LoRA autodidact-v1.2)');
  assert.equal(servedByText({ backend: 'sglang', name: 'base model' }), 'served by SGLang (base model)');
});
