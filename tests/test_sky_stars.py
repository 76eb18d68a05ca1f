"""Stars in the night sky (render/sky.py rule 5): a dark night's sky has star pixels, points brighter than the
sky around them; a day's sky and twilight's have none, and by day the sky's shader has no star code."""

from __future__ import annotations

import numpy as np
from test_look import HAGUE, render, tower

from viewer.config import CameraBookmark
from viewer.geo.sun import parse_time
from viewer.render.look import LookSpec

UP_ENE = CameraBookmark((40.0, -60.0, 5.0), (140.0, -30.0, 105.0))  # up to the ENE, away from the tower and moon


def star_pixels(image: np.ndarray) -> int:
    """Pixels of the upper half 40 levels brighter than each of the pixels 3 to the left, right, up and down."""
    sky = image[: image.shape[0] // 2].astype(int).sum(axis=2) // 3
    centre = sky[3:-3, 3:-3]
    around = np.maximum.reduce([sky[:-6, 3:-3], sky[6:, 3:-3], sky[3:-3, :-6], sky[3:-3, 6:]])
    return int((centre > around + 40).sum())


def test_a_dark_night_has_stars_and_a_day_none(offscreen_gl):
    night, _ = render(offscreen_gl, tower(), LookSpec("full", parse_time("2026-12-21T23:00+01:00"), HAGUE), UP_ENE)
    day, _ = render(offscreen_gl, tower(), LookSpec("full", parse_time("2026-12-21T12:00+01:00"), HAGUE), UP_ENE)
    dusk, _ = render(offscreen_gl, tower(), LookSpec("full", parse_time("2026-12-21T16:45+01:00"), HAGUE), UP_ENE)
    assert star_pixels(night) >= 5, star_pixels(night)
    assert star_pixels(day) == 0
    assert star_pixels(dusk) == 0  # the sun 1-2 degrees under the horizon: no stars yet
    assert night[: night.shape[0] // 2].mean() < 40  # a dark sky: the stars are points, not a glow


def test_stars_show_from_4_degrees_under_the_horizon_and_fully_from_12():
    from viewer.render.sky import sky_shader, star_strength

    assert star_strength(10.0) == star_strength(-4.0) == 0.0
    assert 0.0 < star_strength(-8.0) < 1.0 and star_strength(-12.0) == star_strength(-40.0) == 1.0
    assert sky_shader(True) is not sky_shader(False)


def test_the_same_stars_in_two_renders(offscreen_gl):
    look = LookSpec("full", parse_time("2026-12-21T23:00+01:00"), HAGUE)
    first, _ = render(offscreen_gl, tower(), look, UP_ENE)
    second, _ = render(offscreen_gl, tower(), look, UP_ENE)
    assert np.array_equal(first, second)
