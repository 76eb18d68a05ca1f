"""Search a scene's objects by id or attribute (name, address, use, ...): the window's `/` and Ctrl+F.

Rules this module keeps:
1. Pure: an ObjectTable (city/model.py) in, ranked hits out; no Panda3D, no I/O.
2. Case-insensitive. Every word of the query must occur in one object; ranking: the exact id, then ids
   starting with the query, then ids containing it, then attribute values containing every word (an exact
   attribute value first). `key=value` (or `key:value`) searches one attribute only.
3. The text searched is built once per table on the first query (one lower-case string per object), so a
   query over 100k objects is a pass of `in` tests, not a walk through attribute dicts.
4. A hit says why it matched (the attribute and its value, or the id) for the result list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_HITS = 50
MAX_QUERY = 200  # characters
_KEYED = re.compile(r"^\s*([\w:.-]+)\s*[=:]\s*(.+?)\s*$")


@dataclass(frozen=True)
class Hit:
    """object : index into the table; rank : 0 best; why : "id" or "name: Coolsingel 42"."""

    object: int
    id: str
    type: str
    rank: int
    why: str

    def line(self) -> str:
        return f"{self.id} ({self.type})" + ("" if self.why == "id" else f"  {self.why}")


class SearchIndex:
    """Lower-case text of every object of an ObjectTable (rule 3)."""

    def __init__(self, objects: Any) -> None:
        self.objects = objects
        self._ids: list[str] | None = None
        self._values: list[list[tuple[str, str, str]]] | None = None  # (key, lower value, shown value)

    def _build(self) -> None:
        self._ids = [str(i).lower() for i in self.objects.ids]
        self._values = [[(str(k).lower(), str(v).lower(), str(v)) for k, v in (attrs or {}).items()
                         if isinstance(v, str | int | float) and not isinstance(v, bool)]
                        for attrs in self.objects.attributes]

    def search(self, query: str, limit: int = MAX_HITS) -> list[Hit]:
        """The objects matching `query` (rule 2), best first, at most `limit`."""
        query = query.strip()[:MAX_QUERY]
        if not query:
            return []
        if self._ids is None:
            self._build()
        assert self._ids is not None and self._values is not None
        keyed = _KEYED.match(query)
        key = keyed.group(1).lower() if keyed and not _is_id_like(query, self._ids) else None
        text = (keyed.group(2) if keyed and key else query).lower()
        words = text.split()
        hits: list[tuple[int, int, str]] = []
        for i, oid in enumerate(self._ids):
            rank, why = self._rank(i, oid, key, text, words)
            if rank >= 0:
                hits.append((rank, i, why))
        hits.sort(key=lambda h: (h[0], self._ids[h[1]]))  # type: ignore[index]
        return [Hit(i, str(self.objects.ids[i]), str(self.objects.types[i]), rank, why)
                for rank, i, why in hits[:limit]]

    def _rank(self, i: int, oid: str, key: str | None, text: str, words: list[str]) -> tuple[int, str]:
        assert self._values is not None
        if key is None:
            if oid == text:
                return 0, "id"
            if oid.startswith(text):
                return 1, "id"
            if text in oid:
                return 2, "id"
        best = (-1, "")
        for k, low, shown in self._values[i]:
            if key is not None and k != key:
                continue
            if low == text:
                return 3, f"{k}: {shown}"
            if best[0] < 0 and all(w in low for w in words):
                best = (4, f"{k}: {shown}")
        return best


def _is_id_like(query: str, ids: list[str]) -> bool:
    """A query such as "road:12" that is itself an id is searched as an id, not as key:value."""
    return query.lower() in ids
