// Who records an exchange. The gateway captures every exchange itself, except an @autodidact turn:
// the extension records that one (with its references, votes and the edits linked to its id) and says
// so with `x-autodidact-source: chat-participant` and the `x-autodidact-interaction-id` it recorded
// it under. Recording it here too would put every such turn in the store twice.
import type { IncomingHttpHeaders } from 'node:http';

const MAX_ID = 200;

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
}

/** True when the client records this exchange itself; both headers are needed, else the gateway records it (nothing is lost). */
export function recordedByClient(headers: IncomingHttpHeaders): boolean {
  const source = single(headers['x-autodidact-source'])?.trim();
  const interactionId = single(headers['x-autodidact-interaction-id'])?.trim();
  return source === 'chat-participant' && interactionId !== undefined && interactionId.length > 0 && interactionId.length <= MAX_ID;
}
