"""The mode state machine without a window: switching keeps the view, follow rides a vehicle."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_nav_collision import box_world

from viewer.nav.index import CollisionIndex
from viewer.nav.kinematics import Intent
from viewer.nav.modes import (
    CAB_HEIGHT,
    CHASE_DISTANCE,
    THIRD_PERSON_DISTANCE,
    Navigator,
    NavPose,
    VehiclePose,
    pose_from_look_at,
)

VIEW = NavPose((10.0, -40.0, 1.65), 0.0, 0.0)  # eye height on the ground, looking north


class FakeVehicles:
    """A VehicleSource whose vehicles the test places by hand (id -> VehiclePose)."""

    def __init__(self) -> None:
        self.poses: dict[str, VehiclePose] = {}

    def __call__(self, vehicle: str) -> VehiclePose | None:
        return self.poses.get(vehicle)


STILL = Intent()


def run(nav: Navigator, seconds: float, intent: Intent = STILL, fps: float = 60.0) -> NavPose | None:
    """Update the navigator for `seconds` at `fps` with one intent; the last pose."""
    pose = None
    for _ in range(round(seconds * fps)):
        pose = nav.update(1.0 / fps, intent)
    return pose


def test_orbit_mode_leaves_the_camera_to_the_window():
    """A new Navigator is in orbit mode and answers no pose: the window's Orbit drives the camera."""
    nav = Navigator(CollisionIndex.empty())
    assert nav.mode == "orbit" and nav.update(1 / 60, Intent(forward=1.0)) is None


def test_entering_fly_keeps_the_view_exactly():
    """Switching to fly from any view gives back that view's position, heading and pitch."""
    nav = Navigator(CollisionIndex.empty(), smoothing=0.0)
    view = NavPose((3.0, 4.0, 120.0), 37.0, -25.0)
    nav.enter("fly", view)
    assert nav.pose() == view


def test_entering_walk_keeps_the_view_in_first_and_third_person():
    """First person: the eye is the old camera. Third person: the avatar stands 4 m ahead along the view,
    so the camera behind it is where the old camera was."""
    nav = Navigator(CollisionIndex.empty(0.0), smoothing=0.0)
    nav.third_person = False
    nav.enter("walk", VIEW)
    assert nav.update(1 / 60, Intent()).position == pytest.approx(VIEW.position)
    nav.third_person = True
    nav.enter("walk", VIEW)
    pose = nav.update(1 / 60, Intent())
    assert pose.position == pytest.approx(VIEW.position, abs=1e-6)
    feet, heading = nav.avatar()
    assert feet == pytest.approx((10.0, -40.0 + THIRD_PERSON_DISTANCE, 0.0)) and heading == 0.0


def test_entering_walk_from_high_above_lands_at_once_and_from_low_falls():
    """From 500 m up the walker is put on the floor below; from 20 m up it falls under gravity."""
    nav = Navigator(box_world([[0, 0, 0]], [[20, 20, 10]]), smoothing=0.0)
    nav.third_person = False
    nav.enter("walk", NavPose((10.0, 10.0, 500.0), 0.0, -60.0))
    assert nav.walker.position[2] == pytest.approx(10.0)
    nav.enter("walk", NavPose((10.0, 10.0, 30.0), 0.0, 0.0))
    assert nav.walker.position[2] == pytest.approx(30.0 - nav.walk_params.eye_height)
    run(nav, 3.0)
    assert nav.walker.position[2] == pytest.approx(10.0)


def test_walking_in_third_person_moves_camera_and_avatar_together():
    """Walking forward 2 s moves both the avatar and the camera behind it 4 m north."""
    nav = Navigator(CollisionIndex.empty(0.0), smoothing=0.0)
    nav.enter("walk", VIEW)
    before = run(nav, 0.1)
    run(nav, 2.0, Intent(forward=1.0))
    after = run(nav, 0.1)  # the shown pose trails physics by one step: let it arrive
    assert np.subtract(after.position, before.position) == pytest.approx((0.0, 4.0, 0.0), abs=1e-6)


def test_third_person_camera_stays_in_front_of_a_wall_behind_the_avatar():
    """With a wall 2 m behind the avatar the camera is pulled in front of it instead of 4 m back."""
    index = box_world([[-10, -13, 0]], [[20, 10, 10]])  # its north wall at y = -3
    nav = Navigator(index, smoothing=0.0)
    nav.enter("walk", NavPose((0.0, -3.0, 1.65), 0.0, 0.0))  # avatar placed at y = 1
    pose = run(nav, 0.1)
    assert -3.0 < pose.position[1] < -2.5


def test_switching_between_modes_keeps_the_view():
    """Fly -> walk (third person) -> fly: the camera pose is the same before and after each switch."""
    nav = Navigator(CollisionIndex.empty(0.0), smoothing=0.0)
    nav.enter("fly", VIEW)
    run(nav, 1.0, Intent(forward=1.0))
    view = nav.pose()
    nav.enter("walk", view)
    assert nav.pose().position == pytest.approx(view.position, abs=1e-6)
    walked = run(nav, 1.0, Intent(right=1.0))
    nav.enter("fly", walked)
    assert nav.pose() == walked


def test_teleport_in_walk_lands_below_the_bookmark_and_in_fly_goes_there():
    """A bookmark at eye height puts the walker on the ground there; in fly the camera goes exactly there."""
    nav = Navigator(CollisionIndex.empty(0.0), smoothing=0.0)
    nav.third_person = False
    nav.enter("walk", VIEW)
    nav.teleport((100.0, 50.0, 1.7), (100.0, 150.0, 1.7))
    assert nav.walker.position == pytest.approx([100.0, 50.0, 0.0])
    assert nav.pose().heading == pytest.approx(0.0)
    nav.enter("fly", VIEW)
    nav.teleport((0.0, 0.0, 300.0), (100.0, 0.0, 200.0))
    pose = nav.pose()
    assert pose.position == (0.0, 0.0, 300.0)
    assert pose.heading == pytest.approx(-90.0) and pose.pitch == pytest.approx(-45.0)


def test_collision_and_third_person_toggle_and_the_wheel_changes_speed():
    """N toggles collision on the body; T toggles the view; two wheel notches walk 1.25^2 faster."""
    nav = Navigator(CollisionIndex.empty(0.0), smoothing=0.0)
    nav.enter("walk", VIEW)
    assert nav.toggle_collision() is False and nav.walker.collide is False
    assert nav.toggle_third_person() is False and nav.avatar() is None
    run(nav, 0.1)
    nav.wheel(2)
    start = nav.walker.position.copy()
    run(nav, 1.0, Intent(forward=1.0))
    assert nav.walker.position[1] - start[1] == pytest.approx(2.0 * 1.25**2)


def test_follow_chases_the_vehicle_and_turns_with_it():
    """Following a bus heading east: the camera settles 9 m behind and 3 m above it, looking east; when
    the bus moves on, the camera follows."""
    buses = FakeVehicles()
    buses.poses["bus-1"] = VehiclePose((100.0, 0.0, 0.0), bearing=90.0)
    nav = Navigator(CollisionIndex.empty(0.0), vehicles=buses, smoothing=0.0)
    nav.enter("follow", VIEW, vehicle="bus-1")
    pose = run(nav, 3.0)
    behind = 100.0 - CHASE_DISTANCE * math.cos(math.radians(10.0))
    assert pose.position[0] == pytest.approx(behind, abs=0.01) and pose.position[1] == pytest.approx(0.0, abs=0.01)
    assert pose.heading == pytest.approx(-90.0, abs=0.01) and pose.pitch == pytest.approx(-10.0, abs=0.01)
    buses.poses["bus-1"] = VehiclePose((200.0, 0.0, 0.0), bearing=90.0)
    assert run(nav, 3.0).position[0] == pytest.approx(behind + 100.0, abs=0.01)


def test_follow_cab_view_rides_inside_and_a_lost_vehicle_holds_the_camera():
    """In cab view the camera is at the vehicle plus cab height, facing its bearing; when the source no
    longer knows the vehicle, the camera stays and the status says it is lost."""
    cars = FakeVehicles()
    cars.poses["car-7"] = VehiclePose((5.0, 6.0, 1.0), bearing=0.0)
    nav = Navigator(CollisionIndex.empty(0.0), vehicles=cars, smoothing=0.0)
    nav.third_person = False
    nav.enter("follow", VIEW, vehicle="car-7")
    pose = run(nav, 0.1)
    assert pose == NavPose((5.0, 6.0, 1.0 + CAB_HEIGHT), 0.0, 0.0)
    del cars.poses["car-7"]
    assert run(nav, 1.0) == pose and "lost" in nav.status()


def test_follow_needs_a_vehicle_and_unknown_modes_are_refused():
    """follow without a source or id, and a mode that does not exist, raise ValueError naming the problem."""
    nav = Navigator(CollisionIndex.empty())
    nav.enter("walk", VIEW)
    with pytest.raises(ValueError, match="vehicle"):
        nav.enter("follow", VIEW)
    with pytest.raises(ValueError, match="modes: orbit, walk, fly, follow"):
        nav.enter("swim", VIEW)
    assert nav.mode == "walk" and nav.walker is not None  # a refused switch leaves the mode as it was


def test_pose_from_look_at_matches_panda_headings():
    """Looking east is heading -90, north 0, west 90; looking down 45 degrees is pitch -45."""
    assert pose_from_look_at((0, 0, 0), (1, 0, 0)).heading == pytest.approx(-90.0)
    assert pose_from_look_at((0, 0, 0), (0, 1, 0)).heading == pytest.approx(0.0)
    assert pose_from_look_at((0, 0, 0), (-1, 0, -1)).heading == pytest.approx(90.0)
    assert pose_from_look_at((0, 0, 0), (-1, 0, -1)).pitch == pytest.approx(-45.0)
    assert NavPose((0.0, 0.0, 0.0), -90.0, 0.0).look_at(2.0) == pytest.approx((2.0, 0.0, 0.0))
