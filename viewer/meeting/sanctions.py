"""Sanctions: a host's removals and mutes, kept for the token they were given to until it expires.

    sanctions.remove(jti, name, room, exp)      the token may not join again until exp
    sanctions.mute(jti, name, room, exp, on)    the token's participant is muted (or no longer) until exp
    sanctions.removed(jti, now), sanctions.muted(jti, now)
    sanctions.expire(now)                       forget what ended
    to_bytes() / Sanctions.from_bytes(data, now)   the state file's JSON (the I/O layer reads and writes it)

Rules:
1. A sanction belongs to the token's identity: its jti, with the token's name and room recorded beside it,
   until the token's expiry. Whether the participant is connected, reserved or long gone does not matter,
   so a muted guest who stays away past the resume grace comes back muted, and a removal holds across
   server restarts once the I/O layer has saved it.
2. Bounded: at most `max_entries` tokens. Past that, the sanctions that expire first give way (the oldest
   tokens); the limit is far above what any meeting makes, it only caps a hostile host's work.
3. `dirty` is set by every change and cleared by the I/O layer once it has saved to_bytes().
4. from_bytes() trusts nothing: a document that is not this shape is ValueError with the reason; entries
   that are malformed or already expired are skipped one by one.
5. Time is an argument; nothing here reads a clock or a file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import orjson

FORMAT = "citiverse-meeting-sanctions/1"
MAX_ENTRIES = 10_000
MAX_FIELD_CHARS = 128


@dataclass(frozen=True)
class Sanction:
    """What a host did to one token: removed (may not join), muted (may not chat); both end at exp."""

    name: str
    room: str
    exp: float
    removed: bool = False
    muted: bool = False

    @property
    def active(self) -> bool:
        return self.removed or self.muted


class Sanctions:
    """Removals and mutes by token id (rules above)."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self.entries: dict[str, Sanction] = {}
        self.dirty = False

    def __len__(self) -> int:
        return len(self.entries)

    def removed(self, jti: str, now: float) -> bool:
        entry = self.entries.get(jti)
        return entry is not None and entry.removed and entry.exp > now

    def muted(self, jti: str, now: float) -> bool:
        entry = self.entries.get(jti)
        return entry is not None and entry.muted and entry.exp > now

    def remove(self, jti: str, name: str, room: str, exp: float) -> None:
        entry = self.entries.get(jti) or Sanction(name, room, exp)
        self._set(jti, replace(entry, removed=True))

    def mute(self, jti: str, name: str, room: str, exp: float, on: bool) -> None:
        entry = self.entries.get(jti) or Sanction(name, room, exp)
        self._set(jti, replace(entry, muted=on))

    def _set(self, jti: str, entry: Sanction) -> None:
        if entry.active:
            self.entries[jti] = entry
            self._bound()
        else:
            self.entries.pop(jti, None)
        self.dirty = True

    def _bound(self) -> None:
        """Rule 2: drop the sanctions that end first until max_entries remain."""
        excess = len(self.entries) - self.max_entries
        if excess > 0:
            for jti in sorted(self.entries, key=lambda j: self.entries[j].exp)[:excess]:
                del self.entries[jti]

    def expire(self, now: float) -> int:
        """Forget sanctions whose token has expired; returns how many."""
        ended = [jti for jti, entry in self.entries.items() if entry.exp <= now]
        for jti in ended:
            del self.entries[jti]
        self.dirty = self.dirty or bool(ended)
        return len(ended)

    # -- the state file (rule 4) -----------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        rows = [{"jti": jti, "name": e.name, "room": e.room, "exp": e.exp, "removed": e.removed, "muted": e.muted}
                for jti, e in self.entries.items()]
        return orjson.dumps({"format": FORMAT, "sanctions": rows}, option=orjson.OPT_INDENT_2)

    @classmethod
    def from_bytes(cls, data: bytes, now: float, max_entries: int = MAX_ENTRIES) -> Sanctions:
        """The sanctions in `data` still in force at `now`; ValueError when the document is not ours."""
        try:
            doc = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            raise ValueError(f"not JSON ({exc.msg})") from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("sanctions"), list):
            raise ValueError(f"not a {FORMAT} document")
        out = cls(max_entries)
        for row in doc["sanctions"][: 2 * max_entries]:
            parsed = _row(row)
            if parsed is not None and parsed[1].exp > now and parsed[1].active:
                out.entries[parsed[0]] = parsed[1]
        out._bound()
        return out


def _row(row: Any) -> tuple[str, Sanction] | None:
    """(jti, Sanction) of one well-formed row, else None."""
    if not isinstance(row, dict):
        return None
    jti, name, room, exp = row.get("jti"), row.get("name"), row.get("room"), row.get("exp")
    texts_ok = all(isinstance(t, str) and 0 < len(t) <= MAX_FIELD_CHARS for t in (jti, name, room))
    if not (texts_ok and isinstance(exp, (int, float)) and not isinstance(exp, bool) and math.isfinite(exp)):
        return None
    return str(jti), Sanction(str(name), str(room), float(exp), row.get("removed") is True, row.get("muted") is True)
