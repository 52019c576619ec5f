// The training set, built the same way for `autodidact export` and for a training round: seed 000
// §3.4's direct and improvement examples, deduplicated, capped per pattern, redacted, split into
// train and a held-out evaluation set; synthetic examples only when a generator is given.
import { DEFAULT_MIN_EFFECTIVENESS } from '../../protocol/trainingDefaults';
import { createHash } from 'node:crypto';
import { redactText, RedactionTally, redactionSummary, type RedactionSummary } from '../../shared/redaction/redactText';
import type { RowReader } from '../store/statsQuery';
import { readDatasetSource } from './datasetSource';
import { splitTrainEval } from './evalSplit';
import { capPerPattern, dedupe } from './exampleSelection';
import { activeLessonsIn, withRecall, type RecallStats } from './recallExamples';
import { sessionExamples } from './sessionExamples';
import { syntheticExamples, type TextGenerator } from './syntheticExamples';
import type { ExampleKind, TrainingExample } from './trainingExample';

export interface TrainingSetOptions {
  /** `autodidact.train.minEffectiveness`: direct examples and fixes must reach it. Default DEFAULT_MIN_EFFECTIVENESS. */
  minEffectiveness?: number;
  /** Attempts below this are failures that an improvement pair can start from. Default 0.5. */
  failedBelow?: number;
  /** At most this many exchanges per pattern. Default 8. */
  maxPerPattern?: number;
  /** Share of real examples held out for evaluation. Default 0.1. */
  evalFraction?: number;
  /** The model's context, in tokens (approximated as characters / 4). Default 4096. */
  maxTokens?: number;
  /** A model to write variations and cross-category examples; absent: none are made. */
  generate?: TextGenerator;
  maxSynthetic?: number;
  /** Also write cross-category examples (two model calls each) besides variations. Default true. */
  crossCategory?: boolean;
  /** Open the answers of training examples that match an active lesson with its `<recall>` block. Default true. */
  recall?: boolean;
}

export interface TrainingSetStats {
  sessions: number;
  candidates: number;
  byKind: Record<ExampleKind, number>;
  duplicatesRemoved: number;
  cappedRemoved: number;
  /** Exchanges longer than maxTokens, and the parts they became. */
  partitionedExchanges: number;
  parts: number;
  condensedRequests: number;
  syntheticFailures: number;
  /** Synthetic examples dropped because they did not pass their source's checks. */
  syntheticRejected: number;
  redactions: RedactionSummary;
  /** Training examples that open with a `<recall>` block, those that need none, and those left without one because the answer broke the lesson. */
  recall: RecallStats;
  train: number;
  eval: number;
}

export interface TrainingSet {
  train: TrainingExample[];
  eval: TrainingExample[];
  stats: TrainingSetStats;
  /** SHA-256 of the training examples (canonical JSON lines): the dataset's identity in round manifests. */
  sha256: string;
}

export async function buildTrainingSet(store: RowReader, options: TrainingSetOptions = {}): Promise<TrainingSet> {
  const minEffectiveness = options.minEffectiveness ?? DEFAULT_MIN_EFFECTIVENESS;
  if (!(minEffectiveness >= 0 && minEffectiveness <= 1)) throw new Error(`minEffectiveness must be between 0 and 1 (got ${options.minEffectiveness})`);
  const maxTokens = options.maxTokens ?? 4096;
  if (!(maxTokens >= 256)) throw new Error(`maxTokens must be at least 256 (got ${options.maxTokens})`);
  const evalFraction = options.evalFraction ?? 0.1;
  if (!(evalFraction >= 0 && evalFraction < 1)) throw new Error(`evalFraction must be in [0, 1) (got ${options.evalFraction})`);

  const source = readDatasetSource(store);
  const candidates = source.sessions.flatMap((session) => sessionExamples(session, {
    minEffectiveness, failedBelow: options.failedBelow ?? 0.5, fixLookahead: 6, maxTokens, contextShare: 0.125,
  }));
  const tally = new RedactionTally();
  const redacted = candidates.map((e) => ({ ...e, messages: e.messages.map((m) => ({ ...m, content: redactText(m.content, tally) })) }));
  const deduped = dedupe(redacted);
  const capped = capPerPattern(deduped.kept, options.maxPerPattern ?? 8);
  const split = splitTrainEval(capped.kept, evalFraction);
  // Train only: held-out answers stay as the sessions wrote them, so the gate compares like with like.
  const recall = withRecall(split.train, options.recall === false ? [] : activeLessonsIn(store));
  split.train = recall.examples;

  let syntheticFailures = 0;
  let syntheticRejected = 0;
  if (options.generate) {
    const categories = [...new Set(capped.kept.map((e) => e.category))].sort();
    const generated = await syntheticExamples(split.train, options.generate, {
      maxExamples: options.maxSynthetic ?? 50, categories, crossCategory: options.crossCategory ?? true,
    });
    syntheticFailures = generated.failures;
    syntheticRejected = generated.rejected;
    const synthetic = generated.examples.map((e) => ({ ...e, messages: e.messages.map((m) => ({ ...m, content: redactText(m.content, tally) })) }));
    // A synthetic example may not repeat anything already in either split.
    const all = dedupe([...split.eval, ...split.train, ...synthetic]);
    const keptIds = new Set(all.kept.map((e) => e.id));
    split.train.push(...synthetic.filter((e) => keptIds.has(e.id)));
  }

  const byKind: Record<ExampleKind, number> = { direct: 0, improvement: 0, variation: 0, 'cross-category': 0 };
  for (const e of split.train) byKind[e.kind]++;
  const partitioned = new Set(candidates.filter((e) => e.part).map((e) => e.part!.of));
  return {
    train: split.train,
    eval: split.eval,
    sha256: examplesSha256(split.train),
    stats: {
      sessions: source.sessions.length,
      candidates: candidates.length,
      byKind,
      duplicatesRemoved: deduped.removed,
      cappedRemoved: capped.removed,
      partitionedExchanges: partitioned.size,
      parts: candidates.filter((e) => e.part).length,
      condensedRequests: new Set(candidates.filter((e) => e.requestCondensed).map((e) => e.part?.of ?? e.id)).size,
      syntheticFailures,
      syntheticRejected,
      redactions: redactionSummary(tally),
      recall: recall.stats,
      train: split.train.length,
      eval: split.eval.length,
    },
  };
}

export function examplesSha256(examples: readonly TrainingExample[]): string {
  const hash = createHash('sha256');
  for (const e of examples) hash.update(`${JSON.stringify({ id: e.id, messages: e.messages })}\n`);
  return hash.digest('hex');
}
