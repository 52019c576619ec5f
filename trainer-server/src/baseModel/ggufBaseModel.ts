// `--base-model FILE.gguf`: the engine trains on Hugging Face folders, so a GGUF file is converted once by
// the engine's `engine.gguf_file_base` into a plain folder under the trainer home (one per GGUF content;
// later starts only check a stamp) and the engine loads that folder. llama.cpp serving (--serve llama-cpp)
// uses the GGUF file itself, so training and serving start from the same weights.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export function isGgufFile(requested: string): boolean {
  return requested.toLowerCase().endsWith('.gguf');
}

/** The converted folder for the GGUF file; throws with the converter's reason (missing file, unsupported architecture). */
export async function ensureGgufBaseFolder(ggufFile: string, cacheDir: string, python: string, engineDir: string): Promise<string> {
  const file = path.resolve(ggufFile);
  if (!fs.existsSync(file)) throw new Error(`--base-model ${file}: no such GGUF file`);
  let stdout: string;
  try {
    ({ stdout } = await run(python, ['-m', 'engine.gguf_file_base', '--gguf', file, '--cache', cacheDir], {
      cwd: engineDir, env: { ...process.env, HF_HUB_OFFLINE: '1' }, timeout: 1_800_000, maxBuffer: 1 << 24,
    }));
  } catch (error) {
    const printed = String((error as { stdout?: unknown }).stdout ?? '').trim().split('\n').at(-1) ?? '';
    const reason = printed.startsWith('{') ? (JSON.parse(printed) as { error?: string }).error : String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n').at(-1);
    throw new Error(`could not convert ${file} for training: ${reason || (error as Error).message}`);
  }
  const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { out?: string };
  if (!summary.out) throw new Error(`engine.gguf_file_base printed no folder: ${stdout.slice(0, 200)}`);
  return summary.out;
}
