// Effectiveness = the estimated probability that the interaction succeeded: a logistic model over
// observed evidence (outcome events, the user's reaction, the assistant's admissions), fitted to
// hand-labelled real transcripts. Pure: the deriver gathers the inputs; tests and the fit call it.
import { evidenceFeatures, type ScoringInput } from './evidenceFeatures';
import { round4, type ScoreBreakdown, type ScoreSignal } from './scoreBreakdown';
import { FEATURES } from './scoringFeatures';
import { SCORING_MODEL, SCORING_VERSION, type ScoringModel } from './scoringModel';

export type { ScoringInput } from './evidenceFeatures';

export const logistic = (z: number): number => 1 / (1 + Math.exp(-z));

export function scoreInteraction(input: ScoringInput, model: ScoringModel = SCORING_MODEL): ScoreBreakdown {
  const { features, evidence } = evidenceFeatures(input);
  const signals: ScoreSignal[] = features.map((f) => {
    const weight = model.weights[f.name];
    const spec = FEATURES[f.name];
    return {
      name: f.name, part: spec.part, weight: round4(weight), value: f.value, contribution: round4(weight * f.value),
      detail: f.detail ? `${spec.why}: ${f.detail}` : spec.why,
    };
  });
  const logit = model.intercept + signals.reduce((sum, s) => sum + model.weights[s.name as keyof typeof model.weights] * s.value, 0);
  return {
    version: SCORING_VERSION,
    base: round4(logistic(model.intercept)),
    logit: round4(logit),
    score: round4(logistic(logit)),
    signals,
    evidence,
  };
}
