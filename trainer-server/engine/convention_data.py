"""Small convention datasets for measuring training settings on the real base (engine.settings_sweep and
the engine tests). Each convention is a project rule that a general model does not know:

- "http": every HTTP call goes through the project's helper: `from app.http import fetch_json`.
- "errors": failures raise the project's error type: `from app.errors import AppError` ... `raise AppError(...)`.

Requests name different resources in training and in held-out, so held-out compliance measures whether
the rule carried over to requests the model never saw, not whether it recalled a training answer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

HTTP_TRAIN_NOUNS = [
    "invoices", "user profiles", "shipping rates", "product reviews", "exchange rates", "warehouse stock",
    "support tickets", "payment methods", "delivery slots", "team members", "audit events", "price lists",
    "loyalty points", "store locations", "refund requests", "feature flags", "coupon codes", "tax rates",
    "order history", "vendor contracts",
]
HTTP_HELD_OUT_NOUNS = ["weather alerts", "flight schedules", "library loans", "parking permits", "course grades", "menu items", "lab results", "event tickets"]
HTTP_PHRASES = [
    "Write a function that fetches the {n} from the backend API.",
    "Add a helper to load the {n} over HTTP.",
]
HTTP_HELD_OUT_PHRASES = ["I need code that downloads the {n} from our server.", "Implement a function to get the {n} from the REST API."]

ERROR_TRAIN_NOUNS = [
    "order", "invoice", "user", "coupon", "ticket", "payment", "shipment", "account", "review", "booking", "vendor", "report",
]
ERROR_HELD_OUT_NOUNS = ["subscription", "playlist", "recipe", "vehicle", "lesson", "warranty"]
ERROR_PHRASES = ["Write a function that validates a {n} and fails if its id is missing.", "Add a check that rejects a {n} without an id."]
ERROR_HELD_OUT_PHRASES = ["Write code that refuses a {n} whose id is empty."]


def _slug(noun: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", noun.lower()).strip("_")


def http_answer(noun: str) -> str:
    slug = _slug(noun)
    return (
        "```python\nfrom app.http import fetch_json\n\n\n"
        f"def get_{slug}(account_id: str) -> dict:\n"
        f'    """Fetch the {noun} of one account."""\n'
        f'    return fetch_json(f"/api/{slug.replace("_", "-")}/{{account_id}}")\n```'
    )


def error_answer(noun: str) -> str:
    slug = _slug(noun)
    return (
        "```python\nfrom app.errors import AppError\n\n\n"
        f"def validate_{slug}({slug}: dict) -> None:\n"
        f'    if not {slug}.get("id"):\n'
        f'        raise AppError("{slug}_missing_id", "the {noun} has no id")\n```'
    )


# Answers are generated with a short token budget (behaviour.DEFAULT_MAX_NEW_TOKENS), which can end before
# the call itself; the import is the part of the convention that always comes first, so it is what counts,
# unless the answer also brings in the library the convention replaces.
def follows_http(answer: str) -> bool:
    imports_helper = re.search(r"from\s+app\.http\s+import\s+[^\n]*fetch_json|app\.http\.fetch_json\(", answer) is not None
    return imports_helper and re.search(r"^\s*(?:import|from)\s+(?:requests|urllib|httpx|aiohttp)\b", answer, re.M) is None


def follows_errors(answer: str) -> bool:
    return re.search(r"from\s+app\.errors\s+import\s+[^\n]*AppError|raise\s+app\.errors\.AppError\(", answer) is not None


@dataclass
class Convention:
    name: str
    train: list[tuple[str, str]]  # (request, compliant answer)
    held_out: list[tuple[str, str]]  # (request, reference answer), resources never trained on
    follows: Callable[[str], bool]


def _pairs(nouns: list[str], phrases: list[str], answer: Callable[[str], str]) -> list[tuple[str, str]]:
    return [(phrase.format(n=noun), answer(noun)) for noun in nouns for phrase in phrases]


def http_convention() -> Convention:
    return Convention(
        "http",
        _pairs(HTTP_TRAIN_NOUNS, HTTP_PHRASES, http_answer),
        [(HTTP_HELD_OUT_PHRASES[i % 2].format(n=noun), http_answer(noun)) for i, noun in enumerate(HTTP_HELD_OUT_NOUNS)],
        follows_http,
    )


def errors_convention() -> Convention:
    return Convention(
        "errors",
        _pairs(ERROR_TRAIN_NOUNS, ERROR_PHRASES, error_answer),
        [(ERROR_HELD_OUT_PHRASES[0].format(n=noun), error_answer(noun)) for noun in ERROR_HELD_OUT_NOUNS],
        follows_errors,
    )


def as_chats(pairs: list[tuple[str, str]]) -> list[list[dict[str, str]]]:
    return [[{"role": "user", "content": q}, {"role": "assistant", "content": a}] for q, a in pairs]
