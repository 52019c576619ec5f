// Ollama as a serving backend, assembled once the base model is known (the adapter only fits its own
// base, and the chat template comes from it). Configured only by the trainer-server's own options
// (--ollama-url, --ollama-from), never by a workspace: it decides where every answer comes from.
import * as path from 'node:path';
import type { BaseModelInfo } from '../../../../extension/protocol/trainerProtocol';
import type { LogFn } from '../../engineClient/engineSupervisor';
import type { ServerCliOptions } from '../../serverOptions';
import { OpenAIError } from '../../gateway/openaiErrors';
import type { GenerationBackend } from '../generationBackend';
import { GgufLoraConverter, type GgufLoraConverterOptions } from '../llamaCpp/ggufLoraFiles';
import type { ServedVersions } from '../servedVersions';
import { OllamaApi } from './ollamaApi';
import { OllamaAdapterDriver } from './ollamaAdapterDriver';
import { OllamaBackend } from './ollamaBackend';
import { ollamaTakesSafetensorsAdapters } from './ollamaModel';

export interface OllamaConfig {
  /** Ollama's address, e.g. http://127.0.0.1:11434 */
  url: string;
  /** The Ollama model with the base's weights; default: the library name known for the base. */
  from?: string;
  /** Convert adapters to GGUF LoRA files with the base's GGUF (--ollama-base-gguf), for bases such as Qwen2. */
  ggufLora?: GgufLoraConverterOptions;
}

export interface OllamaServing {
  api: OllamaApi;
  driver: OllamaAdapterDriver;
  config: OllamaConfig;
}

/** The Ollama settings from the trainer-server's command line (--ollama-url given). */
export function ollamaConfig(options: ServerCliOptions): OllamaConfig {
  return {
    url: options.ollamaUrl as string,
    ...(options.ollamaFrom ? { from: options.ollamaFrom } : {}),
    ...(options.ollamaBaseGguf ? {
      ggufLora: { python: options.python, engineDir: options.engineDir, baseGguf: path.resolve(options.ollamaBaseGguf), cacheDir: path.join(options.home, 'ollama', 'gguf-lora') },
    } : {}),
  };
}

export function createOllamaServing(config: OllamaConfig, baseModel: BaseModelInfo, log: LogFn): OllamaServing | undefined {
  if (baseModel.fallback) {
    // Adapters of the tiny stand-in model fit no model Ollama has.
    log('warn', `ollama: not used, the base is the fallback model (${baseModel.reason ?? 'the requested base could not be loaded'})`);
    return undefined;
  }
  if (!config.ggufLora && !ollamaTakesSafetensorsAdapters(baseModel)) {
    log('warn', `ollama: Ollama converts safetensors adapters only for Llama, Mistral and Gemma 2 bases, so promotions of ${baseModel.id} will fail there; start the trainer-server with --ollama-base-gguf FILE (the base's GGUF) to send adapters as GGUF LoRA files`);
  }
  const api = new OllamaApi({ baseUrl: config.url });
  const ggufLora = config.ggufLora && new GgufLoraConverter(config.ggufLora);
  return { api, config, driver: new OllamaAdapterDriver({ api, baseModel, from: config.from, log, ...(ggufLora ? { ggufLora } : {}) }) };
}

/** The generation backend for the gateway: a version's tag is created on first use if it is not there. */
export function ollamaBackendOf(ollama: OllamaServing, serving: ServedVersions): OllamaBackend {
  return new OllamaBackend({ api: ollama.api, driver: ollama.driver, ensureLoaded: (lease) => serving.ensureLoaded(lease, ollama.driver) });
}

/**
 * The Ollama backend before the lineage is open (the server chooses its backend at start; the base, and
 * so the Ollama models, are known only after boot). When the base turned out to be the fallback model,
 * Ollama is not used and requests get a clear 503 rather than answers from an unrelated model.
 */
export function lazyOllamaBackend(ready: () => Promise<{ ollama?: OllamaServing; serving: ServedVersions }>): GenerationBackend {
  let backend: OllamaBackend | undefined;
  return {
    label: 'ollama',
    async generate(request) {
      const lineage = await ready();
      if (!lineage.ollama) throw new OpenAIError(503, 'Ollama is configured but not used: the base model is the fallback model, whose adapters fit no Ollama model', 'server_error', null, 'ollama_unused');
      backend ??= ollamaBackendOf(lineage.ollama, lineage.serving);
      return backend.generate(request);
    },
  };
}
