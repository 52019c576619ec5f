"""Any GGUF model file as a plain Hugging Face folder the engine can train on (`--base-model FILE.gguf`).

transformers reads GGUF (with the `gguf` package) and dequantises the weights, but the model it returns
keeps a GGUF quantiser that refuses training and save_pretrained; so, as engine.gguf_base does for the
bundled SmolLM2, the weights are copied into a plain model of the same config and saved once, with the
tokenizer (its chat template included). Converted folders live under --cache, one per GGUF content
(named by the file's sha256), written to a temporary sibling and renamed; a stamp records the source
file's size and mtime so a later start skips re-hashing an unchanged file.

    .venv/bin/python -m engine.gguf_file_base --gguf FILE.gguf --cache DIR     (from trainer-server/; prints JSON)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Optional

from engine.adapter_files import sha256_file
from engine.gguf_conversion import plain_model_from_gguf, publish_converted_folder
from engine.json_cli import print_json_outcome

STAMP = "autodidact_gguf_file_base.json"
CONVERTER_VERSION = 1
INDEX = "index.json"  # {abs gguf path: {"size", "mtime_ns", "sha256"}}: the re-hash shortcut


def _read_json(path: str) -> Optional[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as handle:
            value = json.load(handle)
        return value if isinstance(value, dict) else None
    except (OSError, ValueError):
        return None


def _write_json_atomic(path: str, value: dict[str, Any]) -> None:
    staging = f"{path}.partial-{os.getpid()}"
    with open(staging, "w", encoding="utf-8") as handle:
        json.dump(value, handle, indent=2)
    os.replace(staging, path)


def _content_hash(gguf_path: str, cache: str) -> str:
    stat = os.stat(gguf_path)
    index = _read_json(os.path.join(cache, INDEX)) or {}
    known = index.get(gguf_path)
    if isinstance(known, dict) and known.get("size") == stat.st_size and known.get("mtime_ns") == stat.st_mtime_ns:
        return str(known["sha256"])
    digest = sha256_file(gguf_path)
    index[gguf_path] = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": digest}
    _write_json_atomic(os.path.join(cache, INDEX), index)
    return digest


def _convert(gguf_path: str, staging: str) -> dict[str, Any]:
    from transformers import GenerationConfig

    name = os.path.basename(gguf_path)
    plain, tokenizer, missing, unexpected = plain_model_from_gguf(gguf_path, f"{name} (converted from GGUF)")
    if missing or unexpected:
        raise ValueError(f"{name}: the GGUF weights do not fit a plain {plain.config.model_type} model: missing {missing[:5]}, unexpected {unexpected[:5]}")
    plain.tie_weights()
    eos = tokenizer.eos_token_id
    plain.generation_config = GenerationConfig(eos_token_id=eos, pad_token_id=tokenizer.pad_token_id if tokenizer.pad_token_id is not None else eos, bos_token_id=tokenizer.bos_token_id)
    plain.save_pretrained(staging)
    tokenizer.save_pretrained(staging)
    return {"params": sum(p.numel() for p in plain.parameters()), "arch": plain.config.model_type}


def ensure_folder(gguf_path: str, cache: str) -> dict[str, Any]:
    gguf_path = os.path.abspath(gguf_path)
    if not os.path.isfile(gguf_path):
        raise FileNotFoundError(f"no GGUF file at {gguf_path}")
    os.makedirs(cache, exist_ok=True)
    digest = _content_hash(gguf_path, cache)
    out = os.path.join(cache, digest[:16])
    stamp = _read_json(os.path.join(out, STAMP))
    if stamp and stamp.get("gguf_sha256") == digest and stamp.get("converter_version") == CONVERTER_VERSION:
        return {**stamp, "out": out, "built": False}
    head = {"source": gguf_path, "gguf_sha256": digest, "converter_version": CONVERTER_VERSION}
    return publish_converted_folder(out, STAMP, head, lambda staging: _convert(gguf_path, staging))


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.gguf_file_base", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gguf", required=True, help="the GGUF model file")
    parser.add_argument("--cache", required=True, help="folder holding converted bases")
    args = parser.parse_args(argv)
    return print_json_outcome(lambda: ensure_folder(args.gguf, args.cache), (OSError, ValueError), lambda exc: f"{type(exc).__name__}: {exc}")


if __name__ == "__main__":
    sys.exit(main())
