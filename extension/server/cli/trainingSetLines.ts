// The training set a `train` round sends: either files the user names (--dataset FILE --eval FILE,
// OpenAI-chat JSONL as `autodidact export` writes them) or, by default, the current store's data
// built by the dataset builder exactly as `export` would build it. `--synthetic N` adds up to N of
// seed 000's synthetic variations written by the live version through the trainer-server's gateway
// (`--cross-category` adds cross-category examples).
import * as fs from 'node:fs';
import { buildTrainingSet } from '../dataset/buildTrainingSet';
import { formatExample } from '../dataset/datasetFormats';
import { DEFAULT_MIN_EFFECTIVENESS } from '../../protocol/trainingDefaults';
import { nothingToTrainMessage, thresholdCounts } from '../scoring/nothingToTrain';
import { registerAnalysis } from '../scoring/registerAnalysis';
import { AutodidactStore } from '../store/autodidactStore';
import { analysisOptionsFromFlags } from './analysisFlags';
import type { CliArgs } from './cliArgs';
import { gatewayTextGenerator } from './gatewayTextGenerator';
import { trainerTokenOf, trainerUrlOf } from './trainerConnection';

export interface TrainingSetLines {
  train: string[];
  eval: string[];
  origin: string;
}

function jsonlLines(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return text.split('\n').map((line) => line.replace(/\r$/, '')).filter((line) => line.trim() !== '');
}

export async function trainingSetLines(args: CliArgs): Promise<TrainingSetLines> {
  const datasetFile = args.flags.dataset;
  const evalFile = args.flags.eval;
  const synthetic = args.flags.synthetic === undefined ? 0 : Number(args.flags.synthetic);
  if (!(Number.isInteger(synthetic) && synthetic >= 0)) throw new Error(`--synthetic needs a whole number of examples (got ${String(args.flags.synthetic)})`);
  if (typeof datasetFile === 'string' || typeof evalFile === 'string') {
    if (synthetic > 0) throw new Error('--synthetic works on the store\'s data, not on --dataset files');
    if (typeof datasetFile !== 'string' || typeof evalFile !== 'string') throw new Error('--dataset FILE and --eval FILE go together (the held-out file decides promotion)');
    return { train: jsonlLines(datasetFile), eval: jsonlLines(evalFile), origin: `${datasetFile} + ${evalFile}` };
  }
  const store = await AutodidactStore.open(args.dbDir);
  try {
    await registerAnalysis(store, analysisOptionsFromFlags(args)).settle();
    const minEffectiveness = typeof args.flags['min-effectiveness'] === 'string' ? Number(args.flags['min-effectiveness']) : undefined;
    const url = trainerUrlOf(args);
    // Variations only unless --cross-category: a rephrased request is short, a cross-category example costs two long answers.
    const crossCategory = args.flags['cross-category'] === true;
    const generate = synthetic > 0 ? gatewayTextGenerator(url, trainerTokenOf(args, url), crossCategory ? 200 : 64) : undefined;
    const set = await buildTrainingSet(store, { minEffectiveness, generate, maxSynthetic: synthetic, crossCategory });
    if (set.train.length === 0) throw new Error(nothingToTrainMessage(thresholdCounts(store, minEffectiveness ?? DEFAULT_MIN_EFFECTIVENESS), '--min-effectiveness'));
    if (set.eval.length === 0) throw new Error(`the store at ${args.dbDir} yields ${set.train.length} training examples but none held out for evaluation; a round needs both`);
    const line = (e: (typeof set.train)[number]): string => JSON.stringify(formatExample(e, 'openai'));
    const made = set.train.filter((e) => e.synthetic).length;
    const note = synthetic > 0 ? `, ${made} synthetic (${set.stats.syntheticRejected} failed their source's checks, ${set.stats.syntheticFailures} not generated)` : '';
    // Held-out rows carry their category, so the gate's before/after table is per category.
    const evalLine = (e: (typeof set.eval)[number]): string => JSON.stringify({ ...formatExample(e, 'openai'), category: e.category });
    return { train: set.train.map(line), eval: set.eval.map(evalLine), origin: `store ${args.dbDir}${note}` };
  } finally {
    await store.close();
  }
}
