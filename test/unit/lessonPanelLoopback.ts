// Test helpers (not a test file): a temp folder with its clean-ups, and the analysis server's lesson
// handlers (registerLessonRequests) on one end of a real loopback socket, a JSON-RPC client on the
// other, as the editor's client talks to them.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after } from 'node:test';
import {
  createConnection, createMessageConnection, ProposedFeatures, SocketMessageReader, SocketMessageWriter, type MessageConnection,
} from 'vscode-languageserver/node';
import { DistilLessonRequest } from '../../extension/protocol/lessonsProtocol';
import { registerLessonRequests } from '../../extension/server/panel/lessonRequests';
import type { AutodidactStore } from '../../extension/server/store/autodidactStore';

export async function panelOverLoopback(store: AutodidactStore, cleanups: Array<() => unknown>): Promise<MessageConnection> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<net.Socket>((resolve) => listener.once('connection', resolve));
  const clientSocket = net.connect((listener.address() as net.AddressInfo).port, '127.0.0.1');
  const serverSocket = await accepted;
  const server = createConnection(ProposedFeatures.all, new SocketMessageReader(serverSocket), new SocketMessageWriter(serverSocket));
  registerLessonRequests(server, async () => store, () => undefined);
  server.listen();
  const client = createMessageConnection(new SocketMessageReader(clientSocket), new SocketMessageWriter(clientSocket));
  client.onRequest(DistilLessonRequest.type, () => ({ text: null, via: null })); // no model in this editor: the extractor distils
  client.listen();
  cleanups.push(() => { client.dispose(); clientSocket.destroy(); serverSocket.destroy(); listener.close(); });
  return client;
}

/** A temp folder for one test file, and clean-ups run after its tests (newest first), then the folder removed. */
export function testFolder(prefix: string): { root: string; cleanups: Array<() => unknown> } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const cleanups: Array<() => unknown> = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  });
  return { root, cleanups };
}
