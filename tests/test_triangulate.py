"""Bulk triangulation: fans for convex rings, earcut for concave rings and holes, areas preserved."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.city.triangulate import triangulate_polygons


def tri_area(pos: np.ndarray, tris: np.ndarray) -> float:
    a, b, c = pos[tris[:, 0]], pos[tris[:, 1]], pos[tris[:, 2]]
    return float(0.5 * np.linalg.norm(np.cross(b - a, c - a), axis=1).sum())


def ring_area_xy(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return float(0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y)))


def test_square_l_shape_hole_and_wall():
    """A square, an L, a square with a hole and a vertical wall keep their areas."""
    sq = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], float)
    ell = np.array([[0, 0, 0], [2, 0, 0], [2, 1, 0], [1, 1, 0], [1, 2, 0], [0, 2, 0]], float)
    hole = np.array([[.2, .2, 0], [.2, .4, 0], [.4, .4, 0], [.4, .2, 0]], float)
    wall = np.array([[0, 0, 0], [1, 0, 0], [1, 0, 3], [0, 0, 3]], float)
    pos = np.concatenate([sq, ell, sq, hole, wall])
    tris, poly = triangulate_polygons(pos, [4, 6, 4, 4, 4], [1, 1, 2, 1])
    areas = np.bincount(poly, weights=0.5 * np.linalg.norm(np.cross(
        pos[tris[:, 1]] - pos[tris[:, 0]], pos[tris[:, 2]] - pos[tris[:, 0]]), axis=1))
    np.testing.assert_allclose(areas, [1.0, 3.0, 0.96, 3.0])


def test_degenerate_rings_are_dropped():
    """Rings of fewer than 3 vertices and zero-area rings give no triangles and no error."""
    pos = np.array([[0, 0, 0], [1, 0, 0], [0, 0, 0], [1, 0, 0], [2, 0, 0]], float)
    tris, poly = triangulate_polygons(pos, [2, 3], [1, 1])
    assert tris.shape == (0, 3) and poly.shape == (0,)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(3, 40), radius=st.floats(0.5, 500), jag=st.floats(0.0, 0.9),
       tilt=st.floats(-1.5, 1.5), seed=st.integers(0, 10_000))
def test_star_polygons_keep_their_area(n, radius, jag, tilt, seed):
    """Random star-shaped (often concave) rings, tilted in 3D, triangulate to their own area."""
    rng = np.random.default_rng(seed)
    angles = np.sort(rng.uniform(0, 2 * np.pi, n))
    angles = np.unique(np.round(angles, 6))
    gaps = np.diff(np.append(angles, angles[0] + 2 * np.pi))
    if angles.size < 3 or gaps.max() >= np.pi * 0.99:  # the origin must be inside, or the ring may cross itself
        return
    r = radius * (1 - jag * rng.uniform(0, 1, angles.size))
    ring = np.stack([r * np.cos(angles), r * np.sin(angles), np.zeros(angles.size)], axis=1)
    expected = ring_area_xy(ring)
    rot = np.array([[1, 0, 0], [0, np.cos(tilt), -np.sin(tilt)], [0, np.sin(tilt), np.cos(tilt)]])
    tris, _ = triangulate_polygons(ring @ rot.T, [angles.size], [1])
    assert abs(tri_area(ring, tris) - expected) <= 1e-6 * max(expected, 1.0) + 1e-9


def test_many_boxes_are_fast_enough_to_be_vectorised():
    """20k convex quads produce exactly two triangles each (the vectorised fan path)."""
    base = np.array([[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]], float)
    pos = (base[None] + np.arange(20_000)[:, None, None] * np.array([2.0, 0, 0])).reshape(-1, 3)
    tris, poly = triangulate_polygons(pos, np.full(20_000, 4), np.ones(20_000, int))
    assert tris.shape == (40_000, 3) and np.array_equal(np.bincount(poly), np.full(20_000, 2))


def test_concave_rings_keep_their_winding():
    """A concave ring wound either way gives triangles wound like the ring (so normals face outward)."""
    ell = np.array([[0, 0, 0], [2, 0, 0], [2, 1, 0], [1, 1, 0], [1, 2, 0], [0, 2, 0]], float)
    for ring, up in ((ell, True), (ell[::-1].copy(), False)):
        tris, _ = triangulate_polygons(ring, [6], [1])
        a, b, c = ring[tris[:, 0]], ring[tris[:, 1]], ring[tris[:, 2]]
        normal_z = np.cross(b - a, c - a)[:, 2]
        assert (normal_z > 0).all() if up else (normal_z < 0).all()


def test_normals_are_the_outer_rings_newell_normals():
    """Each polygon's normal is its outer ring's Newell normal (length twice its area, along its winding);
    holes do not count and dropped polygons get zeros."""
    from viewer.city.triangulate import triangulate_with_normals

    sq = np.array([[0, 0, 5], [2, 0, 5], [2, 2, 5], [0, 2, 5]], float) + [84000.0, 446000.0, 0]
    hole = np.array([[.5, .5, 5], [.5, 1, 5], [1, 1, 5], [1, .5, 5]], float) + [84000.0, 446000.0, 0]
    wall = np.array([[0, 0, 0], [0, 0, 3], [1, 0, 3], [1, 0, 0]], float)
    short = np.array([[0, 0, 0], [1, 0, 0]], float)
    pos = np.concatenate([sq, hole, wall, short])
    tris, poly, normals = triangulate_with_normals(pos, [4, 4, 4, 2], [2, 1, 1])
    np.testing.assert_allclose(normals, [[0, 0, 8], [0, 6, 0], [0, 0, 0]], atol=1e-6)
    assert set(poly.tolist()) == {0, 1}
