// A client of the trainer protocol (extension/protocol/trainerProtocol.ts) over one WebSocket: the
// token goes in the Authorization header, the hello checks protocol versions, replies are matched
// to requests by id, and pushed events go to listeners. Used by the CLI commands and the tests.
import WebSocket from 'ws';
import {
  TRAINER_PROTOCOL_VERSION, TRAINER_WS_SUBPROTOCOL, isTrainerEvent, type TrainerEvent, type TrainerMethod, type TrainerMethods, type TrainerStatus,
} from '../protocol/trainerProtocol';

export class TrainerCallError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export interface TrainerConnectOptions {
  client: string;
  capture?: boolean;
  timeoutMs?: number;
  /** Registered before hello, so events sent right after it (the capture backlog) are not missed. */
  onEvent?: (event: TrainerEvent) => void;
}

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

export class TrainerClient {
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(event: TrainerEvent) => void>();
  private readonly closeListeners = new Set<() => void>();
  private nextId = 1;
  status: TrainerStatus | undefined;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.onMessage(data.toString()));
    ws.on('close', (code, reason) => {
      const error = new TrainerCallError('closed', `the trainer-server closed the connection (${code}${reason.length ? `: ${reason}` : ''})`);
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
      for (const listener of this.closeListeners) listener();
    });
  }

  static async connect(url: string, token: string, options: TrainerConnectOptions): Promise<TrainerClient> {
    const ws = new WebSocket(url, [TRAINER_WS_SUBPROTOCOL], { headers: { authorization: `Bearer ${token}` }, handshakeTimeout: options.timeoutMs ?? 10_000 });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => { body += chunk.toString(); });
        res.on('end', () => reject(new TrainerCallError(res.statusCode === 401 ? 'unauthorized' : 'refused', `the trainer-server refused the connection (${res.statusCode}): ${body}`)));
      });
      ws.once('error', (error) => reject(new TrainerCallError('unreachable', `cannot reach the trainer-server at ${url}: ${error.message}`)));
    });
    const client = new TrainerClient(ws);
    if (options.onEvent) client.onEvent(options.onEvent);
    client.status = await client.call('hello', { protocol: TRAINER_PROTOCOL_VERSION, client: options.client, capture: options.capture ?? false });
    return client;
  }

  call<M extends TrainerMethod>(method: M, params: TrainerMethods[M]['params']): Promise<TrainerMethods[M]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.ws.readyState !== WebSocket.OPEN) {
        reject(new TrainerCallError('closed', 'the connection to the trainer-server is closed'));
        return;
      }
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  onEvent(listener: (event: TrainerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called once when the connection ends, whichever side closed it. */
  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    this.ws.close();
  }

  private onMessage(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (isTrainerEvent(message)) {
      for (const listener of this.listeners) listener(message);
      return;
    }
    const reply = message as { id?: number; result?: unknown; error?: { code: string; message: string } };
    const call = typeof reply.id === 'number' ? this.pending.get(reply.id) : undefined;
    if (!call) return;
    this.pending.delete(reply.id as number);
    if (reply.error) call.reject(new TrainerCallError(reply.error.code, reply.error.message));
    else call.resolve(reply.result);
  }
}
