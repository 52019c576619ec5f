// A version's PEFT adapter converted to a GGUF LoRA (engine/gguf_lora.py) must change llama.cpp's output
// the way the PEFT adapter changes the Hugging Face model's. test/engine/peft_lora_reference.py builds two
// seeded adapters with real PEFT on the real base (converted from the same GGUF) and prints transformers'
// greedy answers; llama.cpp, through node-llama-cpp, must give the same answers from the GGUF base with
// the converted adapters, and move the first answer token's log-probabilities the same way (the correlation
// of the adapter's shifts, llama.cpp vs transformers, over the tokens either ranks highly). The `qk` adapter
// touches only the q and k projections, whose rows llama.cpp stores in another order (rotary pairs):
// converted without reordering its B matrices, its shifts correlated 0.40 with PEFT's (0.97 with it).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { loadLlamaCppModel } from '../../trainer-server/src/serving/llamaCpp/llamaCppModel';
import { ENGINE_DIR, ggufAvailable, PYTHON, REPO_ROOT, SMOLLM2_GGUF } from './llamaCppTestKit';

const run = promisify(execFile);
const BASE_DIR = process.env.AUTODIDACT_SMOLLM2_DIR ?? path.join(REPO_ROOT, 'test', '.models', 'SmolLM2-135M-Instruct');

interface Answer { ids: number[]; text: string }
type Logprobs = { tokens: number[] } & Record<'base' | 'all' | 'qk', number[]>;

function correlation(a: number[], b: number[]): number {
  const mean = (x: number[]): number => x.reduce((sum, v) => sum + v, 0) / x.length;
  const [ma, mb] = [mean(a), mean(b)];
  let cross = 0, va = 0, vb = 0;
  a.forEach((v, i) => {
    cross += (v - ma) * (b[i] - mb);
    va += (v - ma) ** 2;
    vb += (b[i] - mb) ** 2;
  });
  return cross / Math.sqrt(va * vb);
}

describe('PEFT LoRA -> GGUF LoRA', { skip: !ggufAvailable(), timeout: 300_000 }, () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'autodidact-gguf-lora-'));
  after(() => fs.rmSync(work, { recursive: true, force: true }));

  test('llama.cpp with the converted adapters answers as transformers with the PEFT adapters', async () => {
    await run(PYTHON, ['-m', 'engine.gguf_base'], { cwd: ENGINE_DIR, env: { ...process.env, HF_HUB_OFFLINE: '1' }, timeout: 600_000 }); // the HF base folder (a no-op when present)
    const { stdout } = await run(PYTHON, [path.join(REPO_ROOT, 'test', 'engine', 'peft_lora_reference.py'), '--base', BASE_DIR, '--out', work, '--prompt', 'Name a fruit.'], { env: { ...process.env, HF_HUB_OFFLINE: '1' }, timeout: 300_000, maxBuffer: 1 << 24 });
    const reference = JSON.parse(stdout.trim().split('\n').at(-1) as string) as { prompt_ids: number[]; base: Answer; all: Answer; qk: Answer; first_token_logprobs: Logprobs };
    const converted: Record<string, string> = {};
    for (const name of ['all', 'qk']) {
      const out = path.join(work, `${name}.gguf`);
      const printed = await run(PYTHON, ['-m', 'engine.gguf_lora', '--adapter', path.join(work, name), '--base-gguf', SMOLLM2_GGUF, '--out', out], { cwd: ENGINE_DIR });
      const summary = JSON.parse(printed.stdout) as { modules: number; alpha: number };
      assert.equal(summary.modules, name === 'all' ? 30 * 7 : 30 * 2);
      assert.equal(summary.alpha, 16);
      converted[name] = out;
    }
    const runtime = await loadLlamaCppModel({ modelPath: SMOLLM2_GGUF });
    try {
      const contextWith = (lora: string | null) => runtime.model.createContext({ contextSize: 256, threads: 1, ...(lora ? { lora: { adapters: [{ filePath: lora }] } } : {}) });
      const greedy = async (lora: string | null): Promise<number[]> => {
        const context = await contextWith(lora);
        try {
          const ids: number[] = [];
          for await (const token of context.getSequence().evaluate(reference.prompt_ids as never, { temperature: 0 })) {
            ids.push(token);
            if (ids.length >= reference.base.ids.length) break;
          }
          return ids;
        } finally {
          await context.dispose();
        }
      };
      const watched = reference.first_token_logprobs.tokens;
      const firstLogprobs = async (lora: string | null): Promise<number[]> => {
        const context = await contextWith(lora);
        try {
          // topK 0, topP 1, minP 0: the whole softmax, as transformers' log_softmax.
          for await (const step of context.getSequence().evaluateWithMetadata(reference.prompt_ids as never, { probabilities: true }, { temperature: 1, topK: 0, topP: 1, minP: 0 })) {
            return watched.map((token) => Math.log(step.probabilities.get(token as never) ?? 0));
          }
          throw new Error('llama.cpp produced no token');
        } finally {
          await context.dispose();
        }
      };
      assert.deepEqual(await greedy(null), reference.base.ids, 'the GGUF base and its transformers conversion agree');
      assert.notDeepEqual(reference.all.ids, reference.base.ids, 'the all-linear adapter changes the answer');
      assert.deepEqual(await greedy(converted.all), reference.all.ids, `llama.cpp+LoRA vs PEFT "${reference.all.text}"`);
      const hf = reference.first_token_logprobs;
      const base = await firstLogprobs(null);
      assert.ok(correlation(base, hf.base) > 0.95, `base log-probabilities agree: ${correlation(base, hf.base)}`);
      for (const name of ['all', 'qk'] as const) {
        const shifted = await firstLogprobs(converted[name]);
        const r = correlation(shifted.map((v, i) => v - base[i]), hf[name].map((v, i) => v - hf.base[i]));
        process.stdout.write(`# ${name}: adapter shift correlation llama.cpp vs PEFT ${r.toFixed(3)}\n`);
        assert.ok(r > 0.9, `${name}: the GGUF LoRA shifts llama.cpp's first-token log-probabilities as PEFT shifts transformers' (r = ${r.toFixed(3)})`);
      }
    } finally {
      await runtime.model.dispose();
      await runtime.llama.dispose();
    }
  });
});
