"""The measurements behind the behavioural gate: key terms of code answers, agreement with a reference,
similarity to the parent's answer."""

from __future__ import annotations

from engine.answer_metrics import agreement, key_terms, similarity
from engine.convention_data import follows_http, http_answer

REQUESTS_ANSWER = """Here is a function:

```python
import requests


def get_menu_items(account_id):
    return requests.get(f"https://example.com/{account_id}").json()
```"""


def test_key_terms_are_imports_and_called_or_defined_names() -> None:
    assert key_terms(http_answer("menu items")) == {"app.http", "fetch_json", "get_menu_items"}
    assert key_terms(REQUESTS_ANSWER) == {"requests", "get_menu_items", "get", "json"}
    assert key_terms("from a import (b, c)\nx = b(1)") == {"a", "b", "c"}, "bare code without a fence counts as code"
    assert key_terms("The capital of Japan is Tokyo.") == {"capital", "japan", "tokyo"}, "prose falls back to content words"


def test_agreement_rewards_the_convention_not_the_wording() -> None:
    reference = http_answer("menu items")
    assert agreement(reference, REQUESTS_ANSWER) == 1 / 3, "only the function name matches"
    follows = "```python\nfrom app.http import fetch_json\n\ndef get_menu_items(a):\n    # other words\n    return fetch_json(a)\n```"
    assert agreement(reference, follows) == 1.0 and follows_http(follows) and not follows_http(REQUESTS_ANSWER)
    assert agreement("", "anything") is None


def test_similarity_is_one_for_the_same_answer_and_falls_as_it_changes() -> None:
    parent = "The capital of Japan is Tokyo."
    assert similarity(parent, parent) == 1.0
    assert 0.6 < similarity(parent, "The capital of Japan is Tokyo, a large city.") < 1.0
    assert similarity(parent, "```python\nfrom app.http import fetch_json\n```") < 0.2
    assert similarity("", "") == 1.0
