"""Held-out metrics on answer tokens: mean loss, next-token accuracy, and teacher-forced exact match
(the share of examples whose every answer token is the model's top prediction)."""

from __future__ import annotations

from typing import Any

import torch

from .answer_loss import answer_loss
from .batching import sorted_batches
from .chat_dataset import EncodedExample


def evaluate_examples(model: Any, examples: list[EncodedExample], pad_id: int, device: torch.device, batch_size: int) -> dict[str, Any]:
    """Runs with whatever adapter is active on `model`; the caller chooses it."""
    loss_sum, correct, counted, exact = 0.0, 0, 0, 0
    was_training = model.training
    model.eval()
    try:
        with torch.inference_mode():
            for batch in sorted_batches(examples, batch_size, pad_id):
                result = answer_loss(model, batch.to(device))
                loss_sum += result.loss_sum.item()
                correct += int(result.correct.sum().item())
                counted += int(result.counted.sum().item())
                exact += int(((result.correct == result.counted) & (result.counted > 0)).sum().item())
    finally:
        if was_training:
            model.train()
    return {
        "eval_loss": loss_sum / max(1, counted),
        "token_accuracy": correct / max(1, counted),
        "exact_match": exact / max(1, len(examples)),
        "examples": len(examples),
        "answer_tokens": counted,
    }
