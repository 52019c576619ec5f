"""Reading OpenAI-chat JSONL datasets and encoding them so that only assistant tokens carry a loss."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Optional

from .chat_template import render_chat
from .errors import EngineError

IGNORE_INDEX = -100
ROLES = ("system", "user", "assistant", "tool")


@dataclass
class EncodedExample:
    input_ids: list[int]
    labels: list[int]  # IGNORE_INDEX everywhere except assistant tokens
    # Replay examples only: the parent's top-k (log-probabilities, token ids) at each answer position, set by
    # engine.distillation; such an example is trained towards the parent's distribution, not its labels.
    parent_top: Optional[tuple[Any, Any]] = None

    @property
    def supervised_tokens(self) -> int:
        return sum(1 for label in self.labels if label != IGNORE_INDEX)


@dataclass
class DroppedExample:
    row: int  # 1-based position in the dataset
    tokens: int
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "tokens": self.tokens, "reason": self.reason}


@dataclass
class EncodedDataset:
    examples: list[EncodedExample]
    # Rows not trained on, each with its reason. A chat longer than max_seq_len is dropped whole, never cut:
    # a cut answer would teach the model to stop mid-answer, and a silently shortened set misleads.
    dropped: list[DroppedExample]

    @property
    def skipped(self) -> int:
        return len(self.dropped)

    def dropped_summary(self) -> dict[str, Any]:
        reasons: dict[str, int] = {}
        for item in self.dropped:
            reasons[item.reason.split(" (")[0]] = reasons.get(item.reason.split(" (")[0], 0) + 1
        return {"used": len(self.examples), "dropped": len(self.dropped), "reasons": reasons, "rows": [d.to_json() for d in self.dropped[:20]]}


def parse_messages(messages: Any, where: str, code: str) -> list[dict[str, str]]:
    """Validates OpenAI-style messages; `code` is the error code to raise (bad_dataset or bad_params)."""
    if not isinstance(messages, list) or not messages:
        raise EngineError(code, f'{where}: expected a non-empty "messages" list')
    chat = []
    for message in messages:
        role = message.get("role") if isinstance(message, dict) else None
        if role not in ROLES:
            raise EngineError(code, f"{where}: each message needs a role in {', '.join(ROLES)}")
        chat.append({"role": role, "content": _content_text(message.get("content") or "", where, code)})
    return chat


def _content_text(content: Any, where: str, code: str) -> str:
    if isinstance(content, str):
        return content
    # OpenAI also allows a list of typed parts; only text parts can be trained on.
    if isinstance(content, list):
        parts = [p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text"]
        return "".join(p for p in parts if isinstance(p, str))
    raise EngineError(code, f"{where}: message content must be a string or a list of text parts")


def parse_chat_row(line: str, where: str) -> list[dict[str, str]]:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise EngineError("bad_dataset", f"{where}: not valid JSON ({exc.msg})") from exc
    messages = row.get("messages") if isinstance(row, dict) else None
    chat = parse_messages(messages, where, "bad_dataset")
    if not any(m["role"] == "assistant" for m in chat):
        raise EngineError("bad_dataset", f"{where}: the conversation has no assistant message to learn from")
    return chat


def read_chat_rows(path: str) -> list[dict[str, Any]]:
    """Rows as {"messages": chat, "category": optional str}, for measurements that report per category."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.readlines()
    except OSError as exc:
        raise EngineError("not_found", f"cannot read dataset {path}: {exc.strerror}") from exc
    rows = []
    for n, line in enumerate(lines, 1):
        if line.strip():
            chat = parse_chat_row(line, f"{path}:{n}")
            category = json.loads(line).get("category")
            rows.append({"messages": chat, "category": category if isinstance(category, str) and category else None})
    return rows


def read_chat_jsonl(path: str) -> list[list[dict[str, str]]]:
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.readlines()
    except OSError as exc:
        raise EngineError("not_found", f"cannot read dataset {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise EngineError("bad_dataset", f"{path} is not UTF-8 text") from exc
    chats = [parse_chat_row(line, f"{path}:{n}") for n, line in enumerate(lines, 1) if line.strip()]
    if not chats:
        raise EngineError("bad_dataset", f"{path} holds no conversations")
    return chats


def assistant_char_spans(tokenizer: Any, chat: list[dict[str, str]], full_text: str) -> list[tuple[int, int]]:
    """Character ranges of the full rendering that belong to assistant turns (content plus end-of-turn marker).

    A turn's span runs from the end of the prompt rendered with a generation prompt to the end of the
    conversation rendered through that turn. Templates that rewrite history (so renderings are not
    prefixes of each other) fall back to locating the message content itself."""
    spans = []
    search_from = 0
    for index, message in enumerate(chat):
        if message["role"] != "assistant":
            continue
        prompt = render_chat(tokenizer, chat[:index], add_generation_prompt=True) if index else ""
        through = render_chat(tokenizer, chat[: index + 1], add_generation_prompt=False)
        # Separator whitespace after the end-of-turn marker is template layout, not part of the answer.
        end = len(through.rstrip())
        if through.startswith(prompt) and full_text.startswith(through) and end > len(prompt):
            spans.append((len(prompt), end))
        else:
            start = full_text.find(message["content"], search_from)
            if start < 0:
                raise EngineError("bad_dataset", "the chat template drops assistant content; cannot mask the loss")
            spans.append((start, start + len(message["content"])))
        search_from = spans[-1][1]
    return spans


def encode_chat(tokenizer: Any, chat: list[dict[str, str]], max_seq_len: int) -> tuple[EncodedExample, bool]:
    """Returns the encoded example and whether it had to be truncated to max_seq_len."""
    try:
        full_text = render_chat(tokenizer, chat, add_generation_prompt=False)
    except Exception as exc:  # jinja raises its own types, e.g. for roles a template refuses
        raise EngineError("bad_dataset", f"the model's chat template rejected a conversation: {exc}") from exc
    spans = assistant_char_spans(tokenizer, chat, full_text)
    encoding = tokenizer(full_text, add_special_tokens=False, return_offsets_mapping=True)
    input_ids = list(encoding["input_ids"])
    labels = [IGNORE_INDEX] * len(input_ids)
    span_index = 0
    for position, (start, _end) in enumerate(encoding["offset_mapping"]):
        while span_index < len(spans) and start >= spans[span_index][1]:
            span_index += 1
        if span_index < len(spans) and spans[span_index][0] <= start:
            labels[position] = input_ids[position]
    truncated = len(input_ids) > max_seq_len
    return EncodedExample(input_ids[:max_seq_len], labels[:max_seq_len]), truncated


def encode_dataset(tokenizer: Any, chats: list[list[dict[str, str]]], max_seq_len: int) -> EncodedDataset:
    examples: list[EncodedExample] = []
    dropped: list[DroppedExample] = []
    for row, chat in enumerate(chats, 1):
        if any(m["role"] == "assistant" and not m["content"].strip() for m in chat):
            # Trained on, it would teach the model to answer with nothing.
            dropped.append(DroppedExample(row, 0, "empty assistant message"))
            continue
        example, too_long = encode_chat(tokenizer, chat, 1 << 30)
        length = len(example.input_ids)
        if too_long or length > max_seq_len:
            dropped.append(DroppedExample(row, length, f"longer than max_seq_len ({length} > {max_seq_len} tokens)"))
        # Position 0 is never predicted, so an example needs a supervised token after it to teach anything.
        elif not any(label != IGNORE_INDEX for label in example.labels[1:]):
            dropped.append(DroppedExample(row, length, "no answer tokens"))
        else:
            examples.append(example)
    return EncodedDataset(examples, dropped)


def merge_encoded(first: EncodedDataset, second: EncodedDataset, first_rows: int) -> EncodedDataset:
    """One training set of two encoded parts; the second part's dropped rows are numbered after the first's."""
    shifted = [DroppedExample(d.row + first_rows, d.tokens, d.reason) for d in second.dropped]
    return EncodedDataset(first.examples + second.examples, first.dropped + shifted)


def load_encoded(tokenizer: Any, path: str, max_seq_len: int) -> EncodedDataset:
    encoded = encode_dataset(tokenizer, read_chat_jsonl(path), max_seq_len)
    if not encoded.examples:
        reasons = "; ".join(f"{k}: {v}" for k, v in encoded.dropped_summary()["reasons"].items())
        raise EngineError("bad_dataset", f"no example of {path} can be trained on with max_seq_len={max_seq_len} ({reasons})")
    return encoded
