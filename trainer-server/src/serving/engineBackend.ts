// The Python engine as a generation backend: the adapter is loaded in the engine (ServedVersions'
// first driver), the request goes through the supervisor's generate lane, and a client that goes away
// cancels it inside the engine (the engine stops before its next decoding step).
import { EngineCallError } from '../engineClient/engineProcess';
import type { EngineSupervisor, LogFn } from '../engineClient/engineSupervisor';
import { openAISamplingFields, type GenerationBackend, type GenerationRequest, type GenerationResult } from './generationBackend';
import type { ServedVersions } from './servedVersions';

interface EngineGenerateResult { text: string; prompt_tokens: number; completion_tokens: number; adapter: string | null; finish_reason: 'stop' | 'length' | 'cancelled' }

export class EngineBackend implements GenerationBackend {
  readonly label = 'engine';

  constructor(private readonly engine: EngineSupervisor, private readonly serving: () => Promise<ServedVersions>, private readonly log: LogFn) {}

  /** An engine that died (or restarted and lost the adapter) before any text went out is retried once. */
  async generate(request: GenerationRequest): Promise<GenerationResult> {
    const { lease, onText, signal } = request;
    let emitted = false;
    const params = {
      messages: request.messages, adapter: lease.adapter, stream: onText !== undefined, stop: request.stop,
      ...openAISamplingFields(request),
    };
    const serving = await this.serving();
    for (let attempt = 0; ; attempt++) {
      try {
        await serving.ensureLoaded(lease);
        const result = await this.engine.call<EngineGenerateResult>('generate', params, {
          lane: 'generate', signal, onToken: onText && ((piece) => { emitted = true; onText(piece); }),
        });
        if (result.adapter !== lease.adapter) throw new Error(`the engine answered with adapter ${result.adapter}, not ${lease.adapter}`);
        if (result.finish_reason === 'cancelled') this.log('info', `the engine cancelled a generation on ${lease.version.name} after ${result.completion_tokens} tokens: the client disconnected`);
        return { text: result.text, promptTokens: result.prompt_tokens, completionTokens: result.completion_tokens, finishReason: result.finish_reason };
      } catch (error) {
        if (error instanceof EngineCallError && error.code === 'cancelled') return { text: '', promptTokens: 0, completionTokens: 0, finishReason: 'cancelled' };
        const retriable = error instanceof EngineCallError && (error.code === 'engine_exited' || error.code === 'unknown_adapter');
        if (attempt > 0 || emitted || !retriable || signal.aborted) throw error;
        this.log('warn', `generation lost to ${(error as Error).message.split('\n')[0]}; retrying once`);
      }
    }
  }
}
