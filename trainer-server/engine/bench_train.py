"""Training benchmark: prints round wall time, training tokens/s and (on a GPU) model FLOPs utilisation,
for the engine and for plain transformers + PEFT in the same run.

  cd trainer-server && python -m engine.bench_train                      # tiny model, CPU: a whole round
  python -m engine.bench_train --model-shape 0.5b --random-weights       # GPU throughput + MFU
  python -m engine.bench_train --model-shape 7b --random-weights --steps 20

MFU = flops_per_token * tokens_per_s / peak dense bf16 FLOPS, with flops_per_token counted for LoRA training
as engine.training_flops states (4 x frozen block matrices + 6 x LoRA + causal attention + the LM head at answer
positions); the usual 6 x params rule would credit gradients the frozen weights never get. The same count is
used for the engine and the plain loop, so their MFU ratio is their speed ratio."""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
import types
from typing import Any, Optional

if __package__ in (None, ""):  # also runnable as a plain script path
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    __package__ = "engine"

import torch  # noqa: E402

from .base_loading import choose_device, count_parameters  # noqa: E402
from .bench_shapes import SHAPES, Throughput, peak_tflops, plain_peft_baseline, random_weight_model, synthetic_examples  # noqa: E402
from .chat_dataset import load_encoded  # noqa: E402
from .json_lines import ProtocolWriter, Request  # noqa: E402
from .lora_training import TrainHooks, lora_config_for, train_adapter  # noqa: E402
from .methods import EngineMethods  # noqa: E402
from .model_holder import ModelHolder  # noqa: E402
from .server_loop import EngineServer  # noqa: E402
from .train_config import parse_train_config  # noqa: E402
from .training_flops import flops_per_token, lora_params_for  # noqa: E402
from .tiny_model import build_tiny_model  # noqa: E402


def write_bench_chats(path: str, count: int) -> None:
    """Code-assistant-like chats of varied length, so padding and masking behave as in real rounds."""
    topics = ["a failing import", "a flaky test", "a slow query", "a null pointer", "an off-by-one loop", "a leaked token"]
    with open(path, "w", encoding="utf-8") as handle:
        for n in range(count):
            topic = topics[n % len(topics)]
            detail = " ".join(["The error happens when the build runs the tests."] * (1 + n % 5))
            answer = " ".join([f"Fix {topic} by reading the first error, then change the code and run the tests."] * (1 + n % 4))
            row = {"messages": [{"role": "system", "content": "You are a careful coding assistant."},
                                {"role": "user", "content": f"How do I fix {topic}? {detail}"},
                                {"role": "assistant", "content": answer}]}
            handle.write(json.dumps(row) + "\n")


def tiny_round(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="autodidact-bench-") as folder:
        return _tiny_round_in(folder, args)


def _tiny_round_in(folder: str, args: argparse.Namespace) -> dict[str, Any]:
    model_dir = args.model or os.path.join(folder, "tiny")
    if not args.model:
        build_tiny_model(model_dir)
    data = os.path.join(folder, "train.jsonl")
    write_bench_chats(data, args.examples)
    server = EngineServer(ProtocolWriter(io.StringIO()))
    methods = EngineMethods(server, folder)
    methods.load_base(Request(1, "load_base", {"model": model_dir, "device": args.device}))
    config = {"batch_size": args.batch_size, "grad_accum": args.grad_accum, "max_seq_len": args.max_seq_len}
    round_result = methods.train(Request(2, "train", {"round_id": "bench", "train_path": data, "output_dir": os.path.join(folder, "adapter"), "config": config}))
    report: dict[str, Any] = {
        "mode": "tiny-round", "device": methods.holder.device.type, "threads": torch.get_num_threads(),
        "params": methods._base_info["params"], "examples": round_result["examples"], "steps": round_result["steps"],
        "round_wall_s": round_result["wall_s"], "train_wall_s": round_result["train_wall_s"],
        "train_tokens": round_result["train_tokens"], "engine_tokens_per_s": round_result["tokens_per_s"],
    }
    if not args.skip_baseline:
        holder = methods.holder
        examples = load_encoded(holder.tokenizer, data, args.max_seq_len).examples
        base = plain_peft_baseline(holder.model, examples, args.batch_size, args.grad_accum, round_result["steps"], 0,
                                   holder.tokenizer.pad_token_id, holder.device)
        report["baseline_tokens_per_s"] = round(base.tokens_per_s, 2)
    return report


def engine_throughput(holder: ModelHolder, examples: list[Any], args: argparse.Namespace) -> Throughput:
    config = parse_train_config({"batch_size": args.batch_size, "grad_accum": args.grad_accum, "max_seq_len": args.max_seq_len,
                                 "max_steps": args.warmup_steps + args.steps, "gradient_checkpointing": args.gradient_checkpointing})
    marks: dict[str, tuple[float, int]] = {}

    def on_progress(fields: dict[str, Any]) -> None:  # loss.item() in the loop has synchronised the GPU already
        if fields["step"] == args.warmup_steps:
            marks["start"] = (time.perf_counter(), fields["tokens"])
        marks["end"] = (time.perf_counter(), fields["tokens"])

    internal = holder.add_training_adapter(lora_config_for(holder.model, config))
    try:
        started = time.perf_counter()
        train_adapter(holder, internal, examples, config, "bench", TrainHooks(on_progress, lambda: False))
    finally:
        holder.drop_training_adapter(internal)
    t0, tok0 = marks.get("start", (started, 0))
    t1, tok1 = marks["end"]
    return Throughput((tok1 - tok0) / (t1 - t0), args.steps, tok1 - tok0, t1 - t0)


def shape_throughput(args: argparse.Namespace) -> dict[str, Any]:
    if not args.random_weights:
        raise SystemExit("--model-shape needs --random-weights (nothing is downloaded)")
    device = choose_device(args.device)
    dtype = torch.bfloat16 if device.type == "cuda" else torch.float32
    model = random_weight_model(args.model_shape, device, dtype)
    params = count_parameters(model)
    vocab = SHAPES[args.model_shape]["vocab_size"]
    examples = synthetic_examples(max(64, args.batch_size * args.grad_accum * (args.steps + args.warmup_steps)), args.max_seq_len, vocab)
    stand_in_tokenizer = types.SimpleNamespace(pad_token_id=0)  # synthetic ids need no real tokenizer
    holder = ModelHolder(model, stand_in_tokenizer, f"random-{args.model_shape}", device, dtype)
    peak = peak_tflops(device, args.peak_tflops)
    report: dict[str, Any] = {"mode": f"shape-{args.model_shape}", "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
                              "dtype": str(dtype).replace("torch.", ""), "params": params, "peak_tflops": peak,
                              "batch_size": args.batch_size, "grad_accum": args.grad_accum, "max_seq_len": args.max_seq_len}
    lengths = [len(e.input_ids) for e in examples]
    answer_share = sum(e.supervised_tokens for e in examples) / sum(lengths)
    per_token = flops_per_token(model, lora_params_for(model, 8), lengths, answer_share)
    report["flops_per_token"] = round(per_token)
    report["flops_formula"] = "4*P_frozen_blocks + 6*P_lora + 12*layers*d_attn*mean_causal_context + 4*vocab*hidden*answer_share"
    runs = [("engine", lambda: engine_throughput(holder, examples, args))]
    if not args.skip_baseline:
        runs.append(("baseline", lambda: plain_peft_baseline(holder.model, examples, args.batch_size, args.grad_accum,
                                                              args.steps, args.warmup_steps, 0, device)))
    for name, run in runs:
        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(device)
        result = run()
        report[f"{name}_tokens_per_s"] = round(result.tokens_per_s, 1)
        report[f"{name}_model_tflops"] = round(per_token * result.tokens_per_s / 1e12, 2)
        report[f"{name}_mfu"] = round(per_token * result.tokens_per_s / (peak * 1e12), 4) if peak else None
        if device.type == "cuda":
            report[f"{name}_peak_mem_gib"] = round(torch.cuda.max_memory_allocated(device) / 2**30, 2)
    return report


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.bench_train", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-shape", choices=["tiny", *SHAPES], default="tiny")
    parser.add_argument("--random-weights", action="store_true", help="required for 0.5b/7b: random weights of that shape")
    parser.add_argument("--model", help="tiny mode: benchmark this local model folder instead of building the tiny one")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads")
    parser.add_argument("--examples", type=int, default=256, help="tiny mode: chats in the round")
    parser.add_argument("--steps", type=int, default=20, help="shape mode: timed optimizer steps")
    parser.add_argument("--warmup-steps", type=int, default=3, help="shape mode: untimed steps first")
    parser.add_argument("--batch-size", type=int, default=2)
    parser.add_argument("--grad-accum", type=int, default=4)
    parser.add_argument("--max-seq-len", type=int, default=512)
    parser.add_argument("--gradient-checkpointing", action="store_true")
    parser.add_argument("--peak-tflops", type=float, help="peak bf16 TFLOPS when the GPU is not in the built-in table")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    report = tiny_round(args) if args.model_shape == "tiny" else shape_throughput(args)
    for key, value in report.items():
        print(f"{key:>24}: {value}")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
