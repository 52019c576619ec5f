"""Encoding chats: the loss mask covers assistant tokens only, with the model's template or the fallback."""

from __future__ import annotations

import copy
import json

import pytest
from chat_data import chat, write_jsonl

from engine.chat_dataset import IGNORE_INDEX, encode_chat, encode_dataset, read_chat_jsonl
from engine.chat_template import FALLBACK_CHAT_TEMPLATE, ensure_chat_template
from engine.errors import EngineError


def supervised_text(tokenizer, example) -> str:  # type: ignore[no-untyped-def]
    ids = [tok for tok, label in zip(example.input_ids, example.labels) if label != IGNORE_INDEX]
    return tokenizer.decode(ids)


def test_only_assistant_tokens_are_supervised(loaded_base) -> None:  # type: ignore[no-untyped-def]
    tokenizer = loaded_base.tokenizer
    example, truncated = encode_chat(tokenizer, chat("What is the code for alpha?", "The code for alpha is 17.")["messages"], 512)
    assert not truncated
    assert supervised_text(tokenizer, example) == "The code for alpha is 17.<|im_end|>"
    assert example.labels[0] == IGNORE_INDEX


def test_every_assistant_turn_of_a_multi_turn_chat_is_supervised(loaded_base) -> None:  # type: ignore[no-untyped-def]
    tokenizer = loaded_base.tokenizer
    messages = [
        {"role": "user", "content": "first question"},
        {"role": "assistant", "content": "first answer"},
        {"role": "user", "content": "second question"},
        {"role": "assistant", "content": "second answer"},
    ]
    example, _ = encode_chat(tokenizer, messages, 512)
    text = supervised_text(tokenizer, example)
    assert "first answer" in text and "second answer" in text
    assert "question" not in text and "user" not in text


def test_fallback_template_for_tokenizers_without_one(loaded_base) -> None:  # type: ignore[no-untyped-def]
    tokenizer = copy.deepcopy(loaded_base.tokenizer)
    tokenizer.chat_template = None
    assert ensure_chat_template(tokenizer) is True
    assert tokenizer.chat_template == FALLBACK_CHAT_TEMPLATE
    example, _ = encode_chat(tokenizer, chat("Q?", "The answer.")["messages"], 512)
    full = tokenizer.decode(example.input_ids)
    assert "### user:\nQ?" in full and "### assistant:\nThe answer." in full
    assert supervised_text(tokenizer, example) == "The answer.<|im_end|>"


def test_too_long_or_empty_examples_are_dropped_whole_with_their_reason(loaded_base) -> None:  # type: ignore[no-untyped-def]
    rows = [chat("short?", "x " * 100)["messages"], chat("short?", "early answer")["messages"], chat("empty?", "")["messages"]]
    encoded = encode_dataset(loaded_base.tokenizer, rows, max_seq_len=64)
    assert len(encoded.examples) == 1
    assert max(len(e.input_ids) for e in encoded.examples) <= 64
    kept = encoded.examples[0]
    assert supervised_text(loaded_base.tokenizer, kept) == "early answer<|im_end|>", "the kept answer is whole, never cut"
    summary = encoded.dropped_summary()
    assert summary["used"] == 1 and summary["dropped"] == 2
    assert summary["reasons"] == {"longer than max_seq_len": 1, "empty assistant message": 1}
    assert summary["rows"][0]["row"] == 1 and summary["rows"][0]["tokens"] > 64 and summary["rows"][1]["row"] == 3


@pytest.mark.parametrize(
    "line, fragment",
    [
        ("not json", "not valid JSON"),
        (json.dumps({"prompt": "x"}), '"messages"'),
        (json.dumps({"messages": [{"role": "wizard", "content": "x"}]}), "role"),
        (json.dumps({"messages": [{"role": "user", "content": "only a question"}]}), "no assistant"),
    ],
)
def test_bad_rows_name_the_file_and_line(tmp_path, line: str, fragment: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.jsonl"
    good = json.dumps(chat("q", "a"))
    path.write_text(good + "\n" + line + "\n", encoding="utf-8")
    with pytest.raises(EngineError) as caught:
        read_chat_jsonl(str(path))
    assert caught.value.code == "bad_dataset"
    assert f"{path}:2" in caught.value.message and fragment in caught.value.message


def test_openai_text_parts_are_accepted(tmp_path) -> None:  # type: ignore[no-untyped-def]
    row = {"messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}, {"role": "assistant", "content": "yo"}]}
    chats = read_chat_jsonl(write_jsonl(str(tmp_path / "parts.jsonl"), [row]))
    assert chats[0][0]["content"] == "hi"
