"""Replay for learning without forgetting: the parent's own greedy answers to general requests
(engine.general_prompts.REPLAY), mixed into a round's training set. They pull the candidate back towards
the parent's behaviour everywhere the user's data says nothing.

Two ways to learn from them (config.replay_loss):
- "kl" (default): self-distillation, KL(parent || candidate) at every answer position (engine.distillation).
  Every answer is used in full, also one that hit the generation budget: matching the parent's distribution
  on a prefix teaches nothing about where to stop.
- "answers": cross-entropy on the parent's answer text. An answer that did not finish within the budget is
  not used here: training on it would teach the model to stop mid-sentence. Such prompts are reported.
Either way the manifest says how many were requested, used and unfinished."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Optional

from .batch_generation import greedy_answers
from .chat_dataset import EncodedDataset, encode_dataset
from .distillation import attach_parent_distribution
from .general_prompts import REPLAY
from .model_holder import ModelHolder

# Long enough that most answers to the short REPLAY requests end by themselves (measured: 96 tokens left
# half of them unfinished); with the KL loss an unfinished one is still used.
REPLAY_MAX_NEW_TOKENS = 128


@dataclass
class ReplaySet:
    chats: list[list[dict[str, str]]]
    requested: int
    loss: str = "kl"
    unfinished: list[str] = field(default_factory=list)  # prompts whose answer hit the token limit
    skipped: list[str] = field(default_factory=list)  # prompts not trained on (empty, or unfinished with "answers")

    def summary(self) -> dict[str, Any]:
        return {"requested": self.requested, "used": len(self.chats), "unfinished": len(self.unfinished), "skipped": len(self.skipped), "loss": self.loss}


def replay_count(train_examples: int, share: float) -> int:
    """How many replay examples make up `share` of the mixed set (capped by the prompts there are)."""
    if share <= 0 or train_examples <= 0:
        return 0
    return min(len(REPLAY), math.ceil(train_examples * share / (1.0 - share)))


def build_replay(
    holder: ModelHolder, parent_adapter: Optional[str], count: int, loss: str = "kl", max_new_tokens: int = REPLAY_MAX_NEW_TOKENS
) -> ReplaySet:
    """`parent_adapter` is the served name of the parent version, or None when the parent is the base."""
    if count <= 0:
        return ReplaySet([], 0, loss)
    prompts = REPLAY[:count]
    chats = [[{"role": "user", "content": p}] for p in prompts]
    answers = greedy_answers(holder, chats, parent_adapter, max_new_tokens + 1)
    tokenizer = holder.tokenizer
    replay = ReplaySet([], count, loss)
    for prompt, answer in zip(prompts, answers):
        # Generated with one token to spare: an answer longer than the limit did not end by itself.
        unfinished = bool(answer) and len(tokenizer(answer, add_special_tokens=False)["input_ids"]) > max_new_tokens
        if unfinished:
            replay.unfinished.append(prompt)
        if not answer or (unfinished and loss != "kl"):
            replay.skipped.append(prompt)
            continue
        replay.chats.append([{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}])
    return replay


def encode_replay(holder: ModelHolder, parent_adapter: Optional[str], replay: ReplaySet, max_seq_len: int) -> EncodedDataset:
    """The replay set's training examples; with the KL loss each carries the parent's distribution, taken
    with the parent served (`parent_adapter` loaded under that name, or None for the base)."""
    encoded = encode_dataset(holder.tokenizer, replay.chats, max_seq_len)
    if replay.loss == "kl":
        attach_parent_distribution(holder, parent_adapter, encoded.examples)
    return encoded
