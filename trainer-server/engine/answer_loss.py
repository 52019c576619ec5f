"""Loss and accuracy on answer tokens only.

For architectures whose logits are just `lm_head(hidden)` we run the decoder, then the LM head only on the
positions that carry a label. Prompt positions never reach the head, which saves its matmul and, with
vocabularies of 150k, most of the logits memory. Other architectures (logit soft-capping, scaling) use the
ordinary full forward."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F

from .batching import Batch
from .chat_dataset import IGNORE_INDEX
from .packing import model_inputs

PLAIN_HEAD_MODEL_TYPES = {"llama", "qwen2", "qwen3", "mistral", "phi3", "starcoder2", "qwen2_moe", "qwen3_moe"}


@dataclass
class AnswerLoss:
    loss_sum: torch.Tensor  # summed cross-entropy over answer tokens (differentiable)
    correct: torch.Tensor  # per-row count of answer tokens predicted exactly (argmax)
    counted: torch.Tensor  # per-row count of answer tokens


def _uses_plain_head(model: Any) -> bool:
    config = model.config
    return (
        getattr(config, "model_type", None) in PLAIN_HEAD_MODEL_TYPES
        and not getattr(config, "final_logit_softcapping", None)
        and getattr(config, "logits_scaling", 1.0) in (None, 1.0)
    )


def _answer_logits(model: Any, batch: Batch, keep: torch.Tensor) -> torch.Tensor:
    if _uses_plain_head(model):
        hidden = model.get_decoder()(**model_inputs(batch), use_cache=False).last_hidden_state
        return model.get_output_embeddings()(hidden[:, :-1][keep])
    logits = model(**model_inputs(batch), use_cache=False).logits
    return logits[:, :-1][keep]


def answer_loss(model: Any, batch: Batch) -> AnswerLoss:
    targets = batch.labels[:, 1:]
    keep = targets != IGNORE_INDEX
    logits = _answer_logits(model, batch, keep).float()
    flat_targets = targets[keep]
    loss_sum = F.cross_entropy(logits, flat_targets, reduction="sum")
    hits = torch.zeros_like(targets, dtype=torch.long)
    hits[keep] = (logits.detach().argmax(dim=-1) == flat_targets).long()
    return AnswerLoss(loss_sum, hits.sum(dim=1), keep.sum(dim=1))
