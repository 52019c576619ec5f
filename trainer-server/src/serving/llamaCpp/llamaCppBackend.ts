// Generation on llama.cpp for the gateway (a GenerationBackend). The prompt is rendered with the GGUF's
// own chat template (the same Jinja template the Python engine applies through transformers, so both
// backends see the same tokens); tokens are sampled one at a time on the version's context, so a stop
// sequence, max_tokens or a client that went away ends generation at the next token.
import type { ChatHistoryItem, JinjaTemplateChatWrapper, LlamaGrammar, Token } from 'node-llama-cpp';
import { OpenAIError } from '../../gateway/openaiErrors';
import type { ConstrainedDecoding, ResponseFormat } from '../../gateway/responseFormat';
import type { VersionLease } from '../servedVersions';
import type { BackendMessage, GenerationBackend, GenerationRequest, GenerationResult } from '../generationBackend';
import type { LoadedLlamaCpp } from './llamaCppModel';
import { StopScanner } from './stopScanner';
import type { LlamaCppVersionContexts } from './versionContexts';

// The Python engine's defaults (engine/generation.py GenerateOptions), so a request means the same on both.
const DEFAULT_MAX_TOKENS = 256;
const DEFAULT_TEMPERATURE = 1.0;

export class LlamaCppBackend implements GenerationBackend, ConstrainedDecoding {
  readonly label = 'llama.cpp';
  private readonly template: JinjaTemplateChatWrapper;

  /**
   * `prepare` loads the lease's adapter through ServedVersions (hash-checked, one load at a time) before
   * its context is used; without it the context is opened here directly.
   */
  constructor(private readonly runtime: LoadedLlamaCpp, private readonly contexts: LlamaCppVersionContexts, private readonly prepare?: (lease: VersionLease) => Promise<void>) {
    const chatTemplate = runtime.model.fileInfo.metadata.tokenizer?.chat_template;
    if (typeof chatTemplate !== 'string') throw new Error('the GGUF model has no tokenizer.chat_template; llama.cpp serving needs a chat model');
    this.template = new runtime.nlc.JinjaTemplateChatWrapper({ template: chatTemplate });
  }

  /** JSON objects and JSON schemas become llama.cpp grammars (GBNF), which hold every sampled token to them. */
  supportsResponseFormat(format: ResponseFormat): boolean {
    return format.type === 'json_object' || format.type === 'json_schema';
  }

  async generate(request: GenerationRequest): Promise<GenerationResult> {
    const cancelled: GenerationResult = { text: '', promptTokens: 0, completionTokens: 0, finishReason: 'cancelled' };
    if (request.signal.aborted) return cancelled;
    await this.prepare?.(request.lease);
    const version = await this.contexts.contextFor(request.lease.adapter, request.lease.version.adapterPath);
    const { model } = this.runtime;
    const prompt = this.template.generateContextState({ chatHistory: historyOf(request.messages) }).contextText.tokenize(model.tokenizer);
    const room = version.context.contextSize - prompt.length;
    if (room < 1) {
      throw new OpenAIError(400, `This model's maximum context length is ${version.context.contextSize} tokens; the messages take ${prompt.length}.`, 'invalid_request_error', 'messages', 'context_length_exceeded');
    }
    const sequence = await version.acquire(request.signal);
    if (!sequence) return { ...cancelled, promptTokens: prompt.length };
    const maxTokens = Math.min(request.maxTokens ?? DEFAULT_MAX_TOKENS, room);
    let grammar: LlamaGrammar | undefined;
    try {
      grammar = await this.grammarFor(request.responseFormat as ResponseFormat | undefined);
    } catch (error) {
      await version.release(sequence);
      throw error;
    }
    const scanner = new StopScanner(request.stop);
    const answer: Token[] = [];
    let finishReason: GenerationResult['finishReason'] = 'length';
    try {
      const temperature = request.temperature ?? DEFAULT_TEMPERATURE;
      const tokens = sequence.evaluate(prompt, {
        temperature, yieldEogToken: true, ...(request.topP !== undefined ? { topP: request.topP } : {}), ...(request.seed !== undefined ? { seed: request.seed } : {}),
        ...(grammar ? { grammarEvaluationState: new this.runtime.nlc.LlamaGrammarEvaluationState({ model, grammar }) } : {}),
      });
      for await (const token of tokens) {
        if (model.isEogToken(token)) {
          finishReason = 'stop';
          break;
        }
        answer.push(token);
        const piece = scanner.update(model.detokenize(answer));
        if (piece) request.onText?.(piece);
        if (scanner.stopped) {
          finishReason = 'stop';
          break;
        }
        if (request.signal.aborted) {
          finishReason = 'cancelled';
          break;
        }
        if (answer.length >= maxTokens) break;
      }
    } finally {
      await version.release(sequence);
    }
    if (finishReason !== 'cancelled') {
      const rest = scanner.finish();
      if (rest) request.onText?.(rest);
    }
    return { text: scanner.sent, promptTokens: prompt.length, completionTokens: answer.length, finishReason };
  }

  /** The grammar for a response_format; a JSON schema that llama.cpp's schema converter refuses is the client's 400. */
  private async grammarFor(format: ResponseFormat | undefined): Promise<LlamaGrammar | undefined> {
    if (!format || format.type === 'text') return undefined;
    if (format.type === 'json_object') return this.runtime.llama.getGrammarFor('json');
    try {
      return await this.runtime.llama.createGrammarForJsonSchema(format.json_schema.schema as never);
    } catch (error) {
      throw new OpenAIError(400, `response_format.json_schema cannot be turned into a llama.cpp grammar: ${(error as Error).message}`, 'invalid_request_error', 'response_format', 'invalid_json_schema');
    }
  }
}

/** OpenAI messages as node-llama-cpp chat history, ending with the assistant turn to generate. */
function historyOf(messages: BackendMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((message): ChatHistoryItem => {
    if (message.role === 'system') return { type: 'system', text: message.content };
    if (message.role === 'assistant') return { type: 'model', response: [message.content] };
    return { type: 'user', text: message.content }; // a tool result reads as the user's turn to a model without a tool role
  });
  history.push({ type: 'model', response: [] });
  return history;
}
