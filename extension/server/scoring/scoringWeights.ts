// Every number that shapes an effectiveness score lives here, so a reviewer can read the whole
// policy in one screen and the panel can explain any score by pointing at these names.
//
// The score follows seed 000:  E = base + Σ positive indicators − Σ negative indicators, E ∈ [0, 1].
// Seed 000 only had keywords. We keep its indicators as the *heuristic part* and add an *outcome
// part* from what actually happened after the answer (votes, tests, exit codes, diagnostics, edits
// kept or undone, corrections). Two deliberate choices:
//   1. Keywords alone can never lift an interaction to the default training threshold (0.9):
//      base + every positive keyword = 0.85. Reaching 0.9 needs observed evidence.
//   2. When strong outcome evidence exists, the keyword part is scaled down (HEURISTIC_SCALE_WITH_EVIDENCE):
//      an assistant saying "fixed" matters less once we have seen the tests.

/** Bumped whenever a weight or rule changes: stored in each breakdown so stale scores can be found. */
export const SCORING_VERSION = 1;

/** Seed 000's base score: an interaction nobody reacted to is "probably fine", not good. */
export const BASE_SCORE = 0.6;

export interface KeywordIndicator {
  name: string;
  /** Whole words or phrases, case-insensitive; counted once per interaction (presence, not frequency). */
  words: readonly string[];
  weight: number;
}

/** Seed 000's positive indicators, matched in the assistant's response. */
export const POSITIVE_KEYWORDS: readonly KeywordIndicator[] = [
  { name: 'says "successful"', words: ['successful', 'successfully', 'succeeded', 'success'], weight: 0.05 },
  { name: 'says "fixed"', words: ['fixed', 'resolved', 'works now', 'now works', 'now passes'], weight: 0.05 },
];

/** Seed 000's negative indicators, matched in the assistant's response. A match right after a negator
 *  ("no errors", "0 failed", "without issues") is not counted: the seed's naive form punished good news. */
export const NEGATIVE_KEYWORDS: readonly KeywordIndicator[] = [
  { name: 'says "error"', words: ['error', 'errors', 'exception', 'traceback'], weight: -0.05 },
  { name: 'says "failed"', words: ['failed', 'failing', 'fails', 'failure'], weight: -0.05 },
  { name: 'says "issue"', words: ['issue', 'issues', 'problem', 'unable to', "couldn't", 'could not'], weight: -0.04 },
];

export const NEGATORS: readonly string[] = ['no', 'not', 'without', 'zero', '0', 'any', 'free of', 'never'];

/** Seed 000's solution_count indicator: each applied solution adds, up to a cap. */
export const SOLUTION_WEIGHT = 0.05;
export const SOLUTION_CAP = 0.15;

/** Issues the assistant ran into (beyond those already counted as tool errors). */
export const ISSUE_WEIGHT = -0.03;
export const ISSUE_CAP = -0.09;

export interface OutcomeWeight {
  /** Contribution per occurrence (or per unit of `value` where `perUnitValue` is set). */
  weight: number;
  /** Bound on the kind's total contribution (same sign as weight). */
  cap: number;
  /** Strong evidence scales down the keyword part (see HEURISTIC_SCALE_WITH_EVIDENCE). */
  strong: boolean;
  /** The event's `value` counts units (e.g. diagnostics fixed = 3); otherwise each event is one unit. */
  perUnitValue?: boolean;
  why: string;
}

/**
 * Outcome kinds from records.ts. `vote` and `exit_code` are split by their value below, since the
 * same kind can help or hurt. Caps keep a chatty signal (40 tool calls) from swamping the rest.
 */
export const OUTCOME_WEIGHTS = {
  vote_up: { weight: 0.3, cap: 0.3, strong: true, why: 'the user marked the answer helpful' },
  vote_down: { weight: -0.4, cap: -0.4, strong: true, why: 'the user marked the answer unhelpful' },
  user_correction: { weight: -0.35, cap: -0.45, strong: true, why: 'the user said the answer was wrong' },
  test_passed: { weight: 0.15, cap: 0.25, strong: true, why: 'tests passed after the answer' },
  test_failed: { weight: -0.15, cap: -0.3, strong: true, why: 'tests failed after the answer' },
  exit_ok: { weight: 0.05, cap: 0.1, strong: false, why: 'a command exited 0' },
  exit_failed: { weight: -0.08, cap: -0.2, strong: false, why: 'a command exited non-zero' },
  diagnostic_fixed: { weight: 0.05, cap: 0.15, strong: false, perUnitValue: true, why: 'diagnostics disappeared after the edit' },
  diagnostic_introduced: { weight: -0.07, cap: -0.2, strong: false, perUnitValue: true, why: 'the edit added diagnostics' },
  edit_kept: { weight: 0.1, cap: 0.15, strong: true, why: 'the edits were kept' },
  edit_undone: { weight: -0.25, cap: -0.35, strong: true, why: 'the edits were undone' },
  tool_ok: { weight: 0.02, cap: 0.08, strong: false, why: 'tool calls succeeded' },
  tool_error: { weight: -0.05, cap: -0.15, strong: false, why: 'tool calls failed' },
  patch_applied: { weight: 0.05, cap: 0.1, strong: false, why: 'a patch applied cleanly' },
  patch_failed: { weight: -0.1, cap: -0.2, strong: false, why: 'a patch did not apply' },
  suggestion_accepted: { weight: 0.15, cap: 0.2, strong: true, why: 'a suggestion was accepted' },
  suggestion_rejected: { weight: -0.15, cap: -0.25, strong: true, why: 'a suggestion was rejected' },
  api_error: { weight: -0.2, cap: -0.3, strong: false, why: 'the model API returned an error' },
} as const satisfies Record<string, OutcomeWeight>;

export type OutcomeSignalName = keyof typeof OUTCOME_WEIGHTS;

/** The next request in the same session, read as a reaction to this answer (see followUpReaction.ts). */
export const FOLLOW_UP_CORRECTION: OutcomeWeight = { weight: -0.3, cap: -0.3, strong: true, why: 'the next request says it did not work' };
export const FOLLOW_UP_CONFIRMATION: OutcomeWeight = { weight: 0.1, cap: 0.1, strong: false, why: 'the next request says it worked' };

/** Factor on the keyword part when any strong outcome is present. */
export const HEURISTIC_SCALE_WITH_EVIDENCE = 0.5;
