"""Roads stay on top of the base map (real offscreen OpenGL): at eye height in the demo city, whose roads lie
on its flat terrain, every pixel that shows a road without imagery shows it with imagery too (the drape used
to lie 2 cm above flat ground, which hid the road for the first tens of metres in front of the camera)."""

from __future__ import annotations

import numpy as np
import pytest
from basemap_helpers import TileServer

from viewer.config import BasemapConfig

pytestmark = pytest.mark.render
SIZE = (480, 270)


@pytest.fixture(scope="module")
def demo():
    from viewer.city.demo import demo_scene
    from viewer.city.scene import load_scene_models

    return load_scene_models(demo_scene(seed=42, buildings=300), use_cache=False)


def street_frame(base, scene, source: str) -> np.ndarray:
    from viewer.app.headless import OffscreenView, find_bookmark, model_pose, release_basemap, settle_basemap
    from viewer.render.stage import background_rgba, build_stage

    stage = build_stage(base.render, scene.model, scene.config.style, basemap=BasemapConfig(source=source),
                        frame=scene.frame)
    view = OffscreenView(base, SIZE, background_rgba(scene.config.style), 0)
    try:
        view.set_pose(model_pose(stage, SIZE, find_bookmark(scene.config, "street")))
        settle_basemap(stage, view)
        return view.capture()
    finally:
        release_basemap(stage, view)
        view.close()
        stage.remove()


def test_roads_on_flat_ground_stay_on_top_of_imagery_at_eye_height(offscreen_gl, demo):
    server = TileServer()
    try:
        plain = street_frame(offscreen_gl, demo, "none")
        draped = street_frame(offscreen_gl, demo, f"{server.url}/xyz/{{z}}/{{x}}/{{y}}.png")
    finally:
        server.close()
    lower = plain[SIZE[1] // 2:].astype(int)
    road = lower[-3, SIZE[0] // 2]  # the camera stands on the road: the bottom centre shows it
    is_road = np.abs(lower - road).max(axis=2) <= 6
    assert is_road.sum() > 0.05 * is_road.size, "the street view should look down a road"
    same = np.abs(draped[SIZE[1] // 2:].astype(int) - lower).max(axis=2) <= 6
    assert same[is_road].mean() > 0.99, "imagery covers the road"
