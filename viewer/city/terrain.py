"""The ground under a city: a regular height grid in local metres, from a DEM, the model's relief or its bases.

Rules this module keeps:
1. A Terrain is a grid of (ny, nx) float32 heights at x = x0 + j * cell, y = y0 + i * cell (local metres,
   heights relative to the frame's origin like every vertex). `height_at` is bilinear and clamps to the grid,
   so outside it a point gets the height of the nearest edge: the surface never extrapolates.
2. Where it comes from, first that applies (`build_terrain`):
   "dem"    the scene's [terrain] GeoTIFF, sampled at the grid points through the LocalFrame (any CRS);
   "relief" the model's own TERRAIN triangles (CityJSON TINRelief, CityGML Relief) rasterised onto the grid;
            `covered` marks the grid points they cover (render/ leaves those cells to the model's mesh);
   "bases"  interpolated from the lowest points of the objects of sources with real heights: the footprint
            vertices of standing objects at their base, and every vertex of flat ones (roads, lanes,
            junctions, plates); the lowest per cell, linear inside their convex hull, nearest (smoothed)
            outside it;
   "flat"   nothing to go by (every source is 2D, or no samples): a flat terrain at 0.
   A terrain whose heights are all equal is stored as a 2 x 2 grid (one cell): nothing more to draw.
3. Pure numpy (scipy for the Delaunay interpolation and nearest fills); nothing here loops over vertices.
4. A broken DEM (not a TIFF, no GeoTIFF tags, a CRS it cannot be moved from) raises LoadError naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from viewer.city.model import CityModel, SurfaceKind
from viewer.errors import CitiverseError, LoadError

MAX_POINTS = 256  # grid points along the longer side
MIN_CELL = 1.0  # metres
MARGIN_FRACTION = 0.05  # the grid reaches this share of the model's extent beyond it on every side
MAX_SAMPLES = 2_000_000  # vertices sampled for "bases" at most (an even stride beyond)
STANDING_MIN_HEIGHT = 1.0  # metres: taller objects give samples at their footprint only
FOOTPRINT_BAND = 0.05  # metres above an object's base that still count as its footprint
MAX_DELAUNAY = 8192  # more "bases" samples than this are dense enough to fill between on the grid
RELAX_ROUNDS = 64  # smoothing of the "bases" surface outside its samples' convex hull


@dataclass(frozen=True)
class Terrain:
    """x0, y0 : local metres of grid point (0, 0); cell : metres; heights : (ny, nx) float32; source : one
    of "dem", "relief", "bases", "flat"; covered : (ny, nx) bool or None (rule 2, "relief")."""

    x0: float
    y0: float
    cell: float
    heights: np.ndarray
    source: str
    covered: np.ndarray | None = None
    report: dict[str, Any] | None = None  # what seating did on it (city/seat.py SeatReport.describe())

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.heights.shape[0]), int(self.heights.shape[1])

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of the grid in local metres."""
        ny, nx = self.shape
        return self.x0, self.y0, self.x0 + (nx - 1) * self.cell, self.y0 + (ny - 1) * self.cell

    @property
    def height_range(self) -> tuple[float, float]:
        return float(self.heights.min()), float(self.heights.max())

    def xs(self) -> np.ndarray:
        return self.x0 + self.cell * np.arange(self.shape[1], dtype=np.float64)

    def ys(self) -> np.ndarray:
        return self.y0 + self.cell * np.arange(self.shape[0], dtype=np.float64)

    def height_at(self, x: Any, y: Any) -> np.ndarray:
        """Bilinear heights (same shape as x, y) float64 at local x, y; clamped to the grid (rule 1)."""
        fx = (np.asarray(x, np.float64) - self.x0) / self.cell
        fy = (np.asarray(y, np.float64) - self.y0) / self.cell
        return bilinear(self.heights, fx, fy)

    def describe(self) -> dict[str, Any]:
        """The `terrain` key of `citiverse inspect --json` (docs/inspect.md)."""
        lo, hi = self.height_range
        ny, nx = self.shape
        return {"source": self.source, "grid": [nx, ny], "cell": round(self.cell, 3),
                "extent": [round(v, 2) for v in self.extent], "height_range": [round(lo, 2), round(hi, 2)],
                "seating": self.report}


def bilinear(grid: np.ndarray, fx: np.ndarray, fy: np.ndarray) -> np.ndarray:
    """Bilinear samples of grid (ny, nx) at fractional column fx, row fy (any equal shapes), clamped."""
    ny, nx = grid.shape
    fx = np.clip(fx, 0.0, nx - 1.0)
    fy = np.clip(fy, 0.0, ny - 1.0)
    j = np.minimum(np.floor(fx).astype(np.int64), max(nx - 2, 0))
    i = np.minimum(np.floor(fy).astype(np.int64), max(ny - 2, 0))
    tx, ty = fx - j, fy - i
    j1, i1 = np.minimum(j + 1, nx - 1), np.minimum(i + 1, ny - 1)
    g = grid.astype(np.float64, copy=False)
    top = g[i, j] * (1.0 - tx) + g[i, j1] * tx
    bottom = g[i1, j] * (1.0 - tx) + g[i1, j1] * tx
    return top * (1.0 - ty) + bottom * ty


def flat(height: float = 0.0, extent: tuple[float, float, float, float] = (-1.0, -1.0, 1.0, 1.0)) -> Terrain:
    """A flat terrain at `height` over (xmin, ymin, xmax, ymax), as one cell (rule 2)."""
    x0, y0, x1, y1 = extent
    size = max(x1 - x0, y1 - y0, 1.0)
    return Terrain(x0, y0, size, np.full((2, 2), height, np.float32), "flat")


def plan_grid(lo: Any, hi: Any, max_points: int = MAX_POINTS) -> tuple[float, float, float, int, int]:
    """(x0, y0, cell, ny, nx) of a grid over the xy box lo..hi plus a margin, at most max_points a side."""
    lo, hi = np.asarray(lo, np.float64)[:2], np.asarray(hi, np.float64)[:2]
    size = np.maximum(hi - lo, 1.0)
    margin = MARGIN_FRACTION * float(size.max())
    lo, size = lo - margin, size + 2.0 * margin
    cell = max(MIN_CELL, float(size.max()) / (max_points - 1))
    nx, ny = (int(np.ceil(s / cell)) + 1 for s in size)
    return float(lo[0]), float(lo[1]), cell, max(ny, 2), max(nx, 2)


def _grid_points(x0: float, y0: float, cell: float, ny: int, nx: int) -> tuple[np.ndarray, np.ndarray]:
    """(ny, nx) float64 x and y of every grid point."""
    return np.meshgrid(x0 + cell * np.arange(nx), y0 + cell * np.arange(ny))


def _compact(terrain: Terrain) -> Terrain:
    """The terrain as one cell when all its heights are equal (rule 2)."""
    if terrain.heights.size > 4 and float(np.ptp(terrain.heights)) == 0.0:
        x0, y0, x1, y1 = terrain.extent
        return Terrain(x0, y0, max(x1 - x0, y1 - y0), np.full((2, 2), terrain.heights.flat[0], np.float32),
                       terrain.source)
    return terrain


# ---------------------------------------------------------------- (b) the model's relief


def relief_triangles(model: CityModel) -> np.ndarray:
    """(t, 3, 3) float64 corners of the model's TERRAIN triangles."""
    tri = model.triangles[model.vertex_kind[model.triangles[:, 0]] == SurfaceKind.TERRAIN]
    return model.vertices[tri].astype(np.float64) if tri.size else np.zeros((0, 3, 3))


def rasterize(corners: np.ndarray, x0: float, y0: float, cell: float, ny: int,
              nx: int) -> tuple[np.ndarray, np.ndarray]:
    """Heights (ny, nx) float64 (NaN where no triangle covers a point) and covered (ny, nx) bool of the
    triangles corners (t, 3, 3) at the grid points; the highest triangle wins where they overlap. Each
    triangle visits the grid points of its box, all triangles at once (np.repeat), no Python loop."""
    heights = np.full(ny * nx, -np.inf)
    if corners.shape[0]:
        x, y = corners[:, :, 0], corners[:, :, 1]
        j0 = np.clip(np.ceil((x.min(1) - x0) / cell - 1e-9), 0, nx).astype(np.int64)
        j1 = np.clip(np.floor((x.max(1) - x0) / cell + 1e-9), -1, nx - 1).astype(np.int64)
        i0 = np.clip(np.ceil((y.min(1) - y0) / cell - 1e-9), 0, ny).astype(np.int64)
        i1 = np.clip(np.floor((y.max(1) - y0) / cell + 1e-9), -1, ny - 1).astype(np.int64)
        w, h = np.maximum(j1 - j0 + 1, 0), np.maximum(i1 - i0 + 1, 0)
        count = w * h
        tri = np.repeat(np.arange(corners.shape[0]), count)
        k = np.arange(tri.size) - np.repeat(np.cumsum(count) - count, count)
        i, j = i0[tri] + k // np.maximum(w[tri], 1), j0[tri] + k % np.maximum(w[tri], 1)
        px, py = x0 + cell * j, y0 + cell * i
        a, b, c = corners[tri, 0], corners[tri, 1], corners[tri, 2]
        det = (b[:, 1] - c[:, 1]) * (a[:, 0] - c[:, 0]) + (c[:, 0] - b[:, 0]) * (a[:, 1] - c[:, 1])
        safe = np.where(det == 0, 1.0, det)
        u = ((b[:, 1] - c[:, 1]) * (px - c[:, 0]) + (c[:, 0] - b[:, 0]) * (py - c[:, 1])) / safe
        v = ((c[:, 1] - a[:, 1]) * (px - c[:, 0]) + (a[:, 0] - c[:, 0]) * (py - c[:, 1])) / safe
        eps = 1e-7
        inside = (det != 0) & (u >= -eps) & (v >= -eps) & (u + v <= 1.0 + eps)
        value = u * a[:, 2] + v * b[:, 2] + (1.0 - u - v) * c[:, 2]
        np.maximum.at(heights, (i * nx + j)[inside], value[inside])
    grid = heights.reshape(ny, nx)
    covered = np.isfinite(grid)
    return np.where(covered, grid, np.nan), covered


def fill_nearest(heights: np.ndarray) -> np.ndarray:
    """heights (ny, nx) with every NaN replaced by the nearest finite value (all NaN: zeros)."""
    from scipy import ndimage  # imported here: only terrains with gaps need it

    missing = ~np.isfinite(heights)
    if not missing.any():
        return heights
    if missing.all():
        return np.zeros_like(heights)
    _, (ii, jj) = ndimage.distance_transform_edt(missing, return_distances=True, return_indices=True)
    return heights[ii, jj]


def from_relief(model: CityModel, grid: tuple[float, float, float, int, int]) -> Terrain | None:
    """The model's TERRAIN triangles on the grid (rule 2, "relief"); None when it has none."""
    corners = relief_triangles(model)
    if corners.shape[0] == 0:
        return None
    x0, y0, cell, ny, nx = grid
    heights, covered = rasterize(corners, x0, y0, cell, ny, nx)
    if not covered.any():
        return None
    return Terrain(x0, y0, cell, fill_nearest(heights).astype(np.float32), "relief", covered)


# ---------------------------------------------------------------- (c) the bases of objects


def roots(model: CityModel) -> np.ndarray:
    """(n,) int: each object's root (itself when it has no parent)."""
    parents = model.objects.parents
    return np.where(parents >= 0, parents, np.arange(parents.size))


def standing_roots(model: CityModel) -> np.ndarray:
    """(n,) bool over objects: roots that stand up (have walls or roofs, or only unlabelled surfaces and at
    least STANDING_MIN_HEIGHT of height), as opposed to flat ones (roads, plates, water, relief)."""
    n = len(model.objects)
    root = roots(model)
    vertex_root = root[model.vertex_object]
    bits = np.zeros(n, np.int64)
    for kind in SurfaceKind:  # one bincount per kind: far faster than bitwise_or.at over every vertex
        has = np.bincount(vertex_root[model.vertex_kind == kind], minlength=n) > 0
        bits |= np.where(has, 1 << int(kind), 0)
    walls = (1 << SurfaceKind.WALL) | (1 << SurfaceKind.ROOF)
    height = np.nan_to_num(model.objects.height, nan=0.0) if model.objects.height is not None else np.zeros(n)
    only_other = bits == (1 << SurfaceKind.OTHER)
    return ((bits & walls) != 0) | (only_other & (height >= STANDING_MIN_HEIGHT))


def base_samples(model: CityModel, real_heights: np.ndarray) -> np.ndarray:
    """(k, 3) float64 samples of the ground (rule 2, "bases") from the vertices where real_heights (v,) bool
    is True: footprint vertices of standing objects (at their root's base) and all vertices of flat ones."""
    objects = model.objects
    if model.vertex_count == 0 or objects.bbox_min is None or not real_heights.any():
        return np.zeros((0, 3))
    root = roots(model)
    standing = standing_roots(model)
    step = max(1, -(-model.vertex_count // MAX_SAMPLES))
    rows = np.flatnonzero(real_heights[::step]) * step
    vertex_root = root[model.vertex_object[rows]]
    base = objects.bbox_min[vertex_root, 2].astype(np.float64)
    tall = standing[vertex_root]
    z = model.vertices[rows, 2].astype(np.float64)
    kind = model.vertex_kind[rows]
    keep = (kind != SurfaceKind.TERRAIN) & (~tall | (z <= base + FOOTPRINT_BAND))
    out = model.vertices[rows[keep]].astype(np.float64)
    out[:, 2] = np.where(tall[keep], base[keep], z[keep])
    return out


def from_samples(samples: np.ndarray, grid: tuple[float, float, float, int, int]) -> Terrain | None:
    """A surface through samples (k, 3): the lowest per grid cell, linear between them (Delaunay) inside
    their convex hull and the nearest one outside (rule 2, "bases"); None without samples."""
    if samples.shape[0] == 0:
        return None
    x0, y0, cell, ny, nx = grid
    # The lowest sample per cell, placed on the cell's grid point: Qhull is fast on points of an exact grid
    # and very slow on the near-grid corners of a real city (15 s for 65k points).
    points = _lowest_per_cell(samples, x0, y0, cell, ny, nx)
    col = np.clip(np.rint((points[:, 0] - x0) / cell), 0, nx - 1).astype(np.int64)
    row = np.clip(np.rint((points[:, 1] - y0) / cell), 0, ny - 1).astype(np.int64)
    points[:, 0], points[:, 1] = x0 + col * cell, y0 + row * cell
    if points.shape[0] > MAX_DELAUNAY:  # samples in most cells: the gaps are small, fill them on the grid
        heights = np.full((ny, nx), np.nan)
        heights[row, col] = points[:, 2]
        fixed = np.isfinite(heights)
        return Terrain(x0, y0, cell, _relax(fill_nearest(heights), fixed).astype(np.float32), "bases")
    gx, gy = _grid_points(x0, y0, cell, ny, nx)
    if float(np.ptp(points[:, 2])) == 0.0:
        heights = np.full((ny, nx), points[0, 2])
    else:
        heights = _interpolate(points, gx, gy)
    return Terrain(x0, y0, cell, heights.astype(np.float32), "bases")


def _lowest_per_cell(samples: np.ndarray, x0: float, y0: float, cell: float, ny: int, nx: int) -> np.ndarray:
    """(m, 3): per occupied grid cell (cells centred on grid points) its lowest sample: the ground is under
    whatever stands or runs there (a road on a slope, a bridge deck), so every other sample stays visible."""
    j = np.clip(np.rint((samples[:, 0] - x0) / cell), 0, nx - 1).astype(np.int64)
    i = np.clip(np.rint((samples[:, 1] - y0) / cell), 0, ny - 1).astype(np.int64)
    key = i * nx + j
    order = np.lexsort((samples[:, 2], key))
    key = key[order]
    start = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
    return samples[order[start]]


def _interpolate(points: np.ndarray, gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """Linear interpolation of points (m, 3) at gx, gy (ny, nx), nearest point outside the convex hull."""
    from scipy.interpolate import LinearNDInterpolator, NearestNDInterpolator  # heavy: only when needed
    from scipy.spatial import QhullError

    nearest = NearestNDInterpolator(points[:, :2], points[:, 2])(gx, gy)
    if points.shape[0] < 3:
        return nearest
    try:
        linear = LinearNDInterpolator(points[:, :2], points[:, 2])(gx, gy)
    except QhullError:  # all samples on a line: no triangles to interpolate in
        return nearest
    inside = np.isfinite(linear)
    return _relax(np.where(inside, linear, nearest), inside)


def _relax(heights: np.ndarray, fixed: np.ndarray, rounds: int = RELAX_ROUNDS) -> np.ndarray:
    """heights with the cells not `fixed` smoothed by `rounds` of neighbour averaging (a few steps toward
    the harmonic surface through the fixed ones): nearest values leave terraces, this rounds them off and
    stays within the values' range."""
    out = heights.copy()
    for _ in range(rounds):
        padded = np.pad(out, 1, mode="edge")
        mean = 0.25 * (padded[:-2, 1:-1] + padded[2:, 1:-1] + padded[1:-1, :-2] + padded[1:-1, 2:])
        out = np.where(fixed, out, mean)
    return out


# ---------------------------------------------------------------- (a) a GeoTIFF DEM


def from_dem(path: Path, crs: str | None, vertical_offset: float, frame: Any,
             grid: tuple[float, float, float, int, int]) -> Terrain:
    """The DEM's heights at the grid points (rule 2, "dem"): each grid point moved from local metres to the
    DEM's CRS (its own GeoKeys, else `crs`, else the scene's), sampled bilinearly, plus vertical_offset and
    minus the frame's origin height. Points off the DEM or on no-data take the nearest valid height."""
    from viewer.city.geotiff import read_geotiff  # tifffile is only needed with a DEM

    dem = read_geotiff(path)
    dem_crs = dem.crs or crs or frame.crs
    if dem_crs is None:
        raise LoadError(path, "the DEM declares no CRS and the scene has none: set [terrain] crs")
    x0, y0, cell, ny, nx = grid
    gx, gy = _grid_points(x0, y0, cell, ny, nx)
    plane = np.stack([gx.ravel() + frame.origin_xy[0], gy.ravel() + frame.origin_xy[1]], axis=1)
    try:
        from viewer.geo.frame import transform_xy

        xy = plane if frame.plane is None else transform_xy(plane, frame.plane, dem_crs)
    except CitiverseError as exc:
        raise LoadError(path, f"cannot place the DEM ({dem_crs}) in the scene: {exc}") from None
    col, row = dem.pixel_of(xy[:, 0], xy[:, 1])
    height, rows, cols = dem.heights, dem.heights.shape[0], dem.heights.shape[1]
    off = (col < -0.5) | (row < -0.5) | (col > cols - 0.5) | (row > rows - 0.5)
    valid = np.isfinite(height)
    if not valid.any():
        raise LoadError(path, "the DEM holds no valid height")
    values = bilinear(np.where(valid, height, np.nan), col, row)
    values[off] = np.nan
    grid_heights = values.reshape(ny, nx) + vertical_offset - frame.origin_z
    if not np.isfinite(grid_heights).any():
        raise LoadError(path, f"the DEM does not cover the scene (its CRS: {dem_crs})")
    return Terrain(x0, y0, cell, fill_nearest(grid_heights).astype(np.float32), "dem")


# ---------------------------------------------------------------- choosing


def build_terrain(model: CityModel, frame: Any, real_heights: np.ndarray, dem: Path | None = None,
                  dem_crs: str | None = None, vertical_offset: float = 0.0) -> Terrain:
    """The terrain under `model` (rule 2). real_heights (v,) bool marks vertices of sources whose heights
    are real (not 2D footprints extruded from 0); only those give "bases" samples."""
    lo, hi = model.bounds()
    grid = plan_grid(lo, hi)
    if dem is not None:
        return _compact(from_dem(dem, dem_crs, vertical_offset, frame, grid))
    for terrain in (from_relief(model, grid), from_samples(base_samples(model, real_heights), grid)):
        if terrain is not None:
            return _compact(terrain)
    x0, y0, cell, ny, nx = grid
    return flat(0.0, (x0, y0, x0 + cell * (nx - 1), y0 + cell * (ny - 1)))


def mesh(terrain: Terrain, reach: float = 20.0, rings: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The terrain as triangles out to the horizon: (vertices (n, 3) float64, triangles (t, 3) uint32,
    inner (t,) bool). The grid's own x and y lines are extended by `rings` lines on every side, spaced
    geometrically out to `reach` times the grid's size, at the heights of the nearest edge (rule 1): one
    rectilinear grid, so the skirt needs no code of its own. inner marks triangles of the grid itself;
    triangles of cells whose four corners the model's relief covers are left out (that mesh draws there)."""
    xs, ys = terrain.xs(), terrain.ys()
    size = max(xs[-1] - xs[0], ys[-1] - ys[0], 1.0)
    steps = size * reach ** (np.arange(1, rings + 1) / max(rings, 1))
    xs = np.concatenate([xs[0] - steps[::-1], xs, xs[-1] + steps])
    ys = np.concatenate([ys[0] - steps[::-1], ys, ys[-1] + steps])
    gx, gy = np.meshgrid(xs, ys)
    gz = terrain.height_at(gx, gy)
    vertices = np.stack([gx.ravel(), gy.ravel(), gz.ravel()], axis=1)
    ny, nx = gz.shape
    corner = (np.arange(ny - 1)[:, None] * nx + np.arange(nx - 1)[None, :]).ravel()
    quads = np.stack([corner, corner + 1, corner + nx + 1, corner + nx], axis=1)
    ci, cj = np.divmod(np.arange(corner.size), nx - 1)
    inner_cell = (ci >= rings) & (ci < ny - 1 - rings) & (cj >= rings) & (cj < nx - 1 - rings)
    keep = np.ones(corner.size, bool)
    if terrain.covered is not None:
        cov = terrain.covered
        hole = cov[:-1, :-1] & cov[:-1, 1:] & cov[1:, :-1] & cov[1:, 1:]
        keep[inner_cell] = ~hole.ravel()
    quads, inner_cell = quads[keep], inner_cell[keep]
    triangles = np.concatenate([quads[:, [0, 1, 2]], quads[:, [0, 2, 3]]]).astype(np.uint32)
    return vertices, triangles, np.concatenate([inner_cell, inner_cell])
