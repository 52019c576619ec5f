// A version's PEFT adapter as a GGUF LoRA file for llama.cpp, converted once by the engine's
// `engine.gguf_lora` and cached under the trainer home, keyed by the adapter's name and its weights'
// hash (a version's weights never change, so a cached file is never stale).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface GgufLoraConverterOptions {
  python: string;
  engineDir: string;
  baseGguf: string;
  cacheDir: string;
}

export class GgufLoraConverter {
  constructor(private readonly options: GgufLoraConverterOptions) {}

  /** The GGUF LoRA file for the adapter folder, converting it the first time. */
  async fileFor(adapter: string, adapterPath: string): Promise<string> {
    const weights = await fs.promises.readFile(path.join(adapterPath, 'adapter_model.safetensors'));
    const digest = createHash('sha256').update(weights).digest('hex').slice(0, 16);
    const out = path.join(this.options.cacheDir, `${adapter.replace(/[^A-Za-z0-9._-]/g, '_')}-${digest}.gguf`);
    if (fs.existsSync(out)) return out; // the converter renames a whole file into place, so one that exists is complete
    await fs.promises.mkdir(this.options.cacheDir, { recursive: true });
    let stdout: string;
    try {
      ({ stdout } = await run(this.options.python, ['-m', 'engine.gguf_lora', '--adapter', adapterPath, '--base-gguf', this.options.baseGguf, '--out', out], { cwd: this.options.engineDir, timeout: 300_000 }));
    } catch (error) {
      const printed = String((error as { stdout?: unknown }).stdout ?? '').trim();
      const reason = printed.startsWith('{') ? (JSON.parse(printed) as { error?: string }).error : String((error as { stderr?: unknown }).stderr ?? '').trim().split('\n').at(-1);
      throw new Error(`could not convert ${adapter} to a GGUF LoRA for llama.cpp: ${reason || (error as Error).message}`);
    }
    if (!fs.existsSync(out)) throw new Error(`engine.gguf_lora reported ${stdout.trim()} but wrote no ${out}`);
    return out;
  }
}
