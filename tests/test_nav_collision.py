"""The collision index without a window: the grid, floor heights, wall sweeps with sliding, rays."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.nav.grid import MAX_SPAN, Grid, gather_ranges
from viewer.nav.index import CollisionIndex

R = 0.3  # a walker's radius


def box_world(mins, sizes, base_z: float = 0.0) -> CollisionIndex:
    """An index over boxes (roof + four walls each) from corners (n, 3) and sizes (n, 3), metres."""
    vertices, triangles = box_mesh(mins, sizes)
    return CollisionIndex.from_triangles(vertices, triangles, base_z=base_z)


def box_mesh(mins, sizes) -> tuple[np.ndarray, np.ndarray]:
    """Vertices (8n, 3) float64 and triangles (10n, 3) int64 of boxes: a roof and four walls, no floor."""
    mins = np.asarray(mins, np.float64).reshape(-1, 3)
    sizes = np.asarray(sizes, np.float64).reshape(-1, 3)
    unit = np.array([[x, y, z] for z in (0, 1) for y in (0, 1) for x in (0, 1)], np.float64)
    vertices = (mins[:, None, :] + unit[None] * sizes[:, None, :]).reshape(-1, 3)
    faces = np.array([[4, 5, 7], [4, 7, 6], [0, 1, 5], [0, 5, 4], [2, 6, 7], [2, 7, 3],
                      [0, 4, 6], [0, 6, 2], [1, 3, 7], [1, 7, 5]])
    triangles = (faces[None] + 8 * np.arange(mins.shape[0])[:, None, None]).reshape(-1, 3)
    return vertices, triangles


def ramp_world(rise: float, run: float = 10.0) -> CollisionIndex:
    """A ramp from (0, 0, 0) up to (., run, rise), 10 m wide, on a base plane at 0."""
    vertices = np.array([[-5, 0, 0], [5, 0, 0], [5, run, rise], [-5, run, rise]], np.float64)
    return CollisionIndex.from_triangles(vertices, np.array([[0, 1, 2], [0, 2, 3]]), base_z=0.0)


# ---------------------------------------------------------------------------- grid


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.floats(-50, 50), st.floats(-50, 50), st.floats(0, 40), st.floats(0, 40))
def test_grid_query_finds_every_overlapping_box(seed, x, y, w, h):
    """A grid query returns at least every item whose box overlaps the rectangle (never misses one)."""
    rng = np.random.default_rng(seed)
    lo = rng.uniform(-60, 60, (200, 2))
    hi = lo + rng.exponential(4.0, (200, 2))
    grid = Grid.build(lo, hi)
    found = set(grid.query(x, y, x + w, y + h).tolist())
    overlapping = np.flatnonzero((lo[:, 0] <= x + w) & (hi[:, 0] >= x) & (lo[:, 1] <= y + h) & (hi[:, 1] >= y))
    assert set(overlapping.tolist()) <= found


def test_huge_items_are_listed_once_and_found_everywhere():
    """An item spanning more than MAX_SPAN cells goes to `everywhere` and is returned by any query."""
    lo = np.array([[0.0, 0.0]] * 100 + [[-1000.0, -1000.0]])
    hi = np.array([[1.0, 1.0]] * 100 + [[1000.0, 1000.0]])
    lo[:100] += np.arange(100)[:, None] * 2.0
    hi[:100] += np.arange(100)[:, None] * 2.0
    grid = Grid.build(lo, hi, cell=2.0)
    assert grid.everywhere.tolist() == [100]
    assert 100 in grid.query(500.0, 500.0, 501.0, 501.0)
    assert grid.items.shape[0] < 100 * 4 + MAX_SPAN


def test_gather_ranges_concatenates_aranges():
    """gather_ranges(starts, ends) equals the concatenation of each arange, empty ranges included."""
    starts, ends = np.array([3, 10, 10, 0]), np.array([6, 10, 12, 2])
    assert gather_ranges(starts, ends).tolist() == [3, 4, 5, 10, 11, 0, 1]


# ---------------------------------------------------------------------------- floors


def test_ground_is_the_highest_floor_not_above_top():
    """Over a 12 m box the ground is its roof; asked from below the roof, it is the base plane."""
    index = box_world([[0, 0, 0]], [[10, 10, 12]], base_z=-0.5)
    assert index.ground(5.0, 5.0) == pytest.approx((12.0, 1.0))
    assert index.ground(5.0, 5.0, top=11.0)[0] == pytest.approx(-0.5)
    assert index.ground(50.0, 5.0)[0] == pytest.approx(-0.5)


def test_ground_height_interpolates_a_slope():
    """On a ramp rising 3 m over 10 m the height at y = 4 is 1.2 m and the levelness is cos(slope)."""
    height, level = ramp_world(3.0).ground(1.0, 4.0)
    assert height == pytest.approx(1.2)
    assert level == pytest.approx(math.cos(math.atan2(3.0, 10.0)))


def test_steep_triangles_are_walls_and_flat_ones_floors():
    """A box gives one wall segment per side (its two triangles deduplicated) and two roof floors."""
    index = box_world([[0, 0, 0]], [[10, 4, 6]])
    assert index.walls.shape[0] == 4 and index.floors.shape[0] == 2
    assert sorted(np.hypot(index.walls[:, 2] - index.walls[:, 0], index.walls[:, 3] - index.walls[:, 1])) == \
        pytest.approx([4, 4, 10, 10])
    assert index.walls[:, 4:6].tolist() == [[0.0, 6.0]] * 4


def test_empty_degenerate_and_wall_only_models_index_cleanly():
    """No triangles, only degenerate ones, or only walls: the index answers the base plane for the ground,
    walls still block, and rays still stop on the base plane."""
    empty = CollisionIndex.from_triangles(np.zeros((0, 3)), np.zeros((0, 3), np.int64), base_z=1.0)
    assert empty.ground(3.0, 4.0) == (1.0, 1.0) and empty.raycast((0, 0, 5), (0, 0, -1)) == 4.0
    points = np.array([[0, 0, 0], [0, 0, 0], [1, 1, 1]], np.float64)
    degenerate = CollisionIndex.from_triangles(points, np.array([[0, 1, 2], [0, 0, 0]]))
    assert degenerate.floors.shape[0] == 0 and degenerate.walls.shape[0] == 0
    vertices, triangles = box_mesh([[0, 0, 0]], [[10, 10, 6]])
    walls_only = CollisionIndex.from_triangles(vertices, triangles[2:], base_z=0.0)
    assert walls_only.ground(5.0, 5.0) == (0.0, 1.0)
    assert walls_only.local(-10, -10, 20, 20).slide(5.0, -3.0, 0.0, 5.0, R, 0.4, 1.8)[1] == pytest.approx(-R, abs=2e-3)


# ---------------------------------------------------------------------------- walls


def test_sweep_stops_a_circle_at_the_wall():
    """A circle moving 5 m toward a wall 3 m away stops with its centre r from the wall."""
    local = box_world([[0, 0, 0]], [[10, 10, 6]]).local(-10, -10, 20, 20)
    x, y = local.slide(5.0, -3.0, 0.0, 5.0, R, 0.4, 1.8)
    assert x == pytest.approx(5.0) and y == pytest.approx(-R, abs=2e-3)


def test_slide_keeps_the_motion_along_the_wall():
    """Moving diagonally into a wall keeps the component along it and drops the one into it."""
    local = box_world([[0, 0, 0]], [[10, 10, 6]]).local(-10, -10, 20, 20)
    x, y = local.slide(2.0, -1.0, 3.0, 3.0, R, 0.4, 1.8)
    assert x == pytest.approx(5.0, abs=1e-3) and y == pytest.approx(-R, abs=2e-3)


def test_a_fast_move_cannot_tunnel_through_a_thin_wall():
    """A 200 m move across a 10 cm thick wall in one call stops at the wall (continuous sweep)."""
    local = box_world([[0, -50, 0]], [[0.1, 100, 6]]).local(-150, -60, 150, 60)
    x, _ = local.slide(-100.0, 0.0, 200.0, 0.0, R, 0.4, 1.8)
    assert x == pytest.approx(-R, abs=2e-3)


def test_walls_below_the_step_height_do_not_block():
    """A 0.3 m kerb's walls lie below the body's z range (feet + step height) and let it pass."""
    local = box_world([[0, 0, 0]], [[10, 10, 0.3]]).local(-10, -10, 20, 20)
    assert local.slide(5.0, -3.0, 0.0, 5.0, R, 0.4, 1.8) == pytest.approx((5.0, 2.0))


def test_rounded_ends_turn_a_circle_around_a_corner():
    """A circle grazing a box corner is deflected around it, never ending inside the box."""
    local = box_world([[0, 0, 0]], [[10, 10, 6]]).local(-10, -10, 20, 20)
    x, y = local.slide(-0.2, -3.0, 0.0, 6.0, R, 0.4, 1.8)
    assert x <= -R and 0.0 < y < 3.0  # round the corner, then along its tangent: north-west
    assert inside_clearance(local, x, y) >= R - 2e-3


def test_push_out_frees_a_circle_that_starts_in_a_wall():
    """A circle whose centre is 0.1 m from a wall is pushed out to r from it."""
    local = box_world([[0, 0, 0]], [[10, 10, 6]]).local(-10, -10, 20, 20)
    x, y = local.push_out(5.0, -0.1, R, 0.4, 1.8)
    assert (x, y) == pytest.approx((5.0, -R), abs=2e-3)


def inside_clearance(local, x: float, y: float) -> float:
    """Distance (m) from (x, y) to the nearest wall segment of a Local."""
    rx, ry = x - local.x0, y - local.y0
    along = np.clip(rx * local.ux + ry * local.uy, 0.0, local.length)
    return float(np.hypot(rx - along * local.ux, ry - along * local.uy).min())


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(-8, 8), st.floats(-8, 8)), min_size=1, max_size=25), st.integers(0, 1000))
def test_random_walks_never_end_inside_a_building(moves, seed):
    """Whatever sequence of moves a circle makes among boxes, it never ends closer than r to a wall."""
    rng = np.random.default_rng(seed)
    mins = np.c_[rng.uniform(-30, 30, (6, 2)), np.zeros(6)]
    index = box_world(mins, np.c_[rng.uniform(2, 10, (6, 2)), np.full(6, 8.0)])
    local = index.local(-60, -60, 60, 60)
    x, y = local.push_out(-45.0, -45.0, R, 0.4, 1.8)
    for dx, dy in moves:
        x, y = local.slide(x, y, dx, dy, R, 0.4, 1.8)
        assert inside_clearance(local, x, y) >= R - 2e-3


# ---------------------------------------------------------------------------- rays


def test_rays_hit_walls_roofs_and_the_base_plane():
    """A level ray hits the wall, a downward ray the roof, one beside the box the base plane; up: None."""
    index = box_world([[0, 0, 0]], [[10, 10, 6]], base_z=0.0)
    assert index.raycast((5, -20, 2), (0, 1, 0)) == pytest.approx(20.0)
    assert index.raycast((5, 5, 50), (0, 0, -1)) == pytest.approx(44.0)
    assert index.raycast((30, 5, 50), (0, 0, -1)) == pytest.approx(50.0)
    assert index.raycast((5, -20, 2), (0, 0.2, 1)) is None
    assert index.raycast((5, -20, 2), (0, 1, 0), max_distance=10.0) is None


def test_a_long_ray_crosses_many_cells_to_a_far_building():
    """A 2 km ray over an empty grid of small buildings finds the far one it points at."""
    mins = [[x, 0, 0] for x in range(0, 2000, 100)]
    index = box_world(mins, [[10, 10, 6]] * len(mins))
    assert index.raycast((-300.0, 5.0, 3.0), (1, 0, 0)) == pytest.approx(300.0)
    assert index.raycast((-300.0, 50.0, 3.0), (1, 0, 0), max_distance=5000.0) is None


def test_delft_index_has_floors_and_walls_and_answers_ground(shared_data):
    """Delft's LoD1 city splits into thousands of floors and walls; every floor query lands on a height
    inside the model's z range."""
    from viewer.city.scene import load_scene_models
    from viewer.config import SceneConfig

    model = load_scene_models(SceneConfig.for_file(shared_data / "cityjson_delft" / "delft.json")).model
    index = CollisionIndex.from_model(model)
    assert index.floors.shape[0] > 10_000 and index.walls.shape[0] > 5_000
    lo, hi = model.bounds()
    for x, y in np.random.default_rng(3).uniform(lo[:2], hi[:2], (50, 2)):
        assert lo[2] - 1e-3 <= index.ground(float(x), float(y))[0] <= hi[2] + 1e-3
