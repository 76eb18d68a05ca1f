"""Walking and flying without a window: scripted inputs give the expected poses at any frame rate."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_nav_collision import box_mesh, box_world, ramp_world

from viewer.nav.index import CollisionIndex
from viewer.nav.kinematics import STEP, Flyer, Intent, Look, Walker, WalkParams

R = WalkParams().radius
FORWARD = Intent(forward=1.0)


def walk(walker: Walker, seconds: float, intent: Intent = FORWARD, heading: float = 0.0,
         fps: float = 60.0) -> np.ndarray:
    """Run the walker for `seconds` at `fps` frames a second; its feet after the last physics step (3,)
    (the shown position trails it by up to one step: it is interpolated between the last two)."""
    for _ in range(round(seconds * fps)):
        walker.update(1.0 / fps, intent, heading)
    return walker.position


def standing(index: CollisionIndex, x: float, y: float) -> Walker:
    """A walker standing on the floor at (x, y)."""
    walker = Walker(index, np.array([x, y, index.ground(x, y)[0]]))
    walker.land()
    return walker


# ---------------------------------------------------------------------------- walking on the flat


def test_walking_and_running_cover_speed_times_time():
    """Forward for 2 s walks 4 m north; running covers 12 m; strafing right goes east."""
    flat = CollisionIndex.empty(0.0)
    assert walk(standing(flat, 0, 0), 2.0) == pytest.approx([0.0, 4.0, 0.0])
    assert walk(standing(flat, 0, 0), 2.0, Intent(forward=1.0, run=True)) == pytest.approx([0.0, 12.0, 0.0])
    assert walk(standing(flat, 0, 0), 1.0, Intent(right=1.0)) == pytest.approx([2.0, 0.0, 0.0])
    assert walk(standing(flat, 0, 0), 1.0, heading=90.0) == pytest.approx([-2.0, 0.0, 0.0])


def test_the_path_is_the_same_at_any_frame_rate():
    """Falling, walking into a wall and sliding along it for 1.5 s ends at the same place at 24, 60 and
    144 frames a second and with jittery frame times."""
    index = box_world([[0, 5, 0]], [[20, 10, 8]])
    intent = Intent(forward=1.0, right=0.5, run=True)
    ends = []
    for fps in (24.0, 60.0, 144.0):
        walker = Walker(index, np.array([2.0, 0.0, 3.0]))
        walk(walker, 1.5, intent, fps=fps)
        ends.append(walker.shown())
    dts = np.random.default_rng(5).uniform(0.004, 0.06, 60)
    walker = Walker(index, np.array([2.0, 0.0, 3.0]))
    for dt in dts / dts.sum() * 1.5:
        walker.update(float(dt), intent, 0.0)
    ends.append(walker.shown())
    for end in ends[1:]:
        assert end == pytest.approx(ends[0], abs=1e-6)
    assert ends[0][1] == pytest.approx(5.0 - R, abs=2e-3) and ends[0][2] == pytest.approx(0.0)


def test_the_shown_position_moves_smoothly_between_steps():
    """At 144 fps (several frames per physics step) every frame advances the shown position by the same
    distance: interpolation, no judder."""
    walker = standing(CollisionIndex.empty(0.0), 0, 0)
    ys = []
    for _ in range(100):
        walker.update(1.0 / 144.0, FORWARD, 0.0)
        ys.append(walker.shown()[1])
    steps = np.diff(ys[10:])
    assert steps == pytest.approx(np.full(steps.shape, 2.0 / 144.0), rel=1e-6)


def test_a_stalled_frame_counts_at_most_a_quarter_second():
    """One 5 s frame (a stall) moves the walker as far as 0.25 s, not 5 s."""
    walker = standing(CollisionIndex.empty(0.0), 0, 0)
    walker.update(5.0, FORWARD, 0.0)
    assert walker.position[1] == pytest.approx(0.5, abs=STEP * 2.0)


# ---------------------------------------------------------------------------- gravity, steps, ledges


def test_falling_lands_on_the_roof_below():
    """Dropped 18 m above a 12 m roof, the walker is still falling after 1.5 s and stands on the roof
    after 3 s (free fall takes about 1.9 s)."""
    walker = Walker(box_world([[0, 0, 0]], [[10, 10, 12]]), np.array([5.0, 5.0, 30.0]))
    assert walk(walker, 1.5, Intent())[2] > 12.5 and not walker.on_ground
    assert walk(walker, 1.5, Intent())[2] == pytest.approx(12.0) and walker.on_ground


def test_kerbs_and_stairs_are_stepped_up_and_down():
    """A 15 cm kerb is stepped onto and off; five 20 cm stairs are climbed to 1 m."""
    kerb = box_world([[-5, 2, 0]], [[10, 2, 0.15]])
    walker = standing(kerb, 0, 0)
    assert walk(walker, 1.5)[2] == pytest.approx(0.15)
    assert walk(walker, 1.5)[2] == pytest.approx(0.0)
    stairs = box_world([[-5, 2 + 0.4 * i, 0] for i in range(5)], [[10, 20, 0.2 * (i + 1)] for i in range(5)])
    assert walk(standing(stairs, 0, 0), 3.0)[2] == pytest.approx(1.0)


def test_a_wall_higher_than_a_step_stops_the_walker():
    """A 1 m high wall stops the walker r in front of it; with collision off it walks through."""
    index = box_world([[-5, 2, 0]], [[10, 1, 1.0]])
    walker = standing(index, 0, 0)
    assert walk(walker, 3.0)[1] == pytest.approx(2.0 - R, abs=2e-3)
    walker.collide = False
    assert walk(walker, 3.0)[1] > 5.0


def test_a_slab_at_chest_height_blocks_and_a_bridge_overhead_does_not():
    """A floor-only slab 1 m up (no walls) stops the walker; one 2.5 m up is walked under."""
    for height, blocked in ((1.0, True), (2.5, False)):
        quad = np.array([[-5, 2, height], [5, 2, height], [5, 6, height], [-5, 6, height]], np.float64)
        index = CollisionIndex.from_triangles(quad, np.array([[0, 1, 2], [0, 2, 3]]), base_z=0.0)
        end = walk(standing(index, 0, 0), 3.0)
        assert (end[1] < 2.0) == blocked and end[2] == pytest.approx(0.0)


def test_gentle_ramps_are_climbed_and_steep_ones_are_not():
    """A 17 degree ramp is walked up following its surface; a 63 degree one stops the walker at its foot."""
    gentle = walk(standing(ramp_world(3.0), 0, -1), 3.0)
    assert gentle[2] == pytest.approx(0.3 * gentle[1], abs=1e-6) and gentle[1] > 4.0
    steep = walk(standing(ramp_world(20.0), 0, -1), 3.0)
    assert steep[1] < 0.1 and steep[2] < 0.2


def test_a_jump_rises_and_lands_again():
    """Jumping at 4 m/s reaches about v^2 / 2g = 0.8 m and comes back to the ground within a second."""
    walker = standing(CollisionIndex.empty(0.0), 0, 0)
    walker.update(STEP, Intent(jump=True), 0.0)
    peak = max(walk(walker, STEP, Intent())[2] for _ in range(40))
    assert peak == pytest.approx(4.0**2 / (2 * 9.81), abs=0.05)
    assert walk(walker, 1.0, Intent())[2] == 0.0 and walker.on_ground


def test_a_jump_pressed_in_a_frame_shorter_than_a_step_is_kept():
    """At 144 fps a jump pressed in a frame with no physics step happens at the next step."""
    walker = standing(CollisionIndex.empty(0.0), 0, 0)
    walker.update(1.0 / 144.0, Intent(jump=True), 0.0)
    assert walker.position[2] == 0.0
    assert max(walk(walker, STEP, Intent(), fps=144.0)[2] for _ in range(30)) > 0.5


# ---------------------------------------------------------------------------- flying


def test_fly_speed_grows_with_height_and_the_wheel():
    """The flyer's speed is its minimum near the ground (10 m/s: a street in seconds), 0.8 m/s per metre of height above it, times
    1.25 per wheel notch and 4 while running; an hour's flight forward at 100 m covers speed x time."""
    flat = CollisionIndex.empty(0.0)
    assert Flyer(flat, np.array([0.0, 0.0, 2.0])).speed() == pytest.approx(10.0)
    high = Flyer(flat, np.array([0.0, 0.0, 100.0]))
    assert high.speed() == pytest.approx(80.0) and high.speed(run=True) == pytest.approx(320.0)
    high.notches = 2
    assert high.speed() == pytest.approx(80.0 * 1.25**2)
    high.notches = 0
    for _ in range(60):
        high.update(1 / 60, FORWARD, 0.0, 0.0)
    assert high.position == pytest.approx([0.0, 80.0, 100.0])


def test_flying_into_a_building_stops_unless_collision_is_off():
    """Level flight into a tower stops at its wall; diving onto its roof stops just above it; with
    collision off the flyer passes through."""
    tower = box_world([[-10, 20, 0]], [[20, 20, 60]])
    flyer = Flyer(tower, np.array([0.0, 0.0, 30.0]))
    for _ in range(300):
        flyer.update(1 / 60, FORWARD, 0.0, 0.0)
    assert flyer.shown()[1] == pytest.approx(20.0 - flyer.params.radius, abs=2e-3)
    diver = Flyer(tower, np.array([0.0, 30.0, 80.0]))
    for _ in range(300):
        diver.update(1 / 60, Intent(up=-1.0), 0.0, 0.0)
    assert diver.shown()[2] == pytest.approx(60.0 + diver.params.radius)
    ghost = Flyer(tower, np.array([0.0, 0.0, 30.0]))
    ghost.collide = False
    for _ in range(600):
        ghost.update(1 / 60, FORWARD, 0.0, 0.0)
    assert ghost.shown()[1] > 40.0


# ---------------------------------------------------------------------------- looking


def test_look_smoothing_is_frame_rate_independent_and_clamped():
    """A 90 degree turn is followed exponentially: the same heading after 0.1 s at 30 and 120 fps, within
    a degree after 0.25 s; pitch never passes 89 degrees."""
    headings = []
    for fps in (30, 120):
        look = Look(0.0, 0.0, smoothing=0.04)
        look.turn(90.0, 0.0)
        for _ in range(round(0.1 * fps)):
            look.advance(1.0 / fps)
        headings.append(look.heading)
    assert headings[0] == pytest.approx(headings[1]) and headings[0] == pytest.approx(90 * (1 - math.exp(-2.5)))
    look.advance(0.15)
    assert look.heading == pytest.approx(90.0, abs=1.0)
    look.turn(0.0, 500.0)
    look.advance(10.0)
    assert look.pitch == 89.0


# ---------------------------------------------------------------------------- real cities


def delft(shared_data):
    from viewer.city.scene import load_scene_models
    from viewer.config import SceneConfig

    return load_scene_models(SceneConfig.for_file(shared_data / "cityjson_delft" / "delft.json")).model


def largest_building(model) -> tuple[int, np.ndarray]:
    """Index of Delft's largest building and its wall segments (w, 6) (x0, y0, x1, y1, zlo, zhi)."""
    from viewer.nav.index import pack_walls

    objects = model.objects
    buildings = [i for i, t in enumerate(objects.types) if t == "Building"]
    b = buildings[int(np.argmax(objects.footprint_area[buildings]))]
    tris = model.triangles[model.vertex_object[model.triangles[:, 0]] == b]
    corners = model.vertices[tris].astype(np.float64)
    normal = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
    steep = np.abs(normal[:, 2]) < 0.3 * np.linalg.norm(normal, axis=1)
    return b, pack_walls(*(corners[steep][:, :, k] for k in range(3))).astype(np.float64)


def open_approach(index: CollisionIndex, walls: np.ndarray, distance: float):
    """(middle, outward normal) of the longest wall with open, level ground `distance` metres before it
    (no other wall in the way, no step higher than a kerb): a fair place to walk into the building."""
    for wall in walls[np.argsort(-np.hypot(walls[:, 2] - walls[:, 0], walls[:, 3] - walls[:, 1]))]:
        a, z = wall[:2], wall[2:4]
        mid, along = (a + z) / 2, (z - a) / np.linalg.norm(z - a)
        for normal in (np.array([-along[1], along[0]]), np.array([along[1], -along[0]])):
            ground = [index.ground(*(mid + normal * d))[0] for d in np.arange(0.5, distance + 0.5, 0.5)]
            start = np.r_[mid + normal * distance, ground[-1] + 1.0]
            hit = index.raycast(start, np.r_[-normal, 0.0], 2 * distance)
            if np.ptp(ground) < 0.3 and hit is not None and hit == pytest.approx(distance, abs=1e-3):
                return mid, normal  # open sky over level ground, and this wall the first thing in the way
    raise AssertionError("no wall with an open approach")


def test_walking_into_a_delft_building_stops_at_its_wall(shared_data):
    """Walking for 10 s straight at the middle of a wall of the largest Delft building from 8 m outside
    ends r from that wall, on the ground outside."""
    model = delft(shared_data)
    index = CollisionIndex.from_model(model)
    b, walls = largest_building(model)
    mid, normal = open_approach(index, walls, 8.0)
    walker = standing(index, *(mid + normal * 8.0))
    heading = math.degrees(math.atan2(normal[0], -normal[1]))  # facing the wall: along -normal
    end = walk(walker, 10.0, heading=heading)
    assert np.dot(end[:2] - mid, normal) == pytest.approx(R, abs=5e-3)
    assert np.linalg.norm(end[:2] - mid) < 0.5 and end[2] < model.objects.bbox_max[b, 2] - 2.0


def test_falling_in_delft_lands_on_a_roof_or_the_street(shared_data):
    """Dropped from 60 m over the largest building the walker lands on its roof; over open ground
    beside it, on the ground, far below the roof."""
    model = delft(shared_data)
    index = CollisionIndex.from_model(model)
    b, _ = largest_building(model)
    roofs = model.triangles[(model.vertex_object[model.triangles[:, 0]] == b)]
    corners = model.vertices[roofs].astype(np.float64)
    flat = np.abs(np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])[:, 2]) > 1.0
    top = corners[flat][np.argmax(corners[flat][:, :, 2].mean(axis=1))]
    centre = top.mean(axis=0)
    walker = Walker(index, np.array([centre[0], centre[1], 60.0]))
    assert walk(walker, 5.0, Intent())[2] == pytest.approx(centre[2], abs=0.05) and walker.on_ground
    lo = model.objects.bbox_min[b]
    outside = Walker(index, np.array([lo[0] - 30.0, lo[1] - 30.0, 60.0]))
    assert walk(outside, 5.0, Intent())[2] < 2.0 and outside.on_ground


def test_walking_over_the_den_haag_dunes_follows_the_terrain(shared_data):
    """Running 40 m up a dune of the Den Haag TIN (6 m to 15 m), the feet are on the TIN at every frame."""
    from viewer.city.model import SurfaceKind
    from viewer.city.scene import load_scene_models
    from viewer.config import SceneConfig

    path = shared_data / "cityjson_denhaag" / "DenHaag_01.city.json"
    model = load_scene_models(SceneConfig.for_file(path)).model
    terrain = model.triangles[model.vertex_kind[model.triangles[:, 0]] == SurfaceKind.TERRAIN]
    tin = model.vertices[terrain].astype(np.float64)
    index = CollisionIndex.from_model(model)
    start, end = np.array([-295.5, 74.8]), np.array([-263.7, 50.5])
    heading = math.degrees(math.atan2(-(end - start)[0], (end - start)[1]))
    walker = standing(index, *start)
    heights = []
    for _ in range(round(6.0 * 60)):
        walker.update(1 / 60, Intent(forward=1.0, run=True), heading)
        x, y, z = walker.position
        heights.append((z, tin_height(tin, x, y)))
    got, expected = np.array(heights).T
    assert got == pytest.approx(expected, abs=0.01)  # seams: a centimetre of slack per edge
    assert expected.min() < 7.0 and expected.max() > 14.0


def tin_height(tin: np.ndarray, x: float, y: float) -> float:
    """Height of the TIN triangles (t, 3, 3) at (x, y), by barycentric coordinates (independent of nav)."""
    a, b, c = tin[:, 0], tin[:, 1], tin[:, 2]
    det = (b[:, 1] - c[:, 1]) * (a[:, 0] - c[:, 0]) + (c[:, 0] - b[:, 0]) * (a[:, 1] - c[:, 1])
    ok = np.abs(det) > 1e-12
    safe = np.where(ok, det, 1.0)
    l1 = ((b[:, 1] - c[:, 1]) * (x - c[:, 0]) + (c[:, 0] - b[:, 0]) * (y - c[:, 1])) / safe
    l2 = ((c[:, 1] - a[:, 1]) * (x - c[:, 0]) + (a[:, 0] - c[:, 0]) * (y - c[:, 1])) / safe
    l3 = 1.0 - l1 - l2
    inside = ok & (l1 >= -1e-9) & (l2 >= -1e-9) & (l3 >= -1e-9)
    i = int(np.flatnonzero(inside)[0])
    return float(l1[i] * a[i, 2] + l2[i] * b[i, 2] + l3[i] * c[i, 2])


def test_box_mesh_helper_makes_closed_walls():
    """The test helper's box has a roof at its top and four walls spanning its height."""
    vertices, triangles = box_mesh([[0, 0, 0]], [[2, 3, 4]])
    assert triangles.shape == (10, 3) and vertices[:, 2].max() == 4.0
