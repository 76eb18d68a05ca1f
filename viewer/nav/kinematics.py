"""Avatar kinematics: a walker with gravity and steps, a flyer whose speed grows with height, smooth look.

Rules this module keeps:
1. Pure and clock-free: time comes in as `dt` (seconds). Bodies advance in fixed steps of STEP seconds (an
   accumulator carries the remainder to the next frame), so the same input held for the same time gives
   the same path at any frame rate; the position shown is interpolated between the last two steps, so
   motion stays smooth when frame and step rates beat (no judder). A frame longer than MAX_FRAME counts
   as MAX_FRAME (a stall must not launch the avatar through the scene).
2. Angles follow Panda3D: heading 0 looks north (+y) and grows counter-clockwise seen from above; pitch is
   positive up and kept within +-MAX_PITCH. Metres, local frame, z up.
3. Collision goes through a CollisionIndex: one Local per frame around the body, big enough for the
   farthest it can move in that frame, then per-step queries on it (viewer.nav.collide).
4. Walker: an upright cylinder (radius, height) whose feet stand on the highest floor not above feet +
   step_height; it steps up kerbs and stairs up to step_height, snaps down steps up to that much, falls
   under gravity from anything higher (capped at max_fall_speed), lands on the floor under it, cannot
   walk up slopes steeper than max_slope or under slabs lower than its height. With collision off it
   passes walls, ledges and slopes but still stands on floors.
5. Flyer: a cylinder of `radius` around the eye; its speed is max(min_speed, speed_per_metre x height above
   the floor) times 1.25 per wheel notch (and run_factor while running). With collision on it cannot
   pass walls or sink below radius above a floor; with collision off it passes walls and floors.
6. Nothing goes under the ground: after every step a body is lifted back onto CollisionIndex.ground_under
   (the drawn terrain, beyond the grid too): the walker's feet onto it, the flyer's eye `radius` above it,
   whatever the collision toggle says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from viewer.nav.collide import Local
from viewer.nav.index import CollisionIndex

STEP = 1.0 / 60.0  # seconds per physics step (the shown pose is interpolated between steps)
MAX_FRAME = 0.25  # seconds; longer frames are clipped
MAX_PITCH = 89.0
SPEED_NOTCH = 1.25  # one wheel notch multiplies the speed by this
MAX_NOTCHES = 12
REACH_MARGIN = 0.05  # metres added around a frame's reach when gathering the Local
GROUND_TOLERANCE = 0.01  # metres: float32 floors and the float64 ground differ by less


@dataclass(frozen=True)
class WalkParams:
    """A pedestrian: sizes in metres, speeds in m/s, gravity in m/s^2, angles in degrees."""

    eye_height: float = 1.65
    height: float = 1.8
    radius: float = 0.3
    step_height: float = 0.4
    speed: float = 2.0
    run_speed: float = 6.0
    gravity: float = 9.81
    jump_speed: float = 4.0
    max_fall_speed: float = 50.0
    max_slope: float = 50.0
    max_drop: float = 60.0  # entering walk mode higher than this above the floor lands at once


@dataclass(frozen=True)
class FlyParams:
    """A free camera: clearance radius (m), speeds (m/s); speed_per_metre is per metre of height."""

    radius: float = 0.5
    min_speed: float = 10.0  # near the ground: a street's length in a few seconds, not minutes
    speed_per_metre: float = 0.8
    max_speed: float = 2000.0
    run_factor: float = 4.0


@dataclass(frozen=True)
class Intent:
    """One frame's requested motion: axes in -1..1 (forward, right, up), run held, jump pressed."""

    forward: float = 0.0
    right: float = 0.0
    up: float = 0.0
    run: bool = False
    jump: bool = False


def forward_vector(heading: float, pitch: float = 0.0) -> np.ndarray:
    """Unit view direction (3,) float64 for a heading and pitch (degrees, Panda3D convention)."""
    h, p = math.radians(heading), math.radians(pitch)
    return np.array([-math.sin(h) * math.cos(p), math.cos(h) * math.cos(p), math.sin(p)])


def wrap_degrees(angle: float) -> float:
    """The same angle in -180..180."""
    return (angle + 180.0) % 360.0 - 180.0


class Look:
    """Where the view points: mouse deltas move a target; the shown angles follow it exponentially with
    time constant `smoothing` seconds (0: at once), which is frame-rate independent for a held target."""

    def __init__(self, heading: float = 0.0, pitch: float = 0.0, smoothing: float = 0.04) -> None:
        self.smoothing = max(0.0, float(smoothing))
        self.set(heading, pitch)

    def set(self, heading: float, pitch: float) -> None:
        """Point the view at once (no smoothing)."""
        self.heading = self.target_heading = wrap_degrees(heading)
        self.pitch = self.target_pitch = _clamp(pitch, -MAX_PITCH, MAX_PITCH)

    def turn(self, d_heading: float, d_pitch: float) -> None:
        self.target_heading = wrap_degrees(self.target_heading + d_heading)
        self.target_pitch = _clamp(self.target_pitch + d_pitch, -MAX_PITCH, MAX_PITCH)

    def advance(self, dt: float) -> None:
        k = 1.0 if self.smoothing <= 0.0 else 1.0 - math.exp(-max(dt, 0.0) / self.smoothing)
        self.heading = wrap_degrees(self.heading + wrap_degrees(self.target_heading - self.heading) * k)
        self.pitch += (self.target_pitch - self.pitch) * k


class _Stepper:
    """Fixed-step bookkeeping shared by the bodies: `position` after the last step, `previous` before it."""

    def __init__(self, index: CollisionIndex, position: np.ndarray) -> None:
        self.index = index
        self.collide = True
        self.accumulated = 0.0
        self.position = np.asarray(position, np.float64).reshape(3).copy()
        self.previous = self.position.copy()

    def place(self, position: np.ndarray) -> None:
        """Teleport: no interpolation from the old place."""
        self.position = np.asarray(position, np.float64).reshape(3).copy()
        self.previous = self.position.copy()

    def shown(self) -> np.ndarray:
        """The position to draw (3,): between the last two steps by the time left over."""
        alpha = self.accumulated / STEP
        return self.previous + (self.position - self.previous) * alpha

    def _steps(self, dt: float) -> int:
        self.accumulated += min(max(dt, 0.0), MAX_FRAME)
        n = int(self.accumulated / STEP + 1e-9)
        self.accumulated = max(self.accumulated - n * STEP, 0.0)
        return n

    def _local(self, reach: float) -> Local:
        x, y = self.position[0], self.position[1]
        return self.index.local(x - reach, y - reach, x + reach, y + reach)


class Walker(_Stepper):
    """A walking avatar; `position` is its feet (3,) float64."""

    def __init__(self, index: CollisionIndex, feet: np.ndarray, params: WalkParams | None = None) -> None:
        super().__init__(index, feet)
        self.params = params or WalkParams()
        self.vz = 0.0
        self.on_ground = False
        self.speed_factor = 1.0
        self.jump_pending = False  # a jump asked for in a frame too short for a step waits for the next
        self._min_level = math.cos(math.radians(self.params.max_slope))

    def land(self) -> None:
        """Drop straight onto the floor below the feet (used when entering from far above)."""
        x, y, z = self.position
        ground, _ = self.index.ground(x, y, z + self.params.step_height)
        self.place(np.array([x, y, ground]))
        self.vz, self.on_ground = 0.0, True

    def update(self, dt: float, intent: Intent, heading: float) -> None:
        """Advance by dt seconds of `intent`, walking toward `heading` (degrees)."""
        self.jump_pending = self.jump_pending or intent.jump
        n = self._steps(dt)
        if n == 0:
            return
        p = self.params
        speed = (p.run_speed if intent.run else p.speed) * self.speed_factor
        f, r = forward_vector(heading), forward_vector(heading - 90.0)
        wish = f[:2] * intent.forward + r[:2] * intent.right
        norm = float(np.hypot(*wish))
        wish = wish / norm * speed * min(norm, 1.0) if norm > 1e-9 else np.zeros(2)
        local = self._local(float(np.hypot(*wish)) * STEP * n + p.radius + REACH_MARGIN)
        for _ in range(n):
            self.previous = self.position.copy()
            self._step(local, wish, self.jump_pending)
            self.jump_pending = False

    def _step(self, local: Local, wish: np.ndarray, jump: bool) -> None:
        p = self.params
        x, y, z = (float(v) for v in self.position)
        nx, ny, heights, level = self._move(local, x, y, z, float(wish[0]) * STEP, float(wish[1]) * STEP)
        if jump and self.on_ground:
            self.vz, self.on_ground = p.jump_speed, False
        if self.on_ground:
            ground, _ = local.highest(heights, level, z + p.step_height)
            if ground >= z - p.step_height:  # stand on it: kerbs and stairs up, steps down, slopes
                self.position = np.array([nx, ny, ground])
                self._keep_above_ground()
                return
            self.on_ground, self.vz = False, 0.0
        self.vz = max(self.vz - p.gravity * STEP, -p.max_fall_speed)
        nz = z + self.vz * STEP
        ground, _ = local.highest(heights, level, max(z, nz))  # the floor under the whole fall of this step
        if nz <= ground:
            nz, self.vz, self.on_ground = ground, 0.0, True
        self.position = np.array([nx, ny, nz])
        self._keep_above_ground()

    def _keep_above_ground(self) -> None:
        """Rule 6: feet below the drawn ground (beyond the terrain's grid, where the index has only the base
        plane) stand on it."""
        x, y, z = (float(v) for v in self.position)
        floor = self.index.ground_under(x, y)
        if z < floor - GROUND_TOLERANCE:
            self.position = np.array([x, y, floor])
            self.vz, self.on_ground = 0.0, True

    def _move(self, local: Local, x: float, y: float, z: float, dx: float,
              dy: float) -> tuple[float, float, np.ndarray, np.ndarray]:
        """Horizontal motion with walls, ledges and steep slopes in the way (sliding along them); returns
        the new x, y and the floors there (heights, levelness) for the vertical part of the step."""
        if (dx == 0.0 and dy == 0.0) or not self.collide:
            return (x + dx, y + dy, *local.floors_at(x + dx, y + dy))
        p = self.params
        tries = ((dx, dy), (dx, 0.0), (0.0, dy))  # then along a ledge one axis at a time
        for ax, ay in tries:
            if ax or ay:
                nx, ny = local.slide(x, y, ax, ay, p.radius, z + p.step_height, z + p.height)
                heights, level = local.floors_at(nx, ny)
                if not self._blocked(local, heights, level, z):
                    return nx, ny, heights, level
        return (x, y, *local.floors_at(x, y))

    def _blocked(self, local: Local, heights: np.ndarray, level: np.ndarray, z: float) -> bool:
        """A slab between knee and head, or a rise steeper than max_slope, among the floors at a place for
        feet at z."""
        p = self.params
        if ((heights > z + p.step_height) & (heights < z + p.height)).any():
            return True
        ground, slope = local.highest(heights, level, z + p.step_height)
        return bool(self.on_ground and ground > z + 0.02 and slope < self._min_level)


class Flyer(_Stepper):
    """A flying camera; `position` is the eye (3,) float64."""

    def __init__(self, index: CollisionIndex, eye: np.ndarray, params: FlyParams | None = None) -> None:
        super().__init__(index, eye)
        self.params = params or FlyParams()
        self.notches = 0

    def speed(self, run: bool = False) -> float:
        """Current speed (m/s): grows with the height above the floor below."""
        x, y, z = self.position
        ground, _ = self.index.ground(x, y, z)
        return self._speed(z - ground, run)

    def _speed(self, height: float, run: bool) -> float:
        p = self.params
        base = max(p.min_speed, p.speed_per_metre * height) * SPEED_NOTCH ** self.notches
        return min(base * (p.run_factor if run else 1.0), p.max_speed)

    def update(self, dt: float, intent: Intent, heading: float, pitch: float) -> None:
        """Advance by dt seconds: forward along the view, right level, up straight up."""
        n = self._steps(dt)
        if n == 0:
            return
        f, r = forward_vector(heading, pitch), forward_vector(heading - 90.0)
        wish = f * intent.forward + r * intent.right + np.array([0.0, 0.0, 1.0]) * intent.up
        norm = float(np.linalg.norm(wish))
        if norm < 1e-9:
            self.previous = self.position.copy()
            return
        direction = wish / max(norm, 1.0)
        # The speed may grow as the flyer climbs during the frame; capping it at 1.5x keeps every step
        # inside the Local gathered here, so no wall is ever outside the set being tested.
        cap = min(self.speed(intent.run) * 1.5, self.params.max_speed)
        local = self._local(cap * STEP * n + self.params.radius + REACH_MARGIN)
        for _ in range(n):
            self.previous = self.position.copy()
            self._step(local, direction, intent.run, cap)

    def _step(self, local: Local, direction: np.ndarray, run: bool, cap: float) -> None:
        x, y, z = self.position
        ground, _ = local.support(x, y, z)
        d = direction * min(self._speed(z - ground, run), cap) * STEP
        r = self.params.radius
        if not self.collide:
            nx, ny, nz = (float(v) for v in self.position + d)
        else:
            nz = z + float(d[2])
            nx, ny = local.slide(x, y, float(d[0]), float(d[1]), r, min(z, nz) - r, max(z, nz) + r)
            floor, _ = local.support(nx, ny, max(z, nz))
            nz = max(nz, floor + r)
        self.position = np.array([nx, ny, max(nz, self.index.ground_under(nx, ny) + r)])  # rule 6


def _clamp(value: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, value))
