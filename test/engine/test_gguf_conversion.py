"""The steps gguf_base, gguf_file_base and gguf_lora share: publishing a converted folder through a staging
sibling (engine.gguf_conversion) and the one-JSON-line ending of their commands (engine.json_cli). The
conversion itself runs on the real SmolLM2 GGUF in test_offline_base.py and llamaCppLora.test.ts."""

from __future__ import annotations

import json
import os

import pytest

from engine.gguf_conversion import publish_converted_folder
from engine.json_cli import print_json_outcome


def _fill(staging: str) -> dict[str, int]:
    os.makedirs(staging)
    with open(os.path.join(staging, "weights.bin"), "wb") as handle:
        handle.write(b"new")
    return {"params": 3}


def test_a_published_folder_replaces_the_stale_one_and_carries_its_stamp(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "model"
    out.mkdir()
    (out / "weights.bin").write_bytes(b"old")
    (out / "leftover.txt").write_text("from the older converter")
    result = publish_converted_folder(str(out), "stamp.json", {"source": "x.gguf", "gguf_sha256": "ab"}, _fill)
    assert (out / "weights.bin").read_bytes() == b"new"
    assert not (out / "leftover.txt").exists(), "the stale folder is replaced whole, not merged"
    stamp = json.loads((out / "stamp.json").read_text())
    assert list(stamp) == ["source", "gguf_sha256", "params", "convert_s"]
    assert result == {**stamp, "out": str(out), "built": True}
    assert sorted(os.listdir(tmp_path)) == ["model"], "no staging sibling is left behind"


def test_a_failed_conversion_leaves_the_old_folder_and_no_staging(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "model"
    out.mkdir()
    (out / "weights.bin").write_bytes(b"old")

    def fail_halfway(staging: str) -> dict[str, int]:
        _fill(staging)
        raise ValueError("the weights do not fit")

    with pytest.raises(ValueError, match="do not fit"):
        publish_converted_folder(str(out), "stamp.json", {}, fail_halfway)
    assert (out / "weights.bin").read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["model"]


def test_a_command_prints_its_summary_or_its_refusal_as_one_json_line(capsys) -> None:  # type: ignore[no-untyped-def]
    assert print_json_outcome(lambda: {"out": "/m", "built": False}, (OSError,)) == 0
    assert json.loads(capsys.readouterr().out) == {"out": "/m", "built": False}

    def missing() -> dict[str, str]:
        raise FileNotFoundError("no GGUF file at /x.gguf")

    assert print_json_outcome(missing, (OSError, ValueError), lambda exc: f"{type(exc).__name__}: {exc}") == 2
    assert json.loads(capsys.readouterr().out) == {"error": "FileNotFoundError: no GGUF file at /x.gguf"}

    def broken() -> dict[str, str]:
        raise KeyError("a bug, not a refusal")

    with pytest.raises(KeyError):
        print_json_outcome(broken, (OSError,))
    assert capsys.readouterr().out == "", "an unexpected error is not dressed up as a refusal"
