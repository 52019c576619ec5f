// What an Ollama model for one version is made of, shared by the export (a folder with a Modelfile)
// and by creating it through the API: `FROM` the base as Ollama names it, `ADAPTER` the version's PEFT
// adapter (safetensors: adapter_config.json + adapter_model.safetensors, the format Ollama imports
// for Llama, Mistral and Gemma bases), and the TEMPLATE / SYSTEM / PARAMETER stop lines that make
// Ollama build the same prompt the adapter was trained on.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BaseModelInfo, VersionRecord } from '../../../../extension/protocol/trainerProtocol';
import { baseArchitecture, baseModelDir, ollamaChatFormat, readBaseChatTemplate, type OllamaChatFormat } from './ollamaChatFormat';

export const OLLAMA_MODEL_NAME = 'autodidact';
/** The adapter files Ollama reads from a safetensors adapter folder. */
export const ADAPTER_FILES = ['adapter_config.json', 'adapter_model.safetensors'] as const;
/**
 * Base architectures (config.json model_type) whose safetensors adapters Ollama converts itself: its
 * convert.ConvertAdapter handles the GGUF architectures "llama" (Llama, Mistral, SmolLM2) and "gemma2".
 * Any other base needs the adapter as a GGUF LoRA (engine.gguf_lora, with the base's GGUF).
 */
const SAFETENSORS_ADAPTER_ARCHITECTURES = new Set(['llama', 'mistral', 'gemma2']);

/** Ollama names of the bases this project uses, when the base has one in the Ollama library. */
const KNOWN_OLLAMA_BASES: Array<[RegExp, string]> = [
  [/SmolLM2-135M-Instruct/i, 'smollm2:135m'],
  [/SmolLM2-360M-Instruct/i, 'smollm2:360m'],
  [/SmolLM2-1\.7B-Instruct/i, 'smollm2:1.7b'],
  [/Qwen2\.5-Coder-0\.5B-Instruct/i, 'qwen2.5-coder:0.5b'],
  [/Qwen2\.5-Coder-1\.5B-Instruct/i, 'qwen2.5-coder:1.5b'],
];

export class OllamaExportError extends Error {}

export interface OllamaAdapterFile { name: string; source: string; sha256: string }

export interface OllamaModelPlan {
  /** autodidact:v1.2 */
  tag: string;
  version: string;
  from: string;
  /** Empty for v1.0 (the base itself). */
  adapterFiles: OllamaAdapterFile[];
  format: OllamaChatFormat | undefined;
  warnings: string[];
}

/** `autodidact-v1.2` or `v1.2` -> `autodidact:v1.2` (Ollama names are model:tag). */
export function ollamaTagOf(versionName: string): string {
  return `${OLLAMA_MODEL_NAME}:${versionName.replace(/^autodidact-/, '')}`;
}

/** The Ollama library model holding the same weights as the base, if this project knows one. */
export function knownOllamaBase(baseModelId: string): string | undefined {
  return KNOWN_OLLAMA_BASES.find(([pattern]) => pattern.test(baseModelId))?.[1];
}

export function sha256File(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** True when Ollama can take this base's adapters as safetensors (else they must be GGUF LoRA files). */
export function ollamaTakesSafetensorsAdapters(base: BaseModelInfo, env: NodeJS.ProcessEnv = process.env): boolean {
  const dir = baseModelDir(base.id, env);
  const arch = dir && baseArchitecture(dir);
  return arch === undefined || SAFETENSORS_ADAPTER_ARCHITECTURES.has(arch);
}

/** Everything needed to build the Ollama model of `version`; refuses weights that are not the recorded ones. */
export function planOllamaModel(version: VersionRecord, base: BaseModelInfo, from: string | undefined, env: NodeJS.ProcessEnv = process.env, ggufAdapters = false): OllamaModelPlan {
  const warnings: string[] = [];
  const baseFrom = from ?? knownOllamaBase(base.id) ?? knownOllamaBase(base.requested);
  if (!baseFrom) {
    throw new OllamaExportError(`no Ollama model is known to hold the base ${base.id}; name one with the same weights (an Ollama model name, or a path to the base's GGUF file) as the FROM`);
  }
  const dir = baseModelDir(base.id, env);
  let format: OllamaChatFormat | undefined;
  if (dir) {
    format = ollamaChatFormat(readBaseChatTemplate(dir));
    if (!format) warnings.push(`the chat template of ${base.id} is not one translated to Ollama's format here (ChatML or the engine's fallback); the Modelfile keeps the template of ${baseFrom}, check that it matches`);
    const arch = baseArchitecture(dir);
    if (version.adapterPath && arch && !ggufAdapters && !SAFETENSORS_ADAPTER_ARCHITECTURES.has(arch)) {
      warnings.push(`Ollama converts safetensors adapters only for Llama, Mistral and Gemma 2 bases; ${base.id} is "${arch}": give the trainer-server --ollama-base-gguf FILE (the base's GGUF) so its adapters go to Ollama as GGUF LoRA files`);
    }
  } else {
    warnings.push(`the files of ${base.id} are not on this machine, so its chat template could not be read; the Modelfile keeps the template of ${baseFrom}`);
  }
  const adapterFiles: OllamaAdapterFile[] = [];
  if (version.adapterPath) {
    for (const name of ADAPTER_FILES) {
      const source = path.join(version.adapterPath, name);
      if (!fs.existsSync(source)) throw new OllamaExportError(`${version.name}: ${source} is missing; the adapter folder is incomplete`);
      adapterFiles.push({ name, source, sha256: sha256File(source) });
    }
    if (!ggufAdapters) refuseWhatOllamaMisreads(version.name, path.join(version.adapterPath, 'adapter_config.json'));
    const weights = adapterFiles.find((f) => f.name === 'adapter_model.safetensors') as OllamaAdapterFile;
    if (version.adapterSha256 && weights.sha256 !== version.adapterSha256) {
      throw new OllamaExportError(`${version.name}: ${weights.source} hashes to ${weights.sha256}, the registry recorded ${version.adapterSha256}; refusing to export it`);
    }
  }
  return { tag: ollamaTagOf(version.name), version: version.name, from: baseFrom, adapterFiles, format, warnings };
}

/**
 * Ollama's safetensors adapter import reads lora_alpha and the A/B matrices only: it would apply a DoRA
 * or rsLoRA adapter with the wrong update and drop fully trained modules, so those are refused here.
 */
function refuseWhatOllamaMisreads(versionName: string, configFile: string): void {
  let config: { use_dora?: unknown; use_rslora?: unknown; modules_to_save?: unknown };
  try {
    config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as typeof config;
  } catch (error) {
    throw new OllamaExportError(`${versionName}: ${configFile} is not readable JSON: ${(error as Error).message}`);
  }
  const unsupported = [
    config.use_dora === true ? 'DoRA (use_dora)' : '',
    config.use_rslora === true ? 'rsLoRA scaling (use_rslora)' : '',
    Array.isArray(config.modules_to_save) && config.modules_to_save.length ? `fully trained modules (modules_to_save: ${config.modules_to_save.join(', ')})` : '',
  ].filter(Boolean);
  if (unsupported.length) throw new OllamaExportError(`${versionName} uses ${unsupported.join(' and ')}, which Ollama's adapter import does not apply; it would serve different weights`);
}

/** The Modelfile text; `adapterRef` is where the ADAPTER line points (a folder beside it, or a path). */
export function modelfileText(plan: OllamaModelPlan, adapterRef: string): string {
  const lines = [
    `# ${plan.tag}: Autodidact version ${plan.version}${plan.adapterFiles.length ? '' : ' (the base model, no adapter)'}`,
    `# Build it with: ollama create ${plan.tag} -f Modelfile`,
    `FROM ${plan.from}`,
  ];
  if (plan.adapterFiles.length) lines.push(`ADAPTER ${adapterRef}`);
  if (plan.format) {
    lines.push(`TEMPLATE """${checkTripleQuotes(plan.format.template, 'TEMPLATE')}"""`);
    if (plan.format.system !== undefined) lines.push(`SYSTEM """${checkTripleQuotes(plan.format.system, 'SYSTEM')}"""`);
    for (const stop of plan.format.stops) lines.push(`PARAMETER stop ${JSON.stringify(stop)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The Modelfile's `parameters`, as /api/create takes them. */
export function createParameters(plan: OllamaModelPlan): Record<string, unknown> | undefined {
  return plan.format ? { stop: plan.format.stops } : undefined;
}

function checkTripleQuotes(text: string, field: string): string {
  if (text.includes('"""')) throw new OllamaExportError(`the ${field} contains """, which a Modelfile cannot quote`);
  return text;
}
