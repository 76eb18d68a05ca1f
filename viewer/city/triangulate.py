"""Triangulate planar 3D polygons (with holes) in bulk.

Theory of operation: most city surfaces are convex rings without holes (walls, flat roofs, LoD1 boxes). Those
are fan-triangulated for all polygons at once with numpy. Only rings that are non-convex or have holes go to
earcut, one call each, projected onto the plane their Newell normal is most aligned with. Calling earcut for
every surface from Python is about 10x slower on a real city.

Input layout, shared by every loader:
    positions        : (v, 3) float64, the rings' vertices back to back, rings not closed (no repeated first point)
    ring_lengths     : (r,) int, vertices per ring
    poly_ring_counts : (p,) int, rings per polygon; a polygon's first ring is its outer boundary, the rest holes
Rings with fewer than 3 vertices are ignored (a polygon whose outer ring is such is dropped), and so is a
polygon whose outer ring has no area in its projection plane.

Output order (callers and caches may rely on it being deterministic): fan triangles of all convex polygons in
ring order, then earcut's triangles polygon by polygon. A triangle is wound like its polygon's outer ring.

Time limits: earcut's worst case grows with the square of a polygon's vertex count (measured: a 40k-vertex
near-circle with one dent 0.7 s, 80k 2.8 s; a 10k-vertex zigzag that crosses itself 2.6 s; reported: 500k
vertices 290 s, a 20k self-intersecting ring 39 s). So a call refuses, with TooComplex, a polygon needing
earcut above MAX_EARCUT_VERTICES, and earcut work (the sum of squared vertex counts of those polygons) above
EARCUT_WORK_BASE + EARCUT_WORK_PER_VERTEX * (vertices in the call): time then grows linearly with the input.
A real city is far inside both (footprints of ~100 vertices; 100k buildings: ~1e7). Inside
`skipping_complex_polygons()` (what run_loader uses) such polygons are left out instead, the largest first,
and reported, so one 50k-vertex lake does not cost the rest of a city: nothing good is lost.

Speed notes (100k LoD1 buildings, 630k polygons, 32k of them concave): coordinates are handled as three
contiguous columns (reductions over (n, 3) rows are several times slower), and the earcut loop does no numpy
work per polygon beyond slicing; winding is restored for all earcut triangles at once afterwards.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from dataclasses import dataclass, field

import mapbox_earcut
import numpy as np

MAX_EARCUT_VERTICES = 10_000
EARCUT_WORK_BASE = 100_000_000
EARCUT_WORK_PER_VERTEX = 1_000


class TooComplex(ValueError):
    """Polygons that earcut cannot triangulate in bounded time: which limit, the value and the maximum
    (loaders turn it into a LimitExceeded naming the file)."""

    def __init__(self, limit: str, value: int, maximum: int) -> None:
        self.limit, self.value, self.maximum = limit, value, maximum
        super().__init__(f"{limit} {value:,} exceeds the limit of {maximum:,}")


@dataclass
class Skipped:
    """Polygons left out because they could not be triangulated in bounded time: count and largest size."""

    count: int = 0
    largest: int = 0
    sizes: list[int] = field(default_factory=list)

    def add(self, sizes: np.ndarray) -> None:
        self.count += int(sizes.size)
        self.largest = max(self.largest, int(sizes.max(initial=0)))

    def describe(self) -> str:
        return (f"{self.count:,} polygon{'s' if self.count != 1 else ''} too complex to triangulate in bounded "
                f"time (up to {self.largest:,} vertices in one concave polygon; the limit is "
                f"{MAX_EARCUT_VERTICES:,}) left out")


_SKIPPING: contextvars.ContextVar[Skipped | None] = contextvars.ContextVar("skipping", default=None)


@contextlib.contextmanager
def skipping_complex_polygons() -> Iterator[Skipped]:
    """Within this block, polygons beyond the time limits are left out and counted instead of raising."""
    report = Skipped()
    token = _SKIPPING.set(report)
    try:
        yield report
    finally:
        _SKIPPING.reset(token)


def _ring_starts(lengths: np.ndarray) -> np.ndarray:
    starts = np.zeros(lengths.shape[0], dtype=np.int64)
    if lengths.shape[0] > 1:
        np.cumsum(lengths[:-1], out=starts[1:])
    return starts


@dataclass
class _Rings:
    """The rings kept for triangulation, their vertices projected to 2D.

    lengths, starts : (r,) int64 into u/v; poly : (r,) int64 polygon of each ring; outer : (r,) bool;
    u, v : (n,) float64 projected coordinates; nxt : (n,) int64 next vertex of the same ring (wrapping);
    area2 : (r,) float64 twice the signed projected area; vidx : (n,) int64 positions row of each vertex, or
    None when every ring was kept (then u/v rows are positions rows); poly_normal : (p,) x 3 float64 Newell
    normal of each polygon's outer ring (zeros for dropped polygons).
    """

    lengths: np.ndarray
    starts: np.ndarray
    poly: np.ndarray
    outer: np.ndarray
    u: np.ndarray
    v: np.ndarray
    nxt: np.ndarray
    area2: np.ndarray
    vidx: np.ndarray | None
    poly_normal: np.ndarray


def triangulate_polygons(positions: np.ndarray, ring_lengths: np.ndarray,
                         poly_ring_counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Returns (triangles (t, 3) int64 indices into positions, polygon index of each triangle (t,) int64)."""
    tris, tri_poly, _ = triangulate_with_normals(positions, ring_lengths, poly_ring_counts)
    return tris, tri_poly


def triangulate_with_normals(positions: np.ndarray, ring_lengths: np.ndarray,
                             poly_ring_counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """triangulate_polygons plus the Newell normal (p, 3) float64 of each polygon's outer ring (not unit
    length: its norm is twice the ring's area; zeros for polygons dropped as undrawable)."""
    ring_lengths = np.asarray(ring_lengths, dtype=np.int64)
    poly_ring_counts = np.asarray(poly_ring_counts, dtype=np.int64)
    if ring_lengths.sum() != positions.shape[0] or poly_ring_counts.sum() != ring_lengths.shape[0]:
        raise ValueError("ring_lengths / poly_ring_counts do not match positions")
    rings = _project(positions, ring_lengths, poly_ring_counts)
    if rings is None:
        return np.zeros((0, 3), np.int64), np.zeros(0, np.int64), np.zeros((poly_ring_counts.shape[0], 3))
    fan, slow_polys = _classify(rings, poly_ring_counts.shape[0])
    out_tris: list[np.ndarray] = []
    out_poly: list[np.ndarray] = []
    for tris, poly in (_fan(rings, fan), _earcut(rings, slow_polys, poly_ring_counts.shape[0])):
        if tris.shape[0]:
            out_tris.append(tris)
            out_poly.append(poly)
    if not out_tris:
        return np.zeros((0, 3), np.int64), np.zeros(0, np.int64), rings.poly_normal
    tris = np.concatenate(out_tris) if len(out_tris) > 1 else out_tris[0]
    if rings.vidx is not None:
        tris = rings.vidx[tris]
    return tris, np.concatenate(out_poly), rings.poly_normal


def _project(positions: np.ndarray, ring_lengths: np.ndarray, poly_ring_counts: np.ndarray) -> _Rings | None:
    """Keep the drawable rings and project each polygon onto the plane its outer ring's normal is most
    aligned with; None when nothing is drawable."""
    if ring_lengths.shape[0] == 0:
        return None
    ring_poly = np.repeat(np.arange(poly_ring_counts.shape[0]), poly_ring_counts)
    is_outer = np.zeros(ring_lengths.shape[0], dtype=bool)
    is_outer[_ring_starts(poly_ring_counts)[poly_ring_counts > 0]] = True
    # Keep rings of >= 3 vertices whose polygon's outer ring is valid.
    ring_ok = ring_lengths >= 3
    outer_ok = np.zeros(poly_ring_counts.shape[0], dtype=bool)
    outer_ok[ring_poly[is_outer]] = ring_ok[is_outer]
    ring_ok &= outer_ok[ring_poly]
    if not ring_ok.any():
        return None
    # Coordinates relative to the first vertex: large projected coordinates then cost no precision in
    # the normals, areas and earcut.
    origin = np.asarray(positions[0], dtype=np.float64)
    if ring_ok.all():  # the usual case: no gather, no index remapping afterwards
        lengths, vidx = ring_lengths, None
        x, y, z = (np.subtract(positions[:, i], origin[i], dtype=np.float64) for i in range(3))
    else:
        keep = np.flatnonzero(ring_ok)
        lengths = ring_lengths[keep]
        vidx = np.repeat(_ring_starts(ring_lengths)[keep] - _ring_starts(lengths), lengths) + np.arange(
            int(lengths.sum()))
        x, y, z = (np.subtract(positions[vidx, i], origin[i], dtype=np.float64) for i in range(3))
        ring_poly, is_outer = ring_poly[keep], is_outer[keep]
    starts = _ring_starts(lengths)
    nxt = np.arange(1, x.shape[0] + 1)
    nxt[starts + lengths - 1] = starts
    # Newell normal per ring (robust to collinear first vertices); a polygon's plane is its outer ring's.
    x2, y2, z2 = x[nxt], y[nxt], z[nxt]
    normal = np.stack([np.add.reduceat((y - y2) * (z + z2), starts),
                       np.add.reduceat((z - z2) * (x + x2), starts),
                       np.add.reduceat((x - x2) * (y + y2), starts)], axis=1)
    poly_normal = np.zeros((poly_ring_counts.shape[0], 3))
    poly_normal[ring_poly[is_outer]] = normal[is_outer]
    poly_axis = np.argmax(np.abs(poly_normal), axis=1).astype(np.int8)
    vert_axis = np.repeat(poly_axis[ring_poly], lengths)
    u = np.where(vert_axis == 0, y, x)  # drop x -> (y, z); drop y -> (x, z); drop z -> (x, y)
    v = np.where(vert_axis == 2, y, z)
    area2 = np.add.reduceat(u * v[nxt] - u[nxt] * v, starts)
    return _Rings(lengths, starts, ring_poly, is_outer, u, v, nxt, area2, vidx, poly_normal)


def _classify(rings: _Rings, polygon_count: int) -> tuple[np.ndarray, np.ndarray]:
    """(fan (r,) bool: convex single-ring polygons with area; slow_polys (k,) int64: every other polygon
    whose outer ring has area, for earcut)."""
    u, v, nxt, starts = rings.u, rings.v, rings.nxt, rings.starts
    rings_per_poly = np.bincount(rings.poly, minlength=polygon_count)
    simple = rings.outer & (rings_per_poly[rings.poly] == 1)
    # Convexity of simple rings: every turn has the sign of the ring's area (within a relative tolerance,
    # compared squared: |cross| > 1e-9 |e1| |e2|).
    nn = nxt[nxt]
    e1u, e1v = u[nxt] - u, v[nxt] - v
    e2u, e2v = u[nn] - u[nxt], v[nn] - v[nxt]
    cross = e1u * e2v - e1v * e2u
    cross *= np.repeat(np.sign(rings.area2), rings.lengths)
    tol2 = 1e-18 * (e1u * e1u + e1v * e1v) * (e2u * e2u + e2v * e2v)
    concave = np.add.reduceat(((cross < 0) & (cross * cross > tol2)).astype(np.int32), starts) > 0
    has_area = rings.area2 != 0
    fan = simple & ~concave & has_area
    slow_polys = np.unique(rings.poly[~fan & rings.outer & has_area])
    return fan, slow_polys


def _fan(rings: _Rings, fan: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Triangles (s, s+k, s+k+1) for k = 1 .. n-2 of every fan ring starting at vertex s."""
    fan_rings = np.flatnonzero(fan)
    if fan_rings.size == 0:
        return np.zeros((0, 3), np.int64), np.zeros(0, np.int64)
    ntri = rings.lengths[fan_rings] - 2
    rep = np.repeat(np.arange(fan_rings.size), ntri)
    k = np.arange(1, int(ntri.sum()) + 1) - np.repeat(_ring_starts(ntri), ntri)
    s = rings.starts[fan_rings][rep]
    tris = np.zeros((s.shape[0], 3), np.int64)
    tris[:, 0] = s
    np.add(s, k, out=tris[:, 1])
    np.add(tris[:, 1], 1, out=tris[:, 2])
    return tris, rings.poly[fan_rings][rep]


def _earcut(rings: _Rings, slow_polys: np.ndarray, polygon_count: int) -> tuple[np.ndarray, np.ndarray]:
    """earcut on each of `slow_polys` (outer ring and holes are consecutive rings), then every triangle wound
    like its polygon's outer ring (earcut emits one winding whatever the ring's)."""
    if slow_polys.size == 0:
        return np.zeros((0, 3), np.int64), np.zeros(0, np.int64)
    first = np.searchsorted(rings.poly, slow_polys, side="left")
    last = np.searchsorted(rings.poly, slow_polys, side="right")
    ends = np.cumsum(rings.lengths)
    sizes = ends[last - 1] - rings.starts[first]
    report = _SKIPPING.get()
    if report is None:
        _check_work(sizes, rings.u.shape[0])
    else:
        keep = _within_work(sizes, rings.u.shape[0])
        if not keep.all():
            report.add(sizes[~keep])
            slow_polys, first, last = slow_polys[keep], first[keep], last[keep]
            if slow_polys.size == 0:
                return np.zeros((0, 3), np.int64), np.zeros(0, np.int64)
    uv = np.stack([rings.u, rings.v], axis=1)
    # Ring ends relative to the first vertex of their polygon, so the loop below only slices.
    poly_begin = rings.starts[first]
    rings_per_poly = np.diff(np.flatnonzero(np.append(rings.outer, True)))  # kept rings start with an outer
    rel_ends = (ends - np.repeat(rings.starts[rings.outer], rings_per_poly)).astype(np.uint32)
    earcut = mapbox_earcut.triangulate_float64
    chunks = [earcut(uv[a:b], rel_ends[r0:r1]) for a, b, r0, r1 in zip(
        poly_begin.tolist(), ends[last - 1].tolist(), first.tolist(), last.tolist(), strict=True)]
    counts = np.fromiter(map(len, chunks), np.int64, len(chunks)) // 3
    tris = np.concatenate(chunks).astype(np.int64).reshape(-1, 3)
    tris += np.repeat(poly_begin, counts)[:, None]
    tri_poly = np.repeat(slow_polys, counts)
    outer_area = np.zeros(polygon_count)
    outer_area[rings.poly[rings.outer]] = rings.area2[rings.outer]
    u, v = rings.u, rings.v
    a, b, c = tris[:, 0], tris[:, 1], tris[:, 2]
    turn = (u[b] - u[a]) * (v[c] - v[a]) - (v[b] - v[a]) * (u[c] - u[a])
    flip = turn * outer_area[tri_poly] < 0
    tris[flip] = tris[flip][:, ::-1]
    return tris, tri_poly


def _within_work(vertices: np.ndarray, total: int) -> np.ndarray:
    """(k,) bool: the polygons earcut may take so both limits hold, keeping the smallest first."""
    keep = vertices <= MAX_EARCUT_VERTICES
    order = np.argsort(np.where(keep, vertices, np.iinfo(np.int64).max), kind="stable")
    work = np.cumsum(vertices[order].astype(np.float64) ** 2)
    within = np.zeros(vertices.shape[0], bool)
    within[order] = work <= EARCUT_WORK_BASE + EARCUT_WORK_PER_VERTEX * total
    return keep & within


def _check_work(vertices: np.ndarray, total: int) -> None:
    """Refuse earcut input whose worst case is not bounded (see "Time limits" above).

    vertices : (k,) int64 vertex count of each polygon going to earcut; total : vertices in the call."""
    largest = int(vertices.max())
    if largest > MAX_EARCUT_VERTICES:
        raise TooComplex("vertices in one concave polygon", largest, MAX_EARCUT_VERTICES)
    work = int(np.dot(vertices, vertices))
    budget = EARCUT_WORK_BASE + EARCUT_WORK_PER_VERTEX * total
    if work > budget:
        raise TooComplex("triangulation work (sum of squared vertex counts of concave polygons)", work, budget)
