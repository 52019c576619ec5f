// What the gateway hands a backend (the Python engine, vLLM/SGLang, llama.cpp, Ollama) to generate one
// answer, and what it gets back. The gateway owns everything around generation: parsing, the version
// lease (pinning), recall, capture, the OpenAI wire format. A backend only turns messages into text on
// exactly the version it is given. See /work/notes/serving-backends.md.
import type { VersionLease } from './servedVersions';

export interface BackendMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
}

export interface GenerationRequest {
  /** The version live when the request arrived (or the one it named). Serve exactly this one, start to end. */
  lease: VersionLease;
  /** Recalled lessons already put in. */
  messages: BackendMessage[];
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  seed?: number;
  /** OpenAI `stop`: generation ends before the first of these; none of it is ever sent. */
  stop: string[];
  /** Aborted when the client goes away: stop within one decoding step and resolve with finishReason 'cancelled'. */
  signal: AbortSignal;
  /** Streaming: each new piece of answer text, in order (never part of a stop sequence). Undefined: not streaming. */
  onText?: (piece: string) => void;
  /** OpenAI response_format when it is not plain text (the gateway has already refused it for backends without constrained decoding). */
  responseFormat?: unknown;
}

export interface GenerationResult {
  /** The whole answer; for 'cancelled', what had been produced (and passed to onText) when it stopped. */
  text: string;
  promptTokens: number;
  completionTokens: number;
  finishReason: 'stop' | 'length' | 'cancelled';
}

export interface GenerationBackend {
  /** 'engine', 'vllm', 'sglang', 'llama.cpp', 'ollama': shown in logs and in `versions`. */
  readonly label: string;
  /**
   * Generates on `request.lease`'s version. Rejects with an OpenAIError for a request this backend refuses
   * (e.g. 400 context_length_exceeded); any other error becomes a 500/503 in the gateway.
   */
  generate(request: GenerationRequest): Promise<GenerationResult>;
}

/** The request's sampling settings under their OpenAI names, only those it sets: what the engine and
 *  OpenAI-compatible servers (vLLM, SGLang) take. Ollama names them differently (ollamaBackend.ts). */
export function openAISamplingFields(request: GenerationRequest): Record<string, unknown> {
  return {
    ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.topP !== undefined ? { top_p: request.topP } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.responseFormat !== undefined ? { response_format: request.responseFormat } : {}),
  };
}

/** Which backend serves a given version: the one place that decides (issue 15 item 7). */
export type BackendChoice = (lease: VersionLease) => GenerationBackend;
