"""Writing an adapter so that a crash at any moment leaves either the whole adapter or none of it.

Files go to a staging folder beside the target, are fsynced, and the folder is renamed into place: a
rename within one filesystem is atomic, so `output_dir` never holds half an adapter."""

from __future__ import annotations

import copy
import glob
import hashlib
import json
import os
import shutil
import uuid
from typing import Any

ADAPTER_WEIGHTS = "adapter_model.safetensors"
ADAPTER_CONFIG = "adapter_config.json"
ROUND_INFO = "autodidact_round.json"


def staging_prefix(output_dir: str) -> str:
    return f"{output_dir.rstrip(os.sep)}.partial-"


def remove_stale_staging(output_dir: str) -> list[str]:
    """Staging folders left by a killed engine are garbage by construction; returns what was removed."""
    removed = []
    for path in glob.glob(glob.escape(staging_prefix(output_dir)) + "*"):
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def sha256_file(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_path(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save_adapter_atomically(peft_model: Any, internal: str, model_id: str, output_dir: str, info: dict[str, Any]) -> str:
    """Saves one adapter in PEFT's standard layout at output_dir; returns the weights' SHA-256."""
    from peft import get_peft_model_state_dict
    from safetensors.torch import save_file

    parent = os.path.dirname(os.path.abspath(output_dir))
    os.makedirs(parent, exist_ok=True)
    staging = f"{staging_prefix(output_dir)}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    os.mkdir(staging)
    try:
        state = get_peft_model_state_dict(peft_model, adapter_name=internal)
        tensors = {key: value.detach().to("cpu").contiguous() for key, value in state.items()}
        save_file(tensors, os.path.join(staging, ADAPTER_WEIGHTS), metadata={"format": "pt"})
        config = copy.deepcopy(peft_model.peft_config[internal])
        config.inference_mode = True
        config.base_model_name_or_path = model_id
        config.save_pretrained(staging)
        with open(os.path.join(staging, ROUND_INFO), "w", encoding="utf-8") as handle:
            json.dump(info, handle, indent=2)
        for name in os.listdir(staging):
            _fsync_path(os.path.join(staging, name))
        _fsync_path(staging)
        digest = sha256_file(os.path.join(staging, ADAPTER_WEIGHTS))
        os.rename(staging, output_dir)
        _fsync_path(parent)
        return digest
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
