"""The navigation modes as one state machine: orbit, walk, fly and follow, each answering a camera pose.

Rules this module keeps:
1. Pure: no Panda3D, no clock. The window feeds `update(dt, intent, turn)` once a frame and applies the
   NavPose it returns; in "orbit" the window's own Orbit (render/) drives the camera and update returns None.
2. Switching keeps the view: `enter(mode, view)` starts the new mode from the current camera pose (a walker
   placed so its third-person camera sits where the camera was, then subject to gravity; a flyer at the
   eye; a follow camera that glides from the view to the vehicle). Which mode may be entered, and what it
   needs, is the ENTRY table: an unknown mode is a failed lookup with a precise message.
3. Follow reads vehicles through a VehicleSource: a callable from a vehicle id to its VehiclePose (or None
   when the vehicle is gone, in which case the camera holds still and `lost` is set). Vehicles report a
   compass bearing (0 north, 90 east, clockwise), as traffic feeds do; poses here use Panda3D headings.
4. Third-person cameras never end inside a wall: the index is ray-cast from the avatar's head to the
   wanted camera position and the camera is pulled in front of the first hit.
5. Landing (`enter_at`): from the orbit view, walk and fly start at the point the view looks at (found by
   the window, nav/glide.py land_spot), facing the same way; `enter` keeps the camera's own spot instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from viewer.nav.index import CollisionIndex
from viewer.nav.kinematics import (
    MAX_NOTCHES,
    SPEED_NOTCH,
    Flyer,
    FlyParams,
    Intent,
    Look,
    Walker,
    WalkParams,
    forward_vector,
    wrap_degrees,
)

Vec3 = tuple[float, float, float]
MODES = ("orbit", "walk", "fly", "follow")
THIRD_PERSON_DISTANCE = 4.0  # metres behind the head
CAMERA_MARGIN = 0.25  # metres kept in front of a wall behind a third-person camera
CHASE_DISTANCE, CHASE_HEIGHT, CHASE_PITCH = 9.0, 3.0, -10.0
CAB_HEIGHT = 1.3  # metres above a vehicle's ground point
FOLLOW_SMOOTHING = 0.25  # seconds: how closely the chase camera trails the vehicle
FLY_LANDING = 12.0  # metres above the point looked at where fly mode starts from the orbit view


@dataclass(frozen=True)
class NavPose:
    """A camera: eye position (local metres), heading and pitch (degrees, Panda3D convention)."""

    position: Vec3
    heading: float
    pitch: float

    def look_at(self, distance: float = 10.0) -> Vec3:
        """The point `distance` metres ahead of the eye."""
        p = np.asarray(self.position) + forward_vector(self.heading, self.pitch) * distance
        return (float(p[0]), float(p[1]), float(p[2]))


@dataclass(frozen=True)
class VehiclePose:
    """A vehicle as the traffic layer reports it: ground point (local metres), compass bearing (degrees)."""

    position: Vec3
    bearing: float


VehicleSource = Callable[[str], VehiclePose | None]


def pose_from_look_at(position: Vec3, look_at: Vec3) -> NavPose:
    """The NavPose at `position` looking at `look_at` (level when they coincide)."""
    d = np.subtract(look_at, position)
    horizontal = math.hypot(d[0], d[1])
    heading = math.degrees(math.atan2(-d[0], d[1])) if horizontal > 0 else 0.0
    return NavPose(_vec(position), heading, math.degrees(math.atan2(d[2], horizontal)))


class Navigator:
    """The current mode and its state. `third_person` applies to walk (avatar seen from behind) and to
    follow (chase camera rather than the driver's seat); `collide` to walk and fly."""

    def __init__(self, index: CollisionIndex, walk: WalkParams | None = None, fly: FlyParams | None = None,
                 smoothing: float = 0.04, vehicles: VehicleSource | None = None) -> None:
        self.index = index
        self.walk_params, self.fly_params = walk or WalkParams(), fly or FlyParams()
        self.vehicles = vehicles
        self.look = Look(smoothing=smoothing)
        self.mode = "orbit"
        self.third_person = True
        self.collide = True
        self.walker: Walker | None = None
        self.flyer: Flyer | None = None
        self.follow: Follower | None = None
        self.notches = 0

    # ------------------------------------------------------------------ switching

    def enter(self, mode: str, view: NavPose, vehicle: str | None = None) -> None:
        """Switch to `mode` starting from the camera pose `view` (see rule 2). ValueError for an unknown
        mode, or follow without a vehicle source or id."""
        try:
            entry = ENTRY[mode]
        except KeyError:
            raise ValueError(f"unknown navigation mode {mode!r}; modes: {', '.join(MODES)}") from None
        if mode == "follow" and (self.vehicles is None or vehicle is None):
            raise ValueError("follow needs a vehicle: pick one in the traffic layer first")
        self.walker = self.flyer = self.follow = None
        self.look.set(view.heading, view.pitch)
        entry(self, view, vehicle)
        self.mode = mode

    def enter_at(self, mode: str, feet: Vec3, heading: float, pitch: float = 0.0) -> None:
        """Land in walk or fly at a ground point `feet` (where the view met the scene), facing `heading`:
        a walker stands there, a flyer hovers FLY_LANDING metres above it (rule 5)."""
        if mode not in ("walk", "fly"):
            raise ValueError(f"only walk and fly land at a point, not {mode!r}")
        self.walker = self.flyer = self.follow = None
        self.look.set(heading, pitch)
        ground = np.asarray(feet, np.float64)
        if mode == "walk":
            self.walker = Walker(self.index, ground, self.walk_params)
            self.walker.collide = self.collide
            self.walker.speed_factor = SPEED_NOTCH ** max(-6, min(6, self.notches))
            self.walker.on_ground = True
        else:
            self.flyer = Flyer(self.index, ground + [0.0, 0.0, FLY_LANDING], self.fly_params)
            self.flyer.collide, self.flyer.notches = self.collide, self.notches
        self.mode = mode

    def _enter_orbit(self, view: NavPose, vehicle: str | None) -> None:
        pass

    def _enter_walk(self, view: NavPose, vehicle: str | None) -> None:
        p = self.walk_params
        eye = np.asarray(view.position, np.float64)
        if self.third_person:  # put the head where the camera was looking from, 4 m ahead
            eye = eye + forward_vector(view.heading, view.pitch) * THIRD_PERSON_DISTANCE
        self.walker = Walker(self.index, eye - [0.0, 0.0, p.eye_height], p)
        self.walker.collide = self.collide
        self.walker.speed_factor = SPEED_NOTCH ** self.notches
        x, y, z = self.walker.position
        if z - self.index.ground(x, y, z + p.step_height)[0] > p.max_drop:
            self.walker.land()

    def _enter_fly(self, view: NavPose, vehicle: str | None) -> None:
        self.flyer = Flyer(self.index, np.asarray(view.position, np.float64), self.fly_params)
        self.flyer.collide, self.flyer.notches = self.collide, self.notches

    def _enter_follow(self, view: NavPose, vehicle: str | None) -> None:
        assert self.vehicles is not None and vehicle is not None  # checked by enter()
        self.follow = Follower(self.vehicles, vehicle, view)
        self.look.set(0.0, 0.0)  # in follow mode the look is an offset from the vehicle's heading

    def teleport(self, position: Vec3, look_at: Vec3) -> None:
        """Jump to a bookmark in walk or fly (walk: onto the floor below the bookmark's eye)."""
        view = pose_from_look_at(position, look_at)
        self.look.set(view.heading, view.pitch)
        if self.mode == "fly" and self.flyer is not None:
            self.flyer.place(np.asarray(position, np.float64))
        elif self.mode == "walk" and self.walker is not None:
            p = self.walk_params
            self.walker.place(np.asarray(position, np.float64) - [0.0, 0.0, p.eye_height])
            self.walker.land()

    # ------------------------------------------------------------------ per frame

    def update(self, dt: float, intent: Intent, turn: tuple[float, float] = (0.0, 0.0)) -> NavPose | None:
        """Advance dt seconds: turn the look by (d_heading, d_pitch) degrees, move by the intent; the camera
        pose to show, or None in orbit mode."""
        self.look.turn(*turn)
        self.look.advance(dt)
        if self.walker is not None:
            self.walker.update(dt, intent, self.look.heading)
        elif self.flyer is not None:
            self.flyer.update(dt, intent, self.look.heading, self.look.pitch)
        elif self.follow is not None:
            self.follow.update(dt, self.look, cab=not self.third_person)
        return self.pose()

    def pose(self) -> NavPose | None:
        """The camera pose now (None in orbit mode)."""
        look = self.look
        if self.walker is not None:
            head = self.walker.shown() + [0.0, 0.0, self.walk_params.eye_height]
            if not self.third_person:
                return NavPose(_vec(head), look.heading, look.pitch)
            return NavPose(_vec(self._behind(head, look.heading, look.pitch)), look.heading, look.pitch)
        if self.flyer is not None:
            return NavPose(_vec(self.flyer.shown()), look.heading, look.pitch)
        if self.follow is not None:
            return self.follow.pose
        return None

    def avatar(self) -> tuple[Vec3, float] | None:
        """Feet position and heading of the walking avatar when it is seen (third-person walk), else None."""
        if self.walker is None or not self.third_person:
            return None
        return _vec(self.walker.shown()), self.look.heading

    def _behind(self, head: np.ndarray, heading: float, pitch: float) -> np.ndarray:
        """Third-person eye: behind the head along the view, pulled in front of any wall in between."""
        back = -forward_vector(heading, pitch)
        hit = self.index.raycast(head, back, THIRD_PERSON_DISTANCE + CAMERA_MARGIN)
        distance = THIRD_PERSON_DISTANCE if hit is None else max(0.0, hit - CAMERA_MARGIN)
        return head + back * distance

    # ------------------------------------------------------------------ toggles

    def toggle_collision(self) -> bool:
        self.collide = not self.collide
        for body in (self.walker, self.flyer):
            if body is not None:
                body.collide = self.collide
        return self.collide

    def toggle_third_person(self) -> bool:
        self.third_person = not self.third_person
        return self.third_person

    def wheel(self, steps: int) -> None:
        """Faster (positive) or slower by wheel notches: walk and fly speed, follow distance."""
        self.notches = max(-MAX_NOTCHES, min(MAX_NOTCHES, self.notches + steps))
        if self.walker is not None:
            self.walker.speed_factor = SPEED_NOTCH ** max(-6, min(6, self.notches))
        if self.flyer is not None:
            self.flyer.notches = self.notches
        if self.follow is not None:
            self.follow.distance = CHASE_DISTANCE / SPEED_NOTCH ** self.notches

    def status(self) -> str:
        """One line for the HUD: mode, view and toggles."""
        if self.mode == "walk":
            view = "third person" if self.third_person else "first person"
            return f"Walk ({view}), collision {'on' if self.collide else 'off'}"
        if self.mode == "fly":
            speed = self.flyer.speed() if self.flyer is not None else 0.0
            return f"Fly ({speed:.0f} m/s), collision {'on' if self.collide else 'off'}"
        if self.mode == "follow" and self.follow is not None:
            lost = " - vehicle lost" if self.follow.lost else ""
            return f"Follow {self.follow.vehicle} ({'chase' if self.third_person else 'cab'}){lost}"
        return "Orbit"


ENTRY: dict[str, Callable[[Navigator, NavPose, str | None], None]] = {
    "orbit": Navigator._enter_orbit,
    "walk": Navigator._enter_walk,
    "fly": Navigator._enter_fly,
    "follow": Navigator._enter_follow,
}


class Follower:
    """A camera riding with a vehicle: behind and above it (chase) or in its cab; the chase camera glides
    toward its place with time constant FOLLOW_SMOOTHING, so switching to it and vehicle jitter are smooth."""

    def __init__(self, vehicles: VehicleSource, vehicle: str, start: NavPose) -> None:
        self.vehicles, self.vehicle = vehicles, vehicle
        self.pose = start
        self.distance = CHASE_DISTANCE
        self.lost = False

    def update(self, dt: float, look: Look, cab: bool) -> None:
        """Move toward the vehicle's current place; `look` is an offset from the vehicle's heading."""
        found = self.vehicles(self.vehicle)
        self.lost = found is None
        if found is None:
            return
        heading = wrap_degrees(-found.bearing + look.heading)
        ground = np.asarray(found.position, np.float64)
        if cab:
            self.pose = NavPose(_vec(ground + [0.0, 0.0, CAB_HEIGHT]), heading, look.pitch)
            return
        pitch = max(-89.0, min(89.0, CHASE_PITCH + look.pitch))
        pivot = ground + [0.0, 0.0, CHASE_HEIGHT * 0.5]
        want = pivot - forward_vector(heading, pitch) * self.distance + [0.0, 0.0, CHASE_HEIGHT * 0.5]
        k = 1.0 - math.exp(-max(dt, 0.0) / FOLLOW_SMOOTHING)
        at = np.asarray(self.pose.position) + (want - np.asarray(self.pose.position)) * k
        turned = self.pose.heading + wrap_degrees(heading - self.pose.heading) * k
        self.pose = NavPose(_vec(at), wrap_degrees(turned), self.pose.pitch + (pitch - self.pose.pitch) * k)


def _vec(a: Any) -> Vec3:
    return (float(a[0]), float(a[1]), float(a[2]))
