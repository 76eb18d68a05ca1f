"""Procedural facades of the full look (render/lighting.py rule 8, render/geometry.py rule 7) in real offscreen
frames: windows in rows on an untextured wall, none in the plain look, none where a live layer colours the
building (its legend colour stays true within 10 levels of 255), and the per-object inputs they read."""

from __future__ import annotations

import numpy as np
from test_render import box_model, project

from viewer.config import CameraBookmark, Style
from viewer.render.camera import pose_from_bookmark
from viewer.render.geometry import STOREY_METRES, object_look
from viewer.render.lighting import Lighting
from viewer.render.look import LookSpec

SIZE = (480, 360)
SOUTH = CameraBookmark((10.0, -60.0, 15.0), (10.0, 10.0, 15.0))  # facing the tower's south wall
LEGEND = (200, 40, 40)


def render(offscreen_gl, model, look: LookSpec, colour: tuple[int, int, int] | None = None):
    from viewer.app.headless import render_stage_image
    from viewer.render.colour_lut import ColourLut
    from viewer.render.stage import build_stage

    stage = build_stage(offscreen_gl.render, model, Style(), look=look, base=offscreen_gl)
    try:
        if colour is not None:
            lut = ColourLut(len(model.objects))
            lut.write(np.array([0]), np.array([[*colour, 255]], np.uint8))
            lut.attach(stage.city.root)
        pose = pose_from_bookmark(SOUTH, stage.bmin, stage.bmax)
        return render_stage_image(offscreen_gl, stage, SIZE, pose, Style(), multisamples=0), pose
    finally:
        stage.remove()


def tower():
    return box_model([[0, 0, 0]], [[20, 20, 30]])


def wall_row(image, pose, z: float) -> np.ndarray:
    """Pixels (k, 3) along the south wall (y = 0) at height z, across its middle 16 m."""
    points = [project(pose, SIZE, (x, 0.0, z)) for x in np.linspace(2.0, 18.0, 40)]
    return np.array([image[row, col] for col, row in points], np.float64)


def test_a_lit_wall_shows_windows_in_the_full_look_and_none_in_the_plain(offscreen_gl):
    full, pose = render(offscreen_gl, tower(), LookSpec("full"))
    plain, _ = render(offscreen_gl, tower(), LookSpec("plain"))
    window_row = STOREY_METRES * 4 + 0.55 * STOREY_METRES  # the middle of a storey's windows
    assert wall_row(plain, pose, window_row).std(axis=0).max() < 2  # a blank wall
    across = wall_row(full, pose, window_row)
    assert across.std(axis=0).max() > 20, across.std(axis=0)  # glass and wall alternate along it
    # Up the wall: windows and the piers between storeys alternate too.
    column = [project(pose, SIZE, (3.5 * 3.2, 0.0, z)) for z in np.linspace(3, 27, 60)]  # a window axis
    up = np.array([full[row, col] for col, row in column], np.float64)
    assert up.std(axis=0).max() > 15


def test_a_layer_coloured_wall_keeps_its_legend_colour_and_no_windows(offscreen_gl):
    image, pose = render(offscreen_gl, tower(), LookSpec("full"), colour=LEGEND)
    expected = np.clip(np.array(LEGEND) / 255 * Lighting().brightness(np.array([[0.0, -1.0, 0.0]]))[0], 0, 1) * 255
    for z in (0.5, 4.5, 13.5, 25.0):  # the foot (no occlusion on a layer's colour), windows' rows
        row = wall_row(image, pose, z)
        assert np.abs(row - expected).max() < 10, (z, row.mean(axis=0), expected)


def test_object_inputs_by_storeys_and_use():
    model = box_model([[0, 0, 0], [100, 0, 0], [200, 0, 0], [300, 0, 0]], [[10, 10, 12]] * 4,
                      types=["Building", "Building", "BuildingPart", "Bridge"], parents=[-1, -1, 1, -1])
    model.objects.attributes[0] = {"storeys": 3}  # 4 m storeys
    model.objects.attributes[1] = {"function": "Retail and offices"}
    rows = object_look(model)
    assert rows[0, 1] == 4.0 and rows[0, 0] == 0.0
    assert rows[1, 1] == -STOREY_METRES  # shops on the ground floor: negative
    assert rows[2, 1] == -STOREY_METRES  # a part of a shop building too
    assert rows[3, 1] == 0.0 and rows[3, 2] == 0.0  # not a building: no facade, no occlusion


def test_far_walls_show_the_windows_average_tone_not_a_shimmering_pattern(offscreen_gl):
    """A window under a few pixels fades to the facade's average (lighting.py rule 8): far away the wall is
    even, and darker than a blank wall by the glass it averages."""
    from viewer.app.headless import render_stage_image
    from viewer.render.stage import build_stage

    far = CameraBookmark((10.0, -1500.0, 15.0), (10.0, 10.0, 15.0), 20.0)
    rows = {}
    for name in ("full", "plain"):
        stage = build_stage(offscreen_gl.render, tower(), Style(), look=LookSpec(name), base=offscreen_gl)
        try:
            pose = pose_from_bookmark(far, stage.bmin, stage.bmax)
            image = render_stage_image(offscreen_gl, stage, SIZE, pose, Style(), multisamples=0)
        finally:
            stage.remove()
        rows[name] = np.array([[image[r, c] for c, r in [project(pose, SIZE, (x, 0.0, z))]][0]
                               for x in np.linspace(3.0, 17.0, 8) for z in np.linspace(6.0, 24.0, 8)], np.float64)
    assert rows["full"].std(axis=0).max() < 6, rows["full"].std(axis=0)  # no window pattern left
    assert rows["full"].mean() < rows["plain"].mean() - 5  # the glass's average tone
