"""The behavioural half of the promotion gate, measured on generated answers (greedy, short).

Held-out: the version answers the held-out split's requests; each answer is scored by its agreement with
the held-out reference answer (engine.answer_metrics.agreement), per category. Canary: the version answers
general requests unrelated to the user's data (engine.general_prompts.CANARY) and, given the parent's
answers, each candidate answer is compared with the parent's. An answer "drifted" when
- it leaks: it contains an identifier of the user's data (a held-out reference's imports, calls and names)
  that the parent's answer to the same request did not, e.g. the project's helper in a factorial; or
- the candidate would no longer say what the parent said: its wording is below DRIFT_SIMILARITY AND the
  candidate finds the parent's own answer less likely, teacher-forced, by more than DRIFT_NLL_INCREASE nats
  per token (engine.answer_likelihood). Only wording, as before, when the parent's likelihoods are not given.
A greedy 40-token answer of a small model rewords itself after a tiny logit change; a reworded answer the
candidate still finds as likely as the parent did is not forgetting. Figures that chose the bounds: SETTINGS.md."""

from __future__ import annotations

import time
from typing import Any, Optional

from .answer_likelihood import answers_nll
from .answer_metrics import agreement, key_terms, similarity
from .batch_generation import generation_stats, greedy_answers
from .general_prompts import canary_categories, canary_chats
from .model_holder import ModelHolder

# Below this word-level similarity to the parent's answer a canary answer is reworded. Measured
# (engine.settings_sweep, SETTINGS.md): an unchanged model scores 1.0; trained settings 0.38-0.61 on average.
DRIFT_SIMILARITY = 0.5
# A reworded answer drifted when the candidate's mean NLL per token on the parent's answer rose by more.
# Measured (SETTINGS.md): the promoted default's per-answer rises are -0.03..+0.05 nats; the damaging
# setting's +0.08..+0.86, 15 of 18 above 0.1.
DRIFT_NLL_INCREASE = 0.1
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


def leak_terms(references: list[str], parent_answers: list[str]) -> set[str]:
    """Identifiers of the user's data (dotted or snake_case names from the held-out references' code) that
    no parent canary answer uses: seeing one in an unrelated answer means the user's project leaked there."""
    terms = {t for r in references for t in key_terms(r) if len(t) >= 5 and ("_" in t or "." in t)}
    return {t for t in terms if not any(t in answer for answer in parent_answers)}


def canary_row(parent: str, answer: str, nll_increase: Optional[float], leaks: set[str]) -> dict[str, Any]:
    """One canary answer judged against the parent's (the drift rule in this module's docstring)."""
    leaked = sorted(t for t in leaks if t in answer and t not in parent)
    score = similarity(parent, answer)
    reworded = score < DRIFT_SIMILARITY
    drifted = bool(leaked) or (reworded and (nll_increase is None or nll_increase > DRIFT_NLL_INCREASE))
    return {"similarity": score, "nll_increase": nll_increase, "leaked": leaked, "reworded": reworded, "drifted": drifted}


def canary_report(
    holder: ModelHolder,
    adapter: Optional[str],
    parent_answers: Optional[list[str]],
    max_new_tokens: int,
    parent_nll: Optional[list[Optional[float]]] = None,
    leaks: Optional[set[str]] = None,
) -> dict[str, Any]:
    chats = canary_chats()
    answers = greedy_answers(holder, chats, adapter, max_new_tokens)
    # The version's likelihood of its own answers: what a later candidate is compared against.
    report: dict[str, Any] = {"answers": answers, "answer_nll": answers_nll(holder, adapter, chats, answers)}
    if parent_answers is None:
        return report
    if len(parent_answers) != len(answers) or (parent_nll is not None and len(parent_nll) != len(answers)):
        raise ValueError(f"parent gave {len(parent_answers)} canary answers, the canary set has {len(answers)}")
    on_parent = answers_nll(holder, adapter, chats, parent_answers) if parent_nll is not None else [None] * len(answers)
    rows = []
    for i, (category, parent, answer) in enumerate(zip(canary_categories(), parent_answers, answers)):
        before, after = (parent_nll[i], on_parent[i]) if parent_nll is not None else (None, None)
        increase = after - before if before is not None and after is not None else None
        rows.append({"category": category, **canary_row(parent, answer, increase, leaks or set())})

    def summarise(group: list[dict[str, Any]]) -> dict[str, Any]:
        increases = [r["nll_increase"] for r in group if r["nll_increase"] is not None]
        drifted = sum(1 for r in group if r["drifted"])
        return {
            "n": len(group),
            "similarity": _mean([r["similarity"] for r in group]),
            "drifted": drifted,
            "drift_share": drifted / len(group),
            "reworded": sum(1 for r in group if r["reworded"]),
            "leaked": sum(1 for r in group if r["leaked"]),
            "nll_increase": _mean(increases),
        }

    report.update(summarise(rows))
    categories = sorted({r["category"] for r in rows})
    report["per_category"] = {c: summarise([r for r in rows if r["category"] == c]) for c in categories}
    report["rows"] = [{k: v for k, v in r.items() if k != "category"} for r in rows]
    report["leak_terms"] = sorted(leaks or set())
    return report


def behaviour_report(
    holder: ModelHolder,
    adapter: Optional[str],
    items: list[tuple[str, list[dict[str, str]], str]],
    parent_canary: Optional[list[str]],
    max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS,
    parent_canary_nll: Optional[list[Optional[float]]] = None,
) -> dict[str, Any]:
    started = time.perf_counter()
    held_out = held_out_report(holder, adapter, items, max_new_tokens)
    leaks = leak_terms([reference for _, _, reference in items], parent_canary) if parent_canary is not None else None
    canary = canary_report(holder, adapter, parent_canary, max_new_tokens, parent_canary_nll, leaks)
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
