"""Curves for camera paths: centripetal Catmull-Rom, the monotone maps and the easing clock (viewer/flythrough/spline.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from viewer.flythrough.spline import (
    MIN_KNOT,
    MonotoneMap,
    arc_length_table,
    catmull_rom,
    centripetal_knots,
    constant_speed_map,
    ease_warp,
)

CORNERS = np.array([[0.0, 0.0, 0.0], [10.0, 0.0, 2.0], [12.0, 9.0, 2.0], [30.0, 11.0, -4.0], [31.0, 40.0, 0.0]])


def test_passes_through_every_point_at_its_knot() -> None:
    """The spline evaluated at each knot is that point, to rounding."""
    knots = centripetal_knots(CORNERS)
    np.testing.assert_allclose(catmull_rom(CORNERS, knots, knots), CORNERS, atol=1e-12)


def test_centripetal_knots_are_square_roots_of_distances() -> None:
    """Knot intervals are the square roots of the distances between consecutive points, starting at 0."""
    knots = centripetal_knots(CORNERS)
    expected = np.sqrt(np.linalg.norm(np.diff(CORNERS, axis=0), axis=1))
    assert knots[0] == 0.0
    np.testing.assert_allclose(np.diff(knots), expected, rtol=1e-12)


def test_no_overshoot_on_collinear_points() -> None:
    """Collinear points in order with very uneven spacing give a curve that stays on the line, monotone."""
    xs = np.array([0.0, 0.1, 50.0, 50.3, 51.0, 400.0])
    points = np.column_stack([xs, 2 * xs, np.zeros_like(xs)])
    knots = centripetal_knots(points)
    curve = catmull_rom(points, knots, np.linspace(knots[0], knots[-1], 5001))
    assert np.all(np.diff(curve[:, 0]) >= -1e-12)
    assert curve[:, 0].min() >= -1e-12 and curve[:, 0].max() <= 400.0 + 1e-9
    np.testing.assert_allclose(curve[:, 1], 2 * curve[:, 0], atol=1e-9)


def test_c1_at_the_knots() -> None:
    """The derivative (by finite differences) is the same just before and just after each inner knot."""
    knots = centripetal_knots(CORNERS)
    h = 1e-6
    for k in knots[1:-1]:
        before = (catmull_rom(CORNERS, knots, [k])[0] - catmull_rom(CORNERS, knots, [k - h])[0]) / h
        after = (catmull_rom(CORNERS, knots, [k + h])[0] - catmull_rom(CORNERS, knots, [k])[0]) / h
        np.testing.assert_allclose(before, after, atol=1e-3 * (1 + np.abs(before).max()))


def test_coincident_points_do_not_divide_by_zero() -> None:
    """Repeated points get the minimum knot interval and a finite curve through them (numpy raises on 0/0 here)."""
    points = np.array([[0.0, 0.0, 0.0], [5.0, 0.0, 0.0], [5.0, 0.0, 0.0], [5.0, 0.0, 0.0], [9.0, 3.0, 0.0]])
    knots = centripetal_knots(points)
    assert np.all(np.diff(knots) >= MIN_KNOT)
    s = np.linspace(knots[0], knots[-1], 999)
    curve = catmull_rom(points, knots, np.concatenate([s, knots]))
    assert np.all(np.isfinite(curve))
    np.testing.assert_allclose(curve[-len(knots):], points, atol=1e-9)


def test_monotone_map_never_overshoots_and_passes_through_samples() -> None:
    """The PCHIP map stays within each interval's end values and hits every sample exactly."""
    x = np.array([0.0, 1.0, 1.001, 5.0, 6.0])
    y = np.array([0.0, 0.0, 10.0, 10.0, 3.0])
    f = MonotoneMap(x, y)
    np.testing.assert_allclose(f(x), y, atol=1e-12)
    q = np.linspace(0, 6, 6001)
    i = np.clip(np.searchsorted(x, q, side="right") - 1, 0, len(x) - 2)
    low, high = np.minimum(y[i], y[i + 1]), np.maximum(y[i], y[i + 1])
    assert np.all(f(q) >= low - 1e-9) and np.all(f(q) <= high + 1e-9)


def test_constant_speed_map_keeps_a_turn_on_the_spot_and_reaches_the_end() -> None:
    """At constant speed a final turn on the spot keeps its keyframe duration and the end maps to the last knot."""
    points = np.array([[0.0, 0.0, 0.0], [10.0, 0.0, 0.0], [30.0, 0.0, 0.0], [30.0, 0.0, 0.0]])
    knots = centripetal_knots(points)
    s, length = arc_length_table(points, knots, 64)
    to_s = constant_speed_map(s, length, np.array([0.0, 1.0, 2.0, 6.0]), 64)  # 30 m in 2 s, then a 4 s turn
    assert length[-1] == pytest.approx(30.0, rel=1e-6)
    np.testing.assert_allclose(to_s([0.0, 2.0, 6.0]), knots[[0, 2, 3]], atol=1e-9)
    x = catmull_rom(points, knots, to_s(np.linspace(0.0, 2.0, 41)))[:, 0]
    np.testing.assert_allclose(np.diff(x), 0.75, rtol=0.01)  # 15 m/s, not 10 then 20
    assert np.all(np.diff(to_s(np.linspace(2.0, 6.0, 41))) > 0)  # the turn takes its 4 s


@pytest.mark.parametrize("ease", [0.5, 2.0, 5.0, 9.0])
def test_ease_warp_keeps_the_ends_and_starts_and_stops_at_rest(ease: float) -> None:
    """The eased clock maps 0 -> 0 and duration -> duration, increases, and has zero slope at both ends."""
    duration = 10.0
    u = np.linspace(0, duration, 10001)
    w = ease_warp(u, duration, ease)
    assert w[0] == 0.0 and w[-1] == pytest.approx(duration)
    assert np.all(np.diff(w) >= 0)
    h = 1e-4
    assert ease_warp([h], duration, ease)[0] / h < 1e-3
    assert (duration - ease_warp([duration - h], duration, ease)[0]) / h < 1e-3


def test_ease_zero_is_the_identity() -> None:
    """With no easing the clock is unchanged."""
    u = np.linspace(0, 7, 50)
    np.testing.assert_array_equal(ease_warp(u, 7.0, 0.0), u)


points_strategy = hnp.arrays(np.float64, st.tuples(st.integers(2, 8), st.just(3)),
                             elements=st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False))


@settings(max_examples=80, deadline=None)
@given(points_strategy)
def test_random_points_give_finite_curves_through_them(points: np.ndarray) -> None:
    """Any finite points (repeats included) give a finite curve that passes through each at its knot."""
    knots = centripetal_knots(points)
    assert np.all(np.diff(knots) > 0)
    curve = catmull_rom(points, knots, np.linspace(knots[0], knots[-1], 200))
    assert np.all(np.isfinite(curve))
    np.testing.assert_allclose(catmull_rom(points, knots, knots), points, atol=1e-6)
