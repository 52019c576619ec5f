// One WebSocket client. The first request must be `hello` with the protocol version; a mismatch is
// answered with a clear error and the connection is closed. After hello, requests are dispatched to
// the method handlers and server events are pushed; a client that said capture: true also receives
// gateway exchanges, which it acknowledges with ackCapture.
import type { WebSocket } from 'ws';
import {
  TRAINER_PROTOCOL_VERSION, type CapturedExchange, type TrainerEvent, type TrainerMethod, type TrainerMethods,
} from '../../../extension/protocol/trainerProtocol';
import { TrainerMethodError } from './trainerMethodError';

export type MethodHandlers = {
  [M in TrainerMethod]: (params: TrainerMethods[M]['params'], session: WsSession) => Promise<TrainerMethods[M]['result']>;
};

export const CLOSE_PROTOCOL_MISMATCH = 4002;

export class WsSession {
  private greeted = false;
  /** Set by hello {capture: true}; the backlog is replayed once the hello reply has gone out. */
  wantsCapture = false;
  captureSubscription: (() => void) | undefined;

  constructor(
    private readonly ws: WebSocket,
    private readonly handlers: MethodHandlers,
    private readonly onGreeted: (session: WsSession) => void,
    onClosed: (session: WsSession) => void,
  ) {
    ws.on('message', (data, isBinary) => void this.onMessage(isBinary ? null : data.toString()));
    ws.on('close', () => {
      this.captureSubscription?.();
      onClosed(this);
    });
    ws.on('error', () => undefined); // 'close' follows and cleans up
  }

  get isGreeted(): boolean {
    return this.greeted;
  }

  sendEvent(event: TrainerEvent): void {
    this.send(event);
  }

  sendCapture(exchanges: CapturedExchange[]): void {
    this.send({ event: 'capture', exchanges });
  }

  private async onMessage(text: string | null): Promise<void> {
    let message: { id?: unknown; method?: unknown; params?: unknown };
    try {
      if (text === null) throw new Error('binary frames are not part of the protocol; send JSON text');
      message = JSON.parse(text);
      if (typeof message !== 'object' || message === null || Array.isArray(message)) throw new Error('a request must be a JSON object');
    } catch (error) {
      this.send({ id: null, error: { code: 'bad_request', message: (error as Error).message } });
      return;
    }
    const id = typeof message.id === 'number' || typeof message.id === 'string' ? message.id : null;
    try {
      if (id === null) throw new TrainerMethodError('bad_request', 'a request needs "id" (a number or a string)');
      const method = message.method;
      if (typeof method !== 'string' || !Object.hasOwn(this.handlers, method)) {
        throw new TrainerMethodError('unknown_method', `unknown method ${JSON.stringify(method)}; known: ${Object.keys(this.handlers).join(', ')}`);
      }
      const params = (message.params ?? {}) as Record<string, unknown>;
      if (typeof params !== 'object' || Array.isArray(params)) throw new TrainerMethodError('bad_request', '"params" must be an object');
      if (method === 'hello') this.checkHello(params);
      else if (!this.greeted) throw new TrainerMethodError('hello_required', 'send hello {protocol, client} first');
      const handler = this.handlers[method as TrainerMethod] as (p: unknown, s: WsSession) => Promise<unknown>;
      const result = await handler(params, this);
      this.send({ id, result });
      if (method === 'hello' && !this.greeted) {
        this.greeted = true;
        this.onGreeted(this);
      }
    } catch (error) {
      const code = error instanceof TrainerMethodError ? error.code : 'internal';
      this.send({ id, error: { code, message: (error as Error).message } });
      if (code === 'protocol_mismatch') this.ws.close(CLOSE_PROTOCOL_MISMATCH, 'protocol version mismatch');
    }
  }

  private checkHello(params: Record<string, unknown>): void {
    if (params.protocol !== TRAINER_PROTOCOL_VERSION) {
      throw new TrainerMethodError('protocol_mismatch', `this trainer-server speaks protocol ${TRAINER_PROTOCOL_VERSION}, the client speaks ${JSON.stringify(params.protocol)}; update the older side (extension or trainer-server) so both match`);
    }
    if (typeof params.client !== 'string' || !params.client) throw new TrainerMethodError('bad_request', 'hello needs "client" (a name such as "vscode-extension" or "cli")');
  }

  private send(message: unknown): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }
}
