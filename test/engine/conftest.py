"""Shared fixtures: a tiny model built once per session in a temp dir, and the good/held-out datasets.
Torch is limited to 1 thread so the suite does not starve other work on the machine."""

from __future__ import annotations

import os
import sys

import pytest

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO_ROOT, "trainer-server"))
sys.path.insert(0, os.path.dirname(__file__))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import torch  # noqa: E402

# One thread: on a shared 2-core machine, two threads per tiny op oversubscribe and run ~5x slower.
torch.set_num_threads(int(os.environ.get("ENGINE_TEST_THREADS", "1")))

from chat_data import EVAL_PHRASINGS, TRAIN_PHRASINGS, good_rows, shuffled_rows, write_jsonl  # noqa: E402

# Learns the name->code mapping in a few seconds on the tiny model (held-out exact match ~0.75). No
# replay: these are plumbing tests on random weights, whose "general answers" are noise; replay and the
# behavioural gate are tested on the real base (test_learning_real_base.py).
FAST_CONFIG = {"learning_rate": 1e-2, "epochs": 8, "batch_size": 4, "grad_accum": 1, "warmup_ratio": 0.0,
               "max_seq_len": 128, "target_modules": "all-linear", "replay_share": 0.0}


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    from engine.tiny_model import build_tiny_model

    out = str(tmp_path_factory.mktemp("tiny-model"))
    build_tiny_model(out, vocab_size=512, arch="qwen2")  # the same defaults the trainer-server's fallback uses
    return out


@pytest.fixture(scope="session")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("data")
    return {
        "train": write_jsonl(str(folder / "train.jsonl"), good_rows(TRAIN_PHRASINGS)),
        "shuffled": write_jsonl(str(folder / "shuffled.jsonl"), shuffled_rows(TRAIN_PHRASINGS)),
        "eval": write_jsonl(str(folder / "eval.jsonl"), good_rows(EVAL_PHRASINGS)),
    }


@pytest.fixture(scope="session")
def loaded_base(tiny_model_dir: str):  # type: ignore[no-untyped-def]
    """One in-process copy of the tiny base model for tests that do not mutate adapters permanently."""
    from engine.base_loading import LoadOptions, load_base_model

    return load_base_model(LoadOptions(model=tiny_model_dir))
