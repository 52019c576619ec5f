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


def answer_loss(model: Any, batch: Batch, distill_weight: float = 1.0) -> AnswerLoss:
    """Summed cross-entropy over answer tokens; positions of replay examples that carry the parent's
    distribution (batch.parent) contribute distill_weight * KL(parent || model) instead."""
    targets = batch.labels[:, 1:]
    keep = targets != IGNORE_INDEX
    logits = _answer_logits(model, batch, keep).float()
    flat_targets = targets[keep]
    if batch.parent is None:
        loss_sum = F.cross_entropy(logits, flat_targets, reduction="sum")
    else:
        distil, parent_log_probs, parent_indices = batch.parent
        ce = F.cross_entropy(logits, flat_targets, reduction="none")
        kl = distillation_kl(logits, parent_log_probs, parent_indices)
        loss_sum = torch.where(distil, distill_weight * kl, ce).sum()
    hits = torch.zeros_like(targets, dtype=torch.long)
    hits[keep] = (logits.detach().argmax(dim=-1) == flat_targets).long()
    return AnswerLoss(loss_sum, hits.sum(dim=1), keep.sum(dim=1))


def distillation_kl(logits: torch.Tensor, parent_log_probs: torch.Tensor, parent_indices: torch.Tensor) -> torch.Tensor:
    """Per-position KL(parent || candidate) over the parent's top-k tokens plus one bucket for all others.
    logits: (n, vocab) candidate logits; parent_*: (n, k). Returns (n,)."""
    log_q_all = torch.log_softmax(logits.float(), dim=-1)
    log_q = log_q_all.gather(1, parent_indices)
    p = parent_log_probs.exp()
    kl = (p * (parent_log_probs - log_q)).sum(dim=1)
    # The rest of the vocabulary as one bucket; clamped so a top-k that holds all the mass adds nothing.
    p_rest = (1.0 - p.sum(dim=1)).clamp_min(1e-8)
    q_rest = (1.0 - log_q.exp().sum(dim=1)).clamp_min(1e-8)
    return kl + p_rest * (p_rest.log() - q_rest.log())
