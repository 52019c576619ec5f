"""Padding-free packing: the examples of one optimizer step are laid end to end in a few rows, with no
padding at all. Attention stays inside each example because positions restart at 0 for every example and
the model is called with attention_mask=None: transformers (>= 4.56, here 5.x) then detects the packed
layout from position_ids and builds a block-diagonal causal mask (sdpa, eager, flex) or variable-length
sequence boundaries (flash attention). engine.answer_loss reads `model_inputs(batch)` for that.

Why it gives the same gradient as padded batches: the loop's loss is the sum of answer-token losses over
the whole optimizer step divided by that step's answer-token count, so how the step's examples are split
into micro-batches does not change it. Packing only changes the split (and removes the padding).
The first token of every packed example carries no label: in a padded row position 0 is never a target,
and in a packed row it would otherwise be "predicted" from the end of the previous example."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from typing import Any, Optional

import torch

from .batching import Batch, collate, length_grouped_batches, length_grouped_indices
from .chat_dataset import IGNORE_INDEX, EncodedExample


@dataclass
class PackedBatch(Batch):
    # Positions restart at 0 for each example in the row; None only for the padded batches of the base class.
    position_ids: Optional[torch.Tensor] = None

    def to(self, device: torch.device) -> "PackedBatch":
        moved = Batch.to(self, device)
        values = {f.name: getattr(moved, f.name) for f in dataclasses.fields(Batch)}
        return PackedBatch(**values, position_ids=None if self.position_ids is None else self.position_ids.to(device))


def model_inputs(batch: Batch) -> dict[str, Any]:
    """Keyword arguments for the model's forward: packed rows get position ids and no 2D mask."""
    positions = getattr(batch, "position_ids", None)
    if positions is None:
        return {"input_ids": batch.input_ids, "attention_mask": batch.attention_mask}
    return {"input_ids": batch.input_ids, "attention_mask": None, "position_ids": positions}


def pack_row(examples: list[EncodedExample], pad_id: int) -> PackedBatch:
    """One row [1, sum of lengths] holding `examples` end to end, in the given order."""
    ids: list[int] = []
    labels: list[int] = []
    positions: list[int] = []
    for example in examples:
        ids.extend(example.input_ids)
        labels.append(IGNORE_INDEX)
        labels.extend(example.labels[1:])
        positions.extend(range(len(example.input_ids)))
    # collate() supplies whatever per-example extras Batch carries (e.g. replay distributions, listed over
    # answer positions in row-major order, which is also their order in the packed row).
    extras = collate(examples, pad_id)
    return PackedBatch(
        **{f.name: getattr(extras, f.name) for f in dataclasses.fields(Batch)
           if f.name not in ("input_ids", "attention_mask", "labels")},
        input_ids=torch.tensor([ids], dtype=torch.long),
        attention_mask=torch.ones((1, len(ids)), dtype=torch.long),
        labels=torch.tensor([labels], dtype=torch.long),
        position_ids=torch.tensor([positions], dtype=torch.long),
    )


def first_fit_rows(examples: list[EncodedExample], row_tokens: int) -> list[list[EncodedExample]]:
    """Longest first, each into the first row with room: few rows, none over row_tokens (an example longer
    than row_tokens gets a row of its own)."""
    rows: list[list[EncodedExample]] = []
    room: list[int] = []
    for example in sorted(examples, key=lambda e: len(e.input_ids), reverse=True):
        n = len(example.input_ids)
        for index, left in enumerate(room):
            if n <= left:
                rows[index].append(example)
                room[index] -= n
                break
        else:
            rows.append([example])
            room.append(row_tokens - n)
    return rows


def step_windows(
    examples: list[EncodedExample], batch_size: int, grad_accum: int, pad_id: int, rng: random.Random,
    packing: bool, row_tokens: int,
) -> list[list[Batch]]:
    """One epoch as a list of optimizer steps, each a list of micro-batches. Both ways draw the same examples
    for each step from the same random state (the padded loop's length-grouped batches), so packing changes
    how a step is computed, never what it learns from: the step count, schedule and gradient stay the same."""
    if not packing:
        batches = length_grouped_batches(examples, batch_size, pad_id, rng)
        return [batches[i : i + grad_accum] for i in range(0, len(batches), grad_accum)]
    groups = length_grouped_indices(examples, batch_size, rng)
    windows: list[list[Batch]] = []
    for first in range(0, len(groups), grad_accum):
        chosen = [examples[i] for group in groups[first : first + grad_accum] for i in group]
        windows.append([pack_row(row, pad_id) for row in first_fit_rows(chosen, row_tokens)])
    return windows


def row_tokens_for(batch_size: int, max_seq_len: int) -> int:
    """A packed row holds at most what one padded micro-batch could (batch_size rows of max_seq_len), so
    peak activation memory is never above the padded loop's worst case."""
    return batch_size * max_seq_len
