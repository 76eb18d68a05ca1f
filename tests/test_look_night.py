"""Night in the full look: the moon where astronomy puts it (viewer/geo/moon.py against Meeus's worked example
and PyEphem), drawn in the night sky, and lit windows on the city's walls (render/lighting.py rule 8)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest
from test_look_facades import render, tower, wall_row
from test_render import box_model, project

from viewer.config import CameraBookmark, Style
from viewer.geo.moon import equatorial, moon_ecliptic, moon_position
from viewer.geo.sun import parse_time
from viewer.render.camera import pose_from_bookmark
from viewer.render.look import LookSpec

HAGUE = (4.3, 52.08)
NIGHT = "2026-06-21T23:30+02:00"  # sun 14 degrees under the horizon, a half moon 16 degrees up in the WSW

# PyEphem 4.2.1 (ephem.Moon, pressure 1010 hPa, 10 C: topocentric, refracted), computed once for this test.
EPHEM = [
    ((4.3, 52.08), datetime(2026, 6, 21, 21, 0, tzinfo=UTC), 235.5416, 20.3729),
    ((-74.0, 40.7), datetime(2026, 1, 3, 3, 0, tzinfo=UTC), 113.3695, 64.5522),
    ((151.2, -33.87), datetime(2026, 9, 10, 12, 30, tzinfo=UTC), 206.6184, -61.1476),
    ((4.3, 52.08), datetime(2024, 4, 23, 23, 49, tzinfo=UTC), 182.7452, 22.5382),
]


def test_the_moon_matches_meeus_worked_example_47a():
    """Meeus, Astronomical Algorithms, example 47.a: 1992 April 12, 0h TD."""
    ecl = moon_ecliptic(datetime(1992, 4, 12, tzinfo=UTC))
    assert abs(ecl.longitude - 133.162655) < 0.01 and abs(ecl.latitude - -3.229126) < 0.01
    assert abs(ecl.distance_km - 368409.7) < 50
    ra, dec = equatorial(ecl, -0.077221081451)
    assert abs(ra - 134.688470) < 0.02 and abs(dec - 13.768368) < 0.02  # Meeus adds nutation (0.005 deg)


@pytest.mark.parametrize(("lonlat", "when", "azimuth", "elevation"), EPHEM)
def test_the_moon_seen_from_a_place_is_within_a_tenth_of_a_degree_of_pyephem(lonlat, when, azimuth, elevation):
    moon = moon_position(*lonlat, when)
    assert abs(moon.elevation - elevation) < 0.1
    assert abs((moon.azimuth - azimuth + 180.0) % 360.0 - 180.0) * np.cos(np.radians(elevation)) < 0.1


def test_phases():
    assert moon_position(*HAGUE, datetime(2024, 4, 23, 23, 49, tzinfo=UTC)).lit > 0.999  # a full moon
    assert moon_position(*HAGUE, datetime(2024, 4, 8, 18, 21, tzinfo=UTC)).lit < 0.001  # the eclipse's new moon
    with pytest.raises(ValueError, match="UTC offset"):
        moon_position(*HAGUE, datetime(2026, 1, 1))


def test_a_share_of_windows_is_lit_warm_at_night_and_none_by_day(offscreen_gl):
    night, pose = render(offscreen_gl, tower(), LookSpec("full", parse_time(NIGHT), HAGUE))
    day, _ = render(offscreen_gl, tower(), LookSpec("full", parse_time("2026-06-21T15:00+02:00"), HAGUE))
    rows = [z + 0.55 * 3.0 for z in np.arange(0.0, 30.0, 3.0)]
    warm = lambda image: sum(int(((p[:, 0] > 150) & (p[:, 0] > p[:, 2] + 60)).sum())  # noqa: E731
                             for p in (wall_row(image, pose, z) for z in rows))
    total = 40 * len(rows)
    assert 0.05 * total < warm(night) < 0.45 * total, warm(night)
    assert warm(day) == 0
    again, _ = render(offscreen_gl, tower(), LookSpec("full", parse_time(NIGHT), HAGUE))
    assert np.array_equal(again, night)  # the same windows every time: a hash, not a random draw


def test_the_moon_shows_in_the_night_sky_where_it_stands(offscreen_gl):
    from viewer.app.headless import render_stage_image
    from viewer.render.stage import build_stage

    moon = moon_position(*HAGUE, parse_time(NIGHT))
    stage = build_stage(offscreen_gl.render, box_model([[0, 0, 0]], [[20, 20, 30]]), Style(), base=offscreen_gl,
                        look=LookSpec("full", parse_time(NIGHT), HAGUE))
    try:
        eye = np.array([-60.0, 60.0, 5.0])
        aside = eye + 100.0 * moon.to_moon() + np.array([0.0, 0.0, 12.0])  # the moon below the view's centre
        pose = pose_from_bookmark(CameraBookmark(tuple(eye), tuple(aside)), stage.bmin, stage.bmax)
        image = render_stage_image(offscreen_gl, stage, (480, 360), pose, Style(), multisamples=0)
    finally:
        stage.remove()
    col, row = project(pose, (480, 360), tuple(eye + 1000.0 * moon.to_moon()))
    around = image[max(row - 3, 0):row + 4, max(col - 3, 0):col + 4].reshape(-1, 3).astype(int)
    assert around.max(axis=0).min() > 150, around.max(axis=0)  # the lit half of the disc
    assert image[row - 40, col].max() < 60  # the dark sky beside it


def test_the_sun_keys_bring_the_night_shaders_and_back(offscreen_gl):
    """render/lighting.py rule 9: moving the sun's time (render/sun_light.py) swaps the city's shader and the
    layer colours' shader for their night twins (lit windows compiled in), and back at daybreak."""
    from viewer.app.headless import render_stage_image
    from viewer.render.colour_lut import ColourLut, lut_shader
    from viewer.render.lighting import Lighting, city_shader
    from viewer.render.stage import build_stage
    from viewer.render.sun_light import set_stage_sun

    day = parse_time("2026-06-21T15:00+02:00")
    stage = build_stage(offscreen_gl.render, tower(), Style(), base=offscreen_gl, look=LookSpec("full", day, HAGUE))
    try:
        assert stage.city.root.get_shader() == city_shader("soft", False)
        assert stage.ground.get_shader() == city_shader("soft", False, ground=True)  # lighting.py rule 10
        set_stage_sun(stage, Lighting.at(*HAGUE, parse_time(NIGHT)), -14.0)
        assert stage.city.root.get_shader() == city_shader("soft", True)
        assert stage.ground.get_shader() == city_shader("soft", True, ground=True) == city_shader("soft", ground=True)
        pose = pose_from_bookmark(CameraBookmark((10.0, -60.0, 15.0), (10.0, 10.0, 15.0)), stage.bmin, stage.bmax)
        image = render_stage_image(offscreen_gl, stage, (480, 360), pose, Style(), multisamples=0)
        warm = (image[..., 0] > 150) & (image[..., 0].astype(int) > image[..., 2].astype(int) + 60)
        assert warm.sum() > 200  # lit windows after the key, as when built at night
        lut = ColourLut(1)
        lut.attach(stage.city.root)
        assert stage.city.root.get_shader() == lut_shader("soft", True)
        set_stage_sun(stage, Lighting.at(*HAGUE, day), 57.9)
        assert stage.city.root.get_shader() == lut_shader("soft", False)
    finally:
        stage.remove()
