"""Smooth motion of other participants: a short track of received poses, sampled slightly in the past.

Rules:
1. Poses are stamped with their arrival time on this machine (never the sender's clock, which may be
   anything). The view is drawn `delay` seconds behind now and interpolated between the two samples that
   bracket that moment, so an avatar glides between updates that arrive at 10-20 Hz with jitter.
2. Beyond the newest sample the pose holds (no extrapolation: a participant who stopped sending stands
   still rather than walking through a wall); before the oldest it is the oldest.
3. A jump longer than `snap_distance` metres between two samples (a teleport to a bookmark) is not
   interpolated: the avatar snaps, instead of flying across the city.
4. Headings turn the short way round (350 -> 10 passes through 0). Bounded: `size` samples per track.
"""

from __future__ import annotations

import math
from collections import deque

from viewer.meeting.fields import Vec3, wrap_degrees
from viewer.meeting.messages import Pose

DELAY = 0.1  # seconds behind now: two updates at 20 Hz, one at 10 Hz
SNAP_DISTANCE = 50.0


class PoseTrack:
    """The recent poses of one participant (rules 1-4)."""

    def __init__(self, size: int = 16, snap_distance: float = SNAP_DISTANCE) -> None:
        self.samples: deque[tuple[float, Pose]] = deque(maxlen=size)
        self.snap_distance = snap_distance

    def add(self, arrival: float, pose: Pose) -> None:
        """A pose that arrived at `arrival` (seconds, the local clock); out-of-order arrivals are dropped."""
        if self.samples and arrival < self.samples[-1][0]:
            return
        self.samples.append((arrival, pose))

    @property
    def latest(self) -> Pose | None:
        return self.samples[-1][1] if self.samples else None

    def sample(self, t: float) -> Pose | None:
        """The pose at time `t` (already `delay` behind now), or None before any sample."""
        if not self.samples:
            return None
        if t >= self.samples[-1][0]:
            return self.samples[-1][1]
        if t <= self.samples[0][0]:
            return self.samples[0][1]
        for (t0, a), (t1, b) in zip(self.samples, list(self.samples)[1:], strict=False):
            if t0 <= t <= t1:
                if _distance(a.position, b.position) > self.snap_distance:
                    return b if t >= t1 else a
                return lerp_pose(a, b, 0.0 if t1 <= t0 else (t - t0) / (t1 - t0))
        return self.samples[-1][1]


def lerp_pose(a: Pose, b: Pose, f: float) -> Pose:
    """The pose a fraction f (0..1) of the way from a to b; headings the short way round."""
    return Pose(_lerp3(a.position, b.position, f), wrap_degrees(a.heading + wrap_degrees(b.heading - a.heading) * f),
                _lerp3(a.eye, b.eye, f), a.pitch + (b.pitch - a.pitch) * f, a.time + (b.time - a.time) * f)


def _lerp3(a: Vec3, b: Vec3, f: float) -> Vec3:
    return (a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f)


def _distance(a: Vec3, b: Vec3) -> float:
    return math.dist(a, b)
