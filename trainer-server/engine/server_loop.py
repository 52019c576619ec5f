"""The request loop: requests in arrival order; generations run batched, one decoding step at a time.

A reader thread parses lines and queues them; all model work happens on the main thread. The reader
answers one thing itself: `cancel` of a generation (`generation_id`), which only sets a flag that the
generation scheduler checks before every decoding step, so a cancel lands within one step.

While generations are in flight, the loop alternates: read what has arrived, then one decoding step
for every batch. `generate` joins the batches at once; `load_adapter`, `list_adapters`, `status` and
round `cancel` run between two steps; anything else (train, evaluate, behaviour, load_base, unloading
an adapter a generation is using) waits until the generations in flight are done, and so does every
request after it, so order is kept.

While `train` runs, the training loop calls `poll_during_training` between micro-batches, which
  - answers `cancel` at once (the round stops before its next micro-batch),
  - runs `generate`, `list_adapters` and `status` right away when nothing is queued ahead of them,
  - answers malformed lines at once,
  - queues everything else, in order, for after the round.
`shutdown`, end of input and SIGTERM cancel the running round, then stop the loop."""

from __future__ import annotations

import collections
import json
import logging
import queue
import threading
import traceback
from typing import Any, BinaryIO, Callable, Optional, Union

from .errors import EngineError, RoundCancelled
from .json_lines import BadLine, ProtocolWriter, Request, parse_request_line

log = logging.getLogger("engine")

INTERLEAVABLE = {"generate", "list_adapters", "status"}
BETWEEN_STEPS = {"generate", "list_adapters", "status", "load_adapter", "cancel"}
Handler = Callable[[Request], Optional[dict[str, Any]]]  # None: the handler replies later itself


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
        self.generations: Any = None  # the GenerationScheduler, set by EngineMethods
        self._live_generations: dict[str, str] = {}  # generation key -> "queued" | "running"; reader and main thread
        self._cancelled_generations: set[str] = set()
        self._generation_lock = threading.Lock()

    def start_reader(self, stream: BinaryIO) -> None:
        def read() -> None:
            for raw in stream:
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError:
                    self._inbox.put(BadLine(None, EngineError("bad_request", "line is not UTF-8")))
                    continue
                if line.strip():
                    item = parse_request_line(line)
                    if isinstance(item, Request) and item.method == "cancel" and "generation_id" in item.params:
                        self._cancel_generation(item)  # answered here: the main thread may be mid-step
                        continue
                    if isinstance(item, Request) and item.method == "generate":
                        with self._generation_lock:
                            self._live_generations[generation_key(item.id)] = "queued"
                    self._inbox.put(item)
            self._inbox.put(END_OF_INPUT)

        threading.Thread(target=read, name="stdin-reader", daemon=True).start()

    def run(self) -> None:
        while not self._stopping:
            if self.terminate_requested:
                break
            busy = self._generating()
            if self._deferred and not (busy and self._waits_for_idle(self._deferred[0])):
                self._handle(self._deferred.popleft())
                continue
            try:
                item = self._inbox.get_nowait() if busy else self._inbox.get(timeout=0.5)
            except queue.Empty:
                item = None
            if item is not None:
                if self._deferred and not isinstance(item, (BadLine, _EndOfInput)) and not _is_shutdown(item):
                    self._deferred.append(item)  # behind a request that waits for the generations in flight
                elif busy and self._waits_for_idle(item):
                    self._deferred.append(item)
                else:
                    self._handle(item)
                continue
            if busy:
                self.generations.step()
        if self._generating():
            self.generations.abort_all(EngineError("shutting_down", "the engine is shutting down"))
        self._refuse_leftovers()

    def _generating(self) -> bool:
        return self.generations is not None and self.generations.busy

    def _waits_for_idle(self, item: Item) -> bool:
        if not isinstance(item, Request) or _is_shutdown(item):
            return False
        if item.method == "unload_adapter":
            return item.params.get("name") in self.generations.adapters_in_use()
        return item.method not in BETWEEN_STEPS

    # -- generations ------------------------------------------------------------------------------
    def generation_started(self, request_id: Any) -> None:
        with self._generation_lock:
            if generation_key(request_id) in self._live_generations:
                self._live_generations[generation_key(request_id)] = "running"

    def generation_ended(self, request_id: Any) -> None:
        key = generation_key(request_id)
        with self._generation_lock:
            self._live_generations.pop(key, None)
            self._cancelled_generations.discard(key)

    def generation_cancelled(self, key: str) -> bool:
        with self._generation_lock:
            return key in self._cancelled_generations

    def _cancel_generation(self, request: Request) -> None:
        key = generation_key(request.params.get("generation_id"))
        with self._generation_lock:
            state = self._live_generations.get(key)
            if state is not None:
                self._cancelled_generations.add(key)
        if state is None:
            self.writer.reply(request.id, {"cancelled": False, "state": "not_found"})
        else:
            self.writer.reply(request.id, {"cancelled": True, "state": state})

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
                    # One generation between two training steps (with any others it is batched with):
                    # under steady gateway traffic the round must still make progress.
                    self.generations.run_until_idle()
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
            if result is not None:
                self.writer.reply(request.id, result)

    def _cancel(self, request: Request) -> None:
        if "generation_id" in request.params:
            self._cancel_generation(request)
            return
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


def generation_key(request_id: Any) -> str:
    """Request ids may be integers or strings; 1 and "1" are different requests."""
    return json.dumps(request_id)


def _is_shutdown(item: Item) -> bool:
    return isinstance(item, Request) and item.method == "shutdown"
