"""Base-map imagery darkens with the city at night (render/basemap_texture.py rule 4, render/lighting.py
daylight()): the imagery is drawn unlit, so the scene's daylight scales its brightness in stills and when the
window's sun keys move the sun (render/sun_light.py)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from basemap_helpers import SQUARE, covering_tiles, one_building_city, write_mbtiles
from test_basemap_render import above_square, magenta

from viewer.config import BasemapConfig
from viewer.render.lighting import NIGHT_DAYLIGHT, Lighting, daylight
from viewer.render.look import LookSpec

CEST = timezone(timedelta(hours=2))
NOON, MIDNIGHT = datetime(2026, 6, 21, 13, 30, tzinfo=CEST), datetime(2026, 6, 22, 1, 30, tzinfo=CEST)


def test_daylight_is_full_by_day_dim_at_night_and_fades_through_twilight() -> None:
    assert daylight(Lighting()) == 1.0  # the default light is a day's: timeless renders are unchanged
    assert daylight(Lighting.for_sun(180.0, 40.0)) == pytest.approx(1.0)
    assert daylight(Lighting.for_sun(0.0, -20.0)) == pytest.approx(NIGHT_DAYLIGHT)
    twilight = [daylight(Lighting.for_sun(270.0, e)) for e in (-6.0, -3.0, 0.0, 3.0, 6.0)]
    assert twilight == sorted(twilight) and NIGHT_DAYLIGHT <= twilight[0] < twilight[-1] <= 1.0


@pytest.mark.render
def test_imagery_in_a_night_still_is_dimmed_as_the_city_is(offscreen_gl, tmp_path) -> None:
    from viewer.app.headless import render_model_image

    city = one_building_city(tmp_path)
    tiles = covering_tiles(*SQUARE[:2], 3000.0, range(10, 16)) + covering_tiles(*SQUARE[:2], 400.0, range(16, 19))
    config = BasemapConfig(source=str(write_mbtiles(tmp_path / "city.mbtiles", tiles)))
    bookmark = above_square(city)
    lonlat = tuple(float(v) for v in city.frame.local_to_lonlat(np.zeros((1, 3)))[0][:2])

    def render(when: datetime) -> np.ndarray:
        look = LookSpec("plain", when, lonlat)
        return render_model_image(city.model, city.config.style, (320, 240), bookmark, multisamples=0,
                                  basemap=config, frame=city.frame, look=look)

    day, night = render(NOON), render(MIDNIGHT)
    square = magenta(day)
    assert square.sum() > 50
    ratio = night[square].astype(float).mean() / day[square].astype(float).mean()
    assert ratio == pytest.approx(NIGHT_DAYLIGHT, abs=0.06), ratio


@pytest.mark.render
def test_moving_the_sun_relights_the_imagery(offscreen_gl, tmp_path) -> None:
    from viewer.render.stage import build_stage
    from viewer.render.sun_light import set_stage_sun

    city = one_building_city(tmp_path)
    stage = build_stage(offscreen_gl.render, city.model, city.config.style, basemap=BasemapConfig(source="map"),
                        frame=city.frame, basemap_always=True)
    try:
        assert stage.basemap.look()[1] == pytest.approx(BasemapConfig().brightness, rel=0.05)
        set_stage_sun(stage, Lighting.for_sun(0.0, -20.0), -20.0)
        assert stage.basemap.look()[1] == pytest.approx(BasemapConfig().brightness * NIGHT_DAYLIGHT)
        set_stage_sun(stage, Lighting.for_sun(180.0, 40.0), 40.0)
        assert stage.basemap.look()[1] == pytest.approx(BasemapConfig().brightness)
    finally:
        stage.remove()
