"""JSON-lines framing: parsing one request line and writing replies/events on the protocol stream."""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from typing import Any, TextIO, Union

from .errors import EngineError


@dataclass
class Request:
    id: Union[int, str]
    method: str
    params: dict[str, Any]


@dataclass
class BadLine:
    """A line that could not be turned into a Request; answered with an error, it never stops the loop."""

    id: Union[int, str, None]
    error: EngineError


def parse_request_line(line: str) -> Union[Request, BadLine]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return BadLine(None, EngineError("bad_request", f"line is not valid JSON: {exc.msg} at column {exc.colno}"))
    if not isinstance(obj, dict):
        return BadLine(None, EngineError("bad_request", "a request must be a JSON object"))
    req_id = obj.get("id")
    # bool is an int subclass in Python, but true/false is never a sensible request id.
    if isinstance(req_id, bool) or not isinstance(req_id, (int, str)):
        return BadLine(None, EngineError("bad_request", 'a request needs "id" (an integer or a string)'))
    method = obj.get("method")
    if not isinstance(method, str) or not method:
        return BadLine(req_id, EngineError("bad_request", 'a request needs "method" (a string)'))
    params = obj.get("params", {})
    if params is None:
        params = {}
    if not isinstance(params, dict):
        return BadLine(req_id, EngineError("bad_request", '"params" must be a JSON object'))
    return Request(req_id, method, params)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


class ProtocolWriter:
    """Writes one JSON object per line and flushes, so the client sees each event as it happens."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, message: dict[str, Any]) -> None:
        try:
            text = json.dumps(message, ensure_ascii=False, allow_nan=False, default=str)
        except ValueError:  # NaN/inf is not JSON; a diverged metric is reported as null instead
            text = json.dumps(_finite(message), ensure_ascii=False, allow_nan=False, default=str)
        with self._lock:
            self._stream.write(text + "\n")
            self._stream.flush()

    def reply(self, req_id: Union[int, str, None], result: dict[str, Any]) -> None:
        self.send({"id": req_id, "result": result})

    def error(self, req_id: Union[int, str, None], error: EngineError) -> None:
        self.send({"id": req_id, "error": {"code": error.code, "message": error.message}})

    def event(self, name: str, **fields: Any) -> None:
        self.send({"event": name, **fields})
