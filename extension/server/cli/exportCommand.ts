// `autodidact export --format openai|sharegpt|alpaca -o FILE [--min-effectiveness X] [--eval-fraction F]
//  [--max-tokens N] [--max-per-pattern N] [--embeddings] [--json]`: the training set as files that
// LLaMA-Factory reads as is (FILE, FILE's .eval twin, dataset_info.json), hash recorded in the store.
import { AutodidactStore } from '../store/autodidactStore';
import { isDatasetFormat, DATASET_FORMATS } from '../dataset/datasetFormats';
import { exportTrainingSet, type ExportResult } from '../dataset/datasetExport';
import { registerAnalysis } from '../scoring/registerAnalysis';
import { analysisOptionsFromFlags } from './analysisFlags';
import type { CliArgs } from './cliArgs';

function numberFlag(args: CliArgs, name: string, check: (n: number) => boolean, rule: string): number | undefined {
  const raw = args.flags[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(value) || !check(value)) throw new UsageError(`--${name} ${rule} (got ${String(raw)})`);
  return value;
}

class UsageError extends Error {}

export async function run(args: CliArgs): Promise<number> {
  // `export ollama ...` exports a trainer-server version, not a training set.
  if (args.positional[0] === 'ollama') return (await import('./exportOllamaCommand')).run(args);
  let options;
  try {
    const format = args.flags.format ?? 'openai';
    if (!isDatasetFormat(format)) throw new UsageError(`--format must be one of ${DATASET_FORMATS.join(', ')} (got ${String(format)})`);
    const output = args.flags.output ?? args.flags.o ?? args.positional[0];
    if (typeof output !== 'string' || output === '') throw new UsageError('-o FILE is required (the training file; the eval file and dataset_info.json go beside it)');
    options = {
      format,
      output,
      minEffectiveness: numberFlag(args, 'min-effectiveness', (n) => n >= 0 && n <= 1, 'must be between 0 and 1'),
      evalFraction: numberFlag(args, 'eval-fraction', (n) => n >= 0 && n < 1, 'must be at least 0 and below 1'),
      maxTokens: numberFlag(args, 'max-tokens', (n) => Number.isInteger(n) && n >= 256, 'must be a whole number >= 256'),
      maxPerPattern: numberFlag(args, 'max-per-pattern', (n) => Number.isInteger(n) && n >= 1, 'must be a whole number >= 1'),
    };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`autodidact export: ${error.message}\n`);
    return 2;
  }
  const store = await AutodidactStore.open(args.dbDir);
  try {
    await registerAnalysis(store, analysisOptionsFromFlags(args)).settle();
    let result: ExportResult;
    try {
      result = await exportTrainingSet(store, options);
    } catch (error) {
      process.stderr.write(`autodidact export: ${(error as Error).message}\n`);
      return 1;
    }
    process.stdout.write(args.json ? `${JSON.stringify(result)}\n` : describe(result));
    return 0;
  } finally {
    await store.close();
  }
}

function describe(r: ExportResult): string {
  const s = r.stats;
  const kinds = Object.entries(s.byKind).filter(([, n]) => n > 0).map(([k, n]) => `${n} ${k}`).join(', ');
  return [
    `train: ${r.trainFile} (${s.train} examples: ${kinds || 'none'})`,
    `eval:  ${r.evalFile} (${s.eval} held-out examples)`,
    `LLaMA-Factory: ${r.datasetInfoFile} → dataset: ${r.datasetNames.train}, eval_dataset: ${r.datasetNames.eval}`,
    `sha256: ${r.sha256}${r.recorded ? '' : ' (not recorded: another window owns the store)'}`,
    `removed: ${s.duplicatesRemoved} duplicates, ${s.cappedRemoved} over the per-pattern cap; ` +
      `${s.partitionedExchanges} long exchanges split into ${s.parts} parts, ${s.condensedRequests} long requests condensed; ` +
      `${s.redactions.total} secrets redacted`,
    '',
  ].join('\n');
}
