// The one place that decides which backend generates for a version. A configured vLLM/SGLang server
// serves every version (the engine keeps training and gating on its own copy of the base), then a
// configured Ollama, then llama.cpp (--serve llama-cpp); with none, undefined: the gateway uses the Python engine.
import type { BackendChoice, GenerationBackend } from './generationBackend';

export interface BackendCandidates {
  /** vLLM or SGLang, when --vllm-url / --sglang-url is given. */
  openaiServer?: GenerationBackend;
  /** Ollama, when --ollama-url is given and the base is not the fallback model. */
  ollama?: GenerationBackend;
  /** llama.cpp in this process (--serve llama-cpp). */
  llamaCpp?: GenerationBackend;
}

export function chooseBackend(candidates: BackendCandidates): BackendChoice | undefined {
  const chosen = candidates.openaiServer ?? candidates.ollama ?? candidates.llamaCpp;
  return chosen ? () => chosen : undefined;
}
