// The llama.cpp runtime and the GGUF base, through node-llama-cpp. Its prebuilt binaries come from the
// npm registry as optional platform packages (@node-llama-cpp/linux-x64 etc.); `build: 'never'` makes a
// machine without a working prebuilt fail with a clear error instead of cloning llama.cpp from GitHub and
// compiling it, and the package's postinstall (which would try that at install time) is denied in
// package.json's allowScripts. node-llama-cpp is ESM-only, hence the dynamic import.
import type { Llama, LlamaModel } from 'node-llama-cpp';

export interface LlamaCppModelOptions {
  /** The GGUF base model file. */
  modelPath: string;
  /** CPU threads per evaluation; on a small shared CPU 1 is fastest (llama.cpp's threads spin). */
  threads?: number;
  /** Tokens each request may hold (prompt and answer); default 2048. */
  contextSize?: number;
  /** Requests generated together (batched) per version; more wait for a free slot. Default 4. */
  parallel?: number;
  /** Use a GPU (Metal, CUDA, Vulkan) when its prebuilt works; default false (CPU). */
  gpu?: boolean;
}

export interface LoadedLlamaCpp {
  llama: Llama;
  model: LlamaModel;
  nlc: typeof import('node-llama-cpp');
}

export async function loadLlamaCppModel(options: LlamaCppModelOptions): Promise<LoadedLlamaCpp> {
  const nlc = await import('node-llama-cpp');
  let llama: Llama;
  try {
    llama = await nlc.getLlama({ build: 'never', gpu: options.gpu ? 'auto' : false, logLevel: nlc.LlamaLogLevel.error });
  } catch (error) {
    throw new Error(`llama.cpp could not start from node-llama-cpp's prebuilt binaries (is @node-llama-cpp/${process.platform}-${process.arch} installed? npm ci installs it): ${(error as Error).message}`);
  }
  let model: LlamaModel;
  try {
    model = await llama.loadModel({ modelPath: options.modelPath });
  } catch (error) {
    await llama.dispose();
    throw new Error(`llama.cpp could not load the GGUF model ${options.modelPath}: ${(error as Error).message}`);
  }
  return { llama, model, nlc };
}
