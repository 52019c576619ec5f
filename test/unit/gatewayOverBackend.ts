// Test helper (not a test file): the trainer-server's real HTTP routes on loopback with a real capture
// buffer on disk, serving one version through a backend double the test scripts (a backend that
// misbehaves on purpose, or writes pieces where a tokenizer might cut them).
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaptureBuffer } from '../../trainer-server/src/capture/captureBuffer';
import { CaptureHub } from '../../trainer-server/src/capture/captureHub';
import type { EngineSupervisor } from '../../trainer-server/src/engineClient/engineSupervisor';
import { httpRequestListener } from '../../trainer-server/src/http/httpRoutes';
import type { GenerationBackend } from '../../trainer-server/src/serving/generationBackend';
import { ServedVersions } from '../../trainer-server/src/serving/servedVersions';
import { VersionRegistry } from '../../trainer-server/src/versions/versionRegistry';

export interface GatewayOverBackend { port: number; buffer: CaptureBuffer; close(): Promise<void> }

export async function startGatewayOverBackend(backend: GenerationBackend, token: string, prefix: string): Promise<GatewayOverBackend> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const registry = VersionRegistry.open(path.join(home, 'versions.json'), { id: 'base', requested: 'base', fallback: false });
  const serving = new ServedVersions(registry, [], () => undefined);
  const buffer = CaptureBuffer.open(path.join(home, 'capture'));
  const server = http.createServer(httpRequestListener({
    guards: { token, host: '127.0.0.1', allowedOrigins: [] }, maxBodyBytes: 1 << 20, log: () => undefined, capture: new CaptureHub(buffer),
    engine: undefined as unknown as EngineSupervisor, backendFor: () => backend,
    serving: async () => serving, versions: async () => registry.snapshot(),
  }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, buffer, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
