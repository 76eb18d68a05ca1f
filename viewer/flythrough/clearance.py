"""Clearance of camera paths: where a path comes too close to the city, and paths routed over what is in the way.

Rules this module keeps:
1. Pure and free of the city: the geometry is an `Obstacles` object passed in (viewer/nav/clearance.py's
   CityClearance is the real one; flythrough and nav are sibling layers, app/ joins them).
2. A path is sampled densely by time AND by distance (`dense_times`): at most `step_s` seconds and, along
   the curve, at most a quarter of the clearance between samples, so crossing even a zero-thickness wall
   puts a sample within clearance / 8 of it and nothing is skipped however fast the camera flies.
3. A hit is a run of consecutive samples that intrude: its first and last time, the closest distance
   (0 inside a solid) and the objects, in the order met.
4. `route_over` keeps the path's keyframes and adds keyframes only: for each hit, one at its deepest sample
   away from the keyframes, lifted to `clearance` above the highest surface near it, then checks again
   (ROUTE_ROUNDS at most). A hit at a keyframe itself (a bookmark inside a building) cannot be routed and
   is returned with the path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from viewer.flythrough.path import MIN_TIME_STEP, CameraPath, Keyframe, PathSamples

DEFAULT_CLEARANCE = 2.0  # metres: the near plane and a margin
STEP_FRACTION = 0.25  # of the clearance, between samples along the path (rule 2)
STEP_SECONDS = 0.05
MAX_SAMPLES = 2_000_000  # a longer path is sampled more coarsely rather than without end
ROUTE_ROUNDS = 12
LIFT = 1.5  # clearances above the highest surface near a hit: a lifted keyframe is clear with a margin


class Obstacles(Protocol):
    """What the clearance check needs of a city (viewer.nav.clearance.CityClearance)."""

    def intrusions(self, points: Any, clearance: float) -> tuple[np.ndarray, np.ndarray]:
        """(distance (m,), object (m,)) of the surface each point (m, 3) comes closest to within its allowance:
        inf and a negative object when clear, 0 inside a solid."""
        ...

    def ceiling(self, points: Any, radius: float) -> np.ndarray:
        """Highest surface z (m,) within `radius` of each point's xy."""
        ...

    def name(self, index: int) -> str:
        """The object id of an object index."""
        ...


@dataclass(frozen=True)
class ClearanceHit:
    """Path seconds start..end where the camera is closer than the clearance: closest metres (0 inside),
    objects the object ids met, in order."""

    start: float
    end: float
    closest: float
    objects: tuple[str, ...]

    def describe(self, most: int = 4) -> str:
        names = ", ".join(self.objects[:most]) + (f" and {len(self.objects) - most} more"
                                                   if len(self.objects) > most else "")
        where = "inside" if self.closest == 0.0 else f"{self.closest:.1f} m from"
        return f"{self.start:.2f}-{self.end:.2f} s: {where} {names}"


def dense_times(path: CameraPath, step_m: float, step_s: float = STEP_SECONDS) -> np.ndarray:
    """Times (n,) over the whole path, increasing, at most step_s apart and (within a few per cent) at most
    step_m apart along the curve (rule 2)."""
    step_m = max(step_m, path.length / MAX_SAMPLES, 1e-3)
    t = np.linspace(path.start, path.end, max(2, math.ceil(path.duration / step_s) + 1))
    for _ in range(4):
        positions = path.sample(t).positions
        pieces = np.ceil(np.linalg.norm(np.diff(positions, axis=0), axis=1) / (0.9 * step_m)).astype(np.int64)
        if pieces.max(initial=1) <= 1 or pieces.sum() > MAX_SAMPLES:
            break
        pieces = np.maximum(pieces, 1)
        seg = np.repeat(np.arange(len(pieces)), pieces)
        within = np.arange(seg.shape[0]) - np.repeat(np.cumsum(pieces) - pieces, pieces)
        t = np.append(t[seg] + (t[seg + 1] - t[seg]) * within / pieces[seg], t[-1])
    return t


def sample_densely(path: CameraPath, clearance: float) -> PathSamples:
    return path.sample(dense_times(path, STEP_FRACTION * clearance))


def hits_of(samples: PathSamples, distance: np.ndarray, objects: np.ndarray,
            obstacles: Obstacles) -> list[ClearanceHit]:
    """The runs of intruding samples (rule 3)."""
    bad = np.isfinite(distance)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], bad.astype(np.int8), [0]])))
    hits = []
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        names = dict.fromkeys(obstacles.name(int(o)) for o in objects[a:b])
        hits.append(ClearanceHit(float(samples.times[a]), float(samples.times[b - 1]),
                                 float(distance[a:b].min()), tuple(names)))
    return hits


def check_path(path: CameraPath, obstacles: Obstacles, clearance: float = DEFAULT_CLEARANCE) -> list[ClearanceHit]:
    """Where `path` comes closer than `clearance` metres to the obstacles, in time order."""
    samples = sample_densely(path, clearance)
    distance, objects = obstacles.intrusions(samples.positions, clearance)
    return hits_of(samples, distance, objects, obstacles)


def route_over(path: CameraPath, obstacles: Obstacles,
               clearance: float = DEFAULT_CLEARANCE) -> tuple[CameraPath, list[ClearanceHit]]:
    """`path` with keyframes added above what it passed through (rule 4), and the hits left (none when clear)."""
    for _ in range(ROUTE_ROUNDS):
        samples = sample_densely(path, clearance)
        distance, objects = obstacles.intrusions(samples.positions, clearance)
        hits = hits_of(samples, distance, objects, obstacles)
        added = _lifted_keys(path, samples, distance, obstacles, clearance)
        if not hits or not added:
            return path, hits
        keys = sorted([*path.keyframes, *added], key=lambda k: k.t)
        path = CameraPath(path.name, tuple(keys), path.constant_speed, path.ease)
    return path, check_path(path, obstacles, clearance)


def _lifted_keys(path: CameraPath, samples: PathSamples, distance: np.ndarray, obstacles: Obstacles,
                 clearance: float) -> list[Keyframe]:
    """One keyframe per run of intruding samples, at its deepest sample at least `clearance` metres from every
    keyframe, lifted clear of the surfaces near it (rule 4)."""
    key_positions = np.array([k.position for k in path.keyframes])
    near_key = np.linalg.norm(samples.positions[:, None, :] - key_positions[None], axis=2).min(axis=1)
    clock = path.clock_at(samples.times)
    key_times = np.array([k.t for k in path.keyframes])
    bad = np.isfinite(distance)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], bad.astype(np.int8), [0]])))
    keys = []
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        run = np.arange(a, b)
        run = run[(near_key[run] >= clearance)
                  & (np.abs(clock[run, None] - key_times[None]).min(axis=1) >= 10 * MIN_TIME_STEP)]
        if run.shape[0] == 0:
            continue  # the hit is at a keyframe: nothing to route (rule 4)
        i = int(run[np.argmin(distance[run])])
        x, y, z = (float(v) for v in samples.positions[i])
        top = float(obstacles.ceiling(samples.positions[i:i + 1], clearance)[0])
        w, qx, qy, qz = (float(v) for v in samples.orientations[i])
        keys.append(Keyframe(float(clock[i]), (x, y, max(z, top + LIFT * clearance)), (w, qx, qy, qz),
                             float(samples.fov[i])))
    return keys
