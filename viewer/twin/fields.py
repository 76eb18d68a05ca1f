"""The feed's own checked readers for fields of untrusted, already parsed JSON (sequence numbers, times,
columns); the readers it shares with meetings are viewer/wire.py's. Each returns the value or raises
MessageError.

Rules:
1. A field is read with its exact JSON type: booleans are not numbers, numbers are not strings, and an int
   seq beyond 2**63 is refused rather than wrapped.
2. Number columns are converted with one C-level pass over the element types (set(map(type, ...))) and
   one numpy conversion; no Python loop per row. null becomes NaN ("unknown").
3. Strings columns (ids, vtype) are passed through as object arrays whatever their element types: a row
   with a bad id is dropped by validate.py, it does not sink the whole message.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from viewer.twin.errors import MessageError
from viewer.wire import as_list, as_number, as_str, json_type

MAX_SEQ = 2**63 - 1
_NULLABLE_NUMBER_TYPES = {int, float, type(None)}


def as_seq(value: Any, what: str) -> int:
    """A sequence number: an integer 0 <= seq < 2**63."""
    if type(value) is not int:
        raise MessageError(f"{what} must be an integer, got {json_type(value)}")
    if not 0 <= value <= MAX_SEQ:
        raise MessageError(f"{what} {value} is outside 0..2**63-1")
    return value


def as_optional_seq(value: Any, what: str) -> int | None:
    return None if value is None else as_seq(value, what)


def as_time(value: Any, what: str) -> float:
    """A finite number (seconds)."""
    return as_number(value, what)


def as_str_tuple(value: Any, what: str, max_items: int, max_length: int) -> tuple[str, ...]:
    items = as_list(value, what, max_items)
    return tuple(as_str(item, f"{what} item", max_length) for item in items)


def float_column(values: Any, what: str, n: int, dtype: type) -> np.ndarray:
    """A (n,) array of `dtype` from a JSON list of numbers or nulls (null -> NaN), or null for all-NaN.

    Numbers beyond the dtype's range become +-inf (validate.py drops such rows); they never raise.
    """
    if values is None:
        return np.full(n, np.nan, dtype=dtype)
    items = _column_list(values, what, n)
    if not set(map(type, items)) <= _NULLABLE_NUMBER_TYPES:
        raise MessageError(f"{what} must hold numbers or null")
    try:
        out = np.array(items, dtype=np.float64)
    except OverflowError:
        raise MessageError(f"{what} holds an integer too large for a float") from None
    if dtype is np.float64:
        return out
    with np.errstate(over="ignore"):
        return out.astype(dtype)


def object_column(values: Any, what: str, n: int) -> np.ndarray:
    """A (n,) object array from a JSON list of any values (checked row by row later by validate.py)."""
    items = _column_list(values, what, n)
    return np.fromiter(items, dtype=object, count=n)


def _column_list(values: Any, what: str, n: int) -> list[Any]:
    """A JSON list of exactly n values (one per id)."""
    if not isinstance(values, list):
        raise MessageError(f"{what} must be a list, got {json_type(values)}")
    if len(values) != n:
        raise MessageError(f"{what} has {len(values):,} values for {n:,} ids")
    return values
