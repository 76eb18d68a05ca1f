"""Buildings with shaped roofs as closed solids: pure numpy, in local metres, one building at a time.

Rules this module keeps:
1. A roof is the lower envelope of a few planes over a convex footprint: gabled (two planes meeting at a
   ridge along `ridge`), hipped (one plane of equal slope per edge), pyramidal (one plane per edge through an
   apex over the centroid), skillion (one plane falling towards `direction`). Every shape is scaled so its
   highest point is `roof_height` above the eave; facets are the footprint clipped to where their plane is
   lowest. Footprints are cleaned first (clean_ring: vertices within SIMPLIFY_M of their neighbours' line
   go); ones still not convex, or of more than MAX_VERTICES, and shapes not in SHAPES are refused with
   ValueError: the caller draws a flat roof.
2. The result is closed and outward: ground (GROUND) facing down at `base`, walls (WALL) from `base` up to
   the roof line (gable ends included, so a gabled roof's triangular ends are wall), roof facets (ROOF) facing
   up. Points where a roof crease meets the outline are inserted into the outline, and every point is shared
   through one registry (merged within EPS_M), so the mesh has no T-junctions and every edge is used twice.
3. Each planar surface owns its vertices (model.py rule 2); convex surfaces are fanned from their centroid,
   so collinear outline points never make zero-area triangles.

Input: ring (n, 2) float64 metres, open (no repeated first point), any winding. Output: Solid.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from viewer.city.model import SurfaceKind

SHAPES = ("gabled", "hipped", "pyramidal", "skillion")
EPS_M = 1e-6  # points closer than this are one point
SIMPLIFY_M = 0.05  # outline vertices this close to their neighbours' line are dropped before roofing
MAX_VERTICES = 256  # outlines with more vertices get flat roofs (cleaning is quadratic in the vertices)


class Solid(NamedTuple):
    """positions : (v, 3) float64 metres; triangles : (t, 3) int64; kinds : (v,) uint8 SurfaceKind."""

    positions: np.ndarray
    triangles: np.ndarray
    kinds: np.ndarray


def clean_ring(ring: np.ndarray, tolerance: float = SIMPLIFY_M) -> np.ndarray:
    """(k, 2) the ring counter-clockwise without repeated points and without vertices closer than `tolerance`
    to the line through their neighbours (mapping noise that would make a rectangle concave); the vertex that
    deviates least goes first, so an arc keeps its shape. k may be < 3."""
    pts = np.asarray(ring, np.float64)
    if pts.shape[0] and np.allclose(pts[0], pts[-1]):
        pts = pts[:-1]
    step = np.hypot(*(pts - np.roll(pts, 1, axis=0)).T)
    pts = pts[step > EPS_M] if pts.shape[0] > 1 else pts
    while pts.shape[0] >= 3:
        prv, nxt = np.roll(pts, 1, axis=0), np.roll(pts, -1, axis=0)
        chord = nxt - prv
        length = np.hypot(*chord.T)
        cross = np.abs(chord[:, 0] * (pts - prv)[:, 1] - chord[:, 1] * (pts - prv)[:, 0])
        deviation = np.where(length > EPS_M, cross / np.maximum(length, EPS_M), np.hypot(*(pts - prv).T))
        k = int(np.argmin(deviation))
        if deviation[k] > tolerance:
            break
        pts = np.delete(pts, k, axis=0)
    if pts.shape[0] >= 3 and _area2(pts) < 0:
        pts = pts[::-1]
    return pts


def is_convex(ring: np.ndarray) -> bool:
    """Whether a cleaned ring (see clean_ring) turns left at every vertex and encloses area."""
    if ring.shape[0] < 3:
        return False
    e1 = ring - np.roll(ring, 1, axis=0)
    e2 = np.roll(ring, -1, axis=0) - ring
    return bool((e1[:, 0] * e2[:, 1] - e1[:, 1] * e2[:, 0] > 0).all())


def _area2(ring: np.ndarray) -> float:
    nxt = np.roll(ring, -1, axis=0)
    return float((ring[:, 0] * nxt[:, 1] - nxt[:, 0] * ring[:, 1]).sum())


def ridge_direction(ring: np.ndarray, across: bool = False) -> np.ndarray:
    """(2,) unit vector along the ring's longest edge (OSM roof:orientation=along), or across it."""
    edges = np.roll(ring, -1, axis=0) - ring
    longest = edges[np.argmax(np.hypot(*edges.T))]
    unit = longest / np.hypot(*longest)
    return np.array([-unit[1], unit[0]]) if across else unit


def compass_vector(degrees: float) -> np.ndarray:
    """(2,) unit vector (x east, y north) of a compass bearing (0 = north, 90 = east)."""
    rad = np.radians(degrees)
    return np.array([np.sin(rad), np.cos(rad)])


def roof_planes(ring: np.ndarray, shape: str, ridge: np.ndarray | None = None,
                direction: np.ndarray | None = None) -> np.ndarray:
    """(k, 3) planes f = a x + b y + c whose minimum over the ring is the roof's shape (rule 1), f >= 0
    inside; unscaled. ring is cleaned and convex; ridge (gabled) and direction (skillion, downhill) are unit
    vectors, defaulting to ridge_direction."""
    if shape == "gabled":
        along = ridge_direction(ring) if ridge is None else ridge
        normal = np.array([-along[1], along[0]])
        s = ring @ normal
        mid, half = (s.max() + s.min()) / 2, (s.max() - s.min()) / 2
        return np.array([[-normal[0], -normal[1], half + mid], [normal[0], normal[1], half - mid]])
    if shape == "skillion":
        down = np.array([-ridge_direction(ring)[1], ridge_direction(ring)[0]]) if direction is None else direction
        s = ring @ down
        return np.array([[-down[0], -down[1], s.max()]])
    edges = np.roll(ring, -1, axis=0) - ring
    inward = np.stack([-edges[:, 1], edges[:, 0]], axis=1) / np.hypot(*edges.T)[:, None]
    offset = -(inward * ring).sum(axis=1)  # f_i(p) = inward_i . p + offset_i is the distance to edge i
    if shape == "hipped":
        return np.column_stack([inward, offset])
    if shape == "pyramidal":
        centre = _centroid(ring)
        rise = inward @ centre + offset  # distance of the apex's foot to each edge: f_i(apex) = 1
        return np.column_stack([inward, offset]) / rise[:, None]
    raise ValueError(f"unknown roof shape {shape!r}")


def _centroid(ring: np.ndarray) -> np.ndarray:
    nxt = np.roll(ring, -1, axis=0)
    cross = ring[:, 0] * nxt[:, 1] - nxt[:, 0] * ring[:, 1]
    return ((ring + nxt) * cross[:, None]).sum(axis=0) / (3.0 * cross.sum())


def _clip(poly: np.ndarray, g: np.ndarray, h: float) -> np.ndarray:
    """The part of convex `poly` (k, 2) where g . p + h <= 0 (Sutherland-Hodgman against one line)."""
    if poly.shape[0] == 0:
        return poly
    value = poly @ g + h
    out: list[np.ndarray] = []
    for k in range(poly.shape[0]):
        a, b, va, vb = poly[k], poly[(k + 1) % poly.shape[0]], value[k], value[(k + 1) % poly.shape[0]]
        if va <= 0:
            out.append(a)
        if (va < 0 < vb) or (vb < 0 < va):
            out.append(a + (b - a) * (va / (va - vb)))
    return np.array(out).reshape(-1, 2)


class _Points:
    """One registry of points so surfaces that meet share identical coordinates (rule 2)."""

    def __init__(self) -> None:
        self.xy = np.zeros((0, 2))

    def index(self, pts: np.ndarray) -> list[int]:
        out = []
        for p in pts:
            if self.xy.shape[0]:
                d = np.hypot(*(self.xy - p).T)
                k = int(np.argmin(d))
                if d[k] < EPS_M:
                    out.append(k)
                    continue
            self.xy = np.vstack([self.xy, p])
            out.append(self.xy.shape[0] - 1)
        return out


def _facets(ring: np.ndarray, planes: np.ndarray, points: _Points) -> list[tuple[int, list[int]]]:
    """(plane, point indices counter-clockwise) of each roof facet with at least 3 distinct points."""
    planes = np.unique(np.round(planes, 12), axis=0)
    out = []
    for i in range(planes.shape[0]):
        poly = ring
        for j in range(planes.shape[0]):
            if j != i:  # keep where plane i is not above plane j
                poly = _clip(poly, planes[i, :2] - planes[j, :2], planes[i, 2] - planes[j, 2])
        idx = list(dict.fromkeys(points.index(poly)))  # drop repeats, keep order
        if len(idx) >= 3:
            out.append((i, idx))
    return out


def _outline(ring_idx: list[int], points: _Points) -> list[int]:
    """The ring's point indices with every registered point lying on one of its edges inserted in order."""
    xy = points.xy
    out: list[int] = []
    for k, a_idx in enumerate(ring_idx):
        b_idx = ring_idx[(k + 1) % len(ring_idx)]
        a, b = xy[a_idx], xy[b_idx]
        edge = b - a
        length2 = float(edge @ edge)
        t = (xy - a) @ edge / length2
        dist = np.abs((xy[:, 0] - a[0]) * edge[1] - (xy[:, 1] - a[1]) * edge[0]) / np.sqrt(length2)
        on = np.flatnonzero((dist < EPS_M) & (t > 0) & (t < 1))
        out.append(a_idx)
        out.extend(int(i) for i in on[np.argsort(t[on])] if i not in (a_idx, b_idx))
    return out


def roofed_solid(ring: np.ndarray, base: float, eave: float, roof_height: float, shape: str,
                 ridge: np.ndarray | None = None, direction: np.ndarray | None = None) -> Solid:
    """The closed solid of a building with a shaped roof (rules 1-3). ring (n, 2) metres; base < eave;
    roof_height > 0. ValueError when the cleaned ring is not convex or the shape unknown."""
    clean = clean_ring(ring)
    if not is_convex(clean) or clean.shape[0] > MAX_VERTICES:
        raise ValueError("roof shapes need a convex footprint")
    planes = roof_planes(clean, shape, ridge, direction)
    points = _Points()
    ring_idx = points.index(clean)
    facets = _facets(clean, planes, points)
    unique_planes = np.unique(np.round(planes, 12), axis=0)
    xy = points.xy
    f = (xy @ unique_planes[:, :2].T + unique_planes[:, 2]).min(axis=1)
    scale = roof_height / max(float(f.max()), EPS_M)
    roof_z = eave + scale * np.maximum(f, 0.0)
    outline = _outline(ring_idx, points)
    parts: list[Solid] = []
    for _, idx in facets:  # a facet's points lie on its plane, which is the envelope there
        parts.append(_fan(np.column_stack([xy[idx], roof_z[idx]]), SurfaceKind.ROOF, up=True))
    parts.append(_fan(np.column_stack([xy[outline], np.full(len(outline), base)]), SurfaceKind.GROUND, up=False))
    parts.append(_walls(xy[outline], base, roof_z[outline]))
    return _concat(parts)


def _fan(pts: np.ndarray, kind: int, up: bool) -> Solid:
    """A convex counter-clockwise polygon (k, 3) fanned from its centroid: k triangles, facing up or down."""
    k = pts.shape[0]
    positions = np.vstack([pts, pts.mean(axis=0)])
    i = np.arange(k)
    tris = np.column_stack([np.full(k, k), i, (i + 1) % k]) if up else np.column_stack([np.full(k, k), (i + 1) % k, i])
    return Solid(positions, tris.astype(np.int64), np.full(k + 1, kind, np.uint8))


def _walls(xy: np.ndarray, base: float, top: np.ndarray) -> Solid:
    """One outward quad per outline edge from `base` to the roof line (a triangle where one end is at base)."""
    k = xy.shape[0]
    nxt = (np.arange(k) + 1) % k
    quads = np.zeros((k, 4, 3))
    quads[:, 0, :2], quads[:, 1, :2], quads[:, 2, :2], quads[:, 3, :2] = xy, xy[nxt], xy[nxt], xy
    quads[:, 0, 2], quads[:, 1, 2] = base, base
    quads[:, 2, 2], quads[:, 3, 2] = top[nxt], top
    first = np.array([0, 1, 2]) + 4 * np.arange(k)[:, None]
    second = np.array([0, 2, 3]) + 4 * np.arange(k)[:, None]
    keep_first = top[nxt] > base + EPS_M
    keep_second = top > base + EPS_M
    tris = np.concatenate([first[keep_first], second[keep_second]])
    return Solid(quads.reshape(-1, 3), tris.astype(np.int64), np.full(4 * k, SurfaceKind.WALL, np.uint8))


def _concat(parts: list[Solid]) -> Solid:
    offsets = np.cumsum([0] + [p.positions.shape[0] for p in parts[:-1]])
    return Solid(np.concatenate([p.positions for p in parts]),
                 np.concatenate([p.triangles + o for p, o in zip(parts, offsets, strict=True)]),
                 np.concatenate([p.kinds for p in parts]))
