"""Self-distillation for replay examples: the candidate is pulled towards the parent's whole next-token
distribution on general requests, not just towards the one token the parent happened to pick.

Training on the parent's greedy answer with cross-entropy (hard labels) is a weak anchor: every answer token
teaches only "this token", and an answer cut at the generation budget would teach stopping mid-sentence.
KL(parent || candidate) at every answer position of the parent's own sequence teaches "answer here as the
parent would", whatever the sequence's length, so an unfinished answer is as good a target as a finished one.

The parent's distribution is taken once, before training, on the exact token sequences that are trained on
(the parent = the base plus the parent version's adapter, or the bare base), and kept as its top-k
log-probabilities plus one bucket for the rest of the vocabulary: a (k+1)-way KL that needs no second model
in memory during training and is exact up to how the tail mass is split."""

from __future__ import annotations

from typing import Any, Optional

import torch

from .answer_loss import _answer_logits
from .batching import collate
from .chat_dataset import IGNORE_INDEX, EncodedExample
from .model_holder import ModelHolder

TOP_K = 32


def attach_parent_distribution(holder: ModelHolder, parent_adapter: Optional[str], examples: list[EncodedExample], top_k: int = TOP_K) -> None:
    """Stores on each example the parent's top-k log-probabilities at its answer positions (in place).
    `parent_adapter` is a public served name, or None when the parent is the base."""
    pad_id = holder.tokenizer.pad_token_id
    # no_grad, not inference_mode: the stored tensors are used in the training graph later.
    with holder.serving(parent_adapter) as model, torch.no_grad():
        for example in examples:
            batch = collate([example], pad_id).to(holder.device)
            keep = batch.labels[:, 1:] != IGNORE_INDEX
            log_probs = torch.log_softmax(_answer_logits(model, batch, keep).float(), dim=-1)
            values, indices = log_probs.topk(top_k, dim=-1)
            example.parent_top = (values.cpu(), indices.cpu())


def describe(examples: list[EncodedExample]) -> dict[str, Any]:
    distilled = [e for e in examples if e.parent_top is not None]
    return {"examples": len(distilled), "positions": sum(int(e.parent_top[0].shape[0]) for e in distilled), "top_k": TOP_K}
