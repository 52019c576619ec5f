// The chat participant's way to the trainer-server's gateway: an OpenAI-compatible
// /v1/chat/completions on the trainer URL's HTTP side, with a Bearer token, streamed as SSE.
// No 'vscode' import: the token parameter is anything shaped like a CancellationToken.
import { LIVE_MODEL_NAME } from '../../protocol/trainerProtocol';
import { completionDelta, SseParser } from './sseParser';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Structurally a vscode.CancellationToken. */
export interface CancellationLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => unknown): { dispose(): unknown };
}

/**
 * Who is asking. The gateway captures every exchange itself; for @autodidact the extension records
 * the turn (with references, votes and edits linked to this id), so the gateway should not record it
 * a second time: it is told through the `x-autodidact-source` and `x-autodidact-interaction-id` headers.
 */
export interface GatewayRequestContext {
  interactionId?: string;
  /** 'editor-chat': the live version answering as the editor's chat model; the gateway records those itself. */
  source?: 'chat-participant' | 'editor-chat';
}

export interface GatewayClient {
  /** True while the trainer-server is connected; the participant falls back to vscode.lm otherwise. */
  available(): boolean;
  /** Streams the answer's text. Ends quietly when `token` is cancelled; throws on a gateway error. */
  chat(messages: readonly ChatMessage[], token: CancellationLike, context?: GatewayRequestContext): AsyncIterable<string>;
  /** The model name recorded with the interaction. */
  readonly model?: string;
}

/** Where the gateway is and the token kept for that very origin, read together for each request. */
export type GatewayEndpoint = () => Promise<{ baseUrl: string; token: string | undefined }>;

export interface HttpGatewayOptions {
  /** http(s)://host:port of the trainer-server; see gatewayHttpUrl. */
  baseUrl?: string;
  /** The Bearer token (from context.secrets in the extension). */
  token?: () => string | undefined | Promise<string | undefined>;
  /** Instead of baseUrl and token: both from the current trainer URL, so a changed URL never gets the old server's token. */
  endpoint?: GatewayEndpoint;
  /** The model name sent in the request; default: the gateway's name for whatever version is live. */
  model?: string;
  isConnected?: () => boolean;
}

export class HttpGatewayClient implements GatewayClient {
  readonly model: string;

  constructor(private readonly options: HttpGatewayOptions) {
    this.model = options.model ?? LIVE_MODEL_NAME;
  }

  available(): boolean {
    return this.options.isConnected ? this.options.isConnected() : true;
  }

  private async endpoint(): Promise<{ baseUrl: string; token: string | undefined }> {
    if (this.options.endpoint) return this.options.endpoint();
    if (this.options.baseUrl === undefined || !this.options.token) throw new Error('the gateway client has no endpoint');
    return { baseUrl: this.options.baseUrl, token: await this.options.token() };
  }

  async *chat(messages: readonly ChatMessage[], token: CancellationLike, context: GatewayRequestContext = {}): AsyncIterable<string> {
    if (token.isCancellationRequested) return;
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort());
    try {
      const { baseUrl, token: bearer } = await this.endpoint();
      if (!bearer) throw new Error('no gateway token is set');
      const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${bearer}`, 'content-type': 'application/json', accept: 'text/event-stream',
          'x-autodidact-source': context.source ?? 'chat-participant',
          ...(context.interactionId ? { 'x-autodidact-interaction-id': context.interactionId } : {}),
        },
        body: JSON.stringify({ model: this.model, messages, stream: true }),
        signal: abort.signal,
      });
      if (!response.ok) {
        const body = await response.text().catch(() => '');
        throw new Error(`the gateway answered HTTP ${response.status}${body ? `: ${body.slice(0, 200)}` : ''}`);
      }
      if (!response.body) throw new Error('the gateway answered without a body');
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const parser = new SseParser();
      for (;;) {
        const { done, value } = await reader.read();
        const events = done ? parser.end() : parser.push(decoder.decode(value, { stream: true }));
        for (const event of events) {
          const delta = completionDelta(event.data);
          if (delta === undefined) { await reader.cancel(); return; }
          if (delta) yield delta;
        }
        if (done) return;
      }
    } catch (error) {
      if (token.isCancellationRequested) return; // the user stopped the request: not an error
      throw error;
    } finally {
      subscription.dispose();
    }
  }
}

/** `ws://127.0.0.1:7878` (the trainer URL setting) → `http://127.0.0.1:7878`. */
export function gatewayHttpUrl(trainerUrl: string): string {
  const url = new URL(trainerUrl);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  else if (url.protocol === 'wss:') url.protocol = 'https:';
  else if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`not a trainer URL: ${trainerUrl}`);
  return `${url.protocol}//${url.host}`;
}
