// Seed 000's effectiveness formula grounded in outcomes: E = base + heuristic + outcome, in [0, 1].
// Pure: the deriver gathers the inputs from the store; tests and benchmarks call this directly.
import { followUpReaction } from './followUpReaction';
import { keywordSignals } from './keywordSignals';
import { outcomeSignals, type OutcomeRow } from './outcomeSignals';
import { round4, type ScoreBreakdown, type ScoreSignal } from './scoreBreakdown';
import {
  BASE_SCORE, FOLLOW_UP_CONFIRMATION, FOLLOW_UP_CORRECTION, HEURISTIC_SCALE_WITH_EVIDENCE, SCORING_VERSION,
} from './scoringWeights';

export interface ScoringInput {
  assistantResponse: string;
  solutionsApplied: readonly string[];
  issuesEncountered: readonly string[];
  outcomes: readonly OutcomeRow[];
  /** The user's next request in the same session, if any: read as a reaction to this answer. */
  nextRequest?: string;
}

export function scoreInteraction(input: ScoringInput): ScoreBreakdown {
  const outcome = outcomeSignals(input.outcomes);
  const outcomeList: ScoreSignal[] = [...outcome.signals];
  let strong = outcome.strongEvidence;

  const reaction = followUpReaction(input.nextRequest);
  if (reaction) {
    const w = reaction.kind === 'correction' ? FOLLOW_UP_CORRECTION : FOLLOW_UP_CONFIRMATION;
    strong ||= w.strong;
    outcomeList.push({
      name: `follow-up ${reaction.kind}`, part: 'outcome', weight: w.weight, value: 1, contribution: w.weight,
      detail: `${w.why}: "${reaction.phrase}"`,
    });
  }

  const heuristicScale = strong ? HEURISTIC_SCALE_WITH_EVIDENCE : 1;
  const heuristicList = keywordSignals({
    assistantResponse: input.assistantResponse,
    solutionsApplied: input.solutionsApplied,
    issuesEncountered: input.issuesEncountered,
    toolErrors: outcome.toolErrors,
  }).map((s) => ({ ...s, contribution: round4(s.contribution * heuristicScale) }));

  const heuristic = round4(heuristicList.reduce((sum, s) => sum + s.contribution, 0));
  const outcomeTotal = round4(outcomeList.reduce((sum, s) => sum + s.contribution, 0));
  const raw = round4(BASE_SCORE + heuristic + outcomeTotal);
  return {
    version: SCORING_VERSION,
    base: BASE_SCORE,
    heuristic,
    outcome: outcomeTotal,
    heuristicScale,
    raw,
    score: round4(Math.min(1, Math.max(0, raw))),
    signals: [...heuristicList, ...outcomeList],
  };
}
