"""Explicit limits (config.Limits) for every loader, and the guarded readers that enforce them.

A hostile file must fail fast with a LimitExceeded naming the file and the limit, never exhaust memory.
Limits are configurable per scene (`[limits]` table) and from the command line.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import orjson

from viewer.config import Limits
from viewer.errors import LimitExceeded, LoadError

DEFAULT_LIMITS = Limits()


def check_count(path: str | Path, limit: str, value: int, maximum: int) -> None:
    """Raise LimitExceeded when `value` is above `maximum`."""
    if value > maximum:
        raise LimitExceeded(path, limit, int(value), int(maximum))


def too_complex(path: str | Path, limit: str, value: int, maximum: int) -> LoadError:
    """The error for polygons earcut cannot triangulate in bounded time (triangulate.TooComplex's fields).

    A fixed limit, not one of the scene's [limits]: past it the time, not the memory, runs away."""
    return LoadError(path, f"{limit} {value:,} exceeds the limit of {maximum:,} (earcut's time grows with the "
                           "square of a polygon's vertex count: simplify the polygon)")


def check_file(path: Path, limits: Limits) -> int:
    """Existence, type and size of a model file; returns its size in bytes."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise LoadError(path, "file not found") from None
    except OSError as exc:
        raise LoadError(path, f"cannot read: {exc.strerror or exc}") from None
    if not path.is_file():
        raise LoadError(path, "not a regular file")
    check_count(path, "file size (bytes)", stat.st_size, limits.max_file_bytes)
    return stat.st_size


# orjson's refusals, reworded for people; checked in order against its message.
_REASONS = (
    ("depth limit", "JSON nested too deeply"),
    ("infinity when parsed", "malformed JSON: number is infinite (not finite as a float64)"),
    ("not valid UTF-8", "not UTF-8 text"),
)
_CONSTANTS = (b"NaN", b"-Infinity", b"Infinity")


def parse_json_text(path: str | Path, text: str | bytes) -> Any:
    """Parse JSON, turning any syntax error (and NaN/Infinity tokens) into a LoadError naming the file.

    orjson (3-4x faster than the json module on city models) parses strict RFC 8259 JSON: NaN, Infinity,
    numbers that overflow a float64 and invalid UTF-8 are refused, and nesting deeper than 1024 levels.
    Callers must not recurse over what it returns (Python's own limit is about 1000 frames), and must treat
    RecursionError from repr() or pickle of untrusted values as bad input.
    """
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise LoadError(path, _reason(exc, text)) from None


def _reason(exc: orjson.JSONDecodeError, text: str | bytes) -> str:
    message = exc.msg
    where = f"line {exc.lineno} column {exc.colno} (char {exc.pos})"
    for marker, reason in _REASONS:
        if marker in message:
            return f"{reason}: {where}"
    raw = text.encode("utf-8", "replace") if isinstance(text, str) else bytes(text)
    near = raw[max(0, exc.pos - 1):exc.pos + 9]
    token = next((c for c in _CONSTANTS if near.startswith(c) or near[1:].startswith(c)), None)
    if token is not None:
        return f"malformed JSON: {token.decode()} is not valid JSON: {where}"
    return f"malformed JSON: {message}: {where}"


def read_json(path: Path, limits: Limits) -> Any:
    """Read a whole JSON file within the file-size limit."""
    check_file(path, limits)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(path, f"cannot read: {exc.strerror or exc}") from None
    return parse_json_text(path, data)


def finite_number(path: str | Path, value: Any, what: str) -> float:
    """A finite float from untrusted input, or a LoadError naming `what`."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise LoadError(path, f"{what} must be a number, got {type(value).__name__}")
    out = float(value)
    if not math.isfinite(out):
        raise LoadError(path, f"{what} is not finite")
    return out


def resolve_inside(base_dir: Path, reference: str, path_for_errors: str | Path) -> Path:
    """Resolve a file referenced from a model, refusing anything outside the model's folder (and names no
    file system accepts: a NUL byte makes the OS calls raise ValueError)."""
    if "\x00" in reference:
        raise LoadError(path_for_errors, f"reference {reference!r} contains a NUL byte")
    base = base_dir.resolve()
    target = (base / reference).resolve()
    if target != base and base not in target.parents:
        raise LoadError(path_for_errors, f"reference {reference!r} points outside the model's folder")
    return target
