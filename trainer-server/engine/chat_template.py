"""Rendering chats with the tokenizer's template, and the simple template used when a tokenizer has none."""

from __future__ import annotations

from typing import Any

# Used only for tokenizers without a chat template (base models). Plain-text role headers so any
# vocabulary can express it; the assistant turn ends with the EOS token so generation knows where to stop.
FALLBACK_CHAT_TEMPLATE = (
    "{% for m in messages %}"
    "{{ '### ' + m['role'] + ':\\n' + m['content'] }}"
    "{% if m['role'] == 'assistant' %}{{ eos_token or '' }}{% endif %}"
    "{{ '\\n\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '### assistant:\\n' }}{% endif %}"
)


def ensure_chat_template(tokenizer: Any) -> bool:
    """Installs the fallback template when the tokenizer has none; returns True when it did."""
    if getattr(tokenizer, "chat_template", None):
        return False
    tokenizer.chat_template = FALLBACK_CHAT_TEMPLATE
    return True


def render_chat(tokenizer: Any, messages: list[dict[str, str]], add_generation_prompt: bool) -> str:
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=add_generation_prompt)
    if not isinstance(text, str):
        raise TypeError("apply_chat_template did not return text")
    return text
