"""The engine as the trainer-server runs it: a separate process speaking JSON lines on stdin/stdout."""

from __future__ import annotations

import os
import signal

import pytest
from conftest import FAST_CONFIG
from engine_client import EngineProcess

HELLO = [{"role": "user", "content": "What is the code for alpha?"}]
LONG = {**FAST_CONFIG, "max_steps": 100000}


def start_engine(workdir: str, model_dir: str) -> EngineProcess:
    engine = EngineProcess(workdir, threads=1)
    ready = engine.wait_event(lambda e: e["event"] == "log" and e.get("ready"), timeout=120)
    assert ready["pid"] == engine.proc.pid
    loaded = engine.call("load_base", {"model": model_dir}, timeout=120)
    assert loaded["device"] == "cpu" and loaded["dtype"] == "fp32" and loaded["params"] > 10000
    return engine


@pytest.fixture(scope="module")
def engine(tiny_model_dir, tmp_path_factory):  # type: ignore[no-untyped-def]
    workdir = str(tmp_path_factory.mktemp("stdio"))
    process = start_engine(workdir, tiny_model_dir)
    process.workdir = workdir  # type: ignore[attr-defined]
    yield process
    process.close()
    assert process.proc.returncode == 0


def generate(engine: EngineProcess, adapter, stream: bool = False):  # type: ignore[no-untyped-def]
    req_id = engine.send("generate", {"messages": HELLO, "adapter": adapter, "max_tokens": 12, "temperature": 0, "stream": stream})
    reply = engine.wait_reply(req_id)
    assert "result" in reply, reply
    tokens = [m["text"] for m in engine.seen if m.get("event") == "token" and m["id"] == req_id]
    return reply["result"], tokens


def test_train_serve_and_switch_adapters_end_to_end(engine, datasets) -> None:  # type: ignore[no-untyped-def]
    trained = engine.call("train", {"round_id": "e2e", "train_path": datasets["train"], "eval_path": datasets["eval"],
                                    "output_dir": "adapters/e2e", "config": FAST_CONFIG}, timeout=120)
    progress = [m for m in engine.seen if m.get("event") == "progress" and m["round_id"] == "e2e"]
    assert len(progress) == trained["steps"] and set(progress[0]) == {
        "event", "round_id", "step", "total_steps", "loss", "lr", "tokens_per_s", "eta_s", "tokens"}
    assert engine.call("load_adapter", {"name": "v1.1", "path": trained["adapter_dir"]})["adapter_sha256"] == trained["adapter_sha256"]

    tuned, tokens = generate(engine, "v1.1", stream=True)
    assert tokens and "".join(tokens) == tuned["text"] and tuned["adapter"] == "v1.1"
    assert tuned["completion_tokens"] > 0 and tuned["prompt_tokens"] > 0
    base, _ = generate(engine, None)
    again, _ = generate(engine, "v1.1")
    assert base["text"] != tuned["text"] and again["text"] == tuned["text"]  # switching back restores the adapter

    assert engine.call("list_adapters")["adapters"] == [{"name": "v1.1", "path": trained["adapter_dir"]}]
    assert engine.call("unload_adapter", {"name": "v1.1"}) == {"name": "v1.1", "unloaded": True}
    gone = engine.wait_reply(engine.send("generate", {"messages": HELLO, "adapter": "v1.1"}))
    assert gone["error"]["code"] == "unknown_adapter"
    assert engine.call("list_adapters")["adapters"] == []
    assert generate(engine, None)[0]["text"] == base["text"]  # the base model is untouched by all of it


def test_cancel_stops_a_round_while_generate_is_still_served(engine, datasets) -> None:  # type: ignore[no-untyped-def]
    train_id = engine.send("train", {"round_id": "long", "train_path": datasets["train"], "output_dir": "adapters/long", "config": LONG})
    engine.wait_event(lambda e: e["event"] == "progress" and e["round_id"] == "long")
    served, _ = generate(engine, None, stream=True)  # answered between training steps, not after the round
    assert served["completion_tokens"] > 0
    assert not any(m.get("id") == train_id for m in engine.seen)
    assert engine.call("cancel", {"round_id": "long"}) == {"cancelled": True, "state": "running"}
    assert engine.wait_reply(train_id)["error"]["code"] == "cancelled"
    assert not os.path.exists(os.path.join(engine.workdir, "adapters", "long"))
    retry = engine.call("train", {"round_id": "long-2", "train_path": datasets["train"], "output_dir": "adapters/long",
                                  "config": {**FAST_CONFIG, "max_steps": 3}})
    assert retry["steps"] == 3


def test_malformed_lines_get_error_replies_and_serving_goes_on(engine) -> None:  # type: ignore[no-untyped-def]
    engine.send_line("{not json")
    assert engine.wait_reply(None)["error"]["code"] == "bad_request"
    engine.proc.stdin.write(b"\xff\xfe\n")
    engine.proc.stdin.flush()
    assert engine.wait_reply(None)["error"]["code"] == "bad_request"
    engine.send_line('{"id": "x1", "method": "evaluate", "params": {"eval_path": 7}}')
    assert engine.wait_reply("x1")["error"]["code"] == "bad_params"
    assert engine.call("status")["base"]["device"] == "cpu"


def test_killing_the_engine_mid_round_promotes_no_half_adapter(engine, tiny_model_dir, datasets) -> None:  # type: ignore[no-untyped-def]
    victim = start_engine(engine.workdir, tiny_model_dir)
    victim.send("train", {"round_id": "doomed", "train_path": datasets["train"], "output_dir": "adapters/doomed", "config": LONG})
    victim.wait_event(lambda e: e["event"] == "progress" and e["step"] >= 2)
    victim.proc.send_signal(signal.SIGKILL)
    victim.proc.wait(timeout=20)
    assert not os.path.exists(os.path.join(engine.workdir, "adapters", "doomed"))
    # The next round into the same folder works and its adapter loads.
    after = engine.call("train", {"round_id": "after", "train_path": datasets["train"], "output_dir": "adapters/doomed",
                                  "config": {**FAST_CONFIG, "max_steps": 3}})
    engine.call("load_adapter", {"name": "after-kill", "path": after["adapter_dir"]})
    assert engine.call("unload_adapter", {"name": "after-kill"})["unloaded"] is True
