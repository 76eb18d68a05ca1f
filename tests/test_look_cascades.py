"""Cascaded sun shadows (render/shadows.py rules 2 and 5, render/look.py rule 5) in real offscreen frames: a
building 1.5 km away from a street-level camera shades the wall behind it, near shadows stay as sharp as
before, no acne far away, and a still camera draws no shadow pass while a moving one redraws only the
cascades whose frusta changed."""

from __future__ import annotations

import numpy as np
from test_look import AFTERNOON, HAGUE, patch
from test_render import box_model, project

from viewer.config import CameraBookmark, Style
from viewer.geo.sun import parse_time
from viewer.render.camera import apply_pose, pose_from_bookmark
from viewer.render.look import SHADOW_REACH, LookSpec

SIZE = (480, 360)
# The sun at 15:00 in June stands south-west (azimuth 214, elevation 58): a tower's shadow falls north-east.
NEAR_TOWER = ([250, 60, 0], [20, 20, 30])   # 60 m ahead of the camera
FAR_TOWER = ([-20, 1500, 0], [40, 40, 60])  # 1.5 km ahead
FAR_SLAB = ([-150, 1560, 0], [300, 10, 80])  # 20 m north of the far tower: its south wall takes the shadow
STREET = CameraBookmark((300, 0, 2), (40, 1560, 15), 20.0)  # eye at 2 m, a narrow lens toward the far tower


def street_city():
    mins, sizes = zip(NEAR_TOWER, FAR_TOWER, FAR_SLAB, strict=True)
    return box_model(list(mins), list(sizes))


def render(base, model, bookmark, look=None):
    from viewer.app.headless import render_stage_image
    from viewer.render.stage import build_stage

    look = look or LookSpec("full", parse_time(AFTERNOON), HAGUE)
    stage = build_stage(base.render, model, Style(), look=look, base=base)
    try:
        pose = pose_from_bookmark(bookmark, stage.bmin, stage.bmax)
        image = render_stage_image(base, stage, SIZE, pose, Style(), multisamples=0)
        cascades = [(c.half, c.centre.copy()) for c in stage.look.shadows.cascades[:stage.look.shadows.in_use]]
        return image, pose, cascades
    finally:
        stage.remove()


def test_a_tower_1_5_km_away_at_street_level_shades_the_wall_behind_it(offscreen_gl):
    image, pose, cascades = render(offscreen_gl, street_city(), STREET)
    # Traced toward the sun, (25, 1560, 10) on the slab's south wall meets the far tower; (60, 1560, 10) and
    # (25, 1560, 40) (above the tower's shadow) do not. All three face the sun alike.
    shaded = patch(image, project(pose, SIZE, (25.0, 1560.0, 10.0))).mean()
    beside = patch(image, project(pose, SIZE, (60.0, 1560.0, 10.0))).mean()
    above = patch(image, project(pose, SIZE, (25.0, 1560.0, 40.0))).mean()
    assert shaded < beside - 15 and shaded < above - 15, (shaded, beside, above)
    assert len(cascades) >= 2  # the finest cascade alone stops at SHADOW_REACH


def test_near_shadows_keep_the_finest_cascade_at_street_level(offscreen_gl):
    near = CameraBookmark((300, 0, 10), (270, 90, 0), 50.0)  # from a first floor across the street
    image, pose, cascades = render(offscreen_gl, street_city(), near)
    # The near tower's shadow on the ground north-east of it, against the ground south-west of it.
    shaded = patch(image, project(pose, SIZE, (280.0, 90.0, 0.0))).mean()
    lit = patch(image, project(pose, SIZE, (240.0, 50.0, 0.0))).mean()
    assert shaded < lit - 25, (shaded, lit)
    finest_texel = 2.0 * cascades[0][0] / 2048
    assert finest_texel < 2.0 * 1.05 * 1.02 * SHADOW_REACH / 2048 + 0.01  # as fine as the single map was


def test_the_far_lit_wall_has_no_acne(offscreen_gl):
    image, pose, _ = render(offscreen_gl, street_city(), STREET)
    wall = patch(image, project(pose, SIZE, (100.0, 1560.0, 50.0)), r=4)
    assert wall.std(axis=0).max() < 2.0, wall.std(axis=0)


def test_a_still_view_draws_no_shadow_pass_and_a_step_redraws_only_changed_cascades(offscreen_gl):
    from panda3d.core import NodePath, PerspectiveLens

    from viewer.render.stage import build_stage

    stage = build_stage(offscreen_gl.render, street_city(), Style(), base=offscreen_gl,
                        look=LookSpec("full", parse_time(AFTERNOON), HAGUE))
    try:
        shadows = stage.look.shadows
        camera, lens = NodePath("probe"), PerspectiveLens()
        camera.reparent_to(offscreen_gl.render)
        pose = pose_from_bookmark(STREET, stage.bmin, stage.bmax)
        apply_pose(camera, lens, pose, SIZE[0] / SIZE[1])
        stage.follow_view(camera, lens)
        offscreen_gl.graphicsEngine.render_frame()
        offscreen_gl.graphicsEngine.render_frame()
        assert not shadows.buffer.is_active()  # drawn once, then off
        stage.follow_view(camera, lens)
        assert not shadows.buffer.is_active()  # the same view: nothing to draw
        camera.set_x(camera.get_x() + 3.0)
        stage.follow_view(camera, lens)
        assert shadows.buffer.is_active()
        active = [c.region.is_active() for c in shadows.cascades[:shadows.in_use]]
        assert active[0] and not all(active), active  # the far cascade's texels are bigger than the step
        camera.remove_node()
    finally:
        stage.remove()


def test_an_overview_of_a_small_model_needs_one_cascade(offscreen_gl):
    _, _, cascades = render(offscreen_gl, box_model([[0, 0, 0]], [[20, 20, 30]]),
                            CameraBookmark((10, -20, 250), (10, 12, 0)))
    assert len(cascades) == 1


def test_splits_grow_from_the_near_reach_to_the_far_plane():
    from viewer.render.look import shadow_splits

    splits = shadow_splits(2.0, 3)
    assert splits[0] == SHADOW_REACH and splits[1] > 3 * SHADOW_REACH and np.isinf(splits[-1])
    assert shadow_splits(500.0, 3)[0] == 3000.0  # high above: six times the height



def test_a_city_wide_view_keeps_every_cascade_invertible(offscreen_gl):
    """Two towers 40 km apart (Berlin's network is 19 km wide), seen whole: the coarsest cascade stops at
    MAX_CASCADE_HALF, so every cascade's projection inverts in single precision (it did not: "Tried to
    invert singular LMatrix4", and a broken cull volume for the shadow camera)."""
    from panda3d.core import LMatrix4f, NodePath, PerspectiveLens

    from viewer.render.shadows import MAX_CASCADE_HALF
    from viewer.render.stage import build_stage

    model = box_model([[0, 0, 0], [40000, 0, 0]], [[30, 30, 80], [30, 30, 80]])
    stage = build_stage(offscreen_gl.render, model, Style(), base=offscreen_gl,
                        look=LookSpec("full", parse_time(AFTERNOON), HAGUE))
    camera, lens = NodePath("probe"), PerspectiveLens()
    try:
        camera.reparent_to(offscreen_gl.render)
        pose = pose_from_bookmark(CameraBookmark((20000, -19000, 12000), (20000, 0, 0), 60.0), stage.bmin, stage.bmax)
        apply_pose(camera, lens, pose, SIZE[0] / SIZE[1])
        stage.follow_view(camera, lens)
        shadows = stage.look.shadows
        in_use = shadows.cascades[:shadows.in_use]
        assert in_use and all(c.half <= MAX_CASCADE_HALF for c in in_use)
        for cascade in in_use:
            assert LMatrix4f().invert_from(cascade.lens.get_projection_mat()), cascade.half
    finally:
        camera.remove_node()
        stage.remove()
