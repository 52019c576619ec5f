"""One `generate` request: its options, its prompt, and a way to run it alone (tests, benchmarks).

The server runs generations through the continuous-batching scheduler (continuous_batching.py); this
module holds what every generation needs before it joins a batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from .base_loading import context_limit
from .chat_template import render_chat
from .errors import EngineError
from .model_holder import ModelHolder

MAX_STOP_SEQUENCES = 16


@dataclass
class GenerateOptions:
    messages: list[dict[str, str]]
    adapter: Optional[str]
    max_tokens: int = 256
    temperature: float = 1.0
    top_p: float = 1.0
    seed: Optional[int] = None
    stop: list[str] = field(default_factory=list)


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


def parse_stop(value: Any) -> list[str]:
    """OpenAI's `stop`: a string or a list of non-empty strings."""
    if value is None:
        return []
    stops = [value] if isinstance(value, str) else value
    if not isinstance(stops, list) or len(stops) > MAX_STOP_SEQUENCES or not all(isinstance(s, str) and s for s in stops):
        raise EngineError("bad_params", f'"stop" must be a non-empty string or a list of up to {MAX_STOP_SEQUENCES} non-empty strings')
    return stops


def prompt_ids(holder: ModelHolder, options: GenerateOptions) -> list[int]:
    """The rendered chat as token ids; refuses a prompt that cannot fit with max_tokens in the context."""
    tokenizer = holder.tokenizer
    prompt = render_chat(tokenizer, options.messages, add_generation_prompt=True)
    ids: list[int] = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    limit = context_limit(holder.model)
    if limit is not None and len(ids) + options.max_tokens > limit:
        raise EngineError(
            "context_length_exceeded",
            f"prompt ({len(ids)} tokens) plus max_tokens ({options.max_tokens}) exceeds the model's {limit}",
        )
    return ids


def generate_chat(holder: ModelHolder, options: GenerateOptions, on_text: Optional[Callable[[str], None]]) -> dict[str, Any]:
    """Runs one generation to its end on its own (no other request shares its batch)."""
    from .continuous_batching import GenerationScheduler

    outcome: dict[str, Any] = {}
    scheduler = GenerationScheduler(lambda: holder, lambda _key: False)

    def done(result: Optional[dict[str, Any]], error: Optional[EngineError]) -> None:
        outcome.update(result=result, error=error)

    scheduler.submit("local", options, on_text, done)
    scheduler.run_until_idle()
    if outcome["error"] is not None:
        raise outcome["error"]
    return outcome["result"]
