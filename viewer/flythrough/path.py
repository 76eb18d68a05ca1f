"""Camera paths: keyframes (time, position, orientation, fov) and the smooth pose at any time between them.

Rules this module keeps:
1. A CameraPath has at least two keyframes with times within +-MAX_TIME seconds, each at least
   MIN_TIME_STEP after the one before (closer keys would make the time map's slopes overflow, and could
   collapse when the file rounds them), positions within MAX_COORDINATE (local metres, x east, y north,
   z up), unit quaternions (flythrough/quat.py) and a vertical fov in (0, MAX_FOV) degrees. The
   constructor checks this and raises ValueError naming the keyframe's index; the path file names the key.
2. The path runs from its first keyframe's time to its last. Positions follow a centripetal Catmull-Rom
   spline (knots from the positions: flythrough/spline.py); fov a monotone piecewise cubic over the same
   knots (not the position spline: a zoom while standing still is a segment of almost no knot length,
   where Catmull-Rom's tangents would blow up); orientation follows squad through the keyframes'
   quaternions, with the same segment and the same fraction as the position, so orientation stays
   attached to the place on the path.
3. Timing: by default a monotone C1 map from time to the spline's knots, so with ease = 0 the camera is
   exactly at each keyframe at its time. constant_speed=True reparametrises by arc length instead: equal
   times give equal distances, and only the first and last keyframe times are kept, except that a turn on
   the spot (a segment shorter than spline.STILL) keeps its own duration rather than snapping round in no
   time. `ease` seconds of speed ramp at each end apply in both modes (spline.ease_warp).
4. Sampling is vectorised: `sample(times (m,))` gives positions (m, 3), orientations (m, 4), fov (m,).
   Times outside the path are clamped to its ends; non-finite times are a ValueError.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from viewer.errors import ConfigError
from viewer.flythrough import quat
from viewer.flythrough.spline import (
    MonotoneMap,
    arc_length_table,
    arc_samples,
    catmull_rom,
    centripetal_knots,
    constant_speed_map,
    ease_warp,
)

MAX_FOV = 170.0
MAX_COORDINATE = 1e7  # metres from the scene origin; a camera farther out is a mistake
MAX_TIME = 1e6  # seconds (11 days) either side of zero
MIN_TIME_STEP = 1e-4  # seconds between keyframes (rule 1)
MAX_FRAMES = 10_000_000  # frames of one video: 90 hours at 30 fps


@dataclass(frozen=True)
class Keyframe:
    """One camera pose at time t (seconds): position (3,) metres, orientation (w, x, y, z), fov degrees."""

    t: float
    position: tuple[float, float, float]
    orientation: tuple[float, float, float, float]
    fov: float

    @classmethod
    def look(cls, t: float, position: Any, look_at: Any, fov: float, roll: float = 0.0) -> Keyframe:
        """A keyframe at `position` looking at `look_at`."""
        return cls(float(t), _vec3(position), _quat4(quat.from_look_at(position, look_at, roll)), float(fov))

    @classmethod
    def from_hpr(cls, t: float, position: Any, hpr: Any, fov: float) -> Keyframe:
        """A keyframe at `position` turned by heading, pitch, roll degrees (Panda3D's convention)."""
        return cls(float(t), _vec3(position), _quat4(quat.from_hpr(hpr)), float(fov))

    def hpr(self) -> tuple[float, float, float]:
        """Heading, pitch, roll in degrees."""
        h, p, r = quat.to_hpr(self.orientation)
        return (float(h), float(p), float(r))


@dataclass(frozen=True)
class PathSamples:
    """Poses at m times: times (m,), positions (m, 3), orientations (m, 4) unit (w, x, y, z), fov (m,)."""

    times: np.ndarray
    positions: np.ndarray
    orientations: np.ndarray
    fov: np.ndarray

    def __len__(self) -> int:
        return len(self.times)

    def look_at(self, distance: float = 10.0) -> np.ndarray:
        """Points (m, 3) `distance` metres ahead of each pose."""
        return self.positions + distance * quat.forward(self.orientations)

    def hpr(self) -> np.ndarray:
        """Heading, pitch, roll (m, 3) degrees of each pose."""
        return quat.to_hpr(self.orientations)


@dataclass(frozen=True)
class CameraPath:
    """A named camera path: keyframes (rule 1), constant_speed and ease (rule 3)."""

    name: str
    keyframes: tuple[Keyframe, ...]
    constant_speed: bool = False
    ease: float = 0.0
    _curve: _Curve = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keyframes", tuple(self.keyframes))  # a list would make the path unhashable
        check_keyframes(self.keyframes)
        if not (math.isfinite(self.ease) and self.ease >= 0):
            raise ValueError("ease must be a finite number of seconds >= 0")
        object.__setattr__(self, "_curve", _Curve(self.keyframes, self.constant_speed))

    @property
    def start(self) -> float:
        return self.keyframes[0].t

    @property
    def end(self) -> float:
        return self.keyframes[-1].t

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def length(self) -> float:
        """Arc length of the position curve, metres."""
        return self._curve.length

    def sample(self, times: Any) -> PathSamples:
        """The poses at `times` (m,) seconds on the path's clock (rule 4)."""
        t = np.atleast_1d(np.asarray(times, np.float64))
        if not np.all(np.isfinite(t)):
            raise ValueError("sample times must be finite")
        t = np.clip(t, self.start, self.end)
        warped = self.start + ease_warp(t - self.start, self.duration, self.ease)
        positions, orientations, fov = self._curve.at(warped)
        return PathSamples(t, positions, orientations, fov)  # the asked (clamped) times, not the eased clock

    def clock_at(self, times: Any) -> np.ndarray:
        """Keyframe times (m,) at which a keyframe holding the pose sample(times) would lie in order on this
        path: the eased clock, and with constant speed the keyframe times interpolated by the spline's
        knots (rule 3: there, the keyframes' own times are not when the camera passes them)."""
        t = np.clip(np.atleast_1d(np.asarray(times, np.float64)), self.start, self.end)
        warped = self.start + ease_warp(t - self.start, self.duration, self.ease)
        if not self.constant_speed:
            return warped
        knots = self._curve.knots
        s = self._curve.to_s(warped - self.start)
        i = np.clip(np.searchsorted(knots, s, side="right") - 1, 0, len(knots) - 2)
        u = np.clip((s - knots[i]) / (knots[i + 1] - knots[i]), 0.0, 1.0)
        key_times = np.array([k.t for k in self.keyframes])
        return key_times[i] + u * (key_times[i + 1] - key_times[i])

    def frame_times(self, fps: float) -> np.ndarray:
        """The fixed-step clock of a video (n,): start + k / fps for k < round(duration * fps)."""
        return self.start + frame_times(self.duration, fps)


def frame_times(duration: float, fps: float) -> np.ndarray:
    """Frame times (n,) of a fixed-step clock: k / fps for k = 0 .. round(duration * fps) - 1."""
    if not (fps > 0 and math.isfinite(fps)) or not (duration >= 0 and math.isfinite(duration)):
        raise ValueError("fps must be > 0 and the duration finite and >= 0")
    count = round(duration * fps)
    if count > MAX_FRAMES:  # checked before allocating: a path may last days
        raise ValueError(f"{count:,} frames, more than the limit of {MAX_FRAMES:,}")
    return np.arange(count, dtype=np.float64) / fps


class _Curve:
    """The spline of a path: knots, the time map and the squad controls, built once per path."""

    def __init__(self, keyframes: tuple[Keyframe, ...], constant_speed: bool) -> None:
        positions = np.array([k.position for k in keyframes], np.float64)
        self.values = positions  # (n, 3)
        self.knots = centripetal_knots(positions)
        self.fov = MonotoneMap(self.knots, [k.fov for k in keyframes])  # rule 2
        self.keys = quat.align([k.orientation for k in keyframes])
        self.controls = quat.squad_controls(self.keys)
        times = np.array([k.t for k in keyframes], np.float64)
        self.start = float(times[0])
        self._length: float | None = None
        if constant_speed:
            samples = arc_samples(len(keyframes) - 1)
            s, length = arc_length_table(positions, self.knots, samples)
            self._length = float(length[-1])
            self.to_s = constant_speed_map(s, length, times, samples)  # rule 3
        else:
            self.to_s = MonotoneMap(times - self.start, self.knots)

    @property
    def length(self) -> float:
        """Arc length in metres, measured on first use (only constant speed needs it to build the path)."""
        if self._length is None:
            samples = arc_samples(len(self.knots) - 1)
            self._length = float(arc_length_table(self.values, self.knots, samples)[1][-1])
        return self._length

    def at(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Positions (m, 3), orientations (m, 4) and fov (m,) at path times t (m,), already eased."""
        s = self.to_s(t - self.start)
        positions = catmull_rom(self.values, self.knots, s)
        i = np.clip(np.searchsorted(self.knots, s, side="right") - 1, 0, len(self.knots) - 2)
        u = np.clip((s - self.knots[i]) / (self.knots[i + 1] - self.knots[i]), 0.0, 1.0)
        q = quat.squad(self.keys[i], self.keys[i + 1], self.controls[i], self.controls[i + 1], u)
        return positions, q, self.fov(s)


def check_keyframes(keyframes: tuple[Keyframe, ...]) -> None:
    """ValueError naming the keyframe (by index) that breaks rule 1."""
    if len(keyframes) < 2:
        raise ValueError("a path needs at least two keyframes")
    previous = -math.inf
    for i, k in enumerate(keyframes):
        try:
            _check_keyframe(k, previous)
        except (TypeError, ValueError) as exc:  # TypeError: a field of the wrong type, e.g. None
            raise ValueError(f"keyframe {i}: {exc}") from None
        previous = k.t


def _check_keyframe(k: Keyframe, previous: float) -> None:
    if not (math.isfinite(k.t) and abs(k.t) <= MAX_TIME):
        raise ValueError(f"time {k.t} must be a finite number of seconds within {MAX_TIME:g}")
    if not k.t - previous >= MIN_TIME_STEP:
        raise ValueError(f"time {k.t} must be at least {MIN_TIME_STEP:g} s later than the one before")
    if len(k.position) != 3 or not all(math.isfinite(v) and abs(v) <= MAX_COORDINATE for v in k.position):
        raise ValueError(f"position must be 3 finite numbers within {MAX_COORDINATE:g} m")
    norm = math.sqrt(sum(v * v for v in k.orientation)) if len(k.orientation) == 4 else math.nan
    if not abs(norm - 1.0) < 1e-6:
        raise ValueError("orientation must be a unit quaternion (w, x, y, z)")
    if not (math.isfinite(k.fov) and 0 < k.fov < MAX_FOV):
        raise ValueError(f"fov must be between 0 and {MAX_FOV:g} degrees")


def path_from_bookmarks(name: str, bookmarks: Iterable[Any], seconds_per_leg: float = 5.0,
                        ease: float | None = None, constant_speed: bool = False,
                        option: str = "bookmarks") -> CameraPath:
    """A path visiting camera bookmarks (objects with position, look_at, fov) in order, one leg of
    `seconds_per_leg` seconds between each; eased over half a leg (at most 2 s) at each end by default.
    Bookmarks that make no path are a ConfigError naming `option` (the caller's name for them)."""
    marks = list(bookmarks)
    if len(marks) < 2:
        raise ConfigError(option, "", f"a path from bookmarks needs at least two, got {len(marks)}")
    if not (math.isfinite(seconds_per_leg) and seconds_per_leg > 0):
        raise ConfigError(option, "", "seconds per leg must be a finite number > 0")
    keys = []
    for i, m in enumerate(marks):
        try:
            keys.append(Keyframe.look(i * seconds_per_leg, m.position, m.look_at, m.fov))
        except (TypeError, ValueError, IndexError) as exc:  # look_at at the position, a short vector
            raise ConfigError(option, "", f"bookmark {i}: {exc}") from None
    ease = min(seconds_per_leg / 2.0, 2.0) if ease is None else ease
    try:
        return CameraPath(name, tuple(keys), constant_speed=constant_speed, ease=ease)
    except ValueError as exc:  # legs shorter than MIN_TIME_STEP, an ease out of range (rule 1)
        raise ConfigError(option, "", str(exc)) from None


def _vec3(v: Any) -> tuple[float, float, float]:
    return (float(v[0]), float(v[1]), float(v[2]))


def _quat4(q: Any) -> tuple[float, float, float, float]:
    q = quat.normalize(q)
    return (float(q[0]), float(q[1]), float(q[2]), float(q[3]))
