// Runs the product's own CLI (dist/cli.js, built by `npm run build`) the way a user would.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

export function requireBuiltCli(): void {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
}

/** Resolves with stdout; rejects with the command and its stderr when it exits non-zero. */
export function cli(args: readonly string[], onStderr?: (text: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, maxBuffer: 64 << 20, env: { ...process.env, AUTODIDACT_OFFLINE: '1' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`autodidact ${args.join(' ')} failed (${error.code ?? error.message}):\n${stderr.slice(-4000)}`));
      else resolve(stdout);
    });
    if (onStderr) child.stderr?.on('data', (chunk: Buffer) => onStderr(chunk.toString('utf8')));
  });
}
