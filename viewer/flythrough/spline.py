"""Curves for camera paths: centripetal Catmull-Rom through points, monotone cubics, arc length, easing.

Rules this module keeps:
1. Positions follow a centripetal Catmull-Rom spline (alpha = 0.5, the Barry-Goldman form): the knot
   interval between consecutive points is the square root of their distance. It passes through every point,
   never forms cusps or loops within a segment, and on collinear points in order it never overshoots (each
   end tangent is at most twice the segment's chord, inside Fritsch-Carlson's monotone region). The two
   ends get phantom points reflected through the end points. It is C1 in its knot parameter s.
2. Points closer than MIN_KNOT squared still get a knot interval of MIN_KNOT, so knots strictly increase
   (a camera that stands still while it turns is a segment of near-zero length, not a division by zero).
3. Maps between increasing scalars (time -> s, constant-speed time -> s) are monotone piecewise cubic
   Hermite (Fritsch-Carlson PCHIP): C1, through every sample, never overshooting, so p(t) = p(s(t)) stays
   C1 in time and passes through each keyframe at its time. At constant speed, time is arc length over
   speed, except on segments shorter than STILL (turns on the spot), which keep their keyframe duration.
4. Easing is a trapezoidal speed profile over a clock: speed ramps linearly from 0 over `ease` seconds at
   each end, constant in between, with the total duration kept. It is C1; with ease 0 (or below MIN_EASE)
   it is the identity.
5. Everything is vectorised over the query values: (m,) in, (m, ...) out, in chunks of CHUNK so memory
   stays bounded on paths of 100,000 keyframes (arc-length tables at most ARC_ROWS rows).
"""

from __future__ import annotations

from typing import Any

import numpy as np

ALPHA = 0.5  # centripetal
MIN_KNOT = 1e-6  # smallest knot interval (rule 2)
ARC_SAMPLES = 64  # per segment, for the arc-length table
ARC_ROWS = 1 << 20  # rows of an arc-length table at most (but 8 per segment at least)
CHUNK = 1 << 16  # spline queries evaluated at once
MIN_EASE = 1e-6  # seconds; shorter ramps are none (rule 4)
STILL = 0.01  # metres: a segment shorter than this is a turn on the spot (rule 3)


def centripetal_knots(points: np.ndarray) -> np.ndarray:
    """Knots (n,) float64 of points (n, d): 0 at the first, then cumulative |step| ** ALPHA (rule 2)."""
    steps = np.linalg.norm(np.diff(points, axis=0), axis=1) ** ALPHA
    return np.concatenate([[0.0], np.cumsum(np.maximum(steps, MIN_KNOT))])


def _padded(values: np.ndarray, knots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """values (n, c) and knots (n,) with a phantom row at each end: values reflected through the end points,
    knots extended by the end intervals (the reflection's own centripetal spacing)."""
    first, last = 2 * values[0] - values[1], 2 * values[-1] - values[-2]
    v = np.concatenate([first[None], values, last[None]])
    k = np.concatenate([[2 * knots[0] - knots[1]], knots, [2 * knots[-1] - knots[-2]]])
    return v, k


def catmull_rom(values: Any, knots: Any, s: Any) -> np.ndarray:
    """Evaluate the Catmull-Rom spline through values (n, c) at knots (n,) (n >= 2, increasing) at
    parameters s (m,); returns (m, c). s outside the knots is clamped to the ends. Long queries run in
    chunks of CHUNK so the temporaries stay small (rule 5)."""
    values = np.asarray(values, np.float64)
    knots = np.asarray(knots, np.float64)
    if len(values) < 2 or len(knots) != len(values):
        raise ValueError("a Catmull-Rom spline needs at least two points, one knot each")
    s = np.clip(np.asarray(s, np.float64), knots[0], knots[-1])
    v, k = _padded(values, knots)
    if len(s) <= CHUNK:
        return _barry_goldman(v, k, knots, s)
    return np.concatenate([_barry_goldman(v, k, knots, s[a:a + CHUNK]) for a in range(0, len(s), CHUNK)])


def _barry_goldman(v: np.ndarray, k: np.ndarray, knots: np.ndarray, s: np.ndarray) -> np.ndarray:
    """The Barry-Goldman pyramid at s (m,) through padded values v (n + 2, c) and padded knots k (n + 2,)."""
    i = np.clip(np.searchsorted(knots, s, side="right") - 1, 0, len(knots) - 2) + 1  # segment: v[i]..v[i+1]
    t0, t1, t2, t3 = (k[i + j][:, None] for j in (-1, 0, 1, 2))
    p0, p1, p2, p3 = (v[i + j] for j in (-1, 0, 1, 2))
    x = s[:, None]
    a1 = ((t1 - x) * p0 + (x - t0) * p1) / (t1 - t0)
    a2 = ((t2 - x) * p1 + (x - t1) * p2) / (t2 - t1)
    a3 = ((t3 - x) * p2 + (x - t2) * p3) / (t3 - t2)
    b1 = ((t2 - x) * a1 + (x - t0) * a2) / (t2 - t0)
    b2 = ((t3 - x) * a2 + (x - t1) * a3) / (t3 - t1)
    return ((t2 - x) * b1 + (x - t1) * b2) / (t2 - t1)


def pchip_slopes(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Fritsch-Carlson slopes (n,) for a monotone cubic through (x, y) (n >= 2, x strictly increasing)."""
    h = np.diff(x)
    delta = np.diff(y) / h
    m = np.zeros_like(y)
    if len(x) == 2:
        return np.full(2, delta[0])
    w1, w2 = 2 * h[1:] + h[:-1], h[1:] + 2 * h[:-1]
    same = (delta[:-1] * delta[1:]) > 0
    d0, d1 = np.where(same, delta[:-1], 1.0), np.where(same, delta[1:], 1.0)
    m[1:-1] = np.where(same, (w1 + w2) / (w1 / d0 + w2 / d1), 0.0)  # weighted harmonic mean
    m[0] = _end_slope(h[0], h[1], delta[0], delta[1])
    m[-1] = _end_slope(h[-1], h[-2], delta[-1], delta[-2])
    return m


def _end_slope(h0: float, h1: float, d0: float, d1: float) -> float:
    """One-sided three-point slope at an end, limited so the end segment stays monotone."""
    m = ((2 * h0 + h1) * d0 - h0 * d1) / (h0 + h1)
    if np.sign(m) != np.sign(d0):
        return 0.0
    if np.sign(d0) != np.sign(d1) and abs(m) > abs(3 * d0):
        return 3 * d0
    return float(m)


def hermite(x: np.ndarray, y: np.ndarray, m: np.ndarray, q: Any) -> np.ndarray:
    """The cubic Hermite through (x, y) with slopes m at queries q (m,), clamped to [x0, x_end]."""
    q = np.clip(np.asarray(q, np.float64), x[0], x[-1])
    i = np.clip(np.searchsorted(x, q, side="right") - 1, 0, len(x) - 2)
    h = x[i + 1] - x[i]
    u = (q - x[i]) / h
    u2, u3 = u * u, u * u * u
    return ((2 * u3 - 3 * u2 + 1) * y[i] + (u3 - 2 * u2 + u) * h * m[i]
            + (-2 * u3 + 3 * u2) * y[i + 1] + (u3 - u2) * h * m[i + 1])


class MonotoneMap:
    """A C1 piecewise cubic through samples (x (n,), y (n,)), x strictly increasing (rule 3): monotone where
    the samples are, flat at their local extremes, so it never overshoots (used for fov too)."""

    def __init__(self, x: Any, y: Any) -> None:
        self.x = np.asarray(x, np.float64)
        self.y = np.asarray(y, np.float64)
        self.m = pchip_slopes(self.x, self.y)

    def __call__(self, q: Any) -> np.ndarray:
        return hermite(self.x, self.y, self.m, q)


def arc_samples(segments: int) -> int:
    """Rows per segment of an arc-length table: ARC_SAMPLES, fewer (down to 8) on paths so long that the
    table would pass ARC_ROWS; their segments are short, so a few chords measure them well."""
    return int(min(ARC_SAMPLES, max(8, ARC_ROWS // max(segments, 1))))


def arc_length_table(values: np.ndarray, knots: np.ndarray, samples: int) -> tuple[np.ndarray, np.ndarray]:
    """(s (k,), length (k,)), k = (n - 1) * samples + 1: knot parameters and the spline's arc length (of
    the first 3 columns of values, the position) from the start to each, `samples` rows per segment."""
    u = np.linspace(0.0, 1.0, samples, endpoint=False)
    s = np.concatenate([(knots[:-1, None] + u * np.diff(knots)[:, None]).ravel(), knots[-1:]])
    points = catmull_rom(values, knots, s)[:, :3]
    length = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(points, axis=0), axis=1))])
    return s, length


def constant_speed_map(s: np.ndarray, length: np.ndarray, times: np.ndarray, samples: int) -> MonotoneMap:
    """The map from seconds since the first key to knot parameter at constant speed (rule 3), from an
    arc-length table (s (k,), length (k,)) of `samples` rows per segment and the key times (n,).

    Segments shorter than STILL metres (the camera turning on the spot) keep their own keyframe duration,
    spread evenly over their knot interval: at constant speed they would take no time and the camera would
    snap round. The moving segments share the rest of the time by their length."""
    dt = np.diff(np.asarray(times, np.float64))
    duration = float(dt.sum())
    seg_length = np.diff(length[::samples])  # (n - 1,)
    still = seg_length < STILL
    if still.all():  # nothing moves: the keyframe times, as without constant speed
        return MonotoneMap(np.concatenate([[0.0], np.cumsum(dt)]), s[::samples])
    speed = seg_length[~still].sum() / dt[~still].sum()
    seg = np.repeat(np.arange(len(dt)), samples)  # the segment of each step between rows
    step = np.where(still[seg], dt[seg] / samples, np.diff(length) / speed)
    clock = np.concatenate([[0.0], np.cumsum(step)])
    clock *= duration / clock[-1]  # rounding: the last key must be reached exactly at the end
    keep = np.concatenate([[True], step > duration * 1e-12])  # rows where the curve stalls add no time
    s_kept = s[keep]
    s_kept[-1] = s[-1]  # a dropped last row must still map the end to the last knot
    return MonotoneMap(clock[keep], s_kept)


def ease_warp(u: Any, duration: float, ease: float) -> np.ndarray:
    """Eased clock (m,): seconds 0..duration -> 0..duration with a trapezoidal speed profile (rule 4)."""
    u = np.clip(np.asarray(u, np.float64), 0.0, duration)
    e = min(max(ease, 0.0), duration / 2.0)
    if e < MIN_EASE or duration <= 0.0:  # a ramp of a microsecond is no ramp, and its 1 / e would overflow
        return u
    v = duration / (duration - e)  # cruise speed: the ramps lose e/2 seconds of distance each
    a = v / e
    head = 0.5 * a * u * u
    tail = duration - 0.5 * a * (duration - u) ** 2
    middle = 0.5 * a * e * e + v * (u - e)
    return np.where(u < e, head, np.where(u > duration - e, tail, middle))
