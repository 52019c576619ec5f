// Packages the VSIX from a staging folder holding only what ships. vsce walks the whole repository
// before applying .vscodeignore, which with .venv and the editor cache is ~50k files and a minute
// of work; the staging folder makes packaging take seconds.
// Usage: node extension/packageVsix.mjs [OUTPUT.vsix] [--target linux-x64|darwin-arm64|win32-x64|...]
// Without --target: one VSIX for every platform, which categorises with rules (no ONNX runtime) unless
// the analysis server finds @huggingface/transformers elsewhere (npm start sets NODE_PATH). With
// --target: a platform-specific VSIX that also carries the embeddings runtime (embeddingsRuntime.mjs).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stageEmbeddingsRuntime } from './embeddingsRuntime.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const targetAt = args.indexOf('--target');
const target = targetAt >= 0 ? args.splice(targetAt, 2)[1] : undefined;
if (targetAt >= 0 && !target) throw new Error('--target needs a value, e.g. --target linux-x64');
const output = path.resolve(args[0] ?? path.join(root, target ? `autodidact-${target}.vsix` : 'autodidact.vsix'));
fs.mkdirSync(path.dirname(output), { recursive: true });
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-vsix-'));
try {
  for (const entry of ['package.json', 'README.md', 'LICENSE', '.vscodeignore', 'media']) {
    fs.cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
  }
  fs.mkdirSync(path.join(stage, 'dist'));
  for (const file of fs.readdirSync(path.join(root, 'dist'))) {
    if (file.endsWith('.js') || file.endsWith('.wasm')) fs.copyFileSync(path.join(root, 'dist', file), path.join(stage, 'dist', file));
  }
  if (target) stageEmbeddingsRuntime(root, path.join(stage, 'dist'), target);
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links',
    ...(target ? ['--target', target] : []), '-o', output], { cwd: stage, stdio: 'inherit' });
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
