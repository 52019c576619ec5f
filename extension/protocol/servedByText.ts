// How a version's backend is shown, the same in the panel's timeline and `autodidact versions`.
import type { ServedBy } from './trainerProtocol';

const BACKEND_NAMES: Record<ServedBy['backend'], string> = {
  engine: 'Python engine', 'llama.cpp': 'llama.cpp', ollama: 'Ollama', vllm: 'vLLM', sglang: 'SGLang',
};

/** "served by Ollama as autodidact:v1.2", "served by vLLM (adapter autodidact-v1.2)", "served by the Python engine (base model)". */
export function servedByText(servedBy: ServedBy): string {
  const backend = BACKEND_NAMES[servedBy.backend] ?? servedBy.backend;
  if (servedBy.backend === 'ollama') return `served by Ollama as ${servedBy.name}`;
  const where = servedBy.name === 'base model' ? 'base model' : `${servedBy.backend === 'llama.cpp' ? 'GGUF LoRA' : 'adapter'} ${servedBy.name}`;
  return `served by ${servedBy.backend === 'engine' ? 'the ' : ''}${backend} (${where})`;
}
