"""Typed reads of untrusted JSON values for the 3D Tiles readers: each names the file and the key on failure."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from viewer.errors import LoadError


def obj(where: str, value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise LoadError(where, f"{what} must be a JSON object")
    return value


def items(where: str, value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise LoadError(where, f"{what} must be a JSON array")
    return value


def number(where: str, value: Any, what: str, minimum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise LoadError(where, f"{what} must be a finite number, got {value!r}"[:200])
    if minimum is not None and value < minimum:
        raise LoadError(where, f"{what} must be at least {minimum}, got {value!r}")
    return float(value)


def integer(where: str, value: Any, what: str, minimum: int = 0, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise LoadError(where, f"{what} must be an integer of at least {minimum}, got {value!r}"[:200])
    if maximum is not None and value > maximum:
        raise LoadError(where, f"{what} {value:,} exceeds the limit of {maximum:,}")
    return value


def numbers(where: str, value: Any, what: str, count: int) -> np.ndarray:
    """Exactly `count` finite numbers as (count,) float64."""
    if (not isinstance(value, list) or len(value) != count
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
        raise LoadError(where, f"{what} must be an array of {count} numbers")
    array = np.asarray(value, dtype=np.float64)
    if not np.isfinite(array).all():
        raise LoadError(where, f"{what} contains a non-finite number")
    return array


def string(where: str, value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise LoadError(where, f"{what} must be a string")
    return value
