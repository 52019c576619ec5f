"""The LoRA training loop: token-weighted gradient accumulation over answer tokens, a warmup+decay
schedule, progress after every optimizer step, and a hook between micro-batches that lets the server
answer cancel (and interleave generate requests) while a round runs."""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from typing import Any, Callable

import torch

from .answer_loss import answer_loss
from .packing import row_tokens_for, step_windows
from .chat_dataset import EncodedExample
from .errors import EngineError
from .fused_kernels import apply_liger_kernels, checkpointing_needed
from .model_holder import ModelHolder
from .train_config import TrainConfig


@dataclass
class TrainHooks:
    on_progress: Callable[[dict[str, Any]], None]
    # Called before every micro-batch; returns True when it used the model (e.g. ran a generate), so the
    # loop must re-activate its adapter. Raises RoundCancelled to stop the round.
    between_micro_batches: Callable[[], bool]


@dataclass
class TrainOutcome:
    steps: int
    train_tokens: int  # non-padding tokens through forward+backward
    supervised_tokens: int
    wall_s: float
    final_loss: float
    gradient_checkpointing: bool = False  # on by request or because memory was short
    fused_kernels: bool = False  # Liger kernels in use (CUDA only)


def lora_config_for(model: Any, config: TrainConfig) -> Any:
    from peft import LoraConfig
    from peft.utils import TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING as DEFAULT_TARGETS

    targets = config.target_modules
    if targets == "auto":
        # PEFT's per-architecture default (q_proj/v_proj for Llama and Qwen), so results compare with plain PEFT.
        targets = DEFAULT_TARGETS.get(getattr(model.config, "model_type", ""), "all-linear")
    return LoraConfig(
        r=config.rank,
        lora_alpha=config.alpha,
        lora_dropout=config.dropout,
        target_modules=targets,
        bias="none",
        task_type="CAUSAL_LM",
    )


def lr_factor(schedule: str, step: int, total: int, warmup: int) -> float:
    """Multiplier on the base learning rate for optimizer step `step` (0-based)."""
    if warmup and step < warmup:
        return (step + 1) / warmup
    if schedule == "constant":
        return 1.0
    progress = (step - warmup) / max(1, total - warmup)
    if schedule == "cosine":
        return 0.5 * (1.0 + math.cos(math.pi * progress))
    return max(0.0, 1.0 - progress)


def planned_steps(num_batches: int, config: TrainConfig) -> int:
    if config.max_steps is not None:
        return config.max_steps
    per_epoch = math.ceil(num_batches / config.grad_accum)
    return max(1, math.ceil(per_epoch * config.epochs))


def _optimizer(params: list[torch.nn.Parameter], config: TrainConfig) -> torch.optim.Optimizer:
    fused = all(p.is_cuda for p in params)
    return torch.optim.AdamW(params, lr=config.learning_rate, weight_decay=config.weight_decay, fused=fused)


def train_adapter(
    holder: ModelHolder, internal: str, examples: list[EncodedExample], config: TrainConfig, round_id: str, hooks: TrainHooks
) -> TrainOutcome:
    """Trains the already-created adapter `internal` in place."""
    model = holder.model
    params = holder.trainable_parameters(internal)
    if not params:
        raise EngineError("bad_params", "the LoRA config matched no module of this model (check target_modules)")
    optimizer = _optimizer(params, config)
    rng = random.Random(config.seed)
    pad_id = holder.tokenizer.pad_token_id
    total = planned_steps(math.ceil(len(examples) / config.batch_size), config)
    warmup = int(total * config.warmup_ratio)
    row_tokens = row_tokens_for(config.batch_size, config.max_seq_len)
    step, tokens, supervised, last_loss = 0, 0, 0, float("nan")
    # Checkpointing when asked for, or when one row's activations would not fit in free memory.
    checkpointing = config.gradient_checkpointing or checkpointing_needed(model, row_tokens, holder.device, holder.dtype)
    fused = apply_liger_kernels(model, holder.device)  # CUDA + liger-kernel installed only
    if checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    model.train()
    started = time.perf_counter()
    try:
        while step < total:
            # One epoch of optimizer steps; packed rows (engine.packing) or length-grouped padded batches.
            for window in step_windows(examples, config.batch_size, config.grad_accum, pad_id, rng, config.packing, row_tokens):
                # Token-weighted: every answer token in the window counts equally, whatever batch it sits in.
                denominator = max(1, sum(b.supervised_tokens for b in window))
                window_loss = torch.zeros((), device=holder.device)
                for batch in window:
                    if hooks.between_micro_batches():
                        holder.activate_for_training(internal)
                        model.train()
                    batch = batch.to(holder.device)
                    result = answer_loss(model, batch, config.replay_weight)
                    (result.loss_sum / denominator).backward()
                    window_loss += result.loss_sum.detach()
                    tokens += batch.tokens
                supervised += denominator
                factor = lr_factor(config.lr_scheduler, step, total, warmup)
                for group in optimizer.param_groups:
                    group["lr"] = config.learning_rate * factor
                if config.max_grad_norm > 0:
                    torch.nn.utils.clip_grad_norm_(params, config.max_grad_norm)
                optimizer.step()
                optimizer.zero_grad(set_to_none=True)
                step += 1
                last_loss = window_loss.item() / denominator
                if not math.isfinite(last_loss):
                    raise EngineError("diverged", f"the loss became {last_loss} at step {step}; lower learning_rate")
                elapsed = time.perf_counter() - started
                hooks.on_progress(
                    {
                        "round_id": round_id,
                        "step": step,
                        "total_steps": total,
                        "loss": round(last_loss, 6),
                        "lr": config.learning_rate * factor,
                        "tokens_per_s": round(tokens / elapsed, 2) if elapsed > 0 else 0.0,
                        "eta_s": round(elapsed / step * (total - step), 2),
                        "tokens": tokens,
                    }
                )
                if step >= total:
                    break
    except torch.cuda.OutOfMemoryError as exc:
        raise EngineError(
            "out_of_memory",
            "GPU out of memory while training; lower batch_size or max_seq_len, or set gradient_checkpointing "
            "or load_in_4bit",
        ) from exc
    finally:
        optimizer.zero_grad(set_to_none=True)
        if checkpointing:
            model.gradient_checkpointing_disable()
        model.eval()
    if holder.device.type == "cuda":
        torch.cuda.synchronize()
    wall = time.perf_counter() - started
    return TrainOutcome(step, tokens, supervised, wall, last_loss, checkpointing, fused)
