"""render/colour_lut.py rule 5: while a layer's colour wholly replaces every facade object's own, the city is
drawn with the LUT shader compiled without facades, which draws the same pixels, by day and at night; any
facade object given back its own colour brings the facade code back."""

from __future__ import annotations

import numpy as np
import pytest
from test_look import AFTERNOON, HAGUE
from test_look_facades import SOUTH
from test_render import box_model

from viewer.config import Style
from viewer.geo.sun import parse_time
from viewer.render.camera import pose_from_bookmark
from viewer.render.look import LookSpec

SIZE = (480, 360)
NIGHT = "2026-06-21T23:30+02:00"


def towers():
    """Two buildings with facades and one object without (a 'Bridge', no storeys)."""
    return box_model([[0, 0, 0], [40, 0, 0], [80, 0, 0]], [[20, 20, 30], [20, 20, 18], [20, 20, 6]],
                     types=["Building", "Building", "Bridge"])


def facade_kind(root) -> bool:
    from viewer.render import colour_lut

    return colour_lut._KINDS[root.get_shader()][2]


@pytest.mark.parametrize("when", [AFTERNOON, NIGHT], ids=["day", "night"])
def test_the_variant_without_facades_draws_the_same_pixels_when_layers_colour_every_facade(offscreen_gl, when):
    from viewer.app.headless import render_stage_image
    from viewer.render import colour_lut
    from viewer.render.colour_lut import ColourLut, lut_shader
    from viewer.render.stage import build_stage

    model = towers()
    stage = build_stage(offscreen_gl.render, model, Style(), look=LookSpec("full", parse_time(when), HAGUE),
                        base=offscreen_gl)
    try:
        lut = ColourLut(len(model.objects))
        lut.attach(stage.city.root)
        root = stage.city.root
        assert facade_kind(root)  # nothing coloured yet: facades drawn
        lut.write(np.array([0, 1]), np.array([[200, 40, 40, 255], [40, 40, 200, 255]], np.uint8))
        assert not facade_kind(root)  # both buildings coloured; the bridge has no facade to lose
        pose = pose_from_bookmark(SOUTH, stage.bmin, stage.bmax)
        without = render_stage_image(offscreen_gl, stage, SIZE, pose, Style(), multisamples=0)
        flavour, night, _ = colour_lut._KINDS[root.get_shader()]
        root.set_shader(lut_shader(flavour, night, True))  # the facade code, forced, on the same colours
        with_code = render_stage_image(offscreen_gl, stage, SIZE, pose, Style(), multisamples=0)
        assert np.abs(without.astype(int) - with_code.astype(int)).max() <= 1
        assert night == (when == NIGHT)
        # At night a layer's colour is still lit for its legend (rule 3) in the variant without facades.
        if when == NIGHT:
            assert without.max() > 150
        lut.write(np.array([1]), np.array([[0, 0, 0, 128]], np.uint8))  # half its own colour: facades show
        assert facade_kind(root)
        lut.write(np.array([1]), np.array([[40, 40, 200, 255]], np.uint8))
        assert not facade_kind(root)
        lut.detach(stage.city.root, stage.lighting)
        assert lut.roots == []
    finally:
        stage.remove()


def test_a_plain_look_keeps_its_one_lut_shader(offscreen_gl):
    from viewer.render import colour_lut
    from viewer.render.colour_lut import ColourLut
    from viewer.render.stage import build_stage

    model = towers()
    stage = build_stage(offscreen_gl.render, model, Style(), look=LookSpec("plain"), base=offscreen_gl)
    try:
        lut = ColourLut(len(model.objects))
        lut.attach(stage.city.root)
        before = stage.city.root.get_shader()
        lut.write(np.array([0, 1]), np.array([[200, 40, 40, 255]] * 2, np.uint8))
        assert stage.city.root.get_shader() == before and colour_lut._KINDS[before][0] == "plain"
    finally:
        stage.remove()
