"""The data every loader produces: a SourceModel in the file's CRS, turned into a CityModel in local metres.

Rules this module keeps:
1. Geometry is numpy end to end. Loaders hand whole arrays to SourceModelBuilder.add_surfaces; nothing here
   loops over vertices in Python.
2. Vertices are not shared between surfaces: each planar surface owns its vertices, so every vertex has one
   object index, one surface kind and (in render/) one flat normal.
3. SourceModel coordinates are float64 in `crs` (None when unknown); CityModel vertices are float32 local metres
   (x east, y north, z up) relative to a LocalFrame's origin.
4. Object indices are positions in the ObjectTable; parent is -1 for "no parent".
5. Appearances are optional (city/appearance.py): `appearance` is None and vertex_material / vertex_uv are
   None for a model without materials or textures, so such models cost nothing more. When present,
   vertex_material (v,) int16 indexes appearance.materials (-1: none) and vertex_uv (v, 2) float32 holds
   texture coordinates (NaN: untextured).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

import numpy as np

from viewer.city.appearance import NO_MATERIAL, Appearance


class SurfaceKind(IntEnum):
    """What a surface is; stored per vertex as uint8."""

    OTHER = 0
    ROOF = 1
    WALL = 2
    GROUND = 3
    ROAD = 4
    TERRAIN = 5
    WATER = 6
    MARKING = 7  # lane markings painted on roads (city/lanes.py), drawn by render/lane_marks.py

    @classmethod
    def names(cls) -> list[str]:
        return [k.name.lower() for k in cls]


@dataclass
class ObjectTable:
    """One row per city object.

    ids : list[str]; types : list[str]; parents : (n,) int32, -1 for none; attributes : list[dict].
    Derived per object after localisation (CityModel only): height, footprint_area : (n,) float32 (NaN when the
    object has no geometry of its own or its children's); bbox_min, bbox_max : (n, 3) float32 local metres.
    """

    ids: list[str]
    types: list[str]
    parents: np.ndarray
    attributes: list[dict[str, Any]]
    height: np.ndarray | None = None
    footprint_area: np.ndarray | None = None
    bbox_min: np.ndarray | None = None
    bbox_max: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def type_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for t in self.types:
            counts[t] = counts.get(t, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def index_of(self, object_id: str) -> int:
        return self.ids.index(object_id)


@dataclass
class SourceModel:
    """What a loader returns: geometry in the file's own CRS.

    positions : (v, 3) float64 in `crs`; triangles : (t, 3) uint32 into positions;
    vertex_object : (v,) int32 into objects; vertex_kind : (v,) uint8 SurfaceKind.
    appearance, vertex_material (v,) int16, vertex_uv (v, 2) float32: rule 5 (None without appearances).
    """

    format: str
    path: str
    crs: str | None
    positions: np.ndarray
    triangles: np.ndarray
    vertex_object: np.ndarray
    vertex_kind: np.ndarray
    objects: ObjectTable
    meta: dict[str, Any] = field(default_factory=dict)
    appearance: Appearance | None = None
    vertex_material: np.ndarray | None = None
    vertex_uv: np.ndarray | None = None

    @property
    def vertex_count(self) -> int:
        return int(self.positions.shape[0])

    @property
    def triangle_count(self) -> int:
        return int(self.triangles.shape[0])

    def bbox(self) -> tuple[list[float], list[float]]:
        """Axis-aligned box of the geometry in the source CRS: ([minx, miny, minz], [maxx, maxy, maxz])."""
        if self.vertex_count == 0:
            return [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]
        # Column by column: reducing a (v, 3) array over axis 0 is ~20x slower on large models.
        columns = [self.positions[:, i] for i in range(3)]
        return [float(c.min()) for c in columns], [float(c.max()) for c in columns]


@dataclass
class CityModel:
    """Geometry in local metres around a LocalFrame's origin, ready for layers and render/.

    vertices : (v, 3) float32; triangles : (t, 3) uint32; vertex_object : (v,) int32; vertex_kind : (v,) uint8.
    content_key identifies the content as loaded (the scene cache's key, see city/cache.py) so render/ can
    cache what it builds from it; None when unknown. Code that changes the arrays in place must set it to None.
    appearance, vertex_material (v,) int16, vertex_uv (v, 2) float32: rule 5 (None without appearances).
    """

    vertices: np.ndarray
    triangles: np.ndarray
    vertex_object: np.ndarray
    vertex_kind: np.ndarray
    objects: ObjectTable
    sources: list[str] = field(default_factory=list)
    content_key: str | None = None
    terrain: Any = None  # the city/terrain.py Terrain under the model, set by city/scene.py (None: not built)
    appearance: Appearance | None = None
    vertex_material: np.ndarray | None = None
    vertex_uv: np.ndarray | None = None

    @property
    def vertex_count(self) -> int:
        return int(self.vertices.shape[0])

    @property
    def triangle_count(self) -> int:
        return int(self.triangles.shape[0])

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """(min, max) corners, each (3,) float32; zeros for an empty model."""
        if self.vertex_count == 0:
            zero = np.zeros(3, np.float32)
            return zero, zero
        # Column by column: reducing a (v, 3) array over axis 0 is ~20x slower on large models.
        lo = np.array([self.vertices[:, i].min() for i in range(3)], np.float32)
        hi = np.array([self.vertices[:, i].max() for i in range(3)], np.float32)
        return lo, hi


class SourceModelBuilder:
    """Accumulates surfaces and objects from a loader, then concatenates once.

    Loaders call add_object for each city object (getting its index) and add_surfaces with whole arrays of
    already-triangulated surfaces. Counts are checked against limits as they grow.
    """

    def __init__(self, path: str, limits: Any) -> None:
        from viewer.city.limits import check_count

        self._check = check_count
        self.path = path
        self.limits = limits
        self.ids: list[str] = []
        self.types: list[str] = []
        self.parents: list[int] = []
        self.attributes: list[dict[str, Any]] = []
        self._positions: list[np.ndarray] = []
        self._triangles: list[np.ndarray] = []
        self._objects: list[np.ndarray] = []
        self._kinds: list[np.ndarray] = []
        self._materials: list[np.ndarray | None] = []
        self._uvs: list[np.ndarray | None] = []
        self.appearance: Appearance | None = None  # set by a loader that reads materials (rule 5)
        self._vertex_total = 0
        self._triangle_total = 0

    def add_object(self, object_id: str, object_type: str, attributes: dict[str, Any] | None = None,
                   parent: int = -1) -> int:
        self.ids.append(object_id)
        self.types.append(object_type)
        self.parents.append(parent)
        self.attributes.append(attributes or {})
        self._check(self.path, "object count", len(self.ids), self.limits.max_objects)
        return len(self.ids) - 1

    def set_materials(self, materials: list[Any]) -> None:
        """The model's material table (city/appearance.py Material), which add_surfaces' `material` indexes."""
        self.appearance = Appearance(list(materials), getattr(self.limits, "max_texture_mb", 256))

    def add_surfaces(self, positions: np.ndarray, triangles: np.ndarray,
                     vertex_object: np.ndarray | int, vertex_kind: np.ndarray | int,
                     material: np.ndarray | int | None = None, uv: np.ndarray | None = None) -> None:
        """Append surfaces. positions (v, 3) float64; triangles (t, 3) indices into these positions;
        vertex_object and vertex_kind per vertex, or one value for all; material per vertex or one value
        (None: no material) and uv (v, 2) texture coordinates (None: untextured), rule 5."""
        n = int(positions.shape[0])
        if n == 0 or triangles.shape[0] == 0:
            return
        self._vertex_total += n
        self._triangle_total += int(triangles.shape[0])
        self._check(self.path, "vertex count", self._vertex_total, self.limits.max_vertices)
        self._check(self.path, "triangle count", self._triangle_total, self.limits.max_triangles)
        self._positions.append(np.asarray(positions, dtype=np.float64).reshape(n, 3))
        self._triangles.append(np.asarray(triangles, dtype=np.int64).reshape(-1, 3))
        self._objects.append(_per_vertex(vertex_object, np.int32, n))
        self._kinds.append(_per_vertex(vertex_kind, np.uint8, n))
        self._materials.append(None if material is None else _per_vertex(material, np.int16, n))
        self._uvs.append(None if uv is None else np.asarray(uv, np.float32).reshape(n, 2))

    def build(self, format: str, crs: str | None, meta: dict[str, Any] | None = None) -> SourceModel:
        """The SourceModel of everything added. With one add_surfaces call its arrays are used as they are
        (no concatenation copies; per-vertex scalars are expanded)."""
        if len(self._positions) == 1:
            positions = np.require(self._positions[0], requirements=["C", "W"])
            triangles = self._triangles[0]
            vertex_object = np.require(self._objects[0], requirements=["C", "W"])  # copies a broadcast scalar
            vertex_kind = np.require(self._kinds[0], requirements=["C", "W"])
        elif self._positions:
            offsets = np.cumsum([0] + [p.shape[0] for p in self._positions[:-1]])
            triangles = np.concatenate([t + o for t, o in zip(self._triangles, offsets, strict=True)])
            positions = np.concatenate(self._positions)
            vertex_object = np.concatenate(self._objects)
            vertex_kind = np.concatenate(self._kinds)
        else:
            positions = np.zeros((0, 3), np.float64)
            triangles = np.zeros((0, 3), np.int64)
            vertex_object = np.zeros(0, np.int32)
            vertex_kind = np.zeros(0, np.uint8)
        if not np.isfinite(positions).all():
            from viewer.errors import LoadError

            raise LoadError(self.path, "coordinates contain NaN or infinite values")
        objects = ObjectTable(self.ids, self.types, np.asarray(self.parents, dtype=np.int32).reshape(-1),
                              self.attributes)
        model = SourceModel(format=format, path=self.path, crs=crs, positions=positions,
                            triangles=triangles.astype(np.uint32), vertex_object=vertex_object,
                            vertex_kind=vertex_kind, objects=objects, meta=dict(meta or {}))
        if self.appearance is not None and self.appearance.materials:
            model.appearance = self.appearance
            model.vertex_material, model.vertex_uv = self._appearance_arrays()
        return model

    def _appearance_arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """vertex_material (v,) int16 and vertex_uv (v, 2) float32 over every add_surfaces call (rule 5)."""
        sizes = [p.shape[0] for p in self._positions]
        materials = [np.full(n, NO_MATERIAL, np.int16) if m is None else m
                     for m, n in zip(self._materials, sizes, strict=True)]
        uvs = [np.full((n, 2), np.nan, np.float32) if u is None else u for u, n in zip(self._uvs, sizes, strict=True)]
        if not sizes:
            return np.zeros(0, np.int16), np.zeros((0, 2), np.float32)
        return (np.ascontiguousarray(np.concatenate(materials), np.int16),
                np.ascontiguousarray(np.concatenate(uvs), np.float32))


def _per_vertex(value: np.ndarray | int, dtype: type, n: int) -> np.ndarray:
    """(n,) `dtype`: the loader's own array when it already is one (no copy), else a broadcast scalar."""
    array: np.ndarray = np.asarray(value, dtype=dtype)
    return array if array.shape == (n,) else np.broadcast_to(array, (n,))
