"""Chat generation with optional token streaming, on the base model or one loaded adapter."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, Callable, Optional

import torch

from .base_loading import context_limit
from .chat_template import render_chat
from .errors import EngineError
from .model_holder import ModelHolder


@dataclass
class GenerateOptions:
    messages: list[dict[str, str]]
    adapter: Optional[str]
    max_tokens: int = 256
    temperature: float = 1.0
    top_p: float = 1.0
    seed: Optional[int] = None


class TextDeltaStreamer:
    """Receives token ids from `generate` as they are produced and emits the new text. Decoding the whole
    completion each time keeps multi-byte characters intact; a trailing U+FFFD means a character is still
    incomplete, so that text waits for the next token."""

    def __init__(self, tokenizer: Any, on_text: Callable[[str], None]) -> None:
        self._tokenizer = tokenizer
        self._on_text = on_text
        self._ids: list[int] = []
        self._sent = 0
        self._prompt_seen = False

    def put(self, value: torch.Tensor) -> None:
        if not self._prompt_seen:  # generate() first hands over the prompt itself
            self._prompt_seen = True
            return
        self._ids.extend(value.reshape(-1).tolist())
        self._flush(final=False)

    def end(self) -> None:
        self._flush(final=True)

    def _flush(self, final: bool) -> None:
        text = self._tokenizer.decode(self._ids, skip_special_tokens=True)
        if not final and text.endswith("\ufffd"):
            return
        if len(text) > self._sent:
            self._on_text(text[self._sent :])
            self._sent = len(text)


def stop_token_ids(holder: ModelHolder) -> list[int]:
    ids: set[int] = set()
    configured = getattr(holder.model.generation_config, "eos_token_id", None)
    if isinstance(configured, int):
        ids.add(configured)
    elif isinstance(configured, (list, tuple)):
        ids.update(int(i) for i in configured)
    if holder.tokenizer.eos_token_id is not None:
        ids.add(holder.tokenizer.eos_token_id)
    return sorted(ids)


def generate_chat(holder: ModelHolder, options: GenerateOptions, on_text: Optional[Callable[[str], None]]) -> dict[str, Any]:
    from transformers import GenerationConfig

    tokenizer = holder.tokenizer
    prompt = render_chat(tokenizer, options.messages, add_generation_prompt=True)
    input_ids = tokenizer(prompt, add_special_tokens=False, return_tensors="pt")["input_ids"].to(holder.device)
    prompt_tokens = int(input_ids.shape[1])
    limit = context_limit(holder.model)
    if limit is not None and prompt_tokens + options.max_tokens > limit:
        raise EngineError(
            "context_length_exceeded",
            f"prompt ({prompt_tokens} tokens) plus max_tokens ({options.max_tokens}) exceeds the model's {limit}",
        )
    stops = stop_token_ids(holder)
    sampling = options.temperature > 0
    config = GenerationConfig(
        max_new_tokens=options.max_tokens,
        do_sample=sampling,
        eos_token_id=stops,
        pad_token_id=tokenizer.pad_token_id,
        **({"temperature": options.temperature, "top_p": options.top_p, "top_k": 0} if sampling else {}),
    )
    streamer = TextDeltaStreamer(tokenizer, on_text) if on_text is not None else None
    rng_scope = torch.random.fork_rng(devices=[holder.device] if holder.device.type == "cuda" else [])
    # A seeded request must not disturb the RNG of a training round it is interleaved with.
    with rng_scope if options.seed is not None else contextlib.nullcontext():
        if options.seed is not None:
            torch.manual_seed(options.seed)
        with holder.serving(options.adapter) as model, torch.inference_mode():
            output = model.generate(
                input_ids=input_ids,
                attention_mask=torch.ones_like(input_ids),
                generation_config=config,
                streamer=streamer,
            )
    completion = output[0, prompt_tokens:].tolist()
    finished = bool(completion) and completion[-1] in stops
    return {
        "text": tokenizer.decode(completion, skip_special_tokens=True),
        "prompt_tokens": prompt_tokens,
        "completion_tokens": len(completion),
        "adapter": options.adapter,
        "finish_reason": "stop" if finished else "length",
    }
