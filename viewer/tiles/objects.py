"""Object numbers for streamed tiles: one index space shared with the whole-file model, so the colour lookup
texture, picking and the live layers treat a building from a tile as a building from a file (DESIGN rule 6).

Rules this module keeps:
1. Pure and thread-safe: loader threads register a tile's objects while the frame reads.
2. An object id gets one index for the session: `base + k`, k in order of first sight, whichever tile (a
   parent's simplified copy or a leaf) shows it, and it keeps it across eviction and reloading: a texel once
   written stays right. `base` is the whole-file model's object count (its objects keep 0 .. base-1).
3. Kept per object: id, type, parent and the geometry-derived height and footprint area (what the energy
   layer's intensity needs), from the deepest tile that showed it (leaves hold the full geometry), and not the
   attributes: those stay with the loaded tiles (a panel asks `attributes_of`), so a million objects seen in
   a flight cost tens of megabytes, not a gigabyte of dicts.
4. Parents: a tile's own parent column, else the `parent` attribute (an id: what `citiverse tile` writes
   for a BuildingPart, whose Building may have no geometry and so no feature of its own). A parent not seen
   yet is registered with the child's type less "Part", so a reading for the Building colours its parts.
5. `table()` is an ObjectTable snapshot of every registered object (attributes empty), rebuilt only when
   something changed (`version`).
"""

from __future__ import annotations

import threading

import numpy as np

from viewer.city.model import ObjectTable


class StreamedObjects:
    """Registered objects of streamed tiles (rules 1-4)."""

    def __init__(self, base: int = 0) -> None:
        self.base = int(base)
        self.version = 0
        self._lock = threading.Lock()
        self._index: dict[str, int] = {}
        self._ids: list[str] = []
        self._types: list[str] = []
        self._parents: list[int] = []
        self._depth: list[int] = []
        self._height: list[float] = []
        self._footprint: list[float] = []
        self._table: tuple[int, ObjectTable] | None = None

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, objects: ObjectTable, depth: int = 0) -> np.ndarray:
        """Register a tile's objects (rule 2, 3); (n,) int64 global index of each."""
        n = len(objects)
        height = _column(objects.height, n)
        foot = _column(objects.footprint_area, n)
        out = np.zeros(n, np.int64)
        with self._lock:
            for k, object_id in enumerate(objects.ids):
                j = self._register(object_id, objects.types[k])
                if depth >= self._depth[j]:
                    self._depth[j], self._height[j], self._footprint[j] = depth, height[k], foot[k]
                    self._types[j] = objects.types[k]
                out[k] = j
            parents = np.asarray(objects.parents)
            for k in range(n):
                if 0 <= parents[k] < n:
                    self._parents[int(out[k])] = int(out[int(parents[k])])
                    continue
                named = (objects.attributes[k] or {}).get("parent")
                if isinstance(named, str) and named and named != objects.ids[k]:
                    self._parents[int(out[k])] = self._register(named, objects.types[k].removesuffix("Part"))
            self.version += 1
        return out + self.base

    def _register(self, object_id: str, object_type: str) -> int:
        """The registry index of `object_id`, appended when new (under the lock)."""
        j = self._index.get(object_id)
        if j is None:
            j = self._index[object_id] = len(self._ids)
            self._ids.append(object_id)
            self._types.append(object_type)
            self._parents.append(-1)
            self._depth.append(-1)
            self._height.append(np.nan)
            self._footprint.append(np.nan)
        return j

    def table(self) -> ObjectTable:
        """Rule 4: every registered object, indices 0 .. len-1 (add `base` for the global index)."""
        with self._lock:
            if self._table is None or self._table[0] != self.version:
                n = len(self._ids)
                table = ObjectTable(list(self._ids), list(self._types), np.array(self._parents, np.int32),
                                    [{} for _ in range(n)], height=np.array(self._height, np.float32),
                                    footprint_area=np.array(self._footprint, np.float32))
                self._table = (self.version, table)
            return self._table[1]

    def id_of(self, index: int) -> str | None:
        """The id of global index `index`, None when it is not a streamed object."""
        k = index - self.base
        with self._lock:
            return self._ids[k] if 0 <= k < len(self._ids) else None


def _column(values: np.ndarray | None, n: int) -> list[float]:
    if values is None or len(values) != n:
        return [float("nan")] * n
    return np.asarray(values, np.float64).tolist()
