// Checks every HTTP request and WebSocket upgrade must pass before the token is even looked at:
// a browser page must not be able to drive the server (foreign Origin), nor reach it through a
// DNS name that merely resolves to 127.0.0.1 (Host check against rebinding).
import type { IncomingMessage } from 'node:http';
import { bearerToken, subprotocolToken, tokenMatches } from './accessToken';

export interface GuardOptions {
  token: string;
  /** The address the server was bound to. */
  host: string;
  /** Origins allowed besides none at all (Node clients send no Origin). */
  allowedOrigins: readonly string[];
}

export type GuardVerdict = { ok: true } | { ok: false; status: 401 | 403; message: string };

const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]']);

function hostnameOf(hostHeader: string): string {
  if (hostHeader.startsWith('[')) return hostHeader.slice(0, hostHeader.indexOf(']') + 1);
  return hostHeader.split(':')[0];
}

export function checkOriginAndHost(request: IncomingMessage, options: GuardOptions): GuardVerdict {
  const origin = request.headers.origin;
  if (origin !== undefined && !options.allowedOrigins.includes(origin)) {
    return { ok: false, status: 403, message: `origin ${origin} is not allowed (start the server with --allow-origin to permit it)` };
  }
  if (!WILDCARD_HOSTS.has(options.host)) {
    const hostname = hostnameOf(request.headers.host ?? '').toLowerCase();
    if (!LOOPBACK_NAMES.has(hostname) && hostname !== options.host.toLowerCase()) {
      return { ok: false, status: 403, message: `host ${hostname || '(none)'} is not this server` };
    }
  }
  return { ok: true };
}

/** HTTP: `Authorization: Bearer <token>`. */
export function checkHttpToken(request: IncomingMessage, options: GuardOptions): GuardVerdict {
  if (tokenMatches(options.token, bearerToken(request.headers.authorization))) return { ok: true };
  return { ok: false, status: 401, message: 'missing or wrong token: send Authorization: Bearer <token> (see the token file in the trainer home)' };
}

/** WebSocket: the Bearer header, or a `autodidact-token.<token>` subprotocol for clients without headers. */
export function checkWsToken(request: IncomingMessage, options: GuardOptions): GuardVerdict {
  const offered = String(request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const presented = bearerToken(request.headers.authorization) ?? subprotocolToken(offered);
  if (tokenMatches(options.token, presented)) return { ok: true };
  return { ok: false, status: 401, message: 'missing or wrong token' };
}
