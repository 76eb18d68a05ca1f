"""Scene files: valid ones load into frozen dataclasses; every mistake names the file, the key and the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from viewer.config import SceneConfig, load_scene
from viewer.errors import ConfigError

PROJECT = Path(__file__).resolve().parents[1]

GOOD = """
[scene]
name = "Delft"
crs = "EPSG:7415"
origin = [84900.0, 447600.0]

[[sources]]
path = "models/delft.json"
lod = "1.2"

[[sources]]
path = "roads.geojson"
crs = "EPSG:4326"
road_width = 7.5

[style]
background = "#a0c0e0"
[style.types]
Building = "#d0c8b8"
[style.surfaces]
roof = [0.7, 0.3, 0.2]

[cameras.overview]
position = [-400.0, -500.0, 300.0]
look_at = [0.0, 0.0, 0.0]
fov = 45

[limits]
max_vertices = 1000
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scene.toml"
    path.write_text(text)
    return path


def test_valid_scene_loads(tmp_path):
    """A complete scene loads with paths relative to the scene file and colours in 0..1."""
    scene = load_scene(write(tmp_path, GOOD))
    assert isinstance(scene, SceneConfig) and scene.name == "Delft"
    assert scene.origin == (84900.0, 447600.0, 0.0)
    assert scene.sources[0].path == tmp_path / "models/delft.json" and scene.sources[0].lod == "1.2"
    assert scene.sources[1].crs == "EPSG:4326" and scene.sources[1].road_width == 7.5
    assert scene.style.types["Building"] == pytest.approx((208 / 255, 200 / 255, 184 / 255))
    assert scene.style.surfaces["roof"] == (0.7, 0.3, 0.2)
    assert scene.cameras["overview"].fov == 45
    assert scene.limits.max_vertices == 1000


@pytest.mark.parametrize("change, key, reason", [
    (("crs = \"EPSG:7415\"", "crs = \"EPSG:123456789\""), "scene.crs", "unknown CRS"),
    (("origin = [84900.0, 447600.0]", "origin = [1, \"x\"]"), "scene.origin", "finite numbers"),
    (("lod = \"1.2\"", "lod = \"1.2\"\ncolour = 3"), "sources[0].colour", "unknown key"),
    (("road_width = 7.5", "road_width = -1"), "sources[1].road_width", "greater than 0"),
    (("fov = 45", "fov = 200"), "cameras.overview.fov", "below 170"),
    (("look_at = [0.0, 0.0, 0.0]", "look_at = [0.0, 0.0]"), "cameras.overview.look_at", "3 finite numbers"),
    (("roof = [0.7, 0.3, 0.2]", "roof = \"red\""), "style.surfaces.roof", "colour"),
    (("roof = [0.7, 0.3, 0.2]", "rooof = \"#ffffff\""), "style.surfaces.rooof", "unknown key"),
    (("max_vertices = 1000", "max_vertices = 0"), "limits.max_vertices", "positive integer"),
    (("path = \"roads.geojson\"", "path = \"roads.geojson\"\nformat = \"shapefile\""), "sources[1].format",
     "unknown format"),
])
def test_mistakes_name_file_key_and_reason(tmp_path, change, key, reason):
    """Each kind of mistake raises ConfigError with the file, the dotted key and a reason."""
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ConfigError) as info:
        load_scene(path)
    assert info.value.key == key and reason in info.value.reason and info.value.file == str(path)
    assert str(path) in str(info.value)


def test_not_toml_and_missing_file(tmp_path):
    """Broken TOML and a missing file are ConfigErrors naming the file."""
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_scene(write(tmp_path, "[scene\nname="))
    with pytest.raises(ConfigError, match="not found"):
        load_scene(tmp_path / "nope.toml")


def test_sources_required_and_origin_needs_crs(tmp_path):
    """A scene needs sources, and an origin needs a CRS to be meaningful."""
    with pytest.raises(ConfigError) as info:
        load_scene(write(tmp_path, "[scene]\nname = 'x'\n"))
    assert info.value.key == "sources"
    with pytest.raises(ConfigError) as info:
        load_scene(write(tmp_path, "[scene]\norigin = [1, 2]\n[[sources]]\npath = 'a.json'\n"))
    assert info.value.key == "scene.origin"


def test_shipped_scenes_are_valid():
    """Every scene under scenes/ validates, and so does every flythrough file beside one."""
    from viewer.flythrough.pathfile import load_paths

    files = sorted((PROJECT / "scenes").glob("*.toml"))
    scenes = [f for f in files if not f.name.endswith(".flythrough.toml")]
    assert scenes, "scenes/demo.toml must exist"
    for path in scenes:
        load_scene(path)
    for path in set(files) - set(scenes):
        assert load_paths(path), f"{path} holds no paths"
