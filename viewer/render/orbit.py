"""Orbit/pan/zoom camera state, pure math: the window feeds it mouse deltas, it answers with a CameraPose.

Rules this module keeps:
1. No Panda3D and no clock: inputs are normalised screen deltas (Panda3D mouse coordinates, -1..1 across
   the window, y up) and wheel steps; the output is a CameraPose. Tests drive it without a window.
2. State is a target point, a distance, a compass azimuth (bearing from target to camera, degrees) and an
   elevation above the horizon (degrees, clamped to MIN/MAX_ELEVATION so the view never flips).
3. Pan moves the target in the ground plane so the point under the cursor follows the cursor; zoom
   toward a point keeps that point fixed on screen (within the linear approximation of one wheel step).
4. Distance stays within [MIN_DISTANCE, max_distance] where max_distance scales with the model.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from viewer.render.camera import (
    DEFAULT_AZIMUTH,
    DEFAULT_ELEVATION,
    DEFAULT_FOV,
    CameraPose,
    bounding_radius,
    direction_from_angles,
    frame_bounds,
    horizontal_fov,
    near_far,
    screen_axes,
)

MIN_ELEVATION = -10.0
MAX_ELEVATION = 89.0
MIN_DISTANCE = 1.0
ROTATE_DEG_PER_UNIT = 120.0  # dragging across the whole window (2 units) turns 240 degrees
ZOOM_STEP = 0.85  # one wheel notch multiplies the distance by this


class Orbit:
    """Camera orbiting a target. bmin, bmax: the model box in local metres; aspect = width / height."""

    def __init__(self, bmin: Any, bmax: Any, aspect: float = 16 / 9, points: Any = None) -> None:
        self.points = points  # (k, 3) sample of the model's vertices to frame on (None: the box corners)
        self.bmin = np.asarray(bmin, np.float64)
        self.bmax = np.asarray(bmax, np.float64)
        self.aspect = float(aspect)
        self.max_distance = 20.0 * bounding_radius(self.bmin, self.bmax)
        self.target = np.zeros(3)
        self.distance = 10.0
        self.azimuth = DEFAULT_AZIMUTH
        self.elevation = DEFAULT_ELEVATION
        self.fov = DEFAULT_FOV
        self.frame()

    # ------------------------------------------------------------------ setting the view

    def frame(self) -> CameraPose:
        """Show the whole model from the default 3/4 south-west view."""
        pose = frame_bounds(self.bmin, self.bmax, self.aspect, DEFAULT_FOV, points=self.points)
        return self.look(pose.position, pose.look_at, pose.fov)

    def look(self, position: Any, look_at: Any, fov: float) -> CameraPose:
        """Take a bookmark's view: the camera at `position` looking at `look_at`, vertical `fov`."""
        p, t = np.asarray(position, np.float64), np.asarray(look_at, np.float64)
        d = p - t
        self.target = t
        self.distance = max(float(np.linalg.norm(d)), MIN_DISTANCE)
        self.azimuth = math.degrees(math.atan2(d[0], d[1])) % 360.0
        self.elevation = math.degrees(math.asin(max(-1.0, min(1.0, d[2] / self.distance))))
        self.fov = float(fov)
        # A bookmark may look from further or lower than the orbit allows; keep its exact position, but
        # the clamps apply from the first drag on.
        self.max_distance = max(self.max_distance, self.distance)
        return self.pose()

    # ------------------------------------------------------------------ mouse input

    def drag(self, dx: float, dy: float) -> CameraPose:
        """Orbit as if grabbing the model: its near side follows the cursor (a drag right turns the camera
        clockwise seen from above; a drag up lowers it toward the horizon)."""
        self.azimuth = (self.azimuth + dx * ROTATE_DEG_PER_UNIT) % 360.0
        self.elevation = _clamp(self.elevation - dy * ROTATE_DEG_PER_UNIT / 2, MIN_ELEVATION, MAX_ELEVATION)
        return self.pose()

    def pan(self, dx: float, dy: float) -> CameraPose:
        """Move the target in the ground plane so the scene follows the cursor by (dx, dy) screen units."""
        half_h = self.distance * math.tan(math.radians(self.fov) / 2.0)
        right, ahead = self._ground_axes()
        self.target = self.target - right * dx * half_h * self.aspect - ahead * dy * half_h
        return self.pose()

    def zoom(self, steps: float, toward: Any = None) -> CameraPose:
        """Move in by `steps` wheel notches (negative: out); with `toward` (a point, local metres) the
        target slides toward that point by the same fraction so it stays under the cursor."""
        new = _clamp(self.distance * ZOOM_STEP ** steps, MIN_DISTANCE, self.max_distance)
        if toward is not None:
            fraction = 1.0 - new / self.distance
            self.target = self.target + (np.asarray(toward, np.float64) - self.target) * fraction
        self.distance = new
        return self.pose()

    def cursor_ground_point(self, x: float, y: float) -> np.ndarray | None:
        """Where the ray through screen point (x, y) in -1..1 meets the horizontal plane of the target;
        None when it points at or above the horizon or too far away to be useful."""
        pose = self.pose()
        eye = np.asarray(pose.position)
        forward = -direction_from_angles(self.azimuth, self.elevation)
        right, up = screen_axes(forward)
        tan_v = math.tan(math.radians(self.fov) / 2.0)
        tan_h = math.tan(math.radians(horizontal_fov(self.fov, self.aspect)) / 2.0)
        ray = forward + right * x * tan_h + up * y * tan_v
        if ray[2] > -1e-6:
            return None
        t = (self.target[2] - eye[2]) / ray[2]
        if t <= 0 or t * np.linalg.norm(ray) > self.max_distance:
            return None
        return eye + ray * t

    # ------------------------------------------------------------------ output

    def position(self) -> np.ndarray:
        """Camera position (3,) float64, local metres."""
        return self.target + self.distance * direction_from_angles(self.azimuth, self.elevation)

    def pose(self) -> CameraPose:
        position = self.position()
        near, far = near_far(position, self.bmin, self.bmax, margin=0.1 * bounding_radius(self.bmin, self.bmax))
        return CameraPose(_vec(position), _vec(self.target), self.fov, near, far)

    def _ground_axes(self) -> tuple[np.ndarray, np.ndarray]:
        """Unit vectors in the ground plane: screen-right and screen-ahead (away from the camera)."""
        a = math.radians(self.azimuth)
        ahead = -np.array([math.sin(a), math.cos(a), 0.0])
        right = np.array([ahead[1], -ahead[0], 0.0])
        return right, ahead


def _clamp(value: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, value))


def _vec(a: Any) -> tuple[float, float, float]:
    return (float(a[0]), float(a[1]), float(a[2]))
