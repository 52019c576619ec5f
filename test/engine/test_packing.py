"""Padding-free packing (engine.packing) on the tiny model: a packed row gives each example the same loss and
the LoRA weights the same gradient as the examples run separately, and attention does not leak across
examples (the control without restarting positions differs)."""

from __future__ import annotations

import random

import pytest
import torch
import torch.nn.functional as F

from engine.answer_loss import answer_loss
from engine.batching import collate
from engine.chat_dataset import IGNORE_INDEX, EncodedExample, encode_dataset
from engine.packing import first_fit_rows, model_inputs, pack_row, step_windows


def _examples(tokenizer) -> list[EncodedExample]:  # type: ignore[no-untyped-def]
    chats = [
        [{"role": "user", "content": "What is the code for alpha?"}, {"role": "assistant", "content": "The code for alpha is 17."}],
        [{"role": "system", "content": "You answer with the code."},
         {"role": "user", "content": "Tell me the code for bravo, and say why the build fails when the tests run."},
         {"role": "assistant", "content": "The code for bravo is 42. The build fails because an import is missing."}],
        [{"role": "user", "content": "Code of delta?"}, {"role": "assistant", "content": "93"}],
    ]
    return encode_dataset(tokenizer, chats, 512).examples


def _per_token_losses(model, batch) -> torch.Tensor:  # type: ignore[no-untyped-def]
    logits = model(**model_inputs(batch), use_cache=False).logits[0, :-1].float()
    return F.cross_entropy(logits, batch.labels[0, 1:], reduction="none", ignore_index=IGNORE_INDEX)


def _segment_sums(losses: torch.Tensor, lengths: list[int]) -> list[float]:
    sums, start = [], 0
    for n in lengths:
        # Row position p predicts token p+1; an example spanning [start, start+n) is predicted at [start, start+n-1).
        sums.append(float(losses[start : start + n - 1].sum()))
        start += n
    return sums


def test_packed_row_layout(loaded_base) -> None:  # type: ignore[no-untyped-def]
    examples = _examples(loaded_base.tokenizer)
    row = pack_row(examples, loaded_base.tokenizer.pad_token_id)
    lengths = [len(e.input_ids) for e in examples]
    assert row.input_ids.shape == (1, sum(lengths))
    assert row.tokens == sum(lengths)  # no padding at all
    assert row.supervised_tokens == sum(e.supervised_tokens - (e.labels[0] != IGNORE_INDEX) for e in examples)
    starts = [0, lengths[0], lengths[0] + lengths[1]]
    assert [int(row.position_ids[0, s]) for s in starts] == [0, 0, 0]
    assert all(int(row.labels[0, s]) == IGNORE_INDEX for s in starts)
    assert int(row.position_ids[0, -1]) == lengths[-1] - 1


def test_packed_row_gives_each_example_its_own_loss(loaded_base) -> None:  # type: ignore[no-untyped-def]
    model, tokenizer = loaded_base.model, loaded_base.tokenizer
    examples = _examples(tokenizer)
    lengths = [len(e.input_ids) for e in examples]
    model.eval()
    with torch.no_grad():
        alone = [float(answer_loss(model, collate([e], tokenizer.pad_token_id)).loss_sum) for e in examples]
        packed_row = pack_row(examples, tokenizer.pad_token_id)
        packed = _segment_sums(_per_token_losses(model, packed_row), lengths)
        total = float(answer_loss(model, packed_row).loss_sum)
        # Control: the same row as one long sequence (positions not restarting, plain mask) lets later
        # examples attend to earlier ones, so their losses change. This is what the test would catch.
        leaky_row = collate([EncodedExample(packed_row.input_ids[0].tolist(), packed_row.labels[0].tolist())], tokenizer.pad_token_id)
        leaky = _segment_sums(_per_token_losses(model, leaky_row), lengths)
    assert packed == pytest.approx(alone, rel=1e-4, abs=1e-4)
    assert total == pytest.approx(sum(alone), rel=1e-4)
    assert leaky[0] == pytest.approx(alone[0], rel=1e-4)  # the first example sees nothing before it either way
    assert abs(leaky[1] - alone[1]) > 1e-3 and abs(leaky[2] - alone[2]) > 1e-3


def test_packed_and_padded_steps_give_the_same_lora_gradient(loaded_base) -> None:  # type: ignore[no-untyped-def]
    from peft import LoraConfig, get_peft_model

    tokenizer = loaded_base.tokenizer
    examples = _examples(tokenizer)
    torch.manual_seed(0)
    peft_model = get_peft_model(loaded_base.model, LoraConfig(r=4, lora_alpha=8, lora_dropout=0.0, target_modules="all-linear", init_lora_weights=False))
    params = [p for p in peft_model.parameters() if p.requires_grad]
    try:
        peft_model.train()

        def gradient(batches) -> list[torch.Tensor]:  # type: ignore[no-untyped-def]
            denominator = sum(b.supervised_tokens for b in batches)
            for batch in batches:
                (answer_loss(loaded_base.model, batch).loss_sum / denominator).backward()
            grads = [p.grad.detach().clone() for p in params]
            for p in params:
                p.grad = None
            return grads

        padded = gradient([collate(examples[:2], tokenizer.pad_token_id), collate(examples[2:], tokenizer.pad_token_id)])
        packed = gradient([pack_row(examples, tokenizer.pad_token_id)])
    finally:
        peft_model.unload()
    assert any(float(g.abs().max()) > 0 for g in padded)
    for a, b in zip(padded, packed):
        torch.testing.assert_close(b, a, rtol=1e-3, atol=1e-6)


def test_step_windows_keep_examples_per_step_and_row_budget() -> None:
    rng_lengths = random.Random(1)
    examples = [EncodedExample(list(range(5, 5 + n)), [IGNORE_INDEX] * (n // 2) + list(range(n - n // 2)))
                for n in (rng_lengths.randint(10, 200) for _ in range(37))]
    padded = step_windows(examples, 2, 4, 0, random.Random(0), packing=False, row_tokens=400)
    packed = step_windows(examples, 2, 4, 0, random.Random(0), packing=True, row_tokens=400)
    assert len(packed) == len(padded) == 5  # ceil(37 / (2 * 4)) optimizer steps either way
    assert sum(int(b.input_ids.shape[0]) for w in padded for b in w) == 37
    assert sum(b.tokens for w in packed for b in w) == sum(len(e.input_ids) for e in examples)
    assert all(int(b.input_ids.shape[1]) <= 400 for w in packed for b in w)
    assert sum(int(b.input_ids.numel()) for w in packed for b in w) < sum(int(b.input_ids.numel()) for w in padded for b in w)
    # Each step learns from exactly the examples the padded loop would give it (same random state).
    for pad_window, pack_window in zip(padded, packed):
        padded_examples = sorted(r[: int(m.sum())].tolist() for b in pad_window for r, m in zip(b.input_ids, b.attention_mask))
        packed_examples = []
        for row in pack_window:
            ids, starts = row.input_ids[0].tolist(), (row.position_ids[0] == 0).nonzero().flatten().tolist() + [row.input_ids.shape[1]]
            packed_examples.extend(ids[a:b] for a, b in zip(starts, starts[1:]))
        assert sorted(packed_examples) == padded_examples


def test_first_fit_gives_an_overlong_example_its_own_row() -> None:
    examples = [EncodedExample([1] * n, [IGNORE_INDEX] * n) for n in (50, 300, 40, 30)]
    rows = first_fit_rows(examples, 100)
    assert [[len(e.input_ids) for e in row] for row in rows] == [[300], [50, 40], [30]]
