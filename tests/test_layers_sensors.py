"""The sensors and heat map layers: columns and a ground overlay from a protocol 1.1 feed, in real offscreen frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from viewer.app.live import LiveOptions
from viewer.app.live_headless import live_view
from viewer.city.model import CityModel, ObjectTable, SurfaceKind
from viewer.city.scene import LoadedScene
from viewer.config import CameraBookmark, LayersConfig, SceneConfig
from viewer.errors import ConfigError
from viewer.geo.frame import LocalFrame
from viewer.layers import registry
from viewer.layers.heatmap import idw, idw_grid
from viewer.sources.replay import ReplaySource
from viewer.sources.sensors_demo import SensorsDemo, write_recording

SIZE = (400, 400)
HOT = (60.0, 40.0)  # the demo's hot spot: a station stands here, noise is loudest around it
LAYERS = {"air": {"type": "sensors", "kind": "air_quality", "field": "no2", "range": [0, 80], "height": 80,
                  "min_height": 10, "radius": 8, "labels": False},  # a label would cover the column from above
          "noise": {"type": "heatmap", "kind": "noise", "field": "laeq", "range": [45, 80], "radius": 120,
                    "cell": 5}}


def square() -> LoadedScene:
    """A 400 m ground square, nothing on it, seen from straight above."""
    ground = np.array([[-200, -200, 0], [200, -200, 0], [200, 200, 0], [-200, 200, 0]], np.float32)
    model = CityModel(ground, np.array([[0, 1, 2], [0, 2, 3]], np.uint32), np.zeros(4, np.int32),
                      np.full(4, SurfaceKind.GROUND, np.uint8),
                      ObjectTable(["ground"], ["Ground"], np.full(1, -1, np.int32), [{}]))
    config = SceneConfig(path=Path("square.toml"), name="square", crs=None, origin=None, origin_lonlat=None,
                         sources=(), cameras={"top": CameraBookmark((0.0, -1.0, 700.0), (0.0, 0.0, 0.0), 40.0)},
                         layers=LayersConfig(extra=LAYERS))
    return LoadedScene(config, LocalFrame(None, (0.0, 0.0)), model)


def sensors() -> SensorsDemo:
    return SensorsDemo((-200.0, -200.0), (200.0, 200.0), (0.0, 0.0), "", stations=6, noise=30, hot=HOT)


def test_idw_is_near_the_sensor_and_empty_out_of_reach():
    """Inverse distance weighting gives a sensor's value next to it, a mean between two, NaN out of reach."""
    value, nearest = idw(np.array([0.5, 50.0, 500.0]), np.zeros(3), np.array([0.0, 100.0]), np.zeros(2),
                         np.array([80.0, 40.0]), 200.0, 2.0)
    assert value[0] == pytest.approx(80.0, abs=0.1) and value[1] == pytest.approx(60.0)
    assert np.isnan(value[2]) and nearest[2] == pytest.approx(400.0)


def test_grid_idw_equals_the_reference_at_every_cell():
    """The per-sensor window pass gives every cell what the all-pairs formula gives (and the same reach)."""
    rng = np.random.default_rng(3)
    px, py, v = rng.uniform(-100, 100, 25), rng.uniform(-80, 80, 25), rng.uniform(40, 80, 25)
    v[3] = np.nan
    grid, near = idw_grid(-120.0, -90.0, 7.0, 35, 26, px, py, v, 45.0, 2.0)
    cx, cy = np.meshgrid(-120.0 + (np.arange(35) + 0.5) * 7.0, -90.0 + (np.arange(26) + 0.5) * 7.0)
    ref, ref_near = idw(cx.reshape(-1), cy.reshape(-1), px, py, v, 45.0, 2.0)
    np.testing.assert_allclose(grid.reshape(-1), ref, rtol=1e-12, equal_nan=True)
    reached = np.isfinite(ref)
    np.testing.assert_allclose(near.reshape(-1)[reached], ref_near[reached])


def test_sensor_options_are_checked(tmp_path: Path):
    """A sensors layer's bad option names the scene file and the dotted key."""
    config = SceneConfig(path=tmp_path / "s.toml", name="s", crs=None, origin=None, origin_lonlat=None, sources=(),
                         layers=LayersConfig(extra={"air": {"type": "sensors", "shape": "cube"}}))
    with pytest.raises(ConfigError, match=r"s\.toml: layers\.air\.shape: unknown value 'cube'"):
        registry.check_layers(config)


def test_recording_replays_the_generic_kinds(tmp_path: Path):
    """The demo's recording carries the kinds in its hello and their rows through a replay and a seek."""
    path = write_recording(sensors(), tmp_path / "s.feed.jsonl.gz", steps=5)
    replay = ReplaySource(path)
    first = replay.start()
    assert replay.hello is not None and [k.name for k in replay.hello.entity_kinds] == ["air_quality", "noise"]
    assert len(first.upserts["air_quality"].ids) == 6 and len(first.upserts["noise"].ids) == 30
    at = replay.seek(first.time + 30.0)
    assert at.upserts["noise"].laeq.shape == (30,)


def test_sensor_drawables_and_panel():
    """Columns sized and coloured by value, labels with the station and the unit (highest first), a panel."""
    from viewer.layers.base import LayerScene, parse_settings
    from viewer.layers.drawables import Columns, Labels
    from viewer.layers.sensors import SensorsLayer
    from viewer.twin.state import TwinState

    source = sensors()
    state = TwinState()
    state.apply(source.start(), 0.0)
    scene = square()
    settings = parse_settings(SensorsLayer, "air", {**LAYERS["air"], "labels": True, "label_field": "station"}, "f")
    layer = SensorsLayer(settings, LayerScene("square", scene.model.objects, scene.model.bounds(),
                                              lambda x, y: np.zeros(len(x)), lambda x, y: (x, y),
                                              {k.name: k for k in source.entity_kinds}))
    columns, labels = layer.draw(state, 0.0)
    assert isinstance(columns, Columns) and isinstance(labels, Labels)
    no2 = state["air_quality"].column("no2").astype(float)
    assert np.allclose(columns.height, 10.0 + np.clip(no2 / 80.0, 0, 1) * 80.0)
    assert labels.texts[0] == f"Coolsingel  {no2.max():.3g} ug/m3"
    assert layer.draw(state, 1.0)[0] is columns  # nothing changed: the same drawables (drawables rule 4)
    info = layer.describe("aq-000", state, state.time, 0.0)
    assert info is not None and info.type == "Air quality" and "station: Coolsingel" in info.lines


@pytest.fixture(scope="module")
def frames(offscreen_gl):
    """The square with the sensors (a) drawn and (b) with every layer hidden, and the view of (a)."""
    shown = hidden = None
    with live_view(square(), sensors(), SIZE, camera="top", options=LiveOptions.from_cli("none")) as lv:
        lv.seek(None)
        hidden = lv.render().astype(float)
    with live_view(square(), sensors(), SIZE, camera="top") as lv:
        lv.seek(None)
        shown = lv.render().astype(float)
        yield shown, hidden, lv


@pytest.mark.render
def test_a_sensor_column_stands_where_the_station_is(frames):
    """The hot spot's station is a column coloured by its NO2 on the ramp, lit from above, seen from the sky."""
    shown, hidden, lv = frames
    layer = lv.live.layers["air"]
    table = lv.live.state["air_quality"]
    row = table.index["aq-000"]
    no2 = float(table.column("no2")[row])
    top = 10.0 + min(no2 / 80.0, 1.0) * 80.0
    px, py = lv.project((HOT[0], HOT[1], top))
    expected = layer.values.rgba(np.array([no2]))[0, :3] * (0.45 + 0.55 * 0.7 / np.linalg.norm([-0.4, -0.6, 0.7]))
    assert np.abs(shown[int(py), int(px)] - expected).max() < 14, (shown[int(py), int(px)], expected)
    assert np.abs(shown[int(py), int(px)] - hidden[int(py), int(px)]).max() > 40
    info = lv.live.pick_at(px, py)
    assert info is not None and info.kind == "sensor" and info.id == "aq-000"
    assert any(line.startswith("no2: ") and "ug/m3" in line for line in info.lines)


@pytest.mark.render
def test_the_heat_map_is_hot_around_the_noise_and_absent_far_away(frames):
    """Ground pixels near the loud spot take the ramp's hot end over the ground; beyond every sensor's reach the
    ground is as it was; a click on the map tells the interpolated value there."""
    shown, hidden, lv = frames
    px, py = lv.project((HOT[0] + 20.0, HOT[1] - 20.0, 0.0))
    hot, plain = shown[int(py), int(px)], hidden[int(py), int(px)]
    assert hot[0] > plain[0] + 60 and hot[0] > hot[2] + 60, (hot, plain)  # inferno's high end: orange-yellow
    layer = lv.live.layers["noise"]
    table = lv.live.state["noise"]
    d = np.hypot(table.column("x") - 195.0, table.column("y") + 195.0)
    if d.min() > 120.0:  # no sensor reaches the south-east corner: untouched ground
        cx, cy = lv.project((195.0, -195.0, 0.0))
        assert np.abs(shown[int(cy), int(cx)] - hidden[int(cy), int(cx)]).max() < 3
    info = lv.live.pick_at(px, py)
    assert info is not None and info.kind == "heatmap" and "interpolated" in info.lines[0]
    assert layer.legend(lv.live.state).units == "dB(A)"


@pytest.mark.render
def test_legends_caption_and_overrides(frames):
    """Both layers have legends in their feed's units and names in the caption; a rule's override recolours a column."""
    shown, _, lv = frames
    titles = {legend.title: legend.units for legend in lv.live.legends()}
    assert titles == {"Air quality: no2": "ug/m3", "Noise: laeq": "dB(A)"}
    assert "air, noise" in lv.live.caption(lv.live.wall())
    lv.live.layers["air"].set_overrides("rules", ["aq-000"], np.array([[255, 0, 255, 255]], np.uint8), ["NO2 high"])
    image = lv.render().astype(float)
    table = lv.live.state["air_quality"]
    no2 = float(table.column("no2")[table.index["aq-000"]])
    px, py = lv.project((HOT[0], HOT[1], 10.0 + min(no2 / 80.0, 1.0) * 80.0))
    r, g, b = image[int(py), int(px)]
    assert r > 150 and b > 150 and g < 60
    info = lv.live.pick_at(px, py)
    assert info is not None and info.lines[0] == "alert: NO2 high"
    lv.live.layers["air"].set_overrides("rules", [])


def test_the_demo_recording_is_what_the_demo_source_writes(tmp_path: Path):
    """scenes/demo-sensors.feed.jsonl.gz is reproduced byte for byte from the demo scene (rule 4 of the source)."""
    from viewer.app.tiles_scene import load_scene
    from viewer.config import load_scene as load_config

    root = Path(__file__).resolve().parents[1] / "scenes"
    scene = load_scene(load_config(root / "demo.toml"))
    again = write_recording(SensorsDemo.from_scene(scene), tmp_path / "again.feed.jsonl.gz", steps=90)
    assert again.read_bytes() == (root / "demo-sensors.feed.jsonl.gz").read_bytes()
