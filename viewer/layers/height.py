"""HeightField: the height vehicles stand at, looked up on a grid rasterised from the city's road and ground.

Rules this module keeps:
1. Built once from the CityModel, vectorised: every triangle of the chosen surface kinds is sampled at the
   centres of the grid cells its xy box covers (barycentric inside test), in chunks of at most CHUNK
   samples so memory stays bounded whatever the triangle sizes; a cell keeps the highest sample.
2. Priority: ROAD surfaces first; where a cell has no road, GROUND, TERRAIN and WATER; elsewhere
   `default` (the model's lowest point unless given). A road on a bridge therefore wins over the ground
   below it (vehicles under a bridge are lifted onto it: this grid has one height per cell).
3. The cell edge starts at `cell` metres and doubles until the grid has at most MAX_CELLS cells and the
   sampling at most MAX_SAMPLES samples (a huge TIN or a long diagonal lane is never a memory bomb).
4. Lookups take local metres (n,) and return (n,) float32; points off the grid get `default`.
"""

from __future__ import annotations

import math

import numpy as np

from viewer.city.model import CityModel, SurfaceKind

MAX_CELLS = 4_000_000
MAX_SAMPLES = 40_000_000
CHUNK = 2_000_000
ROAD_KINDS = (SurfaceKind.ROAD,)
GROUND_KINDS = (SurfaceKind.GROUND, SurfaceKind.TERRAIN, SurfaceKind.WATER)


class HeightField:
    """z (ny, nx) float32 per cell of `cell` metres from (x0, y0); `default` off the grid and in gaps."""

    def __init__(self, x0: float, y0: float, cell: float, z: np.ndarray, default: float) -> None:
        self.x0, self.y0, self.cell, self.z, self.default = x0, y0, cell, z, float(default)

    @classmethod
    def flat(cls, z: float = 0.0) -> HeightField:
        return cls(0.0, 0.0, 1.0, np.full((1, 1), np.nan, np.float32), z)

    @classmethod
    def from_model(cls, model: CityModel, cell: float = 1.0, default: float | None = None) -> HeightField:
        """Rasterise the model's roads, then ground (rules 1-3)."""
        lo, hi = model.bounds()
        base = float(lo[2]) if default is None else float(default)
        tris = np.asarray(model.triangles).reshape(-1, 3)
        kind = np.asarray(model.vertex_kind)[tris[:, 0]] if tris.size else np.zeros(0, np.uint8)
        road = tris[np.isin(kind, np.asarray(ROAD_KINDS, np.uint8))]
        ground = tris[np.isin(kind, np.asarray(GROUND_KINDS, np.uint8))]
        if road.size + ground.size == 0:
            return cls.flat(base)
        verts = np.asarray(model.vertices, np.float64)
        used = np.concatenate([road, ground]).reshape(-1)
        x0, y0 = float(verts[used, 0].min()), float(verts[used, 1].min())
        width, height = float(verts[used, 0].max()) - x0, float(verts[used, 1].max()) - y0
        cell = max(cell, math.sqrt(max(width * height, 1.0) / MAX_CELLS))
        while _samples(verts, np.concatenate([road, ground]), cell) > MAX_SAMPLES:
            cell *= 2.0
        nx, ny = max(1, math.ceil(width / cell) + 1), max(1, math.ceil(height / cell) + 1)
        z = np.full(ny * nx, -np.inf)
        for part in (road, ground):
            layer = np.full(ny * nx, -np.inf)
            _rasterise(verts, part, x0, y0, cell, nx, ny, layer)
            fill = ~np.isfinite(z) & np.isfinite(layer)
            z[fill] = layer[fill]
        z[~np.isfinite(z)] = np.nan
        return cls(x0, y0, cell, z.reshape(ny, nx).astype(np.float32), base)

    def at(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """(n,) float32 height at local x, y (n,) (rule 4)."""
        ny, nx = self.z.shape
        fx = (np.asarray(x, np.float64) - self.x0) / self.cell
        fy = (np.asarray(y, np.float64) - self.y0) / self.cell
        inside = (fx >= 0) & (fy >= 0) & (fx < nx) & (fy < ny)
        ix = np.where(inside, fx, 0).astype(np.int64)
        iy = np.where(inside, fy, 0).astype(np.int64)
        out = self.z[iy, ix]
        out = np.where(inside & np.isfinite(out), out, np.float32(self.default))
        return out.astype(np.float32)


def _boxes(verts: np.ndarray, tris: np.ndarray, cell: float, x0: float = 0.0, y0: float = 0.0
           ) -> tuple[np.ndarray, ...]:
    """Cell ranges per triangle: ix0, iy0, w, h (t,) int64 of the cell centres its xy box may hold."""
    xs, ys = verts[tris, 0], verts[tris, 1]
    ix0 = np.ceil((xs.min(axis=1) - x0) / cell - 0.5).astype(np.int64)
    iy0 = np.ceil((ys.min(axis=1) - y0) / cell - 0.5).astype(np.int64)
    ix1 = np.floor((xs.max(axis=1) - x0) / cell - 0.5).astype(np.int64)
    iy1 = np.floor((ys.max(axis=1) - y0) / cell - 0.5).astype(np.int64)
    return ix0, iy0, np.maximum(ix1 - ix0 + 1, 0), np.maximum(iy1 - iy0 + 1, 0)


def _samples(verts: np.ndarray, tris: np.ndarray, cell: float) -> int:
    _, _, w, h = _boxes(verts, tris, cell)
    return int((w * h).sum())


def _rasterise(verts: np.ndarray, tris: np.ndarray, x0: float, y0: float, cell: float, nx: int, ny: int,
               out: np.ndarray) -> None:
    """Max z of `tris` (t, 3) at the cell centres they cover, into out (ny * nx,) float64 (-inf = none)."""
    if tris.size == 0:
        return
    ix0, iy0, w, h = _boxes(verts, tris, cell, x0, y0)
    count = w * h
    ends = np.cumsum(count)
    start = 0
    while start < tris.shape[0]:
        stop = int(np.searchsorted(ends, (ends[start - 1] if start else 0) + CHUNK, side="right"))
        stop = max(stop, start + 1)
        _chunk(verts, tris[start:stop], ix0[start:stop], iy0[start:stop], w[start:stop], count[start:stop],
               x0, y0, cell, nx, ny, out)
        start = stop


def _chunk(verts: np.ndarray, tris: np.ndarray, ix0: np.ndarray, iy0: np.ndarray, w: np.ndarray,
           count: np.ndarray, x0: float, y0: float, cell: float, nx: int, ny: int, out: np.ndarray) -> None:
    """One chunk of _rasterise: one sample per (triangle, covered cell centre)."""
    total = int(count.sum())
    if total == 0:
        return
    tri = np.repeat(np.arange(tris.shape[0]), count)
    local = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    ix = ix0[tri] + local % np.maximum(w[tri], 1)
    iy = iy0[tri] + local // np.maximum(w[tri], 1)
    px, py = x0 + (ix + 0.5) * cell, y0 + (iy + 0.5) * cell
    a, b, c = (verts[tris[tri, k]] for k in range(3))
    det = (b[:, 1] - c[:, 1]) * (a[:, 0] - c[:, 0]) + (c[:, 0] - b[:, 0]) * (a[:, 1] - c[:, 1])
    ok = np.abs(det) > 1e-12
    safe = np.where(ok, det, 1.0)
    l1 = ((b[:, 1] - c[:, 1]) * (px - c[:, 0]) + (c[:, 0] - b[:, 0]) * (py - c[:, 1])) / safe
    l2 = ((c[:, 1] - a[:, 1]) * (px - c[:, 0]) + (a[:, 0] - c[:, 0]) * (py - c[:, 1])) / safe
    l3 = 1.0 - l1 - l2
    eps = -1e-9
    inside = ok & (l1 >= eps) & (l2 >= eps) & (l3 >= eps) & (ix >= 0) & (iy >= 0) & (ix < nx) & (iy < ny)
    z = l1 * a[:, 2] + l2 * b[:, 2] + l3 * c[:, 2]
    np.maximum.at(out, (iy * nx + ix)[inside], z[inside])
