"""The behavioural half of the promotion gate, measured on generated answers (greedy, short).

Held-out: the version answers the held-out split's requests; each answer is scored by its agreement with
the held-out reference answer (engine.answer_metrics.agreement), per category. Canary: the version answers
general requests unrelated to the user's data (engine.general_prompts.CANARY); given the parent's answers,
each candidate answer is scored by its similarity to the parent's, and an answer "drifted" when that
similarity is below DRIFT_SIMILARITY."""

from __future__ import annotations

import time
from typing import Any, Optional

from .answer_metrics import agreement, similarity
from .batch_generation import generation_stats, greedy_answers
from .general_prompts import canary_categories, canary_chats
from .model_holder import ModelHolder

# Below this word-level similarity to the parent's answer a canary answer counts as drifted. Measured
# (engine.settings_sweep, SETTINGS.md): an unchanged model scores 1.0; trained settings 0.38-0.61 on average.
DRIFT_SIMILARITY = 0.5
DEFAULT_MAX_NEW_TOKENS = 40


def held_out_items(rows: list[dict[str, Any]], limit: int) -> list[tuple[str, list[dict[str, str]], str]]:
    """(category, prompt messages, reference answer) for rows whose last message is the assistant's answer."""
    items = []
    for row in rows:
        messages = row["messages"]
        if messages[-1]["role"] != "assistant" or not messages[-1]["content"].strip():
            continue
        items.append((row.get("category") or "all", messages[:-1], messages[-1]["content"]))
        if len(items) >= limit:
            break
    return items


def _mean(values: list[float]) -> Optional[float]:
    return sum(values) / len(values) if values else None


def held_out_report(holder: ModelHolder, adapter: Optional[str], items: list[tuple[str, list[dict[str, str]], str]], max_new_tokens: int) -> dict[str, Any]:
    answers = greedy_answers(holder, [prompt for _, prompt, _ in items], adapter, max_new_tokens)
    per_category: dict[str, list[float]] = {}
    for (category, _, reference), answer in zip(items, answers):
        score = agreement(reference, answer)
        if score is not None:
            per_category.setdefault(category, []).append(score)
    scores = [s for values in per_category.values() for s in values]
    return {
        "agreement": _mean(scores),
        "scored": len(scores),
        "per_category": {c: {"n": len(v), "agreement": _mean(v)} for c, v in sorted(per_category.items())},
        "answers": answers,
    }


def canary_report(holder: ModelHolder, adapter: Optional[str], parent_answers: Optional[list[str]], max_new_tokens: int) -> dict[str, Any]:
    answers = greedy_answers(holder, canary_chats(), adapter, max_new_tokens)
    report: dict[str, Any] = {"answers": answers}
    if parent_answers is None:
        return report
    if len(parent_answers) != len(answers):
        raise ValueError(f"parent gave {len(parent_answers)} canary answers, the canary set has {len(answers)}")
    per_category: dict[str, list[float]] = {}
    for category, parent, answer in zip(canary_categories(), parent_answers, answers):
        per_category.setdefault(category, []).append(similarity(parent, answer))
    all_scores = [s for values in per_category.values() for s in values]
    summarise = lambda values: {  # noqa: E731
        "n": len(values),
        "similarity": _mean(values),
        "drifted": sum(1 for s in values if s < DRIFT_SIMILARITY),
        "drift_share": sum(1 for s in values if s < DRIFT_SIMILARITY) / len(values),
    }
    report.update(summarise(all_scores))
    report["per_category"] = {c: summarise(v) for c, v in sorted(per_category.items())}
    return report


def behaviour_report(
    holder: ModelHolder,
    adapter: Optional[str],
    items: list[tuple[str, list[dict[str, str]], str]],
    parent_canary: Optional[list[str]],
    max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
) -> dict[str, Any]:
    started = time.perf_counter()
    held_out = held_out_report(holder, adapter, items, max_new_tokens)
    canary = canary_report(holder, adapter, parent_canary, max_new_tokens)
    wall = time.perf_counter() - started
    tokens = generation_stats(held_out["answers"] + canary["answers"], holder.tokenizer)
    return {
        "held_out": held_out,
        "canary": canary,
        "max_new_tokens": max_new_tokens,
        "generated_tokens": tokens,
        "wall_s": round(wall, 2),
        "tokens_per_s": round(tokens / wall, 2) if wall > 0 else 0.0,
    }
