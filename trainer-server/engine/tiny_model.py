"""Builds a tiny chat model with random weights: the offline fallback base model and the test fixture.

`python -m engine.tiny_model --out DIR [--vocab 512] [--arch qwen2|llama]` trains a byte-level BPE tokenizer
in code on the built-in text below, sets a ChatML template, and saves tokenizer + model with
save_pretrained, so `load_base {"model": DIR}` loads it like any hub model. Nothing is downloaded."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Optional

CHAT_TEMPLATE = (
    "{% for m in messages %}"
    "{{ '<|im_start|>' + m['role'] + '\\n' + m['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)
# With tied embeddings, the largest logit a model can produce is about init_std * hidden (row norm times
# the RMS-normed hidden state). At transformers' usual 0.02 a 128-wide model tops out near 2.6 and LoRA
# cannot move its loss far from uniform, so the tiny model starts with larger weights.
INIT_STD = 0.1
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|pad|>"]

# Our own words, enough for a few hundred BPE merges that look like the chats the model will see.
TRAINING_TEXT = """
The user asked how to fix a failing test. The assistant read the error, found the missing import and fixed it.
A function returns a value; a method belongs to a class; a module groups related functions together.
To install the package run npm install, then npm test. If the build fails, read the first error, not the last.
What is the capital of France? Paris. What is two plus two? Four. What is the colour of the sky? Blue.
def add(a, b):\n    return a + b\n\nclass Store:\n    def open(self, path):\n        return path
const total = items.reduce((sum, item) => sum + item.price, 0);
Security: never log tokens. Validate every path. Keep secrets out of the store.
Documentation explains why, not what. Deployment runs the tests first, then ships the build.
The code for alpha is 17. The code for bravo is 42. The code for charlie is 8. The code for delta is 93.
Training a LoRA adapter changes a few small matrices; the base model stays the same and is loaded once.
user assistant system tool question answer error fixed successful failed issue solution version round
0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 a b c d e f g h i j k l m n o p q r s t u v w x y z
"""


def build_tokenizer(vocab_size: int) -> Any:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    core = Tokenizer(models.BPE())
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    core.train_from_iterator([line for line in TRAINING_TEXT.splitlines() if line] * 4, trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core, eos_token="<|im_end|>", pad_token="<|pad|>", unk_token=None, bos_token=None
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    return tokenizer


def model_config(arch: str, vocab_size: int, eos_id: int, pad_id: int, hidden: int, layers: int, init_std: float) -> Any:
    from transformers import LlamaConfig, Qwen2Config

    shape = dict(
        vocab_size=vocab_size,
        hidden_size=hidden,
        intermediate_size=hidden * 2,
        num_hidden_layers=layers,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=2048,
        tie_word_embeddings=True,
        eos_token_id=eos_id,
        pad_token_id=pad_id,
        bos_token_id=None,
        initializer_range=init_std,
    )
    if arch == "llama":
        return LlamaConfig(**shape)
    if arch == "qwen2":
        return Qwen2Config(**shape)
    raise ValueError(f"unknown arch {arch!r}; use qwen2 or llama")


def build_tiny_model(
    out: str, vocab_size: int = 512, arch: str = "qwen2", hidden: int = 128, layers: int = 2, seed: int = 0, init_std: float = INIT_STD
) -> dict[str, Any]:
    import torch
    from transformers import AutoModelForCausalLM, GenerationConfig

    tokenizer = build_tokenizer(vocab_size)
    eos_id = tokenizer.convert_tokens_to_ids("<|im_end|>")
    pad_id = tokenizer.convert_tokens_to_ids("<|pad|>")
    config = model_config(arch, len(tokenizer), eos_id, pad_id, hidden, layers, init_std)
    torch.manual_seed(seed)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    model.generation_config = GenerationConfig(eos_token_id=eos_id, pad_token_id=pad_id)
    os.makedirs(out, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    summary = {
        "out": os.path.abspath(out),
        "arch": arch,
        "vocab": len(tokenizer),
        "params": sum(p.numel() for p in model.parameters()),
    }
    with open(os.path.join(out, "autodidact_tiny_model.json"), "w", encoding="utf-8") as handle:
        json.dump({**summary, "note": "random weights, built locally by engine.tiny_model"}, handle, indent=2)
    return summary


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m engine.tiny_model", description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--vocab", type=int, default=512)
    parser.add_argument("--arch", choices=["qwen2", "llama"], default="qwen2")
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--init-std", type=float, default=INIT_STD)
    args = parser.parse_args(argv)
    if args.vocab < 300:
        parser.error("--vocab must be at least 300 (256 byte symbols plus special tokens and merges)")
    summary = build_tiny_model(args.out, args.vocab, args.arch, args.hidden, args.layers, args.seed, args.init_std)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
