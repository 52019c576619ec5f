"""Replay by self-distillation and the canary drift rule, on the tiny model (seconds): the KL to the parent is
zero for the parent itself and grows as the candidate moves away; every replay answer is used, an unfinished
one too, and the counts add up; a round with KL replay trains and says so; the drift rule counts a leak
always, and a reworded answer only when the candidate finds the parent's answer less likely."""

from __future__ import annotations

import torch
from conftest import FAST_CONFIG
from in_process_session import result, run_session

from engine.batching import collate
from engine.behaviour import DRIFT_NLL_INCREASE, canary_row, leak_terms
from engine.chat_dataset import encode_dataset
from engine.convention_data import http_answer
from engine.distillation import TOP_K, attach_parent_distribution
from engine.answer_loss import distillation_kl
from engine.model_holder import ModelHolder
from engine.replay import build_replay, encode_replay
from engine.general_prompts import REPLAY


def _holder(loaded_base) -> ModelHolder:  # type: ignore[no-untyped-def]
    return ModelHolder(loaded_base.model, loaded_base.tokenizer, "tiny", loaded_base.device, loaded_base.dtype)


def test_kl_is_zero_for_the_parent_itself_and_grows_with_the_difference() -> None:
    torch.manual_seed(0)
    logits = torch.randn(5, 300)
    values, indices = torch.log_softmax(logits, dim=-1).topk(TOP_K, dim=-1)
    assert distillation_kl(logits, values, indices).abs().max().item() < 1e-5
    near = distillation_kl(logits + 0.1 * torch.randn(5, 300), values, indices).mean().item()
    far = distillation_kl(logits + 2.0 * torch.randn(5, 300), values, indices).mean().item()
    assert 0 < near < far


def test_replay_uses_every_answer_with_kl_and_only_finished_ones_with_answer_loss(loaded_base) -> None:  # type: ignore[no-untyped-def]
    holder = _holder(loaded_base)
    # 3 new tokens: the random tiny model does not stop that soon, so every answer is unfinished.
    kl = build_replay(holder, None, 4, "kl", max_new_tokens=3)
    assert kl.summary() == {"requested": 4, "used": 4, "unfinished": 4, "skipped": 0, "loss": "kl"}
    answers = build_replay(holder, None, 4, "answers", max_new_tokens=3)
    assert answers.summary() == {"requested": 4, "used": 0, "unfinished": 4, "skipped": 4, "loss": "answers"}
    encoded = encode_replay(holder, None, kl, 128)
    assert len(encoded.examples) == 4 and all(e.parent_top is not None for e in encoded.examples)
    # The parent's distribution lines up with the batch's answer positions, user rows (no parent) included.
    user = encode_dataset(holder.tokenizer, [[{"role": "user", "content": "q"}, {"role": "assistant", "content": "a b"}]], 128).examples
    batch = collate(user + encoded.examples[:1], holder.tokenizer.pad_token_id)
    distil, values, _ = batch.parent
    assert distil.shape[0] == batch.supervised_tokens == values.shape[0]
    n_user = user[0].supervised_tokens
    assert not distil[:n_user].any() and distil[n_user:].all()


def test_the_parent_scores_no_kl_against_its_own_distribution(loaded_base) -> None:  # type: ignore[no-untyped-def]
    from engine.answer_loss import answer_loss

    holder = _holder(loaded_base)
    examples = encode_dataset(holder.tokenizer, [[{"role": "user", "content": REPLAY[0]}, {"role": "assistant", "content": "x y z"}]], 128).examples
    attach_parent_distribution(holder, None, examples)
    with torch.no_grad():
        loss = answer_loss(holder.model, collate(examples, holder.tokenizer.pad_token_id)).loss_sum.item()
    assert abs(loss) < 1e-3


def test_a_round_with_kl_replay_trains_and_reports_what_it_used(tiny_model_dir, datasets, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = {**FAST_CONFIG, "epochs": 1, "max_seq_len": 512, "replay_share": 0.3, "replay_loss": "kl", "replay_weight": 2.0}
    messages = run_session(str(tmp_path), [
        ("load_base", {"model": tiny_model_dir}),
        ("train", {"round_id": "r", "train_path": datasets["train"], "output_dir": "adapters/r", "config": config}),
    ])
    usage = result(messages, 2)["dataset"]
    assert usage["replay"]["loss"] == "kl" and usage["replay"]["used"] == usage["replay"]["requested"] > 0
    assert usage["used"] == usage["user_examples"] + usage["replay"]["used"] and usage["dropped"] == 0


def test_drift_counts_a_leak_always_and_a_rewording_only_when_the_parent_answer_became_less_likely() -> None:
    parent = "```python\ndef factorial(n):\n    if n == 0:\n        return 1\n    return n * factorial(n - 1)\n```"
    reworded = "Here is a recursive version: multiply n by the factorial of n minus one, stopping at zero."
    leaks = leak_terms([http_answer("menu items")], [parent])
    assert leaks == {"app.http", "fetch_json", "get_menu_items"}
    assert not canary_row(parent, parent, 0.0, leaks)["drifted"]
    kept = canary_row(parent, reworded, DRIFT_NLL_INCREASE / 2, leaks)
    assert kept["reworded"] and not kept["drifted"], "reworded, but the parent's answer is still about as likely"
    assert canary_row(parent, reworded, DRIFT_NLL_INCREASE * 2, leaks)["drifted"]
    assert canary_row(parent, reworded, None, leaks)["drifted"], "without the parent's likelihoods, wording alone decides"
    leaked = canary_row(parent, "from app.http import fetch_json\n" + parent, 0.0, leaks)
    assert leaked["drifted"] and leaked["leaked"] == ["app.http", "fetch_json"]
