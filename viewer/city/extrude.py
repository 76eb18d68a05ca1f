"""Bulk geometry builders shared by the GeoJSON and SUMO loaders: prisms, flat polygons, ribbons.

Rules this module keeps:
1. Every function takes whole arrays for all items (polygons or polylines) of a file and returns one Mesh;
   no Python loop runs per vertex, edge or item. Roofs and grounds of every prism come from ONE
   triangulate_polygons call.
2. Each planar surface owns its vertices (model.py rule 2): a roof, a ground, each wall quad and each ribbon
   segment quad has its own vertices, so flat normals and per-vertex kinds are exact.
3. Winding is outward: roofs and ribbons face +z, grounds face -z, walls face away from the solid (outer rings
   are walked counter-clockwise and holes clockwise, whatever order the file used).
4. Inputs are finite and within MAX_COORD (loaders check, with parse_length for heights); rings are open
   (no repeated first point). These functions never raise on geometry: they drop what cannot be drawn
   (zero-length edges and segments, degenerate rings) instead.

Input layout (as triangulate.py): rings back to back in `positions (v, 3) float64`, `ring_lengths (r,)`,
`poly_ring_counts (p,)` (first ring of a polygon is its outer boundary, the rest holes). Polylines back to back
in `points (v, 3) float64` with `line_lengths (l,)`.

Ribbon joints are mitred: each vertex is offset along the bisector of its two segment normals, lengthened by
1/cos(half angle) and clamped at MITRE_LIMIT times the half width, so a polyline's quads meet without gaps or
overlaps at ordinary bends and a hairpin only narrows instead of spiking.
"""

from __future__ import annotations

import math
import re
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from viewer.city.model import SurfaceKind
from viewer.city.triangulate import triangulate_polygons

MITRE_LIMIT = 3.0  # a mitred joint is at most this many half widths from the centre line
_MIN_SEGMENT_M = 1e-6  # polyline segments shorter than this (metres) are dropped as duplicates
MAX_COORD = 1e8  # no CRS in use has coordinates beyond this: larger values are corrupt or hostile
MAX_HEIGHT_M = 2_000.0  # taller "heights" are data errors; loaders fall back to their next height rule
_LENGTH = re.compile(r"\s*(\d+(?:[.,]\d+)?|[.,]\d+)\s*(ft|feet|')?", re.IGNORECASE)
_FOOT_M = 0.3048


class Mesh(NamedTuple):
    """Triangulated surfaces. positions : (v, 3) float64; triangles : (t, 3) int64 into positions;
    vertex_item : (v,) int64 index of the input polygon or polyline; vertex_kind : (v,) uint8 SurfaceKind."""

    positions: np.ndarray
    triangles: np.ndarray
    vertex_item: np.ndarray
    vertex_kind: np.ndarray

    @classmethod
    def empty(cls) -> Mesh:
        return cls(np.zeros((0, 3)), np.zeros((0, 3), np.int64), np.zeros(0, np.int64), np.zeros(0, np.uint8))

    @classmethod
    def concat(cls, parts: list[Mesh]) -> Mesh:
        parts = [m for m in parts if m.positions.shape[0]]
        if not parts:
            return cls.empty()
        offsets = np.cumsum([0] + [m.positions.shape[0] for m in parts[:-1]])
        return cls(np.concatenate([m.positions for m in parts]),
                   np.concatenate([m.triangles + o for m, o in zip(parts, offsets, strict=True)]),
                   np.concatenate([m.vertex_item for m in parts]),
                   np.concatenate([m.vertex_kind for m in parts]))


def ring_starts(lengths: np.ndarray) -> np.ndarray:
    """(r,) int64 index of each ring's (or line's) first vertex."""
    starts = np.zeros(lengths.shape[0], dtype=np.int64)
    if lengths.shape[0] > 1:
        np.cumsum(lengths[:-1], out=starts[1:])
    return starts


def _next_in_ring(ring_lengths: np.ndarray) -> np.ndarray:
    """(v,) int64 index of each vertex's successor, wrapping around at the end of its ring."""
    starts = ring_starts(ring_lengths)
    nxt = np.arange(int(ring_lengths.sum()), dtype=np.int64) + 1
    nxt[starts + ring_lengths - 1] = starts
    return nxt


def _orient_up(positions: np.ndarray, tris: np.ndarray, up: bool) -> np.ndarray:
    """Flip triangles so their normals' z is >= 0 (up) or <= 0; vertical triangles are left alone."""
    p0, p1, p2 = (positions[tris[:, k], :2] for k in range(3))
    cross = (p1[:, 0] - p0[:, 0]) * (p2[:, 1] - p0[:, 1]) - (p1[:, 1] - p0[:, 1]) * (p2[:, 0] - p0[:, 0])
    flip = cross < 0 if up else cross > 0
    out = tris.copy()
    out[flip, 1], out[flip, 2] = tris[flip, 2], tris[flip, 1]
    return out


def _caps(xy: np.ndarray, ring_lengths: np.ndarray, poly_ring_counts: np.ndarray,
          vertex_poly: np.ndarray, levels: list[tuple[np.ndarray, bool, int]]) -> list[Mesh]:
    """Flat caps of every polygon at each (z per polygon, faces up, kind), sharing one triangulation."""
    flat = np.zeros((xy.shape[0], 3))
    flat[:, :2] = xy
    tris, _ = triangulate_polygons(flat, ring_lengths, poly_ring_counts)
    if tris.shape[0] == 0:
        return []
    used, inverse = np.unique(tris, return_inverse=True)
    local = inverse.reshape(-1, 3)
    poly = vertex_poly[used]
    out = []
    for z, up, kind in levels:
        pos = np.zeros((used.shape[0], 3))
        pos[:, :2] = xy[used]
        pos[:, 2] = z[poly]
        out.append(Mesh(pos, _orient_up(pos, local, up), poly, np.full(used.shape[0], kind, np.uint8)))
    return out


def _walls(xy: np.ndarray, ring_lengths: np.ndarray, poly_ring_counts: np.ndarray,
           vertex_poly: np.ndarray, base: np.ndarray, top: np.ndarray) -> Mesh:
    """One outward-facing quad per ring edge (outer rings and holes) from base to top of its polygon."""
    nxt = _next_in_ring(ring_lengths)
    starts = ring_starts(ring_lengths)
    area2 = np.add.reduceat(xy[:, 0] * xy[nxt, 1] - xy[nxt, 0] * xy[:, 1], starts)
    is_outer = np.zeros(ring_lengths.shape[0], dtype=bool)
    is_outer[ring_starts(poly_ring_counts)[poly_ring_counts > 0]] = True
    # Outer rings must turn counter-clockwise and holes clockwise so "right of the edge" is outside.
    reverse = np.repeat(np.where(is_outer, area2 < 0, area2 > 0), ring_lengths)
    a = np.where(reverse[:, None], xy[nxt], xy)
    b = np.where(reverse[:, None], xy, xy[nxt])
    keep = (a != b).any(axis=1) & (top > base)[vertex_poly]
    a, b, poly = a[keep], b[keep], vertex_poly[keep]
    z0, z1 = base[poly], top[poly]
    quads = np.zeros((poly.shape[0], 4, 3))
    quads[:, 0, :2], quads[:, 1, :2], quads[:, 2, :2], quads[:, 3, :2] = a, b, b, a
    quads[:, 0, 2], quads[:, 1, 2], quads[:, 2, 2], quads[:, 3, 2] = z0, z0, z1, z1
    return Mesh(quads.reshape(-1, 3), _quad_triangles(poly.shape[0]), np.repeat(poly, 4),
                np.full(poly.shape[0] * 4, SurfaceKind.WALL, np.uint8))


def _quad_triangles(n: int) -> np.ndarray:
    """(2n, 3) int64 triangles (0, 1, 2), (0, 2, 3) of n quads stored as 4 consecutive vertices each."""
    base = (np.arange(n, dtype=np.int64) * 4)[:, None, None]
    return (base + np.array([[0, 1, 2], [0, 2, 3]], dtype=np.int64)).reshape(-1, 3)


def extrude_polygons(positions: np.ndarray, ring_lengths: ArrayLike, poly_ring_counts: ArrayLike,
                     base: np.ndarray, top: np.ndarray) -> Mesh:
    """Closed prisms: roof (ROOF) at `top`, ground (GROUND) at `base`, walls (WALL) between.

    positions : (v, 3) float64 (z ignored: the caps are flat); base, top : (p,) float64 per polygon.
    vertex_item is the polygon index. Polygons with top <= base get caps but no walls.
    """
    ring_lengths = np.asarray(ring_lengths, dtype=np.int64)
    poly_ring_counts = np.asarray(poly_ring_counts, dtype=np.int64)
    if ring_lengths.shape[0] == 0:
        return Mesh.empty()
    xy = np.ascontiguousarray(positions[:, :2], dtype=np.float64)
    ring_poly = np.repeat(np.arange(poly_ring_counts.shape[0]), poly_ring_counts)
    vertex_poly = np.repeat(ring_poly, ring_lengths)
    caps = _caps(xy, ring_lengths, poly_ring_counts, vertex_poly,
                 [(top, True, SurfaceKind.ROOF), (base, False, SurfaceKind.GROUND)])
    return Mesh.concat([*caps, _walls(xy, ring_lengths, poly_ring_counts, vertex_poly, base, top)])


def flat_polygons(positions: np.ndarray, ring_lengths: ArrayLike, poly_ring_counts: ArrayLike,
                  kinds: ArrayLike, lift: ArrayLike = 0.0) -> Mesh:
    """Polygons drawn where they are (3D rings keep their z), facing up, raised by `lift` metres.

    kinds : (p,) uint8 SurfaceKind per polygon or one for all; lift : scalar or (p,) float64.
    """
    ring_lengths = np.asarray(ring_lengths, dtype=np.int64)
    poly_ring_counts = np.asarray(poly_ring_counts, dtype=np.int64)
    tris, _ = triangulate_polygons(positions, ring_lengths, poly_ring_counts)
    if tris.shape[0] == 0:
        return Mesh.empty()
    ring_poly = np.repeat(np.arange(poly_ring_counts.shape[0]), poly_ring_counts)
    vertex_poly = np.repeat(ring_poly, ring_lengths)
    used, inverse = np.unique(tris, return_inverse=True)
    poly = vertex_poly[used]
    pos = np.array(positions[used], dtype=np.float64)
    pos[:, 2] += np.broadcast_to(np.asarray(lift, np.float64), (poly_ring_counts.shape[0],))[poly]
    kind = np.broadcast_to(np.asarray(kinds, np.uint8), (poly_ring_counts.shape[0],))[poly]
    return Mesh(pos, _orient_up(pos, inverse.reshape(-1, 3), True), poly, kind)


def metres_per_degree(lat_deg: np.ndarray) -> np.ndarray:
    """(n, 2) float64 metres per degree of longitude and latitude at each latitude (WGS84 series)."""
    phi = np.radians(np.clip(lat_deg, -89.9, 89.9))
    return np.stack([111_412.84 * np.cos(phi) - 93.5 * np.cos(3 * phi),
                     111_132.92 - 559.82 * np.cos(2 * phi) + 1.175 * np.cos(4 * phi)], axis=1)


def _dedupe(points: np.ndarray, line_lengths: np.ndarray, scale: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Drop vertices closer than _MIN_SEGMENT_M to their predecessor in the same line.

    Returns (kept vertex indices (k,), line of each kept vertex (k,), kept lengths per line (l,), scale (k, 2)).
    """
    line = np.repeat(np.arange(line_lengths.shape[0]), line_lengths)
    step = np.zeros(points.shape[0])
    step[1:] = np.hypot(*((points[1:, :2] - points[:-1, :2]) * scale[:-1]).T)
    first = np.zeros(points.shape[0], dtype=bool)
    first[ring_starts(line_lengths)[line_lengths > 0]] = True
    keep = np.flatnonzero(first | (step > _MIN_SEGMENT_M))
    kept_line = line[keep]
    return keep, kept_line, np.bincount(kept_line, minlength=line_lengths.shape[0]), scale[keep]


def ribbons(points: np.ndarray, line_lengths: ArrayLike, widths: ArrayLike,
            lift: float = 0.0, metres_per_unit: np.ndarray | None = None,
            kind: int = SurfaceKind.ROAD) -> Mesh:
    """Flat strips `widths` metres wide centred on each polyline, one quad per segment, facing up.

    points : (v, 3) float64; line_lengths : (l,) int; widths : scalar or (l,) float64 metres;
    metres_per_unit : (v, 2) metres per x and y unit at each vertex (for lon/lat; None: 1 unit = 1 m).
    z is each vertex's own z plus `lift`. Lines with fewer than 2 distinct points are dropped.
    """
    line_lengths = np.asarray(line_lengths, dtype=np.int64)
    if points.shape[0] == 0:
        return Mesh.empty()
    scale = np.ones((points.shape[0], 2)) if metres_per_unit is None else np.asarray(metres_per_unit, np.float64)
    keep, line, lengths, scale = _dedupe(points, line_lengths, scale)
    pts = points[keep]
    half = np.broadcast_to(np.asarray(widths, np.float64), (line_lengths.shape[0],))[line] / 2.0
    starts = ring_starts(lengths)
    is_last = np.zeros(pts.shape[0], dtype=bool)
    is_last[(starts + lengths - 1)[lengths > 0]] = True
    is_first = np.zeros(pts.shape[0], dtype=bool)
    is_first[starts[lengths > 0]] = True
    seg = np.flatnonzero(~is_last)  # segment i runs from vertex i to i + 1 of the same line
    d = (pts[seg + 1, :2] - pts[seg, :2]) * scale[seg]
    u = d / np.maximum(np.hypot(d[:, 0], d[:, 1]), 1e-300)[:, None]  # _dedupe left no zero-length segment
    normal_out = np.zeros((pts.shape[0], 2))
    normal_out[seg] = np.stack([-u[:, 1], u[:, 0]], axis=1)
    normal_in = np.zeros_like(normal_out)
    normal_in[seg + 1] = normal_out[seg]
    normal_in[is_first] = normal_out[is_first]
    normal_out[is_last] = normal_in[is_last]
    offset = _mitre(normal_in, normal_out) * half[:, None] / scale
    left, right = pts.copy(), pts.copy()
    left[:, :2] += offset
    right[:, :2] -= offset
    left[:, 2] += lift
    right[:, 2] += lift
    quads = np.stack([left[seg], right[seg], right[seg + 1], left[seg + 1]], axis=1)
    n = seg.shape[0]
    return Mesh(quads.reshape(-1, 3), _quad_triangles(n),
                np.repeat(line[seg], 4), np.full(n * 4, kind, np.uint8))


def _mitre(normal_in: np.ndarray, normal_out: np.ndarray) -> np.ndarray:
    """(v, 2) offset direction per vertex: the unit bisector scaled by 1/cos(half angle), clamped."""
    s = normal_in + normal_out
    norm = np.hypot(s[:, 0], s[:, 1])
    bisector = normal_in.copy()  # a full U-turn has no bisector: fall back to the incoming normal
    np.divide(s, norm[:, None], out=bisector, where=norm[:, None] > 1e-9)
    cos_half = np.maximum((bisector * normal_in).sum(axis=1), 1.0 / MITRE_LIMIT)
    return bisector / cos_half[:, None]


def parse_length(value: Any, maximum: float, allow_zero: bool = False) -> float | None:
    """Metres from an untrusted JSON number or OSM-style string ("12", "12.5 m", "12,5", "40'" in feet);
    None when it is missing, not a number, not finite, negative (or zero unless allowed) or above `maximum`."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            out = float(value)
        except OverflowError:  # an integer beyond float range
            return None
    elif isinstance(value, str):
        m = _LENGTH.match(value)
        if m is None:
            return None
        out = float(m.group(1).replace(",", ".")) * (_FOOT_M if m.group(2) else 1.0)
    else:
        return None
    ok = math.isfinite(out) and (out >= 0 if allow_zero else out > 0) and out <= maximum
    return out if ok else None
