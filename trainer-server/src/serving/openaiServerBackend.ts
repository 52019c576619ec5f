// vLLM or SGLang as the generation backend: the gateway's request is forwarded to the server's
// OpenAI-compatible POST /v1/chat/completions (always streamed, so a client that disconnects closes
// the upstream request too, which both servers take as an abort), with the version's adapter as the
// model: vLLM names a runtime-loaded LoRA by its lora_name; SGLang takes "<base model>:<adapter>".
// The version's lease (held by the gateway) keeps the adapter loaded there until the request ends.
import { OpenAIError } from '../gateway/openaiErrors';
import type { ConstrainedDecoding, ResponseFormat } from '../gateway/responseFormat';
import type { AdapterDriver } from './adapterDriver';
import { openAISamplingFields, type GenerationBackend, type GenerationRequest, type GenerationResult } from './generationBackend';
import type { ServedVersions } from './servedVersions';

export type OpenAIServerFlavor = 'vllm' | 'sglang';

export interface OpenAIServerBackendOptions {
  flavor: OpenAIServerFlavor;
  baseUrl: string;
  apiKey?: string;
  /** The driver that loads adapters there (VllmAdapterDriver); also registered in ServedVersions' drivers. */
  driver: AdapterDriver;
  serving: () => Promise<ServedVersions>;
  /** The server's name for the base model; asked from GET /v1/models when not given. */
  baseModelName?: string;
  timeoutMs?: number;
}

interface StreamChunk {
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  error?: { message?: string };
  message?: string;
}

export class OpenAIServerBackend implements GenerationBackend, ConstrainedDecoding {
  readonly label: OpenAIServerFlavor;
  private baseName: string | undefined;

  constructor(private readonly options: OpenAIServerBackendOptions) {
    this.label = options.flavor;
    this.baseName = options.baseModelName;
  }

  /** vLLM's structured outputs take both JSON formats; SGLang's OpenAI server documents json_schema. */
  supportsResponseFormat(format: ResponseFormat): boolean {
    return format.type === 'json_schema' || (format.type === 'json_object' && this.options.flavor === 'vllm');
  }

  async generate(request: GenerationRequest): Promise<GenerationResult> {
    const { lease, signal } = request;
    await (await this.options.serving()).ensureLoaded(lease, this.options.driver);
    const model = await this.modelFor(lease.adapter);
    let text = '';
    let usage: StreamChunk['usage'] = null;
    let finish: string | null = null;
    try {
      const response = await fetch(`${this.base()}/v1/chat/completions`, {
        method: 'POST', signal: AbortSignal.any([signal, AbortSignal.timeout(this.options.timeoutMs ?? 600_000)]),
        headers: { ...this.headers(), 'content-type': 'application/json' },
        body: JSON.stringify({
          model, messages: request.messages, stream: true, stream_options: { include_usage: true },
          ...(request.stop.length > 0 ? { stop: request.stop } : {}),
          ...openAISamplingFields(request),
        }),
      });
      if (!response.ok || !response.body) throw await upstreamError(response, this.label, model);
      for await (const chunk of sseChunks(response.body)) {
        if (chunk.error || (chunk.message && !chunk.choices)) throw new OpenAIError(502, `${this.label}: ${chunk.error?.message ?? chunk.message}`, 'server_error', null, 'upstream_error');
        const choice = chunk.choices?.[0];
        const piece = choice?.delta?.content;
        if (piece) {
          text += piece;
          request.onText?.(piece);
        }
        if (choice?.finish_reason) finish = choice.finish_reason;
        if (chunk.usage) usage = chunk.usage;
      }
    } catch (error) {
      if (signal.aborted) return { text, promptTokens: usage?.prompt_tokens ?? 0, completionTokens: usage?.completion_tokens ?? 0, finishReason: 'cancelled' };
      if (error instanceof OpenAIError) throw error;
      throw new OpenAIError(502, `${this.label} at ${this.base()} failed: ${(error as Error).message}`, 'server_error', null, 'upstream_error');
    }
    if (finish === null) throw new OpenAIError(502, `${this.label} ended the stream without a finish_reason`, 'server_error', null, 'upstream_error');
    return { text, promptTokens: usage?.prompt_tokens ?? 0, completionTokens: usage?.completion_tokens ?? 0, finishReason: finish === 'length' ? 'length' : 'stop' };
  }

  /** The upstream model name for a version: its adapter (vLLM), base:adapter (SGLang), or the base (v1.0). */
  private async modelFor(adapter: string | null): Promise<string> {
    if (adapter && this.options.flavor === 'vllm') return adapter;
    const base = this.baseName ?? (this.baseName = await this.discoverBase());
    return adapter ? `${base}:${adapter}` : base;
  }

  private async discoverBase(): Promise<string> {
    const response = await fetch(`${this.base()}/v1/models`, { headers: this.headers(), signal: AbortSignal.timeout(30_000) });
    const cards = ((await response.json()) as { data?: Array<{ id: string; parent?: string | null }> }).data ?? [];
    const base = cards.find((card) => !card.parent);
    if (!base) throw new OpenAIError(502, `${this.label} at ${this.base()} lists no base model in /v1/models`, 'server_error', null, 'upstream_error');
    return base.id;
  }

  private base(): string {
    return this.options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  }

  private headers(): Record<string, string> {
    return this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {};
  }
}

async function upstreamError(response: Response, label: string, model: string): Promise<OpenAIError> {
  const body = await response.text();
  let message = body;
  try {
    const parsed = JSON.parse(body) as { message?: string; error?: { message?: string } };
    message = parsed.error?.message ?? parsed.message ?? body;
  } catch { /* a plain-text error */ }
  // A 400 about the request itself (context too long, bad stop) is the client's; anything else is ours.
  if (response.status === 400) return new OpenAIError(400, `${label}: ${message}`);
  return new OpenAIError(502, `${label} answered ${response.status} for model ${model}: ${message}`, 'server_error', null, 'upstream_error');
}

/** The JSON payloads of a server-sent event stream, until `data: [DONE]`. */
async function* sseChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamChunk> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const bytes of body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(bytes, { stream: true });
    let end: number;
    while ((end = buffered.search(/\r?\n\r?\n/)) >= 0) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end).replace(/^\r?\n\r?\n/, '');
      const data = event.split(/\r?\n/).filter((line) => line.startsWith('data:')).map((line) => line.slice(5).trimStart()).join('\n');
      if (!data) continue;
      if (data === '[DONE]') return;
      yield JSON.parse(data) as StreamChunk;
    }
  }
}
