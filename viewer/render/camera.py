"""Camera math: framing a model, poses from bookmarks, clip planes, and applying a pose to Panda3D.

Rules this module keeps:
1. Everything except `apply_pose` and `apply_oriented_pose` is pure numpy/math and runs without Panda3D;
   those two only call methods of the objects given (and import Quat inside), so this module stays
   importable by code that never draws.
2. Coordinates are local metres, x east, y north, z up. Angles are degrees. `fov` is always the *vertical*
   field of view (what CameraBookmark stores); the horizontal one follows from the aspect ratio.
3. Panda3D's HPR convention: heading 0 looks +y (north), positive heading turns left (counter-clockwise
   seen from above), positive pitch looks up. `look_at_hpr` reproduces NodePath.look_at with z up.
4. Clip planes come from the model's bounds so a whole city fits in far and the near plane stays as far
   out as the camera's distance to the model allows (depth precision), never below MIN_NEAR.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

MIN_NEAR = 0.05  # metres; closer than this a 24-bit depth buffer at city scale starts to fight
DEFAULT_FOV = 45.0
DEFAULT_ELEVATION = 37.0  # degrees above the horizon: a 3/4 view that shows roofs and walls
DEFAULT_AZIMUTH = 225.0  # compass bearing from the target to the camera: 225 = south-west


Vec3 = tuple[float, float, float]


@dataclass(frozen=True)
class CameraPose:
    """Where the camera is and what it looks at (local metres), vertical fov, near/far clip (metres)."""

    position: Vec3
    look_at: Vec3
    fov: float
    near: float
    far: float

    def hpr(self) -> Vec3:
        return look_at_hpr(self.position, self.look_at)


def look_at_hpr(position: Any, target: Any) -> Vec3:
    """Heading, pitch, roll (degrees) that point Panda3D's +y axis from position at target, z up."""
    d = np.asarray(target, np.float64) - np.asarray(position, np.float64)
    horizontal = math.hypot(d[0], d[1])
    heading = math.degrees(math.atan2(-d[0], d[1])) if horizontal > 0 else 0.0
    pitch = math.degrees(math.atan2(d[2], horizontal))
    return (heading, pitch, 0.0)


def forward_from_hpr(heading: float, pitch: float) -> np.ndarray:
    """Unit view direction (3,) float64 of a camera with this heading and pitch (degrees)."""
    h, p = math.radians(heading), math.radians(pitch)
    return np.array([-math.sin(h) * math.cos(p), math.cos(h) * math.cos(p), math.sin(p)])


def horizontal_fov(vertical_fov: float, aspect: float) -> float:
    """Horizontal field of view (degrees) for a vertical fov and a width/height aspect ratio."""
    return math.degrees(2.0 * math.atan(math.tan(math.radians(vertical_fov) / 2.0) * aspect))


def bounding_radius(bmin: Any, bmax: Any) -> float:
    """Radius of the sphere around the box (metres); at least 1 so an empty or flat model still frames."""
    extent = np.asarray(bmax, np.float64) - np.asarray(bmin, np.float64)
    return max(1.0, 0.5 * float(np.linalg.norm(extent)))


def near_far(position: Any, bmin: Any, bmax: Any, margin: float = 0.0) -> tuple[float, float]:
    """Clip planes (near, far) in metres for a camera at `position` seeing the box grown by `margin`.

    far reaches the farthest box corner; near is half the distance to the box (so nothing of the model is
    clipped), bounded to keep far/near under 1e5 for depth precision and at least MIN_NEAR.
    """
    p = np.asarray(position, np.float64)
    lo = np.asarray(bmin, np.float64) - margin
    hi = np.asarray(bmax, np.float64) + margin
    corners = _corners(lo, hi)
    far = float(np.linalg.norm(corners - p, axis=1).max()) * 1.05 + 1.0
    outside = np.maximum(np.maximum(lo - p, p - hi), 0.0)
    to_box = float(np.linalg.norm(outside))
    near = max(0.5 * to_box, far * 1e-5, MIN_NEAR)
    return min(near, far * 0.5), far


def frame_bounds(bmin: Any, bmax: Any, aspect: float, fov: float = DEFAULT_FOV,
                 elevation: float = DEFAULT_ELEVATION, azimuth: float = DEFAULT_AZIMUTH,
                 points: Any = None, margin: float = 1.08) -> CameraPose:
    """A pose that shows the whole model from `azimuth` (compass bearing, 225 = from the south-west) at
    `elevation` degrees above the horizon, just far enough (times `margin`) that every point of `points`
    ((n, 3), e.g. a sample of the vertices; default: the eight box corners) falls inside both fields of
    view, and aimed so those points sit in the middle of the image."""
    lo, hi = np.asarray(bmin, np.float64), np.asarray(bmax, np.float64)
    pts = _corners(lo, hi) if points is None or len(points) == 0 else np.asarray(points, np.float64)
    back = direction_from_angles(azimuth, elevation)  # from the target toward the camera
    right, up = screen_axes(-back)
    target = 0.5 * (pts.min(axis=0) + pts.max(axis=0))
    for _ in range(2):  # centre the points' screen-plane extent on the target (exact for a far camera)
        x, y = (pts - target) @ right, (pts - target) @ up
        target = target + right * 0.5 * (x.min() + x.max()) + up * 0.5 * (y.min() + y.max())
    rel = pts - target
    tan_v = math.tan(math.radians(fov) / 2.0)
    tan_h = math.tan(math.radians(horizontal_fov(fov, aspect)) / 2.0)
    # A point p is inside when |p.right| <= tan_h * depth and |p.up| <= tan_v * depth, with
    # depth = distance - p.back; so the distance must be at least p.back + |p.right| / tan_h (and for up).
    need = rel @ back + np.maximum(np.abs(rel @ right) / tan_h, np.abs(rel @ up) / tan_v)
    distance = max(float(need.max()) * margin, 1.0)
    position = target + distance * back
    near, far = near_far(position, lo, hi, margin=0.1 * bounding_radius(lo, hi))
    return CameraPose(_vec(position), _vec(target), float(fov), near, far)


def frame_sample(vertices: np.ndarray, limit: int = 20_000) -> np.ndarray:
    """Up to `limit` + 6 vertices (k, 3) float64 to frame on: an even stride through them plus the extreme
    vertex along each axis, so framing is tight around the model's real shape, not its bounding box."""
    if vertices.shape[0] == 0:
        return np.zeros((0, 3))
    step = max(1, -(-vertices.shape[0] // limit))
    extremes = [vertices[int(f(vertices[:, i]))] for i in range(3) for f in (np.argmin, np.argmax)]
    return np.concatenate([vertices[::step], np.array(extremes)]).astype(np.float64)


def screen_axes(forward: Any) -> tuple[np.ndarray, np.ndarray]:
    """Unit screen-right and screen-up (3,) vectors of a camera looking along `forward` with z up (roll 0);
    looking straight down, right is east."""
    f = np.asarray(forward, np.float64)
    right = np.cross(f, [0.0, 0.0, 1.0])
    norm = float(np.linalg.norm(right))
    right = right / norm if norm > 1e-9 else np.array([1.0, 0.0, 0.0])
    return right, np.cross(right, f / np.linalg.norm(f))


def _corners(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The 8 corners (8, 3) float64 of the box lo..hi."""
    return np.array(np.meshgrid(*zip(lo, hi, strict=True), indexing="ij")).reshape(3, -1).T


def direction_from_angles(azimuth: float, elevation: float) -> np.ndarray:
    """Unit vector (3,) from a target towards a camera at compass `azimuth` and `elevation` degrees."""
    a, e = math.radians(azimuth), math.radians(elevation)
    return np.array([math.cos(e) * math.sin(a), math.cos(e) * math.cos(a), math.sin(e)])


def pose_from_bookmark(bookmark: Any, bmin: Any, bmax: Any) -> CameraPose:
    """The pose a CameraBookmark (position, look_at, fov) names, with clip planes for the model box."""
    near, far = near_far(bookmark.position, bmin, bmax, margin=0.1 * bounding_radius(bmin, bmax))
    return CameraPose(_vec(bookmark.position), _vec(bookmark.look_at), float(bookmark.fov), near, far)


def apply_pose(camera: Any, lens: Any, pose: CameraPose, aspect: float) -> None:
    """Place a Panda3D camera NodePath and set its PerspectiveLens to the pose (fov vertical)."""
    camera.set_pos(*pose.position)
    camera.set_hpr(*pose.hpr())
    _set_lens(lens, pose.fov, pose.near, pose.far, aspect)


def apply_oriented_pose(camera: Any, lens: Any, position: Any, orientation: Any, fov: float, bmin: Any,
                        bmax: Any, aspect: float) -> None:
    """Place a camera at `position` with the exact orientation (w, x, y, z), which keeps a roll that a
    look-at pose drops (camera paths), vertical `fov` and clip planes for the model box (bmin, bmax)."""
    from panda3d.core import Quat  # rule 1: only the functions that drive Panda3D import it

    near, far = near_far(position, bmin, bmax, margin=0.1 * bounding_radius(bmin, bmax))
    camera.set_pos(*_vec(position))
    camera.set_quat(Quat(*(float(v) for v in orientation)))
    _set_lens(lens, float(fov), near, far, aspect)


def _set_lens(lens: Any, fov: float, near: float, far: float, aspect: float) -> None:
    if aspect >= 1.0:
        # min_fov is the fov of the window's shorter side and survives ShowBase's aspect updates on resize.
        lens.set_min_fov(fov)
        lens.set_aspect_ratio(aspect)
    else:
        lens.set_fov(horizontal_fov(fov, aspect), fov)
    lens.set_near_far(near, far)


def _vec(a: Any) -> Vec3:
    return (float(a[0]), float(a[1]), float(a[2]))
