"""Roads and buildings of the twin on the scene's objects: which objects show which entity, and in what colour.

Rules this module keeps:
1. An entity (a road or a building of the feed) is shown by a *root* object of the scene with the same id
   (types ROAD_TYPES or BUILDING_TYPES) and by every descendant whose nearest root ancestor it is (a
   Building's BuildingParts and installations), so a reading colours the whole building whatever object the
   loader hung the geometry on. Ids the scene does not have are counted (`unmatched`), never an error.
2. Colours are computed per root and scattered to members: members (m,) int64 object indices and their
   RGBA (m, 4) uint8 come out together, ready for the colour lookup texture (render/colour_lut.py). A root
   with no row, or a NaN value, is "no data" (the style's neutral colour); a hidden layer gives alpha 0,
   which the city shader reads as "draw the object's own colour".
3. Table rows move (twin/state.py rule 1): the row -> root mapping is cached per table `layout` and rebuilt
   when it changes; values are read from the table's columns each time (no per-row Python).
4. Building values: power (kW), energy (kWh of the latest interval), intensity = power / floor area in
   W/m²; floor area is the object's `floor_area` attribute, else footprint x storeys (height / 3 m, at
   least one), else unknown (no data for intensity). Roads: speed (m/s), relative_speed = speed /
   free-flow speed (unknown when either is missing or free flow is not positive), occupancy, flow.
5. ReadingHistory keeps the last `depth` readings (time, value) per root for the picking panel's chart;
   memory is roots x depth x 12 bytes (100k buildings, 32 readings: 38 MB).
"""

from __future__ import annotations

from itertools import repeat
from typing import Any

import numpy as np

from viewer.city.model import ObjectTable
from viewer.layers.styles import LayerStyle

BUILDING_TYPES = ("Building",)
ROAD_TYPES = ("Road", "Junction", "Railway", "TransportSquare", "Square")
MAX_DEPTH = 32  # object trees are shallow; a deeper (or cyclic) chain is cut here


class EntityObjects:
    """Roots and members (rule 1). roots (r,) int64 object indices; ids (r,) object; members (m,) int64;
    member_root (m,) int64 rank into roots; rank: id -> root rank."""

    def __init__(self, objects: ObjectTable, types: tuple[str, ...]) -> None:
        n = len(objects)
        is_root = np.fromiter((t in types for t in objects.types), bool, count=n)
        parents = np.asarray(objects.parents, np.int64).reshape(-1)
        parents = np.where((parents >= 0) & (parents < n), parents, -1)
        owner = np.where(is_root, np.arange(n), -1)
        above = parents.copy()
        for _ in range(MAX_DEPTH):
            climbing = (owner < 0) & (above >= 0)
            if not climbing.any():
                break
            at = above[climbing]
            owner[climbing] = np.where(is_root[at], at, -1)
            above[climbing] = parents[at]
        self.roots = np.flatnonzero(is_root)
        self.ids = np.array([objects.ids[k] for k in self.roots.tolist()], dtype=object)
        self.rank: dict[str, int] = {key: i for i, key in enumerate(self.ids.tolist())}
        root_rank = np.full(n, -1, np.int64)
        root_rank[self.roots] = np.arange(self.roots.size)
        self.members = np.flatnonzero(owner >= 0)
        self.member_root = root_rank[owner[self.members]]
        # Roots without descendants (a city of plain buildings): no scatter is needed.
        self.identity = bool(self.members.size == self.roots.size and (self.member_root == np.arange(self.roots.size)).all())

    def __len__(self) -> int:
        return int(self.roots.size)

    def ranks(self, ids: Any) -> np.ndarray:
        """(k,) int64 root ranks of these ids, -1 where the scene has no such root."""
        keys = ids.tolist() if isinstance(ids, np.ndarray) else list(ids)
        return np.fromiter(map(self.rank.get, keys, repeat(-1)), np.int64, count=len(keys))


def floor_areas(objects: ObjectTable, roots: np.ndarray) -> np.ndarray:
    """(r,) float64 floor area m² of each root object (rule 4); NaN where unknown."""
    area = np.full(roots.size, np.nan)
    if objects.footprint_area is not None and objects.height is not None and roots.size:
        foot = objects.footprint_area[roots].astype(np.float64)
        height = np.nan_to_num(objects.height[roots].astype(np.float64))
        storeys = np.maximum(np.round(height / 3.0), 1.0)
        area = np.where(np.isfinite(foot) & (foot > 0), foot * storeys, np.nan)
    for j, k in enumerate(roots.tolist()):
        value = objects.attributes[k].get("floor_area") if objects.attributes[k] else None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value < 1e8:
            area[j] = float(value)
    return area


class EntityLayer:
    """Colours for one kind ("road" or "building") on the scene objects (rules above)."""

    def __init__(self, kind: str, objects: ObjectTable, style: LayerStyle) -> None:
        self.kind, self.style = kind, style
        self.objects = EntityObjects(objects, BUILDING_TYPES if kind == "building" else ROAD_TYPES)
        self.floor_area = floor_areas(objects, self.objects.roots) if kind == "building" else None
        self._layout: tuple[int, int] | None = None
        self._row_rank = np.zeros(0, np.int64)
        self.unmatched = 0

    @property
    def members(self) -> np.ndarray:
        return self.objects.members

    def row_ranks(self, table: Any) -> np.ndarray:
        """(n,) int64 root rank of each live row of `table` (a KindTable), -1 for ids not in the scene."""
        key = (id(table), table.layout)
        if key != self._layout:
            self._row_rank = self.objects.ranks(table.live_ids())
            self.unmatched = int(np.count_nonzero(self._row_rank < 0))
            self._layout = key
        return self._row_rank

    def row_values(self, table: Any) -> np.ndarray:
        """(n,) float64 the layer's attribute per live row, in base units (rule 4)."""
        attribute = self.style.attribute
        if self.kind == "road":
            if attribute == "relative_speed":
                speed = table.column("speed").astype(np.float64)
                free = table.column("free_flow_speed").astype(np.float64)
                ok = np.isfinite(speed) & np.isfinite(free) & (free > 0)
                return np.divide(speed, free, out=np.full(speed.shape, np.nan), where=ok)
            return table.column(attribute).astype(np.float64)
        if attribute == "intensity":
            assert self.floor_area is not None
            ranks = self.row_ranks(table)
            area = np.where(ranks >= 0, self.floor_area[np.maximum(ranks, 0)], np.nan) if ranks.size else \
                np.zeros(0)
            power = table.column("power").astype(np.float64)
            ok = np.isfinite(power) & np.isfinite(area)
            return np.divide(power * 1000.0, area, out=np.full(power.shape, np.nan), where=ok)
        return table.column(attribute).astype(np.float64)

    def values(self, table: Any | None) -> np.ndarray:
        """(r,) float64 per root, base units; NaN where there is no row or no value."""
        out = np.full(len(self.objects), np.nan)
        if table is None or len(table) == 0:
            return out
        ranks = self.row_ranks(table)
        known = ranks >= 0
        out[ranks[known]] = self.row_values(table)[known]
        return out

    def texels(self, table: Any | None) -> tuple[np.ndarray, np.ndarray, bool]:
        """(members (m,) int64 object indices, RGBA (m, 4) uint8, legend changed) for the whole layer."""
        values = self.values(table)
        changed = self.style.adapt(values)
        words = self.style.rgba32(values)
        if not self.objects.identity:
            words = words[self.objects.member_root]
        rgba = words.view(np.uint8).reshape(-1, 4)
        if not self.style.visible:
            rgba[:, 3] = 0
        return self.objects.members, rgba, changed


class ReadingHistory:
    """The last `depth` readings per root (rule 5): times (depth, r) float64, values (depth, r) float32."""

    def __init__(self, roots: int, depth: int = 32) -> None:
        self.depth = depth
        self.times = np.full((depth, roots), np.nan)
        self.values = np.full((depth, roots), np.nan, np.float32)
        self.count = np.zeros(roots, np.int64)

    def record(self, ranks: np.ndarray, times: np.ndarray, values: np.ndarray) -> None:
        """Add readings for roots `ranks` (k,) (-1 ignored) at times (k,); a repeated time is not added."""
        ok = ranks >= 0
        ranks, times, values = ranks[ok], np.asarray(times, np.float64)[ok], np.asarray(values)[ok]
        if ranks.size == 0:
            return
        ranks, first = np.unique(ranks, return_index=True)  # one reading per root per call
        times, values = times[first], values[first]
        last = self.times[(self.count[ranks] - 1) % self.depth, ranks]
        fresh = (self.count[ranks] == 0) | ~(times == last)
        ranks, times, values = ranks[fresh], times[fresh], values[fresh]
        slot = self.count[ranks] % self.depth
        self.times[slot, ranks] = times
        self.values[slot, ranks] = values
        self.count[ranks] += 1

    def series(self, rank: int) -> tuple[np.ndarray, np.ndarray]:
        """(k,) times and (k,) values of one root, oldest first."""
        k = int(min(self.count[rank], self.depth))
        order = (np.arange(self.count[rank] - k, self.count[rank]) % self.depth).astype(np.int64)
        return self.times[order, rank].copy(), self.values[order, rank].astype(np.float64)
