"""The run-time choices of engine.fused_kernels on this (CPU) machine: no Liger kernels off CUDA, and
gradient checkpointing switched on only when a row's activations would not fit in free memory."""

from __future__ import annotations

import torch

from engine.fused_kernels import activation_bytes, apply_liger_kernels, checkpointing_needed, free_memory_bytes


def test_no_liger_kernels_on_cpu(loaded_base) -> None:  # type: ignore[no-untyped-def]
    assert apply_liger_kernels(loaded_base.model, torch.device("cpu")) is False
    assert not getattr(loaded_base.model, "_autodidact_liger", False)


def test_checkpointing_only_when_a_row_would_not_fit(loaded_base) -> None:  # type: ignore[no-untyped-def]
    model, cpu = loaded_base.model, torch.device("cpu")
    assert activation_bytes(model, 2048, torch.float32) == 2 * activation_bytes(model, 1024, torch.float32)
    assert activation_bytes(model, 1024, torch.bfloat16) * 2 == activation_bytes(model, 1024, torch.float32)
    assert not checkpointing_needed(model, 1024, cpu, torch.float32)
    # Enough tokens that their activations exceed all the free memory there is.
    per_token = activation_bytes(model, 1, torch.float32)
    assert checkpointing_needed(model, free_memory_bytes(cpu) // per_token + 1, cpu, torch.float32)
