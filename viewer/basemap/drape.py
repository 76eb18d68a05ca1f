"""Which map tiles cover the terrain for a view, and the small meshes that lay them on it.

Rules this module keeps:
1. Placement ties the scene's local metres to web-mercator world coordinates (mercator.py) through the
   scene's LocalFrame, so a tile lands where its lon/lat says in any scene CRS. A scene without a CRS gets a
   stand-in frame at lon 0, lat 0 (only the neutral map, drawn from the model itself, can be shown there).
2. Selection is a quadtree cut over the tiles covering `region` (the terrain mesh's extent out to the
   horizon): starting from a zoom where the region spans a few tiles, the tile whose texel looks biggest on
   screen (texel metres / distance * pixels per radian) is split first, while that size exceeds
   MAX_TEXEL_PIXELS, the tile is in the view frustum, the source has a finer zoom and the leaf budget
   allows. Coarse far, fine near; the same view always gives the same leaves (ties break by tile order).
3. Each leaf is drawn as its own grid of cells laid on a regular mercator grid over the tile, so its
   texture coordinates are exact (linear in mercator) and the reprojection is exact at every vertex.
   Heights come from the terrain MESH as drawn (TerrainSurface: the same lines and triangle split as
   city/terrain.py mesh()), so the imagery lies on the drawn ground, not beside it. Where the terrain is
   one plane under the tile (flat ground, and most tiles of a gentle DEM), the leaf lies exactly on it:
   the depth offsets (terrain, drape, roads: render/basemap_texture.py rule 3) order them at every
   distance, and any lift would hide roads lying on the ground at street level, where centimetres are
   resolved in depth. Where the terrain bends under the tile, the leaf is lifted LIFT metres, for the
   terrain's cells between its vertices (roads seated on a DEM lie higher: city/seat.py).
   The grid is the coarsest of 1, 2, 4, 8 or GRID cells a side whose triangles stay, at every point of
   the GRID x GRID lattice, within XY_TOLERANCE texels of the exact reprojection and Z_TOLERANCE metres of
   the drawn terrain; else GRID. On llvmpipe the drape's cost is mostly its triangles (each is set up and
   binned for every multisample), and on flat ground a tile needs only a few: 16 x 16 everywhere made
   imagery cost ~1.4x the bare frame.
4. Pure numpy and pyproj (through the frame); no Panda3D.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from viewer.basemap.mercator import Tile, lonlat_to_world, world_to_lonlat

MAX_TEXEL_PIXELS = 1.25  # rule 2: split while one texel covers more screen pixels than this
MAX_LEAVES = 320
GRID = 16  # rule 3: the finest grid, cells per tile side
XY_TOLERANCE = 0.05  # rule 3: texels a coarser grid may move the imagery (cracks between leaves stay invisible)
Z_TOLERANCE = 0.01  # rule 3: metres a coarser grid may leave the drawn terrain (half the lift)
LIFT = 0.02  # rule 3: metres above the drawn terrain where it bends under a tile
PLANAR = 0.001  # rule 3: metres within which the terrain under a tile counts as one plane
EDGE_SAMPLES = 5  # points per tile edge used for its local box (the projection bends edges slightly)


@dataclass(frozen=True)
class View:
    """What the camera sees: position (3,) local metres; clip (4, 4) world -> clip matrix for row vectors
    (clip = [x, y, z, 1] @ clip); pixels_per_radian: image height / 2 / tan(fov_y / 2)."""

    position: np.ndarray
    clip: np.ndarray
    pixels_per_radian: float


class Placement:
    """Local metres <-> mercator world coordinates through a LocalFrame (rule 1); caches tile boxes."""

    def __init__(self, frame: Any) -> None:
        from viewer.geo.frame import LocalFrame

        self.georeferenced = bool(frame is not None and frame.georeferenced)
        self.frame = frame if self.georeferenced else LocalFrame.from_lonlat(0.0, 0.0)
        self._boxes: dict[Tile, tuple[float, float, float, float, float]] = {}

    def local_to_world(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(n, 2) local metres -> u (n,), v (n,)."""
        lonlat = self.frame.local_to_lonlat(np.asarray(xy, np.float64)[:, :2])
        return lonlat_to_world(lonlat[:, 0], lonlat[:, 1])

    def world_to_local(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """u, v (n,) -> (n, 2) float64 local metres."""
        lon, lat = world_to_lonlat(u, v)
        return self.frame.lonlat_to_local(np.stack([lon, lat], axis=1))[:, :2]

    def tile_box(self, tile: Tile) -> tuple[float, float, float, float, float]:
        """(xmin, ymin, xmax, ymax, metres per tile side) of a tile in local metres."""
        box = self._boxes.get(tile)
        if box is None:
            u0, v0, u1, v1 = tile.world_rect()
            t = np.linspace(0.0, 1.0, EDGE_SAMPLES)
            u = np.concatenate([u0 + (u1 - u0) * t, np.full_like(t, u1), u0 + (u1 - u0) * t, np.full_like(t, u0)])
            v = np.concatenate([np.full_like(t, v0), v0 + (v1 - v0) * t, np.full_like(t, v1), v0 + (v1 - v0) * t])
            xy = self.world_to_local(u, v)
            lo, hi = xy.min(axis=0), xy.max(axis=0)
            side = float(np.linalg.norm(xy[EDGE_SAMPLES - 1] - xy[0]))  # the north edge's length
            box = (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]), side)
            if len(self._boxes) > 20000:
                self._boxes.clear()
            self._boxes[tile] = box
        return box


def region_tiles(placement: Placement, region: tuple[float, float, float, float], min_zoom: int,
                 max_roots: int = 3) -> list[Tile]:
    """The tiles at the root zoom that cover `region` (xmin, ymin, xmax, ymax local metres): the finest
    zoom >= min_zoom at which the region spans at most max_roots tiles a side (rule 2)."""
    x0, y0, x1, y1 = region
    xs, ys = np.linspace(x0, x1, 9), np.linspace(y0, y1, 9)
    gx, gy = np.meshgrid(xs, ys)
    u, v = placement.local_to_world(np.stack([gx.ravel(), gy.ravel()], axis=1))
    u0, u1 = float(np.clip(u.min(), 0, 1)), float(np.clip(u.max(), 0, 1))
    v0, v1 = float(np.clip(v.min(), 0, 1)), float(np.clip(v.max(), 0, 1))
    span = max(u1 - u0, v1 - v0, 1e-12)
    z = int(np.clip(np.floor(np.log2(max_roots / span)) - 1, 0, 22))
    z = max(z, min_zoom)
    n = 1 << z
    cols = range(int(np.floor(u0 * n)), min(int(np.floor(u1 * n)), n - 1) + 1)
    rows = range(int(np.floor(v0 * n)), min(int(np.floor(v1 * n)), n - 1) + 1)
    return [Tile(z, x, y) for y in rows for x in cols]


@dataclass(order=True)
class _Entry:
    priority: float
    tile: Tile = field(compare=True)


def select_tiles(placement: Placement, region: tuple[float, float, float, float], heights: tuple[float, float],
                 view: View, min_zoom: int = 0, max_zoom: int = 19, tile_size: int = 256,
                 max_leaves: int = MAX_LEAVES, max_texel_pixels: float = MAX_TEXEL_PIXELS) -> list[Tile]:
    """The quadtree cut for `view` (rule 2): leaves sorted by (z, y, x). heights: (lowest, highest) local z of
    the terrain, for the tiles' boxes."""
    roots = region_tiles(placement, region, min_zoom)
    heap = [_Entry(-_texel_pixels(placement, t, heights, view, tile_size), t) for t in roots]
    heapq.heapify(heap)
    leaves: list[Tile] = []
    while heap:
        entry = heapq.heappop(heap)
        tile, size = entry.tile, -entry.priority
        budget = len(heap) + len(leaves) + 4 <= max_leaves
        if size > max_texel_pixels and tile.z < max_zoom and budget and _visible(placement, tile, heights, view):
            for child in tile.children():
                heapq.heappush(heap, _Entry(-_texel_pixels(placement, child, heights, view, tile_size), child))
        else:
            leaves.append(tile)
    return sorted(leaves)


def _texel_pixels(placement: Placement, tile: Tile, heights: tuple[float, float], view: View,
                  tile_size: int) -> float:
    """Screen pixels one texel of the tile covers at its nearest point to the camera (inf inside its box)."""
    xmin, ymin, xmax, ymax, side = placement.tile_box(tile)
    p = view.position
    nearest = np.array([np.clip(p[0], xmin, xmax), np.clip(p[1], ymin, ymax), np.clip(p[2], *heights)])
    distance = float(np.linalg.norm(p - nearest))
    texel = side / tile_size
    return np.inf if distance < 1e-6 else texel / distance * view.pixels_per_radian


def _visible(placement: Placement, tile: Tile, heights: tuple[float, float], view: View) -> bool:
    """False when the tile's box lies wholly outside one plane of the view frustum."""
    xmin, ymin, xmax, ymax, _ = placement.tile_box(tile)
    corners = np.array([[x, y, z, 1.0] for x in (xmin, xmax) for y in (ymin, ymax) for z in heights])
    c = corners @ view.clip
    w = c[:, 3]
    for axis in range(3):
        if (c[:, axis] > w).all() or (c[:, axis] < -w).all():
            return False
    return not (w <= 0).all()


class TerrainSurface:
    """Heights of the terrain mesh as drawn (rule 3): city/terrain.py mesh()'s grid lines (the terrain grid
    extended by `rings` geometric steps out to `reach` times its size), each cell split along its
    (i, j)-(i+1, j+1) diagonal, linear on each triangle; clamped at the outer edge."""

    def __init__(self, terrain: Any, reach: float = 20.0, rings: int = 4) -> None:
        xs, ys = terrain.xs(), terrain.ys()
        size = max(xs[-1] - xs[0], ys[-1] - ys[0], 1.0)
        steps = size * reach ** (np.arange(1, rings + 1) / max(rings, 1))
        self.xs = np.concatenate([xs[0] - steps[::-1], xs, xs[-1] + steps])
        self.ys = np.concatenate([ys[0] - steps[::-1], ys, ys[-1] + steps])
        gx, gy = np.meshgrid(self.xs, self.ys)
        self.grid = terrain.height_at(gx, gy)
        self.lowest, self.highest = float(self.grid.min()), float(self.grid.max())

    @property
    def extent(self) -> tuple[float, float, float, float]:
        return float(self.xs[0]), float(self.ys[0]), float(self.xs[-1]), float(self.ys[-1])

    def height(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Heights (same shape) of the drawn mesh at local x, y."""
        x = np.clip(np.asarray(x, np.float64), self.xs[0], self.xs[-1])
        y = np.clip(np.asarray(y, np.float64), self.ys[0], self.ys[-1])
        j = np.clip(np.searchsorted(self.xs, x, side="right") - 1, 0, self.xs.size - 2)
        i = np.clip(np.searchsorted(self.ys, y, side="right") - 1, 0, self.ys.size - 2)
        tx = (x - self.xs[j]) / (self.xs[j + 1] - self.xs[j])
        ty = (y - self.ys[i]) / (self.ys[i + 1] - self.ys[i])
        g = self.grid
        h0, h1, h2, h3 = g[i, j], g[i, j + 1], g[i + 1, j + 1], g[i + 1, j]
        lower = h0 + tx * (h1 - h0) + ty * (h2 - h1)  # triangle (0, 1, 2): tx >= ty
        upper = h0 + ty * (h3 - h0) + tx * (h2 - h3)  # triangle (0, 2, 3)
        return np.where(tx >= ty, lower, upper)


def tile_mesh(placement: Placement, surface: TerrainSurface, tile: Tile,
              grid: int | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The mesh of one leaf (rule 3): vertices ((grid+1)^2, 3) float32 local metres, uv ((grid+1)^2, 2)
    float32 (u east, v NORTH: texture rows bottom-up as OpenGL wants), triangles (2 grid^2, 3) uint32.
    grid None: the coarsest grid that keeps within the tolerances (rule 3)."""
    fine = GRID if grid is None else grid
    u0, v0, u1, v1 = tile.world_rect()
    t = np.linspace(0.0, 1.0, fine + 1)
    tu, tv = np.meshgrid(t, t)  # tv = 0 on the tile's north edge
    xy = placement.world_to_local((u0 + (u1 - u0) * tu).ravel(), (v0 + (v1 - v0) * tv).ravel())
    z = surface.height(xy[:, 0], xy[:, 1])
    exact = np.column_stack([xy, z]).reshape(fine + 1, fine + 1, 3)
    planar = fine == 1 or np.abs(coarse_surface(exact, 1)[..., 2] - exact[..., 2]).max() <= PLANAR
    if grid is None:
        texel = placement.tile_box(tile)[4] / 256.0
        grid = coarsest_grid(exact, XY_TOLERANCE * texel, Z_TOLERANCE)
    step = fine // grid
    vertices = exact[::step, ::step].reshape(-1, 3).astype(np.float32)
    vertices[:, 2] += 0.0 if planar else LIFT
    tu, tv = tu[::step, ::step], tv[::step, ::step]
    uv = np.column_stack([tu.ravel(), 1.0 - tv.ravel()]).astype(np.float32)
    n = grid + 1
    corner = (np.arange(grid)[:, None] * n + np.arange(grid)[None, :]).ravel()
    quads = np.stack([corner, corner + 1, corner + n + 1, corner + n], axis=1)
    triangles = np.concatenate([quads[:, [0, 2, 1]], quads[:, [0, 3, 2]]]).astype(np.uint32)
    return vertices, uv, triangles


def coarsest_grid(exact: np.ndarray, xy_tolerance: float, z_tolerance: float) -> int:
    """The fewest cells a side (a power of two) whose triangles, interpolated at every point of the fine
    lattice `exact` ((GRID+1, GRID+1, 3) positions), stay within the tolerances of it (rule 3)."""
    fine = exact.shape[0] - 1
    grid = 1
    while grid < fine:
        error = np.abs(coarse_surface(exact, grid) - exact)
        if error[..., :2].max() <= xy_tolerance and error[..., 2].max() <= z_tolerance:
            return grid
        grid *= 2
    return fine


def coarse_surface(exact: np.ndarray, grid: int) -> np.ndarray:
    """Where a `grid`-cell mesh through `exact`'s lattice points puts each fine lattice point: linear on
    each triangle, cells split along their (row, col)-(row+1, col+1) diagonal as tile_mesh splits them."""
    fine = exact.shape[0] - 1
    step = fine // grid
    k = np.arange(fine + 1)
    cell = np.minimum(k // step, grid - 1)
    f = (k - cell * step) / step
    i, j = cell[:, None], cell[None, :]  # rows (v), columns (u)
    fy, fx = f[:, None, None], f[None, :, None]
    p0 = exact[i * step, j * step]
    p1 = exact[i * step, (j + 1) * step]
    p2 = exact[(i + 1) * step, (j + 1) * step]
    p3 = exact[(i + 1) * step, j * step]
    lower = p0 + fx * (p1 - p0) + fy * (p2 - p1)  # triangle (0, 1, 2): fx >= fy
    upper = p0 + fy * (p3 - p0) + fx * (p2 - p3)  # triangle (0, 2, 3)
    return np.where(fx >= fy, lower, upper)


def ancestor_window(leaf: Tile, ancestor: Tile) -> tuple[float, float, float, float]:
    """(offset u, offset v, scale u, scale v) mapping the leaf's uv (0..1, v north) into the ancestor's
    texture, for drawing a coarser parent while the leaf's own tile loads."""
    k = leaf.z - ancestor.z
    n = 1 << k
    ox, oy = leaf.x - ancestor.x * n, leaf.y - ancestor.y * n  # oy counts rows southward
    scale = 1.0 / n
    return ox * scale, 1.0 - (oy + 1) * scale, scale, scale
