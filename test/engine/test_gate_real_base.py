"""The behavioural gate on the real pretrained base (SmolLM2-135M-Instruct, converted offline): the rounds it
exists to stop are stopped. Through the engine's own request loop, judged by engine.gate_rule (the same rule
and thresholds as the trainer-server's promotionDecision.ts):

- the issue's damaging setting (all linear layers, rank 16, lr 1e-3, 3 epochs, no replay) learns the
  convention and answers unrelated requests with the project's helper: rejected for canary drift, with the
  leak named;
- a round on scrambled answers (the requests of one convention answered with another's code): rejected.

Several minutes on 2 idle cores (two short trainings, three sets of greedy answers); 24 minutes at load ~10
before the scrambled round lost its replay."""

from __future__ import annotations

import json
import os

import pytest
from in_process_session import result, run_session

from engine.convention_data import errors_convention, follows_http, http_convention
from engine.gate_rule import gate_decision
from engine.gguf_base import ensure_base

TRAIN_PAIRS = 24
SCRAMBLED_PAIRS = 16
DAMAGING = {"preset": "seed000", "target_modules": "all-linear", "rank": 16, "alpha": 32, "learning_rate": 1e-3, "epochs": 3}


def _write(path: str, pairs: list[tuple[str, str]], category: str = "") -> str:
    with open(path, "w", encoding="utf-8") as handle:
        for q, a in pairs:
            row = {"messages": [{"role": "user", "content": q}, {"role": "assistant", "content": a}]}
            handle.write(json.dumps({**row, "category": category} if category else row) + "\n")
    return path


@pytest.fixture(scope="module")
def rounds(tmp_path_factory):  # type: ignore[no-untyped-def]
    workdir = str(tmp_path_factory.mktemp("gate-real-base"))
    http, errors = http_convention(), errors_convention()
    train = _write(os.path.join(workdir, "train.jsonl"), http.train[:TRAIN_PAIRS])
    # Each http request answered with an errors-convention answer: code, well formed, and wrong for the request.
    scrambled = _write(os.path.join(workdir, "scrambled.jsonl"), [(q, errors.train[i % len(errors.train)][1]) for i, (q, _) in enumerate(http.train[:SCRAMBLED_PAIRS])])
    evaluation = _write(os.path.join(workdir, "eval.jsonl"), http.held_out[:4], "http")
    base = ensure_base()["out"]
    messages = run_session(workdir, [
        ("load_base", {"model": base, "local_files_only": True}),
        ("evaluate", {"eval_path": evaluation}),
        ("behaviour", {"eval_path": evaluation}),
    ], timeout=1200)
    parent_eval, parent = result(messages, 2), result(messages, 3)
    compared = {"parent_canary_answers": parent["canary"]["answers"], "parent_canary_nll": parent["canary"]["answer_nll"]}
    judged = {}
    # The scrambled round without replay: replay cannot make wrong answers right, and leaving it out halves the
    # round's cost on a CPU (replay answers are the longest examples).
    for name, path, config in (("damaging", train, DAMAGING), ("scrambled", scrambled, {"replay_share": 0.0})):
        messages = run_session(workdir, [
            ("load_base", {"model": base, "local_files_only": True}),
            ("train", {"round_id": name, "train_path": path, "eval_path": evaluation, "output_dir": f"adapters/{name}", "config": config}),
            ("load_adapter", {"name": name, "path": f"adapters/{name}"}),
            ("behaviour", {"eval_path": evaluation, "adapter": name, **compared}),
        ], timeout=3000)
        trained, candidate = result(messages, 2), result(messages, 4)
        decision = gate_decision(parent, candidate, parent_eval["eval_loss"], trained["eval"]["eval_loss"])
        print(f"\n{name}: loss {parent_eval['eval_loss']:.3f} -> {trained['eval']['eval_loss']:.3f}; agreement "
              f"{parent['held_out']['agreement']:.2f} -> {candidate['held_out']['agreement']:.2f}; canary drifted "
              f"{candidate['canary']['drifted']}/{candidate['canary']['n']} (reworded {candidate['canary']['reworded']}, leaked "
              f"{candidate['canary']['leaked']}, NLL +{candidate['canary']['nll_increase']:.3f}); {decision['reason']}")
        judged[name] = (trained, candidate, decision)
    return parent, judged


def test_the_damaging_setting_learns_the_convention_and_is_rejected_for_what_it_does_to_unrelated_answers(rounds) -> None:  # type: ignore[no-untyped-def]
    parent, judged = rounds
    _, candidate, decision = judged["damaging"]
    assert sum(follows_http(a) for a in candidate["held_out"]["answers"]) >= 3, "it did learn the convention"
    leaked = [a for a in candidate["canary"]["answers"] if "fetch_json" in a or "app.http" in a]
    assert leaked, "the issue's damage, reproduced: unrelated requests answered with the project's helper"
    assert candidate["canary"]["leaked"] >= len(leaked), "every such answer counts as a leak"
    assert not decision["promoted"] and "canary" in decision["reason"], decision["reason"]


def test_a_round_on_scrambled_answers_is_rejected(rounds) -> None:  # type: ignore[no-untyped-def]
    parent, judged = rounds
    _, candidate, decision = judged["scrambled"]
    assert not decision["promoted"], decision["reason"]
    assert candidate["held_out"]["agreement"] - parent["held_out"]["agreement"] < 0.05, "its answers are no better on held-out"
