"""Streaming 3D Tiles: the background loader (disk and a loopback HTTP server), eviction under a cap, no holes,
offline renders that wait for their tiles, and pictures of written tilesets against whole-file renders."""

from __future__ import annotations

import dataclasses
import functools
import http.server
import shutil
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from viewer.app.tiles_scene import load_scene
from viewer.city.scene import load_scene_models
from viewer.config import SceneConfig, SourceConfig, TilesConfig
from viewer.config import load_scene as load_config
from viewer.errors import ConfigError
from viewer.geo.frame import LocalFrame
from viewer.net.tile_loader import TileContentLoader, http_reader
from viewer.tiles.select import make_view
from viewer.tiles.tileset import open_tileset
from viewer.tiles.write_tileset import TileOptions, write_tileset

ORIGIN = (85000.0, 447000.0)  # RD New near Delft: the written tileset is placed there
DELFT = "cityjson_delft/delft.json"
CESIUM = ("tiles3d_cesium_samples/1.0/TilesetWithRequestVolume/tileset.json",
          "tiles3d_cesium_samples/1.1/MetadataGranularities/tileset.json")


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A procedural city of 600 buildings (whole-file scene) and its tileset at 40 features a tile."""
    config = SceneConfig(path=None, name="procedural", crs=None, origin=None, origin_lonlat=None,
                         sources=(SourceConfig(format="procedural", size=600, seed=3),))
    whole = load_scene_models(config, use_cache=False)
    out = tmp_path_factory.mktemp("tiles") / "city"
    write_tileset(whole.model, LocalFrame("EPSG:28992", (*ORIGIN, 0.0)), out, TileOptions(max_features=40))
    return whole, out


def scene_file(folder: Path, source: str, extra: str = "") -> Path:
    """A scene in RD New at ORIGIN with one source line (path or url) and extra TOML."""
    path = folder / f"scene-{abs(hash((source, extra)))}.toml"
    path.write_text(f'[scene]\ncrs = "EPSG:28992"\norigin = [{ORIGIN[0]}, {ORIGIN[1]}, 0.0]\n'
                    f'[[sources]]\n{source}\n{extra}', encoding="utf-8")
    return path


@pytest.fixture()
def server(city):
    """The written tileset served over HTTP on 127.0.0.1 (and the folder it serves)."""
    folder = city[1]
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", folder
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def overview(scene):
    return scene.config.cameras["overview"]


def street_views(whole, count: int = 8):
    """Views at 2 m above the ground along the city's diagonal, looking north-east, 1280x720."""
    lo, hi = (b.astype(np.float64) for b in whole.model.bounds())
    for t in np.linspace(0.1, 0.9, count):
        eye = lo + (hi - lo) * t
        eye[2] = lo[2] + 2.0
        yield make_view(eye, np.array([1.0, 1.0, 0.0]), np.array([0.0, 0.0, 1.0]), 60.0, 16 / 9, 720)


# ---------------------------------------------------------------- loading, without a GPU


def test_http_loads_the_same_tiles_as_the_disk(city, server):
    """Every tile fetched from a loopback HTTP server decodes to the same geometry as read from disk."""
    url, folder = server
    frame = LocalFrame("EPSG:28992", (*ORIGIN, 0.0))
    from viewer.tiles.placement import TilesetPlacement

    results = {}
    for name, uri, reader in (("disk", folder / "tileset.json", None),
                              ("http", f"{url}/tileset.json", http_reader(SceneConfig.for_file(Path("x")).limits))):
        tileset = open_tileset(uri, reader=reader)
        tiles = tileset.walk()
        loader = TileContentLoader(tileset, TilesetPlacement(frame), workers=3)
        loader.request([((t.depth, 0.0), t) for t in tiles])
        done = []
        deadline = time.monotonic() + 60
        while len(done) < len(tiles) and time.monotonic() < deadline:
            loader.wait(deadline)
            done += loader.poll()
        loader.close()
        assert all(d.error is None for d in done)
        results[name] = {d.tile.key: d.models[0].vertices for d in done}
    assert results["disk"].keys() == results["http"].keys() and len(results["disk"]) > 5
    for key, vertices in results["disk"].items():
        assert np.array_equal(vertices, results["http"][key])


def test_a_missing_tile_is_reported_once_and_drawn_as_nothing(city, tmp_path):
    """A deleted leaf: the loader names it, the stage settles (the frame completes without it)."""
    pytest.importorskip("panda3d")
    folder = tmp_path / "broken"
    shutil.copytree(city[1], folder)
    victim = sorted((folder / "tiles").glob("r0*.glb"), key=lambda p: -len(p.name))[0]
    victim.unlink()
    scene = load_scene(load_config(scene_file(tmp_path, f'path = "{folder}/tileset.json"')))
    stage = _stage(scene)
    try:
        views = list(street_views(city[0], 16))
        for view in views:
            assert stage.settle(view, time.monotonic() + 60)
        assert stage.loader.stats.failed <= 1
        if stage.loader.stats.failed:
            assert victim.name in stage.loader.stats.errors[0]
    finally:
        stage.remove()


def _stage(scene, memory_mb: float = 512.0):
    from panda3d.core import NodePath

    from viewer.render.tiles_stage import StreamOptions, build_tiles_stage

    item = scene.tilesets[0]
    return build_tiles_stage(NodePath("test"), item.tileset, item.placement, scene.config.style,
                             StreamOptions(memory_mb=memory_mb), shaders=False)


def test_eviction_keeps_under_the_cap_and_never_drops_what_is_drawn(city, tmp_path):
    """A street-level walk with a small cap: after each frame the drawn tiles are loaded and memory is at
    most the cap plus what the frame itself needs."""
    pytest.importorskip("panda3d")
    scene = load_scene(load_config(scene_file(tmp_path, f'path = "{city[1]}/tileset.json"')))
    stage = _stage(scene, memory_mb=1.0)
    evicted = 0
    try:
        for view in street_views(city[0], 12):
            assert stage.settle(view, time.monotonic() + 60)
            selection = stage.last
            assert all(t in stage.loaded for t in selection.draw)
            needed = sum(stage.loaded[t].nbytes for t in set(selection.used))
            assert stage.cache.total_bytes <= max(stage.cache.cap_bytes, needed)
            evicted = max(evicted, stage.loader.stats.loaded - len(stage.loaded))
        assert evicted > 0  # the cap was felt
    finally:
        stage.remove()


def test_no_holes_while_tiles_arrive(city, tmp_path):
    """Window-style frames (no waiting, the smallest budget): once the root is in, every visible leaf's area
    is drawn by itself or an ancestor in every frame."""
    pytest.importorskip("panda3d")
    scene = load_scene(load_config(scene_file(tmp_path, f'path = "{city[1]}/tileset.json"')))
    stage = _stage(scene)
    leaves = [t for t in scene.tilesets[0].tileset.walk() if not t.children()]
    try:
        frames = 0
        for view in street_views(city[0], 6):
            for _ in range(20):
                selection = stage.update(view, 0.0)
                if stage.is_ready(scene.tilesets[0].tileset.root):
                    drawn = {t.key for t in selection.draw}
                    for leaf in leaves:
                        box, _ = stage.selector.bounds.of(leaf)
                        if box.in_frustum(view.planes):
                            parts = leaf.key.split("/")
                            assert any("/".join(parts[:i]) in drawn for i in range(1, len(parts) + 1)), leaf.key
                    frames += 1
                stage.loader.wait(time.monotonic() + 0.05)
        assert frames > 0
    finally:
        stage.remove()


def test_scenes_mix_tilesets_with_whole_files(city, tmp_path):
    """A scene of a tileset and a whole file: one frame (the file's), both present."""
    delft_free = scene_file(tmp_path, f'path = "{city[1]}/tileset.json"',
                            '[[sources]]\nformat = "procedural"\nsize = 50\n')
    scene = load_scene(load_config(delft_free))
    assert scene.model.triangle_count > 0 and len(scene.tilesets) == 1
    assert scene.tilesets[0].placement.frame is scene.frame


def test_tiles_options_are_checked():
    """[tiles] sse and memory_mb are read; a bad value is a ConfigError naming the key."""
    from viewer.config import _tiles

    assert _tiles(Path("s.toml"), {"sse": 8, "memory_mb": 256}) == dataclasses.replace(TilesConfig(), sse=8.0,
                                                                                        memory_mb=256.0)
    with pytest.raises(ConfigError, match="tiles.sse"):
        _tiles(Path("s.toml"), {"sse": 0})


# ---------------------------------------------------------------- rendering


def test_a_still_of_a_tileset_is_the_same_every_time(city, tmp_path, offscreen_gl):
    """Offline renders wait for every tile: two renders of the same camera are identical, and the picture is
    mostly the whole-file render's."""
    from viewer.app.headless import render_model_image

    whole = city[0]
    scene = load_scene(load_config(scene_file(tmp_path, f'path = "{city[1]}/tileset.json"')))
    bookmark = dataclasses.replace(overview(whole))
    images = [render_model_image(scene.model, scene.config.style, (320, 180), bookmark, scene=scene)
              for _ in range(2)]
    assert np.array_equal(images[0], images[1])
    reference = render_model_image(whole.model, whole.config.style, (320, 180), bookmark, scene=whole)
    assert _same_fraction(images[0], reference) > 0.9


def test_http_tileset_renders_as_the_local_one(city, server, tmp_path, offscreen_gl):
    """A scene whose tileset is a URL on a loopback server draws the same picture as from disk."""
    from viewer.app.headless import render_model_image

    url, folder = server
    local = load_scene(load_config(scene_file(tmp_path, f'path = "{folder}/tileset.json"')))
    remote = load_scene(load_config(scene_file(tmp_path, f'path = "{url}/tileset.json"')))
    assert remote.config.sources[0].url == f"{url}/tileset.json"
    bookmark = overview(city[0])
    images = [render_model_image(s.model, s.config.style, (320, 180), bookmark, scene=s) for s in (local, remote)]
    assert np.array_equal(images[0], images[1])


def test_render_command_draws_a_tileset(city, tmp_path, offscreen_gl, capsys):
    """`citiverse render tileset.json` streams it (no longer refused)."""
    from viewer.cli import main

    out = tmp_path / "shot.png"
    assert main(["-q", "render", str(city[1] / "tileset.json"), "--out", str(out), "--size", "320x180"]) == 0
    assert out.is_file() and out.stat().st_size > 1000


def test_delft_tileset_draws_like_the_file(shared_data, tmp_path, offscreen_gl):
    """Delft written by `citiverse tile` and streamed: same camera, mostly the same pixels as the file."""
    from viewer.app.headless import render_model_image

    whole = load_scene_models(SceneConfig.for_file(shared_data / DELFT), use_cache=False)
    out = tmp_path / "delft-tiles"
    write_tileset(whole.model, whole.frame, out, TileOptions(max_features=100))
    frame = whole.frame
    path = tmp_path / "delft.toml"
    path.write_text(f'[scene]\ncrs = "{frame.crs}"\norigin = [{frame.origin_xy[0]}, {frame.origin_xy[1]}, '
                    f'{frame.origin_z}]\n[[sources]]\npath = "{out}/tileset.json"\n', encoding="utf-8")
    tiles = load_scene(load_config(path))
    bookmark = whole.config.cameras["overview"]
    a = render_model_image(whole.model, whole.config.style, (640, 360), bookmark, scene=whole)
    b = render_model_image(tiles.model, tiles.config.style, (640, 360), bookmark, scene=tiles)
    assert _same_fraction(a, b) > 0.97


@pytest.mark.parametrize("sample", CESIUM)
def test_cesium_samples_render_headless(shared_data, sample, tmp_path, offscreen_gl):
    """Both Cesium samples (ECEF with an external tileset and request volumes; 1.1 glb in local metres)
    stream and draw something besides sky and ground."""
    from viewer.app.headless import render_model_image

    scene = load_scene(SceneConfig.for_file(shared_data / sample))
    image = render_model_image(scene.model, scene.config.style, (320, 180), overview(scene), scene=scene)
    colours = {tuple(c) for c in image.reshape(-1, 3)[::7]}
    assert len(colours) > 20


def _same_fraction(a: np.ndarray, b: np.ndarray, tolerance: int = 24) -> float:
    return float((np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=2) <= tolerance).mean())
