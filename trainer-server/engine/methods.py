"""The protocol's methods (see PROTOCOL.md). Each takes a Request and returns the result object."""

from __future__ import annotations

import gc
import os
import time
from typing import Any, Optional

import torch

from . import base_loading
from .adapter_files import ADAPTER_CONFIG, ADAPTER_WEIGHTS, remove_stale_staging, save_adapter_atomically, sha256_file
from .behaviour import DEFAULT_MAX_NEW_TOKENS, behaviour_report, held_out_items
from .chat_dataset import EncodedDataset, encode_dataset, load_encoded, merge_encoded, parse_messages, read_chat_jsonl, read_chat_rows
from .errors import EngineError
from .evaluation import evaluate_examples
from .generation import GenerateOptions, generate_chat
from .json_lines import Request
from .lora_training import TrainHooks, lora_config_for, train_adapter
from .model_holder import ModelHolder
from .replay import ReplaySet, build_replay, encode_replay, replay_count
from .params import optional_bool, optional_int, optional_number, optional_str, required_str, resolve_path
from .server_loop import EngineServer, generation_key
from .continuous_batching import GenerationScheduler
from .generation import parse_stop
from .train_config import TrainConfig, parse_train_config


# The parts of a train call, in order (see PROTOCOL.md): the parent's replay answers, encoding the dataset,
# creating the adapter, the training loop, the optional evaluation, saving the adapter.
ROUND_PARTS = ("replay", "dataset", "adapter_setup", "training", "evaluation", "save")


def _round_id(params: dict[str, Any]) -> str:
    value = params.get("round_id")
    if isinstance(value, bool) or not isinstance(value, (str, int)) or value == "":
        raise EngineError("bad_params", '"round_id" is required (a string or an integer)')
    return str(value)


class EngineMethods:
    def __init__(self, server: EngineServer, workdir: str) -> None:
        self.server = server
        self.workdir = workdir
        self.holder: Optional[ModelHolder] = None
        self._load_key: Optional[tuple[Any, ...]] = None
        self._base_info: dict[str, Any] = {}
        server.generations = GenerationScheduler(self._model, lambda key: server.generation_cancelled(key))
        server.handlers.update(
            {
                "load_base": self.load_base,
                "train": self.train,
                "evaluate": self.evaluate,
                "load_adapter": self.load_adapter,
                "unload_adapter": self.unload_adapter,
                "list_adapters": self.list_adapters,
                "generate": self.generate,
                "behaviour": self.behaviour,
                "status": self.status,
            }
        )

    def _path(self, params: dict[str, Any], key: str) -> str:
        return resolve_path(self.workdir, required_str(params, key))

    def _model(self) -> ModelHolder:
        if self.holder is None:
            raise EngineError("no_model", "no base model is loaded; call load_base first")
        return self.holder

    def load_base(self, request: Request) -> dict[str, Any]:
        p = request.params
        model = required_str(p, "model")
        if not os.path.isabs(model) and os.path.isdir(os.path.join(self.workdir, model)):
            model = os.path.join(self.workdir, model)
        options = base_loading.LoadOptions(
            model=model,
            device=optional_str(p, "device", "auto") or "auto",
            dtype=optional_str(p, "dtype", "auto") or "auto",
            load_in_4bit=optional_bool(p, "load_in_4bit", False),
            local_files_only=optional_bool(p, "local_files_only", False),
        )
        key = (options.model, options.device, options.dtype, options.load_in_4bit)
        if self.holder is not None and key == self._load_key:
            return {**self._base_info, "already_loaded": True}
        base_loading.check_load_options(options)
        if self.holder is not None:  # a different base: free the old one first, one copy at a time
            self.holder, self._load_key, self._base_info = None, None, {}
            gc.collect()
            if torch.cuda.is_available():
                torch.cuda.empty_cache()
        started = time.perf_counter()
        loaded = base_loading.load_base_model(options)
        self.holder = ModelHolder(loaded.model, loaded.tokenizer, options.model, loaded.device, loaded.dtype)
        self._load_key = key
        self._base_info = {
            "model": options.model,
            "device": base_loading.model_device_name(loaded.device),
            "dtype": base_loading.dtype_name(loaded.dtype),
            "params": base_loading.count_parameters(loaded.model),
            "load_in_4bit": options.load_in_4bit,
            "chat_template": "fallback" if loaded.fallback_template else "model",
            "max_position_embeddings": base_loading.context_limit(loaded.model),
        }
        return {**self._base_info, "load_s": round(time.perf_counter() - started, 3), "already_loaded": False}

    def train(self, request: Request) -> dict[str, Any]:
        holder = self._model()
        p = request.params
        round_id = _round_id(p)
        train_path = self._path(p, "train_path")
        eval_path = resolve_path(self.workdir, p["eval_path"]) if optional_str(p, "eval_path") else None
        output_dir = self._path(p, "output_dir")
        init_adapter = optional_str(p, "init_adapter_path")
        parent_adapter = optional_str(p, "parent_adapter_path")
        config = parse_train_config(p.get("config"))
        if os.path.lexists(output_dir):
            raise EngineError("output_exists", f"{output_dir} already exists; every round needs a fresh output_dir")
        remove_stale_staging(output_dir)
        started = time.perf_counter()
        user_chats = read_chat_jsonl(train_path)
        marks = [time.perf_counter()]  # where a round's time goes: one mark after each part (result "parts_s")
        replay, replay_data = self._replay(holder, parent_adapter, replay_count(len(user_chats), config.replay_share), config)
        marks.append(time.perf_counter())
        train_data = merge_encoded(encode_dataset(holder.tokenizer, user_chats, config.max_seq_len), replay_data, len(user_chats))
        if not train_data.examples:
            raise EngineError("bad_dataset", f"no example of {train_path} can be trained on: {train_data.dropped_summary()['reasons']}")
        eval_data = load_encoded(holder.tokenizer, eval_path, config.max_seq_len) if eval_path else None
        marks.append(time.perf_counter())
        torch.manual_seed(config.seed)  # LoRA init and dropout are reproducible per seed
        if init_adapter:
            internal = holder.load_training_adapter(resolve_path(self.workdir, init_adapter))
        else:
            internal = holder.add_training_adapter(lora_config_for(holder.model, config))
        hooks = TrainHooks(
            on_progress=lambda fields: self.server.writer.event("progress", **fields),
            between_micro_batches=self.server.poll_during_training,
        )
        self.server.begin_round(round_id)
        try:
            marks.append(time.perf_counter())
            outcome = train_adapter(holder, internal, train_data.examples, config, round_id, hooks)
            marks.append(time.perf_counter())
            metrics = None
            if eval_data is not None:
                metrics = evaluate_examples(holder.model, eval_data.examples, holder.tokenizer.pad_token_id, holder.device, 8)
            marks.append(time.perf_counter())
            hooks.between_micro_batches()  # a cancel that arrived during evaluation still wins over saving
            info = {
                "round_id": round_id,
                "base_model": holder.model_id,
                "config": config.to_json(),
                "init_adapter_path": init_adapter,
                "train_examples": len(train_data.examples),
                "dataset": {**train_data.dropped_summary(), "replay": replay.summary()},
                "train_tokens": outcome.train_tokens,
                "eval": metrics,
            }
            digest = save_adapter_atomically(holder.peft, internal, holder.model_id, output_dir, info)
            marks.append(time.perf_counter())
        finally:
            self.server.end_round()
            holder.drop_training_adapter(internal)
        return {
            "round_id": round_id,
            "adapter_dir": output_dir,
            "adapter_sha256": digest,
            "train_tokens": outcome.train_tokens,
            "supervised_tokens": outcome.supervised_tokens,
            "steps": outcome.steps,
            "final_loss": outcome.final_loss,
            "wall_s": round(time.perf_counter() - started, 3),
            "train_wall_s": round(outcome.wall_s, 3),
            "parts_s": {name: round(marks[i + 1] - marks[i], 3) for i, name in enumerate(ROUND_PARTS)},
            "tokens_per_s": round(outcome.train_tokens / outcome.wall_s, 2) if outcome.wall_s > 0 else 0.0,
            "examples": len(train_data.examples),
            "skipped_examples": train_data.skipped,
            # Rows 1..N are the user's examples, then the replay examples, in that order.
            "dataset": {**train_data.dropped_summary(), "user_examples": len(user_chats), "replay": replay.summary()},
            "eval": metrics,
        }

    def _replay(self, holder: ModelHolder, parent_adapter: Optional[str], count: int, config: TrainConfig) -> tuple[ReplaySet, EncodedDataset]:
        """The parent's answers to general requests, encoded (with the parent's distribution for the KL
        loss); the parent's adapter is served just for this."""
        if count == 0:
            return ReplaySet([], 0, config.replay_loss), EncodedDataset([], [])
        name = None if parent_adapter is None else f"replay-parent-{os.getpid()}"
        if name is not None:
            holder.load_adapter(name, resolve_path(self.workdir, parent_adapter))
        try:
            replay = build_replay(holder, name, count, config.replay_loss)
            return replay, encode_replay(holder, name, replay, config.max_seq_len)
        finally:
            if name is not None:
                holder.unload_adapter(name)

    def behaviour(self, request: Request) -> dict[str, Any]:
        """Greedy answers to the held-out requests (scored against their reference answers) and to the
        canary requests (compared with `parent_canary_answers` and, teacher-forced, with the parent's
        likelihood of them, `parent_canary_nll`, when given)."""
        holder = self._model()
        p = request.params
        adapter = optional_str(p, "adapter")
        holder.internal_name(adapter)
        parent = p.get("parent_canary_answers")
        if parent is not None and not (isinstance(parent, list) and all(isinstance(a, str) for a in parent)):
            raise EngineError("bad_params", '"parent_canary_answers" must be a list of strings')
        parent_nll = p.get("parent_canary_nll")
        if parent_nll is not None and not (
            isinstance(parent_nll, list) and all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in parent_nll)
        ):
            raise EngineError("bad_params", '"parent_canary_nll" must be a list of numbers (or nulls)')
        items = held_out_items(read_chat_rows(self._path(p, "eval_path")), optional_int(p, "max_held_out", 24, 1, 10000))
        max_new = optional_int(p, "max_new_tokens", DEFAULT_MAX_NEW_TOKENS, 1, 4096)
        try:
            report = behaviour_report(holder, adapter, items, parent, max_new, parent_nll)
        except ValueError as exc:
            raise EngineError("bad_params", str(exc)) from exc
        return {**report, "adapter": adapter}

    def evaluate(self, request: Request) -> dict[str, Any]:
        holder = self._model()
        p = request.params
        adapter = optional_str(p, "adapter")
        eval_path = self._path(p, "eval_path")
        max_seq_len = optional_int(p, "max_seq_len", 512, 8, 1 << 20)
        batch_size = optional_int(p, "batch_size", 8, 1, 4096)
        holder.internal_name(adapter)  # unknown adapters fail before any work
        data = load_encoded(holder.tokenizer, eval_path, max_seq_len)
        with holder.serving(adapter) as model:
            metrics = evaluate_examples(model, data.examples, holder.tokenizer.pad_token_id, holder.device, batch_size)
        return {**metrics, "adapter": adapter, "skipped_examples": data.skipped}

    def load_adapter(self, request: Request) -> dict[str, Any]:
        holder = self._model()
        name = required_str(request.params, "name")
        path = self._path(request.params, "path")
        weights = os.path.join(path, ADAPTER_WEIGHTS)
        if not (os.path.isfile(os.path.join(path, ADAPTER_CONFIG)) and os.path.isfile(weights)):
            raise EngineError("not_found", f"{path} has no {ADAPTER_CONFIG} and {ADAPTER_WEIGHTS}")
        holder.load_adapter(name, path)
        return {"name": name, "path": path, "adapter_sha256": sha256_file(weights)}

    def unload_adapter(self, request: Request) -> dict[str, Any]:
        name = required_str(request.params, "name")
        self._model().unload_adapter(name)
        return {"name": name, "unloaded": True}

    def list_adapters(self, request: Request) -> dict[str, Any]:
        holder = self._model()
        return {"adapters": [{"name": n, "path": path} for n, (_, path) in holder.served.items()]}

    def status(self, request: Request) -> dict[str, Any]:
        return {
            "base": self._base_info or None,
            "training_round": self.server.current_round(),
            "adapters": [] if self.holder is None else sorted(self.holder.served),
        }

    def generate(self, request: Request) -> None:
        """Queues the request in the batching scheduler; it replies when the generation ends."""
        p = request.params
        try:
            seed = p.get("seed")
            if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
                raise EngineError("bad_params", '"seed" must be an integer')
            options = GenerateOptions(
                messages=parse_messages(p.get("messages"), "generate", "bad_params"),
                adapter=optional_str(p, "adapter"),
                max_tokens=optional_int(p, "max_tokens", 256, 1, 1 << 20),
                temperature=optional_number(p, "temperature", 1.0, 0.0, 10.0),
                top_p=optional_number(p, "top_p", 1.0, 0.0, 1.0),
                seed=seed,
                stop=parse_stop(p.get("stop")),
            )
            self._model()
            stream = optional_bool(p, "stream", False)
            on_text = (lambda text: self.server.writer.event("token", id=request.id, text=text)) if stream else None
            self.server.generations.submit(generation_key(request.id), options, on_text, lambda result, error: self._generated(request, result, error))
        except Exception:
            self.server.generation_ended(request.id)
            raise
        self.server.generation_started(request.id)

    def _generated(self, request: Request, result: Optional[dict[str, Any]], error: Optional[EngineError]) -> None:
        self.server.generation_ended(request.id)
        if error is not None:
            self.server.writer.error(request.id, error)
        else:
            self.server.writer.reply(request.id, result or {})
