// The one place that decides which backend generates for a version. A configured vLLM/SGLang server
// serves every version (the engine keeps training and gating on its own copy of the base), then a
// configured Ollama, then llama.cpp (--serve llama-cpp); with none, undefined: the gateway uses the Python engine.
import type { ServedBy, VersionRecord } from '../../../extension/protocol/trainerProtocol';
import type { BackendChoice, GenerationBackend } from './generationBackend';
import { ollamaTagOf } from './ollama/ollamaModel';

export interface BackendCandidates {
  /** vLLM or SGLang, when --vllm-url / --sglang-url is given. */
  openaiServer?: GenerationBackend;
  /** Ollama, when --ollama-url is given and the base is not the fallback model. */
  ollama?: GenerationBackend;
  /** llama.cpp in this process (--serve llama-cpp). */
  llamaCpp?: GenerationBackend;
}

function chosenOf(candidates: BackendCandidates): GenerationBackend | undefined {
  return candidates.openaiServer ?? candidates.ollama ?? candidates.llamaCpp;
}

export function chooseBackend(candidates: BackendCandidates): BackendChoice | undefined {
  const chosen = chosenOf(candidates);
  return chosen ? () => chosen : undefined;
}

const BACKENDS: ReadonlyArray<ServedBy['backend']> = ['engine', 'llama.cpp', 'ollama', 'vllm', 'sglang'];

/** What the panel and `autodidact versions` show per version: the backend chooseBackend picks, by its label, and the version's name there. */
export function describeServing(candidates: BackendCandidates): (version: VersionRecord) => ServedBy {
  const label = chosenOf(candidates)?.label ?? 'engine';
  const backend = BACKENDS.find((b) => b === label);
  if (!backend) throw new Error(`backend label ${label} is not one the panel knows (${BACKENDS.join(', ')})`);
  return (version) => ({ backend, name: servedName(backend, version) });
}

function servedName(backend: ServedBy['backend'], version: VersionRecord): string {
  if (backend === 'ollama') return ollamaTagOf(version.name); // every version, the base included, is a tag there
  return version.adapterPath === null ? 'base model' : version.model; // the adapter name
}
