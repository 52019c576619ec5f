// Everything behind the trainer-server's ports: the engine, the base model, the lineage of versions
// for that base model, the round queue, hot-swap serving and the capture outbox. Booting (planning
// and loading the base model) runs in the background; callers that need it await `booted`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  TRAINER_PROTOCOL_VERSION, type BaseModelInfo, type RoundManifest, type TrainerEvent, type TrainerMethods, type TrainerStatus, type ServedBy, type VersionRecord, type VersionsSnapshot,
} from '../../extension/protocol/trainerProtocol';
import { bootFirstBase, loadBase, type LoadSpec } from './baseModel/baseModelBoot';
import { planBaseModel, type BaseModelPlan } from './baseModel/baseModelPlan';
import { ensureGgufBaseFolder, isGgufFile } from './baseModel/ggufBaseModel';
import { CaptureBuffer } from './capture/captureBuffer';
import { CaptureHub } from './capture/captureHub';
import { DatasetStore } from './datasets/datasetStore';
import { EngineSupervisor, type LogFn } from './engineClient/engineSupervisor';
import { lineagePaths, type LineagePaths, type TrainerHome } from './home/trainerHome';
import { promotionPolicyFrom } from './rounds/promotionDecision';
import { RoundQueue } from './rounds/roundQueue';
import { RoundRunner } from './rounds/roundRunner';
import { RoundStore } from './rounds/roundStore';
import type { AdapterDriver } from './serving/adapterDriver';
import { EngineAdapterDriver } from './serving/engineAdapterDriver';
import { startLlamaCppServing, type LlamaCppServing } from './serving/llamaCpp/llamaCppServing';
import { createOllamaServing, type OllamaConfig, type OllamaServing } from './serving/ollama/ollamaServing';
import { ServedVersions } from './serving/servedVersions';
import { VersionRegistry } from './versions/versionRegistry';
import { TrainerMethodError } from './ws/trainerMethodError';

export const SERVER_VERSION = '0.1.0';

/** How the engine is launched and served; shared by the server's options and the core's. */
export interface EngineLaunchOptions {
  baseModel: string;
  python: string;
  engineDir: string;
  engineThreads?: number;
  device?: string;
  dtype?: string;
  loadIn4bit?: boolean;
  maxInflightGenerate?: number;
  /** Extra adapter drivers that mirror promotions and rollbacks (a vLLM server). */
  mirrors?: AdapterDriver[];
  /** Serve every version through this Ollama as autodidact:vX.Y (trainer-server option only). */
  ollama?: OllamaConfig;
  /** Serve every version through llama.cpp (--serve llama-cpp): the GGUF base with each version's adapter as a GGUF LoRA. */
  llamaCpp?: LlamaCppLaunch;
  /** Which backend serves a version, shown in version snapshots (backendChoice.describeServing). */
  servedBy?: (version: VersionRecord) => ServedBy;
}

export interface LlamaCppLaunch {
  /** The GGUF to serve; default: --base-model when it is a .gguf file. */
  gguf?: string;
  threads?: number;
  contextSize?: number;
  parallel?: number;
}

export interface TrainerCoreOptions extends EngineLaunchOptions {
  home: TrainerHome;
  env: NodeJS.ProcessEnv;
  log: LogFn;
  emit(event: TrainerEvent): void;
}

export interface Lineage {
  baseModel: BaseModelInfo;
  paths: LineagePaths;
  registry: VersionRegistry;
  rounds: RoundStore;
  serving: ServedVersions;
  runner: RoundRunner;
  queue: RoundQueue;
  /** Present when an Ollama URL is configured (and the base is not the fallback). */
  ollama?: OllamaServing;
  /** Present with --serve llama-cpp: the running llama.cpp serving, or why it could not start. */
  llamaCpp?: LlamaCppServing | { error: string };
}

export class TrainerCore {
  readonly engine: EngineSupervisor;
  readonly datasets: DatasetStore;
  readonly capture: CaptureHub;
  readonly booted: Promise<Lineage>;
  private lineage: Lineage | undefined;
  private bootError: string | undefined;
  private runnerRef: RoundRunner | undefined;

  constructor(private readonly options: TrainerCoreOptions) {
    this.datasets = new DatasetStore(options.home.datasetsDir);
    this.capture = new CaptureHub(CaptureBuffer.open(options.home.captureDir));
    let spec: LoadSpec | undefined;
    let info: BaseModelInfo | undefined;
    const launchEnv: NodeJS.ProcessEnv = {};
    this.engine = new EngineSupervisor({
      launch: { python: options.python, engineDir: options.engineDir, workdir: options.home.root, threads: options.engineThreads, env: launchEnv },
      boot: async (engine) => {
        if (spec) {
          await loadBase(engine, spec);
          return;
        }
        const first = await bootFirstBase(engine, {
          requested: options.baseModel, plan: await plannedBase, fallbackDir: options.home.tinyFallbackDir, python: options.python,
          engineDir: options.engineDir, device: options.device, dtype: options.dtype, loadIn4bit: options.loadIn4bit, log: options.log, env: options.env,
        });
        spec = first.spec;
        info = first.info;
      },
      onEvent: (event) => {
        const progress = event.event === 'progress' ? this.runnerRef?.progressEvent(event) : undefined;
        if (progress) options.emit(progress);
        if (event.event === 'log' && (event.level === 'warning' || event.level === 'error')) options.log(event.level === 'error' ? 'error' : 'warn', `engine: ${String(event.message)}`);
      },
      log: options.log,
      maxInflightGenerate: options.maxInflightGenerate,
    });
    // A GGUF file is converted once into a plain folder under the home for the engine (llama.cpp serves the file itself).
    const trainable: Promise<BaseModelPlan | string> = isGgufFile(options.baseModel)
      ? ensureGgufBaseFolder(options.baseModel, path.join(options.home.root, 'models', 'gguf'), options.python, options.engineDir).catch((error: Error) => ({ kind: 'fallback' as const, reason: error.message }))
      : Promise.resolve(options.baseModel);
    const plannedBase = trainable.then((model) => (typeof model === 'string' ? planBaseModel(model, options.env) : model)).then((plan) => {
      if (plan.kind === 'fallback' || plan.offline) Object.assign(launchEnv, { HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1' });
      return plan;
    });
    this.booted = plannedBase.then(() => this.engine.start()).then(() => this.openLineage(info as BaseModelInfo));
    this.booted.then(
      () => options.emit({ event: 'status', status: this.status() }),
      (error: Error) => {
        this.bootError = `the trainer cannot start its engine: ${error.message}`;
        options.log('error', this.bootError);
        options.emit({ event: 'status', status: this.status() });
      },
    );
  }

  /** The lineage once booted; a clear error when booting failed. */
  async ready(): Promise<Lineage> {
    try {
      return await this.booted;
    } catch {
      throw new TrainerMethodError('engine_unavailable', this.bootError ?? 'the engine failed to start');
    }
  }

  status(): TrainerStatus {
    const lineage = this.lineage;
    return {
      protocol: TRAINER_PROTOCOL_VERSION, server: { name: 'autodidact-trainer', version: SERVER_VERSION },
      baseModel: lineage?.baseModel ?? null, live: lineage?.registry.live.name ?? null, engine: this.engine.state,
      queue: lineage?.queue.snapshot() ?? { running: null, queued: [] }, captureBuffered: this.capture.buffered,
      ...(this.bootError ? { error: this.bootError } : {}),
    };
  }

  async startRound(params: TrainerMethods['startRound']['params']): Promise<TrainerMethods['startRound']['result']> {
    const lineage = await this.ready();
    const dataset = typeof params.datasetSha256 === 'string' ? this.datasets.find(params.datasetSha256) : undefined;
    if (!dataset) throw new TrainerMethodError('not_found', `no uploaded dataset has SHA-256 ${params.datasetSha256}; call uploadDataset first`);
    if (params.config !== undefined && (typeof params.config !== 'object' || params.config === null || Array.isArray(params.config))) {
      throw new TrainerMethodError('bad_request', '"config" must be an object of training settings');
    }
    let promotion;
    try {
      promotion = promotionPolicyFrom(params.promotion);
    } catch (error) {
      throw new TrainerMethodError('bad_request', (error as Error).message);
    }
    const roundId = lineage.registry.allocateRoundId(lineage.rounds.nextFreeNumber());
    const manifest: RoundManifest = {
      schema: 1, roundId, state: 'queued', phase: 'queued', parent: lineage.registry.live.name, version: null,
      baseModel: { id: lineage.baseModel.id, fallback: lineage.baseModel.fallback },
      dataset: { sha256: dataset.sha256, trainExamples: dataset.trainExamples, evalExamples: dataset.evalExamples },
      config: params.config ?? {}, promotion,
      // Measured (engine/SETTINGS.md, Recursion): a fresh adapter on all data kept round 1's gains; continuing on new data lost them.
      continueFromParent: params.continueFromParent ?? false,
      metrics: { before: null, after: null, training: null }, decision: null, adapter: null, timings: { queuedAt: Date.now() },
    };
    lineage.rounds.write(manifest);
    this.options.emit({ event: 'round', manifest });
    const position = lineage.queue.enqueue({ manifest, dataset, cancelRequested: false });
    return { roundId, position };
  }

  async rollback(version: string): Promise<VersionsSnapshot> {
    const lineage = await this.ready();
    const target = typeof version === 'string' ? lineage.registry.get(version) : undefined;
    if (!target) throw new TrainerMethodError('not_found', `no version named ${JSON.stringify(version)}; see listVersions`);
    if (target.name !== lineage.registry.live.name) {
      const swapMs = await lineage.serving.switchLive(target, () => lineage.registry.rollback(target.name));
      this.options.log('info', `rolled back to ${target.name} (hot-swap ${swapMs.toFixed(1)} ms)`);
      this.options.emit({ event: 'versions', snapshot: lineage.registry.snapshot() });
    }
    return lineage.registry.snapshot();
  }

  async stop(): Promise<void> {
    const llamaCpp = this.lineage?.llamaCpp;
    if (llamaCpp && !('error' in llamaCpp)) await llamaCpp.close().catch(() => undefined);
    await this.engine.stop();
  }

  private async openLineage(baseModel: BaseModelInfo): Promise<Lineage> {
    // The fallback model lives in the home itself; keying it by name keeps its lineage if the home moves.
    const paths = lineagePaths(this.options.home, baseModel.fallback ? 'tiny-fallback' : baseModel.id);
    fs.mkdirSync(paths.adaptersDir, { recursive: true });
    const registry = VersionRegistry.open(paths.registryFile, baseModel);
    if (this.options.servedBy) registry.describeServingWith(this.options.servedBy);
    const rounds = new RoundStore(paths.roundsDir);
    for (const m of rounds.failInterrupted()) this.options.log('warn', `${m.roundId} was ${m.state} when the server stopped; marked failed`);
    const ollama = this.options.ollama ? createOllamaServing(this.options.ollama, baseModel, this.options.log) : undefined;
    let serving: ServedVersions | undefined;
    const llamaCpp: LlamaCppServing | { error: string } | undefined = this.options.llamaCpp && (await this.startLlamaCpp(this.options.llamaCpp, baseModel, paths.dir, () => serving as ServedVersions));
    const llamaDriver = llamaCpp && !('error' in llamaCpp) ? [llamaCpp.driver] : [];
    serving = new ServedVersions(registry, [new EngineAdapterDriver(this.engine), ...(this.options.mirrors ?? []), ...(ollama ? [ollama.driver] : []), ...llamaDriver], this.options.log);
    const runner = new RoundRunner({ engine: this.engine, registry, rounds, serving, adaptersDir: paths.adaptersDir, emit: this.options.emit, log: this.options.log });
    this.runnerRef = runner;
    const queue = new RoundQueue(runner, (job) => {
      job.manifest = { ...job.manifest, state: 'cancelled', phase: 'done', decision: { promoted: false, reason: 'cancelled before it started' }, timings: { ...job.manifest.timings, endedAt: Date.now() } };
      rounds.write(job.manifest);
      this.options.emit({ event: 'round', manifest: job.manifest });
    });
    try {
      await serving.warmLive();
    } catch (error) {
      this.options.log('error', `could not load the live version ${registry.live.name}: ${(error as Error).message}`);
    }
    this.lineage = { baseModel, paths, registry, rounds, serving, runner, queue, ...(ollama ? { ollama } : {}), ...(llamaCpp ? { llamaCpp } : {}) };
    this.options.log('info', `base model ${baseModel.id}${baseModel.fallback ? ' (FALLBACK)' : ''}; live version ${registry.live.name}; ${paths.dir}`);
    return this.lineage;
  }

  /** Loads the GGUF base into llama.cpp; a failure is logged and kept as the reason llama.cpp requests get a 503. */
  private async startLlamaCpp(launch: LlamaCppLaunch, baseModel: BaseModelInfo, lineageDir: string, serving: () => ServedVersions): Promise<LlamaCppServing | { error: string }> {
    const gguf = launch.gguf ?? (isGgufFile(this.options.baseModel) ? this.options.baseModel : undefined);
    let error: string;
    if (!gguf) error = 'no GGUF to serve: start with --base-model FILE.gguf or --llama-cpp-gguf FILE.gguf';
    else if (baseModel.fallback) error = `the base model is the fallback model (${baseModel.reason ?? 'see the log'}), whose adapters do not fit ${gguf}`;
    else {
      try {
        const started = await startLlamaCppServing({
          modelPath: path.resolve(gguf), threads: launch.threads, contextSize: launch.contextSize, parallel: launch.parallel,
          python: this.options.python, engineDir: this.options.engineDir, cacheDir: path.join(lineageDir, 'gguf-lora'),
        }, serving);
        this.options.log('info', `serving through llama.cpp from ${gguf}`);
        return started;
      } catch (failure) {
        error = (failure as Error).message;
      }
    }
    this.options.log('error', `llama.cpp serving is not running: ${error}`);
    return { error };
  }
}
