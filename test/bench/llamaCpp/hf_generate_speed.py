"""The Hugging Face side of the llama.cpp speed comparison: greedy generation of one chat prompt on the
offline SmolLM2-135M base (fp32 folder converted from the same GGUF), one request at a time.

    .venv/bin/python test/bench/llamaCpp/hf_generate_speed.py --base DIR --prompt TEXT --tokens N [--threads 1] [--runs 2]

Prints one JSON line: the best run's tokens/s and time to first token (a separate 1-token generate)."""
import argparse
import json
import time

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--prompt", required=True)
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    tokenizer = AutoTokenizer.from_pretrained(args.base)
    model = AutoModelForCausalLM.from_pretrained(args.base, dtype=torch.float32).eval()
    text = tokenizer.apply_chat_template([{"role": "user", "content": args.prompt}], tokenize=False, add_generation_prompt=True)
    ids = tokenizer(text, return_tensors="pt", add_special_tokens=False).input_ids
    best = None
    for _ in range(args.runs):
        with torch.no_grad():
            started = time.perf_counter()
            model.generate(ids, max_new_tokens=1, do_sample=False, pad_token_id=tokenizer.eos_token_id)
            ttft = time.perf_counter() - started
            started = time.perf_counter()
            out = model.generate(ids, max_new_tokens=args.tokens, min_new_tokens=args.tokens, do_sample=False, pad_token_id=tokenizer.eos_token_id)
            elapsed = time.perf_counter() - started
        generated = out.shape[1] - ids.shape[1]
        run = {"tokens": generated, "seconds": round(elapsed, 3), "tokens_per_s": round(generated / elapsed, 2), "ttft_ms": round(ttft * 1000, 1)}
        if best is None or run["tokens_per_s"] > best["tokens_per_s"]:
            best = run
    print(json.dumps({"backend": "transformers (fp32)", "threads": args.threads, "prompt_tokens": ids.shape[1], **best}))


if __name__ == "__main__":
    main()
