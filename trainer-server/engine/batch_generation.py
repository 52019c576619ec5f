"""Greedy answers to many prompts at once, for the behavioural gate and for replay.

Prompts are left-padded into batches of similar length, so one forward per new token serves the whole
batch: on a CPU this is several times faster than answering one prompt after another. Greedy decoding
makes the answers a function of the weights alone, so the parent's and the candidate's answers can be
compared without sampling noise."""

from __future__ import annotations

from typing import Any, Optional

import torch

from .chat_template import render_chat
from .generation import stop_token_ids
from .model_holder import ModelHolder


def greedy_answers(
    holder: ModelHolder, chats: list[list[dict[str, str]]], adapter: Optional[str], max_new_tokens: int, batch_size: int = 16
) -> list[str]:
    """Answers in the order of `chats`. `adapter` is a public served name, or None for the base model."""
    from transformers import GenerationConfig

    tokenizer = holder.tokenizer
    prompts = [render_chat(tokenizer, chat, add_generation_prompt=True) for chat in chats]
    encoded = [tokenizer(p, add_special_tokens=False)["input_ids"] for p in prompts]
    order = sorted(range(len(prompts)), key=lambda i: len(encoded[i]))
    stops = stop_token_ids(holder)
    pad_id = tokenizer.pad_token_id
    config = GenerationConfig(max_new_tokens=max_new_tokens, do_sample=False, eos_token_id=stops, pad_token_id=pad_id)
    answers: list[str] = [""] * len(prompts)
    with holder.serving(adapter) as model, torch.inference_mode():
        for start in range(0, len(order), batch_size):
            group = order[start : start + batch_size]
            width = max(len(encoded[i]) for i in group)
            ids = torch.full((len(group), width), pad_id, dtype=torch.long)
            mask = torch.zeros((len(group), width), dtype=torch.long)
            for row, index in enumerate(group):
                tokens = encoded[index]
                ids[row, width - len(tokens) :] = torch.tensor(tokens)  # left padding: all prompts end together
                mask[row, width - len(tokens) :] = 1
            output = model.generate(
                input_ids=ids.to(holder.device), attention_mask=mask.to(holder.device), generation_config=config
            )
            for row, index in enumerate(group):
                answers[index] = tokenizer.decode(_until_stop(output[row, width:].tolist(), stops), skip_special_tokens=True).strip()
    return answers


def _until_stop(tokens: list[int], stops: list[int]) -> list[int]:
    for position, token in enumerate(tokens):
        if token in stops:
            return tokens[:position]
    return tokens


def generation_stats(answers: list[str], tokenizer: Any) -> int:
    """Total tokens in the answers, for tokens/s figures."""
    return sum(len(tokenizer(a, add_special_tokens=False)["input_ids"]) for a in answers)
