"""The two steps engine.gguf_base (the bundled SmolLM2) and engine.gguf_file_base (any GGUF file) share when
they turn a GGUF model into a plain Hugging Face folder the engine can train on.

transformers reads GGUF (with the `gguf` package) and dequantises the weights, but the model it returns keeps
a GGUF quantiser that refuses training and save_pretrained; so the weights are copied into a plain model of
the same config (`plain_model_from_gguf`). The folder is built in a temporary sibling, stamped, and renamed
into place (`publish_converted_folder`), so a half-written folder is never loaded.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from typing import Any, Callable


def plain_model_from_gguf(gguf_path: str, name_or_path: str) -> tuple[Any, Any, list[str], list[str]]:
    """The GGUF's tokenizer and its weights in a plain model of the same config named `name_or_path`, with the
    state-dict keys that did not fit (missing, the tied lm_head.weight aside; unexpected): the caller refuses
    a model where either list is not empty, then ties the weights."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder, name = os.path.dirname(gguf_path), os.path.basename(gguf_path)
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    loaded = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
    config = loaded.config
    # The plain copy must not inherit the GGUF quantisation entry, or loading it would look for a GGUF again.
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    config.name_or_path = name_or_path
    plain = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    missing, unexpected = plain.load_state_dict(loaded.state_dict(), strict=False)
    # Tied embeddings: lm_head.weight is the embedding matrix and may be absent from the state dict.
    missing = [key for key in missing if key != "lm_head.weight"]
    return plain, tokenizer, missing, unexpected


def publish_converted_folder(out: str, stamp_name: str, stamp_head: dict[str, Any], convert: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """Runs `convert(staging)` to fill a temporary sibling of `out`, writes the stamp there (`stamp_head`, what
    `convert` returned, and the seconds it took) and renames the sibling to `out`, replacing a stale folder.
    On any failure the sibling is removed and `out` is left as it was. Returns the stamp with `out` and built=True."""
    started = time.monotonic()
    staging = f"{out}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        summary = convert(staging)
        stamp = {**stamp_head, **summary, "convert_s": round(time.monotonic() - started, 1)}
        with open(os.path.join(staging, stamp_name), "w", encoding="utf-8") as handle:
            json.dump(stamp, handle, indent=2)
        # The rename publishes the new folder in one step.
        shutil.rmtree(out, ignore_errors=True)
        os.rename(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return {**stamp, "out": out, "built": True}
