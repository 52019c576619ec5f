"""Runs the real request loop in the test process: request lines in, every output line back, in order.
All lines are queued at once, which makes the timing deterministic: everything after a `train` is already
waiting when the round polls between its first micro-batches. Input ends only once every request has its
reply, because end of input cancels a running round (as when the trainer-server dies)."""

from __future__ import annotations

import io
import json
import threading
from typing import Any, Iterator

from engine.json_lines import ProtocolWriter
from engine.methods import EngineMethods
from engine.server_loop import EngineServer


class _CountingWriter(ProtocolWriter):
    def __init__(self, stream: io.StringIO, expected: int) -> None:
        super().__init__(stream)
        self.all_replied = threading.Event()
        self._expected = expected
        self._replies = 0

    def send(self, message: dict[str, Any]) -> None:
        super().send(message)
        if "event" not in message:
            self._replies += 1
            if self._replies >= self._expected:
                self.all_replied.set()


def _lines_then_wait(lines: list[str], writer: _CountingWriter, timeout: float) -> Iterator[bytes]:
    for line in lines:
        yield line.encode("utf-8") + b"\n"
    writer.all_replied.wait(timeout=timeout)


def run_session(workdir: str, requests: list[Any], timeout: float = 120) -> list[dict[str, Any]]:
    """`requests` holds (method, params) pairs (ids are 1, 2, ...) or raw strings sent as they are."""
    lines = []
    for number, request in enumerate(requests, 1):
        if isinstance(request, str):
            lines.append(request)
        else:
            method, params = request
            lines.append(json.dumps({"id": number, "method": method, "params": params}))
    out = io.StringIO()
    writer = _CountingWriter(out, expected=len(lines))
    server = EngineServer(writer)
    EngineMethods(server, workdir)
    server.start_reader(_lines_then_wait(lines, writer, timeout))  # type: ignore[arg-type]
    server.run()
    return [json.loads(line) for line in out.getvalue().splitlines()]


def reply(messages: list[dict[str, Any]], req_id: int) -> dict[str, Any]:
    return next(m for m in messages if m.get("id") == req_id and "event" not in m)


def result(messages: list[dict[str, Any]], req_id: int) -> dict[str, Any]:
    found = reply(messages, req_id)
    assert "result" in found, f"request {req_id} failed: {found}"
    return found["result"]


def position(messages: list[dict[str, Any]], req_id: int) -> int:
    return next(i for i, m in enumerate(messages) if m.get("id") == req_id and "event" not in m)
