"""A small client for the engine's JSON-lines protocol, used by the tests: spawns the real engine process
and collects its replies and events from a reader thread."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from typing import Any, Optional

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TRAINER_SERVER = os.path.join(REPO_ROOT, "trainer-server")


class EngineProcess:
    def __init__(self, workdir: str, threads: int = 1) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "TOKENIZERS_PARALLELISM": "false", "HF_HUB_OFFLINE": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "engine.main", "--stdio", "--workdir", workdir, "--threads", str(threads)],
            cwd=TRAINER_SERVER,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=open(os.path.join(workdir, "engine-stderr.log"), "ab"),
            env=env,
        )
        self.messages: "queue.Queue[dict[str, Any]]" = queue.Queue()
        self.seen: list[dict[str, Any]] = []  # every event, and replies nobody has waited for yet
        self.raw_lines: list[str] = []
        self._next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            line = raw.decode("utf-8")
            self.raw_lines.append(line)
            try:
                self.messages.put(json.loads(line))
            except json.JSONDecodeError:
                self.messages.put({"bad_stdout_line": line})
        self.messages.put({"closed": True})

    def send_line(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode("utf-8") + b"\n")
        self.proc.stdin.flush()

    def send(self, method: str, params: Optional[dict[str, Any]] = None) -> int:
        self._next_id += 1
        self.send_line(json.dumps({"id": self._next_id, "method": method, "params": params or {}}))
        return self._next_id

    def next_message(self, timeout: float = 60) -> dict[str, Any]:
        message = self.messages.get(timeout=timeout)
        if message.get("closed"):
            raise EOFError("engine closed its stdout")
        if "bad_stdout_line" in message:
            raise AssertionError(f"engine wrote a non-JSON line to stdout: {message['bad_stdout_line']!r}")
        return message

    def wait_reply(self, req_id: Any, timeout: float = 60) -> dict[str, Any]:
        """Returns the reply with that id; events and other replies read meanwhile go to `seen`."""
        deadline = time.monotonic() + timeout
        while True:
            message = self.next_message(timeout=max(0.1, deadline - time.monotonic()))
            if message.get("id") == req_id and ("result" in message or "error" in message):
                return message
            self.seen.append(message)

    def wait_event(self, predicate: Any, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            message = self.next_message(timeout=max(0.1, deadline - time.monotonic()))
            self.seen.append(message)
            if "event" in message and predicate(message):
                return message

    def call(self, method: str, params: Optional[dict[str, Any]] = None, timeout: float = 60) -> dict[str, Any]:
        reply = self.wait_reply(self.send(method, params), timeout)
        if "error" in reply:
            raise AssertionError(f"{method} failed: {reply['error']}")
        return reply["result"]

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                self.send("shutdown")
                self.proc.wait(timeout=20)
            except (BrokenPipeError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()
