// The evidence an effectiveness score may use, as named features with the prior belief about each
// (log-odds of success per unit). The fitted model (scoringModel.json, written by
// `npm run fit:scoring`) moves a prior only as far as the hand-labelled transcripts support: a
// feature the labelled set never shows (votes, diagnostics, kept edits...) keeps its prior.
//
// Priors are deliberately moderate, and none rewards the assistant's own words: an answer saying
// "Done, all tests pass" earns nothing; a tool result where the tests pass does.

export type FeaturePart = 'reaction' | 'response' | 'outcome';

export interface FeatureSpec {
  part: FeaturePart;
  /** Prior mean of the weight, in log-odds per unit of the feature. */
  prior: number;
  /** What a reader of the breakdown should understand. */
  why: string;
}

export const FEATURES = {
  reaction_acceptance: { part: 'reaction', prior: 1.5, why: 'the next message accepts the answer' },
  reaction_moved_on: { part: 'reaction', prior: 0.5, why: 'the user went on to a different request' },
  reaction_repeat: { part: 'reaction', prior: -1.5, why: 'the user asked the same thing again' },
  reaction_correction: { part: 'reaction', prior: -2, why: 'the next message says the answer was wrong' },
  reaction_complaint: { part: 'reaction', prior: -1.5, why: 'the next message complains about the answer' },
  admission: { part: 'response', prior: -1.5, why: 'the assistant said it could not do it' },
  empty_response: { part: 'response', prior: -1.5, why: 'the assistant gave no answer' },
  edits_made: { part: 'outcome', prior: 0.3, why: 'the answer changed files' },
  tests_passed_last: { part: 'outcome', prior: 1.5, why: 'the last test run passed' },
  tests_failed_last: { part: 'outcome', prior: -1.5, why: 'the last test run failed' },
  command_failure_share: { part: 'outcome', prior: -0.5, why: 'share of commands that exited non-zero' },
  tool_error_share: { part: 'outcome', prior: -1, why: 'share of tool calls that failed' },
  patch_applied: { part: 'outcome', prior: 0.3, why: 'a patch applied cleanly' },
  patch_failed: { part: 'outcome', prior: -0.7, why: 'a patch did not apply' },
  suggestion_accepted: { part: 'outcome', prior: 2, why: 'the suggestion was accepted' },
  suggestion_rejected: { part: 'outcome', prior: -2, why: 'the suggestion was not accepted' },
  vote_up: { part: 'outcome', prior: 2.5, why: 'the user marked the answer helpful' },
  vote_down: { part: 'outcome', prior: -2.5, why: 'the user marked the answer unhelpful' },
  edit_kept: { part: 'outcome', prior: 1, why: 'the edits were kept' },
  edit_undone: { part: 'outcome', prior: -2, why: 'the edits were undone' },
  diagnostic_fixed: { part: 'outcome', prior: 0.5, why: 'diagnostics disappeared after the edit' },
  diagnostic_introduced: { part: 'outcome', prior: -0.7, why: 'the edit added diagnostics' },
  api_error: { part: 'outcome', prior: -1, why: 'the model API returned an error' },
  user_interrupt: { part: 'outcome', prior: -1, why: 'the user stopped the assistant' },
} as const satisfies Record<string, FeatureSpec>;

export type FeatureName = keyof typeof FEATURES;
export const FEATURE_NAMES = Object.keys(FEATURES) as FeatureName[];

/** Prior on the intercept: an interaction with no evidence at all is a coin toss until fitted. */
export const INTERCEPT_PRIOR = 0;
