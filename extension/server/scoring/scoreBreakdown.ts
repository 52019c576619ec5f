// The explanation that travels with every score (interactions.score_breakdown, JSON). The score is
// a probability: the logistic of the base log-odds plus each signal's contribution. The panel and
// `autodidact scores --json` list the signals and the outcome events they were read from.
import type { EvidenceEvent } from './evidenceFeatures';
import type { FeaturePart } from './scoringFeatures';

export type SignalPart = FeaturePart;

export interface ScoreSignal {
  /** Feature name, e.g. `reaction_acceptance`, `tests_passed_last`, `tool_error_share`. */
  name: string;
  part: SignalPart;
  /** Fitted weight, log-odds per unit (scoringModel.json). */
  weight: number;
  /** The feature's value: 1 for a yes/no signal, a share (0..1) for ratios. */
  value: number;
  /** weight × value, in log-odds. */
  contribution: number;
  detail?: string;
}

export interface ScoreBreakdown {
  version: number;
  /** Probability of success with no evidence at all (the logistic of the fitted intercept). */
  base: number;
  /** Intercept plus every contribution, in log-odds. */
  logit: number;
  /** Estimated probability that the interaction succeeded, 0..1. */
  score: number;
  signals: ScoreSignal[];
  /** Every outcome event read, grouped by kind, including those that count for nothing. */
  evidence: EvidenceEvent[];
}

export const round4 = (x: number): number => Math.round(x * 10000) / 10000;

export function parseBreakdown(json: string | null): ScoreBreakdown | undefined {
  if (!json) return undefined;
  try {
    const parsed = JSON.parse(json) as ScoreBreakdown;
    // A breakdown written by an older scorer (no logit, no evidence) reads as "not scored yet" until
    // the backfill rescores it, rather than as a shape the panel cannot show.
    const current = typeof parsed === 'object' && parsed !== null && Array.isArray(parsed.signals) && Array.isArray(parsed.evidence) && typeof parsed.logit === 'number';
    return current ? parsed : undefined;
  } catch {
    return undefined;
  }
}
