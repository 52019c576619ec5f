// The fitted effectiveness model: an intercept and one weight per feature (log-odds), read from
// scoringModel.json, which `npm run fit:scoring` writes from the hand-labelled transcripts. A
// feature missing from the file (added after the last fit) falls back to its prior.
import fitted from './scoringModel.json';
import { FEATURES, FEATURE_NAMES, INTERCEPT_PRIOR, type FeatureName } from './scoringFeatures';

/** Bumped whenever features, priors or the fitted weights change: stores rescore on a new version. */
export const SCORING_VERSION = 2;

export interface ScoringModelFile {
  intercept: number;
  weights: Partial<Record<FeatureName, number>>;
  [extra: string]: unknown;
}

export interface ScoringModel { intercept: number; weights: Record<FeatureName, number> }

export function modelFrom(file: ScoringModelFile): ScoringModel {
  const weights = {} as Record<FeatureName, number>;
  for (const name of FEATURE_NAMES) weights[name] = file.weights[name] ?? FEATURES[name].prior;
  return { intercept: Number.isFinite(file.intercept) ? file.intercept : INTERCEPT_PRIOR, weights };
}

export const SCORING_MODEL: ScoringModel = modelFrom(fitted as ScoringModelFile);
