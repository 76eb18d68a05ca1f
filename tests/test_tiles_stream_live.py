"""Streamed tiles under the live layers and in worker processes: a tiled Den Haag coloured by a feed recording
like the whole file, picking a building of a tile, one numbering for file and tile objects, point clouds
drawn, and the process-decoded tiles equal to the thread-decoded ones."""

from __future__ import annotations

import dataclasses
import json
import struct

import numpy as np
import pytest

from viewer.app.tiles_scene import load_scene
from viewer.city.model import ObjectTable
from viewer.city.scene import load_scene_models
from viewer.config import LayerConfig, LayersConfig, SceneConfig
from viewer.config import load_scene as load_config
from viewer.net import tile_loader
from viewer.tiles.objects import StreamedObjects
from viewer.tiles.write_tileset import TileOptions, write_tileset
from viewer.twin.batch import TwinUpdate, make_batch

DENHAAG = "cityjson_denhaag/DenHaag_01.city.json"
SIZE = (480, 270)
FIXED = LayersConfig(buildings=LayerConfig(attribute="power", range=(0.0, 300.0)))


def _table(ids: list[str], parents: list[int] | None = None) -> ObjectTable:
    n = len(ids)
    return ObjectTable(ids, ["Building"] * n, np.array(parents or [-1] * n, np.int32), [{} for _ in ids],
                       height=np.full(n, 10.0, np.float32), footprint_area=np.full(n, 50.0, np.float32))


def test_streamed_objects_are_numbered_once_after_the_file_objects():
    """An id keeps its index whichever tile shows it again; indices start after the whole-file objects;
    parents are renumbered; a deeper tile's geometry columns win."""
    objects = StreamedObjects(base=100)
    first = objects.add(_table(["a", "b", "c"], [-1, 0, 0]), depth=0)
    assert first.tolist() == [100, 101, 102]
    again = objects.add(_table(["c", "d"]), depth=2)
    assert again.tolist() == [102, 103]
    table = objects.table()
    assert table.ids == ["a", "b", "c", "d"] and table.parents.tolist() == [-1, 0, 0, -1]
    assert objects.id_of(103) == "d" and objects.id_of(99) is None and objects.id_of(104) is None
    part = _table(["p1"])
    part.types, part.attributes = ["BuildingPart"], [{"parent": "B"}]
    assert objects.add(part).tolist() == [104]
    table = objects.table()
    assert table.ids[-2:] == ["p1", "B"] and table.parents[-2] == 5 and table.types[-1] == "Building"


class _Readings:
    """A Source: one power reading per building id, the same at every step (kW, 0..280)."""

    name, crs, kinds, period = "readings", "", ("building",), 1.0

    def __init__(self, ids: list[str]) -> None:
        self.ids, self.k = ids, 0

    def start(self) -> TwinUpdate:
        power = [float((i * 37) % 8) * 40.0 for i in range(len(self.ids))]
        return TwinUpdate(0.0, {"building": make_batch("building", ids=self.ids, power=power)}, snapshot=True)

    def step(self) -> TwinUpdate | None:
        self.k += 1
        return None if self.k > 2 else TwinUpdate(float(self.k), {})

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def denhaag(shared_data, tmp_path_factory):
    """Den Haag whole (fixed energy range) and tiled by `citiverse tile`'s writer, with a recording of readings
    for its buildings; both scenes share the whole file's overview camera."""
    from viewer.layers.entities import BUILDING_TYPES, EntityObjects
    from viewer.net.recorder import record_source

    whole = load_scene_models(SceneConfig.for_file(shared_data / DENHAAG), use_cache=False)
    whole.config = dataclasses.replace(whole.config, layers=FIXED)
    folder = tmp_path_factory.mktemp("denhaag")
    write_tileset(whole.model, whole.frame, folder / "tiles", TileOptions(max_features=60))
    frame = whole.frame
    path = folder / "denhaag.toml"
    path.write_text(f'[scene]\ncrs = "{frame.crs}"\norigin = [{frame.origin_xy[0]}, {frame.origin_xy[1]}, '
                    f'{frame.origin_z}]\n[[sources]]\npath = "{folder}/tiles/tileset.json"\n', encoding="utf-8")
    tiled = load_scene(load_config(path))
    tiled.config = dataclasses.replace(tiled.config, layers=FIXED, cameras=whole.config.cameras,
                                       tiles=dataclasses.replace(tiled.config.tiles, sse=1.0))  # the leaves
    ids = [str(i) for i in EntityObjects(whole.model.objects, BUILDING_TYPES).ids]
    recording = folder / "readings.feed.jsonl.gz"
    record_source(_Readings(ids), recording, 10.0)
    return whole, tiled, recording


def _recoloured(image: np.ndarray, plain: np.ndarray) -> np.ndarray:
    """Pixels the layers changed: far from the plain render of the same scene and camera."""
    return np.abs(image.astype(np.int16) - plain.astype(np.int16)).max(axis=2) > 40


def test_a_tiled_city_is_coloured_by_the_feed_like_the_file(denhaag, offscreen_gl):
    """The same recording over the file and over its tiles, same camera: the energy colours land on the same
    pixels (within the tiles' own differences), and without the layers the tiles show none of them."""
    from viewer.app.headless import render_model_image
    from viewer.app.live import LiveOptions
    from viewer.app.live_headless import live_view

    whole, tiled, recording = denhaag
    options = LiveOptions(hud=False)
    with live_view(whole, recording, SIZE, camera="overview", options=options) as lv:
        a = lv.render(0.0)
    with live_view(tiled, recording, SIZE, camera="overview", options=options) as lv:
        b = lv.render(0.0)
        assert lv.live.tile_objects is not None and len(lv.live.tile_objects) > 0
    bookmark = whole.config.cameras["overview"]
    plain_a = render_model_image(whole.model, whole.config.style, SIZE, bookmark, scene=whole)
    plain_b = render_model_image(tiled.model, tiled.config.style, SIZE, bookmark, scene=tiled)
    ca, cb = _recoloured(a, plain_a), _recoloured(b, plain_b)
    _save(a, b, plain_a, plain_b)
    assert ca.mean() > 0.02, "the file is not coloured: the test's readings do not reach it"
    both = (ca & cb).sum() / max(1, (ca | cb).sum())
    assert both > 0.85, f"coloured pixels agree on {both:.0%} only"
    near = np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=2)[ca & cb]
    assert np.median(near) < 24


def _save(*images) -> None:
    import os

    if os.environ.get("CITIVERSE_TEST_IMAGES"):
        from PIL import Image

        for k, image in enumerate(images):
            Image.fromarray(image).save(f"{os.environ['CITIVERSE_TEST_IMAGES']}/image{k}.png")


def test_picking_a_building_of_a_tile_opens_its_panel(denhaag, offscreen_gl):
    """A click on a coloured roof of the tiled city picks the building the file shows there, with its reading."""
    from viewer.app.headless import render_model_image
    from viewer.app.live import LiveOptions
    from viewer.app.live_headless import live_view

    whole, tiled, recording = denhaag
    plain = render_model_image(whole.model, whole.config.style, SIZE, whole.config.cameras["overview"], scene=whole)
    with live_view(whole, recording, SIZE, camera="overview", options=LiveOptions(hud=False)) as lv:
        ys, xs = np.nonzero(_recoloured(lv.render(0.0), plain))
        picks = [(int(x), int(y)) for x, y in zip(xs[::97], ys[::97], strict=True)][:12]
        expected = [lv.live.pick_at(x, y) for x, y in picks]
    with live_view(tiled, recording, SIZE, camera="overview", options=LiveOptions(hud=False)) as lv:
        lv.render(0.0)
        found = [lv.live.pick_at(x, y) for x, y in picks]
    assert len(picks) >= 8
    matched = [e is not None and f is not None and e.id == f.id for e, f in zip(expected, found, strict=True)]
    assert sum(matched) >= 0.75 * len(picks), (expected, found)
    info = next(f for f, ok in zip(found, matched, strict=True) if ok)
    assert info is not None and info.kind == "building" and any(line.startswith("power:") for line in info.lines)


def _write_pnts(path, positions: np.ndarray, rgb: np.ndarray) -> None:
    n = positions.shape[0]
    table = json.dumps({"POINTS_LENGTH": n, "POSITION": {"byteOffset": 0}, "RGB": {"byteOffset": 12 * n}}).encode()
    table += b" " * (-(28 + len(table)) % 8)
    binary = positions.astype("<f4").tobytes() + rgb.astype(np.uint8).tobytes()
    binary += b"\0" * (-len(binary) % 8)
    total = 28 + len(table) + len(binary)
    path.write_bytes(struct.pack("<4sIIIIII", b"pnts", 1, total, len(table), len(binary), 0, 0) + table + binary)


def test_point_clouds_are_drawn_in_their_colours(tmp_path, offscreen_gl):
    """A pnts tile of red points on a 40 m square is drawn: red pixels where the points are."""
    from viewer.app.headless import render_model_image

    grid = np.stack(np.meshgrid(np.linspace(-20, 20, 81), np.linspace(-20, 20, 81)), -1).reshape(-1, 2)
    positions = np.column_stack([grid, np.full(len(grid), 5.0)])
    _write_pnts(tmp_path / "red.pnts", positions, np.tile([230, 20, 20], (len(grid), 1)))
    (tmp_path / "tileset.json").write_text(json.dumps({
        "asset": {"version": "1.0"}, "geometricError": 10,
        "root": {"boundingVolume": {"box": [0, 0, 5, 20, 0, 0, 0, 20, 0, 0, 0, 1]}, "geometricError": 0,
                 "refine": "ADD", "content": {"uri": "red.pnts"}}}), encoding="utf-8")
    scene = load_scene(SceneConfig.for_file(tmp_path / "tileset.json"))
    image = render_model_image(scene.model, scene.config.style, (320, 180), scene.config.cameras["overview"],
                               scene=scene).astype(np.int16)
    red = (image[..., 0] > 150) & (image[..., 1] < 80) & (image[..., 2] < 80)
    assert red.sum() > 200


def test_worker_processes_build_the_same_tiles_as_threads(tmp_path, offscreen_gl):
    """Stills of a tileset decoded in worker processes and on the loader threads are identical."""
    from viewer.app.headless import render_model_image
    from viewer.city.scene import load_scene_models as load_whole
    from viewer.config import SourceConfig
    from viewer.geo.frame import LocalFrame

    config = SceneConfig(path=None, name="procedural", crs=None, origin=None, origin_lonlat=None,
                         sources=(SourceConfig(format="procedural", size=300, seed=5),))
    whole = load_whole(config, use_cache=False)
    write_tileset(whole.model, LocalFrame("EPSG:28992", (85000.0, 447000.0, 0.0)), tmp_path / "t",
                  TileOptions(max_features=30))
    scene = load_scene(SceneConfig.for_file(tmp_path / "t" / "tileset.json"))
    bookmark = scene.config.cameras["overview"]
    assert tile_loader.shared_pool() is not None
    assert tile_loader._pool_ready.wait(120), "the worker processes did not start"
    images = []
    for processes in (True, False):
        scene.tile_processes = processes  # app/tiles_scene.py attach_tiles reads it
        images.append(render_model_image(scene.model, scene.config.style, (320, 180), bookmark, scene=scene))
    assert np.array_equal(images[0], images[1])


def test_an_open_surface_of_a_tile_shows_from_both_sides(tmp_path, offscreen_gl):
    """Tiles are drawn one-sided (render/tile_parts.py rule 2); a lone wall, which no closed solid vouches for,
    still shows from behind as from the front."""
    from viewer.app.headless import render_model_image
    from viewer.city.localize import derive_object_columns
    from viewer.city.model import CityModel, SurfaceKind
    from viewer.config import CameraBookmark
    from viewer.geo.frame import LocalFrame

    wall = np.array([[-10, 0, 0], [10, 0, 0], [10, 0, 12], [-10, 0, 12]], np.float32)
    model = CityModel(wall, np.array([[0, 1, 2], [0, 2, 3]], np.uint32), np.zeros(4, np.int32),
                      np.full(4, SurfaceKind.WALL, np.uint8), _table(["w"]))
    model.objects.types = ["Wall"]
    derive_object_columns(model)
    frame = LocalFrame("EPSG:28992", (85000.0, 447000.0, 0.0))
    write_tileset(model, frame, tmp_path / "t", TileOptions(max_features=10))
    path = tmp_path / "wall.toml"
    path.write_text(f'[scene]\ncrs = "EPSG:28992"\norigin = [85000.0, 447000.0, 0.0]\n[[sources]]\n'
                    f'path = "{tmp_path}/t/tileset.json"\n', encoding="utf-8")
    scene = load_scene(load_config(path))
    centres = []
    for y in (-40.0, 40.0):
        image = render_model_image(scene.model, scene.config.style, (160, 90),
                                   CameraBookmark((0.0, y, 6.0), (0.0, 0.0, 6.0), 50.0), scene=scene)
        centres.append(image[45, 80].astype(int))
    assert np.abs(centres[0] - centres[1]).max() < 60  # both the wall (lit differently), not the sky behind
    sky = render_model_image(scene.model, scene.config.style, (160, 90),
                             CameraBookmark((0.0, 40.0, 6.0), (0.0, 80.0, 6.0), 50.0), scene=scene)[45, 80]
    assert all(np.abs(c - sky.astype(int)).max() > 20 for c in centres)


GUARDLESS = """
import sys
from pathlib import Path
print("script body ran", flush=True)
from viewer.app.headless import render_model_image
from viewer.app.tiles_scene import load_scene
from viewer.config import SceneConfig
from viewer.net import tile_loader
scene = load_scene(SceneConfig.for_file(Path(sys.argv[1])))
tile_loader.shared_pool()
assert tile_loader._pool_ready.wait(120)
render_model_image(scene.model, scene.config.style, (64, 36), scene.config.cameras["overview"], scene=scene)
"""


def test_a_script_without_a_main_guard_runs_once(tmp_path, city_tiles):
    """Worker processes never run the user's script again (tile_loader rule 6): its body prints once."""
    import subprocess
    import sys

    script = tmp_path / "guardless.py"
    script.write_text(GUARDLESS, encoding="utf-8")
    out = subprocess.run([sys.executable, str(script), str(city_tiles / "tileset.json")], capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.count("script body ran") == 1


@pytest.fixture(scope="module")
def city_tiles(tmp_path_factory):
    from viewer.config import SourceConfig
    from viewer.geo.frame import LocalFrame

    config = SceneConfig(path=None, name="procedural", crs=None, origin=None, origin_lonlat=None,
                         sources=(SourceConfig(format="procedural", size=120, seed=2),))
    whole = load_scene_models(config, use_cache=False)
    out = tmp_path_factory.mktemp("guard") / "t"
    write_tileset(whole.model, LocalFrame("EPSG:28992", (85000.0, 447000.0, 0.0)), out, TileOptions(max_features=30))
    return out


def test_in_the_window_tile_objects_are_coloured_from_a_background_build(denhaag, offscreen_gl):
    """As the window runs them (layers of new tile objects built on a thread, live rule 8), frames come
    without waiting and the tiled city ends up coloured as the offline render colours it at once."""
    import time

    from viewer.app.headless import render_model_image
    from viewer.app.live import LiveOptions
    from viewer.app.live_headless import live_view

    whole, tiled, recording = denhaag
    plain = render_model_image(tiled.model, tiled.config.style, SIZE, whole.config.cameras["overview"], scene=tiled)
    with live_view(tiled, recording, SIZE, camera="overview", options=LiveOptions(hud=False)) as lv:
        offline = lv.render(0.0)
        lv.live.tiles_every, lv.live.tile_entities, lv.live._tile_version = 0.5, {}, -1
        lv.live.lut.texels().fill(0)  # forget every colour: the window's path must write them again
        first = lv.render()
        deadline = time.monotonic() + 60
        image = first
        while not np.array_equal(image, offline) and time.monotonic() < deadline:
            time.sleep(0.1)
            image = lv.render()
    assert _recoloured(first, plain).mean() < 0.5 * _recoloured(offline, plain).mean()  # not yet, no wait
    assert np.array_equal(image, offline)
