"""Recording a camera path: poses sampled at a fixed rate while recording, thinned to keyframes at the end.

Rules this module keeps:
1. Pure and clocked from outside: `sample(now, position, orientation, fov)` is called every frame with the
   caller's clock. Poses are kept on a fixed grid of that clock: the first pose offered in each slot
   [k / rate, (k + 1) / rate) since `start(now)`, so the window's frame rate does not change how many are
   kept (a "1/rate since the last kept one" rule would keep every second frame at 15 fps, but every
   third at 30 fps for rate 10, and so record at 7.5 Hz). A kept pose is also at least half a slot after
   the one before, so jittery frames cannot put two keyframes microseconds apart. Keyframe times are
   seconds since start(now).
2. Poses that cannot be a camera (non-finite numbers, a zero quaternion, fov outside (0, MAX_FOV), a
   position or time beyond what a CameraPath holds) or that go back in time are ignored, so a glitch in
   one frame cannot spoil the recording.
3. stop() always keeps the last pose offered (the path ends where the camera stopped; it replaces the last
   kept one when closer than MIN_TIME_STEP to it) and returns a CameraPath, or None when fewer than two
   distinct times were recorded (a tap on the key).
4. Thinning (`thin`) drops samples that the kept ones predict within tolerance: Ramer-Douglas-Peucker over
   time, the prediction linear in time between two kept samples (position lerp, slerp, fov lerp).
   Error is the largest of position error / position_tolerance, angle / angle_tolerance and
   fov error / fov_tolerance; a sample is kept when that exceeds 1. The spline through the kept samples
   bends away from that linear prediction, so stop() then checks the path itself against every recorded
   pose and keeps the worst sample of each span that is still out of tolerance, until none is
   (`refine`): the recorded path reproduces every recorded pose within the tolerances.
5. Bounded: at most MAX_SAMPLES poses per recording (an hour at 10 Hz); later poses are ignored, except
   that the last one offered still ends the path.
6. Given the city (`obstacles`, see flythrough/clearance.py), thinning never cuts a corner through it: where
   the path through the kept poses comes within `clearance` of the city where the recorded poses around that
   moment were clear, the recorded poses on either side are kept too, until it does not (`keep_clear`).
   Where the walk itself went close (along a wall), the path may go as close (less CLEAR_SLACK), not closer.
"""

from __future__ import annotations

import math

import numpy as np

from viewer.flythrough import quat
from viewer.flythrough.clearance import DEFAULT_CLEARANCE, Obstacles, sample_densely
from viewer.flythrough.path import MAX_COORDINATE, MAX_FOV, MAX_TIME, MIN_TIME_STEP, CameraPath, Keyframe

DEFAULT_RATE = 10.0  # poses per second
MAX_RATE = 1000.0  # so kept poses are at least half a millisecond apart, more than MIN_TIME_STEP
MAX_SAMPLES = 36_000
CLEAR_SLACK = 0.05  # of the clearance: closer than the recorded poses by less than this is the spline's wobble
_SLOT_SLACK = 1e-6  # of a slot: a frame at 0.0999999 s (3 / 30 by floating point) counts as the 0.1 s slot


class PathRecorder:
    """Collects poses between start() and stop() (rules 1-3, 5, 6 with `obstacles`)."""

    def __init__(self, name: str, rate: float = DEFAULT_RATE, position_tolerance: float = 0.2,
                 angle_tolerance: float = 1.0, fov_tolerance: float = 0.2, obstacles: Obstacles | None = None,
                 clearance: float = DEFAULT_CLEARANCE) -> None:
        if not (math.isfinite(rate) and 0 < rate <= MAX_RATE):
            raise ValueError(f"the recording rate must be > 0 and at most {MAX_RATE:g} poses per second")
        tolerances = (float(position_tolerance), float(angle_tolerance), float(fov_tolerance))
        if not all(math.isfinite(v) and v > 0 for v in tolerances):
            raise ValueError("tolerances must be finite and > 0")
        if not (math.isfinite(clearance) and clearance > 0):
            raise ValueError("the clearance must be a finite number of metres > 0")
        self.name, self.rate = name, float(rate)
        self.obstacles, self.clearance = obstacles, float(clearance)
        self.tolerances = tolerances
        self.recording = False
        self._t0 = 0.0
        self._rows: list[tuple[float, ...]] = []  # t, x, y, z, qw, qx, qy, qz, fov
        self._last: tuple[float, ...] | None = None
        self._slot = -1  # the grid slot of the last kept pose (rule 1)

    def start(self, now: float) -> None:
        """Begin a new recording at the caller's time `now` (seconds), dropping any previous one."""
        self.recording, self._t0 = True, float(now)
        self._rows, self._last, self._slot = [], None, -1

    def sample(self, now: float, position: tuple[float, float, float],
               orientation: tuple[float, float, float, float], fov: float) -> bool:
        """Offer the pose at `now`; returns whether it was kept."""
        if not self.recording:
            return False
        t = float(now) - self._t0
        row = (t, *map(float, position), *map(float, orientation), float(fov))
        if not _plausible(row) or (self._last is not None and t <= self._last[0]):
            return False  # rule 2
        self._last = row
        slot = math.floor(t * self.rate + _SLOT_SLACK)
        too_close = bool(self._rows) and t - self._rows[-1][0] < 0.5 / self.rate  # a late frame, then a quick one
        if slot <= self._slot or too_close or len(self._rows) >= MAX_SAMPLES:
            return False
        self._rows.append(row)
        self._slot = slot
        return True

    @property
    def elapsed(self) -> float:
        """Seconds recorded so far (to the last pose offered)."""
        return self._last[0] if self._last is not None else 0.0

    @property
    def kept(self) -> int:
        """How many poses were kept so far (before thinning)."""
        return len(self._rows)

    def stop(self) -> CameraPath | None:
        """End the recording: the thinned path (rule 3), or None."""
        self.recording = False
        rows = list(self._rows)
        if self._last is not None and rows and self._last[0] > rows[-1][0]:
            if self._last[0] - rows[-1][0] < MIN_TIME_STEP:
                rows[-1] = self._last
            else:
                rows.append(self._last)
        if len(rows) < 2:
            return None
        table = np.array(rows, np.float64)
        keep = thin(table[:, 0], table[:, 1:4], table[:, 4:8], table[:, 8], *self.tolerances)
        keep = refine(self.name, table, keep, self.tolerances)
        if self.obstacles is not None:
            keep = keep_clear(self.name, table, keep, self.obstacles, self.clearance)
        return CameraPath(self.name, _keyframes(table[keep]))


def _plausible(row: tuple[float, ...]) -> bool:
    """Whether a (t, x, y, z, qw, qx, qy, qz, fov) row can be a camera pose (rule 2)."""
    return (all(math.isfinite(v) for v in row) and row[0] <= MAX_TIME
            and all(abs(v) <= MAX_COORDINATE for v in row[1:4]) and math.hypot(*row[4:8]) > 1e-6
            and 0 < row[8] < MAX_FOV)


def _keyframes(rows: np.ndarray) -> tuple[Keyframe, ...]:
    """Keyframes from rows (k, 9) t, x, y, z, qw, qx, qy, qz, fov."""
    q = quat.normalize(rows[:, 4:8])
    return tuple(Keyframe(float(r[0]), (float(r[1]), float(r[2]), float(r[3])),
                          (float(w), float(x), float(y), float(z)), float(r[8]))
                 for r, (w, x, y, z) in zip(rows, q, strict=True))


def _errors(positions: np.ndarray, orientations: np.ndarray, fov: np.ndarray,
            predicted: tuple[np.ndarray, np.ndarray, np.ndarray], tolerances: tuple[float, float, float]
            ) -> np.ndarray:
    """The error (m,) of predicted (positions, unit orientations, fov) against recorded ones, in tolerances
    (rule 4: the worst of position, angle and fov, each divided by its tolerance)."""
    p, q, f = predicted
    pos_err = np.linalg.norm(p - positions, axis=1)
    dots = np.clip(np.abs(np.sum(q * orientations, axis=1)), 0.0, 1.0)
    angle = np.degrees(2.0 * np.arccos(dots))
    fov_err = np.abs(f - fov)
    return np.maximum(np.maximum(pos_err / tolerances[0], angle / tolerances[1]), fov_err / tolerances[2])


def refine(name: str, table: np.ndarray, keep: np.ndarray, tolerances: tuple[float, float, float],
           rounds: int = 20) -> np.ndarray:
    """keep (k,) grown until the path through table[keep] reproduces every row of table (n, 9) within the
    tolerances (rule 4): each round adds the worst row of every span between kept rows that is out. After
    `rounds` it keeps every row, which the path passes through exactly."""
    q = quat.normalize(table[:, 4:8])
    for _ in range(rounds):
        samples = CameraPath(name, _keyframes(table[keep])).sample(table[:, 0])
        err = _errors(table[:, 1:4], q, table[:, 8],
                      (samples.positions, samples.orientations, samples.fov), tolerances)
        err[keep] = 0.0
        if not np.any(err > 1.0):
            break
        span = np.searchsorted(keep, np.arange(len(table)))  # rows between keep[j-1] and keep[j] share j
        order = np.lexsort((-err, span))  # by span, worst first within each
        first = np.concatenate([[True], span[order][1:] != span[order][:-1]])
        worst = order[first]
        keep = np.union1d(keep, worst[err[worst] > 1.0])
    else:
        return np.arange(len(table))
    return keep


def keep_clear(name: str, table: np.ndarray, keep: np.ndarray, obstacles: Obstacles, clearance: float,
               rounds: int = 20) -> np.ndarray:
    """keep (k,) grown until the path through table[keep] comes no closer to the obstacles than `clearance`
    or than the recorded rows of table (n, 9) on either side of each moment (rule 6)."""
    recorded, _ = obstacles.intrusions(table[:, 1:4], clearance)  # inf where a row was clear
    last = len(table) - 1
    for _ in range(rounds):
        samples = sample_densely(CameraPath(name, _keyframes(table[keep])), clearance)
        distance, _ = obstacles.intrusions(samples.positions, clearance)
        after = np.clip(np.searchsorted(table[:, 0], samples.times), 1, last)
        near = np.minimum(recorded[after - 1], recorded[after])  # inf where both rows were clear
        worse = np.isfinite(distance) & (distance < near - CLEAR_SLACK * clearance)
        rows = np.union1d(after[worse] - 1, after[worse])
        more = np.setdiff1d(rows, keep)
        if more.shape[0] == 0:
            break
        keep = np.union1d(keep, more)
    return keep


def thin(times: np.ndarray, positions: np.ndarray, orientations: np.ndarray, fov: np.ndarray,
         position_tolerance: float = 0.2, angle_tolerance: float = 1.0,
         fov_tolerance: float = 0.2) -> np.ndarray:
    """Indices (k,) int64, increasing, of the samples to keep (rule 4); the first and last always.

    times (n,) strictly increasing; positions (n, 3); orientations (n, 4) unit; fov (n,)."""
    n = len(times)
    if n == 0:
        return np.zeros(0, np.int64)
    tolerances = (position_tolerance, angle_tolerance, fov_tolerance)
    q = quat.align(orientations)
    keep = np.zeros(n, bool)
    keep[[0, n - 1]] = True
    stack = [(0, n - 1)]
    while stack:  # iterative RDP: one numpy pass per span, no recursion limit on long recordings
        a, b = stack.pop()
        if b - a < 2:
            continue
        inner = np.arange(a + 1, b)
        u = (times[inner] - times[a]) / (times[b] - times[a])
        predicted = (positions[a] + u[:, None] * (positions[b] - positions[a]), quat.slerp(q[a], q[b], u),
                     fov[a] + u * (fov[b] - fov[a]))
        err = _errors(positions[inner], q[inner], fov[inner], predicted, tolerances)
        worst = int(np.argmax(err))
        if err[worst] > 1.0:
            m = int(inner[worst])
            keep[m] = True
            stack += [(a, m), (m, b)]
    return np.flatnonzero(keep)
