"""Small validators for request params, so bad input gets a clear `bad_params` error instead of a traceback."""

from __future__ import annotations

import os
from typing import Any, Optional

from .errors import EngineError

_MISSING = object()


def required_str(params: dict[str, Any], key: str) -> str:
    value = params.get(key, _MISSING)
    if value is _MISSING or not isinstance(value, str) or not value:
        raise EngineError("bad_params", f'"{key}" is required and must be a non-empty string')
    return value


def optional_str(params: dict[str, Any], key: str, default: Optional[str] = None) -> Optional[str]:
    value = params.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise EngineError("bad_params", f'"{key}" must be a string or null')
    return value


def optional_number(params: dict[str, Any], key: str, default: float, minimum: float, maximum: float) -> float:
    value = params.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (minimum <= value <= maximum):
        raise EngineError("bad_params", f'"{key}" must be a number in [{minimum}, {maximum}]')
    return float(value)


def optional_int(params: dict[str, Any], key: str, default: int, minimum: int, maximum: int) -> int:
    value = params.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not (minimum <= value <= maximum):
        raise EngineError("bad_params", f'"{key}" must be an integer in [{minimum}, {maximum}]')
    return value


def optional_bool(params: dict[str, Any], key: str, default: bool) -> bool:
    value = params.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise EngineError("bad_params", f'"{key}" must be true or false')
    return value


def resolve_path(workdir: str, path: str) -> str:
    """Relative paths in requests are relative to the engine's --workdir, never to wherever it was started."""
    return os.path.abspath(path if os.path.isabs(path) else os.path.join(workdir, path))
