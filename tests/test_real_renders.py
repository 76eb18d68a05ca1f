"""Real cities rendered headless: Delft from its CityJSON and the procedural demo, checked on pixels."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.city.demo import demo_scene
from viewer.city.scene import load_scene_models
from viewer.config import CameraBookmark, SceneConfig, Style

RED = (1.0, 0.0, 0.0)
SIZE = (320, 240)


def top_down_on(scene, index: int) -> CameraBookmark:
    """A narrow camera straight above object `index`'s box centre, looking down at its top."""
    lo, hi = scene.model.objects.bbox_min[index], scene.model.objects.bbox_max[index]
    cx, cy = float(lo[0] + hi[0]) / 2, float(lo[1] + hi[1]) / 2
    return CameraBookmark(position=(cx, cy - 0.5, float(hi[2]) + 150.0), look_at=(cx, cy, float(hi[2])), fov=4.0)


def is_red(pixel: np.ndarray) -> bool:
    r, g, b = pixel.astype(int)
    return r > 90 and g < 40 and b < 40


def largest(scene, object_type: str) -> int:
    objects = scene.model.objects
    area = np.where([t == object_type for t in objects.types], np.nan_to_num(objects.footprint_area), -1.0)
    return int(np.argmax(area))


@pytest.mark.render
def test_delft_render_is_not_blank_and_shows_a_building_where_it_projects(shared_data, offscreen_gl):
    """Delft framed is mostly not sky; looking down on its largest building shows the building colour."""
    from viewer.app.headless import render_model_image

    scene = load_scene_models(SceneConfig.for_file(shared_data / "cityjson_delft/delft.json"))
    style = Style(types={"Building": RED})
    framed = render_model_image(scene.model, style, SIZE)
    sky = np.rint(np.array(style.background) * 255)
    assert np.mean(np.abs(framed.astype(int) - sky).max(axis=2) > 4) > 0.4
    assert np.mean([is_red(p) for p in framed.reshape(-1, 3)]) > 0.01
    index = largest(scene, "Building")
    image = render_model_image(scene.model, style, SIZE, bookmark=top_down_on(scene, index))
    assert is_red(image[SIZE[1] // 2, SIZE[0] // 2])


@pytest.mark.render
def test_demo_city_tallest_tower_is_drawn_where_it_stands(offscreen_gl):
    """In the demo city, a camera above the tallest tower sees the building colour at the image centre."""
    from viewer.app.headless import render_model_image

    scene = load_scene_models(demo_scene(seed=42, buildings=600))
    style = Style(types={"Building": RED})
    heights = np.where([t == "Building" for t in scene.model.objects.types], scene.model.objects.height, -1.0)
    index = int(np.argmax(heights))
    image = render_model_image(scene.model, style, SIZE, bookmark=top_down_on(scene, index))
    assert is_red(image[SIZE[1] // 2, SIZE[0] // 2])
    overview = render_model_image(scene.model, Style(), SIZE, bookmark=scene.config.cameras["overview"])
    assert len(np.unique(overview.reshape(-1, 3), axis=0)) > 50
