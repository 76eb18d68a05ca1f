"""Loading scenes: sources placed in one frame, derived object columns, and the geometry cache."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from viewer.city import cache
from viewer.city.scene import load_one, load_scene_models
from viewer.config import Limits, SceneConfig, SourceConfig


def test_delft_scene_is_centred_with_derived_columns(shared_data):
    """A Delft file alone is centred on its box; buildings get heights, footprints and boxes."""
    scene = load_scene_models(SceneConfig.for_file(shared_data / "cityjson_delft/delft.json"), use_cache=False)
    lo, hi = scene.model.bounds()
    assert scene.frame.crs == "EPSG:7415"
    np.testing.assert_allclose((lo[:2] + hi[:2]) / 2, [0, 0], atol=0.01)
    np.testing.assert_allclose(hi[:2] - lo[:2], [85140.839 - 84616.468, 447750.636 - 447422.999], atol=0.01)
    objects = scene.model.objects
    buildings = np.array([t == "Building" for t in objects.types])
    assert (objects.height[buildings] > 0).all() and (objects.footprint_area[buildings] > 0).all()
    assert np.all(objects.bbox_min[buildings] <= objects.bbox_max[buildings])


def test_building_parts_roll_up_into_their_building(shared_data):
    """In Den Haag a Building without geometry of its own gets the box of its BuildingParts."""
    scene = load_scene_models(SceneConfig.for_file(shared_data / "cityjson_denhaag/DenHaag_01.city.json"))
    objects = scene.model.objects
    child = int(np.flatnonzero(objects.parents >= 0)[0])
    parent = int(objects.parents[child])
    assert objects.types[parent] == "Building" and objects.types[child] == "BuildingPart"
    assert np.all(objects.bbox_min[parent] <= objects.bbox_min[child] + 1e-3)
    assert np.all(objects.bbox_max[parent] >= objects.bbox_max[child] - 1e-3)


def test_json_and_glb_exports_of_delft_coincide(shared_data):
    """Delft as CityJSON and as its Y-up GLB export (given the CRS) land on the same local box."""
    config = SceneConfig(path=None, name="delft", crs=None, origin=None, origin_lonlat=None, sources=(
        SourceConfig(path=shared_data / "cityjson_delft/delft.json"),
        SourceConfig(path=shared_data / "cityjson_delft/derived/delft.glb", crs="EPSG:7415")))
    scene = load_scene_models(config, use_cache=False)
    half = scene.model.vertex_object < len(scene.model.objects) // 2
    a = scene.model.vertices[half]
    b = scene.model.vertices[~half]
    np.testing.assert_allclose(a.min(axis=0), b.min(axis=0), atol=0.05)
    np.testing.assert_allclose(a.max(axis=0), b.max(axis=0), atol=0.05)


def _copy(src: Path, dst: Path) -> Path:
    dst.write_bytes(src.read_bytes())
    return dst


def test_second_load_comes_from_cache_and_is_identical(shared_data, tmp_path):
    """The second load of an unchanged file reads the cache and gives identical arrays and objects."""
    path = _copy(shared_data / "cityjson_delft/delft.json", tmp_path / "delft.json")
    lines: list[str] = []
    first = load_one(SourceConfig(path=path), Limits(), progress=lines.append)
    second = load_one(SourceConfig(path=path), Limits(), progress=lines.append)
    assert "loaded" in lines[0] and "from cache" in lines[1]
    for name in ("positions", "triangles", "vertex_object", "vertex_kind"):
        assert np.array_equal(getattr(first, name), getattr(second, name)), name
    assert first.objects.ids == second.objects.ids and first.objects.attributes == second.objects.attributes
    assert second.crs == first.crs


def test_cache_is_keyed_by_content_and_options_and_can_be_bypassed(shared_data, tmp_path):
    """Changing the file or the options misses the cache; use_cache=False never reads it."""
    path = _copy(shared_data / "cityjson_delft/delft_1b.json", tmp_path / "one.json")
    key = cache.cache_key(path, "cityjson", SourceConfig(path=path))
    assert key != cache.cache_key(path, "cityjson", SourceConfig(path=path, lod="1"))
    lines: list[str] = []
    load_one(SourceConfig(path=path), Limits(), progress=lines.append)
    path.write_bytes(path.read_bytes().replace(b'"Building"', b'"Building" '))
    assert cache.cache_key(path, "cityjson", SourceConfig(path=path)) != key
    load_one(SourceConfig(path=path), Limits(), use_cache=False, progress=lines.append)
    assert all("from cache" not in line for line in lines)


def test_corrupt_cache_entry_is_ignored(shared_data, tmp_path):
    """A damaged cache file is skipped with a warning and the model is parsed again."""
    path = _copy(shared_data / "cityjson_delft/delft_1b.json", tmp_path / "one.json")
    options = SourceConfig(path=path)
    load_one(options, Limits())
    cache.flush()  # entries are written in the background
    key = cache.cache_key(path, "cityjson", options)
    (cache.cache_dir() / f"{key}.source").write_bytes(b"not a zip")
    lines: list[str] = []
    model = load_one(options, Limits(), progress=lines.append)
    assert "loaded" in lines[0] and len(model.objects) == 1
    cache.flush()
    assert os.path.getsize(cache.cache_dir() / f"{key}.source") > 100  # rewritten


@pytest.mark.parametrize("name", ["missing.json", "dir"])
def test_missing_file_is_a_load_error(tmp_path, name):
    """A source path that is missing or a folder gives a LoadError naming it."""
    from viewer.errors import LoadError

    (tmp_path / "dir").mkdir()
    with pytest.raises(LoadError, match=name):
        load_one(SourceConfig(path=tmp_path / name), Limits())


def test_object_boxes_do_not_depend_on_vertex_order():
    """Per-object boxes, heights and footprints are the same whether vertices come grouped by object or not."""
    from viewer.city.localize import derive_object_columns
    from viewer.city.model import CityModel, ObjectTable, SurfaceKind

    rng = np.random.default_rng(3)
    vertices = rng.uniform(-50, 50, (300, 3)).astype(np.float32)
    objects = rng.integers(0, 7, 300).astype(np.int32)
    triangles = np.arange(300, dtype=np.uint32).reshape(-1, 3)
    objects[1::3] = objects[2::3] = objects[0::3]  # each triangle belongs to one object
    kinds = np.full(300, SurfaceKind.GROUND, np.uint8)

    def derived(order):
        inverse = np.argsort(order)
        model = CityModel(vertices[order], inverse[triangles].astype(np.uint32), objects[order], kinds,
                          ObjectTable([str(i) for i in range(8)], ["X"] * 8, np.full(8, -1, np.int32), [{}] * 8))
        derive_object_columns(model)
        return model.objects

    grouped, shuffled = derived(np.argsort(objects, kind="stable")), derived(np.arange(300))
    for name in ("bbox_min", "bbox_max", "height", "footprint_area"):
        np.testing.assert_allclose(getattr(grouped, name), getattr(shuffled, name), rtol=1e-6, equal_nan=True)
    assert np.isnan(grouped.height[7])  # object 7 has no geometry
