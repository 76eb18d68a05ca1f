"""The collision index of a scene: every floor and wall of a CityModel in two uniform grids, built once.

Rules this module keeps:
1. Triangles are sorted by their normal, not their SurfaceKind: what matters to a walker is whether a
   surface can be stood on, and loaders label surfaces differently (Delft's land cover is OTHER, glTF has
   no kinds at all). |normal z| >= FLOOR_MIN_NZ (flatter than about 72 degrees) makes a floor, steeper a
   wall; degenerate triangles are dropped.
2. Floors keep their full shape (three inward edge lines and a plane, see viewer.nav.collide); walls are
   reduced to the longest xy edge of the triangle and the triangle's z range. Walls are deduplicated (the
   two triangles of a rectangular wall make the same segment). Both are stored float32 (millimetres at
   10 km from the origin; 26 bytes per floor column set instead of 52) and widened to float64 per query.
3. The base plane at `base_z` (default: the model's lowest point, where render/ draws its ground) is the
   floor everywhere, so a walker outside the model stands on the drawn ground. A model with a terrain
   (model.terrain, city/terrain.py) adds the terrain's grid as floors, so walking follows the ground
   render/ draws over the model's area (its horizon rings are left out: huge cells every query returns).
   `ground_under(x, y)` is the drawn ground everywhere, rings included (the terrain's height, clamped to
   its edge beyond the grid, never below the base plane): the bodies of nav/kinematics.py never end below
   it, with collision on or off (nothing goes under the ground).
4. Building is vectorised over triangles (numpy only); a query cuts a Local (a few hundred primitives)
   out of the grids and answers from that, so its cost does not depend on the size of the city.
5. Streamed tiles (app/tiles_window.py): the index is rebuilt off the frame from the whole-file model plus
   the tiles loaded near the avatar (`from_models`) and swapped in with `replace_with`, so the objects that
   hold it keep it.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from viewer.city.terrain import Terrain
from viewer.city.terrain import mesh as terrain_mesh
from viewer.nav.collide import FLOOR_COLUMNS, WALL_COLUMNS, Local
from viewer.nav.grid import Grid

FLOOR_MIN_NZ = 0.3
MIN_WALL_LENGTH = 0.01  # metres in plan: a shorter steep triangle is a needle, not a wall


@dataclass
class CollisionIndex:
    """floors : (f, FLOOR_COLUMNS) float32 and their xy boxes floor_boxes : (f, 4) float32 (xmin ymin xmax
    ymax); walls : (w, WALL_COLUMNS) float32 (wall_table); grids over their xy boxes; base_z the height of
    the base plane; top_z the highest point (metres)."""

    floors: np.ndarray
    floor_boxes: np.ndarray
    walls: np.ndarray
    floor_grid: Grid
    wall_grid: Grid
    base_z: float
    top_z: float
    terrain: Terrain | None = None

    @classmethod
    def from_model(cls, model: Any, base_z: float | None = None) -> CollisionIndex:
        """Index a CityModel (vertices (v, 3), triangles (t, 3)); base_z defaults to its lowest z."""
        vertices = np.asarray(model.vertices, np.float64)
        triangles = np.asarray(model.triangles, np.int64).reshape(-1, 3)
        terrain = getattr(model, "terrain", None)
        if terrain is not None:  # rule 3
            ground, ground_triangles, _ = terrain_mesh(terrain, rings=0)
            triangles = np.concatenate([triangles, ground_triangles.astype(np.int64) + vertices.shape[0]])
            vertices = np.concatenate([vertices, ground])
        index = cls.from_triangles(vertices, triangles, base_z)
        index.terrain = terrain
        return index

    @classmethod
    def from_models(cls, models: list[Any], base_z: float, terrain: Terrain | None = None) -> CollisionIndex:
        """One index over several models (a scene's whole-file model and the streamed tiles loaded near the
        avatar: rule 5), with `terrain` (the scene's) as floors."""
        vertices, triangles, offset = [], [], 0
        for model in models:
            vertices.append(np.asarray(model.vertices, np.float64))
            triangles.append(np.asarray(model.triangles, np.int64).reshape(-1, 3) + offset)
            offset += vertices[-1].shape[0]
        if terrain is not None:
            ground, ground_triangles, _ = terrain_mesh(terrain, rings=0)
            vertices.append(np.asarray(ground, np.float64))
            triangles.append(ground_triangles.astype(np.int64) + offset)
        if not vertices:
            return cls.empty(base_z)
        index = cls.from_triangles(np.concatenate(vertices), np.concatenate(triangles), base_z)
        index.terrain = terrain
        return index

    def replace_with(self, other: CollisionIndex) -> None:
        """Take `other`'s contents in place: every walker, flyer and tool holding this index sees them (rule 5)."""
        for name in ("floors", "floor_boxes", "walls", "floor_grid", "wall_grid", "base_z", "top_z", "terrain"):
            setattr(self, name, getattr(other, name))
        self.__dict__.pop("_ray_box", None)  # a cached property of the old contents

    @classmethod
    def from_triangles(cls, vertices: np.ndarray, triangles: np.ndarray,
                       base_z: float | None = None) -> CollisionIndex:
        """Index triangles (t, 3) int into vertices (v, 3) float (local metres)."""
        if triangles.shape[0] == 0:
            return cls.empty(0.0 if base_z is None else base_z)
        x, y, z = (np.take(np.ascontiguousarray(vertices[:, i]), triangles) for i in range(3))  # (t, 3) each
        nx, ny, nz = _normals(x, y, z)
        length = np.sqrt(nx * nx + ny * ny + nz * nz)
        solid = length > 1e-12
        level = np.abs(nz) / np.where(solid, length, 1.0)
        is_floor = solid & (level >= FLOOR_MIN_NZ)
        floors, lo, hi = pack_floors(x[is_floor], y[is_floor], z[is_floor])
        walls = wall_table(pack_walls(x[solid & ~is_floor], y[solid & ~is_floor], z[solid & ~is_floor]))
        low = float(z.min()) if base_z is None else float(base_z)
        boxes = np.concatenate([lo, hi], axis=1).astype(np.float32)
        return cls(floors, boxes, walls, _grid_of_floors(floors, lo, hi), _grid_of_walls(walls), low,
                   float(z.max()))

    @classmethod
    def empty(cls, base_z: float = 0.0) -> CollisionIndex:
        """An index with nothing but the base plane."""
        return cls(np.zeros((0, FLOOR_COLUMNS), np.float32), np.zeros((0, 4), np.float32),
                   np.zeros((0, WALL_COLUMNS), np.float32),
                   Grid.build(np.zeros((0, 2)), np.zeros((0, 2))), Grid.build(np.zeros((0, 2)), np.zeros((0, 2))),
                   float(base_z), float(base_z))

    # ------------------------------------------------------------------ queries

    def local(self, xmin: float, ymin: float, xmax: float, ymax: float, with_walls: bool = True) -> Local:
        """The floors and walls whose xy boxes overlap the rectangle, ready for collide.Local queries
        (only the floors when with_walls is False).

        The grid answers by cells, then the boxes are tested exactly, so a small rectangle gives a small
        set (often no wall at all in the middle of a street) and the per-step queries stay cheap. A
        primitive listed in two cells may appear twice; every query tolerates that."""
        floors = self.floor_grid.query(xmin, ymin, xmax, ymax)
        box = self.floor_boxes[floors]
        floors = floors[(box[:, 0] <= xmax) & (box[:, 2] >= xmin) & (box[:, 1] <= ymax) & (box[:, 3] >= ymin)]
        walls = self.walls[self.wall_grid.query(xmin, ymin, xmax, ymax)] if with_walls else self.walls[:0]
        keep = (walls[:, 9] <= xmax) & (walls[:, 11] >= xmin) & (walls[:, 10] <= ymax) & (walls[:, 12] >= ymin)
        return Local(self.floors[floors], walls[keep], self.base_z)

    def ground(self, x: float, y: float, top: float = math.inf) -> tuple[float, float]:
        """(height, levelness) of the highest floor at (x, y) not above `top` (else the base plane)."""
        return self.local(x, y, x, y, with_walls=False).support(x, y, top)

    def ground_under(self, x: float, y: float) -> float:
        """Height of the drawn ground at (x, y): the terrain (clamped beyond its grid, as render/ draws
        its rings) or the base plane, whichever is higher (rule 3)."""
        if self.terrain is None:
            return self.base_z
        return max(self.base_z, drawn_height(self.terrain, x, y))

    def raycast(self, origin: Any, direction: Any, max_distance: float = 10_000.0) -> float | None:
        """Distance along `direction` (normalised here) from `origin` to the first floor, wall or base plane
        hit within max_distance; None when the ray hits nothing."""
        ox, oy, oz = (float(v) for v in origin)
        dx, dy, dz = (float(v) for v in direction)
        norm = math.sqrt(dx * dx + dy * dy + dz * dz)
        if norm == 0.0:
            return None
        o, d = (ox, oy, oz), (dx / norm, dy / norm, dz / norm)
        limit, base_hit = max_distance, None
        if d[2] < 0.0:  # the base plane stops every downward ray
            base = max((self.base_z - oz) / d[2], 0.0)
            if base <= max_distance:
                limit, base_hit = base, base
        for t0, t1 in self._chunks(o, d, limit):
            ax, ay, bx, by = ox + d[0] * t0, oy + d[1] * t0, ox + d[0] * t1, oy + d[1] * t1
            hit = self.local(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)).ray(o, d, t0, t1)
            if hit is not None:
                return hit
        return base_hit

    @functools.cached_property
    def _ray_box(self) -> tuple[list[float], list[float], float] | None:
        """The box rays are clipped to (lo, hi corners) and the chunk length; None for an empty index."""
        grids = [g for g in (self.floor_grid, self.wall_grid) if g.items.shape[0] or g.everywhere.shape[0]]
        if not grids:
            return None
        lo = [min(g.x0 for g in grids), min(g.y0 for g in grids), self.base_z]
        hi = [max(g.x0 + g.nx * g.cell for g in grids), max(g.y0 + g.ny * g.cell for g in grids), self.top_z]
        return lo, hi, 4.0 * max(g.cell for g in grids)

    def _chunks(self, o: tuple[float, ...], d: tuple[float, ...], limit: float) -> list[tuple[float, float]]:
        """Pieces of the ray (t ranges, each a few cells long) inside the index's box, in order."""
        if self._ray_box is None or limit <= 0.0:
            return []
        lo, hi, step = self._ray_box
        enter, leave = 0.0, limit
        for axis in range(3):  # slab clipping against the box
            if abs(d[axis]) < 1e-12:
                if not lo[axis] - 1e-6 <= o[axis] <= hi[axis] + 1e-6:
                    return []
                continue
            ta, tb = sorted(((lo[axis] - o[axis]) / d[axis], (hi[axis] - o[axis]) / d[axis]))
            enter, leave = max(enter, ta), min(leave, tb)
        count = math.ceil((leave - enter) / step) if leave > enter else 0
        return [(enter + i * step, min(enter + (i + 1) * step, leave) + 1e-9) for i in range(count)]


def drawn_height(terrain: Terrain, x: float, y: float) -> float:
    """The height of the terrain's triangles at (x, y) as city/terrain.py mesh() draws them (each cell cut
    along its (i, j)-(i+1, j+1) diagonal), clamped to the grid like its rings: exactly the drawn surface,
    where bilinear interpolation differs by centimetres on a relief. -inf over a cell the model's relief
    covers (not drawn: the relief's own triangles, floors of the index, are the ground there)."""
    g = terrain.heights
    ny, nx = g.shape
    fx = min(max((x - terrain.x0) / terrain.cell, 0.0), nx - 1.0)
    fy = min(max((y - terrain.y0) / terrain.cell, 0.0), ny - 1.0)
    j, i = min(int(fx), nx - 2), min(int(fy), ny - 2)
    tx, ty = fx - j, fy - i
    cov = terrain.covered
    if cov is not None and cov[i, j] and cov[i, j + 1] and cov[i + 1, j] and cov[i + 1, j + 1]:
        return -math.inf
    z00, z10, z01, z11 = (float(v) for v in (g[i, j], g[i, j + 1], g[i + 1, j], g[i + 1, j + 1]))
    if tx >= ty:
        return z00 + tx * (z10 - z00) + ty * (z11 - z10)
    return z00 + ty * (z01 - z00) + tx * (z11 - z01)


def _normals(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unnormalised normal (three (t,) arrays) of triangles given by corner columns (t, 3)."""
    e1x, e1y, e1z = x[:, 1] - x[:, 0], y[:, 1] - y[:, 0], z[:, 1] - z[:, 0]
    e2x, e2y, e2z = x[:, 2] - x[:, 0], y[:, 2] - y[:, 0], z[:, 2] - z[:, 0]
    return e1y * e2z - e1z * e2y, e1z * e2x - e1x * e2z, e1x * e2y - e1y * e2x


def pack_floors(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Floors (f, FLOOR_COLUMNS) float32 from corner columns (f, 3) float64 (see collide.Local), with
    their xy boxes lo, hi (f, 2) float64; triangles with no area in plan are dropped."""
    area2 = (x[:, 1] - x[:, 0]) * (y[:, 2] - y[:, 0]) - (x[:, 2] - x[:, 0]) * (y[:, 1] - y[:, 0])
    keep = np.abs(area2) > 1e-8
    x, y, z, area2 = x[keep], y[keep], z[keep], area2[keep]
    cw = area2 < 0.0  # make every triangle counter-clockwise in plan so "inside" is left of each edge
    for col in (x, y, z):
        col[cw, 1], col[cw, 2] = col[cw, 2].copy(), col[cw, 1].copy()
    out = np.zeros((x.shape[0], FLOOR_COLUMNS), np.float64)
    for i in range(3):
        j = (i + 1) % 3
        ex, ey = -(y[:, j] - y[:, i]), x[:, j] - x[:, i]
        length = np.maximum(np.hypot(ex, ey), 1e-12)
        ex, ey = ex / length, ey / length
        out[:, 3 * i], out[:, 3 * i + 1], out[:, 3 * i + 2] = ex, ey, -(ex * x[:, i] + ey * y[:, i])
    nx, ny, nz = _normals(x, y, z)
    a, b = -nx / nz, -ny / nz
    out[:, 9], out[:, 10], out[:, 11] = a, b, z[:, 0] - a * x[:, 0] - b * y[:, 0]
    out[:, 12] = np.abs(nz) / np.sqrt(nx * nx + ny * ny + nz * nz)
    lo = np.stack([_least(x), _least(y)], 1)
    hi = np.stack([_greatest(x), _greatest(y)], 1)
    return out.astype(np.float32), lo, hi


def pack_walls(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Walls (w, 6) float32, deduplicated: each steep triangle's longest xy edge and its z range."""
    lengths = np.stack([np.hypot(x[:, (i + 1) % 3] - x[:, i], y[:, (i + 1) % 3] - y[:, i]) for i in range(3)], 1)
    i = np.argmax(lengths, axis=1)
    j = (i + 1) % 3
    rows = np.arange(x.shape[0])
    walls = np.stack([x[rows, i], y[rows, i], x[rows, j], y[rows, j], _least(z), _greatest(z)], 1)
    walls = walls[lengths[rows, i] >= MIN_WALL_LENGTH]
    swap = (walls[:, 0] > walls[:, 2]) | ((walls[:, 0] == walls[:, 2]) & (walls[:, 1] > walls[:, 3]))
    walls[swap] = walls[swap][:, [2, 3, 0, 1, 4, 5]]  # one direction per segment, so duplicates match
    return _unique_rows(walls.astype(np.float32))


def _unique_rows(rows: np.ndarray) -> np.ndarray:
    """The distinct rows of a (n, 6) float32 array (in hash order). Sorting by a 64-bit hash of each row and
    comparing neighbours exactly is ~10x faster than np.unique(axis=0), and a hash collision can only keep
    a duplicate, never drop a distinct row."""
    if rows.shape[0] < 2:
        return rows.reshape(-1, 6)
    words = np.ascontiguousarray(rows).view(np.uint64)  # (n, 3): the 24 bytes of each row
    with np.errstate(over="ignore"):
        key = (words[:, 0] * np.uint64(0x9E3779B97F4A7C15)) ^ (words[:, 1] * np.uint64(0xC2B2AE3D27D4EB4F)) \
            ^ (words[:, 2] * np.uint64(0x165667B19E3779F9))
    order = np.argsort(key, kind="stable")
    words, key = words[order], key[order]
    repeat = np.zeros(rows.shape[0], bool)
    repeat[1:] = (key[1:] == key[:-1]) & (words[1:] == words[:-1]).all(axis=1)
    return rows[order][~repeat]


def _grid_of_floors(floors: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> Grid:
    return Grid.build(lo, hi) if floors.shape[0] else Grid.build(np.zeros((0, 2)), np.zeros((0, 2)))


def _least(a: np.ndarray) -> np.ndarray:
    """Row minimum of a (n, 3) array (column by column: reducing along a short axis is ~10x slower)."""
    return np.minimum(np.minimum(a[:, 0], a[:, 1]), a[:, 2])


def _greatest(a: np.ndarray) -> np.ndarray:
    return np.maximum(np.maximum(a[:, 0], a[:, 1]), a[:, 2])


def _grid_of_walls(walls: np.ndarray) -> Grid:
    return Grid.build(walls[:, 9:11].astype(np.float64), walls[:, 11:13].astype(np.float64))


def wall_table(walls: np.ndarray) -> np.ndarray:
    """Walls (w, WALL_COLUMNS) float32 from segments (w, 6): what every query needs, computed once."""
    w = walls.astype(np.float64).reshape(-1, 6)
    dx, dy = w[:, 2] - w[:, 0], w[:, 3] - w[:, 1]
    length = np.hypot(dx, dy)
    safe = np.maximum(length, 1e-9)
    box = [np.minimum(w[:, 0], w[:, 2]), np.minimum(w[:, 1], w[:, 3]), np.maximum(w[:, 0], w[:, 2]),
           np.maximum(w[:, 1], w[:, 3])]
    return np.column_stack([w, dx / safe, dy / safe, length, *box]).astype(np.float32)
