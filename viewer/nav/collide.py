"""Collision queries on a small set of floors and walls near the avatar (a `Local`, cut from the index).

Rules this module keeps:
1. The world is two kinds of primitives, both in local metres (x east, y north, z up):
   - floors: non-steep triangles, each as three inward xy edge lines and its plane z = a x + b y + c, so a
     point's height is one multiply-add and "is the point over it" three sign tests;
   - walls: steep triangles reduced to an xy segment with a z range, i.e. an upright rectangle. Anything
     whose z range overlaps a body's z range blocks it, from either side.
   Plus the base plane at `base_z` (the ground drawn under the model): nothing stands below it.
2. Bodies are upright cylinders: an xy circle of radius r swept horizontally, with a z range (feet + step
   height to head for a walker, so a kerb lower than the step height does not block and is stepped up).
3. Sweeps are continuous (time of impact against each segment's line offset by r and against its two end
   circles), so nothing tunnels through a wall however far it moves in one call; sliding projects the rest
   of the motion onto the wall and sweeps again, a few times; a final push-out keeps the circle at least r
   from every wall even when it started inside one.
4. Every query is a fixed number of numpy operations over the set (no Python loop over primitives), so a
   set of a few hundred primitives answers in tens of microseconds.

Arrays: floors (k, FLOOR_COLUMNS) and walls (m, WALL_COLUMNS), as packed by viewer.nav.index (float32
there, float64 here).
"""

from __future__ import annotations

import math

import numpy as np

FLOOR_COLUMNS = 13  # edge lines (nx, ny, d) x 3, plane a b c, |normal z| (1 = level)
WALL_COLUMNS = 13  # x0 y0 x1 y1 zlo zhi, unit direction ux uy, length, box xmin ymin xmax ymax
EDGE_SLACK = 0.01  # metres: a point this far outside a floor triangle still counts (no cracks at seams)
SKIN = 1e-3  # metres kept between a body and a wall after a slide
SLIDES = 4
_NO_WALLS = np.zeros(0)
BROAD_PHASE = 16  # walls in a set above which a sweep first drops those out of reach by their boxes


class Local:
    """Floors and walls near a place, with everything a query needs precomputed once."""

    def __init__(self, floors: np.ndarray, walls: np.ndarray, base_z: float) -> None:
        self.base_z = float(base_z)
        f = np.asarray(floors, np.float64).reshape(-1, FLOOR_COLUMNS)
        self.ex, self.ey, self.ed = f[:, 0:9:3], f[:, 1:9:3], f[:, 2:9:3]  # (k, 3) each
        self.a, self.b, self.c, self.level = f[:, 9], f[:, 10], f[:, 11], f[:, 12]
        w = np.asarray(walls, np.float64).reshape(-1, WALL_COLUMNS)
        if w.shape[0] == 0:  # the common case in a street or a ground query: skip the column set-up
            none = _NO_WALLS
            self.x0 = self.y0 = self.x1 = self.y1 = self.zlo = self.zhi = self.ux = self.uy = none
            self.length = self.bx0 = self.by0 = self.bx1 = self.by1 = self.dx = self.dy = none
            self.end_x = self.end_y = none
            return
        self.x0, self.y0, self.x1, self.y1, self.zlo, self.zhi = (w[:, i] for i in range(6))
        self.ux, self.uy, self.length = w[:, 6], w[:, 7], w[:, 8]
        self.bx0, self.by0, self.bx1, self.by1 = (w[:, i] for i in range(9, 13))
        self.dx, self.dy = self.x1 - self.x0, self.y1 - self.y0
        self.end_x, self.end_y = w[:, [0, 2]].T.reshape(-1), w[:, [1, 3]].T.reshape(-1)  # starts, then ends

    @property
    def floor_count(self) -> int:
        return int(self.a.shape[0])

    @property
    def wall_count(self) -> int:
        return int(self.x0.shape[0])

    # ------------------------------------------------------------------ floors

    def floors_at(self, x: float, y: float) -> tuple[np.ndarray, np.ndarray]:
        """Heights (j,) and levelness |normal z| (j,) of every floor over the point (base plane excluded)."""
        inside = (self.ex * x + self.ey * y + self.ed).min(axis=1) >= -EDGE_SLACK
        return self.a[inside] * x + self.b[inside] * y + self.c[inside], self.level[inside]

    def support(self, x: float, y: float, top: float) -> tuple[float, float]:
        """(height, levelness) of the highest floor at (x, y) not above `top`; the base plane when there is
        none (or when it is higher: nothing stands below it)."""
        return self.highest(*self.floors_at(x, y), top)

    def highest(self, heights: np.ndarray, level: np.ndarray, top: float) -> tuple[float, float]:
        """support() on floors_at's answer, for callers that ask several questions of one point."""
        below = heights <= top
        if below.any():
            i = int(np.argmax(np.where(below, heights, -np.inf)))
            if heights[i] > self.base_z:
                return float(heights[i]), float(level[i])
        return self.base_z, 1.0

    def obstructed(self, x: float, y: float, lo: float, hi: float) -> bool:
        """Whether a floor at (x, y) lies strictly between heights lo and hi (a ledge or slab in the way)."""
        heights, _ = self.floors_at(x, y)
        return bool(((heights > lo) & (heights < hi)).any())

    # ------------------------------------------------------------------ walls

    def sweep(self, px: float, py: float, dx: float, dy: float, r: float, zlo: float,
              zhi: float) -> tuple[float, float, float] | None:
        """First contact (t in 0..1, unit normal nx, ny pointing away from the wall) of a circle of radius r
        moving from (px, py) by (dx, dy) against the walls overlapping zlo..zhi; None when it moves freely."""
        if (dx == 0.0 and dy == 0.0) or self.wall_count == 0:
            return None
        near = (self.zhi > zlo) & (self.zlo < zhi)
        if self.wall_count > BROAD_PHASE:  # a big set (a fast flyer's): drop walls far from this motion
            reach = r + SKIN
            near &= ((self.bx0 - reach <= max(px, px + dx)) & (self.bx1 + reach >= min(px, px + dx))
                     & (self.by0 - reach <= max(py, py + dy)) & (self.by1 + reach >= min(py, py + dy)))
        idx = np.flatnonzero(near)
        if idx.shape[0] == 0:
            return None
        line = self._line_contact(idx, px, py, dx, dy, r)
        end = self._end_contact(np.concatenate([idx, idx + self.wall_count]), px, py, dx, dy, r)
        if line is None or (end is not None and end[0] < line[0]):
            return end
        return line

    def _line_contact(self, idx: np.ndarray, px: float, py: float, dx: float, dy: float,
                      r: float) -> tuple[float, float, float] | None:
        """Earliest contact with the segments' interiors: the circle's centre reaching distance r from the
        segment's line while its projection falls inside the segment."""
        ux, uy = self.ux[idx], self.uy[idx]
        rx, ry = px - self.x0[idx], py - self.y0[idx]
        side = ux * ry - uy * rx  # signed distance to the line (positive on the left of x0 -> x1)
        sign = np.where(side == 0.0, -np.sign(ux * dy - uy * dx), np.sign(side))
        rate = (ux * dy - uy * dx) * sign  # speed toward the circle's side (negative: approaching)
        approaching = rate < -1e-12
        t = (np.abs(side) - r) / np.where(approaching, -rate, 1.0)
        t = np.maximum(np.where(approaching, t, 2.0), 0.0)  # already within r (penetrating): blocked at once
        along = (rx + t * dx) * ux + (ry + t * dy) * uy
        ok = approaching & (t <= 1.0) & (along >= 0.0) & (along <= self.length[idx])
        if not ok.any():
            return None
        i = int(np.argmin(np.where(ok, t, np.inf)))
        return float(t[i]), float(-uy[i] * sign[i]), float(ux[i] * sign[i])

    def _end_contact(self, ends: np.ndarray, px: float, py: float, dx: float, dy: float,
                     r: float) -> tuple[float, float, float] | None:
        """Earliest contact with segment end points (the rounded ends of each inflated segment); `ends`
        indexes self.end_x/end_y (start points, then end points)."""
        fx, fy = px - self.end_x[ends], py - self.end_y[ends]
        a = dx * dx + dy * dy
        b = 2.0 * (fx * dx + fy * dy)
        c = fx * fx + fy * fy - r * r
        disc = b * b - 4.0 * a * c
        hit = (b < 0.0) & (disc >= 0.0)
        t = np.where(hit, (-b - np.sqrt(np.maximum(disc, 0.0))) / (2.0 * a), np.inf)
        t = np.where(hit & (c < 0.0), 0.0, t)  # starting inside the end circle and moving in
        i = int(np.argmin(t))
        if t[i] > 1.0:
            return None
        nx, ny = fx[i] + t[i] * dx, fy[i] + t[i] * dy
        norm = math.hypot(nx, ny) or 1.0
        return float(t[i]), nx / norm, ny / norm

    def slide(self, px: float, py: float, dx: float, dy: float, r: float, zlo: float,
              zhi: float) -> tuple[float, float]:
        """Where a circle moving by (dx, dy) ends: up to the first wall, then along it (a few times)."""
        touched = False
        for _ in range(SLIDES):
            hit = self.sweep(px, py, dx, dy, r, zlo, zhi)
            if hit is None:
                px, py = px + dx, py + dy
                break
            touched = True
            t, nx, ny = hit
            px, py = px + dx * t + nx * SKIN, py + dy * t + ny * SKIN
            rest = 1.0 - t
            dx, dy = dx * rest, dy * rest
            into = dx * nx + dy * ny
            dx, dy = dx - nx * into, dy - ny * into  # the part of the motion along the wall
            if dx * dx + dy * dy < 1e-12:
                break
        # A free sweep from a clear start ends clear; after contacts, make sure (corners, round-off).
        return self.push_out(px, py, r, zlo, zhi) if touched else (float(px), float(py))

    def push_out(self, px: float, py: float, r: float, zlo: float, zhi: float) -> tuple[float, float]:
        """Move the circle out of any wall closer than r (two rounds, enough for a corner)."""
        for _ in range(2 if self.wall_count else 0):
            near = ((self.zhi > zlo) & (self.zlo < zhi) & (self.bx0 - r <= px) & (self.bx1 + r >= px)
                    & (self.by0 - r <= py) & (self.by1 + r >= py))
            idx = np.flatnonzero(near)
            if idx.shape[0] == 0:
                break
            rx, ry = px - self.x0[idx], py - self.y0[idx]
            along = np.clip(rx * self.ux[idx] + ry * self.uy[idx], 0.0, self.length[idx])
            ox, oy = rx - along * self.ux[idx], ry - along * self.uy[idx]  # from the closest point
            dist = np.hypot(ox, oy)
            deep = dist < r - 1e-9
            if not deep.any():
                break
            i = int(np.argmin(np.where(deep, dist, np.inf)))
            if dist[i] > 1e-9:
                nx, ny = ox[i] / dist[i], oy[i] / dist[i]
            else:  # exactly on the segment: leave to its left
                nx, ny = -float(self.uy[idx[i]]), float(self.ux[idx[i]])
            px, py = px + nx * (r - dist[i] + SKIN), py + ny * (r - dist[i] + SKIN)
        return float(px), float(py)

    # ------------------------------------------------------------------ rays

    def ray(self, origin: tuple[float, ...], direction: tuple[float, ...], t0: float, t1: float) -> float | None:
        """Smallest t in t0..t1 where origin + t * direction meets a floor, a wall or the base plane."""
        ox, oy, oz = origin
        dx, dy, dz = direction
        best = math.inf
        if dz < 0.0:
            best = (self.base_z - oz) / dz
        best = min(best, self._ray_floors(ox, oy, oz, dx, dy, dz, t0), self._ray_walls(ox, oy, oz, dx, dy, dz, t0))
        return best if t0 <= best <= t1 else None

    def _ray_floors(self, ox: float, oy: float, oz: float, dx: float, dy: float, dz: float, t0: float) -> float:
        denom = dz - self.a * dx - self.b * dy
        ok = np.abs(denom) > 1e-12
        t = np.where(ok, (self.a * ox + self.b * oy + self.c - oz) / np.where(ok, denom, 1.0), -1.0)
        hx, hy = ox + t[:, None] * dx, oy + t[:, None] * dy
        inside = (self.ex * hx + self.ey * hy + self.ed).min(axis=1) >= -EDGE_SLACK
        t = t[ok & inside & (t >= t0)]
        return float(t.min()) if t.shape[0] else math.inf

    def _ray_walls(self, ox: float, oy: float, oz: float, dx: float, dy: float, dz: float, t0: float) -> float:
        denom = dx * self.dy - dy * self.dx
        ok = np.abs(denom) > 1e-12
        safe = np.where(ok, denom, 1.0)
        wx, wy = self.x0 - ox, self.y0 - oy
        t = (wx * self.dy - wy * self.dx) / safe
        s = (wx * dy - wy * dx) / safe
        z = oz + t * dz
        hit = ok & (s >= 0.0) & (s <= 1.0) & (t >= t0) & (z >= self.zlo) & (z <= self.zhi)
        return float(t[hit].min()) if hit.any() else math.inf
