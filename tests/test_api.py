"""The public Python API (viewer/api.py): open a real file, inspect and look up its objects, render frames and
videos headless, with and without a recorded feed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from viewer import api
from viewer.errors import ConfigError, LoadError

# Two buildings in Delft (lon/lat), a 20 m tower east of a 6 m house, each about 30 m square.
LON, LAT = 4.3571, 52.0116
D_LON, D_LAT = 30 / 68_600, 30 / 111_250  # about 30 m in degrees at this latitude


def square(lon: float, lat: float) -> list[list[list[float]]]:
    return [[[lon, lat], [lon + D_LON, lat], [lon + D_LON, lat + D_LAT], [lon, lat + D_LAT], [lon, lat]]]


@pytest.fixture(scope="module")
def town_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    features = [{"type": "Feature", "id": name, "properties": {"height": h, "function": f},
                 "geometry": {"type": "Polygon", "coordinates": square(LON + dx * D_LON, LAT)}}
                for name, h, f, dx in (("house", 6.0, "residential", 0.0), ("tower", 20.0, "office", 2.0))]
    path = tmp_path_factory.mktemp("town") / "town.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def town(town_file: Path) -> api.Scene:
    return api.open_scene(town_file, height_attribute="height", use_cache=False)


def test_importing_the_api_starts_no_engine() -> None:
    """`import viewer.api` stays cheap: no Panda3D and no loaders until a function needs them."""
    code = "import sys, viewer.api; print(any(m.startswith(('panda3d', 'direct', 'trimesh')) for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_objects_as_columns_and_a_table(town: api.Scene) -> None:
    """Ids, types, heights, footprints and boxes come out as numpy columns and one structured array."""
    objects = town.objects
    assert len(objects) == 2 and sorted(objects.ids) == ["house", "tower"]
    table = objects.to_numpy()
    heights = dict(zip(table["id"], table["height"], strict=True))
    assert heights["house"] == pytest.approx(6.0, abs=0.01) and heights["tower"] == pytest.approx(20.0, abs=0.01)
    assert np.all(table["footprint_area"] > 800) and np.all(table["footprint_area"] < 1000)  # about 30 m x 30 m
    assert table["bbox_max"].shape == (2, 3)
    assert objects.attribute("height").dtype == np.float64
    assert town.crs is not None


def test_look_up_by_id_attribute_and_point(town: api.Scene) -> None:
    """An object by id, a selection by attribute, and the object seen from above at a local point."""
    tower = town.object("tower")
    assert tower.attributes["function"] == "office" and tower.type
    assert list(town.find(function="residential").ids) == ["house"]
    assert list(town.objects.where("height", test=lambda h: h > 10).ids) == ["tower"]
    x, y, _ = tower.centre
    assert town.object_at(x, y) == "tower"
    house = town.object("house")
    assert town.object_at(*house.centre[:2]) == "house"
    assert town.object_at(x + 1000.0, y) is None
    assert town.object_at(*town.to_local(LON + 2.5 * D_LON, LAT + 0.5 * D_LAT)) == "tower"
    outline = town.objects.footprint("tower")
    assert outline.shape[1] == 2 and np.ptp(outline[:, 0]) == pytest.approx(30.0, rel=0.05)
    with pytest.raises(LoadError, match="no object with id 'nope'"):
        town.object("nope")


def test_to_pandas_is_optional(town: api.Scene) -> None:
    """to_pandas gives a DataFrame by id when pandas is installed, else an ImportError naming the install."""
    try:
        import pandas  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="pip install pandas"):
            town.objects.to_pandas()
        return
    frame = town.objects.to_pandas(attributes=["function"])
    assert frame.loc["tower", "function"] == "office"


def test_open_scene_errors_name_the_input(tmp_path: Path) -> None:
    """A missing file and a broken scene file are the project's own errors, naming the file."""
    with pytest.raises(LoadError, match="nothing.json: file not found"):
        api.open_scene(tmp_path / "nothing.json")
    bad = tmp_path / "bad.toml"
    bad.write_text("[scene]\nname = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.toml"):
        api.open_scene(bad)


@pytest.mark.render
def test_render_a_frame_from_a_bookmark_a_pose_and_objects(offscreen_gl: object, town: api.Scene) -> None:
    """A bookmark and the same Pose give the same pixels; framing an object looks at its centre; a Frame
    shows itself as a PNG."""
    by_name = town.render("overview", size=(320, 180))
    by_pose = town.render(town.cameras["overview"], size=(320, 180))
    assert by_name.image.shape == (180, 320, 3) and by_name.image.dtype == np.uint8
    assert np.array_equal(by_name.image, by_pose.image)
    assert by_name._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
    framed = town.render(objects=["house"], size=(320, 180))
    assert framed.pose is not None
    assert np.allclose(framed.pose.look_at[:2], town.object("house").centre[:2], atol=3.0)
    assert not np.array_equal(framed.image, by_name.image)
    with pytest.raises(ConfigError, match="unknown camera 'nope'"):
        town.render("nope")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[api.Scene, Path]:
    scene = api.demo_scene(buildings=200)
    feed = api.record_demo_feed(scene, tmp_path_factory.mktemp("feed") / "demo.feed.jsonl.gz", seconds=12,
                                vehicles=40)
    return scene, feed


@pytest.mark.render
def test_render_with_a_recorded_feed_at_a_time(offscreen_gl: object, demo: tuple[api.Scene, Path]) -> None:
    """A recording at "+6" shows feed time start + 6, coloured by the layers (differs from the bare city)."""
    scene, feed = demo
    bare = scene.render("centre", size=(320, 180))
    live = scene.render("centre", size=(320, 180), feed=feed, at="+6")
    assert live.feed_time == pytest.approx(1.8e9 + 6)
    assert np.abs(live.image.astype(int) - bare.image.astype(int)).mean() > 5
    again = scene.render("centre", size=(320, 180), feed=feed, at="+6")
    assert np.array_equal(live.image, again.image)
    hidden = scene.render("centre", size=(320, 180), feed=feed, at="+6", layers=["vehicles"])
    assert not np.array_equal(hidden.image, live.image)


@pytest.mark.render
def test_render_a_video_along_bookmarks(offscreen_gl: object, demo: tuple[api.Scene, Path], tmp_path: Path) -> None:
    """A video through two bookmarks with the feed in lock-step; it embeds itself as an HTML <video>."""
    scene, feed = demo
    video = scene.render_video(["overview", "centre"], tmp_path / "tour.mp4", fps=4, size=(160, 90),
                               seconds_per_leg=1.0, feed=feed, feed_start="+2")
    assert video.frames == 4 and video.size == (160, 90) and video.path.stat().st_size > 0
    assert video.feed_span == (pytest.approx(1.8e9 + 2), pytest.approx(1.8e9 + 2.75))
    assert video._repr_html_().startswith('<video controls width="160" src="data:video/mp4;base64,')
    with pytest.raises(ConfigError, match="no camera path 'missing'"):
        scene.render_video("missing", tmp_path / "x.mp4")
