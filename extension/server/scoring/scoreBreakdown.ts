// The explanation that travels with every score (interactions.score_breakdown, JSON). The panel
// lists the signals; base + Σ contribution, clamped to [0, 1], is the score.

export type SignalPart = 'heuristic' | 'outcome';

export interface ScoreSignal {
  /** Human-readable, e.g. `says "fixed"`, `test_passed`, `follow-up correction`. */
  name: string;
  part: SignalPart;
  /** Contribution per unit, from scoringWeights.ts. */
  weight: number;
  /** How many units were seen (occurrences, diagnostics, solutions). */
  value: number;
  /** What it added to the score after caps and scaling. */
  contribution: number;
  detail?: string;
}

export interface ScoreBreakdown {
  version: number;
  base: number;
  /** Sum of the heuristic (seed 000 keyword) contributions, after scaling. */
  heuristic: number;
  /** Sum of the outcome contributions. */
  outcome: number;
  /** Factor applied to the heuristic part (1, or less when strong outcome evidence exists). */
  heuristicScale: number;
  /** base + heuristic + outcome before clamping. */
  raw: number;
  score: number;
  signals: ScoreSignal[];
}

export const round4 = (x: number): number => Math.round(x * 10000) / 10000;

export function parseBreakdown(json: string | null): ScoreBreakdown | undefined {
  if (!json) return undefined;
  try {
    const parsed = JSON.parse(json) as ScoreBreakdown;
    return typeof parsed === 'object' && parsed !== null && Array.isArray(parsed.signals) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
