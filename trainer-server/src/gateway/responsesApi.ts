// POST /v1/responses: OpenAI's Responses API over the same versions, leases, recall and capture as
// chat completions (withLease, generate, capture), whole or streamed as the named events the openai
// SDKs and Codex CLI parse (response.created ... response.output_text.delta ... response.completed).
// The output is a message item and/or function_call items parsed from the model's tool calls.
// Stored responses (store is true by default) are kept in memory, for previous_response_id.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { VersionLease, ServedVersions } from '../serving/servedVersions';
import { abortOnDisconnect, asOpenAIError, capture, generate, recallHeaders, withLease, type CaptureOptions, type GatewayDeps, type GenerateResult, type RecallingRequest } from './chatCompletions';
import { parseResponsesRequest, type ResponsesRequest } from './responsesRequest';
import { RecallBlockFilter, withoutRecallBlock } from './recallBlockFilter';
import { SseStream } from './sseStream';
import { extractToolCalls, ToolCallExtractor, toolCallsAsText, type Extracted, type ToolCall } from './toolCalls';

type Message = ResponsesRequest['messages'][number];

/** Conversations of recent stored responses, oldest dropped first. */
class ResponseMemory {
  private readonly conversations = new Map<string, Message[]>();
  constructor(private readonly limit: number) {}
  get(id: string): Message[] | undefined { return this.conversations.get(id); }
  set(id: string, conversation: Message[]): void {
    this.conversations.set(id, conversation);
    while (this.conversations.size > this.limit) this.conversations.delete(this.conversations.keys().next().value as string);
  }
}

const memory = new ResponseMemory(256);

type Request = RecallingRequest & ResponsesRequest;

export async function handleResponses(body: unknown, res: ServerResponse, deps: GatewayDeps, captureOptions: CaptureOptions = { record: true }): Promise<void> {
  const parsed = parseResponsesRequest(body, (id) => memory.get(id));
  if (parsed.skippedTools.length > 0) deps.log('info', `responses: tools of type ${[...new Set(parsed.skippedTools)].join(', ')} are not offered to the model (only function tools are)`);
  const signal = abortOnDisconnect(res);
  await withLease(parsed, deps, captureOptions, 'text.format', (request, lease, serving, capturing) => {
    const full = { ...parsed, ...request } as Request;
    return full.stream ? streamResponse(full, lease, res, serving, capturing, signal) : wholeResponse(full, lease, res, serving, capturing, signal);
  });
}

const itemId = (prefix: string): string => `${prefix}_${randomUUID().replace(/-/g, '')}`;

interface OutputText { type: 'output_text'; text: string; annotations: []; logprobs: [] }
type OutputItem =
  | { type: 'message'; id: string; status: 'in_progress' | 'completed'; role: 'assistant'; content: OutputText[] }
  | { type: 'function_call'; id: string; call_id: string; name: string; arguments: string; status: 'in_progress' | 'completed' };

const textPart = (text: string): OutputText => ({ type: 'output_text', text, annotations: [], logprobs: [] });
const messageItem = (id: string, text: string, done: boolean): OutputItem => ({ type: 'message', id, status: done ? 'completed' : 'in_progress', role: 'assistant', content: done ? [textPart(text)] : [] });
const callItem = (call: ToolCall): OutputItem => ({ type: 'function_call', id: itemId('fc'), call_id: call.id, name: call.function.name, arguments: call.function.arguments, status: 'completed' });

/** The response object, as OpenAI returns it and as response.created/completed carry it. */
function responseObject(id: string, request: Request, lease: VersionLease, createdAt: number, state: { status: 'in_progress' | 'completed' | 'incomplete'; output: OutputItem[]; result?: GenerateResult }): Record<string, unknown> {
  return {
    id, object: 'response', created_at: Math.floor(createdAt / 1000), status: state.status, error: null,
    incomplete_details: state.status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: request.instructions, max_output_tokens: request.maxTokens ?? null, model: lease.version.model,
    output: state.output, parallel_tool_calls: request.echo.parallelToolCalls, previous_response_id: request.previousResponseId,
    reasoning: { effort: null, summary: null }, store: request.store, temperature: request.temperature ?? 1, text: request.echo.text,
    tool_choice: request.echo.toolChoice, tools: request.echo.tools, top_p: request.topP ?? 1, truncation: 'disabled',
    usage: state.result ? {
      input_tokens: state.result.prompt_tokens, input_tokens_details: { cached_tokens: 0 },
      output_tokens: state.result.completion_tokens, output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: state.result.prompt_tokens + state.result.completion_tokens,
    } : null,
    user: null, metadata: request.echo.metadata,
  };
}

/** Records the exchange once (as chat completions does) and remembers the conversation for a follow-up. */
async function finish(id: string, request: Request, lease: VersionLease, deps: GatewayDeps, text: string, calls: ToolCall[], result: GenerateResult, startedAt: number): Promise<'completed' | 'incomplete'> {
  const finishReason = calls.length > 0 ? 'tool_calls' : result.finish_reason;
  await capture(deps, request, lease, text, finishReason, startedAt, calls.map((c) => c.function.name));
  if (request.store) memory.set(id, [...request.conversation, { role: 'assistant', content: text }]);
  return calls.length === 0 && result.finish_reason === 'length' ? 'incomplete' : 'completed';
}

async function wholeResponse(request: Request, lease: VersionLease, res: ServerResponse, serving: ServedVersions, deps: GatewayDeps, signal: AbortSignal): Promise<void> {
  const startedAt = Date.now();
  const id = itemId('resp');
  const result = await generate(request, lease, serving, deps, undefined, signal);
  // A client that left got nothing, even when the backend finished the answer anyway.
  if (result.finish_reason === 'cancelled' || signal.aborted) {
    await capture(deps, request, lease, '', 'cancelled', startedAt);
    return;
  }
  const answer = extractToolCalls(withoutRecallBlock(result.text), request.tools); // capture keeps the block, the client does not see it
  const status = await finish(id, request, lease, deps, result.text, answer.calls, result, startedAt);
  const output: OutputItem[] = [
    ...(answer.text !== '' || answer.calls.length === 0 ? [messageItem(itemId('msg'), answer.text, true)] : []),
    ...answer.calls.map(callItem),
  ];
  const payload = JSON.stringify(responseObject(id, request, lease, startedAt, { status, output, result }));
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), 'x-autodidact-version': lease.version.name, ...recallHeaders(request) });
  res.end(payload);
}

async function streamResponse(request: Request, lease: VersionLease, res: ServerResponse, serving: ServedVersions, deps: GatewayDeps, signal: AbortSignal): Promise<void> {
  const startedAt = Date.now();
  const id = itemId('resp');
  let sequence = 0;
  const output: OutputItem[] = [];
  const write = (type: string, fields: Record<string, unknown>): void => stream.send({ type, sequence_number: sequence++, ...fields }, type);
  // The stream opens on its first event or after a wait (SseStream); either way response.created comes first.
  let begun = false;
  const begin = (): void => {
    if (begun) return;
    begun = true;
    const response = responseObject(id, request, lease, startedAt, { status: 'in_progress', output: [] });
    write('response.created', { response });
    write('response.in_progress', { response });
  };
  const event = (type: string, fields: Record<string, unknown>): void => { begin(); write(type, fields); };
  const stream: SseStream = new SseStream(res, { 'x-autodidact-version': lease.version.name, ...recallHeaders(request) }, begin);

  // The message item opens with the first text and closes before a call or at the end.
  let message: { id: string; index: number; text: string } | undefined;
  const closeMessage = (): void => {
    if (!message) return;
    const { id: item_id, index: output_index, text } = message;
    event('response.output_text.done', { item_id, output_index, content_index: 0, text, logprobs: [] });
    event('response.content_part.done', { item_id, output_index, content_index: 0, part: textPart(text) });
    const item = messageItem(item_id, text, true);
    output[output_index] = item;
    event('response.output_item.done', { output_index, item });
    message = undefined;
  };
  let sent = ''; // what was written to the client: the extractor may still hold the start of a call
  const send = (out: Extracted): void => {
    sent += out.text + (out.calls.length > 0 ? toolCallsAsText(out.calls) : '');
    if (out.text) {
      if (!message) {
        message = { id: itemId('msg'), index: output.length, text: '' };
        output.push(messageItem(message.id, '', false));
        event('response.output_item.added', { output_index: message.index, item: messageItem(message.id, '', false) });
        event('response.content_part.added', { item_id: message.id, output_index: message.index, content_index: 0, part: textPart('') });
      }
      message.text += out.text;
      event('response.output_text.delta', { item_id: message.id, output_index: message.index, content_index: 0, delta: out.text, logprobs: [] });
    }
    for (const call of out.calls) {
      closeMessage();
      const item = callItem(call);
      const output_index = output.length;
      output.push(item);
      event('response.output_item.added', { output_index, item: { ...item, arguments: '', status: 'in_progress' } });
      event('response.function_call_arguments.delta', { item_id: item.id, output_index, delta: call.function.arguments });
      event('response.function_call_arguments.done', { item_id: item.id, output_index, name: call.function.name, arguments: call.function.arguments });
      event('response.output_item.done', { output_index, item });
    }
  };

  const recall = new RecallBlockFilter(); // a leading <recall> block is held back and dropped (recallBlockFilter.ts)
  const toolCalls = new ToolCallExtractor(request.tools);
  let text = '';
  let result: GenerateResult;
  try {
    result = await generate(request, lease, serving, deps, (piece) => { text += piece; send(toolCalls.push(recall.push(piece))); }, signal);
  } catch (error) {
    const failure = asOpenAIError(error);
    deps.log('warn', `gateway response stream ${id} failed: ${failure.message}`);
    if (!stream.fail({ type: 'error', sequence_number: sequence++, code: failure.code, message: failure.message, param: failure.param }, 'error')) throw failure;
    return;
  }
  // The client left: what it was sent is recorded as not delivered in full, never as a finished or cut-off answer.
  if (result.finish_reason === 'cancelled' || signal.aborted) {
    await capture(deps, request, lease, recall.dropped + sent, 'cancelled', startedAt);
    return;
  }
  send(toolCalls.push(recall.flush()));
  send(toolCalls.flush());
  if (output.length === 0) { // an empty answer is still one (empty) message
    message = { id: itemId('msg'), index: 0, text: '' };
    output.push(messageItem(message.id, '', false));
    event('response.output_item.added', { output_index: 0, item: messageItem(message.id, '', false) });
    event('response.content_part.added', { item_id: message.id, output_index: 0, content_index: 0, part: textPart('') });
  }
  closeMessage();
  const status = await finish(id, request, lease, deps, text, toolCalls.calls, result, startedAt);
  event(status === 'completed' ? 'response.completed' : 'response.incomplete', { response: responseObject(id, request, lease, startedAt, { status, output, result }) });
  stream.end(false);
}
