// Generation through Ollama: the request's version is the Ollama model autodidact:vX.Y, asked through
// POST /api/chat with streaming. The gateway keeps everything else (lease, recall, capture, the OpenAI
// wire format), so pinning and capture are the same as on the engine. A tag Ollama no longer has (it
// was restarted on another models folder) is created again once, before any text went out.
import { OpenAIError } from '../../gateway/openaiErrors';
import type { GenerationBackend, GenerationRequest, GenerationResult } from '../generationBackend';
import type { VersionLease } from '../servedVersions';
import { OllamaApiError, type OllamaApi } from './ollamaApi';
import type { OllamaAdapterDriver } from './ollamaAdapterDriver';
import { ollamaTagOf } from './ollamaModel';

export interface OllamaBackendOptions {
  api: OllamaApi;
  driver: OllamaAdapterDriver;
  /** Makes sure the lease's adapter is created in Ollama (ServedVersions.ensureLoaded with the Ollama driver). */
  ensureLoaded(lease: VersionLease): Promise<void>;
}

export class OllamaBackend implements GenerationBackend {
  readonly label = 'ollama';

  constructor(private readonly options: OllamaBackendOptions) {}

  async generate(request: GenerationRequest): Promise<GenerationResult> {
    const { lease, signal } = request;
    const tag = ollamaTagOf(lease.version.name);
    let text = '';
    if (signal.aborted) return { text, promptTokens: 0, completionTokens: 0, finishReason: 'cancelled' };
    for (let attempt = 0; ; attempt++) {
      try {
        await this.ensureModel(lease);
        const done = await this.options.api.chat({ model: tag, messages: request.messages, options: chatOptions(request, this.options.driver.templateStops) }, (piece) => {
          text += piece;
          request.onText?.(piece);
        }, signal);
        if (done.model !== tag) throw new Error(`Ollama answered with ${done.model}, not ${tag}`);
        return {
          text, promptTokens: done.prompt_eval_count ?? 0, completionTokens: done.eval_count ?? 0,
          finishReason: done.done_reason === 'length' ? 'length' : 'stop',
        };
      } catch (error) {
        if (signal.aborted) return { text, promptTokens: 0, completionTokens: 0, finishReason: 'cancelled' };
        const lostTag = error instanceof OllamaApiError && error.status === 404;
        if (lostTag && attempt === 0 && text === '') {
          this.options.driver.forget(lease.version.model);
          continue;
        }
        if (error instanceof OllamaApiError) {
          throw new OpenAIError(error.status === 0 ? 503 : 502, `${error.message}`, 'server_error', null, 'ollama_error');
        }
        throw error;
      }
    }
  }

  private async ensureModel(lease: VersionLease): Promise<void> {
    if (lease.adapter === null) await this.options.driver.ensureBase(lease.version.model);
    else await this.options.ensureLoaded(lease);
  }
}

/** OpenAI sampling fields as Ollama's options (docs/modelfile.md parameters); unset ones keep the model's. */
function chatOptions(request: GenerationRequest, templateStops: string[]): Record<string, unknown> {
  // A request's `stop` replaces the Modelfile's in Ollama, so the template's end-of-turn stops go along.
  return {
    ...(request.maxTokens !== undefined ? { num_predict: request.maxTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.topP !== undefined ? { top_p: request.topP } : {}),
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    ...(request.stop.length ? { stop: [...new Set([...templateStops, ...request.stop])] } : {}),
  };
}
