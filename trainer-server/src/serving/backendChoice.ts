// The one place that decides which backend generates for a version. Today: a configured vLLM/SGLang
// server serves every version when one is configured (the engine keeps training and gating); else
// the Python engine. Other backends (llama.cpp, Ollama) add their rule here.
import type { BackendChoice, GenerationBackend } from './generationBackend';

export interface BackendChoiceOptions {
  engine: GenerationBackend;
  /** vLLM or SGLang, when --vllm-url / --sglang-url is given. */
  openaiServer?: GenerationBackend;
}

export function backendChoice(options: BackendChoiceOptions): BackendChoice {
  return () => options.openaiServer ?? options.engine;
}
