"""Synthetic chat datasets for the engine tests: a fixed, learnable mapping from names to codes."""

from __future__ import annotations

import json
import random
from typing import Any

NAMES = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"]
TRAIN_PHRASINGS = ["What is the code for {name}?", "Tell me the code for {name}.", "Code of {name}, please."]
EVAL_PHRASINGS = ["Which code belongs to {name}?"]  # held out: a phrasing never trained on
SYSTEM = "You answer with the code."


def code_for(name: str) -> str:
    return str(10 + (sum(map(ord, name)) * 7) % 90)


def chat(question: str, answer: str) -> dict[str, Any]:
    return {
        "messages": [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer},
        ]
    }


def good_rows(phrasings: list[str]) -> list[dict[str, Any]]:
    return [chat(p.format(name=n), f"The code for {n} is {code_for(n)}.") for n in NAMES for p in phrasings]


def shuffled_rows(phrasings: list[str], seed: int = 1) -> list[dict[str, Any]]:
    """The same questions with answers shuffled between them: consistent-looking but wrong."""
    rows = good_rows(phrasings)
    answers = [r["messages"][2]["content"] for r in rows]
    random.Random(seed).shuffle(answers)
    for row, answer in zip(rows, answers):
        row["messages"][2]["content"] = answer
    return rows


def write_jsonl(path: str, rows: list[dict[str, Any]]) -> str:
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    return path
