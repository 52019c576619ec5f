"""Replay for learning without forgetting: the parent's own greedy answers to general requests
(engine.general_prompts.REPLAY), mixed into a round's training set as self-distillation examples. They
pull the candidate back towards the parent's behaviour everywhere the user's data says nothing.

An answer that did not finish within the token limit is not used: training on it would teach the model
to stop mid-sentence. Such prompts are reported, never silently dropped."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Optional

from .batch_generation import greedy_answers
from .general_prompts import REPLAY
from .model_holder import ModelHolder

REPLAY_MAX_NEW_TOKENS = 96


@dataclass
class ReplaySet:
    chats: list[list[dict[str, str]]]
    requested: int
    unfinished: list[str] = field(default_factory=list)  # prompts whose answer hit the token limit

    def summary(self) -> dict[str, Any]:
        return {"requested": self.requested, "used": len(self.chats), "unfinished": len(self.unfinished)}


def replay_count(train_examples: int, share: float) -> int:
    """How many replay examples make up `share` of the mixed set (capped by the prompts there are)."""
    if share <= 0 or train_examples <= 0:
        return 0
    return min(len(REPLAY), math.ceil(train_examples * share / (1.0 - share)))


def build_replay(holder: ModelHolder, parent_adapter: Optional[str], count: int, max_new_tokens: int = REPLAY_MAX_NEW_TOKENS) -> ReplaySet:
    """`parent_adapter` is the served name of the parent version, or None when the parent is the base."""
    if count <= 0:
        return ReplaySet([], 0)
    prompts = REPLAY[:count]
    chats = [[{"role": "user", "content": p}] for p in prompts]
    answers = greedy_answers(holder, chats, parent_adapter, max_new_tokens + 1)
    tokenizer = holder.tokenizer
    replay = ReplaySet([], count)
    for prompt, answer in zip(prompts, answers):
        # Generated with one token to spare: an answer longer than the limit did not end by itself.
        if not answer or len(tokenizer(answer, add_special_tokens=False)["input_ids"]) > max_new_tokens:
            replay.unfinished.append(prompt)
            continue
        replay.chats.append([{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}])
    return replay
