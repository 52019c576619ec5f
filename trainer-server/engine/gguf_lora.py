"""A version's PEFT LoRA adapter as a GGUF LoRA adapter that llama.cpp loads on top of a GGUF base.

PEFT stores, per adapted linear layer of the Hugging Face model, `lora_A.weight` (rank x in) and
`lora_B.weight` (out x rank) with the update  W' = W + (lora_alpha / r) * B @ A  (lora_alpha / sqrt(r)
with rsLoRA). llama.cpp's adapter format holds the same two matrices per GGUF weight, named
`<gguf tensor name>.lora_a` / `.lora_b` (numpy shapes rank x in and out x rank), and scales by
`adapter.lora.alpha / rank`. The GGUF tensor names come from the `gguf` package's own HF-name map.

One layout difference matters: llama.cpp's GGUF conversion of llama-family models reorders the rows of
the q and k projections (the two halves of each rotary head are interleaved), and transformers undoes it
when it loads a GGUF. An adapter trained on the HF layout must have its output rows (the rows of B)
reordered the same way, or its attention update lands on the wrong rotary dimensions.

    .venv/bin/python -m engine.gguf_lora --adapter DIR --base-gguf FILE --out FILE.gguf   (from trainer-server/; prints JSON)

The output is written to a temporary sibling and renamed, so a file at --out is always whole.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from typing import Any, Optional

import numpy as np

from engine.json_cli import print_json_outcome

ADAPTER_WEIGHTS = "adapter_model.safetensors"
ADAPTER_CONFIG = "adapter_config.json"
PEFT_PREFIX = "base_model.model."
# llama.cpp architectures whose GGUF conversion reorders q/k rows for rotary embeddings.
ROTARY_PERMUTED_ARCHS = {"llama"}


class AdapterNotConvertible(ValueError):
    """The adapter or base cannot be expressed as a llama.cpp LoRA; the message says why."""


def _base_facts(base_gguf: str) -> dict[str, Any]:
    from gguf import GGUFReader

    reader = GGUFReader(base_gguf)

    def field(key: str) -> Any:
        found = reader.fields.get(key)
        return None if found is None else found.contents()

    arch = field("general.architecture")
    if not isinstance(arch, str):
        raise AdapterNotConvertible(f"{base_gguf} has no general.architecture; is it a GGUF model?")
    facts = {
        "arch": arch,
        "blocks": field(f"{arch}.block_count"),
        "heads": field(f"{arch}.attention.head_count"),
        "kv_heads": field(f"{arch}.attention.head_count_kv") or field(f"{arch}.attention.head_count"),
        "tensors": {t.name: [int(d) for d in reversed(t.shape.tolist())] for t in reader.tensors},
    }
    if not isinstance(facts["blocks"], int):
        raise AdapterNotConvertible(f"{base_gguf} does not say how many blocks {arch} has")
    return facts


def _alpha_for_llama_cpp(config: dict[str, Any]) -> float:
    """llama.cpp scales by alpha / rank; this alpha gives PEFT's own scale for this config."""
    if config.get("use_dora"):
        raise AdapterNotConvertible("DoRA adapters have no llama.cpp LoRA form")
    if config.get("rank_pattern") or config.get("alpha_pattern"):
        raise AdapterNotConvertible("per-layer rank_pattern/alpha_pattern is not supported; one rank and alpha for all layers")
    rank, alpha = config.get("r"), config.get("lora_alpha")
    if not isinstance(rank, int) or rank <= 0 or not isinstance(alpha, (int, float)):
        raise AdapterNotConvertible(f"adapter_config.json needs integer r and numeric lora_alpha; got r={rank!r}, lora_alpha={alpha!r}")
    return float(alpha) * math.sqrt(rank) if config.get("use_rslora") else float(alpha)


def rotary_row_order(rows: np.ndarray, heads: int) -> np.ndarray:
    """HF's rotary layout (first half, second half of each head) to GGUF's interleaved pairs, by rows."""
    head_dim = rows.shape[0] // heads
    return rows.reshape(heads, 2, head_dim // 2, *rows.shape[1:]).swapaxes(1, 2).reshape(rows.shape)


def _pairs(weights: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
    """{hf module name: {"A": ..., "B": ...}} from PEFT's state dict keys."""
    modules: dict[str, dict[str, np.ndarray]] = {}
    for key, value in weights.items():
        if not key.startswith(PEFT_PREFIX):
            raise AdapterNotConvertible(f"unexpected tensor {key} (PEFT LoRA tensors start with {PEFT_PREFIX})")
        name = key[len(PEFT_PREFIX):]
        for part in ("A", "B"):
            suffix = f".lora_{part}.weight"
            if name.endswith(suffix):
                modules.setdefault(name[: -len(suffix)], {})[part] = value
                break
        else:
            raise AdapterNotConvertible(f"{key} is not a LoRA A/B matrix (embedding LoRA and modules_to_save are not supported)")
    for module, pair in modules.items():
        if set(pair) != {"A", "B"}:
            raise AdapterNotConvertible(f"{module} has lora_{'A' if 'A' not in pair else 'B'} missing")
    return modules


def convert(adapter_dir: str, base_gguf: str, out: str) -> dict[str, Any]:
    import gguf
    from safetensors.numpy import load_file

    with open(os.path.join(adapter_dir, ADAPTER_CONFIG), encoding="utf-8") as handle:
        config = json.load(handle)
    alpha = _alpha_for_llama_cpp(config)
    facts = _base_facts(base_gguf)
    arch_name = facts["arch"]
    arch = next((a for a, n in gguf.MODEL_ARCH_NAMES.items() if n == arch_name), None)
    if arch is None:
        raise AdapterNotConvertible(f"the gguf package does not know the architecture {arch_name!r}")
    name_map = gguf.get_tensor_name_map(arch, facts["blocks"])
    modules = _pairs(load_file(os.path.join(adapter_dir, ADAPTER_WEIGHTS)))

    writer_path = f"{out}.partial-{os.getpid()}"
    writer = gguf.GGUFWriter(writer_path, arch_name)
    writer.add_type(gguf.GGUFType.ADAPTER)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, alpha)
    written = 0
    for module in sorted(modules):
        target = name_map.get_name(f"{module}.weight", try_suffixes=(".weight",))
        if target is None:
            raise AdapterNotConvertible(f"no llama.cpp tensor corresponds to {module}")
        base_shape = facts["tensors"].get(target)
        a = modules[module]["A"].astype(np.float32)
        b = modules[module]["B"].astype(np.float32)
        if base_shape is None:
            raise AdapterNotConvertible(f"the base GGUF has no tensor {target} (for {module})")
        if base_shape != [b.shape[0], a.shape[1]]:
            raise AdapterNotConvertible(f"{module}: the adapter is {b.shape[0]}x{a.shape[1]} but {target} in the base is {base_shape[0]}x{base_shape[1]}; was it trained on this base?")
        if arch_name in ROTARY_PERMUTED_ARCHS and target.endswith(".attn_q.weight"):
            b = rotary_row_order(b, facts["heads"])
        elif arch_name in ROTARY_PERMUTED_ARCHS and target.endswith(".attn_k.weight"):
            b = rotary_row_order(b, facts["kv_heads"])
        writer.add_tensor(f"{target}.lora_a", np.ascontiguousarray(a))
        writer.add_tensor(f"{target}.lora_b", np.ascontiguousarray(b))
        written += 1
    try:
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        os.replace(writer_path, out)
    except BaseException:
        if os.path.exists(writer_path):
            os.remove(writer_path)
        raise
    return {"out": os.path.abspath(out), "arch": arch_name, "modules": written, "rank": config["r"], "alpha": alpha, "bytes": os.path.getsize(out)}


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.gguf_lora", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--adapter", required=True, help="PEFT adapter folder (adapter_config.json + adapter_model.safetensors)")
    parser.add_argument("--base-gguf", required=True, help="the GGUF base model the adapter will be applied to")
    parser.add_argument("--out", required=True, help="GGUF LoRA file to write")
    args = parser.parse_args(argv)
    return print_json_outcome(lambda: convert(args.adapter, args.base_gguf, args.out), (AdapterNotConvertible, OSError))


if __name__ == "__main__":
    sys.exit(main())
