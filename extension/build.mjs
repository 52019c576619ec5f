// Bundles the three programs separately: the extension-host client, the analysis server (which
// the CLI shares), and the webview. `vscode` is provided by the editor at run time.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';

const watch = process.argv.includes('--watch');
const production = !watch;
const common = { bundle: true, sourcemap: true, minify: production, logLevel: 'info' };

const builds = [
  { ...common, entryPoints: { client: 'extension/client/extension.ts', clientServices: 'extension/client/clientServices.ts' },
    outdir: 'dist', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', './clientServices.js'] },
  { ...common, entryPoints: { analysisServer: 'extension/server/analysisServer.ts', cli: 'extension/server/cli.ts' },
    outdir: 'dist', platform: 'node', format: 'cjs', target: 'node20',
    // Native and wasm-heavy modules stay outside the bundle and load from node_modules when used.
    external: ['@huggingface/transformers', 'onnxruntime-node', 'sharp', 'sql.js/dist/sql-wasm.wasm'] },
  { ...common, entryPoints: { webview: 'webview/main.ts' }, outdir: 'dist', platform: 'browser', format: 'iife', target: 'es2022' },
];

fs.mkdirSync('dist', { recursive: true });
fs.copyFileSync('node_modules/sql.js/dist/sql-wasm.wasm', 'dist/sql-wasm.wasm');
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  const cli = 'dist/cli.js';
  if (!fs.readFileSync(cli, 'utf8').startsWith('#!')) fs.writeFileSync(cli, `#!/usr/bin/env node\n${fs.readFileSync(cli, 'utf8')}`);
  fs.chmodSync(cli, 0o755);
}
