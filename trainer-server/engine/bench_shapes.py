"""Pieces of the training benchmark: model shapes with random weights, peak FLOPS per GPU, synthetic
token data, and the comparison loop written the way plain transformers + PEFT code usually is."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any, Optional

import torch

from .batching import collate
from .chat_dataset import IGNORE_INDEX, EncodedExample

# Qwen2.5-Coder 0.5B / 1.5B / 7B shapes (the same as Qwen2.5's): small bases users train on, and the 7B class.
SHAPES: dict[str, dict[str, Any]] = {
    "1.5b": dict(hidden_size=1536, intermediate_size=8960, num_hidden_layers=28, num_attention_heads=12,
                 num_key_value_heads=2, vocab_size=151936, tie_word_embeddings=True),
    "0.5b": dict(hidden_size=896, intermediate_size=4864, num_hidden_layers=24, num_attention_heads=14,
                 num_key_value_heads=2, vocab_size=151936, tie_word_embeddings=True),
    "7b": dict(hidden_size=3584, intermediate_size=18944, num_hidden_layers=28, num_attention_heads=28,
               num_key_value_heads=4, vocab_size=152064, tie_word_embeddings=False),
}

# Dense bf16 tensor-core peaks (no sparsity), TFLOPS. Matched in order against the device name.
PEAK_BF16_TFLOPS = [("H100 PCIe", 756.0), ("H100", 989.4), ("H200", 989.4), ("GH200", 989.4), ("B200", 2250.0),
                    ("A100", 312.0), ("L40S", 362.0), ("L4", 121.0), ("4090", 165.2), ("A10", 125.0)]


def peak_tflops(device: torch.device, override: Optional[float]) -> Optional[float]:
    if override:
        return override
    if device.type != "cuda":
        return None
    name = torch.cuda.get_device_name(device)
    return next((tflops for key, tflops in PEAK_BF16_TFLOPS if key in name), None)


def random_weight_model(shape: str, device: torch.device, dtype: torch.dtype) -> Any:
    from transformers import AutoModelForCausalLM, Qwen2Config

    config = Qwen2Config(**SHAPES[shape], max_position_embeddings=32768, rope_theta=1e6)
    with torch.device(device):  # initialise straight on the GPU: 7B of random init on a CPU takes minutes
        model = AutoModelForCausalLM.from_config(config, dtype=dtype)
    for param in model.parameters():
        param.requires_grad_(False)
    return model.eval()


def synthetic_examples(count: int, max_seq_len: int, vocab: int, seed: int = 0) -> list[EncodedExample]:
    """Random token chats of 50-100% of max_seq_len, the second half of each being the 'answer'."""
    rng = random.Random(seed)
    examples = []
    for _ in range(count):
        length = rng.randint(max_seq_len // 2, max_seq_len)
        ids = [rng.randrange(10, vocab) for _ in range(length)]
        split = length // 2
        examples.append(EncodedExample(ids, [IGNORE_INDEX] * split + ids[split:]))
    return examples


@dataclass
class Throughput:
    tokens_per_s: float
    steps: int
    tokens: int
    seconds: float


def plain_peft_baseline(model: Any, examples: list[EncodedExample], batch_size: int, grad_accum: int,
                        steps: int, warmup_steps: int, pad_id: int, device: torch.device) -> Throughput:
    """The usual hand-written loop: get_peft_model (LoRA on every linear layer, as the engine's default), batches in
    random order padded to their longest row, `model(..., labels=...)` computing logits for every position,
    AdamW with torch defaults."""
    from peft import LoraConfig, get_peft_model

    from .model_holder import quiet_peft

    with quiet_peft():
        peft_model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, lora_dropout=0.05, target_modules="all-linear", task_type="CAUSAL_LM"))
    optimizer = torch.optim.AdamW([p for p in peft_model.parameters() if p.requires_grad], lr=1e-5)
    rng = random.Random(0)
    peft_model.train()
    started, counted_tokens, done = 0.0, 0, 0
    try:
        while done < warmup_steps + steps:
            order = list(range(len(examples)))
            rng.shuffle(order)
            batches = [collate([examples[i] for i in order[s:s + batch_size]], pad_id) for s in range(0, len(order), batch_size)]
            for first in range(0, len(batches) - grad_accum + 1, grad_accum):
                if done == warmup_steps:
                    _sync(device)
                    started, counted_tokens = time.perf_counter(), 0
                for batch in batches[first:first + grad_accum]:
                    batch = batch.to(device)
                    out = peft_model(input_ids=batch.input_ids, attention_mask=batch.attention_mask, labels=batch.labels)
                    (out.loss / grad_accum).backward()
                    counted_tokens += batch.tokens
                optimizer.step()
                optimizer.zero_grad()
                done += 1
                if done >= warmup_steps + steps:
                    break
        _sync(device)
        seconds = time.perf_counter() - started
    finally:
        peft_model.unload()
    return Throughput(counted_tokens / seconds, steps, counted_tokens, seconds)


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()
