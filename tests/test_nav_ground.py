"""Nothing goes under the ground: fly and walk over a terrain (inside its grid and beyond it, where render/
draws its rings at the edge heights), with collision on and off; landing spots and glides (nav/glide.py)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from viewer.city.terrain import Terrain
from viewer.city.terrain import mesh as terrain_mesh
from viewer.nav.glide import Glide, land_spot
from viewer.nav.index import CollisionIndex, drawn_height
from viewer.nav.kinematics import Flyer, Intent, Walker


def hill_index(buildings: bool = False) -> CollisionIndex:
    """A 200 m grid rising from 0 m in the west to 30 m in the east (a ridge in the middle), optionally
    with a 20 m box building at x 0..10, y 0..10 standing on it."""
    xs = np.linspace(-100.0, 100.0, 21)
    gx, gy = np.meshgrid(xs, xs)
    heights = (0.15 * (gx + 100.0) + 5.0 * np.exp(-(gy / 30.0) ** 2)).astype(np.float32)
    terrain = Terrain(-100.0, -100.0, 10.0, heights, "dem")
    vertices, triangles = np.zeros((0, 3)), np.zeros((0, 3), np.int64)
    if buildings:
        base = float(terrain.height_at(5.0, 5.0))
        lo, hi = [0.0, 0.0, base], [10.0, 10.0, base + 20.0]
        vertices, triangles = box(lo, hi)
    model = SimpleNamespace(vertices=vertices, triangles=triangles, terrain=terrain)
    return CollisionIndex.from_model(model, base_z=float(heights.min()))


def box(lo: list[float], hi: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """A closed box (8 vertices, 12 triangles)."""
    x = np.array([[lo[0], lo[1]], [hi[0], lo[1]], [hi[0], hi[1]], [lo[0], hi[1]]])
    vertices = np.concatenate([np.c_[x, np.full(4, lo[2])], np.c_[x, np.full(4, hi[2])]])
    faces = [(0, 2, 1), (0, 3, 2), (4, 5, 6), (4, 6, 7), (0, 1, 5), (0, 5, 4), (1, 2, 6), (1, 6, 5),
             (2, 3, 7), (2, 7, 6), (3, 0, 4), (3, 4, 7)]
    return vertices, np.array(faces, np.int64)


def test_drawn_height_is_the_terrain_mesh_everywhere_rings_included():
    """ground_under matches the triangles render/ draws (terrain.mesh with its rings) inside and beyond
    the grid, to float precision."""
    index = hill_index()
    vertices, triangles, _ = terrain_mesh(index.terrain, reach=20.0, rings=4)
    rng = np.random.default_rng(3)
    for x, y in rng.uniform(-600.0, 600.0, (200, 2)):
        tri = vertices[triangles]
        a, b, c = tri[:, 0], tri[:, 1], tri[:, 2]
        det = (b[:, 1] - c[:, 1]) * (a[:, 0] - c[:, 0]) + (c[:, 0] - b[:, 0]) * (a[:, 1] - c[:, 1])
        l1 = ((b[:, 1] - c[:, 1]) * (x - c[:, 0]) + (c[:, 0] - b[:, 0]) * (y - c[:, 1])) / det
        l2 = ((c[:, 1] - a[:, 1]) * (x - c[:, 0]) + (a[:, 0] - c[:, 0]) * (y - c[:, 1])) / det
        l3 = 1.0 - l1 - l2
        inside = (l1 >= -1e-9) & (l2 >= -1e-9) & (l3 >= -1e-9)
        k = int(np.flatnonzero(inside)[0])
        expected = l1[k] * a[k, 2] + l2[k] * b[k, 2] + l3[k] * c[k, 2]
        assert drawn_height(index.terrain, x, y) == pytest.approx(expected, abs=1e-3)


@pytest.mark.parametrize("collide", [True, False])
def test_flying_down_and_forward_never_goes_under_the_ground(collide):
    """Flying east (uphill) and 20 degrees down at full speed for 20 s, from inside the grid out over the
    rings, the eye stays at least its radius above the drawn ground at every step, collision on or off."""
    index = hill_index()
    flyer = Flyer(index, np.array([-90.0, 0.0, 40.0]))
    flyer.collide = collide
    lowest = np.inf
    for _ in range(20 * 60):
        flyer.update(1 / 60, Intent(forward=1.0, run=True), -90.0, -20.0)
        x, y, z = flyer.position
        lowest = min(lowest, z - index.ground_under(x, y))
    assert flyer.position[0] > 150.0  # it went beyond the grid (x > 100)
    assert lowest >= flyer.params.radius - 1e-6


def test_walking_beyond_the_grid_stands_on_the_drawn_rings():
    """Walking east off the grid, the feet stay on the edge height that render/ draws there (30+ m), not
    on the base plane (0 m) where the index has no floor."""
    index = hill_index()
    walker = Walker(index, np.array([90.0, 60.0, index.ground_under(90.0, 60.0)]))
    walker.land()
    for _ in range(10 * 60):
        walker.update(1 / 60, Intent(forward=1.0, run=True), -90.0)
    x, y, z = walker.position
    assert x > 130.0
    assert z == pytest.approx(index.ground_under(x, y), abs=0.02) and z > 25.0


def test_landing_on_a_roof_walks_back_to_the_street_in_front():
    """A view ray that meets a roof lands the walker on open ground between the building and the eye."""
    index = hill_index(buildings=True)
    eye = (5.0, -80.0, 60.0)
    roof = (5.0, 5.0, index.ground(5.0, 5.0)[0])
    assert roof[2] - index.ground_under(5.0, 5.0) > 19.0
    x, y, z = land_spot(index, eye, roof)
    assert y < 0.0 and y > -10.0 and x == pytest.approx(5.0)
    assert z == pytest.approx(index.ground_under(x, y), abs=0.01)


def test_landing_on_the_ground_stays_there():
    index = hill_index()
    spot = land_spot(index, (0.0, -80.0, 60.0), (20.0, 30.0, index.ground_under(20.0, 30.0)))
    assert spot == pytest.approx((20.0, 30.0, index.ground_under(20.0, 30.0)), abs=0.01)


def test_a_glide_starts_and_ends_exactly_and_never_jumps():
    """A glide over 1.2 km begins at the start view, ends at the end view, and no 60 fps frame moves the
    camera more than a twentieth of the way."""
    glide = Glide.between((0, 0, 500), (0, 0, 0), (1200, 0, 2), (1200, 100, 2))
    assert np.array(glide.at(0.0)) == pytest.approx(np.array([(0, 0, 500), (0, 0, 0)]))
    assert np.array(glide.at(glide.seconds)) == pytest.approx(np.array([(1200, 0, 2), (1200, 100, 2)]))
    path = np.array([glide.at(t)[0] for t in np.arange(0.0, glide.seconds + 1 / 60, 1 / 60)])
    assert np.linalg.norm(np.diff(path, axis=0), axis=1).max() < 1300.0 / 20
    assert 1.0 < glide.seconds <= 2.0
