// The trainer-server process: one HTTP server on one port that carries the OpenAI-compatible gateway
// (/v1/...) and the trainer protocol (WebSocket upgrade), both behind the same token.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TrainerEvent } from '../../extension/protocol/trainerProtocol';
import { loadOrCreateToken } from './auth/accessToken';
import type { GuardOptions } from './auth/requestGuards';
import type { LogFn } from './engineClient/engineSupervisor';
import { openTrainerHome } from './home/trainerHome';
import { LessonsFileReader, lessonsFilePath } from '../../extension/server/lessons/lessonsFile';
import { httpRequestListener } from './http/httpRoutes';
import { chooseBackend, describeServing, type BackendCandidates } from './serving/backendChoice';
import { lazyLlamaCppBackend } from './serving/llamaCpp/llamaCppServing';
import { lazyOllamaBackend } from './serving/ollama/ollamaServing';
import { OpenAIServerBackend, type OpenAIServerBackendOptions } from './serving/openaiServerBackend';
import { TrainerCore, type EngineLaunchOptions } from './trainerCore';
import { trainerMethodHandlers } from './ws/trainerMethodHandlers';
import { WsSession } from './ws/wsSession';
import { createUpgradeHandler } from './ws/wsUpgrade';

export interface TrainerServerOptions extends EngineLaunchOptions {
  host: string;
  port: number;
  homeDir: string;
  allowedOrigins?: string[];
  maxWsPayloadBytes?: number;
  maxHttpBodyBytes?: number;
  env?: NodeJS.ProcessEnv;
  log?: LogFn;
  /** vLLM or SGLang that generates for every version (its driver also gets every promotion and rollback). */
  generationServer?: Omit<OpenAIServerBackendOptions, 'serving'>;
}

export const DEFAULT_MAX_WS_PAYLOAD = 256 * 1024 * 1024;
export const DEFAULT_MAX_HTTP_BODY = 8 * 1024 * 1024;

export class TrainerServer {
  private constructor(
    readonly core: TrainerCore,
    private readonly server: http.Server,
    private readonly closeWs: () => void,
    readonly token: string,
    readonly tokenFile: string,
  ) {}

  static async start(options: TrainerServerOptions): Promise<TrainerServer> {
    const log = options.log ?? defaultLog;
    const home = openTrainerHome(options.homeDir);
    const { token, created } = loadOrCreateToken(home.tokenFile);
    if (created) log('info', `created a new access token in ${home.tokenFile}`);
    const sessions = new Set<WsSession>();
    const broadcast = (event: TrainerEvent): void => {
      for (const session of sessions) if (session.isGreeted) session.sendEvent(event);
    };
    // The backends that may serve versions; backendChoice picks one for the gateway and for the versions shown to clients.
    const backends: BackendCandidates = {
      openaiServer: options.generationServer && new OpenAIServerBackend({ ...options.generationServer, serving: async () => (await core.ready()).serving }),
      ollama: options.ollama && lazyOllamaBackend(() => core.ready()),
      llamaCpp: options.llamaCpp && lazyLlamaCppBackend(() => core.ready()),
    };
    const core = new TrainerCore({
      home, baseModel: options.baseModel, python: options.python, engineDir: options.engineDir, engineThreads: options.engineThreads,
      device: options.device, dtype: options.dtype, loadIn4bit: options.loadIn4bit, maxInflightGenerate: options.maxInflightGenerate,
      mirrors: [...(options.mirrors ?? []), ...(options.generationServer ? [options.generationServer.driver] : [])], ollama: options.ollama, llamaCpp: options.llamaCpp, env: options.env ?? process.env, emit: broadcast,
      servedBy: describeServing(backends), // the same candidates the gateway's choice uses
      log: (level, message) => {
        log(level, message);
        broadcast({ event: 'log', level, message });
      },
    });
    core.booted.catch(() => undefined); // reported through status and the log
    const guards: GuardOptions = { token, host: options.host, allowedOrigins: options.allowedOrigins ?? [] };
    const handlers = trainerMethodHandlers(core);
    const onGreeted = (session: WsSession): void => {
      if (session.wantsCapture) session.captureSubscription = core.capture.subscribe((exchanges) => session.sendCapture(exchanges));
    };
    const server = http.createServer(httpRequestListener({
      backendFor: chooseBackend(backends),
      guards, maxBodyBytes: options.maxHttpBodyBytes ?? DEFAULT_MAX_HTTP_BODY, engine: core.engine, capture: core.capture, log,
      lessons: new LessonsFileReader(lessonsFilePath(home.root), (message) => log('warn', message)),
      serving: async () => (await core.ready()).serving,
      versions: async () => (await core.ready()).registry.snapshot(),
    }));
    const upgrade = createUpgradeHandler(guards, options.maxWsPayloadBytes ?? DEFAULT_MAX_WS_PAYLOAD, (ws) => {
      const session = new WsSession(ws, handlers, onGreeted, (closed) => sessions.delete(closed));
      sessions.add(session);
    });
    server.on('upgrade', (req, socket, head) => upgrade.handleUpgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => resolve());
    });
    return new TrainerServer(core, server, () => upgrade.close(), token, home.tokenFile);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get httpUrl(): string {
    const { address, family } = this.server.address() as AddressInfo;
    return `http://${family === 'IPv6' ? `[${address}]` : address}:${this.port}`;
  }

  get wsUrl(): string {
    return this.httpUrl.replace(/^http/, 'ws');
  }

  async stop(): Promise<void> {
    this.closeWs();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await this.core.stop();
  }
}

function defaultLog(level: 'info' | 'warn' | 'error', message: string): void {
  process.stderr.write(`[trainer ${new Date().toISOString()}] ${level.toUpperCase()} ${message}\n`);
}
