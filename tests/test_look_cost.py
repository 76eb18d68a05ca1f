"""The full look's cheaper frame (docs/look.md, "Cost") drawn as before: the ground's shader variant without
atlas or facades (render/lighting.py rule 10) gives the same ground pixels as the city shader did, and a
camera walking at street level redraws the fine shadow cascade but keeps the coarse ones while they still
hold their part of the view (render/shadows.py rule 5)."""

from __future__ import annotations

import numpy as np
from test_look import AFTERNOON, HAGUE
from test_look_cascades import FAR_SLAB, FAR_TOWER, NEAR_TOWER, STREET
from test_render import box_model

from viewer.config import CameraBookmark, Style
from viewer.geo.sun import parse_time
from viewer.render.camera import apply_pose, pose_from_bookmark
from viewer.render.look import LookSpec

SIZE = (480, 360)


def test_the_ground_variant_draws_the_ground_as_the_city_shader_did(offscreen_gl):
    from viewer.app.headless import render_stage_image
    from viewer.render.lighting import city_shader
    from viewer.render.stage import build_stage

    towers = box_model([[0, 0, 0], [40, 10, 0]], [[20, 20, 30], [10, 10, 60]])
    for name, soft in (("full", False), ("full", True), ("plain", True)):
        flavour = "plain" if name == "plain" else ("soft" if soft else "full")
        stage = build_stage(offscreen_gl.render, towers, Style(), base=offscreen_gl,
                            look=LookSpec(name, parse_time(AFTERNOON), HAGUE, soft_shadows=soft))
        try:
            assert stage.ground.get_shader() == city_shader(flavour, ground=True)
            pose = pose_from_bookmark(CameraBookmark((-80, -90, 70), (30, 20, 0)), stage.bmin, stage.bmax)
            ground_variant = render_stage_image(offscreen_gl, stage, SIZE, pose, Style(), multisamples=0)
            stage.ground.set_shader(city_shader(flavour))  # the city's own shader, as before rule 10
            city_variant = render_stage_image(offscreen_gl, stage, SIZE, pose, Style(), multisamples=0)
        finally:
            stage.remove()
        diff = np.abs(ground_variant.astype(int) - city_variant.astype(int))
        assert diff.max() <= 2, (name, soft, diff.max())
        assert ground_variant.std() > 10  # a picture, not an empty frame


def test_a_walk_redraws_the_fine_cascade_and_keeps_the_coarse_ones(offscreen_gl):
    from panda3d.core import NodePath, PerspectiveLens

    from viewer.render.stage import build_stage

    # The street's towers in a city 8 km across, so that no cascade is clipped to the city's box.
    boxes = [NEAR_TOWER, FAR_TOWER, FAR_SLAB, ([-4000, -3000, 0], [20, 20, 30]), ([4000, 5000, 0], [20, 20, 30])]
    mins, sizes = zip(*boxes, strict=True)
    stage = build_stage(offscreen_gl.render, box_model(list(mins), list(sizes)), Style(), base=offscreen_gl,
                        look=LookSpec("full", parse_time(AFTERNOON), HAGUE))
    camera, lens = NodePath("probe"), PerspectiveLens()
    camera.reparent_to(offscreen_gl.render)
    try:
        shadows = stage.look.shadows
        apply_pose(camera, lens, pose_from_bookmark(STREET, stage.bmin, stage.bmax), SIZE[0] / SIZE[1])
        stage.follow_view(camera, lens)
        offscreen_gl.graphicsEngine.render_frame()
        assert shadows.in_use >= 2
        redrawn = np.zeros(shadows.tiles, int)

        def step(metres: float) -> None:
            camera.set_x(camera.get_x() + metres)
            stage.follow_view(camera, lens)
            if shadows.buffer.is_active():
                redrawn[:] += [c.region.is_active() for c in shadows.cascades]
            offscreen_gl.graphicsEngine.render_frame()

        for _ in range(10):  # 30 m along the street, 3 m a frame
            step(3.0)
        assert redrawn[0] >= 5, redrawn  # the finest follows the walk
        assert redrawn[1:].max() <= 1, redrawn  # the coarse ones: at most once in 30 m
        for _ in range(40):  # 600 m more: the coarse cascades follow too, once their part leaves them
            step(15.0)
        assert redrawn[1] >= 2, redrawn
    finally:
        camera.remove_node()
        stage.remove()
