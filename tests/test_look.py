"""The full look (render/look.py, shadows.py, sky.py) in real offscreen frames: shadows where the sun says,
no acne on a lit roof, a sky with a gradient, haze that spares nothing of the plain look when off."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from test_render import box_model, project

from viewer.config import CameraBookmark, Style
from viewer.geo.sun import parse_time, sun_position
from viewer.render.camera import pose_from_bookmark
from viewer.render.look import LookSpec, look_spec

HAGUE = (4.3, 52.08)
AFTERNOON = "2026-06-21T15:00+02:00"  # sun at azimuth 213.9, elevation 57.9 (tests/test_sun.py)
SIZE = (480, 360)


def render(offscreen_gl, model, look: LookSpec, bookmark: CameraBookmark) -> tuple[np.ndarray, object]:
    from viewer.app.headless import render_stage_image
    from viewer.render.stage import build_stage

    stage = build_stage(offscreen_gl.render, model, Style(), look=look, base=offscreen_gl)
    try:
        pose = pose_from_bookmark(bookmark, stage.bmin, stage.bmax)
        return render_stage_image(offscreen_gl, stage, SIZE, pose, Style(), multisamples=0), pose
    finally:
        stage.remove()


def tower():
    return box_model([[0, 0, 0]], [[20, 20, 30]])


def patch(image: np.ndarray, pixel: tuple[int, int], r: int = 2) -> np.ndarray:
    c, row = pixel
    return image[row - r:row + r + 1, c - r:c + r + 1].reshape(-1, 3).astype(np.float64)


def test_the_ground_behind_a_building_from_the_sun_is_in_its_shadow(offscreen_gl):
    look = LookSpec("full", parse_time(AFTERNOON), HAGUE)
    image, pose = render(offscreen_gl, tower(), look, CameraBookmark((10, -20, 250), (10, 12, 0)))
    sun = sun_position(*HAGUE, parse_time(AFTERNOON))
    away = -sun.to_sun()[:2] / np.linalg.norm(sun.to_sun()[:2])  # toward the north-east
    length = 30.0 / np.tan(np.radians(sun.elevation))  # 18.8 m
    shaded = np.array([10.0, 10.0]) + away * (0.5 * 20 + 0.6 * length)  # beyond the wall, within the shadow
    lit = np.array([10.0, 10.0]) - away * (0.5 * 20 + 0.6 * length)  # the same distance on the sun's side
    dark = patch(image, project(pose, SIZE, (*shaded, 0.0))).mean()
    bright = patch(image, project(pose, SIZE, (*lit, 0.0))).mean()
    assert dark < bright - 25, (dark, bright)
    plain, _ = render(offscreen_gl, tower(), LookSpec("plain", parse_time(AFTERNOON), HAGUE),
                      CameraBookmark((10, -20, 250), (10, 12, 0)))
    assert abs(patch(plain, project(pose, SIZE, (*shaded, 0.0))).mean() - bright) < 25  # plain: no shadow


def test_a_lit_flat_roof_has_no_acne(offscreen_gl):
    look = LookSpec("full", parse_time(AFTERNOON), HAGUE)
    model = box_model([[0, 0, 0]], [[80, 80, 12]])
    image, pose = render(offscreen_gl, model, look, CameraBookmark((40, -40, 120), (40, 40, 12)))
    roof = patch(image, project(pose, SIZE, (40.0, 40.0, 12.0)), r=12)
    assert roof.std(axis=0).max() < 1.5, roof.std(axis=0)


def test_a_low_sun_lights_a_sky_with_a_gradient_and_no_ground_edge(offscreen_gl):
    look = LookSpec("full", parse_time("2026-06-21T19:30+02:00"), HAGUE)
    image, _ = render(offscreen_gl, tower(), look, CameraBookmark((-150, -150, 80), (100, 100, 60)))
    top, above_horizon = image[2, SIZE[0] // 2].astype(int), image[SIZE[1] // 2 - 20, SIZE[0] // 2].astype(int)
    assert top[2] > top[0] + 40  # blue overhead
    assert above_horizon.sum() > top.sum() + 60  # paler toward the horizon
    rows = image[:, 5].astype(int)  # the far left column, sky to ground across the horizon
    assert np.abs(np.diff(rows, axis=0)).max() < 12  # ground melts into the sky: no slab edge


def test_plain_look_draws_no_sky(offscreen_gl):
    look = LookSpec("plain", parse_time(AFTERNOON), HAGUE)
    image, _ = render(offscreen_gl, tower(), look, CameraBookmark((-150, -150, 15), (100, 100, 25)))
    background = np.round(np.array(Style().background) * 255)
    assert np.abs(image[2, SIZE[0] // 2] - background).max() <= 1


def test_night_has_no_sun_and_no_shadow_pass(offscreen_gl):
    from viewer.render.stage import build_stage

    stage = build_stage(offscreen_gl.render, tower(), Style(), base=offscreen_gl,
                        look=LookSpec("full", parse_time("2026-12-21T23:00+01:00"), HAGUE))
    try:
        assert stage.look is not None and not stage.look.shadows.active
        assert max(stage.lighting.sun_color) == 0.0 and max(stage.lighting.ambient) < 0.15
    finally:
        stage.remove()


def test_look_spec_names_and_places():
    assert look_spec(None, None, None).full
    assert look_spec("plain", None, None).sun() is None
    with pytest.raises(ValueError, match="unknown look"):
        look_spec("pretty", None, None)


def test_render_with_a_time_without_offset_is_one_line(tmp_path: Path):
    scene = Path(__file__).parent.parent / "scenes" / "demo.toml"
    out = subprocess.run([sys.executable, "-m", "viewer.cli", "render", str(scene), "--out",
                          str(tmp_path / "a.png"), "--time", "2026-06-21T15:00"], capture_output=True, text=True)
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert "--time" in out.stderr and "UTC offset" in out.stderr


def test_render_with_a_time_says_where_the_sun_stands_and_for_which_place(tmp_path: Path, shared_data: Path):
    """A time that is night at the model's place (Melbourne, 01:00 there) draws a dark picture: the progress
    lines say so; a model with no CRS takes Amsterdam's sun, and the line says that too."""
    melbourne = shared_data / "citygml_ogc_samples/Transportation/melbourne/citygml3_individual_section_2carriageways.gml"
    no_crs = shared_data / "cityjson_rotterdam/rotterdam_subset.json"
    lines = {}
    for name, path in (("melbourne", melbourne), ("no-crs", no_crs)):
        out = subprocess.run([sys.executable, "-m", "viewer.cli", "render", str(path), "--size", "320x180", "--out",
                              str(tmp_path / f"{name}.png"), "--time", "2026-06-21T17:00+02:00"],
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr[-2000:]
        lines[name] = [line for line in out.stderr.splitlines() if "sun at 2026-06-21T17:00+02:00" in line]
    assert len(lines["melbourne"]) == 1 and "37.81°S 144.97°E, under the horizon: night there" in lines["melbourne"][0]
    assert len(lines["no-crs"]) == 1 and "52.37°N 4.90°E (Amsterdam's" in lines["no-crs"][0]
    assert "night" not in lines["no-crs"][0]
