"""The LoRA FLOPs count used for MFU (engine.training_flops) against torch's own FLOP counter on a real
forward + backward of the tiny model with LoRA on every linear layer (the counter sees the matmuls only,
so attention is compared separately by its formula)."""

from __future__ import annotations

import torch
from torch.utils.flop_counter import FlopCounterMode

from engine.training_flops import attention_flops_per_token, lora_params_for, matmul_flops_per_token, mean_context


def test_matmul_count_matches_torch_flop_counter_and_6n_does_not(loaded_base) -> None:  # type: ignore[no-untyped-def]
    from peft import LoraConfig, get_peft_model

    model = loaded_base.model
    frozen_params = sum(p.numel() for p in model.parameters())
    peft_model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, target_modules="all-linear"))
    try:
        tokens = 64
        ids = torch.randint(10, 500, (1, tokens))
        with FlopCounterMode(display=False) as counter:
            model(input_ids=ids, use_cache=False).logits.float().sum().backward()  # the head on every position
        measured = counter.get_total_flops() / tokens
        lora = sum(p.numel() for n, p in model.named_parameters() if "lora_" in n)
        assert lora == lora_params_for(model, 8)
        counted = matmul_flops_per_token(model, lora, answer_share=1.0)
    finally:
        peft_model.unload()
    # Slightly above: the first block's frozen matrices need no input gradient (the embeddings are frozen).
    assert 1.0 <= counted / measured < 1.08
    assert 6 * frozen_params / measured > 1.25  # the 6N rule overstates LoRA training work


def test_attention_term_is_causal_inside_each_example(loaded_base) -> None:  # type: ignore[no-untyped-def]
    assert mean_context([4]) == (1 + 2 + 3 + 4) / 4
    assert mean_context([4, 4]) == mean_context([4])  # two packed examples attend no further than one
    config = loaded_base.model.config
    per_key = 12 * config.num_hidden_layers * config.hidden_size
    assert attention_flops_per_token(loaded_base.model, [3]) == per_key * 2.0
