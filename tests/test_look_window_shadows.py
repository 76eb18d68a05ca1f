"""The window's shadows (render/shadows.py rule 6): one nearest texel compared in the shader, through a
sampler of its own, from tiles of WINDOW_MAP_SIZE, while stills and videos keep the texture's compare sampler (4 bilinear taps); both
put the same shadow where the sun says, and the window's shows no acne on a lit roof."""

from __future__ import annotations

import numpy as np
from test_look import AFTERNOON, HAGUE, patch, tower
from test_render import box_model, project

from viewer.config import CameraBookmark, Style
from viewer.geo.sun import parse_time, sun_position
from viewer.render.camera import pose_from_bookmark
from viewer.render.look import LookSpec

SIZE = (480, 360)
ABOVE = CameraBookmark((10, -20, 250), (10, 12, 0))


def render(offscreen_gl, model, soft: bool, bookmark: CameraBookmark):
    from panda3d.core import SamplerState

    from viewer.app.headless import render_stage_image
    from viewer.render.stage import build_stage

    look = LookSpec("full", parse_time(AFTERNOON), HAGUE, soft_shadows=soft)
    stage = build_stage(offscreen_gl.render, model, Style(), look=look, base=offscreen_gl)
    try:
        pose = pose_from_bookmark(bookmark, stage.bmin, stage.bmax)
        image = render_stage_image(offscreen_gl, stage, SIZE, pose, Style(), multisamples=0)
        sampler = stage.root.get_shader_input("shadow_map").get_sampler()
        compares = sampler.get_minfilter() == SamplerState.FT_shadow
        return image, pose, (compares, stage.look.shadows.size)
    finally:
        stage.remove()


def test_the_window_reads_one_texel_of_smaller_tiles_and_stills_compare_four_bilinear_taps(offscreen_gl):
    from viewer.render.shadows import MAP_SIZE, WINDOW_MAP_SIZE

    _, _, (compares, size) = render(offscreen_gl, tower(), False, ABOVE)
    assert not compares and size == WINDOW_MAP_SIZE < MAP_SIZE  # the window: nearest, compared in the shader
    _, _, (compares, size) = render(offscreen_gl, tower(), True, ABOVE)
    assert compares and size == MAP_SIZE  # stills and videos: the texture's own compare sampler


def test_the_window_puts_the_shadow_where_stills_do(offscreen_gl):
    window, pose, _ = render(offscreen_gl, tower(), False, ABOVE)
    still, _, _ = render(offscreen_gl, tower(), True, ABOVE)
    sun = sun_position(*HAGUE, parse_time(AFTERNOON))
    away = -sun.to_sun()[:2] / np.linalg.norm(sun.to_sun()[:2])
    length = 30.0 / np.tan(np.radians(sun.elevation))
    shaded = np.array([10.0, 10.0]) + away * (0.5 * 20 + 0.6 * length)
    lit = np.array([10.0, 10.0]) - away * (0.5 * 20 + 0.6 * length)
    for image in (window, still):
        dark = patch(image, project(pose, SIZE, (*shaded, 0.0))).mean()
        bright = patch(image, project(pose, SIZE, (*lit, 0.0))).mean()
        assert dark < bright - 25, (dark, bright)
    differs = np.abs(window.astype(int) - still.astype(int)).max(axis=2) > 24
    assert differs.mean() < 0.01, differs.mean()  # only along the shadow's edge


def test_the_window_shows_no_acne_on_a_lit_roof(offscreen_gl):
    model = box_model([[0, 0, 0]], [[80, 80, 12]])
    image, pose, _ = render(offscreen_gl, model, False, CameraBookmark((40, -40, 120), (40, 40, 12)))
    roof = patch(image, project(pose, SIZE, (40.0, 40.0, 12.0)), r=12)
    assert roof.std(axis=0).max() < 1.5, roof.std(axis=0)
