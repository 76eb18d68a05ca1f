"""Unit quaternions for camera orientation: conversions, slerp and squad, vectorised over rows.

Rules this module keeps:
1. A quaternion is (w, x, y, z), float64, shape (4,) or (n, 4); it rotates the camera's own axes (x right,
   y forward, z up) into world axes (x east, y north, z up). Functions return unit quaternions.
2. Panda3D's convention (render/camera.py rule 3): heading turns about z (positive: left), pitch about the
   camera's x (positive: up), roll about its y; composed q = q_z(heading) * q_x(pitch) * q_y(roll), the
   rotation Panda3D's Quat.set_hpr builds. Angles are degrees.
3. q and -q are the same rotation. `align` flips rows so that consecutive quaternions lie in the same
   hemisphere; keys go through it before interpolation, so each segment takes the short way round. slerp
   also picks the short arc by itself, but squad's inner slerps must not (shortest=False): its control
   points of a sharp turn can lie in opposite hemispheres, and a flip there, halfway through a segment,
   would snap the camera round.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

_EPS = 1e-12


def normalize(q: Any) -> np.ndarray:
    """Unit quaternions (..., 4) float64; ValueError for a zero (or non-finite) one."""
    q = np.asarray(q, np.float64)
    norm = np.linalg.norm(q, axis=-1, keepdims=True)
    if not np.all(np.isfinite(q)) or np.any(norm < 1e-9):
        raise ValueError("a quaternion must be finite and non-zero")
    return q / norm


def multiply(a: Any, b: Any) -> np.ndarray:
    """Hamilton product a * b, rows broadcast: (..., 4) float64."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    w1, x1, y1, z1 = np.moveaxis(a, -1, 0)
    w2, x2, y2, z2 = np.moveaxis(b, -1, 0)
    return np.stack([w1 * w2 - x1 * x2 - y1 * y2 - z1 * z2,
                     w1 * x2 + x1 * w2 + y1 * z2 - z1 * y2,
                     w1 * y2 - x1 * z2 + y1 * w2 + z1 * x2,
                     w1 * z2 + x1 * y2 - y1 * x2 + z1 * w2], axis=-1)


def conjugate(q: Any) -> np.ndarray:
    """The conjugates (..., 4): the inverse rotations of unit quaternions."""
    return np.asarray(q, np.float64) * np.array([1.0, -1.0, -1.0, -1.0])


def _axis_angle(axis: int, degrees: Any) -> np.ndarray:
    half = np.radians(np.asarray(degrees, np.float64)) / 2.0
    q = np.zeros((*half.shape, 4))
    q[..., 0] = np.cos(half)
    q[..., 1 + axis] = np.sin(half)
    return q


def from_hpr(hpr: Any) -> np.ndarray:
    """Quaternions (..., 4) from heading, pitch, roll (..., 3) in degrees (rule 2)."""
    hpr = np.asarray(hpr, np.float64)
    return multiply(multiply(_axis_angle(2, hpr[..., 0]), _axis_angle(0, hpr[..., 1])),
                    _axis_angle(1, hpr[..., 2]))


def rotate(q: Any, v: Any) -> np.ndarray:
    """Vectors v (..., 3) rotated by unit quaternions q (..., 4)."""
    q = np.asarray(q, np.float64)
    v = np.asarray(v, np.float64)
    u, w = q[..., 1:], q[..., :1]
    t = 2.0 * np.cross(u, v)
    return v + w * t + np.cross(u, t)


def forward(q: Any) -> np.ndarray:
    """The view directions (..., 3): the camera's +y axis in world axes."""
    return rotate(q, np.array([0.0, 1.0, 0.0]))


def to_hpr(q: Any) -> np.ndarray:
    """Heading, pitch, roll (..., 3) degrees of unit quaternions (pitch in -90..90, heading and roll in
    -180..180); looking straight up or down, the roll is folded into the heading."""
    q = np.asarray(q, np.float64)
    f = rotate(q, np.array([0.0, 1.0, 0.0]))
    right = rotate(q, np.array([1.0, 0.0, 0.0]))
    up = rotate(q, np.array([0.0, 0.0, 1.0]))
    horizontal = np.hypot(f[..., 0], f[..., 1])
    pitch = np.degrees(np.arctan2(f[..., 2], horizontal))  # atan2, not arcsin: exact near +-90 degrees
    level = horizontal > 1e-9
    heading = np.where(level, np.degrees(np.arctan2(-f[..., 0], f[..., 1])),
                       np.degrees(np.arctan2(right[..., 1], right[..., 0])))
    roll = np.where(level, np.degrees(np.arctan2(-right[..., 2], up[..., 2])), 0.0)
    return np.stack([heading, pitch, roll], axis=-1)


def from_look_at(position: Any, target: Any, roll: float = 0.0) -> np.ndarray:
    """The orientation (4,) of a camera at `position` looking at `target` (z up, like NodePath.look_at)."""
    d = np.asarray(target, np.float64) - np.asarray(position, np.float64)
    if not np.all(np.isfinite(d)) or float(np.linalg.norm(d)) < 1e-9:
        raise ValueError("look_at must differ from the position")
    horizontal = math.hypot(d[0], d[1])
    heading = math.degrees(math.atan2(-d[0], d[1])) if horizontal > 0 else 0.0
    pitch = math.degrees(math.atan2(d[2], horizontal))
    return from_hpr([heading, pitch, roll])


def align(q: Any) -> np.ndarray:
    """Rows (n, 4) flipped where needed so each has a non-negative dot product with the one before (rule 3)."""
    q = np.array(q, np.float64)
    if len(q) < 2:
        return q
    dots = np.einsum("ij,ij->i", q[1:], q[:-1])
    flips = np.concatenate([[1.0], np.cumprod(np.where(dots < 0, -1.0, 1.0))])
    return q * flips[:, None]


def log(q: Any) -> np.ndarray:
    """Logarithm of unit quaternions: the pure quaternion (..., 4) (0, axis * angle / 2)."""
    q = np.asarray(q, np.float64)
    v = q[..., 1:]
    s = np.linalg.norm(v, axis=-1, keepdims=True)
    angle = np.arctan2(s, q[..., :1])
    scale = np.where(s > _EPS, angle / np.maximum(s, _EPS), 1.0)
    return np.concatenate([np.zeros_like(q[..., :1]), v * scale], axis=-1)


def exp(p: Any) -> np.ndarray:
    """Exponential of pure quaternions (..., 4): the inverse of `log`."""
    p = np.asarray(p, np.float64)
    v = p[..., 1:]
    theta = np.linalg.norm(v, axis=-1, keepdims=True)
    scale = np.where(theta > _EPS, np.sin(theta) / np.maximum(theta, _EPS), 1.0)
    return np.concatenate([np.cos(theta), v * scale], axis=-1)


def slerp(a: Any, b: Any, u: Any, shortest: bool = True) -> np.ndarray:
    """Spherical interpolation from a to b (rows (..., 4), unit) at fractions u (...,): the short arc, or
    with shortest=False the arc from a to b exactly as given (squad needs that: flipping a row halfway
    through a segment would make the camera jump)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    u = np.asarray(u, np.float64)[..., None]
    dot = np.sum(a * b, axis=-1, keepdims=True)
    # Opposite rows have no arc between them (the lerp below would vanish): those take the short one.
    flip = (dot < 0) if shortest else (dot < -1.0 + 1e-9)
    b, dot = np.where(flip, -b, b), np.where(flip, -dot, dot)
    theta = np.arccos(np.clip(dot, -1.0, 1.0))
    sin = np.sin(theta)
    near = sin < 1e-6  # nearly equal: linear interpolation is exact to rounding, and avoids 0/0
    safe = np.where(near, 1.0, sin)
    wa = np.where(near, 1.0 - u, np.sin((1.0 - u) * theta) / safe)
    wb = np.where(near, u, np.sin(u * theta) / safe)
    out = wa * a + wb * b
    return out / np.linalg.norm(out, axis=-1, keepdims=True)


def squad_controls(q: Any) -> np.ndarray:
    """Shoemake's inner control points (n, 4) for squad through aligned unit keys q (n, 4); the ends are
    their own keys, so the path leaves the first key and reaches the last without overshoot."""
    q = np.asarray(q, np.float64)
    a = q.copy()
    if len(q) > 2:
        inv = conjugate(q[1:-1])
        tangent = log(multiply(inv, q[2:])) + log(multiply(inv, q[:-2]))
        a[1:-1] = normalize(multiply(q[1:-1], exp(-tangent / 4.0)))
    return a


def squad(q0: Any, q1: Any, a0: Any, a1: Any, u: Any) -> np.ndarray:
    """Spherical cubic between aligned keys q0 and q1 with inner controls a0, a1 at fractions u: rows
    (..., 4). Shoemake's form, with no sign flips inside (rule 3 is applied to the keys beforehand), so
    it is continuous in u however far the controls are apart."""
    u = np.asarray(u, np.float64)
    return slerp(slerp(q0, q1, u, shortest=False), slerp(a0, a1, u, shortest=False), 2.0 * u * (1.0 - u),
                 shortest=False)
