"""Measures training settings on the real base with a convention dataset (engine.convention_data), the way
a round would judge them: held-out compliance of GENERATED answers before -> after, agreement with the
held-out reference, canary drift against the parent's answers, held-out loss change, and whether the
gate (engine.gate_rule) would promote. One JSON line per setting goes to stdout and to --out.

  cd trainer-server && ../.venv/bin/python -m engine.settings_sweep --settings seed000,default --out /tmp/sweep.jsonl
  ../.venv/bin/python -m engine.settings_sweep --recursion        # round 2: continue from round 1 vs retrain on all

The parent's answers (held-out, canary, replay) are generated once and cached in --cache."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from typing import Any, Optional

import torch

from .adapter_files import save_adapter_atomically
from .base_loading import LoadOptions, load_base_model
from .behaviour import DEFAULT_MAX_NEW_TOKENS, behaviour_report, held_out_report
from .chat_dataset import encode_dataset, merge_encoded
from .convention_data import Convention, as_chats, errors_convention, http_convention
from .evaluation import evaluate_examples
from .gate_rule import gate_decision
from .gguf_base import ensure_base
from .lora_training import TrainHooks, lora_config_for, train_adapter
from .model_holder import ModelHolder
from .general_prompts import REPLAY
from .replay import REPLAY_MAX_NEW_TOKENS, ReplaySet, build_replay, encode_replay, replay_count
from .train_config import TrainConfig, parse_train_config

# Named experiments: a preset plus overrides. "default" is whatever presets.PRESETS["default"] holds.
SETTINGS: dict[str, dict[str, Any]] = {
    "seed000": {"preset": "seed000"},
    "lr2e-4_qv_r8_3ep": {"preset": "seed000", "learning_rate": 2e-4, "epochs": 3},
    "lr1e-3_all_r16_3ep_noreplay": {"preset": "seed000", "learning_rate": 1e-3, "epochs": 3, "target_modules": "all-linear", "rank": 16, "alpha": 32},
    "lr1e-3_all_r16_3ep_replay30": {"preset": "seed000", "learning_rate": 1e-3, "epochs": 3, "target_modules": "all-linear", "rank": 16, "alpha": 32, "replay_share": 0.3, "replay_loss": "answers"},
    "lr5e-4_all_r8_3ep_noreplay": {"preset": "seed000", "learning_rate": 5e-4, "epochs": 3, "target_modules": "all-linear", "rank": 8, "alpha": 16},
    "lr5e-4_all_r8_3ep_replay30": {"preset": "seed000", "learning_rate": 5e-4, "epochs": 3, "target_modules": "all-linear", "rank": 8, "alpha": 16, "replay_share": 0.3, "replay_loss": "answers"},
    "lr1e-3_qv_r16_3ep_replay30": {"preset": "seed000", "learning_rate": 1e-3, "epochs": 3, "rank": 16, "alpha": 32, "replay_share": 0.3, "replay_loss": "answers"},
    "lr5e-4_all_r8_2ep_replay30": {"preset": "seed000", "learning_rate": 5e-4, "epochs": 2, "target_modules": "all-linear", "rank": 8, "alpha": 16, "replay_share": 0.3, "replay_loss": "answers"},
    # Self-distillation replay (KL to the parent's distribution on the parent's own answers, engine.distillation).
    "kl_all_r8_lr5e-4_3ep_s30_w1": {"preset": "seed000", "learning_rate": 5e-4, "epochs": 3, "target_modules": "all-linear", "rank": 8, "alpha": 16, "replay_share": 0.3, "replay_loss": "kl", "replay_weight": 1.0},
    "kl_all_r8_lr5e-4_3ep_s30_w4": {"preset": "seed000", "learning_rate": 5e-4, "epochs": 3, "target_modules": "all-linear", "rank": 8, "alpha": 16, "replay_share": 0.3, "replay_loss": "kl", "replay_weight": 4.0},
    "kl_all_r8_lr5e-4_3ep_s50_w4": {"preset": "seed000", "learning_rate": 5e-4, "epochs": 3, "target_modules": "all-linear", "rank": 8, "alpha": 16, "replay_share": 0.5, "replay_loss": "kl", "replay_weight": 4.0},
    "kl_qv_r16_lr1e-3_3ep_s30_w4": {"preset": "seed000", "learning_rate": 1e-3, "epochs": 3, "rank": 16, "alpha": 32, "replay_share": 0.3, "replay_loss": "kl", "replay_weight": 4.0},
    "default": {"preset": "default"},
}


def config_for(name: str) -> TrainConfig:
    return parse_train_config(dict(SETTINGS[name]))


def _items(convention: Convention) -> list[tuple[str, list[dict[str, str]], str]]:
    return [(convention.name, [{"role": "user", "content": q}], a) for q, a in convention.held_out]


def _compliance(convention: Convention, answers: list[str]) -> float:
    return sum(1 for a in answers if convention.follows(a)) / len(answers)


class Sweep:
    def __init__(self, model_dir: str, cache_dir: str, max_new_tokens: int) -> None:
        loaded = load_base_model(LoadOptions(model=model_dir, device="cpu", local_files_only=True))
        self.holder = ModelHolder(loaded.model, loaded.tokenizer, model_dir, loaded.device, loaded.dtype)
        self.cache_dir = cache_dir
        self.max_new_tokens = max_new_tokens
        self.work = tempfile.mkdtemp(prefix="autodidact-sweep-")
        self._count = 0
        os.makedirs(cache_dir, exist_ok=True)

    def parent_behaviour(self, key: str, adapter: Optional[str], items: list[Any]) -> dict[str, Any]:
        path = os.path.join(self.cache_dir, f"parent-{key}-{self.max_new_tokens}-nll.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                return json.load(handle)
        report = behaviour_report(self.holder, adapter, items, None, self.max_new_tokens)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(report, handle)
        return report

    def replay(self, key: str, adapter: Optional[str], count: int, loss: str) -> ReplaySet:
        """The parent's replay answers for the first `count` REPLAY prompts (all 20 generated once, cached)."""
        path = os.path.join(self.cache_dir, f"replay-{key}-{REPLAY_MAX_NEW_TOKENS}.json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                cached = json.load(handle)
        else:
            full = build_replay(self.holder, adapter, len(REPLAY), "kl")
            cached = {"chats": full.chats, "unfinished": full.unfinished}
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(cached, handle)
        wanted = set(REPLAY[:count])
        unfinished = [p for p in cached["unfinished"] if p in wanted]
        replay = ReplaySet([], count, loss, unfinished)
        for chat in cached["chats"]:
            prompt = chat[0]["content"]
            if prompt not in wanted:
                continue
            if loss != "kl" and prompt in unfinished:
                replay.skipped.append(prompt)
            else:
                replay.chats.append(chat)
        return replay

    def train(self, chats: list[list[dict[str, str]]], replay: ReplaySet, config: TrainConfig, init_adapter: Optional[str] = None,
              parent_adapter: Optional[str] = None) -> tuple[str, dict[str, Any]]:
        """Trains, saves and serves an adapter; returns its served name and the training figures."""
        user = encode_dataset(self.holder.tokenizer, chats, config.max_seq_len)
        encoded = merge_encoded(user, encode_replay(self.holder, parent_adapter, replay, config.max_seq_len), len(chats))
        torch.manual_seed(config.seed)
        if init_adapter:
            internal = self.holder.load_training_adapter(init_adapter)
        else:
            internal = self.holder.add_training_adapter(lora_config_for(self.holder.model, config))
        hooks = TrainHooks(on_progress=lambda _fields: None, between_micro_batches=lambda: False)
        outcome = train_adapter(self.holder, internal, encoded.examples, config, "sweep", hooks)
        self._count += 1
        out = os.path.join(self.work, f"adapter-{self._count}")
        save_adapter_atomically(self.holder.peft, internal, self.holder.model_id, out, {"config": config.to_json()})
        self.holder.drop_training_adapter(internal)
        name = f"sweep-{self._count}"
        self.holder.load_adapter(name, out)
        return name, {
            "examples": len(encoded.examples),
            "dropped": len(encoded.dropped),
            "replay": replay.summary(),
            "steps": outcome.steps,
            "train_tokens": outcome.train_tokens,
            "train_wall_s": round(outcome.wall_s, 1),
            "tokens_per_s": round(outcome.train_tokens / outcome.wall_s, 1),
            "path": out,
        }

    def held_out_loss(self, adapter: Optional[str], convention: Convention) -> float:
        encoded = encode_dataset(self.holder.tokenizer, as_chats(convention.held_out), 512)
        with self.holder.serving(adapter) as model:
            return evaluate_examples(model, encoded.examples, self.holder.tokenizer.pad_token_id, self.holder.device, 8)["eval_loss"]


def run_setting(sweep: Sweep, name: str) -> dict[str, Any]:
    convention = http_convention()
    items = _items(convention)
    config = config_for(name)
    parent = sweep.parent_behaviour("base-http", None, items)
    loss_before = sweep.held_out_loss(None, convention)
    train_chats = as_chats(convention.train)
    replay = sweep.replay("base", None, replay_count(len(train_chats), config.replay_share), config.replay_loss)
    started = time.perf_counter()
    adapter, training = sweep.train(train_chats, replay, config)
    after = behaviour_report(sweep.holder, adapter, items, parent["canary"]["answers"], sweep.max_new_tokens, parent["canary"]["answer_nll"])
    loss_after = sweep.held_out_loss(adapter, convention)
    decision = gate_decision(parent, after, loss_before, loss_after)
    result = {
        "setting": name,
        "config": {k: v for k, v in config.to_json().items() if k in ("rank", "alpha", "dropout", "learning_rate", "epochs", "target_modules", "replay_share", "replay_loss", "replay_weight")},
        "compliance": [_compliance(convention, parent["held_out"]["answers"]), _compliance(convention, after["held_out"]["answers"])],
        "agreement": [parent["held_out"]["agreement"], after["held_out"]["agreement"]],
        "canary_similarity": after["canary"]["similarity"],
        **_canary_drift(after["canary"]),
        "canary_per_category": {c: round(v["similarity"], 3) for c, v in after["canary"]["per_category"].items()},
        "loss": [round(loss_before, 4), round(loss_after, 4), round((loss_after - loss_before) / loss_before, 4)],
        "promoted": decision["promoted"],
        "reason": decision["reason"],
        "replay_examples": len(replay.chats),
        "replay": training["replay"],
        **{k: training[k] for k in ("examples", "steps", "train_tokens", "train_wall_s", "tokens_per_s")},
        "round_wall_s": round(time.perf_counter() - started, 1),
        "sample_canary": after["canary"]["answers"][:2],
        "sample_held_out": after["held_out"]["answers"][:1],
    }
    sweep.holder.unload_adapter(adapter)
    return result


def _canary_drift(canary: dict[str, Any]) -> dict[str, Any]:
    """The canary drift fields a setting's row and a recursion mode's row both carry, rounded for the table."""
    return {
        "canary_drifted": canary["drifted"],
        "canary_reworded": canary["reworded"],
        "canary_leaked": canary["leaked"],
        "canary_nll_increase": canary["nll_increase"],
        "canary_rows": [{"similarity": round(r["similarity"], 3), "nll_increase": None if r["nll_increase"] is None else round(r["nll_increase"], 3), "leaked": r["leaked"]} for r in canary["rows"]],
    }


def run_recursion(sweep: Sweep, setting: str, modes: tuple[str, ...] = ("continue", "retrain"), fast: bool = False) -> list[dict[str, Any]]:
    """Round 1 teaches http; round 2 teaches errors either by continuing from round 1's adapter on the
    new data only, or by a fresh adapter on all data. Both mix in replay. With `fast` (for a loaded CPU)
    the replay is the base's cached answers instead of round 1's (the same for both modes, so the
    comparison stands) and the canary is not asked (this measures whether round 1's gains are kept)."""
    http, errors = http_convention(), errors_convention()
    config = config_for(setting)
    replay_base = sweep.replay("base", None, replay_count(len(http.train), config.replay_share), config.replay_loss)
    round1, training1 = sweep.train(as_chats(http.train), replay_base, config)
    parent_items = _items(http) + _items(errors)
    behaviour = held_out_report if fast else None

    def measure(adapter: str, parent_canary: Optional[list[str]], parent_nll: Optional[list[Optional[float]]] = None) -> dict[str, Any]:
        if behaviour is not None:
            # The canary is not asked in fast mode: its fields are empty, and the table says "not measured".
            canary = {"similarity": None, "drifted": None, "reworded": None, "leaked": None, "nll_increase": None, "rows": [], "answers": None}
            return {"held_out": behaviour(sweep.holder, adapter, parent_items, sweep.max_new_tokens), "canary": canary}
        return behaviour_report(sweep.holder, adapter, parent_items, parent_canary, sweep.max_new_tokens, parent_nll)

    parent = measure(round1, None)
    results = []
    for mode in modes:
        new_data = as_chats(errors.train) if mode == "continue" else as_chats(http.train + errors.train)
        count = replay_count(len(new_data), config.replay_share)
        replay = sweep.replay("base", None, count, config.replay_loss) if fast else build_replay(sweep.holder, round1, count, config.replay_loss)
        started = time.perf_counter()
        init = training1["path"] if mode == "continue" else None
        adapter, training = sweep.train(new_data, replay, config, init_adapter=init, parent_adapter=None if fast else round1)
        after = measure(adapter, parent["canary"]["answers"], parent["canary"].get("answer_nll"))
        answers = after["held_out"]["answers"]
        results.append({
            "recursion": mode,
            "setting": setting,
            "replay": "base answers (cached)" if fast else "round 1 answers",
            "http_compliance_round1": _compliance(http, parent["held_out"]["answers"][: len(http.held_out)]),
            "http_compliance_round2": _compliance(http, answers[: len(http.held_out)]),
            "errors_compliance_round1": _compliance(errors, parent["held_out"]["answers"][len(http.held_out) :]),
            "errors_compliance_round2": _compliance(errors, answers[len(http.held_out) :]),
            "canary_similarity_vs_round1": after["canary"]["similarity"],
            **_canary_drift(after["canary"]),
            "examples": training["examples"],
            "train_tokens": training["train_tokens"],
            "train_wall_s": training["train_wall_s"],
            "tokens_per_s": training["tokens_per_s"],
            "round_wall_s": round(time.perf_counter() - started, 1),
        })
        sweep.holder.unload_adapter(adapter)
    sweep.holder.unload_adapter(round1)
    return results


def report(path: str) -> str:
    """A markdown table of a sweep's JSON lines (settings first, then recursion rows)."""
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    lines = [
        "| setting | held-out compliance before -> after | agreement before -> after | canary similarity / drifted (of 18) | reworded / leaked / NLL rise | held-out loss change | promoted | examples (replay) | train tokens | train wall s | tokens/s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "setting" in r and "recursion" not in r:
            likelihood = (
                f"{r['canary_reworded']} / {r['canary_leaked']} / {r['canary_nll_increase']:+.3f}" if r.get("canary_nll_increase") is not None else "not measured"
            )
            lines.append(
                f"| {r['setting']} | {r['compliance'][0]:.2f} -> {r['compliance'][1]:.2f} | {r['agreement'][0]:.2f} -> {r['agreement'][1]:.2f} "
                f"| {r['canary_similarity']:.2f} / {r['canary_drifted']} | {likelihood} | {r['loss'][2]:+.1%} | {'yes' if r['promoted'] else 'no'} "
                f"| {r['examples']} ({r['replay_examples']}) | {r['train_tokens']} | {r['train_wall_s']} | {r['tokens_per_s']} |"
            )
    recursion = [r for r in rows if "recursion" in r]
    if recursion:
        lines += ["", "| round 2 mode | http compliance after round 1 -> after round 2 | errors compliance before -> after round 2 | canary similarity vs round 1 / drifted | examples | train wall s |", "|---|---|---|---|---|---|"]
        for r in recursion:
            lines.append(
                f"| {r['recursion']} | {r['http_compliance_round1']:.2f} -> {r['http_compliance_round2']:.2f} | {r['errors_compliance_round1']:.2f} -> "
                f"{r['errors_compliance_round2']:.2f} | {'n/a' if r['canary_similarity_vs_round1'] is None else round(r['canary_similarity_vs_round1'], 2)} / {r['canary_drifted']} | {r['examples']} | {r['train_wall_s']} |"
            )
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.settings_sweep", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--settings", default=",".join(SETTINGS), help=f"comma-separated, from: {', '.join(SETTINGS)}")
    parser.add_argument("--recursion", metavar="SETTING", help="run the round-2 experiment with this setting instead")
    parser.add_argument("--modes", default="continue,retrain", help="round-2 modes for --recursion")
    parser.add_argument("--fast", action="store_true", help="--recursion on a loaded CPU: cached base replay, no canary")
    parser.add_argument("--out", default="sweep.jsonl")
    parser.add_argument("--cache", default=os.path.join(tempfile.gettempdir(), "autodidact-sweep-cache"))
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's choice)")
    parser.add_argument("--max-new-tokens", type=int, default=DEFAULT_MAX_NEW_TOKENS)
    parser.add_argument("--report", metavar="JSONL", nargs="+", help="print a markdown table of earlier runs and exit")
    args = parser.parse_args(argv)
    if args.report:
        print("\n\n".join(report(path) for path in args.report))
        return 0
    if args.threads:
        torch.set_num_threads(args.threads)
    sweep = Sweep(ensure_base()["out"], args.cache, args.max_new_tokens)
    try:
        batches = [run_recursion(sweep, args.recursion, tuple(args.modes.split(",")), args.fast)] if args.recursion else ([run_setting(sweep, n)] for n in args.settings.split(","))
        for results in batches:
            for result in results:
                line = json.dumps(result)
                print(line, flush=True)
                with open(args.out, "a", encoding="utf-8") as handle:
                    handle.write(line + "\n")
    finally:
        shutil.rmtree(sweep.work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
