// Everything the trainer-server needs to serve through llama.cpp (`--serve llama-cpp`): the GGUF base
// loaded once, the per-version contexts (the AdapterDriver that ServedVersions loads on promotion and
// unloads after a version's last request) and the GenerationBackend the gateway generates with.
import { OpenAIError } from '../../gateway/openaiErrors';
import type { ConstrainedDecoding } from '../../gateway/responseFormat';
import type { GenerationBackend } from '../generationBackend';
import type { ServedVersions } from '../servedVersions';
import { GgufLoraConverter } from './ggufLoraFiles';
import { LlamaCppBackend } from './llamaCppBackend';
import { loadLlamaCppModel, type LlamaCppModelOptions } from './llamaCppModel';
import { LlamaCppVersionContexts } from './versionContexts';

export interface LlamaCppConfig extends LlamaCppModelOptions {
  /** Python with the engine's packages, and the folder holding `engine/` (for engine.gguf_lora). */
  python: string;
  engineDir: string;
  /** Where converted GGUF LoRA files are kept (in the trainer home). */
  cacheDir: string;
}

export interface LlamaCppServing {
  driver: LlamaCppVersionContexts;
  backend: LlamaCppBackend;
  close(): Promise<void>;
}

export async function startLlamaCppServing(config: LlamaCppConfig, serving?: () => ServedVersions): Promise<LlamaCppServing> {
  const runtime = await loadLlamaCppModel(config);
  const converter = new GgufLoraConverter({ python: config.python, engineDir: config.engineDir, baseGguf: config.modelPath, cacheDir: config.cacheDir });
  const driver = new LlamaCppVersionContexts(runtime, converter, { threads: config.threads, contextSize: config.contextSize, parallel: config.parallel });
  const backend = new LlamaCppBackend(runtime, driver, serving && ((lease) => serving().ensureLoaded(lease, driver)));
  return {
    driver, backend,
    close: async () => {
      await driver.closeAll();
      await runtime.model.dispose();
      await runtime.llama.dispose();
    },
  };
}

/**
 * The gateway's llama.cpp backend before the server has booted: it waits for the lineage, and answers 503
 * with the reason when llama.cpp could not be started (the GGUF or the prebuilt binary was missing).
 */
export function lazyLlamaCppBackend(ready: () => Promise<{ llamaCpp?: LlamaCppServing | { error: string } }>): GenerationBackend & ConstrainedDecoding {
  return {
    label: 'llama.cpp',
    supportsResponseFormat: (format) => format.type === 'json_object' || format.type === 'json_schema',
    async generate(request) {
      const { llamaCpp } = await ready();
      if (!llamaCpp || 'error' in llamaCpp) {
        throw new OpenAIError(503, `llama.cpp serving is configured but not running: ${llamaCpp?.error ?? 'not started'}`, 'server_error', null, 'llama_cpp_unavailable');
      }
      return llamaCpp.backend.generate(request);
    },
  };
}
