"""How close points come to a city's surfaces: the clearance check of camera paths.

Rules this module keeps:
1. Surfaces are the model's triangles, each with its object. A point intrudes on a surface when its 3D
   distance to the triangle is under the surface's allowance: `clearance` for walls, roofs seen from below and
   anything steep; the smaller FLOOR_CLEARANCE for a floor (|normal z| >= FLOOR_MIN_NZ, the nav index's rule)
   seen from above, so an eye 1.7 m over a street, a plaza or a roof it stands on is fine while a camera
   1.7 m beside a wall or under a roof is not.
2. A point inside a closed solid intrudes at distance 0 however far its walls are: the first surface straight
   above it is seen from behind (its normal points up; loaders wind surfaces outward, city/extrude.py rule 3).
   A point below the base plane (default: the model's lowest point, where the ground is drawn) is inside the
   ground (object GROUND).
3. Vectorised over chunks of nearby points: one grid query per chunk (points in order along a path lie close
   together; a chunk wider than CHUNK_SPAN is halved), one numpy pass over points x candidate triangles.
   The model's arrays are used in place (no copy of the geometry); per triangle only its top z, its object
   and the grid are kept.
4. Answers: for each point the distance (m,) to the surface it intrudes on most (0 inside, inf when clear)
   and that surface's object index (m,) (NONE when clear, GROUND for the base plane); `name(index)` gives
   the model's object id. The caller decides what a hit means (viewer/flythrough/clearance.py groups them
   along a path).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from viewer.nav.grid import Grid
from viewer.nav.index import FLOOR_MIN_NZ

FLOOR_CLEARANCE = 1.0  # metres above a floor seen from above (rule 1)
CHUNK = 32  # points per chunk (rule 3)
CHUNK_SPAN = 48.0  # metres: a chunk spread wider in x or y is split
NONE, GROUND = -1, -2  # object indices of "clear" and of the base plane


@dataclass
class CityClearance:
    """The surfaces of a CityModel for clearance queries (rules above).

    vertices : (v, 3) float32 and triangles : (t, 3) int, the model's own arrays; top : (t,) float32 highest z of
    each triangle; objects : (t,) int32 each triangle's object; ids the object table's ids; grid over the
    triangles' xy boxes; base_z the base plane's height."""

    vertices: np.ndarray
    triangles: np.ndarray
    top: np.ndarray
    objects: np.ndarray
    ids: list[str]
    grid: Grid
    base_z: float

    @classmethod
    def from_model(cls, model: Any, base_z: float | None = None) -> CityClearance:
        """The surfaces of a CityModel (vertices, triangles, vertex_object, objects.ids)."""
        vertices = np.asarray(model.vertices)
        triangles = np.asarray(model.triangles).reshape(-1, 3)
        ids = list(model.objects.ids)
        if triangles.shape[0] == 0:
            return cls(vertices, triangles, np.zeros(0, np.float32), np.zeros(0, np.int32), ids,
                       Grid.build(np.zeros((0, 2)), np.zeros((0, 2))), 0.0 if base_z is None else float(base_z))
        x, y, z = (np.take(np.ascontiguousarray(vertices[:, i]), triangles) for i in range(3))  # (t, 3) each
        lo = np.stack([x.min(axis=1), y.min(axis=1)], 1).astype(np.float64)
        hi = np.stack([x.max(axis=1), y.max(axis=1)], 1).astype(np.float64)
        objects = np.asarray(model.vertex_object)[triangles[:, 0]].astype(np.int32)
        low = float(z.min()) if base_z is None else float(base_z)
        return cls(vertices, triangles, z.max(axis=1).astype(np.float32), objects, ids, Grid.build(lo, hi), low)

    def name(self, index: int) -> str:
        """The object id of an object index from intrusions() ("ground" for the base plane)."""
        if index == GROUND:
            return "ground"
        return self.ids[index] if 0 <= index < len(self.ids) else f"object {index}"

    def intrusions(self, points: Any, clearance: float) -> tuple[np.ndarray, np.ndarray]:
        """(distance (m,) float64, object (m,) int64) of the surface each point (m, 3) intrudes on most
        (rules 1, 2, 4)."""
        p = np.asarray(points, np.float64).reshape(-1, 3)
        distance = np.full(p.shape[0], np.inf)
        objects = np.full(p.shape[0], NONE, np.int64)
        pending = [(i, min(i + CHUNK, p.shape[0])) for i in range(0, p.shape[0], CHUNK)]
        while pending:
            a, b = pending.pop()
            span = p[a:b, :2].max(axis=0) - p[a:b, :2].min(axis=0)
            if b - a > 1 and span.max() > CHUNK_SPAN:
                pending += [(a, (a + b) // 2), ((a + b) // 2, b)]
                continue
            distance[a:b], objects[a:b] = self._chunk(p[a:b], float(clearance))
        below = p[:, 2] < self.base_z
        distance[below], objects[below] = 0.0, GROUND
        return distance, objects

    def ceiling(self, points: Any, radius: float) -> np.ndarray:
        """The highest z (m,) of any surface whose xy box comes within `radius` of each point's xy (the base
        plane where there is none): a camera this high above it passes over."""
        p = np.asarray(points, np.float64).reshape(-1, 3)
        out = np.full(p.shape[0], self.base_z)
        for i, (x, y, _) in enumerate(p):
            found = self.grid.query(x - radius, y - radius, x + radius, y + radius)
            if found.shape[0]:
                out[i] = max(self.base_z, float(self.top[found].max()))
        return out

    def _chunk(self, p: np.ndarray, clearance: float) -> tuple[np.ndarray, np.ndarray]:
        """intrusions() for a few points close together."""
        reach = max(clearance, FLOOR_CLEARANCE)
        (x0, y0), (x1, y1) = p[:, :2].min(axis=0) - reach, p[:, :2].max(axis=0) + reach
        found = np.unique(self.grid.query(x0, y0, x1, y1))
        found = found[self.top[found] >= p[:, 2].min() - reach]  # wholly below every point: too low to matter
        if found.shape[0] == 0:
            return np.full(p.shape[0], np.inf), np.full(p.shape[0], NONE, np.int64)
        corners = self.vertices[self.triangles[found]].astype(np.float64)  # (k, 3, 3)
        a, b, c = corners[:, 0], corners[:, 1], corners[:, 2]
        normal = np.cross(b - a, c - a)
        length = np.linalg.norm(normal, axis=1)
        unit = normal / np.maximum(length, 1e-12)[:, None]
        distance = triangle_distances(p, a, b, c, unit, length > 1e-12)  # (m, k)
        above = np.einsum("mkj,kj->mk", p[:, None, :] - a[None], unit * np.sign(unit[:, 2:3]))
        floor = (np.abs(unit[:, 2]) >= FLOOR_MIN_NZ)[None, :] & (above > 0.0)
        allowance = np.where(floor, min(clearance, FLOOR_CLEARANCE), clearance)
        depth = np.where(distance < allowance, distance, np.inf)
        worst = np.argmin(depth, axis=1)
        rows = np.arange(p.shape[0])
        out_distance = depth[rows, worst]
        out_object = np.where(np.isfinite(out_distance), self.objects[found][worst], NONE).astype(np.int64)
        inside = _roof_seen_from_below(p, a, b, c, unit)
        hit = inside >= 0
        out_distance[hit], out_object[hit] = 0.0, self.objects[found][inside[hit]]
        return out_distance, out_object


def triangle_distances(p: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, unit: np.ndarray,
                       solid: np.ndarray) -> np.ndarray:
    """Distances (m, k) from points p (m, 3) to triangles with corners a, b, c (k, 3), unit normals (k, 3) and
    solid (k,) False for degenerate ones: to the plane where the point's projection falls inside, else to
    the nearest edge."""
    rel = p[:, None, :] - a[None]  # (m, k, 3)
    height = np.einsum("mkj,kj->mk", rel, unit)
    inside = solid[None, :]
    for u, v in ((a, b), (b, c), (c, a)):  # the projection lies left of every edge (seen along the normal)
        side = np.einsum("mkj,kj->mk", p[:, None, :] - u[None], np.cross(unit, v - u))
        inside = inside & (side >= 0.0)
    edges = np.minimum(np.minimum(_segment_distances(p, a, b), _segment_distances(p, b, c)),
                       _segment_distances(p, c, a))
    return np.where(inside, np.abs(height), edges)


def _segment_distances(p: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Distances (m, k) from points (m, 3) to segments u -> v (k, 3)."""
    d = v - u
    dd = np.maximum(np.einsum("kj,kj->k", d, d), 1e-24)
    rel = p[:, None, :] - u[None]
    s = np.clip(np.einsum("mkj,kj->mk", rel, d) / dd, 0.0, 1.0)
    return np.linalg.norm(rel - s[..., None] * d[None], axis=2)


def _roof_seen_from_below(p: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray,
                          unit: np.ndarray) -> np.ndarray:
    """For each point (m, 3), the candidate (index into k) that is the first surface straight above it when
    that surface faces up (the point is inside a solid, rule 2); -1 otherwise."""
    nz = unit[:, 2]
    flat = np.abs(nz) > 1e-6  # walls have no extent in plan
    px, py = p[:, 0:1], p[:, 1:2]
    inside = np.broadcast_to(flat[None, :], (p.shape[0], a.shape[0]))
    signs = []
    for u, v in ((a, b), (b, c), (c, a)):
        signs.append((v[:, 0] - u[:, 0]) * (py - u[:, 1]) - (v[:, 1] - u[:, 1]) * (px - u[:, 0]))
    cross = np.stack(signs)
    inside = inside & ((cross >= 0.0).all(axis=0) | (cross <= 0.0).all(axis=0))
    safe = np.where(flat, nz, 1.0)
    z = a[:, 2] - (unit[:, 0] * (px - a[:, 0]) + unit[:, 1] * (py - a[:, 1])) / safe  # the plane at (px, py)
    z = np.where(inside & (z > p[:, 2:3]), z, np.inf)
    first = np.argmin(z, axis=1)
    rows = np.arange(p.shape[0])
    found = np.isfinite(z[rows, first]) & (nz[first] > 0.0)
    return np.where(found, first, -1)
