// Everything the trainer-server needs to serve through llama.cpp (`--serve llama-cpp`): the GGUF base
// loaded once, the per-version contexts (the AdapterDriver that ServedVersions loads on promotion and
// unloads after a version's last request) and the GenerationBackend the gateway generates with.
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

export async function startLlamaCppServing(config: LlamaCppConfig): Promise<LlamaCppServing> {
  const runtime = await loadLlamaCppModel(config);
  const converter = new GgufLoraConverter({ python: config.python, engineDir: config.engineDir, baseGguf: config.modelPath, cacheDir: config.cacheDir });
  const driver = new LlamaCppVersionContexts(runtime, converter, { threads: config.threads, contextSize: config.contextSize, parallel: config.parallel });
  const backend = new LlamaCppBackend(runtime, driver);
  return {
    driver, backend,
    close: async () => {
      await driver.closeAll();
      await runtime.model.dispose();
      await runtime.llama.dispose();
    },
  };
}
