"""FLOPs of one LoRA training token, for MFU. The usual 6 * params rule assumes every weight gets a gradient;
with LoRA the frozen weights only pass gradients back to their inputs, so that rule overstates the work by
about a third. What is counted here, per token, forward + backward (a multiply-add = 2 FLOPs):

  4 * P_frozen          frozen block matrices (q, k, v, o, gate, up, down): forward + input gradient
  6 * P_lora            LoRA A and B: forward + input gradient + weight gradient
  12 * L * d_attn * c   attention scores and weighted values (QK^T and AV, 2 * 2 * d_attn * c forward,
                        twice that backward), c = keys a token attends to, averaged over tokens: (n+1)/2 for
                        an example of n tokens (causal, inside its own example)
  4 * V * h * s         the LM head at answer positions only (s = share of tokens that are answer tokens):
                        the loss needs nothing else, so work a loop spends on the head elsewhere is not counted

Embedding lookups, norms, activations and the optimizer are left out (small, and memory-bound)."""

from __future__ import annotations

from typing import Any


def block_linear_shapes(model: Any) -> list[tuple[int, int]]:
    """(in, out) of every frozen linear layer inside the decoder blocks (LoRA's own layers excluded)."""
    import torch

    shapes = []
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.Linear) and ".layers." in name and "lora_" not in name:
            shapes.append((module.in_features, module.out_features))
    return shapes


def lora_params_for(model: Any, rank: int) -> int:
    """LoRA parameters with `rank` on every block linear layer (target_modules="all-linear")."""
    return sum(rank * (i + o) for i, o in block_linear_shapes(model))


def mean_context(lengths: list[int]) -> float:
    total = sum(lengths)
    return sum(n * (n + 1) / 2 for n in lengths) / total if total else 0.0


def matmul_flops_per_token(model: Any, lora_params: int, answer_share: float) -> float:
    """Everything but attention: frozen block matrices, LoRA, the LM head at answer positions."""
    config = model.config
    frozen = sum(i * o for i, o in block_linear_shapes(model))
    return 4 * frozen + 6 * lora_params + 4 * config.vocab_size * config.hidden_size * answer_share


def attention_flops_per_token(model: Any, lengths: list[int]) -> float:
    config = model.config
    head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads
    return 12 * config.num_hidden_layers * config.num_attention_heads * head_dim * mean_context(lengths)


def flops_per_token(model: Any, lora_params: int, lengths: list[int], answer_share: float) -> float:
    return matmul_flops_per_token(model, lora_params, answer_share) + attention_flops_per_token(model, lengths)
