"""The request loop: one request at a time, in arrival order, with two exceptions while a round trains.

A reader thread only parses lines and queues them; all model work and all writes happen on the main thread.
While `train` runs, the training loop calls `poll_during_training` between micro-batches, which
  - answers `cancel` at once (the round stops before its next micro-batch),
  - runs `generate`, `list_adapters` and `status` right away when nothing is queued ahead of them,
  - answers malformed lines at once,
  - queues everything else, in order, for after the round.
`shutdown`, end of input and SIGTERM cancel the running round, then stop the loop."""

from __future__ import annotations

import collections
import logging
import queue
import threading
import traceback
from typing import Any, BinaryIO, Callable, Optional, Union

from .errors import EngineError, RoundCancelled
from .json_lines import BadLine, ProtocolWriter, Request, parse_request_line

log = logging.getLogger("engine")

INTERLEAVABLE = {"generate", "list_adapters", "status"}
Handler = Callable[[Request], dict[str, Any]]


class _EndOfInput:
    pass


END_OF_INPUT = _EndOfInput()
Item = Union[Request, BadLine, _EndOfInput]


class EngineServer:
    def __init__(self, writer: ProtocolWriter) -> None:
        self.writer = writer
        self.handlers: dict[str, Handler] = {}
        self._inbox: "queue.Queue[Item]" = queue.Queue()
        self._deferred: "collections.deque[Item]" = collections.deque()
        self._round_id: Optional[str] = None
        self._cancel_requested = False
        self._stopping = False
        self.terminate_requested = False  # set from a signal handler; checked, never waited on

    def start_reader(self, stream: BinaryIO) -> None:
        def read() -> None:
            for raw in stream:
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    self._inbox.put(BadLine(None, EngineError("bad_request", "line is not UTF-8")))
                    continue
                if line.strip():
                    self._inbox.put(parse_request_line(line))
            self._inbox.put(END_OF_INPUT)

        threading.Thread(target=read, name="stdin-reader", daemon=True).start()

    def run(self) -> None:
        while not self._stopping:
            if self.terminate_requested:
                break
            if self._deferred:
                item = self._deferred.popleft()
            else:
                try:
                    item = self._inbox.get(timeout=0.5)
                except queue.Empty:
                    continue
            self._handle(item)
        self._refuse_leftovers()

    # -- a running round --------------------------------------------------------------------------
    def begin_round(self, round_id: str) -> None:
        self._round_id, self._cancel_requested = round_id, False

    def end_round(self) -> None:
        self._round_id, self._cancel_requested = None, False

    def poll_during_training(self) -> bool:
        """Returns True when it ran a request that used the model."""
        used_model = False
        while True:
            try:
                item = self._inbox.get_nowait()
            except queue.Empty:
                break
            if isinstance(item, BadLine):
                self.writer.error(item.id, item.error)
            elif isinstance(item, _EndOfInput) or item.method == "shutdown":
                self._cancel_requested = True
                self._deferred.append(item)
            elif item.method == "cancel":
                self._cancel(item)
            elif not self._deferred and item.method in INTERLEAVABLE:
                self._dispatch(item)
                if item.method == "generate":
                    # At most one generation between two training steps: under steady gateway
                    # traffic the round must still make progress.
                    used_model = True
                    break
            else:
                self._deferred.append(item)
        if self.terminate_requested:
            self._cancel_requested = True
        if self._cancel_requested and self._round_id is not None:
            raise RoundCancelled(self._round_id)
        return used_model

    # -- handling ---------------------------------------------------------------------------------
    def _handle(self, item: Item) -> None:
        if isinstance(item, _EndOfInput):
            self._stopping = True
        elif isinstance(item, BadLine):
            self.writer.error(item.id, item.error)
        elif item.method == "cancel":
            self._cancel(item)
        elif item.method == "shutdown":
            self.writer.reply(item.id, {"ok": True})
            self._stopping = True
        else:
            self._dispatch(item)

    def _dispatch(self, request: Request) -> None:
        handler = self.handlers.get(request.method)
        if handler is None:
            known = ", ".join(sorted([*self.handlers, "cancel", "shutdown"]))
            self.writer.error(request.id, EngineError("unknown_method", f"unknown method {request.method!r}; known: {known}"))
            return
        try:
            result = handler(request)
        except EngineError as exc:
            self.writer.error(request.id, exc)
        except Exception as exc:  # the loop must outlive any one request
            log.error("request %s (%s) failed:\n%s", request.id, request.method, traceback.format_exc())
            self.writer.error(request.id, EngineError("internal", f"{type(exc).__name__}: {exc}"))
        else:
            self.writer.reply(request.id, result)

    def _cancel(self, request: Request) -> None:
        round_id = request.params.get("round_id")
        if isinstance(round_id, bool) or not isinstance(round_id, (str, int)):
            self.writer.error(request.id, EngineError("bad_params", '"round_id" is required (a string or an integer)'))
            return
        round_id = str(round_id)
        if self._round_id == round_id:
            self._cancel_requested = True
            self.writer.reply(request.id, {"cancelled": True, "state": "running"})
            return
        for queued in list(self._deferred):
            if isinstance(queued, Request) and queued.method == "train" and str(queued.params.get("round_id")) == round_id:
                self._deferred.remove(queued)
                self.writer.error(queued.id, RoundCancelled(round_id))
                self.writer.reply(request.id, {"cancelled": True, "state": "queued"})
                return
        self.writer.reply(request.id, {"cancelled": False, "state": "not_found"})

    def _refuse_leftovers(self) -> None:
        while True:
            try:
                item = self._deferred.popleft() if self._deferred else self._inbox.get_nowait()
            except queue.Empty:
                return
            if isinstance(item, Request):
                self.writer.error(item.id, EngineError("shutting_down", "the engine is shutting down"))

    def current_round(self) -> Optional[str]:
        return self._round_id
