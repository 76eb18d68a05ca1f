"""The meetings' own checked readers for fields of untrusted, already parsed JSON (ids, points, headings,
room names), and the text rules of meetings; the readers they share with the feed are viewer/wire.py's.

Rules:
1. A field is read with its exact JSON type: booleans are not numbers, numbers are not strings, a list of
   three numbers is a point. Anything else raises MessageError naming the field.
2. Every number that reaches the room state is finite and inside an explicit range: a NaN or an absurd
   coordinate is refused here, so nothing downstream ever checks again.
3. Text shown to other people (names, chat) is cleaned the same way everywhere: control and format
   characters (Unicode Cc, Cf: newlines, bidi overrides, zero-width joiners) become spaces or vanish, runs of
   spaces collapse, and the result must be non-empty and within its length limit.
4. Room names and token ids (jti) are plain ASCII identifiers, so they can appear in URLs and logs as-is.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from viewer.meeting.errors import MessageError
from viewer.wire import as_number, as_str, json_type

Vec3 = tuple[float, float, float]
MAX_COORD = 1.0e6  # metres from the scene origin: a city is far smaller; beyond this is a lie or a bug
ROOM_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
JTI_RE = re.compile(r"[A-Za-z0-9_-]{8,64}")
LAYER_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
MAX_ID = 2**53  # participant ids are JSON-safe integers
_SPACES = re.compile(r"\s+")


def only_keys(obj: dict[str, Any], allowed: frozenset[str], what: str) -> None:
    """Refuse fields the schema does not have: a client that adds "from", "room" or "role" is lying."""
    extra = [key for key in obj if key not in allowed]
    if extra:
        raise MessageError(f"{what} has unexpected field {str(extra[0])[:32]!r}")


def as_id(value: Any, what: str) -> int:
    """A participant id: an integer 1..2**53."""
    if type(value) is not int or not 1 <= value <= MAX_ID:
        raise MessageError(f"{what} must be a participant id (an integer 1..2**53), got {json_type(value)}")
    return value


def as_optional_id(value: Any, what: str) -> int | None:
    return None if value is None else as_id(value, what)


def as_point(value: Any, what: str) -> Vec3:
    """[x, y, z] in local metres: three finite numbers within MAX_COORD."""
    if type(value) is list and len(value) == 3:  # the common case (three floats in range) without calls
        x, y, z = value
        if (type(x) is float and type(y) is float and type(z) is float and -MAX_COORD <= x <= MAX_COORD
                and -MAX_COORD <= y <= MAX_COORD and -MAX_COORD <= z <= MAX_COORD):
            return (x, y, z)
    if not isinstance(value, list) or len(value) != 3:
        raise MessageError(f"{what} must be a list of 3 numbers, got {json_type(value)}")
    x, y, z = (as_number(v, what, -MAX_COORD, MAX_COORD) for v in value)
    return (x, y, z)


def as_optional_point(value: Any, what: str) -> Vec3 | None:
    return None if value is None else as_point(value, what)


def as_heading(value: Any, what: str) -> float:
    """Degrees, any finite value, wrapped into [-180, 180)."""
    return wrap_degrees(as_number(value, what, -1e6, 1e6))


def wrap_degrees(angle: float) -> float:
    return (angle + 180.0) % 360.0 - 180.0


def clean_text(value: Any, what: str, max_chars: int) -> str:
    """Text for other people's screens (rule 3): cleaned, non-empty, at most max_chars characters."""
    text = as_str(value, what, max_chars)
    shown = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text
                    if unicodedata.category(c) not in ("Cf", "Cs", "Co", "Cn"))
    shown = _SPACES.sub(" ", shown).strip()
    if not shown:
        raise MessageError(f"{what} is empty")
    return shown


def as_room(value: Any, what: str = "room") -> str:
    """A room name (rule 4): 1-64 of letters, digits, '.', '_', '-', starting with a letter or digit."""
    if not isinstance(value, str) or not ROOM_RE.fullmatch(value):
        raise MessageError(f"{what} must be 1-64 letters, digits, '.', '_' or '-', got {str(value)[:80]!r}")
    return value


def as_layer(value: Any, what: str = "layer") -> str:
    if not isinstance(value, str) or not LAYER_RE.fullmatch(value):
        raise MessageError(f"{what} must be 1-64 letters, digits, '.', '_' or '-', got {str(value)[:80]!r}")
    return value


def as_jti(value: Any, what: str = "jti") -> str:
    if not isinstance(value, str) or not JTI_RE.fullmatch(value):
        raise MessageError(f"{what} must be 8-64 characters of A-Z a-z 0-9 _ -")
    return value
