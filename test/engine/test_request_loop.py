"""The request loop in process: ordering while a round trains, shutdown, bad input, and crash safety of saves."""

from __future__ import annotations

import importlib.util
import os

import pytest
from conftest import FAST_CONFIG
from in_process_session import position, reply, result, run_session

LONG = {**FAST_CONFIG, "max_steps": 100000}
HELLO = [{"role": "user", "content": "What is the code for alpha?"}]


def train_params(datasets, output_dir: str, config=None, round_id: str = "r"):  # type: ignore[no-untyped-def]
    return {"round_id": round_id, "train_path": datasets["train"], "output_dir": output_dir, "config": config or FAST_CONFIG}


def test_generate_interleaves_with_training_and_other_requests_keep_their_order(tmp_path, tiny_model_dir, datasets) -> None:  # type: ignore[no-untyped-def]
    messages = run_session(str(tmp_path), [
        ("load_base", {"model": tiny_model_dir}),
        ("train", train_params(datasets, "out", {**FAST_CONFIG, "max_steps": 20})),
        ("generate", {"messages": HELLO, "adapter": None, "max_tokens": 4, "temperature": 0}),
        ("load_adapter", {"name": "v1.1", "path": "out"}),
        ("generate", {"messages": HELLO, "adapter": "v1.1", "max_tokens": 4, "temperature": 0}),
    ])
    # The first generate ran between training steps; load_adapter waited for the round it depends on,
    # and the generate behind it kept its place in line.
    assert position(messages, 3) < position(messages, 2) < position(messages, 4) < position(messages, 5)
    assert result(messages, 2)["steps"] == 20
    assert result(messages, 5)["adapter"] == "v1.1"
    assert any(m.get("event") == "progress" for m in messages[position(messages, 3):position(messages, 2)])

    # Serving in the middle of a round leaves the round's result bit-for-bit what it is without it.
    alone = run_session(str(tmp_path), [
        ("load_base", {"model": tiny_model_dir}),
        ("train", train_params(datasets, "out-alone", {**FAST_CONFIG, "max_steps": 20})),
    ])
    assert result(alone, 2)["final_loss"] == result(messages, 2)["final_loss"]
    assert result(alone, 2)["adapter_sha256"] == result(messages, 2)["adapter_sha256"]


def test_shutdown_during_a_round_cancels_it_and_refuses_what_follows(tmp_path, tiny_model_dir, datasets) -> None:  # type: ignore[no-untyped-def]
    messages = run_session(str(tmp_path), [
        ("load_base", {"model": tiny_model_dir}),
        ("train", train_params(datasets, "out", LONG)),
        ("shutdown", {}),
        ("evaluate", {"adapter": None, "eval_path": datasets["eval"]}),
    ])
    assert reply(messages, 2)["error"]["code"] == "cancelled"
    assert result(messages, 3) == {"ok": True}
    assert reply(messages, 4)["error"]["code"] == "shutting_down"
    assert not os.path.exists(tmp_path / "out")
    assert not [n for n in os.listdir(tmp_path) if ".partial-" in n]


def test_cancel_of_a_queued_round_removes_it(tmp_path, tiny_model_dir, datasets) -> None:  # type: ignore[no-untyped-def]
    messages = run_session(str(tmp_path), [
        ("load_base", {"model": tiny_model_dir}),
        ("train", train_params(datasets, "a", {**FAST_CONFIG, "max_steps": 5}, round_id="a")),
        ("train", train_params(datasets, "b", LONG, round_id="b")),
        ("cancel", {"round_id": "b"}),
        ("cancel", {"round_id": "nope"}),
    ])
    assert result(messages, 4) == {"cancelled": True, "state": "queued"}
    assert reply(messages, 3)["error"]["code"] == "cancelled"
    assert result(messages, 5) == {"cancelled": False, "state": "not_found"}
    assert result(messages, 2)["steps"] == 5 and not os.path.exists(tmp_path / "b")


@pytest.mark.parametrize(
    "line, code",
    [("this is not json", "bad_request"), ("[1, 2]", "bad_request"), ('{"id": 9}', "bad_request"),
     ('{"id": 9, "method": "fly"}', "unknown_method"), ('{"id": 9, "method": "train", "params": {}}', "no_model"),
     ('{"id": 9, "method": "generate", "params": []}', "bad_request")],
)
def test_malformed_requests_get_errors_and_the_loop_goes_on(tmp_path, line: str, code: str) -> None:  # type: ignore[no-untyped-def]
    messages = run_session(str(tmp_path), [line, ("status", {})])
    assert messages[0]["error"]["code"] == code
    assert result(messages, 2)["base"] is None


def test_bad_params_are_refused_before_any_work(tmp_path, tiny_model_dir, datasets) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "taken").mkdir()
    messages = run_session(str(tmp_path), [
        ("load_base", {"model": tiny_model_dir}),
        ("train", train_params(datasets, "taken")),
        ("train", {**train_params(datasets, "x"), "train_path": "missing.jsonl"}),
        ("generate", {"messages": HELLO, "adapter": "never-loaded"}),
        ("load_adapter", {"name": "v1", "path": "nowhere"}),
        ("load_base", {"model": tiny_model_dir, "device": "tpu"}),
        ("generate", {"messages": HELLO, "max_tokens": 5000}),
        ("load_base", {"model": str(tmp_path / "no-such-model")}),
        ("load_base", {"model": tiny_model_dir, "load_in_4bit": True}),
        ("status", {}),
    ])
    codes = [reply(messages, n)["error"]["code"] for n in range(2, 10)]
    no_4bit = "missing_dependency" if importlib.util.find_spec("bitsandbytes") is None else "device_unavailable"
    assert codes == ["output_exists", "not_found", "unknown_adapter", "not_found", "bad_params", "context_length_exceeded",
                     "not_found", no_4bit]
    assert result(messages, 10)["base"]["model"] == tiny_model_dir  # refused loads kept the loaded model


def test_a_crash_while_saving_leaves_no_adapter_and_stale_staging_is_cleared(tmp_path, tiny_model_dir, datasets, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import safetensors.torch

    def write_half_then_die(tensors, path, metadata=None):  # type: ignore[no-untyped-def]
        with open(path, "wb") as handle:
            handle.write(b"half an adapter")
        raise OSError("disk vanished")

    monkeypatch.setattr(safetensors.torch, "save_file", write_half_then_die)
    quick = {**FAST_CONFIG, "max_steps": 5}
    crashed = run_session(str(tmp_path), [("load_base", {"model": tiny_model_dir}), ("train", train_params(datasets, "out", quick))])
    assert reply(crashed, 2)["error"]["code"] == "internal" and "disk vanished" in reply(crashed, 2)["error"]["message"]
    assert not os.path.exists(tmp_path / "out")
    monkeypatch.undo()

    (tmp_path / "out.partial-4242-deadbeef").mkdir()  # what a SIGKILL between write and rename leaves
    (tmp_path / "out.partial-4242-deadbeef" / "adapter_model.safetensors").write_bytes(b"junk")
    fine = run_session(str(tmp_path), [("load_base", {"model": tiny_model_dir}), ("train", train_params(datasets, "out", quick))])
    assert result(fine, 2)["adapter_dir"] == str(tmp_path / "out")
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_a_diverging_round_fails_clearly_and_saves_nothing(tmp_path, tiny_model_dir, datasets, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import engine.lora_training as training

    real_loss = training.answer_loss
    calls = []

    def loss_that_blows_up(model, batch, *weight):  # type: ignore[no-untyped-def]
        # Stand-in for fp16 overflow or a bad learning rate, which the tiny model on a CPU cannot be made to hit.
        result = real_loss(model, batch, *weight)
        calls.append(1)
        if len(calls) > 3:
            result.loss_sum = result.loss_sum * float("nan")
        return result

    monkeypatch.setattr(training, "answer_loss", loss_that_blows_up)
    messages = run_session(str(tmp_path), [
        ("load_base", {"model": tiny_model_dir}),
        ("train", train_params(datasets, "out", {**FAST_CONFIG, "max_steps": 30})),
        ("status", {}),
    ])
    error = reply(messages, 2)["error"]
    assert error["code"] == "diverged" and "step 4" in error["message"]  # steps count from 1, as in progress events
    assert not os.path.exists(tmp_path / "out")
    # status was answered between steps of the round, so it saw the round running
    assert result(messages, 3)["training_round"] == "r" and position(messages, 3) < position(messages, 2)
