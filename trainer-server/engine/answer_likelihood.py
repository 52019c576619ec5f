"""How likely a version finds given answers: mean negative log-likelihood per answer token, teacher-forced.

The canary uses it to ask "how much less likely does the candidate find what the parent said?". A greedy
answer of a small model can change its wording after a tiny change of the logits (one different early token
and the rest of the 40 tokens diverge), so the similarity of two greedy answers alone overstates forgetting;
the likelihood of the parent's own answer under the candidate measures it directly."""

from __future__ import annotations

from typing import Optional

import torch
import torch.nn.functional as F

from .answer_loss import _answer_logits
from .batching import collate
from .chat_dataset import IGNORE_INDEX, encode_chat
from .model_holder import ModelHolder


def answers_nll(holder: ModelHolder, adapter: Optional[str], prompts: list[list[dict[str, str]]], answers: list[str]) -> list[Optional[float]]:
    """Per answer: mean NLL (nats per token) of the answer's tokens after its prompt, None for an empty answer.
    The end-of-turn marker is left out: a canary answer is cut at the generation budget, so whether it ends
    there says nothing about the version."""
    pad_id = holder.tokenizer.pad_token_id
    result: list[Optional[float]] = []
    with holder.serving(adapter) as model, torch.inference_mode():
        for prompt, answer in zip(prompts, answers):
            if not answer.strip():
                result.append(None)
                continue
            example, _ = encode_chat(holder.tokenizer, prompt + [{"role": "assistant", "content": answer}], 1 << 30)
            supervised = [i for i, label in enumerate(example.labels) if label != IGNORE_INDEX and i > 0]
            if len(supervised) < 2:
                result.append(None)
                continue
            example.labels[supervised[-1]] = IGNORE_INDEX  # the end-of-turn marker
            batch = collate([example], pad_id).to(holder.device)
            keep = batch.labels[:, 1:] != IGNORE_INDEX
            logits = _answer_logits(model, batch, keep).float()
            result.append(F.cross_entropy(logits, batch.labels[:, 1:][keep], reduction="mean").item())
    return result
