"""The promotion rule as the settings sweep applies it, with the same default thresholds as the
trainer-server's DEFAULT_PROMOTION_POLICY (trainer-server/src/rounds/promotionDecision.ts), which is the
rule rounds actually use (the token-accuracy condition aside, which the sweep does not measure). Kept here so
a sweep and the engine tests can say which rounds the gate would have promoted."""

from __future__ import annotations

from typing import Any

MIN_RELATIVE_LOSS_DECREASE = 0.01
MIN_AGREEMENT_GAIN = 0.05
MAX_CANARY_DRIFT_SHARE = 0.25


def gate_decision(parent: dict[str, Any], candidate: dict[str, Any], loss_before: float, loss_after: float) -> dict[str, Any]:
    failed = []
    relative = (loss_before - loss_after) / loss_before if loss_before > 0 else 0.0
    if relative < MIN_RELATIVE_LOSS_DECREASE:
        failed.append(f"held-out loss {relative:+.2%} better, needs {MIN_RELATIVE_LOSS_DECREASE:.0%}")
    gain = (candidate["held_out"]["agreement"] or 0.0) - (parent["held_out"]["agreement"] or 0.0)
    if gain < MIN_AGREEMENT_GAIN:
        failed.append(f"generated answers agree {gain:+.3f} more with held-out, needs {MIN_AGREEMENT_GAIN}")
    else:
        # As promotionDecision.ts: no held-out category may get worse, even when the whole got better.
        before = parent["held_out"].get("per_category", {})
        worse = [c for c, row in candidate["held_out"].get("per_category", {}).items()
                 if row.get("agreement") is not None and before.get(c, {}).get("agreement") is not None
                 and row["agreement"] < before[c]["agreement"] - 1e-9]
        if worse:
            failed.append(f"generated answers got worse in {', '.join(sorted(worse))}")
    canary = candidate["canary"]
    drift = canary["drift_share"]
    # Overall and per category, as promotionDecision.ts.
    over = sorted(c for c, row in canary.get("per_category", {}).items() if row["n"] and row["drifted"] / row["n"] > MAX_CANARY_DRIFT_SHARE + 1e-12)
    if drift > MAX_CANARY_DRIFT_SHARE + 1e-12 or over:
        where = f", over in {', '.join(over)}" if over else ""
        failed.append(f"canary drift {drift:.2f}{where} (allowed {MAX_CANARY_DRIFT_SHARE} overall and per category): {canary['drifted']} of {canary['n']} drifted"
                      + (f", {canary['leaked']} leaked" if "leaked" in canary else ""))
    return {"promoted": not failed, "reason": "; ".join(failed) or "better on held-out, canary kept"}
