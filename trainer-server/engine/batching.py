"""Micro-batches for training and evaluation: grouped by length so little compute goes to padding."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Optional

import torch

from .chat_dataset import IGNORE_INDEX, EncodedExample


@dataclass
class Batch:
    input_ids: torch.Tensor
    attention_mask: torch.Tensor
    labels: torch.Tensor
    # For replay examples (engine.distillation): over the batch's answer positions in row-major order, which
    # ones learn from the parent's distribution, and that distribution's top-k log-probabilities and ids.
    parent: Optional[tuple[torch.Tensor, torch.Tensor, torch.Tensor]] = None

    @property
    def tokens(self) -> int:
        """Real (non-padding) tokens, the figure that training throughput is quoted in."""
        return int(self.attention_mask.sum().item())

    @property
    def supervised_tokens(self) -> int:
        return int((self.labels[:, 1:] != IGNORE_INDEX).sum().item())

    def to(self, device: torch.device) -> "Batch":
        parent = None if self.parent is None else tuple(t.to(device) for t in self.parent)
        return Batch(self.input_ids.to(device), self.attention_mask.to(device), self.labels.to(device), parent)  # type: ignore[arg-type]


def collate(examples: list[EncodedExample], pad_id: int) -> Batch:
    width = max(len(e.input_ids) for e in examples)
    ids = torch.full((len(examples), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(examples), width), dtype=torch.long)
    labels = torch.full((len(examples), width), IGNORE_INDEX, dtype=torch.long)
    for row, example in enumerate(examples):
        n = len(example.input_ids)
        ids[row, :n] = torch.tensor(example.input_ids)
        mask[row, :n] = 1
        labels[row, :n] = torch.tensor(example.labels)
    return Batch(ids, mask, labels, _parent_targets(examples))


def _parent_targets(examples: list[EncodedExample]) -> Optional[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """For a micro-batch: (distil mask over its answer positions in row-major order, parent log-probs,
    parent indices) with zero rows for the examples that learn from labels. None if no example distils."""
    if not any(e.parent_top is not None for e in examples):
        return None
    k = next(e.parent_top[0].shape[1] for e in examples if e.parent_top is not None)
    masks, values, indices = [], [], []
    for example in examples:
        n = sum(1 for label in example.labels[1:] if label != IGNORE_INDEX)
        if example.parent_top is None:
            masks.append(torch.zeros(n, dtype=torch.bool))
            values.append(torch.zeros((n, k)))
            indices.append(torch.zeros((n, k), dtype=torch.long))
        else:
            if example.parent_top[0].shape[0] != n:
                raise ValueError(f"parent distribution covers {example.parent_top[0].shape[0]} positions, the example has {n}")
            masks.append(torch.ones(n, dtype=torch.bool))
            values.append(example.parent_top[0])
            indices.append(example.parent_top[1])
    return torch.cat(masks), torch.cat(values), torch.cat(indices)


def length_grouped_batches(
    examples: list[EncodedExample], batch_size: int, pad_id: int, rng: random.Random
) -> list[Batch]:
    return [collate([examples[i] for i in group], pad_id) for group in length_grouped_indices(examples, batch_size, rng)]


def length_grouped_indices(examples: list[EncodedExample], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffles, sorts within windows of 64 batches by length, then shuffles the batches: random order for
    SGD, but neighbours of similar length so padding stays small. Returns each batch's example indices."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    window = batch_size * 64
    grouped: list[list[int]] = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda i: len(examples[i].input_ids))
        grouped.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(grouped)
    return grouped


def sorted_batches(examples: list[EncodedExample], batch_size: int, pad_id: int) -> list[Batch]:
    """Deterministic batches for evaluation, shortest first."""
    order = sorted(range(len(examples)), key=lambda i: len(examples[i].input_ids))
    return [collate([examples[i] for i in order[s : s + batch_size]], pad_id) for s in range(0, len(order), batch_size)]
