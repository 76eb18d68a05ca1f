"""Glides: smooth camera moves between two views (bookmarks, fly-to, landing), and where to land.

Rules this module keeps:
1. Pure and clock-free: a Glide is asked for the view at a time since it began (seconds); the window
   passes its own clock. Position follows a smoothstep (zero speed at both ends, no jump); heading turns
   the short way round; a long glide rises in an arc (ARC x the distance, at most MAX_ARC metres) so it
   passes over the city rather than through it.
2. A glide's length grows with the distance (MIN_SECONDS..MAX_SECONDS): a few streets take about a second,
   the far side of a city two.
3. Landing (land_spot): the walker lands where the view ray first meets the scene; a hit on a roof or
   wall (higher than STANDING above the ground there) is walked back toward the camera, in BACK_STEP
   steps, to the first open ground, so an avatar never starts on a roof or inside a building.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from viewer.nav.index import CollisionIndex
from viewer.nav.kinematics import wrap_degrees

Vec3 = tuple[float, float, float]
MIN_SECONDS, MAX_SECONDS = 0.8, 2.0
SECONDS_PER_KM = 1.0
ARC, MAX_ARC = 0.15, 300.0
STANDING = 0.5  # metres above the ground that still count as standing on it
BACK_STEP, MAX_BACK = 2.0, 400.0  # metres


def smoothstep(t: float) -> float:
    """0 at t <= 0, 1 at t >= 1, zero slope at both ends."""
    t = min(max(t, 0.0), 1.0)
    return t * t * (3.0 - 2.0 * t)


def glide_seconds(a: Any, b: Any) -> float:
    """How long a glide from a to b takes (rule 2)."""
    km = float(np.linalg.norm(np.subtract(b, a))) / 1000.0
    return min(MAX_SECONDS, MIN_SECONDS + SECONDS_PER_KM * km)


@dataclass(frozen=True)
class Glide:
    """From a camera at `start` looking at `start_at` to `end` looking at `end_at` in `seconds`."""

    start: Vec3
    start_at: Vec3
    end: Vec3
    end_at: Vec3
    seconds: float

    @classmethod
    def between(cls, start: Any, start_at: Any, end: Any, end_at: Any) -> Glide:
        return cls(_vec(start), _vec(start_at), _vec(end), _vec(end_at), glide_seconds(start, end))

    def done(self, elapsed: float) -> bool:
        return elapsed >= self.seconds

    def at(self, elapsed: float) -> tuple[Vec3, Vec3]:
        """(camera position, look-at point) `elapsed` seconds in (rule 1)."""
        k = smoothstep(elapsed / self.seconds if self.seconds > 0 else 1.0)
        a, b = np.asarray(self.start), np.asarray(self.end)
        lift = min(ARC * float(np.linalg.norm(b - a)), MAX_ARC) * 4.0 * k * (1.0 - k)
        position = a + (b - a) * k + np.array([0.0, 0.0, lift])
        target = np.asarray(self.start_at) + (np.asarray(self.end_at) - np.asarray(self.start_at)) * k
        return _vec(position), _vec(target)


def blend_angles(a: tuple[float, float], b: tuple[float, float], k: float) -> tuple[float, float]:
    """(heading, pitch) a fraction k of the way from a to b, the heading the short way round."""
    return wrap_degrees(a[0] + wrap_degrees(b[0] - a[0]) * k), a[1] + (b[1] - a[1]) * k


def land_spot(index: CollisionIndex, eye: Any, hit: Any) -> Vec3:
    """Where a walker lands for a view from `eye` whose ray met the scene at `hit` (rule 3): feet position."""
    x, y, z = (float(v) for v in hit)
    if z - index.ground_under(x, y) <= STANDING:
        return (x, y, index.ground(x, y, z + STANDING)[0])
    back = np.subtract(eye, hit)[:2]
    norm = float(np.hypot(*back))
    back = back / norm if norm > 1e-9 else np.array([0.0, -1.0])
    for step in np.arange(BACK_STEP, MAX_BACK + BACK_STEP, BACK_STEP):
        px, py = x + back[0] * step, y + back[1] * step
        ground = index.ground_under(px, py)
        floor = index.ground(px, py, ground + STANDING)[0]
        if abs(floor - ground) <= STANDING and index.ground(px, py)[0] <= ground + STANDING:  # open sky above
            return (float(px), float(py), floor)
    return (x, y, index.ground_under(x, y))


def _vec(a: Any) -> Vec3:
    return (float(a[0]), float(a[1]), float(a[2]))

