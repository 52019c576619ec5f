// Seed 000 step 7, made behavioural: deploy only if the candidate is better than the live version on
// the held-out split by a margin, in its loss AND in the answers it actually generates, and only if it
// still answers unrelated (canary) requests as the live version did. All numbers are measured in the
// same round, on the same split and the same canary set. The reason names every condition that failed.
import type { BehaviourSummary, EvalMetrics, GateTableRow, PromotionPolicy } from '../../../extension/protocol/trainerProtocol';

// minAgreementGain and maxCanaryDriftShare against measurements on the real base
// (trainer-server/engine/SETTINGS.md): settings that taught the convention gained 0.75-0.83 in agreement,
// seed 000's 0.00; an unchanged model drifts on 0 of 18 canary answers, trained settings on 6-13 of 18.
export const DEFAULT_PROMOTION_POLICY: Required<PromotionPolicy> = {
  minRelativeLossDecrease: 0.01, maxTokenAccuracyDrop: 0, minAgreementGain: 0.05, maxCanaryDriftShare: 0.25,
};

export interface PromotionDecision { promoted: boolean; reason: string; failed: string[] }

export interface BehaviourPair { before: BehaviourSummary; after: BehaviourSummary }

export function promotionPolicyFrom(partial: Partial<PromotionPolicy> | undefined): Required<PromotionPolicy> {
  const policy = { ...DEFAULT_PROMOTION_POLICY, ...partial };
  for (const [key, value] of Object.entries(policy)) {
    const max = key === 'maxCanaryDriftShare' ? 1 : 1 - Number.EPSILON; // a drift share of 1 switches the canary bound off
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
      throw new Error(`promotion.${key} must be a number in [0, ${key === 'maxCanaryDriftShare' ? '1]' : '1)'}`);
    }
  }
  return policy;
}

export function decidePromotion(before: EvalMetrics, after: EvalMetrics, policy: PromotionPolicy, behaviour: BehaviourPair | null): PromotionDecision {
  const rules = { ...DEFAULT_PROMOTION_POLICY, ...policy };
  const finite = [before.eval_loss, after.eval_loss, before.token_accuracy, after.token_accuracy].every(Number.isFinite);
  if (!finite) return { promoted: false, reason: 'not promoted: a held-out metric is not a finite number', failed: ['held-out loss'] };
  const failed: string[] = [];
  const notes: string[] = [];
  const relative = before.eval_loss > 0 ? (before.eval_loss - after.eval_loss) / before.eval_loss : 0;
  const loss = `held-out loss ${before.eval_loss.toFixed(4)} -> ${after.eval_loss.toFixed(4)} (${formatPercent(-relative)}, needs <= -${formatPercent(rules.minRelativeLossDecrease, false)})`;
  if (relative < rules.minRelativeLossDecrease) failed.push('held-out loss');
  notes.push(relative < rules.minRelativeLossDecrease ? `held-out loss not better enough: ${loss}` : loss);
  const accuracy = `token accuracy ${before.token_accuracy.toFixed(4)} -> ${after.token_accuracy.toFixed(4)}`;
  if (after.token_accuracy - before.token_accuracy < -rules.maxTokenAccuracyDrop - 1e-12) {
    failed.push('token accuracy');
    notes.push(`token accuracy got worse: ${accuracy} (allowed drop ${rules.maxTokenAccuracyDrop})`);
  }
  if (!behaviour) {
    failed.push('generated answers');
    notes.push('generated answers were not measured');
  } else {
    notes.push(...judgeHeldOut(behaviour, rules.minAgreementGain, failed), ...judgeCanary(behaviour.after, rules.maxCanaryDriftShare, failed));
  }
  const promoted = failed.length === 0;
  return { promoted, reason: `${promoted ? 'better' : `not promoted (${failed.join(', ')} failed)`}: ${notes.join('; ')}`, failed };
}

function judgeHeldOut(behaviour: BehaviourPair, minGain: number, failed: string[]): string[] {
  const was = behaviour.before.heldOut.agreement;
  const now = behaviour.after.heldOut.agreement;
  if (was === null || now === null) {
    failed.push('generated answers');
    return ['generated held-out answers: the reference answers have no key terms to compare'];
  }
  const text = `generated held-out answers agree ${formatShare(was)} -> ${formatShare(now)} with the references (needs +${formatShare(minGain)})`;
  const worse = Object.entries(behaviour.after.heldOut.perCategory)
    .filter(([category, row]) => {
      const prior = behaviour.before.heldOut.perCategory[category]?.agreement;
      return row.agreement !== null && prior !== null && prior !== undefined && row.agreement < prior - 1e-9;
    })
    .map(([category]) => category);
  if (now - was < minGain - 1e-12) {
    failed.push('generated answers');
    return [`generated answers not better enough: ${text}`];
  }
  if (worse.length > 0) {
    failed.push('generated answers');
    return [`generated answers got worse in ${worse.join(', ')}: ${text}`];
  }
  return [text];
}

function judgeCanary(after: BehaviourSummary, maxShare: number, failed: string[]): string[] {
  const canary = after.canary;
  if (!canary) {
    failed.push('canary');
    return ['canary answers were not compared with the parent'];
  }
  const over = Object.entries(canary.perCategory).filter(([, row]) => row.n > 0 && row.drifted / row.n > maxShare + 1e-12).map(([category]) => category);
  // The engine's drift rule (engine/behaviour.py): an answer drifted when it leaked an identifier of the
  // user's data, or when it is reworded AND the candidate finds the parent's answer less likely.
  const detail = canary.reworded === undefined ? '' : `; ${canary.reworded} reworded, ${canary.leaked ?? 0} leaked the user's identifiers, NLL per token on the parent's answers ${canary.nllIncrease === null || canary.nllIncrease === undefined ? 'not measured' : `${canary.nllIncrease >= 0 ? '+' : ''}${canary.nllIncrease.toFixed(3)}`}`;
  const text = `canary: ${canary.drifted} of ${canary.n} answers drifted from the parent's (allowed ${formatShare(maxShare)} overall and per category), mean similarity ${canary.similarity.toFixed(3)}${detail}`;
  if (canary.driftShare > maxShare + 1e-12 || over.length > 0) {
    failed.push('canary');
    return [`unrelated requests changed${over.length ? ` (${over.join(', ')})` : ''}: ${text}`];
  }
  return [text];
}

/** Seed 000's Table 5.3 form: held-out agreement per category, then canary answers kept per category. */
export function gateTable(behaviour: BehaviourPair): GateTableRow[] {
  const rows: GateTableRow[] = [];
  const { before, after } = behaviour;
  const categories = [...new Set([...Object.keys(before.heldOut.perCategory), ...Object.keys(after.heldOut.perCategory)])].sort();
  for (const category of categories) {
    const was = before.heldOut.perCategory[category]?.agreement ?? null;
    const now = after.heldOut.perCategory[category]?.agreement ?? null;
    rows.push({ kind: 'held-out', category, n: after.heldOut.perCategory[category]?.n ?? 0, before: was, after: now, change: was !== null && now !== null ? now - was : null });
  }
  // Canary: the share of answers that stayed as the parent's (before is the parent itself, so 1).
  for (const [category, row] of Object.entries(after.canary?.perCategory ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const kept = row.n > 0 ? 1 - row.drifted / row.n : null;
    rows.push({ kind: 'canary', category, n: row.n, before: 1, after: kept, change: kept === null ? null : kept - 1 });
  }
  return rows;
}

function formatShare(value: number): string {
  return value.toFixed(2);
}

function formatPercent(fraction: number, signed = true): string {
  const text = `${(fraction * 100).toFixed(2)}%`;
  return signed && fraction > 0 ? `+${text}` : text;
}
