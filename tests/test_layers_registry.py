"""The layer registry: built-in types, a third party's `citiverse.layers` entry point, the [layers] table."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from viewer.config import load_scene
from viewer.errors import ConfigError
from viewer.layers import registry
from viewer.layers.base import Layer, LayerScene, Option, parse_settings
from viewer.layers.drawables import Columns
from viewer.twin.batch import EntityBatch, TwinUpdate
from viewer.twin.state import TwinState

PLUGIN = '''
import numpy as np
from viewer.layers.base import Layer, Option
from viewer.layers.drawables import Columns


class Parking(Layer):
    type_name = "parking"
    title = "parking occupancy"
    options = {"kind": Option("text", "parking"), "height": Option("number", 20.0, low=1, high=500)}

    @property
    def kinds(self):
        return (self.settings.get("kind"),)

    def draw(self, state, at):
        kind = self.settings.get("kind")
        if not self.visible or kind not in state.tables or not len(state[kind]):
            return []
        table = state[kind]
        n = len(table)
        base = np.stack([table.column("x"), table.column("y"), np.zeros(n)], axis=1).astype(np.float32)
        rgba = np.tile(np.array([[30, 200, 90, 255]], np.uint8), (n, 1))
        rgba = self.apply_overrides(table.live_ids(), rgba)
        return [Columns(table.live_ids(), base, np.full(n, self.settings.get("height"), np.float32), rgba)]
'''


@pytest.fixture
def plugin_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A tiny installed-looking distribution (a module and a dist-info with the entry point) on sys.path."""
    (tmp_path / "citiparking.py").write_text(PLUGIN)
    info = tmp_path / "citiparking-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: citiparking\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[citiverse.layers]\nparking = citiparking:Parking\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.load_entry_points(reload=True)
    yield tmp_path
    registry.unregister("parking")
    sys.modules.pop("citiparking", None)


def _scene() -> LayerScene:
    from viewer.city.model import ObjectTable

    objects = ObjectTable(ids=[], types=[], parents=np.zeros(0, np.int64), attributes=[])
    lo, hi = np.zeros(3), np.full(3, 100.0)
    return LayerScene("test", objects, (lo, hi), lambda x, y: np.zeros(len(x), np.float32), lambda x, y: (x, y))


def test_built_in_types_are_registered():
    """The three built-in layers are layer types of the registry, like any other."""
    types = registry.layer_types()
    assert {"vehicles", "roads", "buildings"} <= set(types)
    assert all(issubclass(cls, Layer) for cls in types.values())


def test_entry_point_layer_is_found_and_configured(plugin_on_path: Path, tmp_path: Path):
    """A third party's layer, registered only by an entry point, is built from a scene's [layers] table and draws."""
    assert "parking" in registry.layer_types()
    scene_file = tmp_path / "city.toml"
    scene_file.write_text('[[sources]]\nformat = "procedural"\n[layers.garages]\ntype = "parking"\nheight = 35\n')
    config = load_scene(scene_file)
    registry.check_layers(config)
    built = registry.build_layers(config, _scene())
    assert list(built)[:3] == ["vehicles", "roads", "buildings"] and "garages" in built
    layer = built["garages"]
    state = TwinState()
    ids = np.array(["p1", "p2"], object)
    state.apply(TwinUpdate(1.0, {"parking": EntityBatch("parking", ids, {
        "x": np.array([1.0, 2.0]), "y": np.array([3.0, 4.0]), "z": np.full(2, np.nan, np.float32),
        "free": np.array([3, 0], np.float32)})}, snapshot=True), 0.0)
    (columns,) = layer.draw(state, 1.0)
    assert isinstance(columns, Columns) and columns.height.tolist() == [35.0, 35.0]
    layer.set_overrides("rules", ["p2"], np.array([[255, 0, 0, 255]], np.uint8), ["full"])
    (columns,) = layer.draw(state, 1.0)
    assert columns.rgba[1].tolist() == [255, 0, 0, 255] and columns.rgba[0].tolist() == [30, 200, 90, 255]
    assert layer.badge_lines("p2") == ("alert: full",)


def test_unknown_layer_type_names_the_scene_file_and_key(tmp_path: Path):
    """[layers.x] with a type nobody registered is a ConfigError naming the file and the key."""
    scene_file = tmp_path / "city.toml"
    scene_file.write_text('[[sources]]\nformat = "procedural"\n[layers.trams]\ntype = "tramz"\n')
    with pytest.raises(ConfigError) as err:
        load_scene(scene_file)
    assert err.value.file == str(scene_file) and err.value.key == "layers.trams.type" and "tramz" in str(err.value)


def test_unknown_option_names_the_scene_file_and_key(plugin_on_path: Path, tmp_path: Path):
    """An option the layer type does not declare, or a bad value, is a ConfigError naming the dotted key."""
    scene_file = tmp_path / "city.toml"
    scene_file.write_text('[[sources]]\nformat = "procedural"\n[layers.parking]\ncolour = "red"\n')
    with pytest.raises(ConfigError) as err:
        registry.check_layers(load_scene(scene_file))
    assert err.value.key == "layers.parking.colour" and err.value.file == str(scene_file)
    scene_file.write_text('[[sources]]\nformat = "procedural"\n[layers.parking]\nheight = 9000\n')
    with pytest.raises(ConfigError, match="layers.parking.height"):
        registry.check_layers(load_scene(scene_file))


def test_option_kinds_are_checked():
    """Options read their TOML values by kind: a bool is no number, a range is increasing, choices are listed."""
    assert Option("range").read("f", "k", [1, 2]) == (1.0, 2.0)
    for option, value in ((Option("number"), True), (Option("range"), [2, 1]), (Option("choice", choices=("a",)), "b"),
                          (Option("colour"), "red"), (Option("integer"), 1.5)):
        with pytest.raises(ConfigError, match="^f: k: "):
            option.read("f", "k", value)


def test_a_name_is_registered_once():
    """A plug-in cannot silently replace a built-in layer type."""

    class Impostor(Layer):
        type_name = "buildings"

        @property
        def kinds(self) -> tuple[str, ...]:
            return ()

        def draw(self, state, at):  # type: ignore[no-untyped-def]
            return []

    registry.layer_types()
    with pytest.raises(ValueError, match="already registered"):
        registry.register(Impostor)
    assert parse_settings(Impostor, "b", {"visible": False}, "f").visible is False


def test_cli_refuses_a_bad_layer_option_in_one_line(tmp_path: Path):
    """`citiverse render` of a scene whose [layers.NAME] has an unknown option: one stderr line naming the file
    and the key, exit 2, no Traceback, before anything is loaded or rendered."""
    import subprocess

    scene_file = tmp_path / "city.toml"
    scene_file.write_text('[[sources]]\nformat = "procedural"\nsize = 10\n[layers.air]\ntype = "sensors"\n'
                          'colour = "red"\n')
    run = subprocess.run([sys.executable, "-m", "viewer.cli", "-q", "render", str(scene_file), "--out",
                          str(tmp_path / "x.png")], capture_output=True, text=True, timeout=300)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert f"{scene_file}: layers.air.colour: unknown option" in run.stderr.strip().splitlines()[-1]
    assert not (tmp_path / "x.png").exists()
