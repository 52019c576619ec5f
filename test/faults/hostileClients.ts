// Clients that misbehave on purpose, written on raw sockets where a well-behaved library would refuse
// to misbehave (the ws client never sends a frame it has not got the bytes for).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import WebSocket from 'ws';

/** Resident memory of a process, in MB (Linux /proc). */
export function rssOfMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * Opens a WebSocket with these headers. Resolves with the HTTP status that refused it, or, once
 * open, with the answer to `send` (or an empty object when there is nothing to send).
 */
export function openWebSocket(port: number, headers: Record<string, string>, send?: unknown): Promise<number | Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, ['autodidact-trainer.v1'], { headers });
    ws.once('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); res.resume(); });
    ws.once('error', reject);
    ws.once('open', () => {
      if (send === undefined) { ws.close(); resolve({}); return; }
      ws.once('message', (data) => { ws.close(); resolve(JSON.parse(data.toString()) as Record<string, unknown>); });
      ws.send(JSON.stringify(send));
    });
  });
}

/**
 * Completes a WebSocket handshake by hand, then sends the header of one masked binary frame that
 * announces `length` bytes, and a few bytes of it. Resolves with the close code the server sends.
 */
export function hugeFrameCloseCode(port: number, headers: Record<string, string>, length: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const key = randomBytes(16).toString('base64');
    let received = Buffer.alloc(0);
    let upgraded = false;
    const timer = setTimeout(() => { socket.destroy(); reject(new Error('no close frame within 10 s')); }, 10_000);
    socket.once('connect', () => {
      const lines = ['GET / HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade',
        `Sec-WebSocket-Key: ${key}`, 'Sec-WebSocket-Version: 13', ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!upgraded) {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = received.subarray(0, end).toString();
        if (!head.startsWith('HTTP/1.1 101')) { clearTimeout(timer); socket.destroy(); reject(new Error(`handshake refused: ${head.split('\r\n')[0]}`)); return; }
        upgraded = true;
        received = received.subarray(end + 4);
        const header = Buffer.alloc(14);
        header[0] = 0x82; // FIN + binary
        header[1] = 0x80 | 127; // masked, 64-bit length follows
        header.writeBigUInt64BE(BigInt(length), 2);
        randomBytes(4).copy(header, 10);
        socket.write(Buffer.concat([header, randomBytes(1024)]));
      }
      // A close frame from the server: 0x88, a short length, then the 2-byte code.
      if (received.length >= 4 && received[0] === 0x88) {
        clearTimeout(timer);
        socket.destroy();
        resolve(received.readUInt16BE(2));
      }
    });
    socket.once('error', (error) => { clearTimeout(timer); reject(error); });
  });
}
