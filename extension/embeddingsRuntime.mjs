// What a platform-specific VSIX carries so the installed analysis server categorises with sentence
// embeddings: @huggingface/transformers (its Node CommonJS build), onnxruntime-common, and
// onnxruntime-node with only the native files of one platform. They go to dist/node_modules, where
// dist/analysisServer.js require()s them (esbuild leaves them external). vsce's --no-dependencies
// skips a top-level node_modules, and its secret scan skips any path with node_modules in it, so
// the 20-45 MB native libraries are neither dropped nor scanned.
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * vsce target -> onnxruntime-node's folder and the native files the binding loads. Only what
 * onnxruntime-node 1.30 ships: it has no darwin-x64 or musl (alpine) build.
 * Windows: onnxruntime.dll imports DirectML.dll; dxcompiler/dxil are optional (DirectML shader
 * compilation, never used for CPU embeddings) and stay out. macOS: the binding links
 * @rpath/libonnxruntime.1.dylib; the package's second, versioned copy of it stays out.
 */
export const RUNTIME_TARGETS = {
  'linux-x64': { dir: 'linux/x64', natives: ['onnxruntime_binding.node', 'libonnxruntime.so.1'] },
  'linux-arm64': { dir: 'linux/arm64', natives: ['onnxruntime_binding.node', 'libonnxruntime.so.1'] },
  'darwin-arm64': { dir: 'darwin/arm64', natives: ['onnxruntime_binding.node', 'libonnxruntime.1.dylib'] },
  'win32-x64': { dir: 'win32/x64', natives: ['onnxruntime_binding.node', 'onnxruntime.dll', 'DirectML.dll'] },
  'win32-arm64': { dir: 'win32/arm64', natives: ['onnxruntime_binding.node', 'onnxruntime.dll', 'DirectML.dll'] },
};

/** transformers.js's image code require()s sharp when it loads; Autodidact embeds text only. */
const SHARP_NOT_CARRIED = `// Not the sharp package: Autodidact's VSIX embeds text only and does not carry sharp's native image
// library. transformers.js require()s sharp when it loads; any image call fails with this message.
'use strict';
module.exports = function sharp() {
  throw new Error('image input is not supported: this Autodidact build carries no image library (sharp)');
};
`;

const isShipped = (file) => !file.endsWith('.map') && !file.endsWith('.d.ts') && !file.endsWith('.d.mts');

function copyFiltered(from, to) {
  fs.cpSync(from, to, { recursive: true, filter: (source) => fs.statSync(source).isDirectory() || isShipped(source) });
}

/** Copies the runtime for `target` from root/node_modules into stageDist/node_modules. */
export function stageEmbeddingsRuntime(root, stageDist, target) {
  const spec = RUNTIME_TARGETS[target];
  if (!spec) throw new Error(`no embeddings runtime for target "${target}"; one of: ${Object.keys(RUNTIME_TARGETS).join(', ')}`);
  const from = (...parts) => path.join(root, 'node_modules', ...parts);
  const to = (...parts) => path.join(stageDist, 'node_modules', ...parts);

  // transformers.js: its package.json (for "exports") and the Node CommonJS build, which inlines its
  // tokenizers and jinja; the web and ESM builds stay out.
  fs.mkdirSync(to('@huggingface', 'transformers', 'dist'), { recursive: true });
  for (const file of ['package.json', 'LICENSE', 'dist/transformers.node.cjs']) {
    fs.copyFileSync(from('@huggingface', 'transformers', file), to('@huggingface', 'transformers', file));
  }
  // onnxruntime-common: package.json and the CommonJS build (its "require" export).
  fs.mkdirSync(to('onnxruntime-common'), { recursive: true });
  fs.copyFileSync(from('onnxruntime-common', 'package.json'), to('onnxruntime-common', 'package.json'));
  copyFiltered(from('onnxruntime-common', 'dist', 'cjs'), to('onnxruntime-common', 'dist', 'cjs'));
  // onnxruntime-node: its JavaScript and this platform's native files only.
  fs.mkdirSync(to('onnxruntime-node', 'bin', 'napi-v6', spec.dir), { recursive: true });
  for (const file of ['package.json', 'LICENSE']) {
    if (fs.existsSync(from('onnxruntime-node', file))) fs.copyFileSync(from('onnxruntime-node', file), to('onnxruntime-node', file));
  }
  copyFiltered(from('onnxruntime-node', 'dist'), to('onnxruntime-node', 'dist'));
  for (const file of spec.natives) {
    const source = from('onnxruntime-node', 'bin', 'napi-v6', spec.dir, file);
    if (!fs.existsSync(source)) throw new Error(`${source} is missing: reinstall onnxruntime-node (npm ci) to get its ${target} binaries`);
    fs.copyFileSync(source, to('onnxruntime-node', 'bin', 'napi-v6', spec.dir, file));
  }
  fs.mkdirSync(to('sharp'), { recursive: true });
  fs.writeFileSync(to('sharp', 'package.json'), `${JSON.stringify({ name: 'sharp', version: '0.0.0-not-carried', main: 'index.js', private: true }, null, 2)}\n`);
  fs.writeFileSync(to('sharp', 'index.js'), SHARP_NOT_CARRIED);
}
