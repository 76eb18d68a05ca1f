"""Wire helpers shared by the twin feed (twin/) and meetings (meeting/): checked readers for fields of
untrusted, already parsed JSON, and the steps every decoder takes around them.

Rules:
1. A field is read with its exact JSON type: booleans are not numbers, numbers are not strings. Anything
   else raises MessageError naming the field; a crossed limit raises MessageTooLarge.
2. Numbers are finite: NaN, infinities and integers too large for a float are refused here.
3. decode_guarded() is the one place a decoder's errors get the peer's name, and where an exception the
   checks did not foresee (a hole) still becomes a MessageError, said loudly so a test can catch it.
4. This module knows neither protocol: the feed's and the meetings' own readers (twin/fields.py,
   meeting/fields.py) build on these.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar

from viewer.errors import MessageError, MessageTooLarge

T = TypeVar("T")
_NUMBER_TYPES = (int, float)
# What a hole in the checks raises: turned into a MessageError rather than leaving the decoder (rule 3).
_DECODE_BUGS = (TypeError, ValueError, KeyError, IndexError, OverflowError, AttributeError)


def json_type(value: Any) -> str:
    """The JSON name of a parsed value's type, for error messages."""
    names = {dict: "object", list: "list", str: "string", bool: "boolean", int: "integer", float: "number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def field(obj: dict[str, Any], key: str, what: str) -> Any:
    """obj[key], or a MessageError naming the missing field."""
    if key not in obj:
        raise MessageError(f"{what} has no {key!r}")
    return obj[key]


def as_dict(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise MessageError(f"{what} must be an object, got {json_type(value)}")
    return value


def as_list(value: Any, what: str, max_items: int) -> list[Any]:
    if not isinstance(value, list):
        raise MessageError(f"{what} must be a list, got {json_type(value)}")
    if len(value) > max_items:
        raise MessageTooLarge(f"items in {what}", len(value), max_items)
    return value


def as_str(value: Any, what: str, max_chars: int) -> str:
    if not isinstance(value, str):
        raise MessageError(f"{what} must be a string, got {json_type(value)}")
    if len(value) > max_chars:
        raise MessageTooLarge(f"characters in {what}", len(value), max_chars)
    return value


def as_bool(value: Any, what: str) -> bool:
    if type(value) is not bool:
        raise MessageError(f"{what} must be true or false, got {json_type(value)}")
    return value


def as_number(value: Any, what: str, lo: float = -math.inf, hi: float = math.inf) -> float:
    """A finite JSON number (not a boolean) inside lo..hi."""
    if type(value) not in _NUMBER_TYPES:
        raise MessageError(f"{what} must be a number, got {json_type(value)}")
    try:
        number = float(value)
    except OverflowError:
        raise MessageError(f"{what} is too large") from None
    if not math.isfinite(number):
        raise MessageError(f"{what} is not finite")
    if not lo <= number <= hi:
        raise MessageError(f"{what} {number:g} is outside {lo:g}..{hi:g}")
    return number


def utf8_within(text: str, max_bytes: int) -> bytes:
    """`text` as UTF-8 bytes, refused before encoding when it cannot fit (a character is at least a byte)
    and after when it does not."""
    if len(text) > max_bytes:
        raise MessageTooLarge("message size (bytes)", len(text), max_bytes)
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        raise MessageError("text is not valid Unicode (lone surrogate)") from None
    if len(raw) > max_bytes:
        raise MessageTooLarge("message size (bytes)", len(raw), max_bytes)
    return raw


def decode_guarded(read: Callable[[], T], peer: str) -> T:
    """read(), with any MessageError renamed to come from `peer` and any hole in the checks made one (rule 3)."""
    try:
        return read()
    except MessageError as exc:
        raise _naming(exc, peer) from None
    except _DECODE_BUGS as exc:
        raise MessageError(f"internal error ({type(exc).__name__}) while decoding: {exc}", peer) from None


def _naming(exc: MessageError, peer: str) -> MessageError:
    exc.peer = peer
    exc.args = (f"{peer}: {exc.reason}",)
    return exc
