// One running Python engine (`python -m engine.main --stdio`), spoken to in JSON lines: requests
// {id, method, params} on stdin, replies {id, result|error} and events {event, ...} on stdout.
// When the process dies every pending call is rejected with `engine_exited`; nothing waits forever.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as readline from 'node:readline';

export interface EngineLaunch {
  python: string;
  /** The folder holding the `engine` package (trainer-server/); the engine runs with it as cwd. */
  engineDir: string;
  workdir: string;
  threads?: number;
  env?: NodeJS.ProcessEnv;
  readyTimeoutMs?: number;
}

export class EngineCallError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export type EngineEvent = { event: string; [field: string]: unknown };
type Pending = { method: string; resolve(value: unknown): void; reject(error: Error): void; onToken?: (text: string) => void };

const STDERR_TAIL_LINES = 20;

export class EngineProcess {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly stderrTail: string[] = [];
  private exitDescription: string | undefined;
  readonly exited: Promise<string>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams, private readonly onEvent: (event: EngineEvent) => void, onStderr: (line: string) => void) {
    readline.createInterface({ input: child.stdout }).on('line', (line) => this.onLine(line));
    readline.createInterface({ input: child.stderr }).on('line', (line) => {
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
      onStderr(line);
    });
    child.stdin.on('error', () => undefined); // a dead engine's stdin errors; the exit handler reports it
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exitDescription = signal ? `engine exited on signal ${signal}` : `engine exited with code ${code}`;
        const error = new EngineCallError('engine_exited', `${this.exitDescription}${this.lastStderr()}`);
        for (const call of this.pending.values()) call.reject(error);
        this.pending.clear();
        resolve(this.exitDescription);
      });
    });
  }

  /** `onSpawned` receives the process before it is ready, so a caller can stop a start that is under way. */
  static async start(launch: EngineLaunch, onEvent: (event: EngineEvent) => void, onStderr: (line: string) => void, onSpawned?: (engine: EngineProcess) => void): Promise<EngineProcess> {
    const args = ['-m', 'engine.main', '--stdio', '--workdir', launch.workdir];
    if (launch.threads) args.push('--threads', String(launch.threads));
    const child = spawn(launch.python, args, {
      cwd: launch.engineDir,
      env: { ...process.env, ...launch.env, PYTHONUNBUFFERED: '1', TOKENIZERS_PARALLELISM: 'false' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => { markReady = resolve; });
    const engine = new EngineProcess(child, (event) => {
      if (event.event === 'log' && event.ready === true) markReady();
      onEvent(event);
    }, onStderr);
    onSpawned?.(engine);
    const spawnFailed = new Promise<never>((_, reject) => child.on('error', (error) => reject(new EngineCallError('engine_spawn_failed', `cannot start ${launch.python}: ${error.message}`))));
    const exitedEarly = engine.exited.then((how) => { throw new EngineCallError('engine_exited', `${how} before it was ready${engine.lastStderr()}`); });
    const timeoutMs = launch.readyTimeoutMs ?? 180_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new EngineCallError('engine_timeout', `engine not ready after ${timeoutMs} ms`)), timeoutMs); });
    try {
      await Promise.race([ready, spawnFailed, exitedEarly, timedOut]);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return engine;
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  get alive(): boolean {
    return this.exitDescription === undefined;
  }

  /**
   * Sends one request. When `signal` aborts while a generate runs, the engine is sent
   * `cancel {generation_id}`; the generate still resolves, with finish_reason "cancelled".
   */
  request<T>(method: string, params: Record<string, unknown>, onToken?: (text: string) => void, signal?: AbortSignal): Promise<T> {
    if (!this.alive) return Promise.reject(new EngineCallError('engine_exited', this.exitDescription ?? 'engine exited'));
    const id = this.nextId++;
    const cancel = (): void => {
      if (this.pending.has(id)) this.request('cancel', { generation_id: id }).catch(() => undefined);
    };
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject, onToken });
      this.child.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
      signal?.addEventListener('abort', cancel, { once: true });
    }).finally(() => signal?.removeEventListener('abort', cancel));
  }

  /** Asks the engine to stop; kills it if it has not exited within the grace period. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.alive) return;
    this.request('shutdown', {}).catch(() => undefined);
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private onLine(line: string): void {
    let message: { id?: number; result?: unknown; error?: { code: string; message: string }; event?: string };
    try {
      message = JSON.parse(line);
    } catch {
      this.onEvent({ event: 'log', level: 'warning', message: `engine wrote a non-JSON line: ${line.slice(0, 200)}` });
      return;
    }
    if (typeof message.event === 'string') {
      if (message.event === 'token' && typeof message.id === 'number') {
        this.pending.get(message.id)?.onToken?.(String((message as { text?: unknown }).text ?? ''));
        return;
      }
      this.onEvent(message as EngineEvent);
      return;
    }
    const call = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
    if (!call) return;
    this.pending.delete(message.id as number);
    if (message.error) call.reject(new EngineCallError(message.error.code, message.error.message));
    else call.resolve(message.result);
  }

  private lastStderr(): string {
    const tail = this.stderrTail.filter((line) => !/^\s*$/.test(line)).slice(-5).join('\n');
    return tail ? `; last engine output:\n${tail}` : '';
  }
}
