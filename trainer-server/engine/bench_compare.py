"""Training benchmark on the real base: the same data, the same LoRA settings and the same number of optimizer
steps, trained four ways, each in its own process (so each peak memory figure is its own):

  engine         the engine's loop (engine.lora_training) with padding-free packing (packing=True)
  engine-padded  the same loop over length-grouped padded batches (packing off: the default, faster on a CPU)
  peft           a plain transformers + PEFT loop, written the way such code usually is (the reference)
  trl            TRL's SFTTrainer with its own packing (best-fit decreasing, padding-free)

Every arm reports training tokens/s (real tokens, no padding, through forward+backward, over the training
loop's wall time), peak memory (process peak RSS on CPU, torch.cuda.max_memory_allocated on a GPU) and the
held-out answer-token loss after training, computed by the same function (engine.evaluation) for all.

  cd trainer-server && ../.venv/bin/python -m engine.bench_compare          # or: npm run bench:training

On a CUDA machine the same command then runs the random-weight shapes (Qwen2.5-Coder 0.5B, 1.5B, a 7B shape)
through engine.bench_train for tokens/s, MFU and peak memory. The last line printed is all figures as JSON."""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from typing import Any, Optional

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    __package__ = "engine"

import torch  # noqa: E402

ARMS = ["engine", "engine-padded", "peft", "trl"]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_MODEL = os.path.join(REPO, "test", ".models", "SmolLM2-135M-Instruct")


@dataclass
class Settings:
    steps: int = 8  # half an epoch of the 128 training chats at 8 chats per step
    batch_size: int = 2
    grad_accum: int = 4
    learning_rate: float = 5e-4
    rank: int = 8
    alpha: float = 16
    dropout: float = 0.05
    max_seq_len: int = 512
    seed: int = 0
    threads: int = 2


def bench_chats() -> tuple[list[list[dict[str, str]]], list[list[dict[str, str]]]]:
    """Training and held-out chats: the two conventions of engine.convention_data (held-out requests name
    resources never trained on) plus coding chats of varied length, so padding costs what it costs in rounds."""
    from .convention_data import as_chats, errors_convention, http_convention

    conventions = [http_convention(), errors_convention()]
    train = [chat for c in conventions for chat in as_chats(c.train)]
    held_out = [chat for c in conventions for chat in as_chats(c.held_out)]
    topics = ["a failing import", "a flaky test", "a slow query", "a null pointer", "an off-by-one loop", "a leaked token", "a race", "a deadlock"]
    for n in range(len(train)):
        topic = topics[n % len(topics)]
        detail = " ".join(["The error happens when the build runs the tests on the main branch."] * (1 + (n * 7) % 9))
        answer = " ".join([f"Fix {topic}: read the first error, change the code that raised it, then run the tests again."] * (1 + (n * 5) % 7))
        train.append([{"role": "system", "content": "You are a careful coding assistant."},
                      {"role": "user", "content": f"How do I fix {topic}? {detail}"}, {"role": "assistant", "content": answer}])
    random.Random(0).shuffle(train)
    return train, held_out


def _peak_memory_mib(device: torch.device) -> float:
    if device.type == "cuda":
        return torch.cuda.max_memory_allocated(device) / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _lora_config(s: Settings) -> Any:
    from peft import LoraConfig

    return LoraConfig(r=s.rank, lora_alpha=s.alpha, lora_dropout=s.dropout, target_modules="all-linear", bias="none", task_type="CAUSAL_LM")


def _engine_arm(loaded: Any, train: list[Any], s: Settings, packing: bool) -> dict[str, Any]:
    from .lora_training import TrainHooks, train_adapter
    from .model_holder import ModelHolder
    from .train_config import parse_train_config

    holder = ModelHolder(loaded.model, loaded.tokenizer, "bench", loaded.device, loaded.dtype)
    config = parse_train_config({"batch_size": s.batch_size, "grad_accum": s.grad_accum, "learning_rate": s.learning_rate, "rank": s.rank,
                                 "alpha": s.alpha, "dropout": s.dropout, "target_modules": "all-linear", "max_seq_len": s.max_seq_len,
                                 "max_steps": s.steps, "warmup_ratio": 0.0, "seed": s.seed, "packing": packing, "replay_share": 0.0})
    from .lora_training import lora_config_for

    internal = holder.add_training_adapter(lora_config_for(holder.model, config))
    outcome = train_adapter(holder, internal, train, config, "bench", TrainHooks(lambda fields: None, lambda: False))
    return {"steps": outcome.steps, "train_tokens": outcome.train_tokens, "train_s": outcome.wall_s, "model": holder.model}


def _peft_arm(loaded: Any, train: list[Any], s: Settings) -> dict[str, Any]:
    """The plain loop: get_peft_model, batches in random order padded to their longest row, the model's own
    loss from `labels` (logits for every position), AdamW, linear decay, gradient clipping."""
    from peft import get_peft_model
    from transformers import get_linear_schedule_with_warmup

    from .batching import collate

    model = get_peft_model(loaded.model, _lora_config(s))
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=s.learning_rate, weight_decay=0.0)
    schedule = get_linear_schedule_with_warmup(optimizer, 0, s.steps)
    rng = random.Random(s.seed)
    pad_id = loaded.tokenizer.pad_token_id
    model.train()
    steps, tokens = 0, 0
    started = time.perf_counter()
    while steps < s.steps:
        order = list(range(len(train)))
        rng.shuffle(order)
        batches = [collate([train[i] for i in order[k : k + s.batch_size]], pad_id) for k in range(0, len(order), s.batch_size)]
        for first in range(0, len(batches), s.grad_accum):
            window = batches[first : first + s.grad_accum]
            for batch in window:
                batch = batch.to(loaded.device)
                out = model(input_ids=batch.input_ids, attention_mask=batch.attention_mask, labels=batch.labels)
                (out.loss / len(window)).backward()
                tokens += batch.tokens
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            steps += 1
            if steps >= s.steps:
                break
    _sync(loaded.device)
    return {"steps": steps, "train_tokens": tokens, "train_s": time.perf_counter() - started, "model": model.get_base_model()}


def _trl_arm(loaded: Any, train_chats: list[Any], train: list[Any], s: Settings, folder: str) -> dict[str, Any]:
    """SFTTrainer with packing. Its rows are packed to `max_length` tokens; we set max_length to the mean
    tokens of one engine step and one row per step, so each step sees as much data as the other arms' steps."""
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer

    per_step = s.batch_size * s.grad_accum
    mean_step_tokens = sum(len(e.input_ids) for e in train) / math.ceil(len(train) / per_step)
    max_length = max(max(len(e.input_ids) for e in train), int(mean_step_tokens))
    rows = [{"prompt": chat[:-1], "completion": chat[-1:]} for chat in train_chats]
    config = SFTConfig(
        output_dir=os.path.join(folder, "trl"), max_steps=s.steps, per_device_train_batch_size=1, gradient_accumulation_steps=1,
        learning_rate=s.learning_rate, lr_scheduler_type="linear", warmup_steps=0, weight_decay=0.0, max_grad_norm=1.0,
        optim="adamw_torch", seed=s.seed, packing=True, max_length=max_length, completion_only_loss=True,
        logging_steps=s.steps, save_strategy="no", report_to="none", dataloader_num_workers=0,
        use_cpu=loaded.device.type != "cuda", bf16=loaded.dtype == torch.bfloat16, disable_tqdm=True,
        include_num_input_tokens_seen="non_padding",  # the Trainer's own count of the tokens it trained on
    )
    trainer = SFTTrainer(model=loaded.model, args=config, train_dataset=Dataset.from_list(rows),
                         processing_class=loaded.tokenizer, peft_config=_lora_config(s))
    started = time.perf_counter()
    trainer.train()
    _sync(loaded.device)
    wall = time.perf_counter() - started
    return {"steps": trainer.state.global_step, "train_tokens": int(trainer.state.num_input_tokens_seen), "train_s": wall,
            "model": trainer.model.get_base_model(), "trl_max_length": max_length}


def run_arm(arm: str, model_path: str, s: Settings, device: str) -> dict[str, Any]:
    from .base_loading import LoadOptions, load_base_model
    from .chat_dataset import encode_dataset
    from .evaluation import evaluate_examples

    torch.set_num_threads(s.threads)
    torch.manual_seed(s.seed)
    started = time.perf_counter()
    loaded = load_base_model(LoadOptions(model=model_path, device=device))
    load_s = time.perf_counter() - started
    train_chats, held_out_chats = bench_chats()
    train = encode_dataset(loaded.tokenizer, train_chats, s.max_seq_len).examples
    held_out = encode_dataset(loaded.tokenizer, held_out_chats, s.max_seq_len).examples
    if loaded.device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(loaded.device)
    with tempfile.TemporaryDirectory(prefix="autodidact-bench-") as folder:
        if arm in ("engine", "engine-padded"):
            result = _engine_arm(loaded, train, s, packing=arm == "engine")
        elif arm == "peft":
            result = _peft_arm(loaded, train, s)
        elif arm == "trl":
            result = _trl_arm(loaded, train_chats, train, s, folder)
        else:
            raise SystemExit(f"unknown arm {arm}")
    model = result.pop("model")
    peak = _peak_memory_mib(loaded.device)
    metrics = evaluate_examples(model, held_out, loaded.tokenizer.pad_token_id, loaded.device, 8)
    return {**result, "arm": arm, "device": loaded.device.type, "dtype": str(loaded.dtype).replace("torch.", ""),
            "threads": s.threads, "load_s": round(load_s, 2), "train_examples": len(train), "held_out_examples": len(held_out),
            "tokens_per_s": round(result["train_tokens"] / result["train_s"], 1), "train_s": round(result["train_s"], 2),
            "peak_memory_mib": round(peak, 1), "peak_memory_kind": "cuda max_memory_allocated" if loaded.device.type == "cuda" else "process peak RSS",
            "held_out_loss": round(metrics["eval_loss"], 4)}


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


def _child(args: list[str], timeout: int) -> dict[str, Any]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    done = subprocess.run([sys.executable, "-m", "engine.bench_compare", *args], cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          capture_output=True, text=True, timeout=timeout, env=env)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{' '.join(args)} failed (exit {done.returncode}): {done.stderr.strip()[-1500:]}")
    return json.loads(lines[-1])


def gpu_shapes(quick: bool) -> list[dict[str, Any]]:
    """Throughput, MFU and memory of the random-weight shapes, each in its own process (engine.bench_train)."""
    results = []
    for shape in (["0.5b"] if quick else ["0.5b", "1.5b", "7b"]):
        try:
            done = subprocess.run([sys.executable, "-m", "engine.bench_train", "--model-shape", shape, "--random-weights", "--steps", "10"],
                                  cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))), capture_output=True, text=True, timeout=900)
            lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
            results.append(json.loads(lines[-1]) if lines else {"mode": f"shape-{shape}", "error": done.stderr.strip()[-800:]})
        except subprocess.TimeoutExpired:
            results.append({"mode": f"shape-{shape}", "error": "timed out after 900 s"})
    return results


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.bench_compare", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arm", choices=ARMS, help="run one arm in this process and print its JSON (used by the parent run)")
    parser.add_argument("--arms", default=",".join(ARMS), help="comma-separated arms to compare")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="base model folder (default: the converted SmolLM2-135M-Instruct)")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    parser.add_argument("--steps", type=int, default=Settings.steps)
    parser.add_argument("--threads", type=int, default=Settings.threads)
    parser.add_argument("--quick", action="store_true", help="6 steps, and only the 0.5B shape on a GPU")
    parser.add_argument("--no-shapes", action="store_true", help="skip the GPU shapes even on a CUDA machine")
    args = parser.parse_args(argv)
    settings = Settings(steps=6 if args.quick and args.steps == Settings.steps else args.steps, threads=args.threads)
    if args.arm:
        print(json.dumps(run_arm(args.arm, args.model, settings, args.device)))
        return 0
    _install_bench_requirements()
    if not os.path.isdir(args.model):
        if args.model != DEFAULT_MODEL:
            raise SystemExit(f"no model folder at {args.model}")
        from .gguf_base import ensure_base

        ensure_base(args.model)
    load = os.getloadavg()
    print(f"bench_compare: {args.model}, {settings.steps} steps x {settings.batch_size * settings.grad_accum} chats, "
          f"LoRA r{settings.rank} all-linear, {settings.threads} threads; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    arms = []
    for arm in args.arms.split(","):
        child = ["--arm", arm, "--model", args.model, "--device", args.device, "--steps", str(settings.steps), "--threads", str(settings.threads)]
        try:
            result = _child(child, 1800)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            result = {"arm": arm, "error": str(exc)}
        arms.append(result)
        if "error" in result:
            print(f"  {arm:>14}: FAILED {result['error'][-400:]}", flush=True)
        else:
            print(f"  {arm:>14}: {result['tokens_per_s']:>8.1f} tokens/s  {result['train_tokens']:>6} tokens in {result['train_s']:>7.1f} s  "
                  f"{result['steps']} steps  peak {result['peak_memory_mib']:.0f} MiB ({result['peak_memory_kind']})  "
                  f"held-out loss {result['held_out_loss']:.4f}", flush=True)
    by_arm = {a["arm"]: a for a in arms if "error" not in a}
    report: dict[str, Any] = {"settings": asdict(settings), "model": args.model, "load_average": [round(x, 2) for x in load],
                              "cpu": _cpu_name(), "arms": arms}
    if "engine" in by_arm:
        for other in ("engine-padded", "peft", "trl"):
            if other in by_arm:
                report[f"engine_vs_{other.replace('-', '_')}"] = round(by_arm["engine"]["tokens_per_s"] / by_arm[other]["tokens_per_s"], 2)
                print(f"  engine / {other}: {report[f'engine_vs_{other.replace(chr(45), chr(95))}']}x tokens/s", flush=True)
    if torch.cuda.is_available() and not args.no_shapes:
        report["shapes"] = gpu_shapes(args.quick)
        for shape in report["shapes"]:
            print(f"  {shape.get('mode')}: {json.dumps(shape)}", flush=True)
    report["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(report))
    return 0 if all("error" not in a for a in arms) else 1


def _install_bench_requirements() -> None:
    """TRL is needed by this bench only, so it is pinned in requirements-bench.txt and installed here."""
    import importlib.util

    if importlib.util.find_spec("trl") is None:
        requirements = os.path.join(os.path.dirname(os.path.abspath(__file__)), "requirements-bench.txt")
        print(f"installing {requirements} (TRL, for the comparison)", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-r", requirements], check=True)


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            model = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "unknown")
        return f"{os.cpu_count()} x {model}"
    except OSError:
        return f"{os.cpu_count()} cpus"


if __name__ == "__main__":
    sys.exit(main())
