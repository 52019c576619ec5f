// Numbered requests to the extension host, answered by a `response` with the same id (GitLens-style
// IpcRequest). A request the host never answers fails after a timeout instead of spinning forever.
import type { HostToWebview, PanelRequestMethod, PanelRequests, WebviewToHost } from '../extension/protocol/webviewProtocol';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: ReturnType<typeof setTimeout> };

export class PanelRpc {
  // Ids start at random, so a late answer meant for the document this one replaced (the view was
  // hidden and shown) cannot match a request of this one.
  private next = Math.floor(Math.random() * 2 ** 30);
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly post: (message: WebviewToHost) => void, private readonly timeoutMs = 120_000) {}

  request<M extends PanelRequestMethod>(method: M, params: PanelRequests[M]['params']): Promise<PanelRequests[M]['result']> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('No answer from the extension; try again, or see Autodidact: Show Log.'));
      }, this.timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      this.post({ type: 'request', id, method, params } as WebviewToHost);
    });
  }

  /** Returns true when the message was a response this RPC was waiting for. */
  receive(message: HostToWebview): boolean {
    if (message.type !== 'response') return false;
    const pending = this.pending.get(message.id);
    if (!pending) return false;
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if ('error' in message) pending.reject(new Error(message.error));
    else pending.resolve(message.result);
    return true;
  }
}
