// Command-line options of `node --import tsx trainer-server/main.ts`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_TRAINER_PORT } from '../../extension/protocol/trainerProtocol';
import { DEFAULT_BASE_MODEL } from './baseModel/baseModelPlan';
import { defaultHomeDir } from './home/trainerHome';

export interface ServerCliOptions {
  host: string;
  port: number;
  home: string;
  baseModel: string;
  python: string;
  engineDir: string;
  threads?: number;
  device?: string;
  dtype?: string;
  loadIn4bit: boolean;
  allowedOrigins: string[];
  vllmUrl?: string;
  vllmApiKey?: string;
  vllmPathMap?: { from: string; to: string };
  /** The server at vllmUrl is SGLang (--sglang-url), not vLLM. */
  sglang?: boolean;
  vllmModel?: string;
  ollamaUrl?: string;
  ollamaFrom?: string;
  ollamaBaseGguf?: string;
  /** --serve llama-cpp: generation through llama.cpp in this process. */
  llamaCpp?: { gguf?: string; contextSize?: number; parallel?: number };
  help: boolean;
}

export const USAGE = `Usage: node --import tsx trainer-server/main.ts [options]
  --host ADDR          address to bind (default 127.0.0.1; anything else exposes the server on purpose)
  --port N             port for the WebSocket protocol and the OpenAI gateway (default ${DEFAULT_TRAINER_PORT})
  --home DIR           token, versions, rounds, adapters, capture buffer (default ~/.autodidact-trainer)
  --base-model ID|DIR|FILE.gguf  model-hub id, local folder or GGUF file (converted once for training; default ${DEFAULT_BASE_MODEL})
  --python PATH        Python with torch, transformers and peft (default: .venv/bin/python of the repo, else python3)
  --threads N          torch CPU threads for the engine (on a small shared CPU, 1 is fastest)
  --engine-dir DIR     the folder holding the Python engine package (default: found beside this program)
  --device auto|cpu|cuda, --dtype auto|bf16|fp32, --load-in-4bit (QLoRA, CUDA only)
  --allow-origin URL   accept WebSocket/HTTP calls carrying this Origin (repeatable; default: none)
  --vllm-url URL       generate on this vLLM server (every version as its runtime-loaded LoRA adapter)
  --sglang-url URL     the same with an SGLang server
  --vllm-api-key KEY   its --api-key (or env VLLM_API_KEY)
  --vllm-path-map FROM=TO  adapter paths as the vLLM/SGLang machine sees them
  --vllm-model NAME    its name for the base model (default: the base listed in its /v1/models)
  --ollama-url URL     serve every version through this Ollama as autodidact:vX.Y (e.g. http://127.0.0.1:11434)
  --ollama-from NAME   the Ollama model holding the base's weights (default: known for SmolLM2 and Qwen2.5-Coder bases)
  --ollama-base-gguf FILE  the base's GGUF: adapters go to Ollama as GGUF LoRA files (needed for Qwen2 and other non-Llama bases)
  --serve engine|llama-cpp  who generates: the Python engine (default) or llama.cpp in this process (node-llama-cpp,
                       CPU; the GGUF base with each version's adapter converted to a GGUF LoRA); --threads applies to it too
  --llama-cpp-gguf FILE  the GGUF llama.cpp serves (default: --base-model when it is a .gguf file)
  --llama-cpp-context N  tokens per request, prompt and answer (default 2048)
  --llama-cpp-parallel N requests generated together per version (default 4; more wait)
`;

/** The folder that holds the Python `engine` package: beside this file, or beside the bundle. */
function defaultEngineDir(env: NodeJS.ProcessEnv): string {
  if (env.AUTODIDACT_ENGINE_DIR) return env.AUTODIDACT_ENGINE_DIR;
  const candidates = [path.resolve(__dirname, '..'), path.resolve(__dirname), path.resolve(__dirname, '..', 'trainer-server')];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'engine', 'main.py'))) ?? candidates[0];
}

function defaultPython(engineDir: string, env: NodeJS.ProcessEnv): string {
  if (env.AUTODIDACT_PYTHON) return env.AUTODIDACT_PYTHON;
  const venv = path.resolve(engineDir, '..', '.venv', 'bin', 'python');
  return fs.existsSync(venv) ? venv : 'python3';
}

export function parseServerArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ServerCliOptions {
  const values: Record<string, string[]> = {};
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}\n${USAGE}`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (name === 'help' || name === 'load-in-4bit') { flags.add(name); continue; }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value\n${USAGE}`);
    (values[name] ??= []).push(value);
  }
  const known = new Set(['host', 'port', 'home', 'base-model', 'python', 'threads', 'device', 'dtype', 'allow-origin', 'vllm-url', 'sglang-url', 'vllm-api-key', 'vllm-path-map', 'vllm-model', 'engine-dir', 'ollama-url', 'ollama-from', 'ollama-base-gguf', 'serve', 'llama-cpp-gguf', 'llama-cpp-context', 'llama-cpp-parallel']);
  for (const name of Object.keys(values)) if (!known.has(name)) throw new Error(`unknown option --${name}\n${USAGE}`);
  const one = (name: string): string | undefined => values[name]?.at(-1);
  const port = Number(one('port') ?? env.AUTODIDACT_TRAINER_PORT ?? DEFAULT_TRAINER_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer 0-65535`);
  const threads = one('threads') === undefined ? undefined : Number(one('threads'));
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) throw new Error('--threads must be a positive integer');
  const engineDir = one('engine-dir') ?? defaultEngineDir(env);
  const map = one('vllm-path-map');
  if (map !== undefined && !map.includes('=')) throw new Error('--vllm-path-map must be FROM=TO');
  if (one('vllm-url') !== undefined && one('sglang-url') !== undefined) throw new Error('give --vllm-url or --sglang-url, not both');
  const ollamaUrl = one('ollama-url');
  if (ollamaUrl !== undefined && !/^https?:\/\/[^/]/.test(ollamaUrl)) throw new Error(`--ollama-url must be an http(s) URL, e.g. http://127.0.0.1:11434 (got ${ollamaUrl})`);
  const serve = one('serve') ?? 'engine';
  if (serve !== 'engine' && serve !== 'llama-cpp') throw new Error(`--serve must be engine or llama-cpp (got ${serve})`);
  const positive = (name: string): number | undefined => {
    const value = one(name) === undefined ? undefined : Number(one(name));
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new Error(`--${name} must be a positive integer`);
    return value;
  };
  const llamaCpp = { gguf: one('llama-cpp-gguf'), contextSize: positive('llama-cpp-context'), parallel: positive('llama-cpp-parallel') };
  if (serve !== 'llama-cpp' && (llamaCpp.gguf ?? llamaCpp.contextSize ?? llamaCpp.parallel) !== undefined) throw new Error('--llama-cpp-* options need --serve llama-cpp');
  return {
    host: one('host') ?? '127.0.0.1',
    port,
    home: one('home') ?? defaultHomeDir(env),
    baseModel: one('base-model') ?? env.AUTODIDACT_BASE_MODEL ?? DEFAULT_BASE_MODEL,
    python: one('python') ?? defaultPython(engineDir, env),
    engineDir,
    threads,
    device: one('device'),
    dtype: one('dtype'),
    loadIn4bit: flags.has('load-in-4bit'),
    allowedOrigins: values['allow-origin'] ?? [],
    vllmUrl: one('vllm-url') ?? one('sglang-url'),
    sglang: one('sglang-url') !== undefined,
    vllmModel: one('vllm-model'),
    vllmApiKey: one('vllm-api-key') ?? env.VLLM_API_KEY,
    vllmPathMap: map ? { from: map.slice(0, map.indexOf('=')), to: map.slice(map.indexOf('=') + 1) } : undefined,
    ollamaUrl: one('ollama-url'),
    ollamaFrom: one('ollama-from'),
    ollamaBaseGguf: one('ollama-base-gguf'),
    ...(serve === 'llama-cpp' ? { llamaCpp } : {}),
    help: flags.has('help'),
  };
}
