// Seed 000 step 7: deploy only if the candidate is better than the live version on the held-out
// split by a margin. Both numbers are measured in the same round on the same split.
import type { EvalMetrics, PromotionPolicy } from '../../../extension/protocol/trainerProtocol';

export const DEFAULT_PROMOTION_POLICY: PromotionPolicy = { minRelativeLossDecrease: 0.01, maxTokenAccuracyDrop: 0 };

export function promotionPolicyFrom(partial: Partial<PromotionPolicy> | undefined): PromotionPolicy {
  const policy = { ...DEFAULT_PROMOTION_POLICY, ...partial };
  for (const [key, value] of Object.entries(policy)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value >= 1) {
      throw new Error(`promotion.${key} must be a number in [0, 1)`);
    }
  }
  return policy;
}

export function decidePromotion(before: EvalMetrics, after: EvalMetrics, policy: PromotionPolicy): { promoted: boolean; reason: string } {
  const finite = [before.eval_loss, after.eval_loss, before.token_accuracy, after.token_accuracy].every(Number.isFinite);
  if (!finite) return { promoted: false, reason: 'a held-out metric is not a finite number' };
  const relative = before.eval_loss > 0 ? (before.eval_loss - after.eval_loss) / before.eval_loss : 0;
  const accuracyChange = after.token_accuracy - before.token_accuracy;
  const loss = `held-out loss ${before.eval_loss.toFixed(4)} -> ${after.eval_loss.toFixed(4)} (${formatPercent(-relative)}, needs <= -${formatPercent(policy.minRelativeLossDecrease, false)})`;
  const accuracy = `token accuracy ${before.token_accuracy.toFixed(4)} -> ${after.token_accuracy.toFixed(4)}`;
  if (relative < policy.minRelativeLossDecrease) return { promoted: false, reason: `not better enough: ${loss}; ${accuracy}` };
  if (accuracyChange < -policy.maxTokenAccuracyDrop - 1e-12) {
    return { promoted: false, reason: `token accuracy got worse: ${accuracy} (allowed drop ${policy.maxTokenAccuracyDrop}); ${loss}` };
  }
  return { promoted: true, reason: `better: ${loss}; ${accuracy}` };
}

function formatPercent(fraction: number, signed = true): string {
  const text = `${(fraction * 100).toFixed(2)}%`;
  return signed && fraction > 0 ? `+${text}` : text;
}
