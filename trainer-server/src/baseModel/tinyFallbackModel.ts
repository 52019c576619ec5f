// The stand-in base model for machines with no model hub: built once by the engine's own
// `engine.tiny_model` (random weights, tokenizer trained in code) into the trainer home.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const STAMP = 'autodidact_tiny_model.json';

export async function ensureTinyFallbackModel(dir: string, python: string, engineDir: string): Promise<string> {
  if (fs.existsSync(path.join(dir, STAMP))) return dir;
  const staging = `${dir}.partial-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  try {
    await run(python, ['-m', 'engine.tiny_model', '--out', staging], { cwd: engineDir, env: { ...process.env, HF_HUB_OFFLINE: '1' }, timeout: 300_000 });
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n').slice(-3).join('\n');
    throw new Error(`could not build the tiny fallback model: ${(error as Error).message}${stderr ? `\n${stderr}` : ''}`);
  }
  // The stamp is written last by the builder, so a folder with it is whole; the rename publishes it at once.
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(staging, dir);
  return dir;
}
