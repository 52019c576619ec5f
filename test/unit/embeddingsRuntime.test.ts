// The platform VSIX's embeddings runtime (extension/embeddingsRuntime.mjs): each target gets only its own
// native files, and on this machine the staged copy alone (no repository node_modules on the path)
// loads transformers.js and ONNX Runtime and embeds a sentence with the test model.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const REPO = path.resolve(__dirname, '..', '..');
const MODELS = path.join(REPO, 'test', '.models');

interface RuntimeModule {
  RUNTIME_TARGETS: Record<string, { dir: string; natives: string[] }>;
  stageEmbeddingsRuntime(root: string, stageDist: string, target: string): void;
}
const load = (): Promise<RuntimeModule> => import(path.join(REPO, 'extension', 'embeddingsRuntime.mjs')) as Promise<RuntimeModule>;

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

test('each target carries its own ONNX Runtime natives and no other platform\'s', async () => {
  const { RUNTIME_TARGETS, stageEmbeddingsRuntime } = await load();
  for (const target of ['linux-x64', 'darwin-arm64', 'win32-x64']) {
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), `autodidact-runtime-${target}-`));
    try {
      stageEmbeddingsRuntime(REPO, dist, target);
      const files = filesUnder(path.join(dist, 'node_modules'));
      const natives = files.filter((f) => f.includes(`${path.sep}bin${path.sep}`));
      const spec = RUNTIME_TARGETS[target];
      assert.deepEqual(natives, spec.natives.map((n) => path.join('onnxruntime-node', 'bin', 'napi-v6', spec.dir, n)).sort(), target);
      assert.ok(files.includes(path.join('@huggingface', 'transformers', 'dist', 'transformers.node.cjs')));
      assert.ok(!files.some((f) => f.endsWith('.map') || f.endsWith('.d.ts')), 'no source maps or type declarations');
    } finally {
      fs.rmSync(dist, { recursive: true, force: true });
    }
  }
  await assert.rejects(async () => stageEmbeddingsRuntime(REPO, os.tmpdir(), 'darwin-x64'), /no embeddings runtime for target "darwin-x64"/);
});

test('the staged runtime alone loads transformers.js and ONNX Runtime and embeds a sentence', async () => {
  const target = `${process.platform}-${process.arch}`;
  const { RUNTIME_TARGETS, stageEmbeddingsRuntime } = await load();
  assert.ok(RUNTIME_TARGETS[target], `this machine (${target}) has a runtime target`);
  assert.ok(fs.existsSync(path.join(MODELS, 'Xenova', 'all-MiniLM-L6-v2', 'onnx', 'model_quantized.onnx')), 'the test model is prepared (test/setup/prepare_embedding_model.py)');
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-runtime-load-'));
  try {
    stageEmbeddingsRuntime(REPO, dist, target);
    // A script inside the staged dist/, as dist/analysisServer.js is in the installed extension.
    const probe = path.join(dist, 'probe.js');
    fs.writeFileSync(probe, `
      const t = require('@huggingface/transformers');
      t.env.localModelPath = ${JSON.stringify(`${MODELS}/`)}; t.env.allowRemoteModels = false;
      t.pipeline('feature-extraction', 'Xenova/all-MiniLM-L6-v2', { dtype: 'q8' })
        .then((embed) => embed(['sort a list in place'], { pooling: 'mean', normalize: true }))
        .then((out) => console.log(JSON.stringify({ dims: out.dims, from: require.resolve('onnxruntime-node', { paths: [require.resolve('@huggingface/transformers')] }) })));`);
    const env = { ...process.env };
    delete env.NODE_PATH;
    const result = JSON.parse(execFileSync(process.execPath, [probe], { cwd: os.tmpdir(), env, encoding: 'utf8' })) as { dims: number[]; from: string };
    assert.deepEqual(result.dims, [1, 384]);
    assert.ok(result.from.startsWith(path.join(dist, 'node_modules')), `ONNX Runtime came from the staged copy: ${result.from}`);
  } finally {
    fs.rmSync(dist, { recursive: true, force: true });
  }
});
