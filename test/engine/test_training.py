"""LoRA rounds in process (real PEFT training on the tiny model): learning, the saved layout, config checks."""

from __future__ import annotations

import json
import os

import pytest
from conftest import FAST_CONFIG
from in_process_session import result, run_session

from engine.adapter_files import sha256_file
from engine.errors import EngineError
from engine.lora_training import lr_factor
from engine.train_config import TrainConfig, parse_train_config


@pytest.fixture(scope="module")
def good_round(tiny_model_dir, datasets, tmp_path_factory):  # type: ignore[no-untyped-def]
    workdir = str(tmp_path_factory.mktemp("round"))
    messages = run_session(
        workdir,
        [
            ("load_base", {"model": tiny_model_dir}),
            ("evaluate", {"adapter": None, "eval_path": datasets["eval"]}),
            ("train", {"round_id": "r1", "train_path": datasets["train"], "eval_path": datasets["eval"],
                       "output_dir": "adapters/r1", "config": FAST_CONFIG}),
            ("load_adapter", {"name": "v1.1", "path": "adapters/r1"}),
            ("evaluate", {"adapter": "v1.1", "eval_path": datasets["eval"]}),
            ("train", {"round_id": "garbage", "train_path": datasets["shuffled"], "eval_path": datasets["eval"],
                       "output_dir": "adapters/garbage", "config": FAST_CONFIG}),
        ],
    )
    return workdir, messages


def test_good_data_lowers_held_out_loss(good_round) -> None:  # type: ignore[no-untyped-def]
    _, messages = good_round
    base, trained, reloaded = result(messages, 2), result(messages, 3), result(messages, 5)
    assert trained["eval"]["eval_loss"] < base["eval_loss"] - 1.0
    assert trained["eval"]["token_accuracy"] > base["token_accuracy"] + 0.3
    # The adapter read back from disk scores exactly what the in-memory one scored.
    assert reloaded["eval_loss"] == pytest.approx(trained["eval"]["eval_loss"], rel=1e-5)
    assert trained["train_tokens"] > 0 and trained["tokens_per_s"] > 0 and trained["wall_s"] >= trained["train_wall_s"]


def test_shuffled_answers_score_worse_than_good_ones_on_held_out_data(good_round) -> None:  # type: ignore[no-untyped-def]
    """What evaluate-then-promote relies on. Against the random base even garbage lowers the loss (it learns
    the answer format), so a garbage round must be judged against a trained live version, as here."""
    _, messages = good_round
    good, garbage = result(messages, 3)["eval"], result(messages, 6)["eval"]
    assert garbage["eval_loss"] > good["eval_loss"] + 0.15
    assert garbage["token_accuracy"] < good["token_accuracy"] and garbage["exact_match"] < good["exact_match"]


def test_progress_events_track_every_optimizer_step(good_round) -> None:  # type: ignore[no-untyped-def]
    _, messages = good_round
    trained = result(messages, 3)
    progress = [m for m in messages if m.get("event") == "progress" and m["round_id"] == "r1"]
    assert [p["step"] for p in progress] == list(range(1, trained["steps"] + 1))
    assert {p["total_steps"] for p in progress} == {trained["steps"]}
    assert all(p["round_id"] == "r1" and p["tokens_per_s"] > 0 and p["eta_s"] >= 0 and p["lr"] > 0 for p in progress)
    assert progress[-1]["eta_s"] == 0 and progress[-1]["loss"] < progress[0]["loss"]


def test_adapter_is_saved_in_peft_layout(good_round, tiny_model_dir) -> None:  # type: ignore[no-untyped-def]
    workdir, messages = good_round
    trained = result(messages, 3)
    folder = os.path.join(workdir, "adapters", "r1")
    assert trained["adapter_dir"] == folder
    assert {"adapter_config.json", "adapter_model.safetensors"} <= set(os.listdir(folder))
    assert trained["adapter_sha256"] == sha256_file(os.path.join(folder, "adapter_model.safetensors"))
    assert result(messages, 4)["adapter_sha256"] == trained["adapter_sha256"]
    config = json.load(open(os.path.join(folder, "adapter_config.json")))
    assert config["peft_type"] == "LORA" and config["r"] == 8 and config["lora_alpha"] == 16
    assert {name.rsplit(".", 1)[-1] for name in config["target_modules"]} == {
        "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"}
    assert config["base_model_name_or_path"] == tiny_model_dir
    assert not [n for n in os.listdir(os.path.dirname(folder)) if ".partial-" in n]


def test_defaults_are_the_measured_ones_and_seed_000_is_a_preset() -> None:
    config = parse_train_config(None)
    assert config == TrainConfig()
    assert (config.rank, config.learning_rate, config.epochs, config.target_modules, config.replay_share) == (
        8, 5e-4, 3, "all-linear", 0.3)
    seed = parse_train_config({"preset": "seed000"})
    assert (seed.rank, seed.alpha, seed.learning_rate, seed.batch_size, seed.grad_accum, seed.epochs, seed.target_modules, seed.replay_share) == (
        8, 16, 1e-5, 2, 4, 1, "auto", 0.0)
    assert parse_train_config({"preset": "seed000", "epochs": 2}).epochs == 2, "keys override the preset"
    with pytest.raises(EngineError) as caught:
        parse_train_config({"preset": "fast"})
    assert "config.preset must be one of default, seed000" in caught.value.message


@pytest.mark.parametrize(
    "raw, fragment",
    [({"learnig_rate": 1e-3}, "unknown config keys: learnig_rate"), ({"rank": 0}, "config.rank"),
     ({"batch_size": 2.5}, "integer"), ({"target_modules": 3}, "target_modules"), ({"lr_scheduler": "step"}, "lr_scheduler")],
)
def test_bad_config_is_refused(raw, fragment) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(EngineError) as caught:
        parse_train_config(raw)
    assert caught.value.code == "bad_params" and fragment in caught.value.message


def test_learning_rate_schedule() -> None:
    assert [lr_factor("linear", s, 10, 2) for s in (0, 1)] == [0.5, 1.0]
    assert lr_factor("linear", 9, 10, 0) == pytest.approx(0.1)
    assert lr_factor("constant", 9, 10, 0) == 1.0
    assert lr_factor("cosine", 5, 10, 0) == pytest.approx(0.5)


def test_a_round_can_continue_from_a_saved_adapter(good_round, tiny_model_dir, datasets) -> None:  # type: ignore[no-untyped-def]
    workdir, messages = good_round
    first = result(messages, 3)
    again = run_session(workdir, [
        ("load_base", {"model": tiny_model_dir}),
        ("train", {"round_id": "r2", "train_path": datasets["train"], "eval_path": datasets["eval"], "output_dir": "adapters/r2",
                   "init_adapter_path": "adapters/r1", "config": {**FAST_CONFIG, "learning_rate": 0.0, "max_steps": 1}}),
    ])
    second = result(again, 2)
    # With a zero learning rate the round changes nothing, so it must score exactly what round 1 scored.
    assert second["eval"]["eval_loss"] == pytest.approx(first["eval"]["eval_loss"], rel=1e-5)
    assert second["adapter_dir"].endswith("r2")


def test_an_adapter_for_another_model_is_refused_and_changes_nothing(good_round, tiny_model_dir) -> None:  # type: ignore[no-untyped-def]
    from safetensors.torch import load_file, save_file

    workdir, _ = good_round
    good = os.path.join(workdir, "adapters", "r1")
    wrong = os.path.join(workdir, "adapters", "wrong-shape")
    os.makedirs(wrong)
    with open(os.path.join(good, "adapter_config.json")) as src, open(os.path.join(wrong, "adapter_config.json"), "w") as dst:
        dst.write(src.read())
    save_file({k: v.t().contiguous() for k, v in load_file(os.path.join(good, "adapter_model.safetensors")).items()},
              os.path.join(wrong, "adapter_model.safetensors"))
    ask = [{"role": "user", "content": "What is the code for alpha?"}]
    gen = {"messages": ask, "max_tokens": 6, "temperature": 0}
    messages = run_session(workdir, [
        ("load_base", {"model": tiny_model_dir}),
        ("generate", {**gen, "adapter": None}),
        ("load_adapter", {"name": "wrong", "path": wrong}),
        ("generate", {**gen, "adapter": None}),
        ("load_adapter", {"name": "v1.1", "path": good}),
        ("generate", {**gen, "adapter": "v1.1"}),
        ("load_adapter", {"name": "wrong", "path": wrong}),
        ("generate", {**gen, "adapter": "v1.1"}),
        ("list_adapters", {}),
        ("unload_adapter", {"name": "v1.1"}),
        ("generate", {**gen, "adapter": None}),
    ])
    assert [m["error"]["code"] for m in messages if "error" in m] == ["bad_adapter", "bad_adapter"]
    base = result(messages, 2)["text"]
    assert result(messages, 4)["text"] == base and result(messages, 11)["text"] == base
    assert result(messages, 8)["text"] == result(messages, 6)["text"]
    assert [a["name"] for a in result(messages, 9)["adapters"]] == ["v1.1"]
