// Keeps one engine running: starts it, runs the boot step (load the base model) on every start,
// restarts it when it dies, and makes callers wait while it restarts instead of failing them.
// Generate calls go through their own lane with an in-flight limit: the engine batches the
// generations it holds (one decoding step for all of them) and runs control calls between steps, so
// the limit is the batch size; a generation cancelled while it waits in the lane never reaches it.
import type { EngineState } from '../../../extension/protocol/trainerProtocol';
import { EngineCallError, EngineProcess, type EngineEvent, type EngineLaunch } from './engineProcess';

export type LogFn = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface EngineSupervisorOptions {
  launch: EngineLaunch;
  /** Runs after each start, before any call is let through (e.g. load_base). */
  boot(engine: EngineProcess): Promise<void>;
  onEvent(event: EngineEvent): void;
  log: LogFn;
  maxInflightGenerate?: number;
  maxRestartAttempts?: number;
}

export type Lane = 'control' | 'generate';

/** The engine's batch size per adapter (engine/continuous_batching.py MAX_BATCH_ROWS). */
export const DEFAULT_MAX_INFLIGHT_GENERATE = 32;

export class EngineSupervisor {
  private engine: EngineProcess | undefined;
  private starting: EngineProcess | undefined;
  private readyPromise: Promise<EngineProcess> | undefined;
  private status: EngineState = { state: 'stopped', pid: null, restarts: 0 };
  private stopping = false;
  /** Increments on every successful start; per-start state (loaded adapters) is keyed by it. */
  incarnation = 0;
  private readonly generateQueue: Array<() => void> = [];
  private generateInflight = 0;
  private trainingLimit: number | undefined;

  constructor(private readonly options: EngineSupervisorOptions) {}

  get state(): EngineState {
    return { ...this.status, pid: this.engine?.alive ? this.engine.pid : null };
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.status = { ...this.status, state: 'starting' };
    this.readyPromise = this.launchOnce();
    await this.readyPromise;
  }

  /** Resolves with a ready engine, waiting through a restart; fails if the engine cannot be had. */
  async ready(): Promise<EngineProcess> {
    if (!this.readyPromise) throw new EngineCallError('engine_unavailable', 'the engine is not started');
    return this.readyPromise;
  }

  async call<T>(method: string, params: Record<string, unknown>, options: { lane?: Lane; onToken?: (text: string) => void; signal?: AbortSignal } = {}): Promise<T> {
    if (options.lane !== 'generate') return (await this.ready()).request<T>(method, params, options.onToken);
    await this.generateSlot(options.signal);
    try {
      return await (await this.ready()).request<T>(method, params, options.onToken, options.signal);
    } finally {
      this.generateInflight--;
      this.pumpGenerate();
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.status = { ...this.status, state: 'stopped' };
    // A start under way is stopped too: its process is known from the moment it is spawned.
    await Promise.all([this.engine?.stop(), this.starting?.stop()]);
    this.readyPromise?.catch(() => undefined);
  }

  /**
   * While a round trains, the engine runs generations between micro-batches and keeps taking them as
   * long as its inbox has one; with more than one in flight a steady gateway load can starve training.
   * One at a time lets every micro-batch through. `undefined` restores the normal limit.
   */
  limitGenerateWhileTraining(limit: number | undefined): void {
    this.trainingLimit = limit;
    this.pumpGenerate();
  }

  /** Waits for a free generate slot; an abort while waiting leaves the queue with `cancelled`. */
  private generateSlot(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(new EngineCallError('cancelled', 'the client went away before generation started'));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const at = this.generateQueue.indexOf(grant);
        if (at < 0) return;
        this.generateQueue.splice(at, 1);
        reject(new EngineCallError('cancelled', 'the client went away before generation started'));
      };
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.generateQueue.push(grant);
      this.pumpGenerate();
    });
  }

  private pumpGenerate(): void {
    const limit = this.trainingLimit ?? this.options.maxInflightGenerate ?? DEFAULT_MAX_INFLIGHT_GENERATE;
    while (this.generateInflight < limit && this.generateQueue.length > 0) {
      this.generateInflight++;
      this.generateQueue.shift()?.();
    }
  }

  private async launchOnce(): Promise<EngineProcess> {
    const engine = await EngineProcess.start(this.options.launch, this.options.onEvent, (line) => this.onStderr(line), (spawned) => { this.starting = spawned; });
    try {
      if (this.stopping) throw new EngineCallError('engine_unavailable', 'the trainer-server is stopping');
      await this.options.boot(engine);
      if (this.stopping) throw new EngineCallError('engine_unavailable', 'the trainer-server is stopping');
    } catch (error) {
      await engine.stop();
      throw error;
    } finally {
      this.starting = undefined;
    }
    this.engine = engine;
    this.incarnation++;
    this.status = { ...this.status, state: 'ready', pid: engine.pid };
    void engine.exited.then((how) => this.onExit(engine, how));
    return engine;
  }

  private onExit(engine: EngineProcess, how: string): void {
    if (this.stopping || engine !== this.engine) return;
    this.options.log('warn', `${how}; restarting the engine`);
    this.status = { ...this.status, state: 'restarting', restarts: this.status.restarts + 1, lastExit: how };
    this.readyPromise = this.restartWithBackoff();
    this.readyPromise.catch(() => undefined); // callers see the failure through ready()
  }

  private async restartWithBackoff(): Promise<EngineProcess> {
    const attempts = this.options.maxRestartAttempts ?? 5;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts && !this.stopping; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 250 * 2 ** attempt)));
      try {
        const engine = await this.launchOnce();
        this.options.log('info', `engine restarted (pid ${engine.pid})`);
        return engine;
      } catch (error) {
        lastError = error;
        this.options.log('error', `engine restart failed: ${(error as Error).message}`);
      }
    }
    this.status = { ...this.status, state: 'failed' };
    throw new EngineCallError('engine_unavailable', `the engine could not be restarted: ${(lastError as Error | undefined)?.message ?? 'stopped'}`);
  }

  private onStderr(line: string): void {
    // Progress bars and warnings from transformers land here; only real errors are worth a log line.
    if (/Traceback|Error|error:/.test(line) && !/Warning/.test(line)) this.options.log('warn', `engine: ${line}`);
  }
}
