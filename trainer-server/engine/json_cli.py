"""The ending the engine's one-shot commands share (gguf_base, gguf_file_base, gguf_lora): the trainer-server
runs them and reads one JSON line, the summary (exit 0) or {"error": ...} for a refusal (exit 2)."""

from __future__ import annotations

import json
from typing import Any, Callable


def print_json_outcome(
    work: Callable[[], dict[str, Any]],
    refusals: tuple[type[BaseException], ...],
    describe: Callable[[BaseException], str] = str,
) -> int:
    """Runs `work` and prints its summary as JSON (returns 0), or, when it raises one of `refusals`,
    {"error": describe(exception)} (returns 2). Any other exception propagates with its traceback."""
    try:
        summary = work()
    except refusals as exc:
        print(json.dumps({"error": describe(exc)}))
        return 2
    print(json.dumps(summary))
    return 0
