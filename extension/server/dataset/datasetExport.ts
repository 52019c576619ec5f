// `autodidact export`: writes the training file, the held-out evaluation file and a dataset_info.json
// beside them (merged into an existing one, so exporting into a LLaMA-Factory data folder adds two
// entries and keeps the rest), then records the files' SHA-256 in the store.
import { DEFAULT_MIN_EFFECTIVENESS } from '../../protocol/trainingDefaults';
import { nothingToTrainMessage, thresholdCounts } from '../scoring/nothingToTrain';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Database } from 'sql.js';
import { writeFileDurably } from '../store/sqlDatabase';
import type { RowReader } from '../store/statsQuery';
import { buildTrainingSet, type TrainingSetOptions, type TrainingSetStats } from './buildTrainingSet';
import { datasetInfoEntry, formatExample, type DatasetFormat } from './datasetFormats';
import type { TrainingExample } from './trainingExample';

export interface ExportStore extends RowReader {
  writeDerived(write: (db: Database) => void): Promise<void>;
  readonly isOwner: boolean;
}

export interface ExportOptions extends TrainingSetOptions {
  format: DatasetFormat;
  /** The training file; the evaluation file and dataset_info.json go in the same folder. */
  output: string;
}

export interface ExportResult {
  trainFile: string;
  evalFile: string;
  datasetInfoFile: string;
  /** dataset_info.json names: pass `dataset: <train>` to LLaMA-Factory, `eval_dataset: <eval>`. */
  datasetNames: { train: string; eval: string };
  sha256: string;
  evalSha256: string;
  /** False when another process owns the store: the files are written but the hash is not recorded. */
  recorded: boolean;
  stats: TrainingSetStats;
}

function jsonLines(examples: readonly TrainingExample[], format: DatasetFormat): string {
  return examples.map((e) => `${JSON.stringify(formatExample(e, format))}\n`).join('');
}

function readDatasetInfo(file: string): Record<string, unknown> {
  if (!fs.existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} exists but is not valid JSON (${(error as Error).message}); fix or move it, nothing was written`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${file} is not a JSON object; nothing was written`);
  return parsed as Record<string, unknown>;
}

export async function exportTrainingSet(store: ExportStore, options: ExportOptions): Promise<ExportResult> {
  const trainFile = path.resolve(options.output);
  if (fs.existsSync(trainFile) && fs.statSync(trainFile).isDirectory()) throw new Error(`${trainFile} is a folder; give a file name such as ${path.join(trainFile, 'autodidact.jsonl')}`);
  const dir = path.dirname(trainFile);
  const ext = path.extname(trainFile) || '.jsonl';
  const stem = path.basename(trainFile, path.extname(trainFile));
  const evalFile = path.join(dir, `${stem}.eval${ext}`);
  const datasetInfoFile = path.join(dir, 'dataset_info.json');
  fs.mkdirSync(dir, { recursive: true });
  const info = readDatasetInfo(datasetInfoFile); // before building: a broken file stops us with nothing written

  const set = await buildTrainingSet(store, options);
  if (set.train.length === 0) {
    const counts = thresholdCounts(store, options.minEffectiveness ?? DEFAULT_MIN_EFFECTIVENESS);
    throw new Error(`${nothingToTrainMessage(counts, '--min-effectiveness (or the autodidact.train.minEffectiveness setting)')} Nothing was written.`);
  }
  const trainBytes = Buffer.from(jsonLines(set.train, options.format), 'utf8');
  const evalBytes = Buffer.from(jsonLines(set.eval, options.format), 'utf8');
  writeFileDurably(trainFile, trainBytes);
  writeFileDurably(evalFile, evalBytes);
  const datasetNames = { train: stem, eval: `${stem}_eval` };
  info[datasetNames.train] = datasetInfoEntry(path.basename(trainFile), options.format);
  info[datasetNames.eval] = datasetInfoEntry(path.basename(evalFile), options.format);
  writeFileDurably(datasetInfoFile, Buffer.from(`${JSON.stringify(info, null, 2)}\n`, 'utf8'));

  const sha256 = createHash('sha256').update(trainBytes).digest('hex');
  const evalSha256 = createHash('sha256').update(evalBytes).digest('hex');
  const recorded = store.isOwner;
  if (recorded) {
    const now = Date.now();
    await store.writeDerived((db) => {
      const upsert = `INSERT INTO datasets (sha256, path, format, examples, created_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(sha256) DO UPDATE SET path = excluded.path, format = excluded.format, created_at = excluded.created_at`;
      db.run(upsert, [sha256, trainFile, options.format, set.train.length, now]);
      db.run(upsert, [evalSha256, evalFile, `${options.format}:eval`, set.eval.length, now]);
    });
  }
  return { trainFile, evalFile, datasetInfoFile, datasetNames, sha256, evalSha256, recorded, stats: set.stats };
}
