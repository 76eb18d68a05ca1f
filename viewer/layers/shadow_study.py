"""Shadow studies: hours of direct sun on a grid over the city for a day (`citiverse shadow`, docs/look.md).

Rules this module keeps:
1. Pure and CPU only: numpy in, numpy out; no Panda3D, no files. The app writes the results.
2. The city is rasterised once into a height field of its top surfaces (roofs, ground surfaces, the terrain
   where the model has none), one value per grid cell centre; walls are left out (their top edges are the
   roofs' edges). Each cell also keeps the root object (the building) whose surface is on top, or -1.
3. A cell is lit at a sun position when no cell along the ray toward the sun rises above that ray: a
   2.5D ray march through the height field, one whole-grid numpy comparison per cell of distance, out to
   where the ray clears the highest surface (or MAX_REACH metres). A blocker is a solid column over its whole
   cell: the ray meets it at its near edge, half a cell before its centre, at the edge's height (near_edge),
   so a wall's shadow length is right within a cell and a gentle slope does not shadow itself. Overhangs are
   filled down to the ground.
4. Hours are the trapezoid rule over the sample times: the first and last sample weigh half a step, so
   a cell lit all day from 08:00 to 16:00 gets exactly 8 hours whatever the step.
5. Casters outside the study area still cast into it: the height field covers the area grown by the reach
   of the lowest sun sampled (within the model's box), and the result is cut back to the area.
7. One colour ramp for the hours (RAMP, colours): the command's picture (app/shadow_study.py) and the
   window's overlay (render/shadow_hours.py) colour the same hours alike. sun_hours reports each sun
   position done to an optional `progress(done, total)`, which the window's background step shows.
6. Facades (cheap, coarse): one sample per wall triangle at its centroid, looked up in the cell just outside
   the wall on its open side; lit when the wall faces the sun and the ray from that cell at the centroid's
   height clears the horizon. A wall's hours are all-or-nothing per step, so per building only the
   area-weighted mean over its walls is reported.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from viewer.city.model import CityModel, SurfaceKind
from viewer.errors import CitiverseError

MAX_REACH = 300.0  # metres: no shadow is followed farther (a 30 m building at 5.7 degrees)
SURFACE_EPS = 0.05  # metres a blocker must rise above the ray: a flat roof does not shadow itself
MIN_ELEVATION = 0.5  # degrees: a sun lower than this lights nothing (refraction and haze)
PAIR_CHUNK = 2_000_000  # (triangle, cell) candidates rasterised at a time
MAX_CELLS = 40_000_000
BRE_HOURS = 2.0  # BRE 209: at least half of an amenity area with 2 hours of sun on 21 March
UNCOVERED_KINDS = (SurfaceKind.GROUND, SurfaceKind.TERRAIN, SurfaceKind.ROAD, SurfaceKind.WATER)
RAMP = np.array([  # hours 0 .. full: night blue through teal and green to sun yellow (rule 7)
    [38, 28, 84], [52, 94, 141], [33, 145, 140], [94, 201, 98], [253, 231, 37]], np.float64)


def colours(hours: np.ndarray, full: float) -> np.ndarray:
    """(..., 3) uint8 of the ramp for `hours` from 0 to `full` (rule 7)."""
    t = np.clip(np.asarray(hours, np.float64) / max(full, 1e-9), 0.0, 1.0) * (len(RAMP) - 1)
    i = np.minimum(t.astype(np.int64), len(RAMP) - 2)
    f = (t - i)[..., None]
    return np.round(RAMP[i] * (1 - f) + RAMP[i + 1] * f).astype(np.uint8)


class StudyTooLarge(CitiverseError, ValueError):
    """The study's grid would hold more than MAX_CELLS cells."""


@dataclass(frozen=True)
class Grid:
    """Cells of `res` metres; x0, y1 the north-west corner in local metres; row 0 is the north row."""

    x0: float
    y1: float
    res: float
    ny: int
    nx: int

    @classmethod
    def over(cls, area: tuple[float, float, float, float], res: float) -> Grid:
        x0, y0, x1, y1 = area
        nx, ny = max(1, math.ceil((x1 - x0) / res - 1e-9)), max(1, math.ceil((y1 - y0) / res - 1e-9))
        return cls(float(x0), float(y0) + ny * res, float(res), int(ny), int(nx))

    @property
    def area(self) -> tuple[float, float, float, float]:
        return self.x0, self.y1 - self.ny * self.res, self.x0 + self.nx * self.res, self.y1

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """(nx,) x and (ny,) y of the cell centres, local metres."""
        return (self.x0 + (np.arange(self.nx) + 0.5) * self.res, self.y1 - (np.arange(self.ny) + 0.5) * self.res)


@dataclass
class Surface:
    """height : (ny, nx) float32 top surface; owner : (ny, nx) int32 root object or -1; covered : (ny, nx) bool
    (a building's surface is on top, not ground)."""

    grid: Grid
    height: np.ndarray
    owner: np.ndarray
    covered: np.ndarray


@dataclass
class Study:
    """hours : (ny, nx) float32 of direct sun over `grid` (the study area); covered, owner as in Surface."""

    grid: Grid
    hours: np.ndarray
    covered: np.ndarray
    owner: np.ndarray
    times: list[datetime]
    total_hours: float
    lit_steps: int
    facade_hours: dict[int, tuple[float, float]] | None = None  # root -> (mean hours, wall area m2), rule 6

    def bre_share(self, hours: float = BRE_HOURS) -> float:
        """Share (0..1) of the open ground (not under a building) with at least `hours` of sun."""
        ground = ~self.covered
        return float((self.hours[ground] >= hours - 1e-6).mean()) if ground.any() else 0.0

    def roof_hours(self) -> dict[int, tuple[float, float]]:
        """root object -> (mean roof sun hours, roof area m2) over the cells it covers in the area."""
        owners = self.owner[self.covered]
        if owners.size == 0:
            return {}
        sums = np.bincount(owners, weights=self.hours[self.covered].astype(np.float64))
        counts = np.bincount(owners)
        cell_area = self.grid.res ** 2
        return {int(i): (float(sums[i] / counts[i]), float(counts[i] * cell_area)) for i in np.flatnonzero(counts)}


def root_objects(model: CityModel) -> np.ndarray:
    """(n,) int32: each object's topmost parent (itself when it has none)."""
    parents = np.asarray(model.objects.parents, np.int64)
    root = np.arange(len(parents), dtype=np.int64)
    for _ in range(16):  # CityJSON nests parts one or two deep
        up = parents[root]
        step = up >= 0
        if not step.any():
            break
        root[step] = up[step]
    return root.astype(np.int32)


def rasterize(model: CityModel, grid: Grid) -> Surface:
    """The top surfaces of `model` at the cell centres of `grid` (rule 2)."""
    height = np.full((grid.ny, grid.nx), -np.inf, np.float32)
    owner = np.full((grid.ny, grid.nx), -1, np.int32)
    covered = np.zeros((grid.ny, grid.nx), bool)
    tris = np.asarray(model.triangles, np.int64)
    if len(tris):
        kinds = model.vertex_kind[tris[:, 0]]
        tris = tris[kinds != SurfaceKind.WALL]
    if len(tris):
        roots = root_objects(model)
        tri_owner = roots[model.vertex_object[tris[:, 0]]] if len(roots) else np.full(len(tris), -1, np.int32)
        tri_covers = ~np.isin(model.vertex_kind[tris[:, 0]], np.array(UNCOVERED_KINDS, np.uint8))
        corners = model.vertices[tris].astype(np.float64)  # (t, 3, 3)
        for start in _chunks(corners, grid):
            _rasterize_chunk(corners[start[0]:start[1]], tri_owner[start[0]:start[1]],
                             tri_covers[start[0]:start[1]], grid, height, owner, covered)
    _fill_ground(model, grid, height)
    return Surface(grid, height, owner, covered)


def _cell_ranges(corners: np.ndarray, grid: Grid) -> tuple[np.ndarray, ...]:
    """Per triangle, the first and last column and row whose centres its xy box holds (clipped to the grid)."""
    x, y = corners[:, :, 0], corners[:, :, 1]
    c0 = np.clip(np.ceil((x.min(axis=1) - grid.x0) / grid.res - 0.5), 0, grid.nx).astype(np.int64)
    c1 = np.clip(np.floor((x.max(axis=1) - grid.x0) / grid.res - 0.5), -1, grid.nx - 1).astype(np.int64)
    r0 = np.clip(np.ceil((grid.y1 - y.max(axis=1)) / grid.res - 0.5), 0, grid.ny).astype(np.int64)
    r1 = np.clip(np.floor((grid.y1 - y.min(axis=1)) / grid.res - 0.5), -1, grid.ny - 1).astype(np.int64)
    return c0, c1, r0, r1


def _chunks(corners: np.ndarray, grid: Grid) -> list[tuple[int, int]]:
    """Triangle ranges of about PAIR_CHUNK candidate cells each."""
    c0, c1, r0, r1 = _cell_ranges(corners, grid)
    pairs = np.cumsum(np.maximum(c1 - c0 + 1, 0) * np.maximum(r1 - r0 + 1, 0))
    out, start = [], 0
    while start < len(corners):
        base = pairs[start - 1] if start else 0
        stop = max(start + 1, int(np.searchsorted(pairs, base + PAIR_CHUNK, side="right")))
        out.append((start, min(stop, len(corners))))
        start = stop
    return out


def _rasterize_chunk(corners: np.ndarray, tri_owner: np.ndarray, tri_covers: np.ndarray, grid: Grid,
                     height: np.ndarray, owner: np.ndarray, covered: np.ndarray) -> None:
    c0, c1, r0, r1 = _cell_ranges(corners, grid)
    w, h = np.maximum(c1 - c0 + 1, 0), np.maximum(r1 - r0 + 1, 0)
    count = w * h
    tri = np.repeat(np.arange(len(corners)), count)
    if tri.size == 0:
        return
    k = np.arange(tri.size) - np.repeat(np.cumsum(count) - count, count)  # index within each triangle's box
    col, row = c0[tri] + k % w[tri], r0[tri] + k // w[tri]
    px, py = grid.x0 + (col + 0.5) * grid.res, grid.y1 - (row + 0.5) * grid.res
    a, b, c = corners[tri, 0], corners[tri, 1], corners[tri, 2]
    det = (b[:, 1] - c[:, 1]) * (a[:, 0] - c[:, 0]) + (c[:, 0] - b[:, 0]) * (a[:, 1] - c[:, 1])
    flat = np.abs(det) < 1e-9  # vertical in plan: a wall-like sliver, nothing to see from above
    det = np.where(flat, 1.0, det)
    l1 = ((b[:, 1] - c[:, 1]) * (px - c[:, 0]) + (c[:, 0] - b[:, 0]) * (py - c[:, 1])) / det
    l2 = ((c[:, 1] - a[:, 1]) * (px - c[:, 0]) + (a[:, 0] - c[:, 0]) * (py - c[:, 1])) / det
    l3 = 1.0 - l1 - l2
    inside = ~flat & (l1 >= -1e-9) & (l2 >= -1e-9) & (l3 >= -1e-9)
    z = (l1 * a[:, 2] + l2 * b[:, 2] + l3 * c[:, 2])[inside]
    cell = (row * grid.nx + col)[inside]
    tri = tri[inside]
    order = np.lexsort((z, cell))  # per cell, the highest surface last
    cell, z, tri = cell[order], z[order], tri[order]
    last = np.r_[cell[1:] != cell[:-1], True]
    cell, z, tri = cell[last], z[last], tri[last]
    flat_height = height.reshape(-1)
    higher = z > flat_height[cell]
    cell, z, tri = cell[higher], z[higher], tri[higher]
    flat_height[cell] = z
    owner.reshape(-1)[cell] = np.where(tri_covers[tri], tri_owner[tri], -1)
    covered.reshape(-1)[cell] = tri_covers[tri]


def _fill_ground(model: CityModel, grid: Grid, height: np.ndarray) -> None:
    """Cells no surface covers take the terrain's height, else the model's lowest point."""
    empty = ~np.isfinite(height)
    if not empty.any():
        return
    terrain = model.terrain
    if terrain is not None:
        xs, ys = grid.centres()
        gx, gy = np.meshgrid(xs, ys)
        height[empty] = terrain.height_at(gx[empty], gy[empty]).astype(np.float32)
    else:
        height[empty] = float(model.bounds()[0][2]) if model.vertex_count else 0.0


def lit(surface: Surface, azimuth: float, elevation: float) -> np.ndarray:
    """(ny, nx) bool: cells in direct sun with the sun at (azimuth, elevation) degrees (rule 3)."""
    if elevation < MIN_ELEVATION:
        return np.zeros(surface.height.shape, bool)
    return horizon(surface, azimuth, elevation) <= surface.height + SURFACE_EPS


def horizon(surface: Surface, azimuth: float, elevation: float) -> np.ndarray:
    """(ny, nx) float32: per cell, the height a point there must reach to see the sun (-inf: nothing blocks)."""
    h = surface.height
    res = surface.grid.res
    rise = math.tan(math.radians(elevation)) * res  # metres the ray climbs per cell
    east, north = math.sin(math.radians(azimuth)), math.cos(math.radians(azimuth))
    reach = min(MAX_REACH / res, float(h.max() - h.min()) / rise)
    top = np.full(h.shape, -np.inf, np.float32)  # highest blocker minus the ray's climb to it
    edge = near_edge(h, -int(round(east)), int(round(north)), res)
    ny, nx = h.shape
    for d in range(1, int(math.ceil(reach)) + 1):
        dc, dr = int(round(d * east)), -int(round(d * north))  # row 0 is north: north is a smaller row
        if abs(dc) >= nx or abs(dr) >= ny:
            break
        src = edge[max(dr, 0):ny + min(dr, 0), max(dc, 0):nx + min(dc, 0)]
        dst = top[max(-dr, 0):ny + min(-dr, 0), max(-dc, 0):nx + min(-dc, 0)]
        np.maximum(dst, src - np.float32((d - 0.5) * rise), out=dst)  # the ray enters the blocker's cell
    return top


def near_edge(h: np.ndarray, dc: int, dr: int, res: float) -> np.ndarray:
    """(ny, nx) float32: each cell's height at its edge toward its neighbour (dc, dr) away from the sun, where
    the ray from a receiver enters it (rule 3): its own height at a step (a wall: the two differ by more than
    a cell's width), else the mean of the two (a slope: a roof facing away from the sun is shadowed by itself
    only when it is steeper than the sun)."""
    ny, nx = h.shape
    prev = h.copy()
    prev[max(-dr, 0):ny + min(-dr, 0), max(-dc, 0):nx + min(-dc, 0)] = \
        h[max(dr, 0):ny + min(dr, 0), max(dc, 0):nx + min(dc, 0)]
    return np.where(np.abs(h - prev) > res, h, 0.5 * (h + prev)).astype(np.float32)


@dataclass
class Facades:
    """Rule 6: one sample per wall triangle. cell : (k,) flat index into the casting grid; z, area : (k,);
    normal : (k, 2) unit outward (east, north); owner : (k,) root object."""

    cell: np.ndarray
    z: np.ndarray
    area: np.ndarray
    normal: np.ndarray
    owner: np.ndarray

    def lit(self, top: np.ndarray, azimuth: float, elevation: float) -> np.ndarray:
        """(k,) bool: samples facing the sun and clear of the horizon `top` (horizon() of the casting grid)."""
        toward = np.array([math.sin(math.radians(azimuth)), math.cos(math.radians(azimuth))])
        return (self.normal @ toward > 0.0) & (top.reshape(-1)[self.cell] <= self.z + SURFACE_EPS)

    def per_building(self, hours: np.ndarray) -> dict[int, tuple[float, float]]:
        if self.owner.size == 0:
            return {}
        area = np.bincount(self.owner, weights=self.area)
        sums = np.bincount(self.owner, weights=self.area * hours)
        return {int(i): (float(sums[i] / area[i]), float(area[i])) for i in np.flatnonzero(area > 0)}


def facades(model: CityModel, surface: Surface, area: tuple[float, float, float, float]) -> Facades:
    """Rule 6's samples of the walls whose centroid lies in `area`."""
    grid = surface.grid
    tris = np.asarray(model.triangles, np.int64)
    tris = tris[model.vertex_kind[tris[:, 0]] == SurfaceKind.WALL] if len(tris) else tris
    corners = model.vertices[tris].astype(np.float64)
    centre = corners.mean(axis=1) if len(tris) else np.zeros((0, 3))
    cross = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0]) if len(tris) else centre
    flat_len = np.hypot(cross[:, 0], cross[:, 1])
    keep = (flat_len > 1e-9) & (centre[:, 0] >= area[0]) & (centre[:, 0] < area[2]) \
        & (centre[:, 1] >= area[1]) & (centre[:, 1] < area[3])
    centre, cross, flat_len, tris = centre[keep], cross[keep], flat_len[keep], tris[keep]
    normal = cross[:, :2] / flat_len[:, None]
    cell_out, open_out = _side_cell(grid, surface, centre, normal)
    cell_in, open_in = _side_cell(grid, surface, centre, -normal)
    flip = ~open_out & open_in  # the winding points into the building: face the open side
    normal[flip] *= -1.0
    cell = np.where(flip, cell_in, cell_out)
    roots = root_objects(model)
    return Facades(cell, centre[:, 2], 0.5 * np.linalg.norm(cross, axis=1), normal,
                   roots[model.vertex_object[tris[:, 0]]].astype(np.int64))


def _side_cell(grid: Grid, surface: Surface, centre: np.ndarray, normal: np.ndarray) -> tuple[np.ndarray, ...]:
    """Flat cell index 0.75 cell off each centroid along `normal`, and whether that cell is open there (its top
    below the centroid)."""
    x = centre[:, 0] + 0.75 * grid.res * normal[:, 0]
    y = centre[:, 1] + 0.75 * grid.res * normal[:, 1]
    col = np.clip(((x - grid.x0) / grid.res).astype(np.int64), 0, grid.nx - 1)
    row = np.clip(((grid.y1 - y) / grid.res).astype(np.int64), 0, grid.ny - 1)
    cell = row * grid.nx + col
    return cell, surface.height.reshape(-1)[cell] < centre[:, 2]


def weights(times: list[datetime]) -> np.ndarray:
    """(n,) hours each sample stands for (rule 4)."""
    if len(times) < 2:
        return np.zeros(len(times))
    gaps = np.array([(b - a).total_seconds() / 3600.0 for a, b in zip(times[:-1], times[1:], strict=True)])
    out = np.zeros(len(times))
    out[:-1] += gaps / 2.0
    out[1:] += gaps / 2.0
    return out


def study_grid(model: CityModel, area: tuple[float, float, float, float], res: float,
               lowest_elevation: float) -> tuple[Grid, tuple[int, int]]:
    """The casting grid (rule 5) and the (row, col) of the study area's north-west cell in it."""
    lo, hi = model.bounds()
    span = float(hi[2] - lo[2]) if model.vertex_count else 0.0
    reach = min(MAX_REACH, span / math.tan(math.radians(max(lowest_elevation, MIN_ELEVATION))))
    target = Grid.over(area, res)
    ax0, ay0, ax1, ay1 = target.area
    grow_x0 = math.floor(max(0.0, ax0 - max(float(lo[0]), ax0 - reach)) / res)
    grow_y0 = math.floor(max(0.0, ay0 - max(float(lo[1]), ay0 - reach)) / res)
    grow_x1 = math.floor(max(0.0, min(float(hi[0]), ax1 + reach) - ax1) / res)
    grow_y1 = math.floor(max(0.0, min(float(hi[1]), ay1 + reach) - ay1) / res)
    grid = Grid(ax0 - grow_x0 * res, ay1 + grow_y1 * res, res, target.ny + grow_y0 + grow_y1,
                target.nx + grow_x0 + grow_x1)
    return grid, (grow_y1, grow_x0)


def sun_hours(model: CityModel, area: tuple[float, float, float, float], res: float, times: list[datetime],
              suns: list[tuple[float, float]], progress: Callable[[int, int], None] | None = None) -> Study:
    """Hours of direct sun over `area` (x0, y0, x1, y1 local metres) at `res` metres, the sun at `suns`
    ((azimuth, elevation) degrees, one per time in `times`); `progress(done, total)` after each (rule 7)."""
    up = [el for _, el in suns if el >= MIN_ELEVATION]
    grid, (r0, c0) = study_grid(model, area, res, min(up) if up else 90.0)
    if grid.nx * grid.ny > MAX_CELLS:
        raise StudyTooLarge(f"{grid.nx} x {grid.ny} cells (the area and the shadows cast into it) is more than "
                            f"{MAX_CELLS:,}: use coarser cells or a smaller area")
    surface = rasterize(model, grid)
    target = Grid.over(area, res)
    window = (slice(r0, r0 + target.ny), slice(c0, c0 + target.nx))
    walls = facades(model, surface, target.area)
    hours = np.zeros((target.ny, target.nx), np.float64)
    wall_hours = np.zeros(len(walls.z))
    lit_steps = 0
    for step, (weight, (az, el)) in enumerate(zip(weights(times), suns, strict=True)):
        if progress is not None:
            progress(step, len(suns))
        if el < MIN_ELEVATION or weight == 0.0:
            continue
        top = horizon(surface, az, el)
        hours += weight * (top <= surface.height + SURFACE_EPS)[window]
        wall_hours += weight * walls.lit(top, az, el)
        lit_steps += 1
    total = float(weights(times).sum())
    if progress is not None:
        progress(len(suns), len(suns))
    return Study(target, hours.astype(np.float32), surface.covered[window].copy(), surface.owner[window].copy(),
                 list(times), total, lit_steps, walls.per_building(wall_hours))
