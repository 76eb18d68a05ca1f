"""city/views.py: the default view frames where the objects are, and bare model files get bookmarks
(overview, all, street views) so `--camera overview` works on them."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from test_render import box_model, grid_of_boxes

from viewer.city.localize import derive_object_columns
from viewer.city.views import default_cameras, focus_bounds, focus_objects, focus_points


def _model(mins, sizes, types=None):
    model = box_model(mins, sizes, types)
    derive_object_columns(model)
    return model


def test_a_dense_town_is_framed_whole():
    """A grid of buildings 30 m apart: every building is in focus and the focus is the model's box."""
    model = grid_of_boxes(100)
    derive_object_columns(model)
    assert focus_objects(model).all()
    lo, hi = focus_bounds(model)
    mlo, mhi = model.bounds()
    assert np.allclose(lo, mlo) and np.allclose(hi, mhi)


def test_a_huge_plate_does_not_widen_the_focus():
    """A 30 km flat polygon under a small town (SUMO's 'natural.plateau') is ground, not a place to frame."""
    town = grid_of_boxes(25)
    mins = np.r_[town.vertices.reshape(-1, 20, 3).min(axis=1), [[-15_000, -15_000, 0]]]
    sizes = np.r_[np.ptp(town.vertices.reshape(-1, 20, 3), axis=1), [[30_000, 30_000, 0.1]]]
    model = _model(mins, sizes, ["Building"] * 25 + ["natural.plateau"])
    focus = focus_objects(model)
    assert focus[:25].all() and not focus[25]
    lo, hi = focus_bounds(model)
    assert hi[0] - lo[0] < 200 and hi[1] - lo[1] < 200
    cameras = default_cameras(model)
    assert "all" in cameras  # the plate is still reachable by a bookmark


def test_scattered_buildings_are_framed_at_their_densest_group():
    """49 buildings 20 m wide scattered over 9 km (Zurich's sample) are specks when framed whole: the focus
    is the one close group of three, and the others are left out."""
    rng = np.random.default_rng(3)
    far = rng.uniform(-4500, 4500, (46, 2))
    far = far[np.min(np.hypot(*(far[:, None, :] - far[None, :, :]).transpose(2, 0, 1))
                     + np.eye(46) * 1e9, axis=1) > 400][:40]
    group = np.array([[1000.0, 1000.0], [1040.0, 1010.0], [1010.0, 1050.0]])
    xy = np.r_[far, group]
    model = _model(np.c_[xy, np.zeros(len(xy))], np.tile([20.0, 20.0, 15.0], (len(xy), 1)))
    focus = focus_objects(model)
    assert focus[-3:].all() and focus.sum() == 3
    points = focus_points(model)
    assert points[:, 0].min() >= 1000 and points[:, 0].max() <= 1060


def test_street_views_stand_outside_every_building_and_look_at_one():
    """Each street bookmark is at eye height, outside every building's box, looking at a building's middle."""
    model = grid_of_boxes(64, spacing=40.0)
    derive_object_columns(model)
    cameras = default_cameras(model)
    streets = [c for name, c in cameras.items() if name.startswith("street")]
    assert cameras["overview"].position[2] > 100 and len(streets) == 3
    lo, hi = model.objects.bbox_min, model.objects.bbox_max
    for view in streets:
        eye = np.asarray(view.position)
        assert eye[2] == pytest.approx(1.7)
        inside = (lo[:, 0] <= eye[0]) & (eye[0] <= hi[:, 0]) & (lo[:, 1] <= eye[1]) & (eye[1] <= hi[:, 1])
        assert not inside.any()
        target = np.asarray(view.look_at)
        hit = (lo[:, 0] <= target[0]) & (target[0] <= hi[:, 0]) & (lo[:, 1] <= target[1]) & (target[1] <= hi[:, 1])
        assert hit.any()


def test_an_empty_model_has_no_default_cameras():
    model = box_model(np.zeros((0, 3)), np.zeros((0, 3)))
    derive_object_columns(model)
    assert default_cameras(model) == {}


@pytest.mark.shared_data
def test_a_bare_model_file_has_overview_and_street_cameras(shared_data):
    """A model file opened without a scene gets bookmarks: `--camera overview` works as `view --help` says."""
    from viewer.city.scene import load_scene_models
    from viewer.config import SceneConfig

    scene = load_scene_models(SceneConfig.for_file(shared_data / "cityjson_zurich" / "zurich_subset_lod2.json"))
    assert {"overview", "all", "street"} <= set(scene.config.cameras)
    lo, hi = focus_bounds(scene.model)
    assert (hi - lo)[:2].max() < 1000  # not the 9 x 10 km of the whole sample


@pytest.mark.render
@pytest.mark.shared_data
def test_render_camera_overview_and_street_on_a_bare_file(offscreen_gl, shared_data, tmp_path):
    """`citiverse render FILE --camera overview|street` renders a bare CityJSON file (it failed: no cameras)."""
    from PIL import Image

    model = shared_data / "cityjson_delft" / "delft.json"
    for camera in ("overview", "street"):
        out = tmp_path / f"{camera}.png"
        run = subprocess.run([sys.executable, "-m", "viewer.cli", "-q", "render", str(model), "--camera", camera,
                              "--out", str(out), "--size", "320x180"], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        with Image.open(out) as png:
            pixels = np.asarray(png.convert("RGB"), np.int16)
        assert np.ptp(pixels.reshape(-1, 3), axis=0).max() > 40  # not one flat colour



def test_street_views_stand_on_the_terrain_not_on_a_foundation():
    """Where the model has terrain, the eye is 1.7 m above it: buildings' bases (foundations at 0 m) lie
    below a terrain at 5 m here, and an eye above the base would be under the ground."""
    from viewer.city.model import CityModel, ObjectTable, SurfaceKind

    town = grid_of_boxes(16, spacing=40.0)
    n = len(town.objects)
    terrain = np.array([[-500, -500, 5], [500, -500, 5], [500, 500, 5], [-500, 500, 5]], np.float32)
    model = CityModel(np.r_[town.vertices, terrain], np.r_[town.triangles, np.array([[0, 1, 2], [0, 2, 3]]) +
                                                         town.vertex_count].astype(np.uint32),
                      np.r_[town.vertex_object, np.full(4, n, np.int32)],
                      np.r_[town.vertex_kind, np.full(4, SurfaceKind.TERRAIN, np.uint8)],
                      ObjectTable(town.objects.ids + ["tin"], town.objects.types + ["TINRelief"],
                                  np.full(n + 1, -1, np.int32), [{}] * (n + 1)))
    derive_object_columns(model)
    streets = [c for name, c in default_cameras(model).items() if name.startswith("street")]
    assert streets and all(view.position[2] == pytest.approx(6.7) for view in streets)
