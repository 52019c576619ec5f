"""Reference for the llama.cpp LoRA check (test/unit/llamaCppLora.test.ts): makes a seeded PEFT LoRA adapter
on the real base and prints what the Hugging Face model generates greedily with and without it.

    .venv/bin/python test/engine/peft_lora_reference.py --base DIR --out FOLDER --prompt TEXT [--tokens 8]

Two adapters are written under FOLDER: `all` (every linear projection, B ~ N(0, 0.05)) and `qk` (only the
q and k projections, B ~ N(0, 0.2): it tests the rotary row order of those two). Their B matrices are random
(seeded) rather than zero, so each changes the model strongly, in a direction that depends on every
projection being mapped and laid out right. Prints one JSON line:
{"prompt_ids", "base": {"ids", "text"}, "all": {"ids", "text"}, "qk": {"ids", "text"},
 "first_token_logprobs": {"tokens": [...], "base": [...], "all": [...], "qk": [...]}}.
"""
import argparse
import json
import os

import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM, AutoTokenizer


ADAPTERS = [
    ("all", ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"], 0.05),
    ("qk", ["q_proj", "k_proj"], 0.2),
]


def first_logprobs(model, ids):
    with torch.no_grad():
        return torch.log_softmax(model(ids).logits[0, -1].float(), dim=-1)


def greedy(model, tokenizer, ids, tokens):
    with torch.no_grad():
        out = model.generate(ids, max_new_tokens=tokens, do_sample=False, pad_token_id=tokenizer.eos_token_id)
    new = out[0, ids.shape[1]:].tolist()
    return {"ids": new, "text": tokenizer.decode(new)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--prompt", required=True)
    parser.add_argument("--tokens", type=int, default=8)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(1)
    tokenizer = AutoTokenizer.from_pretrained(args.base)
    model = AutoModelForCausalLM.from_pretrained(args.base, dtype=torch.float32)
    model.eval()
    text = tokenizer.apply_chat_template([{"role": "user", "content": args.prompt}], tokenize=False, add_generation_prompt=True)
    ids = tokenizer(text, return_tensors="pt", add_special_tokens=False).input_ids
    result = {"prompt_ids": ids[0].tolist(), "base": greedy(model, tokenizer, ids, args.tokens)}
    logprobs = {"base": first_logprobs(model, ids)}
    for name, targets, scale in ADAPTERS:
        config = LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, target_modules=targets, task_type="CAUSAL_LM")
        peft_model = get_peft_model(model, config)
        with torch.no_grad():
            for param_name, param in peft_model.named_parameters():
                if "lora_B" in param_name:
                    param.normal_(0.0, scale)
        peft_model.eval()
        result[name] = greedy(peft_model, tokenizer, ids, args.tokens)
        logprobs[name] = first_logprobs(peft_model, ids)
        peft_model.save_pretrained(os.path.join(args.out, name))
        model = peft_model.unload()  # the plain base again, for the next adapter
    # The first answer token's log-probabilities over the tokens any of the three ranks in its top 10.
    watched = sorted({int(t) for lp in logprobs.values() for t in torch.topk(lp, 10).indices})
    result["first_token_logprobs"] = {"tokens": watched, **{name: [round(float(lp[t]), 4) for t in watched] for name, lp in logprobs.items()}}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
