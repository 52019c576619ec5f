// The learning benchmark, shared by `npm run bench:learning` and the small check in the test
// command: teaching sessions → the real import (CLI) → the real training set → rounds on the real
// trainer-server → answers through the real gateway before and after, per convention; canary drift;
// optionally the same round with seed 000's synthetic variations; then a round on scrambled data.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RoundManifest, TrainConfig } from '../../../extension/protocol/trainerProtocol';
import { startServer } from '../../unit/trainerTestKit';
import { writeTeachingSessions } from './claudeSessions';
import { CANARIES, conventionLeaks, conventions, type Convention } from './conventions';
import { askAll, canaryDrift, type Gateway } from './gatewayAnswers';
import { cli, requireBuiltCli } from './productCli';
import { scrambledItems } from './scrambled';

export interface LearningBenchOptions {
  workDir: string;
  baseModel: string;
  /** Conventions to teach (ids from conventions.ts); all when absent. */
  only?: string[];
  trainCount: number;
  heldOutCount: number;
  canaryCount: number;
  /** The round's training settings; {} = the trainer-server's defaults. */
  config: TrainConfig;
  /** Tokens per generated answer. */
  maxTokens: number;
  /** Passed to `train --min-effectiveness` when set; otherwise the product default applies. */
  minEffectiveness?: number;
  /** Synthetic variations for a second round from the base (0: no with/without comparison). */
  synthetic: number;
  scrambled: boolean;
  /** Torch threads of the engine; 1 by default. */
  engineThreads?: number;
  log: (line: string) => void;
  /** Called with the figures so far after each phase, so a run cut short still leaves them. */
  onProgress?: (partial: LearningBenchResult) => void;
}

export interface RoundFigures {
  label: string;
  state: string;
  promoted: boolean;
  reason: string;
  version: string | null;
  trainExamples: number;
  evalExamples: number;
  syntheticExamples: number;
  steps: number | null;
  trainTokens: number | null;
  tokensPerS: number | null;
  wallS: number;
  evalLossBefore: number | null;
  evalLossAfter: number | null;
  /** The trainer-server's own gate: generated held-out answers' agreement with the references, before -> after. */
  gateAgreementBefore: number | null;
  gateAgreementAfter: number | null;
  /** Share of the gate's canary answers that drifted from the parent's, and the gate's mean similarity. */
  gateCanaryDriftShare: number | null;
  gateCanarySimilarity: number | null;
  failed: string[];
  replayUsed: number | null;
}

export interface Measurement {
  /** Per convention: compliant answers out of the held-out requests. */
  compliance: Record<string, number>;
  canaryDrift: number;
  /** Canary answers that show a project convention (damage). */
  canaryLeaks: number;
  answers: { heldOut: Record<string, string[]>; canaries: string[] };
  generateS: number;
}

export interface LearningBenchResult {
  baseModel: string;
  config: TrainConfig;
  conventions: Array<{ id: string; kind: string; describe: string; trainSessions: number; heldOut: number }>;
  canaries: number;
  importedSessions: number;
  before: Measurement;
  phases: Array<{ round: RoundFigures; after: Measurement | null }>;
}

function manifestOf(stdout: string): RoundManifest {
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as RoundManifest;
}

function roundFigures(label: string, m: RoundManifest, syntheticExamples: number): RoundFigures {
  const t = m.metrics.training;
  return {
    label, state: m.state, promoted: m.state === 'promoted', reason: m.decision?.reason ?? m.error ?? '', version: m.version,
    trainExamples: m.dataset.trainExamples, evalExamples: m.dataset.evalExamples, syntheticExamples,
    steps: t?.steps ?? null, trainTokens: t?.train_tokens ?? null, tokensPerS: t ? Math.round(t.tokens_per_s) : null,
    wallS: Math.round((m.timings.totalMs ?? 0) / 100) / 10,
    evalLossBefore: m.metrics.before?.eval_loss ?? null, evalLossAfter: m.metrics.after?.eval_loss ?? null,
    gateAgreementBefore: m.behaviour?.before?.heldOut.agreement ?? null, gateAgreementAfter: m.behaviour?.after?.heldOut.agreement ?? null,
    gateCanaryDriftShare: m.behaviour?.after?.canary?.driftShare ?? null, gateCanarySimilarity: m.behaviour?.after?.canary?.similarity ?? null,
    failed: m.decision?.failed ?? [], replayUsed: m.datasetUsage?.replay.used ?? null,
  };
}

async function measure(gateway: Gateway, taught: Convention[], canaries: string[], parentCanaries: string[] | null, maxTokens: number): Promise<Measurement> {
  const t0 = performance.now();
  const compliance: Record<string, number> = {};
  const heldOut: Record<string, string[]> = {};
  for (const c of taught) {
    const { answers } = await askAll(gateway, c.heldOut, maxTokens);
    heldOut[c.id] = answers;
    compliance[c.id] = answers.filter((a, i) => c.complies(a, c.heldOut[i])).length;
  }
  const { answers: canaryAnswers } = await askAll(gateway, canaries, maxTokens);
  return {
    compliance,
    canaryDrift: parentCanaries ? Math.round(canaryDrift(parentCanaries, canaryAnswers) * 1000) / 1000 : 0,
    canaryLeaks: canaryAnswers.filter((a) => conventionLeaks(a).length > 0).length,
    answers: { heldOut, canaries: canaryAnswers },
    generateS: Math.round((performance.now() - t0) / 100) / 10,
  };
}

export async function runLearningBench(o: LearningBenchOptions): Promise<LearningBenchResult> {
  requireBuiltCli();
  const taught = conventions(o.trainCount, o.heldOutCount).filter((c) => !o.only || o.only.includes(c.id));
  if (taught.length === 0) throw new Error(`no convention matches ${o.only?.join(', ')}`);
  const canaries = CANARIES.slice(0, o.canaryCount);
  const items = taught.flatMap((c) => c.train);

  // 1. Sessions on disk, imported and scored by the product's own import path.
  const db = path.join(o.workDir, 'store');
  writeTeachingSessions(path.join(o.workDir, 'sessions'), items);
  const imported = JSON.parse(await cli(['import', path.join(o.workDir, 'sessions'), '--format', 'claude-code', '--db', db, '--json'])) as { totals?: { sessions?: number } };
  const importedSessions = imported.totals?.sessions ?? 0;
  o.log(`imported ${importedSessions} teaching sessions (${taught.map((c) => c.id).join(', ')})`);

  // 2. The real trainer-server on loopback, with its token.
  // One engine thread unless told otherwise: on a busy 2-core machine a second OpenMP thread spins and
  // generation got about six times slower when we tried it.
  const { server } = await startServer(path.join(o.workDir, 'trainer-home'), { baseModel: o.baseModel, engineThreads: o.engineThreads ?? 1 });
  try {
    const lineage = await server.core.booted;
    o.log(`trainer-server ready: base ${lineage.baseModel.id}${lineage.baseModel.fallback ? ' (FALLBACK)' : ''}`);
    const gateway: Gateway = { httpUrl: server.httpUrl, token: server.token };
    const connection = ['--trainer', server.wsUrl, '--token', server.token];
    const trainArgs = (extra: string[]): string[] => [
      'train', ...connection, '--json', '--config', JSON.stringify(o.config),
      ...(o.minEffectiveness !== undefined ? ['--min-effectiveness', String(o.minEffectiveness)] : []), ...extra,
    ];
    const progress = (text: string): void => { for (const line of text.split('\n')) if (line.trim()) o.log(`  ${line.trim()}`); };

    const before = await measure(gateway, taught, canaries, null, o.maxTokens);
    o.log(`before: ${JSON.stringify(before.compliance)} (${before.generateS} s of generation)`);
    const phases: LearningBenchResult['phases'] = [];
    const resultSoFar = (): LearningBenchResult => ({
      baseModel: lineage.baseModel.id, config: o.config,
      conventions: taught.map((c) => ({ id: c.id, kind: c.kind, describe: c.describe, trainSessions: c.train.length, heldOut: c.heldOut.length })),
      canaries: canaries.length, importedSessions, before, phases,
    });
    const progressed = (): void => o.onProgress?.(resultSoFar());

    const teach = manifestOf(await cli(trainArgs(['--db', db]), progress));
    const afterTeach = await measure(gateway, taught, canaries, before.answers.canaries, o.maxTokens);
    phases.push({ round: roundFigures('teach', teach, 0), after: afterTeach });
    o.log(`teach: ${teach.state}; after ${JSON.stringify(afterTeach.compliance)}, canary drift ${afterTeach.canaryDrift}`);
    progressed();

    if (o.synthetic > 0) {
      await cli(['rollback', 'v1.0', ...connection]);
      let syntheticCount = 0;
      const out = await cli(trainArgs(['--db', db, '--from-base', '--synthetic', String(o.synthetic)]), (text) => {
        const m = /(\d+) synthetic/.exec(text);
        if (m) syntheticCount = Number(m[1]);
        progress(text);
      });
      const withSynthetic = manifestOf(out);
      const afterSynthetic = await measure(gateway, taught, canaries, before.answers.canaries, o.maxTokens);
      phases.push({ round: roundFigures('teach + synthetic', withSynthetic, syntheticCount), after: afterSynthetic });
      o.log(`teach + synthetic: ${withSynthetic.state}; after ${JSON.stringify(afterSynthetic.compliance)}, canary drift ${afterSynthetic.canaryDrift}`);
      progressed();
    }

    if (o.scrambled) {
      // Scrambled training data judged on the honest held-out split of the real store.
      const scrambledDb = path.join(o.workDir, 'scrambled-store');
      // Drawn from every convention in turn (so a one-convention run also gets answers of other kinds), then deranged.
      const all = conventions(o.trainCount, o.heldOutCount).map((c) => c.train);
      const pool = Array.from({ length: items.length }, (_, i) => all[i % all.length][Math.floor(i / all.length)]);
      writeTeachingSessions(path.join(o.workDir, 'scrambled-sessions'), scrambledItems(pool), 10_000);
      await cli(['import', path.join(o.workDir, 'scrambled-sessions'), '--format', 'claude-code', '--db', scrambledDb, '--json']);
      const minEff = o.minEffectiveness !== undefined ? ['--min-effectiveness', String(o.minEffectiveness)] : [];
      await cli(['export', '--db', scrambledDb, '-o', path.join(o.workDir, 'scrambled', 'train.jsonl'), '--eval-fraction', '0', ...minEff]);
      await cli(['export', '--db', db, '-o', path.join(o.workDir, 'honest', 'train.jsonl'), ...minEff]);
      const scrambled = manifestOf(await cli(trainArgs([
        '--dataset', path.join(o.workDir, 'scrambled', 'train.jsonl'), '--eval', path.join(o.workDir, 'honest', 'train.eval.jsonl'),
      ]), progress));
      // Only a promoted scrambled version changes what users get; measure it then.
      const afterScrambled = scrambled.state === 'promoted' ? await measure(gateway, taught, canaries, before.answers.canaries, o.maxTokens) : null;
      phases.push({ round: roundFigures('scrambled', scrambled, 0), after: afterScrambled });
      o.log(`scrambled: ${scrambled.state}: ${scrambled.decision?.reason ?? scrambled.error ?? ''}`);
      progressed();
    }

    return resultSoFar();
  } finally {
    await server.stop();
  }
}

/** The printed table: one row per convention and phase, then one per round. */
export function describeResult(r: LearningBenchResult): { conventions: Array<Record<string, unknown>>; rounds: Array<Record<string, unknown>> } {
  const rows: Array<Record<string, unknown>> = [];
  for (const c of r.conventions) {
    const row: Record<string, unknown> = { convention: `${c.id} (${c.kind})`, before: `${r.before.compliance[c.id]}/${c.heldOut}` };
    for (const p of r.phases) row[`after ${p.round.label}`] = p.after ? `${p.after.compliance[c.id]}/${c.heldOut}` : '(not live)';
    rows.push(row);
  }
  const canaryRow: Record<string, unknown> = { convention: `canaries: drift / leaks (${r.canaries})`, before: `0 / ${r.before.canaryLeaks}` };
  for (const p of r.phases) canaryRow[`after ${p.round.label}`] = p.after ? `${p.after.canaryDrift} / ${p.after.canaryLeaks}` : '(not live)';
  rows.push(canaryRow);
  const rounds = r.phases.map((p) => ({
    round: p.round.label, state: p.round.state, train: p.round.trainExamples, synthetic: p.round.syntheticExamples, eval: p.round.evalExamples,
    steps: p.round.steps, tokens: p.round.trainTokens, 'tokens/s': p.round.tokensPerS, 'wall s': p.round.wallS,
    replay: p.round.replayUsed,
    'eval loss': `${p.round.evalLossBefore?.toFixed(3) ?? '?'} -> ${p.round.evalLossAfter?.toFixed(3) ?? '?'}`,
    'gate agreement': `${p.round.gateAgreementBefore?.toFixed(2) ?? '?'} -> ${p.round.gateAgreementAfter?.toFixed(2) ?? '?'}`,
    'gate canary drifted': p.round.gateCanaryDriftShare === null ? '?' : `${Math.round(p.round.gateCanaryDriftShare * 100)}%`,
    failed: p.round.failed.join(', ') || '-',
  }));
  return { conventions: rows, rounds };
}

export function writeResultJson(file: string, result: LearningBenchResult): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}
