"""city/cache: whole scenes come back from one entry, entries are written in the background, bounded, and
anything stale or damaged is ignored."""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import numpy as np
import pytest

from viewer.city import cache
from viewer.city.scene import load_scene_models
from viewer.config import SceneConfig

SQUARE = [[0, 0, 0], [1000, 0, 0], [1000, 1000, 0], [0, 1000, 0], [0, 0, 5000], [1000, 0, 5000]]


def city_file(folder: Path, attributes: dict | None = None, name: str = "two.city.json") -> Path:
    """A two-building CityJSON in EPSG:7415 (a square roof and a wall), millimetre integer vertices."""
    doc = {"type": "CityJSON", "version": "2.0", "vertices": SQUARE,
           "transform": {"scale": [0.001, 0.001, 0.001], "translate": [84000.0, 446000.0, 0.0]},
           "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/7415"},
           "CityObjects": {
               "a": {"type": "Building", "attributes": attributes or {"h": 5},
                     "geometry": [{"type": "MultiSurface", "lod": "1", "boundaries": [[[0, 1, 2, 3]]]}]},
               "b": {"type": "Building",
                     "geometry": [{"type": "MultiSurface", "lod": "1", "boundaries": [[[0, 1, 5, 4]]]}]}}}
    path = folder / name
    path.write_text(json.dumps(doc))
    return path


def load(config: SceneConfig, lines: list[str] | None = None, use_cache: bool = True):
    return load_scene_models(config, use_cache=use_cache, progress=(lines if lines is not None else []).append)


def test_second_load_of_a_scene_comes_from_one_entry(tmp_path):
    """The second load reads the scene entry: same arrays, object columns, frame and a content key."""
    config = SceneConfig.for_file(city_file(tmp_path))
    lines: list[str] = []
    first = load(config, lines)
    second = load(config, lines)
    assert "scene from cache" in lines[-1] and not any("scene from cache" in line for line in lines[:-1])
    for name in ("vertices", "triangles", "vertex_object", "vertex_kind"):
        assert np.array_equal(getattr(first.model, name), getattr(second.model, name)), name
    for name in ("parents", "height", "footprint_area", "bbox_min", "bbox_max"):
        assert np.array_equal(getattr(first.model.objects, name), getattr(second.model.objects, name),
                              equal_nan=True), name
    assert second.model.objects.attributes == [{"h": 5}, {}] and second.model.objects.ids == ["a", "b"]
    assert vars(second.frame) == vars(first.frame) and second.frame.crs == "EPSG:7415"
    assert first.model.content_key == second.model.content_key is not None


def test_one_file_scene_writes_only_its_scene_entry(tmp_path):
    """A one-file scene stores a scene entry and no separate source entry; without the cache, nothing."""
    config = SceneConfig.for_file(city_file(tmp_path))
    assert load(config, use_cache=False).model.content_key is None
    cache.flush()
    assert not cache.cache_dir().exists()
    load(config)
    cache.flush()
    assert sorted(p.suffix for p in cache.cache_dir().iterdir()) == [".scene"]


def test_changed_file_or_frame_misses(tmp_path):
    """Another file content, origin or CRS gives another scene key, so no stale model is ever used."""
    path = city_file(tmp_path)
    config = SceneConfig.for_file(path)
    lines: list[str] = []
    load(config, lines)
    moved = SceneConfig(path=None, name="moved", crs="EPSG:28992", origin=(84000.0, 446000.0, 0.0),
                        origin_lonlat=None, sources=config.sources)
    assert np.allclose(load(moved, lines).model.bounds()[0], [0, 0, 0], atol=1e-3)
    city_file(tmp_path, attributes={"h": 6})
    assert load(config, lines).model.objects.attributes[0] == {"h": 6}
    assert not any("scene from cache" in line for line in lines)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_damaged_scene_entry_is_reloaded_and_rewritten(tmp_path, caplog, damage):
    """A damaged scene entry is logged and skipped; the scene is loaded again and the entry rewritten."""
    config = SceneConfig.for_file(city_file(tmp_path))
    reference = load(config).model.vertices
    cache.flush()
    (entry,) = cache.cache_dir().iterdir()
    data = entry.read_bytes()
    entry.write_bytes({"garbage": b"x" * len(data), "truncated": data[:-50], "empty": b""}[damage])
    lines: list[str] = []
    with caplog.at_level(logging.WARNING):
        again = load(config, lines)
    assert "ignoring unreadable cache entry" in caplog.text and "scene from cache" not in lines[-1]
    assert np.array_equal(again.model.vertices, reference)
    cache.flush()
    assert entry.read_bytes() == data


def test_attributes_too_deep_to_pickle_are_not_cached_but_load(tmp_path, caplog):
    """A model whose attributes nest deeper than pickle can go loads; its entry is skipped with a warning."""
    path = tmp_path / "deep.city.json"  # orjson reads up to 1024 levels, deeper than Python recurses
    deep = '{"deep": ' + "[" * 1010 + "]" * 1010 + "}"
    path.write_text(city_file(tmp_path).read_text().replace('{"h": 5}', deep))
    with caplog.at_level(logging.WARNING):
        scene = load(SceneConfig.for_file(path))
        cache.flush()
    assert len(scene.model.objects) == 2 and "could not write the cache entry" in caplog.text
    assert not cache.cache_dir().exists() or not list(cache.cache_dir().iterdir())


def test_prune_drops_least_recently_used_and_stale_temporaries(tmp_path):
    """Over the size limit the oldest entries go first, the one just written stays, old temp files go."""
    folder = cache.cache_dir()
    folder.mkdir(parents=True)
    now = time.time()
    for age, name in ((50, "old.scene"), (40, "mid.source"), (30, "new.geometry"), (7200, ".tmp-dead.scene"),
                      (5, ".tmp-live.scene"), (100, "keep.scene")):
        (folder / name).write_bytes(b"x" * 1000)
        os.utime(folder / name, (now - age, now - age))
    cache.prune(keep=folder / "keep.scene", limit=2500)
    assert sorted(p.name for p in folder.iterdir()) == [".tmp-live.scene", "keep.scene", "new.geometry"]


def test_entries_round_trip_any_array(tmp_path):
    """write_entry/read_entry give back arrays of any dtype and shape (empty ones too) and the header."""
    arrays = {"f": np.arange(12, dtype=np.float32).reshape(4, 3), "e": np.zeros((0, 3), np.int64),
              "b": np.array([True, False]), "s": np.arange(10, dtype=np.uint16)[::3]}
    cache.write_entry(tmp_path / "x.scene", arrays, {"k": [1, "a"]}, background=True)
    out, head = cache.read_entry(tmp_path / "x.scene")  # waits for the background write
    assert head == {"k": [1, "a"]} and out.keys() == arrays.keys()
    for name, array in arrays.items():
        assert out[name].dtype == array.dtype and np.array_equal(out[name], array), name


def test_every_city_module_is_part_of_the_code_digest(tmp_path, monkeypatch):
    """A change to any helper a loader reaches (osm -> roofs -> extrude, citygml's helpers) changes the key;
    a hand-kept list of shared modules went stale with each new helper."""
    import importlib.util

    from viewer.city import cache

    before = cache.code_digest()
    folder = tmp_path / "city"
    folder.mkdir()
    for source in Path(importlib.util.find_spec("viewer.city").submodule_search_locations[0]).glob("*.py"):
        (folder / source.name).write_bytes(source.read_bytes())
    (folder / "roofs.py").write_text((folder / "roofs.py").read_text() + "\n# changed\n")

    class Spec:
        submodule_search_locations = [str(folder)]

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: Spec() if name == "viewer.city" else real(name))
    cache.code_digest.cache_clear()
    try:
        assert cache.code_digest() != before
    finally:
        cache.code_digest.cache_clear()
