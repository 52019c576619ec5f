// The default training threshold, shared by the extension (settings fallback), the analysis server
// and the CLI. Chosen from the calibrated score (extension/server/scoring/scoringModel.json,
// recommendedThreshold): the lowest score at which interactions hand-labelled from real transcripts
// succeeded at least 90% of the time, leave-one-session-out. Refit the model, update this and
// package.json's autodidact.train.minEffectiveness default together (a test checks they agree).
export const DEFAULT_MIN_EFFECTIVENESS = 0.76;

/** "Just below the threshold", in the messages that explain an empty training set. */
export const NEAR_THRESHOLD_MARGIN = 0.1;
