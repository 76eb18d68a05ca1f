"""Explicit limits (config.Limits) for every loader, and the guarded readers that enforce them.

A hostile file must fail fast with a LimitExceeded naming the file and the limit, never exhaust memory.
Limits are configurable per scene (`[limits]` table) and from the command line.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from viewer.config import Limits
from viewer.errors import LimitExceeded, LoadError

DEFAULT_LIMITS = Limits()


def check_count(path: str | Path, limit: str, value: int, maximum: int) -> None:
    """Raise LimitExceeded when `value` is above `maximum`."""
    if value > maximum:
        raise LimitExceeded(path, limit, int(value), int(maximum))


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


def _reject_constant(token: str) -> float:
    raise ValueError(f"{token} is not valid JSON")


def parse_json_text(path: str | Path, text: str | bytes) -> Any:
    """Parse JSON, turning any syntax error (and NaN/Infinity tokens) into a LoadError naming the file."""
    try:
        return json.loads(text, parse_constant=_reject_constant)  # noqa: TID251 - this is the guarded reader
    except RecursionError:
        raise LoadError(path, "JSON nested too deeply") from None
    except UnicodeDecodeError as exc:
        raise LoadError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except ValueError as exc:
        raise LoadError(path, f"malformed JSON: {exc}") from None


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
    """Resolve a file referenced from a model, refusing anything outside the model's folder."""
    base = base_dir.resolve()
    target = (base / reference).resolve()
    if target != base and base not in target.parents:
        raise LoadError(path_for_errors, f"reference {reference!r} points outside the model's folder")
    return target
