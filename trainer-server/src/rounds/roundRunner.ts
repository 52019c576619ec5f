// One training round, seed 000 steps 5-7: evaluate the live version on the held-out split (loss, and
// greedy answers to the held-out and canary requests), train a candidate (with replay of the parent's
// own answers), evaluate the saved candidate the same way, and promote it only if the gate passes:
// better on held-out by the policy's margins, canary answers kept. Every state change rewrites the manifest. Whatever fails (the engine dying
// included) fails the round only: the live version is switched solely by a completed promotion.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  modelNameOf, type EvalMetrics, type ProgressEvent, type RoundManifest, type RoundPhase, type TrainerEvent, type VersionRecord,
} from '../../../extension/protocol/trainerProtocol';
import type { StoredDataset } from '../datasets/datasetStore';
import { EngineCallError, type EngineEvent } from '../engineClient/engineProcess';
import type { EngineSupervisor, LogFn } from '../engineClient/engineSupervisor';
import type { ServedVersions } from '../serving/servedVersions';
import type { VersionRegistry } from '../versions/versionRegistry';
import { behaviourSummary, datasetUsage, type EngineBehaviour, type EngineDatasetUsage } from './behaviourSummary';
import { decidePromotion, gateTable } from './promotionDecision';
import type { RoundStore } from './roundStore';

export interface RoundContext {
  engine: EngineSupervisor;
  registry: VersionRegistry;
  rounds: RoundStore;
  serving: ServedVersions;
  adaptersDir: string;
  emit(event: TrainerEvent): void;
  log: LogFn;
}

export interface RoundJob {
  manifest: RoundManifest;
  dataset: StoredDataset;
  cancelRequested: boolean;
}

interface TrainResult {
  adapter_dir: string; adapter_sha256: string; steps: number; final_loss: number; train_tokens: number;
  tokens_per_s: number; train_wall_s: number; examples: number; dataset?: EngineDatasetUsage;
  /** Seconds per part of the engine's train call (replay, dataset, adapter_setup, training, evaluation, save). */
  parts_s?: Record<string, number>;
}

class RoundCancelled extends Error {}

export class RoundRunner {
  private current: RoundJob | undefined;

  constructor(private readonly ctx: RoundContext) {}

  get running(): RoundJob | undefined {
    return this.current;
  }

  async run(job: RoundJob): Promise<RoundManifest> {
    this.current = job;
    const started = Date.now();
    const parent = this.ctx.registry.live;
    this.update(job, { state: 'running', phase: 'evaluate-live', parent: parent.name, timings: { ...job.manifest.timings, startedAt: started } });
    try {
      await this.runPhases(job, parent);
    } catch (error) {
      this.fail(job, error);
    } finally {
      this.current = undefined;
      fs.readdirSync(this.ctx.adaptersDir).filter((n) => n.startsWith(`${job.manifest.roundId}.partial-`))
        .forEach((n) => fs.rmSync(path.join(this.ctx.adaptersDir, n), { recursive: true, force: true }));
    }
    const ended = Date.now();
    this.update(job, { phase: 'done', timings: { ...job.manifest.timings, endedAt: ended, totalMs: ended - started } });
    this.ctx.log('info', `${job.manifest.roundId}: ${job.manifest.state}${job.manifest.decision ? ` (${job.manifest.decision.reason})` : ''}${job.manifest.error ? ` (${job.manifest.error})` : ''}`);
    return job.manifest;
  }

  /** Stops the running round at the next point it can: between phases, or inside the engine's training loop. */
  async cancel(roundId: string): Promise<boolean> {
    const job = this.current;
    if (!job || job.manifest.roundId !== roundId) return false;
    job.cancelRequested = true;
    if (job.manifest.phase === 'train') await this.ctx.engine.call('cancel', { round_id: roundId }).catch(() => undefined);
    return true;
  }

  /** Turns the engine's progress events into protocol events for the running round. */
  progressEvent(event: EngineEvent): ProgressEvent | undefined {
    const job = this.current;
    if (event.event !== 'progress' || !job || event.round_id !== job.manifest.roundId) return undefined;
    const num = (key: string): number => Number(event[key] ?? 0);
    return {
      event: 'progress', roundId: job.manifest.roundId, phase: job.manifest.phase, step: num('step'), totalSteps: num('total_steps'),
      loss: num('loss'), learningRate: num('lr'), tokensPerS: num('tokens_per_s'), etaS: num('eta_s'),
    };
  }

  private async runPhases(job: RoundJob, parent: VersionRecord): Promise<void> {
    const { manifest, dataset } = job;
    const evalParams = { eval_path: dataset.evalPath, ...(manifest.config.max_seq_len ? { max_seq_len: manifest.config.max_seq_len } : {}) };
    const lease = this.ctx.serving.acquire(parent.name);
    let before: EvalMetrics;
    let parentBehaviour: EngineBehaviour;
    try {
      const t0 = Date.now();
      await this.ctx.serving.ensureLoaded(lease);
      before = await this.ctx.engine.call<EvalMetrics>('evaluate', { ...evalParams, adapter: lease.adapter });
      this.update(job, { metrics: { ...job.manifest.metrics, before: pickMetrics(before) } });
      parentBehaviour = await this.ctx.engine.call<EngineBehaviour>('behaviour', { eval_path: dataset.evalPath, adapter: lease.adapter });
      this.update(job, { behaviour: { before: behaviourSummary(parentBehaviour), after: null }, timings: { ...job.manifest.timings, evaluateLiveMs: Date.now() - t0 } });
    } finally {
      lease.release();
    }
    this.enterPhase(job, 'train');
    const outputDir = path.join(this.ctx.adaptersDir, manifest.roundId);
    const init = manifest.continueFromParent && parent.adapterPath ? parent.adapterPath : undefined;
    const t1 = Date.now();
    this.ctx.engine.limitGenerateWhileTraining(1);
    let trained: TrainResult;
    try {
      trained = await this.ctx.engine.call<TrainResult>('train', {
        round_id: manifest.roundId, train_path: dataset.trainPath, output_dir: outputDir, config: manifest.config,
        ...(init ? { init_adapter_path: init } : {}),
        // Replay examples are the parent's own answers, whichever adapter the candidate starts from.
        ...(parent.adapterPath ? { parent_adapter_path: parent.adapterPath } : {}),
      });
    } finally {
      this.ctx.engine.limitGenerateWhileTraining(undefined);
    }
    const weights = path.join(outputDir, 'adapter_model.safetensors');
    const sha256 = createHash('sha256').update(fs.readFileSync(weights)).digest('hex');
    if (sha256 !== trained.adapter_sha256) throw new Error(`adapter hash mismatch: the engine reported ${trained.adapter_sha256}, the file hashes to ${sha256}`);
    this.update(job, {
      config: resolvedConfig(outputDir) ?? manifest.config,
      adapter: { path: outputDir, sha256 },
      ...(trained.dataset ? { datasetUsage: datasetUsage(trained.dataset) } : {}),
      metrics: { ...job.manifest.metrics, training: { steps: trained.steps, final_loss: trained.final_loss, train_tokens: trained.train_tokens, tokens_per_s: trained.tokens_per_s, train_wall_s: trained.train_wall_s, examples: trained.examples } },
      timings: { ...job.manifest.timings, trainMs: Date.now() - t1, ...(trained.parts_s ? { trainPartsMs: partsMs(trained.parts_s) } : {}) },
    });
    this.enterPhase(job, 'evaluate-candidate');
    const t2 = Date.now();
    const candidate = `candidate-${manifest.roundId}`;
    await this.ctx.engine.call('load_adapter', { name: candidate, path: outputDir });
    let after: EvalMetrics;
    let candidateBehaviour: EngineBehaviour;
    try {
      after = await this.ctx.engine.call<EvalMetrics>('evaluate', { ...evalParams, adapter: candidate });
      this.update(job, { metrics: { ...job.manifest.metrics, after: pickMetrics(after) } });
      candidateBehaviour = await this.ctx.engine.call<EngineBehaviour>('behaviour', {
        eval_path: dataset.evalPath, adapter: candidate, parent_canary_answers: parentBehaviour.canary.answers,
        // The parent's likelihood of its own canary answers: the candidate's is compared with it (drift).
        ...(parentBehaviour.canary.answer_nll ? { parent_canary_nll: parentBehaviour.canary.answer_nll } : {}),
      });
    } finally {
      await this.ctx.engine.call('unload_adapter', { name: candidate }).catch(() => undefined);
    }
    const behaviour = { before: behaviourSummary(parentBehaviour), after: behaviourSummary(candidateBehaviour) };
    this.update(job, { behaviour, gateTable: gateTable(behaviour), timings: { ...job.manifest.timings, evaluateCandidateMs: Date.now() - t2 } });
    let decision: { promoted: boolean; reason: string; failed?: string[] } = decidePromotion(before, after, manifest.promotion, behaviour);
    const liveNow = this.ctx.registry.live.name;
    if (decision.promoted && liveNow !== parent.name) {
      decision = { promoted: false, reason: `the live version changed during the round (${parent.name} -> ${liveNow}); the candidate was compared with ${parent.name}, so it is not promoted`, failed: ['live version changed'] };
    }
    if (!decision.promoted) {
      this.update(job, { state: 'rejected', decision });
      return;
    }
    this.enterPhase(job, 'promote');
    await this.promote(job, parent, outputDir, sha256, pickMetrics(after), decision);
  }

  private async promote(job: RoundJob, parent: VersionRecord, adapterPath: string, sha256: string, metrics: EvalMetrics, decision: { promoted: boolean; reason: string; failed?: string[] }): Promise<void> {
    const name = this.ctx.registry.reserveVersionName();
    const pending: VersionRecord = {
      name, model: modelNameOf(name), adapterPath, adapterSha256: sha256, parent: parent.name, roundId: job.manifest.roundId, createdAt: Date.now(), metrics,
    };
    const swapMs = await this.ctx.serving.switchLive(pending, () => {
      const liveNow = this.ctx.registry.live.name;
      if (liveNow !== parent.name) throw new Error(`the live version changed to ${liveNow} while ${name} was being promoted; not promoted`);
      this.ctx.registry.addPromoted({ name, adapterPath, adapterSha256: sha256, parent: parent.name, roundId: job.manifest.roundId, metrics });
    });
    this.update(job, { state: 'promoted', version: name, decision, timings: { ...job.manifest.timings, promoteMs: Math.round(swapMs * 100) / 100 } });
    this.ctx.emit({ event: 'versions', snapshot: this.ctx.registry.snapshot() });
  }

  private enterPhase(job: RoundJob, phase: RoundPhase): void {
    if (job.cancelRequested) throw new RoundCancelled();
    this.update(job, { phase });
  }

  private fail(job: RoundJob, error: unknown): void {
    const cancelled = error instanceof RoundCancelled || (error instanceof EngineCallError && error.code === 'cancelled');
    const live = this.ctx.registry.live.name;
    if (cancelled) {
      this.update(job, { state: 'cancelled', decision: { promoted: false, reason: 'cancelled' }, error: `cancelled during ${job.manifest.phase}; the live version ${live} stays` });
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    this.update(job, { state: 'failed', decision: { promoted: false, reason: 'failed' }, error: `${message} (during ${job.manifest.phase}); the live version ${live} stays` });
  }

  private update(job: RoundJob, changes: Partial<RoundManifest>): void {
    job.manifest = { ...job.manifest, ...changes };
    this.ctx.rounds.write(job.manifest);
    this.ctx.emit({ event: 'round', manifest: job.manifest });
  }
}

function partsMs(partsS: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(partsS).map(([part, seconds]) => [part, Math.round(seconds * 1000)]));
}

function pickMetrics(metrics: EvalMetrics): EvalMetrics {
  const { eval_loss, token_accuracy, exact_match, examples, answer_tokens } = metrics;
  return { eval_loss, token_accuracy, exact_match, examples, answer_tokens };
}

/** The full settings the engine trained with (defaults filled in), from the adapter's own receipt. */
function resolvedConfig(adapterDir: string): RoundManifest['config'] | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(adapterDir, 'autodidact_round.json'), 'utf8')) as { config?: RoundManifest['config'] }).config;
  } catch {
    return undefined;
  }
}
