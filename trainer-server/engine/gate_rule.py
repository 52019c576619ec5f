"""The promotion rule as the settings sweep applies it, with the same default thresholds as the
trainer-server's DEFAULT_PROMOTION_POLICY (trainer-server/src/rounds/promotionDecision.ts), which is the
rule rounds actually use. Kept here so a sweep can say which settings a round would have promoted."""

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
    drift = candidate["canary"]["drift_share"]
    if drift > MAX_CANARY_DRIFT_SHARE:
        failed.append(f"canary drift {drift:.2f} above {MAX_CANARY_DRIFT_SHARE}")
    return {"promoted": not failed, "reason": "; ".join(failed) or "better on held-out, canary kept"}
