"""The window's shadows (render/shadows.py rule 6): one nearest texel compared in the shader, through a
sampler of its own, from tiles of WINDOW_MAP_SIZE, while stills and videos keep the texture's compare sampler (4 bilinear taps); both
put the same shadow where the sun says, and the window's shows no acne on a lit roof."""

from __future__ import annotations

import numpy as np
import pytest
from test_look import AFTERNOON, HAGUE, patch, tower
from test_render import box_model, project

from viewer.config import CameraBookmark, Style
from viewer.geo.sun import parse_time, sun_position
from viewer.render.camera import pose_from_bookmark
from viewer.render.look import LookSpec

SIZE = (480, 360)
ABOVE = CameraBookmark((10, -20, 250), (10, 12, 0))


def render(offscreen_gl, model, soft: bool, bookmark: CameraBookmark, when: str = AFTERNOON):
    from panda3d.core import SamplerState

    from viewer.app.headless import render_stage_image
    from viewer.render.stage import build_stage

    look = LookSpec("full", parse_time(when), HAGUE, soft_shadows=soft)
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


def road_and_tower():
    """A flat road 12 m wide and 400 m long (a caster like the rest of the city) and a tower off to its side."""
    from viewer.city.model import CityModel, ObjectTable, SurfaceKind

    box = box_model([[100, 300, 0]], [[20, 20, 30]])
    road = np.array([[-6, -200, 0], [6, -200, 0], [6, 200, 0], [-6, 200, 0]], np.float32)
    n = box.vertices.shape[0]
    objects = ObjectTable(["b0", "road"], ["Building", "Road"], np.array([-1, -1], np.int32), [{}, {}])
    return CityModel(np.vstack([box.vertices, road]),
                     np.vstack([box.triangles, np.array([[0, 1, 2], [0, 2, 3]], np.uint32) + n]),
                     np.r_[box.vertex_object, [1] * 4].astype(np.int32),
                     np.r_[box.vertex_kind, [SurfaceKind.ROAD] * 4].astype(np.uint8), objects)


@pytest.mark.parametrize("soft", [False, True], ids=["window", "stills"])
@pytest.mark.parametrize("when", [AFTERNOON, "2026-06-21T20:30+02:00"], ids=["afternoon", "low-sun"])
def test_a_lit_road_at_eye_height_shows_no_acne_bands(offscreen_gl, soft, when):
    """Seen from 2 m up along it, a road nothing shades is evenly lit: every row of its pixels is even across,
    and row to row the colour changes smoothly (haze, distance), never in the stripes acne draws."""
    image, pose, _ = render(offscreen_gl, road_and_tower(), soft, CameraBookmark((0, -220, 2), (0, 200, 0)), when)
    top = project(pose, SIZE, (0.0, 150.0, 0.0))[1]
    bottom = project(pose, SIZE, (0.0, -195.0, 0.0))[1]
    centre = project(pose, SIZE, (0.0, 0.0, 0.0))[0]
    rows = image[top + 2:min(bottom, SIZE[1]) - 1, centre - 6:centre + 7].astype(np.float64)
    assert rows.shape[0] > 20, (top, bottom)
    assert rows.std(axis=1).max() < 2.0, rows.std(axis=1).max(axis=1)
    means = rows.mean(axis=1)
    assert np.abs(np.diff(means, axis=0)).max() < 3.0, np.abs(np.diff(means, axis=0)).max(axis=1)
