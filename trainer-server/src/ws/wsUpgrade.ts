// Accepting WebSocket connections on the HTTP server: the same Origin/Host guards as HTTP, the token
// as a Bearer header or a token subprotocol, and our protocol name selected (never the token).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { TOKEN_SUBPROTOCOL_PREFIX, TRAINER_WS_SUBPROTOCOL } from '../../../extension/protocol/trainerProtocol';
import { checkOriginAndHost, checkWsToken, type GuardOptions } from '../auth/requestGuards';

export function createUpgradeHandler(guards: GuardOptions, maxPayloadBytes: number, onConnection: (ws: WebSocket) => void): {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
} {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: maxPayloadBytes,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(TRAINER_WS_SUBPROTOCOL) ? TRAINER_WS_SUBPROTOCOL : false),
  });
  wss.on('connection', onConnection);
  return {
    handleUpgrade(req, socket, head) {
      const guard = checkOriginAndHost(req, guards);
      const verdict = guard.ok ? checkWsToken(req, guards) : guard;
      if (!verdict.ok) {
        const reason = verdict.status === 401 ? 'Unauthorized' : 'Forbidden';
        socket.end(`HTTP/1.1 ${verdict.status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(verdict.message)}\r\n\r\n${verdict.message}`);
        return;
      }
      const offered = String(req.headers['sec-websocket-protocol'] ?? '');
      if (offered && offered.includes(TOKEN_SUBPROTOCOL_PREFIX) && !offered.includes(TRAINER_WS_SUBPROTOCOL)) {
        const message = `offer the ${TRAINER_WS_SUBPROTOCOL} subprotocol alongside the token`;
        socket.end(`HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
