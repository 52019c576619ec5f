"""A train call reports where its time went (result "parts_s"), so round wall time can be split into the
parent's replay answers, dataset encoding, adapter setup, training, evaluation and saving."""

from __future__ import annotations

from conftest import FAST_CONFIG
from in_process_session import result, run_session

from engine.methods import ROUND_PARTS


def test_train_reports_its_parts(tiny_model_dir, datasets, tmp_path) -> None:  # type: ignore[no-untyped-def]
    messages = run_session(str(tmp_path), [
        ("load_base", {"model": tiny_model_dir}),
        ("train", {"round_id": "parts", "train_path": datasets["train"], "eval_path": datasets["eval"], "output_dir": "adapters/parts",
                   "config": {**FAST_CONFIG, "max_steps": 2, "replay_share": 0.2}}),
    ])
    trained = result(messages, 2)
    parts = trained["parts_s"]
    assert list(parts) == list(ROUND_PARTS)
    assert all(seconds >= 0 for seconds in parts.values())
    assert parts["training"] == trained["train_wall_s"] or abs(parts["training"] - trained["train_wall_s"]) < 0.05
    assert parts["replay"] > 0  # replay_share > 0: the parent's answers were generated
    assert sum(parts.values()) <= trained["wall_s"] + 0.01
