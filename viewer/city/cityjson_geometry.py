"""CityJSON boundaries -> one polygon soup per file -> triangles, and object and surface kind per vertex.

Rules this module keeps:
1. Python touches CityJSON boundaries only to `list.extend` each ring onto one flat index list (plus one
   append per ring and per polygon). Everything per vertex happens later in numpy: one gather
   `vertices[flat]`, triangulate_polygons over big chunks of polygons, np.repeat for per-vertex fields.
2. Nothing read from the file is trusted. Indices become an int64 array whose dtype, shape and range are
   checked before the gather; semantic values are checked against their geometry's surface count; counts
   are checked against Limits before the arrays they size are allocated.
3. A polygon's kind is its semantic surface's kind when it has one we know, else its object type's fallback
   (SurfaceKind, or BY_NORMAL: up-facing -> ROOF, down-facing -> GROUND, else WALL, from the Newell normal
   of the outer ring, vectorised).
4. Vertices are grouped in blocks (one per file, or one per CityJSONFeature of a text sequence); a ring's
   indices are local to the block that was open when it was added.

Boundary depth per type (rings of vertex indices sit this many lists below a polygon list):
MultiSurface / CompositeSurface: [polygon][ring][index]; Solid: [shell][polygon]...; MultiSolid /
CompositeSolid: [solid][shell][polygon]... Semantic "values" mirror the nesting down to the polygon.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np

from viewer.city.model import SurfaceKind as K
from viewer.config import Limits
from viewer.errors import LimitExceeded, LoadError

_chain = itertools.chain.from_iterable

NO_KIND = -1  # a semantic surface type we do not map: use the object's fallback
BY_NORMAL = -2  # fallback: classify by face normal (buildings)
MAX_COORDINATE = 1e10  # metres, degrees or millimetres: anything larger is a broken or hostile file
CHUNK_POLYGONS = 65_536  # polygons per triangulation call; see triangulate_all
UP = 0.3  # |n_z| / |n| above which a face is a roof (up) or ground (down): slopes under ~72 degrees

SURFACE_DEPTH = {"MultiSurface": 1, "CompositeSurface": 1, "Solid": 2, "MultiSolid": 3, "CompositeSolid": 3}
NO_AREA = frozenset({"MultiPoint", "MultiLineString"})  # valid CityJSON, nothing to draw: skipped quietly

SEMANTIC_KINDS: dict[str, int] = {
    "RoofSurface": K.ROOF, "OuterFloorSurface": K.ROOF,
    "WallSurface": K.WALL, "OuterCeilingSurface": K.WALL, "InteriorWallSurface": K.WALL,
    "Door": K.WALL, "Window": K.WALL,
    "GroundSurface": K.GROUND, "FloorSurface": K.GROUND, "WaterGroundSurface": K.GROUND,
    "TrafficArea": K.ROAD, "AuxiliaryTrafficArea": K.ROAD, "TransportationMarking": K.ROAD,
    "WaterSurface": K.WATER,
    "ClosureSurface": K.OTHER, "WaterClosureSurface": K.OTHER, "CeilingSurface": K.OTHER,
    "TransportationHole": K.OTHER,
}

TYPE_FALLBACK: dict[str, int] = {
    "Building": BY_NORMAL, "BuildingPart": BY_NORMAL,
    "Road": K.ROAD, "Railway": K.ROAD, "TransportSquare": K.ROAD,
    "TINRelief": K.TERRAIN,
    "WaterBody": K.WATER, "Waterway": K.WATER,
}


def short(value: Any, width: int = 60) -> str:
    """repr() of untrusted input, cut to `width` characters for messages."""
    try:
        text = repr(value)
    except RecursionError:  # orjson nests up to 1024 levels, deeper than repr can go
        return f"<{type(value).__name__} nested too deeply to show>"
    return text if len(text) <= width else text[:width - 3] + "..."


def describe(exc: Exception) -> str:
    """What a TypeError/KeyError/... raised by walking untrusted JSON means, for a LoadError reason."""
    if isinstance(exc, KeyError):
        return f"missing {short(exc.args[0])}"
    return str(exc) or type(exc).__name__


def semantic_kind(surface: Any) -> int:
    """Kind of one semantic surface object ({"type": "RoofSurface", ...}); NO_KIND when unknown."""
    kind = surface.get("type") if isinstance(surface, dict) else None
    return SEMANTIC_KINDS.get(kind, NO_KIND) if isinstance(kind, str) else NO_KIND


@dataclass
class Polygons:
    """Polygons with their vertices gathered: the input of triangulate_polygons plus per-polygon fields.

    positions : (v, 3) float64; ring_lengths : (r,) int64; poly_rings : (p,) int64;
    poly_object : (p,) int32 object index; poly_kind : (p,) int16 SurfaceKind, BY_NORMAL or NO_KIND.
    """

    positions: np.ndarray
    ring_lengths: np.ndarray
    poly_rings: np.ndarray
    poly_object: np.ndarray
    poly_kind: np.ndarray

    @classmethod
    def concatenate(cls, parts: list[Polygons]) -> Polygons:
        return cls(*(np.concatenate([getattr(p, f) for p in parts]) for f in
                     ("positions", "ring_lengths", "poly_rings", "poly_object", "poly_kind")))


class PolygonSoup:
    """Collects the rings of every selected geometry as flat Python lists; `resolve` turns them into numpy.

    A geometry that raises while being walked (wrong nesting) leaves the soup inconsistent: the caller must
    abandon the load (it raises a LoadError naming the object).
    """

    def __init__(self) -> None:
        self.flat: list[Any] = []  # ring vertex indices, back to back (unchecked until resolve)
        self.ring_len: list[int] = []  # vertices per ring
        self.poly_rings: list[int] = []  # rings per polygon
        self.sem_values: list[Any] = []  # per polygon of geometries with semantics: int or None
        self.sem_kinds: list[int] = []  # kind per semantic surface object, all geometries back to back
        self.geom_polys: list[int] = []  # polygons per geometry
        self.geom_object: list[int] = []
        self.geom_fallback: list[int] = []
        self.geom_sem_base: list[int] = []  # first index into sem_kinds, -1 without semantics
        self.geom_sem_count: list[int] = []
        self.block_start: list[int] = []  # len(flat) when each vertex block began
        self.block_vertices: list[int] = []  # vertices in each block

    def begin_block(self, vertex_count: int) -> None:
        """Following rings index a new block of `vertex_count` vertices (appended after the previous ones)."""
        self.block_start.append(len(self.flat))
        self.block_vertices.append(vertex_count)

    def _polygons(self, polygons: list[Any]) -> int:
        # The hot loop: one extend per ring, nothing per vertex. (Measured faster than itertools.chain
        # and map(len) for the few polygons of a typical geometry.) Wrong nesting raises TypeError here
        # or leaves non-integers in `flat`, refused by resolve().
        flat, ring_len, poly_rings = self.flat.extend, self.ring_len.append, self.poly_rings.append
        for polygon in polygons:
            for ring in polygon:
                flat(ring)
                ring_len(len(ring))
            poly_rings(len(polygon))
        return len(polygons)

    def add_geometry(self, geometry: dict[str, Any], depth: int, obj: int, fallback: int) -> None:
        """Walk one geometry of SURFACE_DEPTH `depth`; raises TypeError/ValueError/... when malformed."""
        boundaries = geometry["boundaries"]
        if type(boundaries) is not list:
            raise TypeError("boundaries must be an array")
        count = 0
        if depth == 1:
            count = self._polygons(boundaries)
        elif depth == 2:
            for shell in boundaries:
                count += self._polygons(shell)
        else:
            for solid in boundaries:
                for shell in solid:
                    count += self._polygons(shell)
        self.geom_polys.append(count)
        self.geom_object.append(obj)
        self.geom_fallback.append(fallback)
        semantics = geometry.get("semantics")
        if semantics is None:
            self.geom_sem_base.append(-1)
            self.geom_sem_count.append(0)
        else:
            self._semantics(semantics, depth, count)

    def _semantics(self, semantics: Any, depth: int, count: int) -> None:
        values = semantics.get("values") if isinstance(semantics, dict) else None
        if values is None:
            self.geom_sem_base.append(-1)
            self.geom_sem_count.append(0)
            return
        surfaces = semantics.get("surfaces")
        if type(surfaces) is not list or type(values) is not list:
            raise TypeError("semantics needs arrays \"surfaces\" and \"values\"")
        for _ in range(depth - 1):
            values = list(_chain(values))
        if len(values) != count:
            raise ValueError(f"semantics has {len(values)} values for {count} surfaces")
        self.sem_values.extend(values)
        self.geom_sem_base.append(len(self.sem_kinds))
        self.geom_sem_count.append(len(surfaces))
        self.sem_kinds.extend(map(semantic_kind, surfaces))

    def resolve(self, path: str, vertices: np.ndarray, limits: Limits) -> Polygons:
        """Check every index and gather positions. vertices : (n, 3) float64, all blocks back to back."""
        check(path, "vertex count", len(self.flat), limits.max_vertices)
        flat = int_array(path, self.flat, "vertex indices")
        ring_len = np.asarray(self.ring_len, dtype=np.int64)
        flat = self._globalise(path, flat, vertices.shape[0])
        flat, ring_len = drop_closing_points(flat, ring_len)
        if ring_len.size:
            check(path, "vertices in one ring", int(ring_len.max()), limits.max_ring_vertices)
        poly_geom = np.repeat(np.arange(len(self.geom_polys)), np.asarray(self.geom_polys, dtype=np.int64))
        return Polygons(positions=vertices[flat], ring_lengths=ring_len,
                        poly_rings=np.asarray(self.poly_rings, dtype=np.int64),
                        poly_object=np.asarray(self.geom_object, dtype=np.int32)[poly_geom],
                        poly_kind=self._kinds(path, poly_geom))

    def _globalise(self, path: str, flat: np.ndarray, total: int) -> np.ndarray:
        """Block-local indices -> indices into all vertices, refusing any outside its own block."""
        starts = np.asarray(self.block_start + [flat.shape[0]], dtype=np.int64)
        counts = np.asarray(self.block_vertices, dtype=np.int64)
        if int(counts.sum()) != total:
            raise LoadError(path, "internal: vertex blocks do not add up")  # a bug here, not in the file
        per_index = np.diff(starts)
        if flat.size and counts.size == 1:  # one block: two reductions, no temporaries
            if int(flat.min()) < 0 or int(flat.max()) >= counts[0]:
                bad = (flat < 0) | (flat >= counts[0])
                raise LoadError(path, f"vertex index {int(flat[np.argmax(bad)])} out of range")
            return flat
        bad = (flat < 0) | (flat >= np.repeat(counts, per_index))
        if bad.any():
            raise LoadError(path, f"vertex index {int(flat[np.argmax(bad)])} out of range")
        return flat + np.repeat(offsets(counts)[:-1], per_index)

    def _kinds(self, path: str, poly_geom: np.ndarray) -> np.ndarray:
        """(p,) int16 kind per polygon: semantic kind where known, else the geometry's fallback."""
        kind = np.asarray(self.geom_fallback, dtype=np.int16)[poly_geom]
        base = np.asarray(self.geom_sem_base, dtype=np.int64)[poly_geom]
        has = base >= 0
        if not has.any():
            return kind
        try:
            values = np.array(self.sem_values, dtype=np.float64)  # null -> NaN
        except (TypeError, ValueError, OverflowError):
            values = np.zeros((0, 0))
        if values.shape != (int(has.sum()),):
            raise LoadError(path, "semantic values must be integers or null, nested like the boundaries")
        count = np.asarray(self.geom_sem_count, dtype=np.int64)[poly_geom[has]]
        known = ~np.isnan(values)
        v = np.where(known, values, 0.0)
        if ((v != np.floor(v)) | (v < 0) | (v >= count)).any():
            raise LoadError(path, "semantic value out of range of its geometry's semantic surfaces")
        sem = np.asarray(self.sem_kinds, dtype=np.int16)[base[has] + v.astype(np.int64)]
        kind[has] = np.where(known & (sem >= 0), sem, kind[has])
        return kind


def check(path: str, limit: str, value: int, maximum: int) -> None:
    if value > maximum:
        raise LimitExceeded(path, limit, int(value), int(maximum))


def int_array(path: str, items: list[Any], what: str) -> np.ndarray:
    """(n,) int64 from a flat list of untrusted JSON values; LoadError unless they are all integers."""
    if not items:
        return np.zeros(0, dtype=np.int64)
    try:
        array = np.array(items)
    except (TypeError, ValueError, OverflowError):
        raise LoadError(path, f"{what} must be integers (found nested arrays or mixed types)") from None
    if array.ndim != 1 or array.dtype.kind != "i":  # "u" only for values >= 2**63
        raise LoadError(path, f"{what} must be integers (found {array.dtype.name} values)")
    return array.astype(np.int64, copy=False)


def drop_closing_points(flat: np.ndarray, ring_len: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rings written closed (last index == first) lose the repeated point; triangulation wants them open."""
    starts = offsets(ring_len)[:-1]
    last = starts + ring_len - 1
    long = np.flatnonzero(ring_len >= 2)  # empty rings have no first point to compare
    closed = long[flat[starts[long]] == flat[last[long]]]
    if closed.size == 0:
        return flat, ring_len
    keep = np.ones(flat.shape[0], dtype=bool)
    keep[last[closed]] = False
    ring_len = ring_len.copy()
    ring_len[closed] -= 1
    return flat[keep], ring_len


def classify_by_normal(poly_kind: np.ndarray, normals: np.ndarray) -> np.ndarray:
    """poly_kind (p,) int16 with BY_NORMAL resolved from each polygon's outer-ring Newell normal (p, 3):
    up-facing -> ROOF, down-facing -> GROUND, else (and for undrawable polygons, normal 0) WALL."""
    kind = poly_kind.copy()
    need = np.flatnonzero(kind == BY_NORMAL)
    if need.size == 0:
        return kind
    nx, ny, nz = (normals[need, i] for i in range(3))
    limit = UP * np.sqrt(nx * nx + ny * ny + nz * nz)
    kind[need] = np.where(nz > limit, K.ROOF, np.where(nz < -limit, K.GROUND, K.WALL))
    return kind


def offsets(counts: np.ndarray) -> np.ndarray:
    """(n + 1,) int64 running starts of consecutive runs of `counts` items: [0, c0, c0 + c1, ...]."""
    out = np.zeros(counts.shape[0] + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return out


def triangulate_all(path: str, polys: Polygons, limits: Limits) -> tuple[np.ndarray, ...]:
    """(triangles (t, 3) int64, vertex_object (v,) int32, vertex_kind (v,) uint8) for all polygons.

    Polygons go through triangulate_polygons (and the normal rule) CHUNK_POLYGONS at a time: one call for
    100k buildings peaks at ~870 MB of temporaries, and fresh memory is expensive here (numpy asks for huge
    pages; faulting them in cost 2-3 s of system time per load), while ~64k-polygon chunks reuse a few MB
    of heap: 0.8 s instead of 2.6-3.6 s for the same triangles.
    """
    from viewer.city.limits import too_complex
    from viewer.city.triangulate import TooComplex, triangulate_with_normals

    check(path, "vertex count", polys.positions.shape[0], limits.max_vertices)
    ring_at, vertex_at = offsets(polys.poly_rings), offsets(polys.ring_lengths)
    count = polys.poly_rings.shape[0]
    tris: list[np.ndarray] = []
    kinds: list[np.ndarray] = []
    total = 0
    for a in range(0, count, CHUNK_POLYGONS):
        b = min(a + CHUNK_POLYGONS, count)
        r0, r1 = int(ring_at[a]), int(ring_at[b])
        v0, v1 = int(vertex_at[r0]), int(vertex_at[r1])
        part = Polygons(polys.positions[v0:v1], polys.ring_lengths[r0:r1], polys.poly_rings[a:b],
                        polys.poly_object[a:b], polys.poly_kind[a:b])
        try:
            chunk, _, normals = triangulate_with_normals(part.positions, part.ring_lengths, part.poly_rings)
        except TooComplex as exc:
            raise too_complex(path, exc.limit, exc.value, exc.maximum) from None
        total += chunk.shape[0]
        check(path, "triangle count", total, limits.max_triangles)
        chunk += v0
        tris.append(chunk)
        kinds.append(classify_by_normal(part.poly_kind, normals))
    kind = np.concatenate(kinds) if kinds else np.zeros(0, np.int16)
    kind[kind < 0] = K.OTHER
    # Vertices per polygon, then one repeat per output (no per-vertex polygon index array).
    per_poly = np.diff(vertex_at[ring_at])
    return (np.concatenate(tris) if tris else np.zeros((0, 3), np.int64),
            np.repeat(polys.poly_object, per_poly), np.repeat(kind.astype(np.uint8), per_poly))


def vertex_array(path: str, raw: Any, limits: Limits, what: str = "vertices", already: int = 0,
                 transform: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """(n, 3) float64 from an untrusted JSON array of [x, y, z], transformed (scale, translate) if given.

    The count (plus `already` loaded) is checked against limits.max_vertices before any array is built;
    coordinates must be finite and within MAX_COORDINATE after the transform.
    """
    if type(raw) is not list:
        raise LoadError(path, f'"{what}" must be an array')
    check(path, "vertex count", already + len(raw), limits.max_vertices)
    if not raw:
        return np.zeros((0, 3), dtype=np.float64)
    try:
        array = np.array(raw)
    except (TypeError, ValueError, OverflowError):
        array = np.zeros(0)
    if array.ndim != 2 or array.shape[1] != 3 or array.dtype.kind not in "iuf":
        raise LoadError(path, f'"{what}" must be an array of [x, y, z] number triples')
    array = array.astype(np.float64, copy=False)  # ours either way: scaled in place below
    if transform is not None:
        with np.errstate(over="ignore", invalid="ignore"):  # overflow becomes inf, refused just below
            array *= transform[0]
            array += transform[1]
    check_coordinates(path, array, what)
    return array


def check_coordinates(path: str, array: np.ndarray, what: str) -> None:
    """Refuse NaN, infinity and magnitudes no CRS has (they would overflow later arithmetic)."""
    if not np.isfinite(array).all():
        raise LoadError(path, f"{what}: NaN or infinite coordinates (after the transform)")
    if array.size and max(float(array.max()), -float(array.min())) > MAX_COORDINATE:
        raise LoadError(path, f"{what}: coordinates beyond {MAX_COORDINATE:g} (not a real place in any CRS)")
