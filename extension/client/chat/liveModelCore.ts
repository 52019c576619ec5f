// The live version as a chat model of the editor, without the 'vscode' import: which models the
// provider lists, how the editor's request messages become the gateway's OpenAI messages, and how the
// gateway's streamed deltas reach the editor. liveModelProvider.ts wraps this in the editor's API.
// Capture: these requests carry `x-autodidact-source: editor-chat` and no interaction id, so the
// gateway records each exchange itself, once (the extension records nothing for them).
import { LIVE_MODEL_NAME } from '../../protocol/trainerProtocol';
import type { CancellationLike, ChatMessage, GatewayClient } from './gatewayClient';

/** The vendor in package.json's `languageModelChatProviders` and in registerLanguageModelChatProvider. */
export const LIVE_MODEL_VENDOR = 'autodidact';
export const CONNECT_COMMAND_TITLE = 'Autodidact: Connect to Trainer-Server';

/** Structurally vscode.LanguageModelChatInformation (finalized in VS Code 1.104). */
export interface LiveModelInformation {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly version: string;
  readonly detail?: string;
  readonly tooltip?: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly capabilities: { readonly imageInput?: boolean; readonly toolCalling?: boolean | number };
}

/** Structurally vscode.LanguageModelChatRequestMessage: content parts are classes the editor owns. */
export interface ProviderMessageLike {
  readonly role: number;
  readonly content: ReadonlyArray<unknown>;
}

// vscode.LanguageModelChatMessageRole: User = 1, Assistant = 2; System = 3 is the proposed system role.
const ROLES: Record<number, ChatMessage['role']> = { 1: 'user', 2: 'assistant', 3: 'system' };

// What the editor budgets a prompt and an answer with. The trainer-server does not report its base
// model's context length, so these are modest figures.
const MAX_INPUT_TOKENS = 8192;
const MAX_OUTPUT_TOKENS = 2048;

export interface LiveModelState {
  connected: boolean;
  /** The live version's name (v3...), shown beside the model in the picker. */
  liveVersion?: string;
  baseModel?: string;
}

/** One model while the trainer-server is connected, none otherwise (the editor then offers its own). */
export function liveModelInformation(state: LiveModelState): LiveModelInformation[] {
  if (!state.connected) return [];
  return [{
    id: LIVE_MODEL_NAME,
    name: 'Autodidact (live version)',
    family: LIVE_MODEL_NAME,
    version: state.liveVersion ?? 'live',
    detail: state.liveVersion,
    tooltip: [
      'Your own trained model, answered by the Autodidact trainer-server; every exchange is captured.',
      ...(state.liveVersion ? [`Live version: ${state.liveVersion}`] : []),
      ...(state.baseModel ? [`Base model: ${state.baseModel}`] : []),
    ].join('\n'),
    maxInputTokens: MAX_INPUT_TOKENS,
    maxOutputTokens: MAX_OUTPUT_TOKENS,
    // The editor's chat lists only tool-calling models in Agent, its only built-in mode (VS Code 1.139), so
    // the live version says it takes tools; it answers in text and calls none (the gateway sends no tool calls).
    capabilities: { imageInput: false, toolCalling: true },
  }];
}

/** The editor's messages as OpenAI chat messages; parts with no text are dropped, tool parts become text. */
export function toGatewayMessages(messages: readonly ProviderMessageLike[]): ChatMessage[] {
  const converted: ChatMessage[] = [];
  for (const message of messages) {
    const role = ROLES[message.role];
    if (!role) throw new Error(`a chat message has a role the live version does not know (${message.role})`);
    const content = message.content.map(partText).filter((text) => text.length > 0).join('');
    if (content) converted.push({ role, content });
  }
  return converted;
}

/**
 * Text of one content part. The live version calls no tools, but a conversation begun with another
 * model may hold tool calls and results: they are kept as text so the live version sees what happened.
 */
function partText(part: unknown): string {
  if (typeof part === 'string') return part;
  if (typeof part !== 'object' || part === null) return '';
  const p = part as Record<string, unknown>;
  if (typeof p.value === 'string') return p.value; // LanguageModelTextPart
  if (typeof p.callId === 'string' && typeof p.name === 'string') { // LanguageModelToolCallPart
    return `\n[tool call ${p.name} ${JSON.stringify(p.input ?? {})}]\n`;
  }
  if (typeof p.callId === 'string' && Array.isArray(p.content)) { // LanguageModelToolResultPart
    return `\n[tool result]\n${p.content.map(partText).join('')}\n`;
  }
  if (typeof p.mimeType === 'string' && p.data instanceof Uint8Array && isTextMime(p.mimeType)) { // LanguageModelDataPart
    return new TextDecoder().decode(p.data);
  }
  // Images (the model declares no image input) and the editor's cache hints carry no text for it.
  return '';
}

function isTextMime(mime: string): boolean {
  return mime.startsWith('text/') || mime === 'application/json';
}

/**
 * Streams one answer: each delta goes to `report` as it arrives. Throws, naming the command that
 * connects, when the trainer-server is not connected (the editor shows the message in the chat).
 */
export async function streamLiveAnswer(gateway: GatewayClient, messages: readonly ProviderMessageLike[], report: (text: string) => void, token: CancellationLike): Promise<void> {
  if (!gateway.available()) {
    throw new Error(`The Autodidact trainer-server is not connected. Run "${CONNECT_COMMAND_TITLE}" (and "Autodidact: Enter Trainer Token..." if asked), then ask again.`);
  }
  const converted = toGatewayMessages(messages);
  if (converted.length === 0) throw new Error('the request holds no text for the live version to answer');
  for await (const delta of gateway.chat(converted, token, { source: 'editor-chat' })) report(delta);
}

/** The gateway has no tokenizer endpoint: about four characters a token, as the editor only budgets with it. */
export function estimateTokens(text: string | ProviderMessageLike): number {
  const chars = typeof text === 'string' ? text.length : toGatewayMessages([text]).reduce((sum, m) => sum + m.content.length, 0);
  return Math.ceil(chars / 4);
}
