"""A uniform grid over an xy rectangle that lists items (triangles, wall segments) by their xy boxes.

Rules this module keeps:
1. Built once, vectorised: every item is listed in every cell its box overlaps, as CSR arrays (`items`
   sorted by cell, `offsets` with cells + 1 entries). No Python loop runs over items.
2. An item whose box overlaps more than MAX_SPAN cells is listed in `everywhere` instead and returned by
   every query, so one huge terrain triangle cannot multiply the memory. The cell edge is chosen from the
   items' density and their typical size, then doubled until the listing stays within LISTING_BUDGET
   entries per item and the grid within MAX_CELLS cells.
3. Queries take a rectangle in metres and return item indices (k,) int64, possibly with repeats (an item
   in two of the cells) and never sorted; callers that care deduplicate. A rectangle outside the grid
   returns only `everywhere`.
4. Row-major cell ids: cell = iy * nx + ix; the cells of one row of a query rectangle are contiguous in
   `items`, so a query is one slice per row, gathered in one numpy step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

MAX_SPAN = 256  # cells; a bigger item goes to `everywhere`
LISTING_BUDGET = 8.0  # grid entries per item at most (on average) before the cells grow
MAX_CELLS = 1 << 22
MIN_CELL = 2.0  # metres
ITEMS_PER_CELL = 6.0  # aimed-for mean over the whole rectangle


@dataclass(frozen=True)
class Grid:
    """nx * ny square cells of `cell` metres from (x0, y0).

    offsets : (nx * ny + 1,) int64, items : (m,) int32 item ids sorted by cell, everywhere : (e,) int32.
    """

    x0: float
    y0: float
    cell: float
    nx: int
    ny: int
    offsets: np.ndarray
    items: np.ndarray
    everywhere: np.ndarray

    @classmethod
    def build(cls, lo: np.ndarray, hi: np.ndarray, cell: float | None = None) -> Grid:
        """Grid over items with xy boxes lo, hi : (n, 2) float64 (cell edge chosen when None)."""
        lo = np.asarray(lo, np.float64).reshape(-1, 2)
        hi = np.asarray(hi, np.float64).reshape(-1, 2)
        if lo.shape[0] == 0:
            zeros = np.zeros(0, np.int32)
            return cls(0.0, 0.0, 1.0, 1, 1, np.zeros(2, np.int64), zeros, zeros)
        x0, y0 = float(lo[:, 0].min()), float(lo[:, 1].min())
        width = max(float(hi[:, 0].max()) - x0, 1e-3)
        height = max(float(hi[:, 1].max()) - y0, 1e-3)
        size = cell or _initial_cell(lo, hi, width, height)
        while True:
            nx, ny = max(1, math.ceil(width / size)), max(1, math.ceil(height / size))
            ix0, iy0, ix1, iy1 = _spans(lo, hi, x0, y0, size, nx, ny)
            count = (ix1 - ix0 + 1) * (iy1 - iy0 + 1)
            small = count <= MAX_SPAN
            if nx * ny <= MAX_CELLS and int(count[small].sum()) <= LISTING_BUDGET * lo.shape[0] + nx * ny:
                break
            size *= 2.0
        items, offsets = _listing(ix0[small], iy0[small], ix1[small], iy1[small], np.flatnonzero(small),
                                  nx, ny)
        return cls(x0, y0, size, nx, ny, offsets, items, np.flatnonzero(~small).astype(np.int32))

    @property
    def cells(self) -> int:
        return self.nx * self.ny

    def query(self, xmin: float, ymin: float, xmax: float, ymax: float) -> np.ndarray:
        """Item ids (k,) int64 listed in the cells overlapping the rectangle, plus `everywhere`."""
        ix0 = max(math.floor((xmin - self.x0) / self.cell), 0)
        iy0 = max(math.floor((ymin - self.y0) / self.cell), 0)
        ix1 = min(math.floor((xmax - self.x0) / self.cell), self.nx - 1)
        iy1 = min(math.floor((ymax - self.y0) / self.cell), self.ny - 1)
        if ix0 > ix1 or iy0 > iy1:
            return self.everywhere.astype(np.int64)
        rows = np.arange(iy0, iy1 + 1, dtype=np.int64) * self.nx
        starts, ends = self.offsets[rows + ix0], self.offsets[rows + ix1 + 1]
        found = self.items[gather_ranges(starts, ends)]
        if self.everywhere.shape[0]:
            found = np.concatenate([found, self.everywhere])
        return found.astype(np.int64)


def gather_ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenation of arange(starts[i], ends[i]) for all i, as (sum of lengths,) int64, without a loop."""
    lengths = ends - starts
    if lengths.shape[0] == 1:
        return np.arange(starts[0], ends[0], dtype=np.int64)
    total = int(lengths.sum())
    # Each output position is its range's start plus its index within the range.
    first = np.cumsum(lengths) - lengths
    return np.repeat(starts - first, lengths) + np.arange(total, dtype=np.int64)


def _initial_cell(lo: np.ndarray, hi: np.ndarray, width: float, height: float) -> float:
    """A cell edge near the items' typical size, and big enough for ITEMS_PER_CELL items on average."""
    extent = np.maximum(hi - lo, 0.0).max(axis=1)
    typical = float(np.median(extent))
    dense = math.sqrt(width * height * ITEMS_PER_CELL / lo.shape[0])
    size = max(MIN_CELL, min(max(typical, 0.5 * dense), dense * 2.0))
    return max(size, math.sqrt(width * height / MAX_CELLS))


def _spans(lo: np.ndarray, hi: np.ndarray, x0: float, y0: float, size: float, nx: int,
           ny: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """First and last cell column and row (each (n,) int64) overlapped by each item's box."""
    def cell(v: np.ndarray, origin: float, n: int) -> np.ndarray:
        return np.clip(np.floor((v - origin) / size), 0, n - 1).astype(np.int64)

    return (cell(lo[:, 0], x0, nx), cell(lo[:, 1], y0, ny), cell(hi[:, 0], x0, nx), cell(hi[:, 1], y0, ny))


def _listing(ix0: np.ndarray, iy0: np.ndarray, ix1: np.ndarray, iy1: np.ndarray, ids: np.ndarray,
             nx: int, ny: int) -> tuple[np.ndarray, np.ndarray]:
    """CSR (items (m,) int32 sorted by cell, offsets (nx * ny + 1,) int64) of each id over its cell span."""
    span_x = ix1 - ix0 + 1
    count = span_x * (iy1 - iy0 + 1)
    item = np.repeat(ids, count)
    # Position of each entry within its item's span, then its column and row within the span.
    local = np.arange(item.shape[0], dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    width = np.repeat(span_x, count)
    cell = (np.repeat(iy0, count) + local // width) * nx + np.repeat(ix0, count) + local % width
    order = np.argsort(cell, kind="stable")
    offsets = np.zeros(nx * ny + 1, np.int64)
    np.cumsum(np.bincount(cell, minlength=nx * ny), out=offsets[1:])
    return item[order].astype(np.int32), offsets
