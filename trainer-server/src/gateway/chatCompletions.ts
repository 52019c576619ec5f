// POST /v1/chat/completions. The request leases the version that is live when it arrives and keeps
// it until it ends, so a promotion or rollback meanwhile changes nothing for it; the engine is told
// the adapter name explicitly. The finished exchange is written to the capture buffer before the
// response completes, so a response the client saw is never missing from the training signal.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { CaptureHub } from '../capture/captureHub';
import { capturedExchange } from '../capture/exchangeRecord';
import { EngineCallError } from '../engineClient/engineProcess';
import { EngineBackend } from '../serving/engineBackend';
import type { BackendChoice } from '../serving/generationBackend';
import type { EngineSupervisor, LogFn } from '../engineClient/engineSupervisor';
import { UnknownModelError, type ServedVersions, type VersionLease } from '../serving/servedVersions';
import type { RecallableLesson } from '../../../extension/server/lessons/lessonRecall';
import { parseChatRequest, type ChatRequest } from './chatRequest';
import { messagesWithRecall, RECALL_HEADER, recallFor, type LessonSource } from './gatewayRecall';
import { modelNotFound, OpenAIError, sendOpenAIError } from './openaiErrors';
import { RecallBlockFilter, withoutRecallBlock } from './recallBlockFilter';
import { requireConstrainable } from './responseFormat';
import { SseStream } from './sseStream';
import { StopFilter } from './stopSequences';
import { extractToolCalls, messagesWithTools, refuseForcedToolChoice, ToolCallExtractor, toolCallsAsText, type Extracted } from './toolCalls';

export interface GatewayDeps {
  engine: EngineSupervisor;
  serving(): Promise<ServedVersions>;
  /** Undefined for a request whose client records the exchange itself. */
  capture: CaptureHub | undefined;
  /** Redacted from captured exchanges: a user may paste it into a prompt. */
  serverToken?: string;
  log: LogFn;
  /** Active lessons for recall (the trainer home's lessons.json); none when undefined. */
  lessons?: LessonSource;
  /** Which backend generates for a version (serving/backendChoice.ts); the engine when undefined. */
  backendFor?: BackendChoice;
}

export interface GenerateResult { text: string; prompt_tokens: number; completion_tokens: number; adapter: string | null; finish_reason: 'stop' | 'length' | 'cancelled' }

/** How this one request is captured: not at all when the client records it (see clientRecording), and with the server's own token scrubbed. */
export interface CaptureOptions {
  record: boolean;
  serverToken?: string;
  /** False when the client asked for no recall (x-autodidact-recall: off). */
  recall?: boolean;
}

export async function handleChatCompletions(body: unknown, res: ServerResponse, deps: GatewayDeps, captureOptions: CaptureOptions = { record: true }): Promise<void> {
  const parsed = parseChatRequest(body);
  const signal = abortOnDisconnect(res);
  await withLease(parsed, deps, captureOptions, 'response_format', (request, lease, serving, capturing) =>
    request.stream ? streamCompletion(request, lease, res, serving, capturing, signal) : wholeCompletion(request, lease, res, serving, capturing, signal));
}

/**
 * The part every generating route shares (chat completions, responses): recall, the version lease held
 * until the handler ends, the refusals of what the backend cannot honour, and capture routing.
 */
export async function withLease(
  parsed: ChatRequest, deps: GatewayDeps, captureOptions: CaptureOptions, formatParam: string,
  handler: (request: RecallingRequest, lease: VersionLease, serving: ServedVersions, capturing: GatewayDeps) => Promise<void>,
): Promise<void> {
  const request: RecallingRequest = { ...parsed, recalled: captureOptions.recall === false ? [] : recallFor(parsed, deps.lessons) };
  const serving = await deps.serving();
  let lease: VersionLease;
  try {
    lease = serving.acquire(request.model);
  } catch (error) {
    if (error instanceof UnknownModelError) throw modelNotFound(request.model);
    throw error;
  }
  try {
    // JSON formats only where the version's backend constrains decoding (responseFormat.ts); else a 400.
    requireConstrainable(request.responseFormat, lease.version.model, deps.backendFor?.(lease), formatParam);
    refuseForcedToolChoice(request.toolChoice);
    const capturing: GatewayDeps = { ...deps, capture: captureOptions.record ? deps.capture : undefined, serverToken: captureOptions.serverToken };
    await handler(request, lease, serving, capturing);
  } finally {
    lease.release();
  }
}

/** A request with the lessons recalled for it (put in the model's context, recorded with the capture). */
export type RecallingRequest = ChatRequest & { recalled: RecallableLesson[] };

export function recallHeaders(request: RecallingRequest): Record<string, string> {
  return request.recalled.length > 0 ? { [RECALL_HEADER]: request.recalled.map((l) => l.id).join(',') } : {};
}

/** Aborts when the client goes away before its response ended (req's 'close' fires once the body is read, so res's). */
export function abortOnDisconnect(res: ServerResponse): AbortSignal {
  const disconnected = new AbortController();
  res.on('close', () => { if (!res.writableFinished) disconnected.abort(); });
  return disconnected.signal;
}

async function wholeCompletion(request: RecallingRequest, lease: VersionLease, res: ServerResponse, serving: ServedVersions, deps: GatewayDeps, signal: AbortSignal): Promise<void> {
  const startedAt = Date.now();
  const filter = new StopFilter(request.stop);
  const result = await generate(request, lease, serving, deps, undefined, signal);
  // A client that left got nothing, even when the backend finished the answer anyway.
  if (result.finish_reason === 'cancelled' || signal.aborted) {
    await capture(deps, request, lease, '', 'cancelled', startedAt);
    return;
  }
  const text = filter.push(result.text) + filter.flush();
  const answer = extractToolCalls(withoutRecallBlock(text), request.tools); // capture keeps the block, the client does not see it
  const finishReason = answer.calls.length > 0 ? 'tool_calls' : filter.stopped ? 'stop' : result.finish_reason;
  await capture(deps, request, lease, text, finishReason, startedAt, answer.calls.map((c) => c.function.name));
  const message = {
    role: 'assistant', content: answer.calls.length > 0 && answer.text === '' ? null : answer.text, refusal: null,
    ...(answer.calls.length > 0 ? { tool_calls: answer.calls } : {}),
  };
  const payload = JSON.stringify({
    id: `chatcmpl-${randomUUID()}`, object: 'chat.completion', created: Math.floor(startedAt / 1000), model: lease.version.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
    usage: usageOf(result),
  });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'x-autodidact-version': lease.version.name, ...recallHeaders(request) });
  res.end(payload);
}

async function streamCompletion(request: RecallingRequest, lease: VersionLease, res: ServerResponse, serving: ServedVersions, deps: GatewayDeps, signal: AbortSignal): Promise<void> {
  const startedAt = Date.now();
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(startedAt / 1000);
  const usageField = request.includeUsage ? { usage: null } : {};
  const chunk = (delta: Record<string, unknown>, finishReason: string | null): unknown => ({
    id, object: 'chat.completion.chunk', created, model: lease.version.model, system_fingerprint: null,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...usageField,
  });
  const stream: SseStream = new SseStream(res, { 'x-autodidact-version': lease.version.name, ...recallHeaders(request) }, () => stream.send(chunk({ role: 'assistant', content: '' }, null)));
  const filter = new StopFilter(request.stop);
  const recall = new RecallBlockFilter(); // a leading <recall> block is held back and dropped (recallBlockFilter.ts)
  const toolCalls = new ToolCallExtractor(request.tools);
  let text = ''; // what the model wrote, tool calls included: what capture records
  let sent = ''; // what was written to the client: the extractor may still hold the start of a call
  let toolIndex = 0;
  const send = (out: Extracted): void => {
    if (out.text) stream.send(chunk({ content: out.text }, null));
    for (const call of out.calls) stream.send(chunk({ tool_calls: [{ index: toolIndex++, ...call }] }, null));
    sent += out.text + (out.calls.length > 0 ? toolCallsAsText(out.calls) : '');
  };
  const emit = (piece: string): void => {
    if (!piece) return;
    text += piece;
    send(toolCalls.push(recall.push(piece)));
  };
  let result: GenerateResult;
  try {
    result = await generate(request, lease, serving, deps, (piece) => emit(filter.push(piece)), signal);
  } catch (error) {
    const failure = asOpenAIError(error);
    deps.log('warn', `gateway stream ${id} failed: ${failure.message}`);
    if (!stream.fail(failure.body())) throw failure; // nothing sent yet: a plain HTTP error with its status
    return;
  }
  // The client left: what it was sent is recorded as not delivered in full, never as a finished or cut-off answer.
  if (result.finish_reason === 'cancelled' || signal.aborted) {
    await capture(deps, request, lease, recall.dropped + sent, 'cancelled', startedAt);
    return;
  }
  emit(filter.flush());
  send(toolCalls.push(recall.flush()));
  send(toolCalls.flush());
  const finishReason = toolCalls.calls.length > 0 ? 'tool_calls' : filter.stopped ? 'stop' : result.finish_reason;
  await capture(deps, request, lease, text, finishReason, startedAt, toolCalls.calls.map((c) => c.function.name));
  stream.send(chunk({}, finishReason));
  if (request.includeUsage) stream.send({ id, object: 'chat.completion.chunk', created, model: lease.version.model, choices: [], usage: usageOf(result) });
  stream.end();
}

/** Runs the generation on the backend that serves the version (the engine unless backendFor says otherwise). Tools travel as a Hermes-style system message (toolCalls.ts), so every backend sees the same convention. */
export async function generate(request: RecallingRequest, lease: VersionLease, serving: ServedVersions, deps: GatewayDeps, onToken: ((text: string) => void) | undefined, signal: AbortSignal = new AbortController().signal): Promise<GenerateResult> {
  const backend = deps.backendFor?.(lease) ?? new EngineBackend(deps.engine, async () => serving, deps.log);
  const result = await backend.generate({
    lease, messages: messagesWithTools(messagesWithRecall(request.messages, request.recalled), request.tools), stop: request.stop, signal, onText: onToken,
    maxTokens: request.maxTokens, temperature: request.temperature, topP: request.topP, seed: request.seed,
    ...(request.responseFormat.type !== 'text' ? { responseFormat: request.responseFormat } : {}),
  });
  return { text: result.text, prompt_tokens: result.promptTokens, completion_tokens: result.completionTokens, adapter: lease.adapter, finish_reason: result.finishReason };
}

export async function capture(deps: GatewayDeps, request: RecallingRequest, lease: VersionLease, response: string, finishReason: string, startedAt: number, toolsUsed: string[] = []): Promise<void> {
  if (!deps.capture) return;
  try {
    await deps.capture.record(capturedExchange({ messages: request.messages, response, model: lease.version.model, startedAt, endedAt: Date.now(), finishReason, serverToken: deps.serverToken, recalledLessons: request.recalled.map((l) => l.id), toolsUsed }));
  } catch (error) {
    deps.log('error', `could not buffer a gateway exchange: ${(error as Error).message}`);
  }
}

export function usageOf(result: GenerateResult): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  return { prompt_tokens: result.prompt_tokens, completion_tokens: result.completion_tokens, total_tokens: result.prompt_tokens + result.completion_tokens };
}

export function asOpenAIError(error: unknown): OpenAIError {
  if (error instanceof OpenAIError) return error;
  if (error instanceof EngineCallError) {
    if (error.code === 'bad_params') return new OpenAIError(400, error.message);
    if (error.code === 'context_length_exceeded') return new OpenAIError(400, error.message, 'invalid_request_error', 'messages', 'context_length_exceeded');
    if (error.code === 'engine_unavailable' || error.code === 'engine_exited') return new OpenAIError(503, error.message, 'server_error', null, 'engine_unavailable');
  }
  return new OpenAIError(500, `internal error: ${(error as Error).message}`, 'server_error', null, null);
}

export function replyError(res: ServerResponse, error: unknown): void {
  sendOpenAIError(res, asOpenAIError(error));
}
