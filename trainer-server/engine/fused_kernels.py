"""GPU-only speed-ups for training, chosen at run time:

- Liger kernels (the `liger-kernel` package, Triton): fused RMSNorm, SwiGLU and RoPE, patched into the
  loaded model in place when it is on CUDA and the package imports. Not used on CPU (Triton needs a GPU).
  Liger's fused linear cross-entropy is not used: the engine already runs the LM head only at answer
  positions (engine.answer_loss), and its loss needs the logits there for the replay KL and accuracy.
- Gradient checkpointing switched on when the activations of one packed row would not fit in the memory
  that is free, so a round on a small GPU slows down instead of failing with out-of-memory.

Neither has been measured on a GPU by this project yet (no GPU was available); see README Performance."""

from __future__ import annotations

import importlib.util
from typing import Any

import torch

# Model types whose blocks Liger's per-instance patch knows (RMSNorm + SwiGLU MLP + rotary embeddings).
LIGER_MODEL_TYPES = {"llama", "qwen2", "qwen3", "mistral", "phi3", "gemma", "gemma2", "granite", "olmo2"}


def liger_available() -> bool:
    return importlib.util.find_spec("liger_kernel") is not None


def apply_liger_kernels(model: Any, device: torch.device) -> bool:
    """Patches `model` once; returns whether Liger kernels are in use. Safe to call before every round."""
    if getattr(model, "_autodidact_liger", False):
        return True
    if device.type != "cuda" or not liger_available() or getattr(model.config, "model_type", None) not in LIGER_MODEL_TYPES:
        return False
    from liger_kernel.transformers.monkey_patch import _apply_liger_kernel_to_instance

    _apply_liger_kernel_to_instance(model=model, rope=True, rms_norm=True, swiglu=True, cross_entropy=False, fused_linear_cross_entropy=False)
    model._autodidact_liger = True
    return True


def activation_bytes(model: Any, tokens: int, dtype: torch.dtype) -> int:
    """Rough size of what one forward keeps for backward over `tokens` tokens: per token and layer, about 16
    hidden-sized and 6 MLP-sized tensors (block inputs, norms, q/k/v/o, LoRA inputs, gate/up/SiLU/product)."""
    config = model.config
    per_token_layer = 16 * config.hidden_size + 6 * getattr(config, "intermediate_size", 4 * config.hidden_size)
    return int(tokens * config.num_hidden_layers * per_token_layer * torch.finfo(dtype).bits // 8)


def free_memory_bytes(device: torch.device) -> int:
    if device.type == "cuda":
        free, _total = torch.cuda.mem_get_info(device)
        return int(free)
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 1 << 62  # unknown: assume plenty rather than slow every round down


def checkpointing_needed(model: Any, row_tokens: int, device: torch.device, dtype: torch.dtype) -> bool:
    """True when one row's activations would take more than 70% of the free memory (the rest is left for
    the optimizer state, the LoRA gradients and the allocator's fragmentation)."""
    return activation_bytes(model, row_tokens, dtype) > 0.7 * free_memory_bytes(device)
