// The training set as a round sends it: the dataset builder's examples in OpenAI-chat JSONL lines,
// with the digest the trainer-server verifies. An empty split is an error the user can act on.
import { datasetSha256 } from '../../shared/datasetDigest';
import { nothingToTrainMessage, thresholdCounts } from '../scoring/nothingToTrain';
import type { RowReader } from '../store/statsQuery';
import { DEFAULT_MIN_EFFECTIVENESS } from '../../protocol/trainingDefaults';
import { buildTrainingSet, type TrainingSetStats } from './buildTrainingSet';
import { formatExample } from './datasetFormats';

export interface RoundTrainingSet { train: string[]; eval: string[]; sha256: string; stats: TrainingSetStats }

export async function trainingSetForRound(store: RowReader, minEffectiveness?: number): Promise<RoundTrainingSet> {
  const set = await buildTrainingSet(store, { minEffectiveness });
  if (set.train.length === 0) {
    throw new Error(nothingToTrainMessage(thresholdCounts(store, minEffectiveness ?? DEFAULT_MIN_EFFECTIVENESS), 'the autodidact.train.minEffectiveness setting'));
  }
  if (set.eval.length === 0) throw new Error(`${set.train.length} training examples but none held out for evaluation; a round needs both to decide promotion.`);
  const line = (example: (typeof set.train)[number]): string => JSON.stringify(formatExample(example, 'openai'));
  const train = set.train.map(line);
  // Held-out rows carry their category, so the gate's before/after table (seed 000's Table 5.3) is per category.
  const evalLines = set.eval.map((example) => JSON.stringify({ ...formatExample(example, 'openai'), category: example.category }));
  return { train, eval: evalLines, sha256: datasetSha256(train, evalLines), stats: set.stats };
}
