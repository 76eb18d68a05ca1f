"""Vehicle instances for a frame: where each vehicle is drawn at the render time, its heading, colour and fade.

Rules this module keeps:
1. Input is the vehicle KindTable of a TwinState whose x, y, z are already local metres (app/live.py maps the
   feed's CRS and fills missing z from the ground on the way in); times are feed seconds.
2. Interpolation between the two samples a row keeps (prev_*, latest): a vehicle that was not re-sent for a
   while (the feed sends only what changed) is taken to start moving one feed period before its latest
   sample, not at its previous one, so a car leaving a red light does not jump. The render time is capped
   at the newest vehicle update (`newest`): a vehicle missing from newer updates did not move, so it holds.
3. Headings interpolate the short way round (lerp_angle: 350 -> 10 passes through 0). A NaN heading is
   taken from the direction of motion.
4. Extrapolation: while the render time is past `newest` (an update is late), vehicles that moved in the
   newest update continue at their last velocity for at most `extrapolate` seconds, then hold.
5. Fade: a vehicle not updated for `fade_after` wall seconds fades out over FADE_SECONDS (alpha 1 -> 0);
   `ghost` (0..1) caps every alpha (the whole feed is stale). Alpha 0 is not drawn.
6. Output goes straight into the renderer's instance memory: rows of INSTANCE_FLOATS float32
   (x, y, z, heading radians clockwise from north, r, g, b, a), grouped by vehicle type in VEHICLE_TYPES
   order so that each type is one instanced draw (`counts`, `offsets`).
7. Cost: everything that depends only on the table (the grouping, colours, and a Motion per vehicle:
   start, rate, deltas, velocity, fade time) is computed once per table version, already in instance
   order; a frame is then about a dozen float32/float64 passes written into the output columns in place.
   The grouping itself is redone only when rows moved (`layout`) or a vehicle changed type.
8. types_seen() names the types drawn since the layer was made (for the legend: only what the feed carries;
   a type that leaves stays listed, so the legend does not flicker as one bus comes and goes).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np

from viewer.layers.styles import LayerStyle
from viewer.twin.batch import VEHICLE_TYPES

INSTANCE_FLOATS = 8
FADE_SECONDS = 2.0
TYPE_CODES = {name: code for code, name in enumerate(VEHICLE_TYPES)}
OTHER = TYPE_CODES["other"]


def lerp_angle(a: np.ndarray, b: np.ndarray, f: np.ndarray) -> np.ndarray:
    """Degrees from a toward b by fraction f, the short way round, in 0..360."""
    return (a + ((b - a + 180.0) % 360.0 - 180.0) * f) % 360.0


@dataclass
class VehicleFrame:
    """What one frame drew: n vehicles; order (n,) table rows in instance order; counts (types,) and
    offsets (types + 1,) of each type's run of instances."""

    n: int
    order: np.ndarray
    counts: np.ndarray
    offsets: np.ndarray


@dataclass
class Motion:
    """Per vehicle, what positions at any render time follow from (rules 2-4), valid for one table version:
    position(t) = base + delta x f(t) + velocity x late(t), f(t) = clip(t x inv + bias, 0, 1) with t capped
    at `newest`. base, delta (4, n) float32 rows x, y, z, heading (radians); velocity (3, n) float32 metres
    per second (zero unless the vehicle moved in the newest update); inv, bias (n,) float64; fade_end (n,)
    float64 wall time at which alpha reaches 0 (-inf: never drawn, e.g. a NaN position)."""

    base: np.ndarray
    delta: np.ndarray
    velocity: np.ndarray
    inv: np.ndarray
    bias: np.ndarray
    fade_end: np.ndarray

    def take(self, order: np.ndarray) -> Motion:
        """The same motion for rows in `order`."""
        return Motion(self.base[:, order], self.delta[:, order], self.velocity[:, order], self.inv[order],
                      self.bias[order], self.fade_end[order])


def motion(table: Any, newest: float, period: float, fade_after: float) -> Motion:
    """The Motion of every live row of a vehicle table (rules 2-5), in row order."""
    c = table.column
    t0, t1 = c("prev_time"), c("time")
    start = np.maximum(t0, t1 - period)
    span = t1 - start
    moving = span > 0
    inv = np.zeros(t1.shape)
    np.divide(1.0, span, out=inv, where=moving)
    bias = np.where(moving, -start * inv, 1.0)  # not moving: f = 1, the latest sample
    x0, y0, z0 = c("prev_x"), c("prev_y"), c("prev_z").astype(np.float64)
    dx, dy, dz = c("x") - x0, c("y") - y0, c("z").astype(np.float64) - z0
    h0, h1 = c("prev_heading").astype(np.float64), c("heading").astype(np.float64)
    dh = (h1 - h0 + 180.0) % 360.0 - 180.0
    missing = ~(np.isfinite(h0) & np.isfinite(h1))
    if missing.any():  # rule 3: point where the vehicle moves
        h0[missing] = np.degrees(np.arctan2(dx[missing], dy[missing]))
        dh[missing] = 0.0
    base = np.stack([x0, y0, np.nan_to_num(z0), np.radians(h0)]).astype(np.float32)
    delta = np.stack([dx, dy, np.nan_to_num(dz), np.radians(dh)]).astype(np.float32)
    go = inv * (moving & (t1 >= newest))
    velocity = (delta[:3] * go).astype(np.float32)
    fade_end = c("seen") + (fade_after + FADE_SECONDS)
    fade_end[~(np.isfinite(x0 + dx) & np.isfinite(y0 + dy))] = -np.inf
    return Motion(base, delta, velocity, inv, bias, fade_end)


def sample(table: Any, t: float, newest: float, period: float, extrapolate: float) -> tuple[np.ndarray, ...]:
    """x, y, z (n,) and heading (n,) degrees 0..360 of every live row at render time t (rules 2-4): the
    reference evaluation of motion() in row order, which VehicleLayer.frame does in instance order, in place."""
    m = motion(table, newest, period, 0.0)
    at = min(t, newest) if np.isfinite(newest) else t
    f = np.clip(m.inv * at + m.bias, 0.0, 1.0)
    late = min(max(t - newest, 0.0), extrapolate) if np.isfinite(newest) else 0.0
    x, y, z, h = (m.base[k] + m.delta[k] * f + (m.velocity[k] * late if k < 3 else 0.0) for k in range(4))
    return x, y, z, np.degrees(h) % 360.0


class VehicleLayer:
    """Vehicle instances (rules above) in the style of `style` (by type or by speed)."""

    def __init__(self, style: LayerStyle) -> None:
        self.style = style
        self.scale = style.config.scale
        self._layout: tuple[int, int] | None = None
        self._version: tuple[int, int, float, float] | None = None
        self._vtype = np.zeros(0, dtype=object)
        self.order = np.zeros(0, np.int64)
        self.inverse = np.zeros(0, np.int64)
        self.counts = np.zeros(len(VEHICLE_TYPES), np.int64)
        self.offsets = np.zeros(len(VEHICLE_TYPES) + 1, np.int64)
        self.seen = np.zeros(len(VEHICLE_TYPES), bool)
        self.colours = np.zeros((0, 3), np.float32)
        self.motion: Motion | None = None
        self._painted: tuple[int, int] | None = None  # (id of out, version) whose colours out holds
        self._f = np.zeros(0)
        self.out: np.ndarray | None = None

    def codes(self, table: Any) -> np.ndarray:
        """(n,) int64 type code per live row (unknown types are "other")."""
        names = table.column("vtype").tolist()
        return np.fromiter(map(TYPE_CODES.get, names, repeat(OTHER)), np.int64, count=len(names))

    def regroup(self, table: Any) -> bool:
        """Recompute the grouping by type when rows moved or a type changed; True when it did. A version
        change alone costs one identity-fast comparison of the type column, not a lookup per row."""
        vtype = table.column("vtype")
        key = (id(table), table.layout)
        if key == self._layout and vtype.shape == self._vtype.shape and not (vtype != self._vtype).any():
            return False
        self._layout, self._vtype = key, vtype.copy()
        codes = self.codes(table)
        self.order = np.argsort(codes, kind="stable")
        self.inverse = np.zeros_like(self.order)
        self.inverse[self.order] = np.arange(self.order.size)
        self.counts = np.bincount(codes, minlength=len(VEHICLE_TYPES))
        self.offsets = np.concatenate([[0], np.cumsum(self.counts)])
        self.seen |= self.counts > 0
        self._codes = codes
        return True

    def types_seen(self) -> tuple[str, ...]:
        """The vehicle types drawn so far, in VEHICLE_TYPES order (rule 8)."""
        return tuple(name for name, seen in zip(VEHICLE_TYPES, self.seen.tolist(), strict=True) if seen)

    def prepare(self, table: Any, newest: float, period: float) -> bool:
        """Grouping, colours and Motion (class order) for the table's current version; True when redone."""
        key = (id(table), table.version, newest, period)
        if key == self._version:
            return False
        self._version = key
        regrouped = self.regroup(table)
        if regrouped or not self.style.categories:
            values = self._codes if self.style.categories else table.column("speed").astype(np.float64)
            rgba = self.style.rgba(values)[self.order]
            self.colours = rgba[:, :3].astype(np.float32) / np.float32(255.0)
        self.motion = motion(table, newest, period, self.style.config.fade_after).take(self.order)
        self._f = np.zeros(len(table))
        return True

    def frame(self, table: Any, t: float, wall: float, newest: float, period: float, out: np.ndarray,
              ghost: float = 1.0) -> VehicleFrame:
        """Write every live vehicle into out (capacity, INSTANCE_FLOATS) float32 (rule 6); the frame drawn."""
        n = len(table)
        if n > out.shape[0]:
            raise ValueError(f"instance memory holds {out.shape[0]} vehicles, the table has {n}")
        self.prepare(table, newest, period)
        self.out = out
        if n == 0 or not self.style.visible:
            return VehicleFrame(0, self.order[:0], np.zeros_like(self.counts), np.zeros_like(self.offsets))
        m = self.motion
        assert m is not None
        at = min(t, newest) if np.isfinite(newest) else t
        f = np.multiply(m.inv, at, out=self._f)
        f += m.bias
        np.clip(f, 0.0, 1.0, out=f)
        f32 = f.astype(np.float32)
        late = min(max(t - newest, 0.0), self.style.config.extrapolate) if np.isfinite(newest) else 0.0
        for k in range(4):
            column = out[:n, k]
            np.multiply(m.delta[k], f32, out=column)
            column += m.base[k]
            if late > 0 and k < 3:
                column += m.velocity[k] * np.float32(late)
        alpha = np.subtract(m.fade_end, wall, out=f)
        alpha *= 1.0 / FADE_SECONDS
        np.clip(alpha, 0.0, ghost, out=alpha)
        out[:n, 7] = alpha
        painted = (id(out), table.version)
        if painted != self._painted:
            out[:n, 4:7] = self.colours
            self._painted = painted
        return VehicleFrame(n, self.order, self.counts, self.offsets)

    def instance(self, row: int) -> tuple[float, float, float, float] | None:
        """x, y, z and heading (degrees) where table row `row` was drawn in the last frame; None if it was not."""
        if self.out is None or not 0 <= row < self.inverse.size:
            return None
        x, y, z, h = self.out[int(self.inverse[row]), :4].tolist()
        return x, y, z, float(np.degrees(h) % 360.0)
