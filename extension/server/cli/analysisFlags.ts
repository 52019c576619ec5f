// How CLI commands set up scoring and categories. Rules by default: a script should not download a
// model. `--embeddings` uses the sentence model, cached beside the store (<db>/models, shared with the
// editor's analysis server) or read from AUTODIDACT_LOCAL_MODELS (a folder prepared offline).
import * as path from 'node:path';
import type { AnalysisOptions } from '../scoring/registerAnalysis';
import type { CliArgs } from './cliArgs';

export function analysisOptionsFromFlags(args: CliArgs, env: NodeJS.ProcessEnv = process.env): AnalysisOptions {
  if (args.flags.embeddings !== true && args.flags.embeddings !== 'true') return { embeddings: false };
  const local = env.AUTODIDACT_LOCAL_MODELS;
  return {
    embeddings: local
      ? { localModelPath: path.resolve(local), allowRemoteModels: false }
      : { cacheDir: path.join(args.dbDir, 'models') },
    log: (message) => process.stderr.write(`${message}\n`),
  };
}
