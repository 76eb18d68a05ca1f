"""render/geometry_cache: a cached city gives the same Geoms and pixels; other entries are never used."""

from __future__ import annotations

import dataclasses
import logging

import numpy as np
import pytest

from viewer.city import cache
from viewer.city.model import CityModel, ObjectTable, SurfaceKind
from viewer.config import Style
from viewer.render import geometry_cache
from viewer.render.geometry_cache import cached_city_geometry, entry_path, render_key

SIZE = (160, 120)


def boxes(n: int = 400, key: str | None = "content-1") -> CityModel:
    """n flat-roofed boxes (roof and four walls, 10 triangles each) on a grid, with a content key."""
    rng = np.random.default_rng(7)
    side = int(np.ceil(np.sqrt(n)))
    lo = np.c_[np.stack(np.meshgrid(np.arange(side), np.arange(side)), -1).reshape(-1, 2)[:n] * 30.0,
               np.zeros(n)]
    hi = lo + np.c_[rng.uniform(8, 20, (n, 2)), rng.uniform(5, 60, n)]
    x0, y0, z0, x1, y1, z1 = (c[:, None] for c in (*lo.T, *hi.T))
    quads = np.stack([  # (n, 5, 4, 3): roof, then the south, east, north and west walls
        np.stack([np.c_[x0, y0, z1], np.c_[x1, y0, z1], np.c_[x1, y1, z1], np.c_[x0, y1, z1]], 1),
        np.stack([np.c_[x0, y0, z0], np.c_[x1, y0, z0], np.c_[x1, y0, z1], np.c_[x0, y0, z1]], 1),
        np.stack([np.c_[x1, y0, z0], np.c_[x1, y1, z0], np.c_[x1, y1, z1], np.c_[x1, y0, z1]], 1),
        np.stack([np.c_[x1, y1, z0], np.c_[x0, y1, z0], np.c_[x0, y1, z1], np.c_[x1, y1, z1]], 1),
        np.stack([np.c_[x0, y1, z0], np.c_[x0, y0, z0], np.c_[x0, y0, z1], np.c_[x0, y1, z1]], 1)], 1)
    vertices = quads.reshape(-1, 3).astype(np.float32)
    quad = np.array([[0, 1, 2], [0, 2, 3]], np.uint32)
    triangles = (quad[None] + (np.arange(n * 5, dtype=np.uint32) * 4)[:, None, None]).reshape(-1, 3)
    kinds = np.tile(np.repeat([SurfaceKind.ROOF] + [SurfaceKind.WALL] * 4, 4), n).astype(np.uint8)
    objects = ObjectTable([f"b{i}" for i in range(n)], ["Building"] * n, np.full(n, -1, np.int32), [{}] * n)
    return CityModel(vertices, triangles, np.repeat(np.arange(n, dtype=np.int32), 20), kinds, objects,
                     content_key=key)


@pytest.fixture
def cache_small(monkeypatch):
    """Cache the geometry of models of any size (the default skips small ones)."""
    monkeypatch.setattr(geometry_cache, "MIN_TRIANGLES", 0)


def buffers(city) -> dict[int, bytes]:
    return {k: bytes(memoryview(node.node().get_geom(0).get_vertex_data().get_array(0)))
            for k, node in city.nodes.items()}


def bounds(city) -> dict[int, tuple]:
    out = {}
    for k, node in city.nodes.items():
        box = node.node().get_geom(0).get_bounds()
        out[k] = (tuple(box.get_min()), tuple(box.get_max()))
    return out


def test_cached_geometry_is_identical_to_built(cache_small, monkeypatch):
    """A second build of the same model reads back the same tiles, rows, bounds and triangle order."""
    model = boxes()
    first = cached_city_geometry(model, Style())
    cache.flush()
    assert entry_path(render_key(model, Style())).is_file()
    with monkeypatch.context() as patch:
        patch.setattr(geometry_cache, "build_city_geometry", None)  # must not be called
        second = cached_city_geometry(model, Style())
    assert buffers(first) == buffers(second) and bounds(first) == bounds(second)
    assert np.array_equal(first.order, second.order) and np.array_equal(first.offsets, second.offsets)
    assert first.grid == second.grid and second.root.get_two_sided()


def test_cached_frame_has_identical_pixels(offscreen_gl, cache_small, monkeypatch):
    """A frame drawn from cached geometry equals, pixel for pixel, the frame drawn from built geometry."""
    from viewer.app.headless import render_model_image

    model = boxes()
    built = render_model_image(model, Style(), SIZE)
    cache.flush()
    monkeypatch.setattr(geometry_cache, "build_city_geometry", None)  # reading must not build
    cached = render_model_image(model, Style(), SIZE)
    assert np.array_equal(built, cached) and cached.std() > 5


def test_other_styles_code_and_content_miss(cache_small, monkeypatch):
    """An entry is only found for the same content key, style, tile size and render code."""
    model = boxes()
    key = render_key(model, Style())
    assert key != render_key(model, Style(types={"Building": (1.0, 0.0, 0.0)}))
    assert key != render_key(model, Style(), tile_size=100.0)
    assert key != render_key(dataclasses.replace(model, content_key="content-2"), Style())
    monkeypatch.setattr(geometry_cache, "_CODE", ("viewer.render.geometry", "viewer.render.stage"))
    assert key != render_key(model, Style())  # other code: other keys


def test_models_without_content_key_or_small_are_not_cached(monkeypatch):
    """Models made in memory or loaded without the cache, and small ones, are built and never stored."""
    assert render_key(boxes(key=None), Style(), min_triangles=0) is None
    assert render_key(boxes(), Style()) is None  # 4,000 triangles: under MIN_TRIANGLES
    cached_city_geometry(boxes(key=None), Style(), min_triangles=0)
    cache.flush()
    assert not cache.cache_dir().exists() or not any(cache.cache_dir().iterdir())


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other model"])
def test_damaged_or_foreign_entries_are_rebuilt(cache_small, caplog, damage):
    """A garbled, truncated or mismatched entry is logged, ignored, and replaced by a good one."""
    model = boxes()
    reference = buffers(cached_city_geometry(model, Style()))
    cache.flush()
    path = entry_path(render_key(model, Style()))
    if damage == "garbage":
        path.write_bytes(b"\0" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    else:  # a good entry of another model under this key
        cached_city_geometry(boxes(100, key="content-other"), Style())
        cache.flush()
        entry_path(render_key(boxes(100, key="content-other"), Style())).replace(path)
    with caplog.at_level(logging.WARNING):
        again = cached_city_geometry(model, Style())
    assert "ignoring unreadable geometry cache entry" in caplog.text
    assert buffers(again) == reference
    cache.flush()
    assert buffers(cached_city_geometry(model, Style())) == reference
