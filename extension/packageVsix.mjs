// Packages the VSIX from a staging folder holding only what ships. vsce walks the whole repository
// before applying .vscodeignore, which with .venv and the editor cache is ~50k files and a minute
// of work; the staging folder makes packaging take seconds.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const output = path.resolve(process.argv[2] ?? path.join(root, 'autodidact.vsix'));
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-vsix-'));
try {
  for (const entry of ['package.json', 'README.md', 'LICENSE', '.vscodeignore', 'media']) {
    fs.cpSync(path.join(root, entry), path.join(stage, entry), { recursive: true });
  }
  fs.mkdirSync(path.join(stage, 'dist'));
  for (const file of fs.readdirSync(path.join(root, 'dist'))) {
    if (file.endsWith('.js') || file.endsWith('.wasm')) fs.copyFileSync(path.join(root, 'dist', file), path.join(stage, 'dist', file));
  }
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '-o', output], { cwd: stage, stdio: 'inherit' });
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
