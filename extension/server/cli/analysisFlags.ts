// How CLI commands set up scoring and categories. Categories use the sentence model whenever it is on
// this machine, as the editor's analysis server does, so `autodidact import` and the panel agree:
//   1. AUTODIDACT_LOCAL_MODELS, a folder prepared offline (<folder>/Xenova/all-MiniLM-L6-v2/...);
//   2. <db>/models, where the editor's analysis server downloads it (the CLI shares the editor's store);
//   3. test/.models of a source checkout (prepared by test/setup/prepare_embedding_model.py).
// Nothing is downloaded unless `--embeddings` asks for it (a script should not fetch 23 MB unasked).
// `--no-embeddings` forces rules. Without a model, categories are rule-based and stderr says so.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_EMBEDDING_MODEL } from '../categories/sentenceEmbedder';
import type { AnalysisOptions } from '../scoring/registerAnalysis';
import type { CliArgs } from './cliArgs';

const isOn = (flag: string | boolean | undefined): boolean => flag === true || flag === 'true';

/** A folder holds the model when transformers.js would find its files there (same layout as its cache). */
export function holdsModel(folder: string, modelId = DEFAULT_EMBEDDING_MODEL): boolean {
  const model = path.join(folder, ...modelId.split('/'));
  return fs.existsSync(path.join(model, 'config.json')) && fs.existsSync(path.join(model, 'onnx', 'model_quantized.onnx'));
}

/** Where the CLI looks for the model, in order (see the header). */
export function modelFolders(args: CliArgs, env: NodeJS.ProcessEnv, packageRoot: string): string[] {
  const folders = [path.join(args.dbDir, 'models'), path.join(packageRoot, 'test', '.models')];
  return env.AUTODIDACT_LOCAL_MODELS ? [path.resolve(env.AUTODIDACT_LOCAL_MODELS), ...folders] : folders;
}

/** The folder of Autodidact's package.json: dist/.. when bundled, the repository when run from source. */
function packageRootOf(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return start;
  }
}

export function analysisOptionsFromFlags(
  args: CliArgs, env: NodeJS.ProcessEnv = process.env, packageRoot = packageRootOf(__dirname),
): AnalysisOptions {
  const log = (message: string): void => { process.stderr.write(`${message}\n`); };
  if (isOn(args.flags['no-embeddings']) || args.flags.embeddings === 'false') return { embeddings: false };
  const folders = modelFolders(args, env, packageRoot);
  const found = folders.find((folder) => holdsModel(folder));
  if (found) return { embeddings: { localModelPath: found, allowRemoteModels: false }, log };
  if (isOn(args.flags.embeddings)) return { embeddings: { cacheDir: path.join(args.dbDir, 'models') }, log };
  // Said once per command, so a user reading `stats` knows why the categories are coarser.
  log(`categories: rule-based (no embedding model in ${folders.join(', ')}; --embeddings downloads it, about 23 MB)`);
  return { embeddings: false };
}
