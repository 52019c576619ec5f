// The engine's `behaviour` result (snake_case, with the answers) turned into the manifest's summary.
// The canary answers themselves stay out of the manifest; the parent's are kept in memory for the round.
import type { BehaviourSummary, DatasetUsage } from '../../../extension/protocol/trainerProtocol';

interface EngineCategory { n: number; agreement?: number | null; similarity?: number; drifted?: number; reworded?: number; leaked?: number; nll_increase?: number | null }

export interface EngineBehaviour {
  held_out: { agreement: number | null; scored: number; per_category: Record<string, EngineCategory>; answers: string[] };
  canary: {
    answers: string[];
    /** The version's mean NLL per token of its own answers; passed back as parent_canary_nll for the candidate. */
    answer_nll?: Array<number | null>;
    similarity?: number; drifted?: number; drift_share?: number; n?: number; reworded?: number; leaked?: number; nll_increase?: number | null;
    per_category?: Record<string, EngineCategory>;
  };
  max_new_tokens: number;
  generated_tokens: number;
  wall_s: number;
}

export interface EngineDatasetUsage {
  used: number;
  dropped: number;
  reasons: Record<string, number>;
  user_examples: number;
  replay: { requested: number; used: number; unfinished: number; skipped?: number; loss?: string };
}

export function behaviourSummary(result: EngineBehaviour): BehaviourSummary {
  const c = result.canary;
  const compared = c.similarity !== undefined && c.per_category !== undefined;
  return {
    heldOut: {
      agreement: result.held_out.agreement,
      scored: result.held_out.scored,
      perCategory: Object.fromEntries(Object.entries(result.held_out.per_category).map(([k, v]) => [k, { n: v.n, agreement: v.agreement ?? null }])),
    },
    canary: compared
      ? {
        similarity: c.similarity!, drifted: c.drifted ?? 0, driftShare: c.drift_share ?? 0, n: c.n ?? c.answers.length,
        ...(c.reworded !== undefined ? { reworded: c.reworded, leaked: c.leaked ?? 0, nllIncrease: c.nll_increase ?? null } : {}),
        perCategory: Object.fromEntries(Object.entries(c.per_category!).map(([k, v]) => [k, { n: v.n, similarity: v.similarity ?? 0, drifted: v.drifted ?? 0 }])),
      }
      : null,
    maxNewTokens: result.max_new_tokens,
    generatedTokens: result.generated_tokens,
    wallS: result.wall_s,
  };
}

export function datasetUsage(result: EngineDatasetUsage | undefined): DatasetUsage | undefined {
  if (!result) return undefined;
  return { used: result.used, dropped: result.dropped, reasons: result.reasons, userExamples: result.user_examples, replay: result.replay };
}
