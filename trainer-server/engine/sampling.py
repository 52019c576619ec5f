"""Choosing each row's next token from its logits: greedy at temperature 0, else temperature and
nucleus (top_p) sampling with the request's own generator, as OpenAI's parameters mean them."""

from __future__ import annotations

from typing import Any

import torch


def next_tokens(logits: torch.Tensor, rows: list[Any]) -> list[int]:
    """`logits` is [rows, vocab]; each row has `.options` (temperature, top_p) and `.generator`."""
    chosen: list[int] = []
    for row, gen in zip(logits.float(), rows):
        temperature, top_p = gen.options.temperature, gen.options.top_p
        if temperature <= 0:
            chosen.append(int(row.argmax()))
            continue
        probs = torch.softmax(row / temperature, dim=-1)
        if top_p < 1.0:
            ordered, order = probs.sort(descending=True)
            # Keep the smallest set of most likely tokens whose mass reaches top_p (at least one).
            outside = (ordered.cumsum(-1) - ordered) >= top_p
            ordered = ordered.masked_fill(outside, 0.0)
            probs = torch.zeros_like(probs).scatter(0, order, ordered)
        chosen.append(int(torch.multinomial(probs, 1, generator=gen.generator)))
    return chosen
