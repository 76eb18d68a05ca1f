"""Congestion on the street, not as the street (issue 20): the roads layer draws a band along the middle of
each road in the congestion colour, the road keeping its own colour around it, from above and at street
level; the band's geometry (render/road_bands.py band_mesh) headless."""

from __future__ import annotations

import numpy as np
import pytest
from test_live_render import SIZE, Scripted, to_pixel, town

from viewer.app.live_headless import live_view
from viewer.config import CameraBookmark
from viewer.render.road_bands import BAND_FRACTION, BAND_LIFT, band_mesh


def test_a_street_becomes_a_band_along_its_middle_and_a_junction_a_patch():
    """A 200 x 8 m street squeezes across only (8 m -> 3.2 m, centred, full length); a 10 x 10 m junction
    shrinks to a 5 m patch in its middle; both are lifted BAND_LIFT; other objects give nothing."""
    street = np.array([[-100, 0, 0], [100, 0, 0], [100, 8, 0], [-100, 8, 0]], float)
    junction = np.array([[200, 0, 0], [210, 0, 0], [210, 10, 0], [200, 10, 0]], float)
    roof = street + [0, 50, 10]
    vertices = np.concatenate([street, junction, roof])
    quad = np.array([[0, 1, 2], [0, 2, 3]])
    triangles = np.concatenate([quad, quad + 4, quad + 8])
    owner = np.repeat([0, 1, 2], 4).astype(np.int32)
    out, tris, objects = band_mesh(vertices, triangles, owner, np.array([0, 1]))
    assert tris.shape == (4, 3) and sorted(set(objects.tolist())) == [0, 1]
    band = out[objects == 0]
    assert np.ptp(band[:, 0]) == pytest.approx(200.0) and np.ptp(band[:, 1]) == pytest.approx(8 * BAND_FRACTION)
    assert band[:, 1].mean() == pytest.approx(4.0) and band[:, 2] == pytest.approx(BAND_LIFT)
    patch = out[objects == 1]
    assert np.ptp(patch[:, 0]) == pytest.approx(5.0) and np.ptp(patch[:, 1]) == pytest.approx(5.0)
    assert patch[:, :2].mean(axis=0) == pytest.approx([205.0, 5.0])


@pytest.mark.render
@pytest.mark.parametrize("camera", ["top", "street"])
def test_congestion_is_a_band_on_the_road_with_the_road_colour_around_it(offscreen_gl, camera):
    """From above and from eye height on the road: the road's middle shows the congestion colour, its edges
    the road's own colour (unchanged when the roads layer is hidden)."""
    scene = town()
    street = CameraBookmark((-30.0, 4.0, 1.7), (40.0, 4.0, 0.0), 60.0)
    scene.config.cameras["street"] = street
    with live_view(scene, Scripted(), SIZE, camera=camera) as lv:
        image = lv.render(0.0).astype(int)
        lv.live.toggle("roads")
        plain = lv.render().astype(int)
        x = 0.0  # 30 m ahead of the street camera
        middle, edge = to_pixel(lv, (x, 4.0, 0.05)), to_pixel(lv, (x, 0.6 if camera == "top" else 7.4, 0.05))
        at = lambda img, p: img[int(p[1]), int(p[0])]  # noqa: E731
        assert np.abs(at(image, middle) - at(plain, middle)).max() > 40, "no congestion colour in the middle"
        assert np.abs(at(image, edge) - at(plain, edge)).max() < 8, "the road's own colour is gone at its edge"


@pytest.mark.render
def test_the_band_keeps_its_legend_colour_at_night(offscreen_gl):
    """At night the band is lit at least LAYER_NIGHT_LIGHT like the city's layer colours (render/road_bands.py
    rule 3): its congestion colour still reads, not a near-black road."""
    import dataclasses

    from viewer.geo.sun import parse_time

    brightest = {}
    for name, when in (("day", "2026-06-21T13:00+02:00"), ("night", "2026-06-21T23:30+02:00")):
        scene = town()
        scene = dataclasses.replace(scene, config=dataclasses.replace(scene.config, time=parse_time(when)))
        with live_view(scene, Scripted(), SIZE, camera="top") as lv:
            image = lv.render(0.0).astype(int)
            middle = to_pixel(lv, (0.0, 4.0, 0.05))
            brightest[name] = image[int(middle[1]), int(middle[0])].max()
    assert brightest["night"] >= 0.7 * brightest["day"], brightest
