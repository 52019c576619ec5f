"""Continuous batching for `generate`: every request in flight advances by one token per model forward.

Requests on the same adapter share one batch (a KV cache with one row per request). A request that
arrives while a batch runs is prefilled on its own and then joins the batch at the next step, its
cache left-padded to the batch's length; a request that ends (end-of-turn token, a stop sequence,
max_tokens, or a cancel) leaves the batch at once, so no work is spent on it afterwards. Batches of
different adapters take turns, one step each, so a hot-swap never makes one version wait for another.

The server calls `step()` between reading requests; cancels are checked before every step, so a
cancelled request costs at most the step that was already running. Rotary position ids are given per
row, so left padding changes nothing for Llama/Qwen-style models."""

from __future__ import annotations

import inspect
import logging
import random
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import torch

from .errors import EngineError
from .generation import GenerateOptions, prompt_ids, stop_token_ids
from .model_holder import ModelHolder
from .sampling import next_tokens

log = logging.getLogger("engine")

MAX_BATCH_ROWS = 32  # per adapter; more requests wait for a free row
Done = Callable[[Optional[dict[str, Any]], Optional[EngineError]], None]


@dataclass
class Generation:
    key: str  # the request id as the cancel registry knows it
    options: GenerateOptions
    prompt: list[int]
    generator: torch.Generator
    on_text: Optional[Callable[[str], None]]
    on_done: Done
    tokens: list[int] = field(default_factory=list)
    completion_tokens: int = 0
    text: str = ""
    sent: int = 0  # characters of `text` already streamed
    finish: Optional[str] = None


@dataclass
class Batch:
    adapter: Optional[str]
    rows: list[Generation]
    cache: Any  # transformers DynamicCache, one row per generation
    mask: torch.Tensor  # [rows, cache length]: 0 where a row is left padding
    positions: torch.Tensor  # [rows]: the position id of each row's next token
    pending: torch.Tensor  # [rows]: each row's newest token, not yet in the cache


class GenerationScheduler:
    def __init__(self, holder: Callable[[], ModelHolder], is_cancelled: Callable[[str], bool]) -> None:
        self._holder = holder
        self._is_cancelled = is_cancelled
        self._waiting: list[Generation] = []
        self._batches: dict[Optional[str], Batch] = {}

    @property
    def busy(self) -> bool:
        return bool(self._waiting or self._batches)

    def adapters_in_use(self) -> set[Optional[str]]:
        return {g.options.adapter for g in self._waiting} | set(self._batches)

    def submit(self, key: str, options: GenerateOptions, on_text: Optional[Callable[[str], None]], on_done: Done) -> None:
        """Checks the request (errors are raised here, before any work) and queues it for the next step."""
        holder = self._holder()
        holder.internal_name(options.adapter)
        prompt = prompt_ids(holder, options)
        seed = options.seed if options.seed is not None else random.SystemRandom().randrange(2**63)
        # A generator per request: sampling never touches the global RNG a training round depends on.
        generator = torch.Generator(device=holder.device).manual_seed(seed)
        self._waiting.append(Generation(key, options, prompt, generator, on_text, on_done))

    def step(self) -> None:
        """Admits waiting requests, then advances every batch by one token."""
        holder = self._holder()
        self._admit(holder)
        for adapter in list(self._batches):
            batch = self._batches[adapter]
            try:
                self._decode(holder, batch)
            except EngineError as exc:
                self._fail(batch.rows, exc)
                self._batches.pop(adapter, None)
            except Exception as exc:  # a failed forward fails its batch, never the server
                log.exception("a generation batch failed")
                self._fail(batch.rows, EngineError("internal", f"{type(exc).__name__}: {exc}"))
                self._batches.pop(adapter, None)

    def run_until_idle(self) -> None:
        while self.busy:
            self.step()

    def abort_all(self, error: EngineError) -> None:
        self._fail(self._waiting + [g for b in self._batches.values() for g in b.rows], error)
        self._waiting, self._batches = [], {}

    # -- admission ----------------------------------------------------------------------------------
    def _admit(self, holder: ModelHolder) -> None:
        still_waiting: list[Generation] = []
        joining: dict[Optional[str], list[Generation]] = {}
        for gen in self._waiting:
            if self._is_cancelled(gen.key):
                self._finish(gen, "cancelled")
                continue
            group = joining.setdefault(gen.options.adapter, [])
            room = MAX_BATCH_ROWS - len(self._batches[gen.options.adapter].rows) if gen.options.adapter in self._batches else MAX_BATCH_ROWS
            (group if len(group) < room else still_waiting).append(gen)
        self._waiting = still_waiting
        for adapter, group in joining.items():
            if not group:
                continue
            try:
                joined = self._prefill(holder, adapter, group)
            except EngineError as exc:
                self._fail(group, exc)
                continue
            except Exception as exc:
                log.exception("prefill failed")
                self._fail(group, EngineError("internal", f"{type(exc).__name__}: {exc}"))
                continue
            if joined is not None:
                current = self._batches.get(adapter)
                self._batches[adapter] = joined if current is None else _merge(current, joined)

    def _prefill(self, holder: ModelHolder, adapter: Optional[str], group: list[Generation]) -> Optional[Batch]:
        """Runs the prompts (left-padded to one width) and picks each request's first token."""
        from transformers import DynamicCache

        width = max(len(g.prompt) for g in group)
        pad = holder.tokenizer.pad_token_id or 0
        ids = torch.full((len(group), width), pad, dtype=torch.long)
        mask = torch.zeros((len(group), width), dtype=torch.long)
        for row, gen in enumerate(group):
            ids[row, width - len(gen.prompt) :] = torch.tensor(gen.prompt)
            mask[row, width - len(gen.prompt) :] = 1
        ids, mask = ids.to(holder.device), mask.to(holder.device)
        positions = (mask.cumsum(-1) - 1).clamp(min=0)
        cache = DynamicCache()
        with holder.serving(adapter) as model, torch.inference_mode():
            logits = model(input_ids=ids, attention_mask=mask, position_ids=positions, **_cache_arg(model, cache), use_cache=True, logits_to_keep=1).logits[:, -1, :]
        batch = Batch(adapter, group, cache, mask, mask.sum(-1), torch.zeros(len(group), dtype=torch.long, device=holder.device))
        return self._accept(holder, batch, next_tokens(logits, group))

    # -- decoding -----------------------------------------------------------------------------------
    def _decode(self, holder: ModelHolder, batch: Batch) -> None:
        cancelled = [g for g in batch.rows if self._is_cancelled(g.key)]
        for gen in cancelled:
            self._finish(gen, "cancelled")
        current = _keep(batch, [i for i, g in enumerate(batch.rows) if g.finish is None]) if cancelled else batch
        if current is None:
            del self._batches[batch.adapter]
            return
        current.mask = torch.cat([current.mask, torch.ones((len(current.rows), 1), dtype=torch.long, device=current.mask.device)], dim=1)
        with holder.serving(current.adapter) as model, torch.inference_mode():
            logits = model(
                input_ids=current.pending[:, None], attention_mask=current.mask, position_ids=current.positions[:, None],
                **_cache_arg(model, current.cache), use_cache=True,
            ).logits[:, -1, :]
        current.positions = current.positions + 1
        following = self._accept(holder, current, next_tokens(logits, current.rows))
        if following is None:
            del self._batches[batch.adapter]
        else:
            self._batches[batch.adapter] = following

    def _accept(self, holder: ModelHolder, batch: Batch, chosen: list[int]) -> Optional[Batch]:
        """Adds each row's new token, streams the new text, and drops the rows that finished."""
        stops = set(stop_token_ids(holder))
        for gen, token in zip(batch.rows, chosen):
            gen.completion_tokens += 1
            if token in stops:
                self._finish(gen, "stop")
                continue
            gen.tokens.append(token)
            text = holder.tokenizer.decode(gen.tokens, skip_special_tokens=True)
            cut = _first_stop(text, gen.options.stop)
            if cut is not None:
                gen.text = text[:cut]
                self._finish(gen, "stop")
            elif len(gen.tokens) >= gen.options.max_tokens:
                gen.text = text
                self._finish(gen, "length")
            else:
                gen.text = text
                self._stream(gen, _safe_length(text, gen.options.stop))
        batch.pending = torch.tensor(chosen, dtype=torch.long, device=batch.pending.device)
        return _keep(batch, [i for i, g in enumerate(batch.rows) if g.finish is None])

    def _stream(self, gen: Generation, upto: int) -> None:
        if gen.on_text is not None and upto > gen.sent:
            gen.on_text(gen.text[gen.sent : upto])
            gen.sent = upto

    def _finish(self, gen: Generation, reason: str) -> None:
        gen.finish = reason
        if reason == "cancelled":
            # What the client actually received; a request that never streamed had nothing delivered.
            gen.text = gen.text[: gen.sent] if gen.on_text is not None else gen.text
            log.info("generate %s cancelled after %d tokens", gen.key, gen.completion_tokens)
        else:
            self._stream(gen, len(gen.text))
        gen.on_done({
            "text": gen.text,
            "prompt_tokens": len(gen.prompt),
            "completion_tokens": gen.completion_tokens,
            "adapter": gen.options.adapter,
            "finish_reason": reason,
        }, None)

    def _fail(self, gens: list[Generation], error: EngineError) -> None:
        for gen in gens:
            if gen.finish is None:
                gen.finish = "error"
                gen.on_done(None, error)


def _first_stop(text: str, stops: list[str]) -> Optional[int]:
    found = [at for at in (text.find(s) for s in stops) if at >= 0]
    return min(found) if found else None


def _safe_length(text: str, stops: list[str]) -> int:
    """How much of `text` can be streamed now: not a trailing partial character (U+FFFD until its next
    byte arrives), nor a tail that may turn out to start a stop sequence."""
    end = len(text)
    while end > 0 and text[end - 1] == "\ufffd":
        end -= 1
    held = 0
    for stop in stops:
        for length in range(min(len(stop) - 1, end), held, -1):
            if text[:end].endswith(stop[:length]):
                held = length
                break
    return end - held


def _keep(batch: Batch, rows: list[int]) -> Optional[Batch]:
    """The batch with only `rows`; leading columns that are padding for every remaining row are cut."""
    if not rows:
        return None
    if len(rows) == len(batch.rows):
        return batch
    index = torch.tensor(rows, dtype=torch.long, device=batch.mask.device)
    mask = batch.mask[index]
    start = int((mask.sum(0) > 0).nonzero()[0]) if mask.numel() else 0
    layers = [(layer.keys[index, :, start:, :], layer.values[index, :, start:, :]) for layer in batch.cache.layers]
    return Batch(batch.adapter, [batch.rows[i] for i in rows], _cache_of(layers), mask[:, start:], batch.positions[index], batch.pending[index])


def _merge(running: Batch, joining: Batch) -> Batch:
    """One batch from two, the shorter cache left-padded to the longer one's length."""
    length = max(running.mask.shape[1], joining.mask.shape[1])

    def left_pad(t: torch.Tensor, dim: int) -> torch.Tensor:
        missing = length - t.shape[dim]
        if missing == 0:
            return t
        shape = list(t.shape)
        shape[dim] = missing
        return torch.cat([torch.zeros(shape, dtype=t.dtype, device=t.device), t], dim=dim)

    layers = [
        (torch.cat([left_pad(a.keys, 2), left_pad(b.keys, 2)]), torch.cat([left_pad(a.values, 2), left_pad(b.values, 2)]))
        for a, b in zip(running.cache.layers, joining.cache.layers)
    ]
    return Batch(
        running.adapter, running.rows + joining.rows, _cache_of(layers),
        torch.cat([left_pad(running.mask, 1), left_pad(joining.mask, 1)]),
        torch.cat([running.positions, joining.positions]), torch.cat([running.pending, joining.pending]),
    )


def _cache_arg(model: Any, cache: Any) -> dict[str, Any]:
    """transformers 5.x renamed `past_key_values` to `cache` (the old name warns, then goes in 5.40)."""
    return {"cache": cache} if "cache" in inspect.signature(model.forward).parameters else {"past_key_values": cache}


def _cache_of(layers: list[tuple[torch.Tensor, torch.Tensor]]) -> Any:
    from transformers import DynamicCache

    return DynamicCache(ddp_cache_data=layers)
