"""Serving soundly: stop sequences end generation in the engine, requests that arrive at different
moments share batches and get exactly what they would alone (and what transformers' own `generate`
gives), a cancel ends a generation before its next step, and the stdio engine answers a cancel from
another request while it generates."""

from __future__ import annotations

import time
from typing import Any, Optional

import pytest
import torch
from engine_client import EngineProcess

from engine.continuous_batching import GenerationScheduler
from engine.errors import EngineError
from engine.generation import GenerateOptions, generate_chat, prompt_ids, stop_token_ids
from engine.model_holder import ModelHolder

PROMPTS = ["What is the code for alpha?", "Tell me a story about a long road and a small dog.", "hi"]


@pytest.fixture(scope="module")
def holder(loaded_base):  # type: ignore[no-untyped-def]
    return ModelHolder(loaded_base.model, loaded_base.tokenizer, "tiny", loaded_base.device, loaded_base.dtype)


def options(prompt: str, **overrides: Any) -> GenerateOptions:
    return GenerateOptions(messages=[{"role": "user", "content": prompt}], adapter=None, **{"max_tokens": 24, "temperature": 0.0, **overrides})


def reference(holder: ModelHolder, prompt: str, max_tokens: int) -> str:
    """Greedy text from transformers' own generate, one request alone."""
    from transformers import GenerationConfig

    ids = torch.tensor([prompt_ids(holder, options(prompt, max_tokens=max_tokens))])
    config = GenerationConfig(max_new_tokens=max_tokens, do_sample=False, eos_token_id=stop_token_ids(holder), pad_token_id=holder.tokenizer.pad_token_id)
    with holder.serving(None) as model, torch.inference_mode():
        out = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), generation_config=config)
    new = out[0, ids.shape[1]:].tolist()
    stops = set(stop_token_ids(holder))
    new = new[: next((i for i, t in enumerate(new) if t in stops), len(new))]
    return holder.tokenizer.decode(new, skip_special_tokens=True)


class Collected:
    def __init__(self) -> None:
        self.results: dict[str, dict[str, Any]] = {}
        self.pieces: dict[str, list[str]] = {}

    def submit(self, scheduler: GenerationScheduler, key: str, opts: GenerateOptions) -> None:
        self.pieces[key] = []

        def done(result: Optional[dict[str, Any]], error: Optional[EngineError]) -> None:
            assert error is None, error
            self.results[key] = result  # type: ignore[assignment]

        scheduler.submit(key, opts, self.pieces[key].append, done)


def test_requests_joining_a_running_batch_get_what_they_would_alone(holder) -> None:  # type: ignore[no-untyped-def]
    alone = [generate_chat(holder, options(p, max_tokens=24), None)["text"] for p in PROMPTS]
    assert alone == [reference(holder, p, 24) for p in PROMPTS]

    scheduler = GenerationScheduler(lambda: holder, lambda _key: False)
    seen = Collected()
    seen.submit(scheduler, "a", options(PROMPTS[0]))
    for _ in range(5):
        scheduler.step()
    seen.submit(scheduler, "b", options(PROMPTS[1]))  # joins with a longer prompt: the running row is left-padded
    scheduler.step()
    assert len(scheduler._batches[None].rows) == 2  # one batch, not two queued requests
    seen.submit(scheduler, "c", options(PROMPTS[2]))
    scheduler.run_until_idle()
    assert [seen.results[k]["text"] for k in "abc"] == alone
    assert all("".join(seen.pieces[k]) == seen.results[k]["text"] for k in "abc")


def test_a_stop_sequence_ends_generation_in_the_engine(holder) -> None:  # type: ignore[no-untyped-def]
    full = generate_chat(holder, options(PROMPTS[1], max_tokens=40), None)
    text = full["text"]
    stop = text[10:13]
    cut = text.find(stop)
    pieces: list[str] = []
    stopped = generate_chat(holder, options(PROMPTS[1], max_tokens=40, stop=["never-there", stop]), pieces.append)
    assert stopped["finish_reason"] == "stop"
    assert stopped["text"] == text[:cut] and "".join(pieces) == text[:cut]  # no part of the stop text is streamed
    assert stopped["completion_tokens"] < full["completion_tokens"]  # it stopped generating, not only trimming


def test_a_cancel_ends_the_generation_before_its_next_step(holder) -> None:  # type: ignore[no-untyped-def]
    cancelled: set[str] = set()
    scheduler = GenerationScheduler(lambda: holder, lambda key: key in cancelled)
    seen = Collected()
    seen.submit(scheduler, "long", options(PROMPTS[1], max_tokens=400))
    seen.submit(scheduler, "short", options(PROMPTS[0], max_tokens=12))
    for _ in range(4):
        scheduler.step()
    cancelled.add("long")
    scheduler.step()
    assert seen.results["long"]["finish_reason"] == "cancelled"
    assert seen.results["long"]["completion_tokens"] == 5  # the first step prefills (1 token) and decodes (1)
    assert seen.results["long"]["text"] == "".join(seen.pieces["long"])  # what was delivered, nothing more
    assert [g.key for g in scheduler._batches[None].rows] == ["short"]  # the cancelled row left the batch
    scheduler.run_until_idle()
    assert seen.results["short"]["finish_reason"] == "length"


def test_the_stdio_engine_cancels_a_streaming_generation_and_stays_free(tiny_model_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    engine = EngineProcess(str(tmp_path), threads=1)
    try:
        engine.wait_event(lambda e: e["event"] == "log" and e.get("ready"), timeout=120)
        engine.call("load_base", {"model": tiny_model_dir}, timeout=120)
        long_id = engine.send("generate", {"messages": [{"role": "user", "content": PROMPTS[1]}], "adapter": None, "max_tokens": 1500, "temperature": 0, "stream": True})
        engine.wait_event(lambda e: e["event"] == "token" and e["id"] == long_id)
        cancel_at = time.monotonic()
        assert engine.call("cancel", {"generation_id": long_id}) == {"cancelled": True, "state": "running"}
        ended = engine.wait_reply(long_id)["result"]
        assert ended["finish_reason"] == "cancelled" and ended["completion_tokens"] < 1500
        quick = engine.call("generate", {"messages": [{"role": "user", "content": "hi"}], "adapter": None, "max_tokens": 4, "temperature": 0})
        assert quick["completion_tokens"] >= 1 and time.monotonic() - cancel_at < 10
        assert any(m.get("event") == "log" and f"generate {long_id} cancelled" in m.get("message", "") for m in engine.seen)
        assert engine.call("cancel", {"generation_id": long_id}) == {"cancelled": False, "state": "not_found"}
    finally:
        engine.close()


def test_control_requests_run_between_steps_and_model_work_waits_for_the_generations(tmp_path, tiny_model_dir, datasets) -> None:  # type: ignore[no-untyped-def]
    from in_process_session import position, result, run_session

    ask = [{"role": "user", "content": PROMPTS[1]}]
    messages = run_session(str(tmp_path), [
        ("load_base", {"model": tiny_model_dir}),
        ("generate", {"messages": ask, "adapter": None, "max_tokens": 80, "temperature": 0}),
        ("status", {}),
        ("evaluate", {"adapter": None, "eval_path": datasets["eval"]}),
        ("generate", {"messages": ask, "adapter": None, "max_tokens": 3, "temperature": 0}),
    ])
    # status is answered mid-generation; evaluate waits for the generation in flight, and the generate
    # sent after it keeps its place behind it.
    assert position(messages, 3) < position(messages, 2) < position(messages, 4) < position(messages, 5)
    assert result(messages, 2)["completion_tokens"] == 80 and result(messages, 4)["examples"] > 0


def test_two_versions_in_flight_batch_separately_and_each_stays_on_its_adapter(tiny_model_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from peft import LoraConfig, get_peft_model

    from engine.base_loading import LoadOptions, load_base_model

    # A LoRA with random (not zero) B matrices, so the adapter visibly changes the answers.
    donor = load_base_model(LoadOptions(model=tiny_model_dir))
    torch.manual_seed(1)
    get_peft_model(donor.model, LoraConfig(r=4, lora_alpha=64, target_modules="all-linear", init_lora_weights=False)).save_pretrained(str(tmp_path / "v1.1"))
    loaded = load_base_model(LoadOptions(model=tiny_model_dir))
    holder = ModelHolder(loaded.model, loaded.tokenizer, "tiny", loaded.device, loaded.dtype)
    holder.load_adapter("v1.1", str(tmp_path / "v1.1"))

    def alone(adapter: Optional[str]) -> str:
        return generate_chat(holder, GenerateOptions(messages=[{"role": "user", "content": PROMPTS[0]}], adapter=adapter, max_tokens=16, temperature=0.0), None)["text"]

    expected = {"base": alone(None), "tuned": alone("v1.1")}
    assert expected["base"] != expected["tuned"]
    scheduler = GenerationScheduler(lambda: holder, lambda _key: False)
    seen = Collected()
    seen.submit(scheduler, "base", GenerateOptions(messages=[{"role": "user", "content": PROMPTS[0]}], adapter=None, max_tokens=16, temperature=0.0))
    seen.submit(scheduler, "tuned", GenerateOptions(messages=[{"role": "user", "content": PROMPTS[0]}], adapter="v1.1", max_tokens=16, temperature=0.0))
    scheduler.step()
    assert set(scheduler._batches) == {None, "v1.1"}  # one batch per version, taking turns
    scheduler.run_until_idle()
    assert {k: seen.results[k]["text"] for k in ("base", "tuned")} == expected
    assert seen.results["tuned"]["adapter"] == "v1.1" and seen.results["base"]["adapter"] is None
