"""Roads and buildings of the feed on scene objects: parts follow their building, no data stays neutral, values
and units per attribute, the readings history, the picking panel's text, and the Cambridge meters on Den Haag."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from viewer.city.model import ObjectTable
from viewer.city.scene import load_scene_models
from viewer.config import LayerConfig, SceneConfig
from viewer.layers.entities import EntityLayer, EntityObjects, ReadingHistory, floor_areas
from viewer.layers.picking import age_text, describe_object, describe_vehicle
from viewer.layers.ramps import rgba8
from viewer.layers.styles import LayerStyle
from viewer.twin.batch import TwinUpdate, make_batch
from viewer.twin.state import TwinState

NOON_JUNE_12 = datetime(2019, 6, 12, 12, tzinfo=UTC).timestamp()


def table() -> ObjectTable:
    """b1 with parts p1a, p1b (p1b's part p1b1 nested), b2 alone, road r1 with a lane child, a tree."""
    ids = ["b1", "p1a", "p1b", "p1b1", "b2", "r1", "r1-lane", "tree"]
    types = ["Building", "BuildingPart", "BuildingPart", "BuildingInstallation", "Building", "Road", "Lane",
             "SolitaryVegetationObject"]
    parents = np.array([-1, 0, 0, 2, -1, -1, 5, -1], np.int32)
    attributes = [{"floor_area": 1000.0, "function": "office"}, {}, {}, {}, {"height": 12}, {"name": "Main St"}, {}, {}]
    return ObjectTable(ids, types, parents, attributes, footprint_area=np.full(8, np.nan, np.float32),
                       height=np.full(8, np.nan, np.float32))


def test_parts_belong_to_their_building():
    """Every descendant of a Building is drawn in its building's colour, however deep; others are not members."""
    groups = EntityObjects(table(), ("Building",))
    assert groups.ids.tolist() == ["b1", "b2"]
    assert dict(zip(groups.members.tolist(), groups.member_root.tolist(), strict=True)) == \
        {0: 0, 1: 0, 2: 0, 3: 0, 4: 1}
    assert groups.ranks(["b2", "nope", "b1"]).tolist() == [1, -1, 0]


def test_a_cycle_in_parents_cannot_hang():
    """A lying object table whose parents form a cycle ends with those objects not members, promptly."""
    objects = ObjectTable(["a", "b", "c"], ["BuildingPart", "BuildingPart", "Building"],
                          np.array([1, 0, 7], np.int32), [{}, {}, {}])
    groups = EntityObjects(objects, ("Building",))
    assert groups.members.tolist() == [2]


def state_with(**kinds) -> TwinState:
    state = TwinState()
    state.apply(TwinUpdate(100.0, {k: make_batch(k, **cols) for k, cols in kinds.items()}, snapshot=True), now=50.0)
    return state


def test_building_texels_scatter_to_parts_and_mark_no_data():
    """A reading colours its building and all its parts; a building without one gets the no-data colour;
    readings for ids the scene lacks are counted as unmatched."""
    config = LayerConfig(range=(0.0, 100.0))
    layer = EntityLayer("building", table(), LayerStyle("buildings", config))
    state = state_with(building={"ids": ["b1", "ghost"], "power": [100.0, 5.0]})
    members, rgba, _ = layer.texels(state["building"])
    colour = dict(zip(members.tolist(), map(tuple, rgba.tolist()), strict=True))
    top = (253, 231, 37, 255)
    assert colour[0] == colour[1] == colour[2] == colour[3] == top
    assert colour[4] == tuple(rgba8(config.no_data)[0].tolist())
    assert layer.unmatched == 1


def test_hidden_layer_gives_transparent_texels():
    """A hidden layer writes alpha 0: the city shader then shows the objects' own style colours."""
    style = LayerStyle("buildings", LayerConfig(visible=False))
    layer = EntityLayer("building", table(), style)
    _, rgba, _ = layer.texels(state_with(building={"ids": ["b1"], "power": [1.0]})["building"])
    assert (rgba[:, 3] == 0).all()


def test_intensity_uses_floor_area():
    """Intensity is power over floor area in W/m2; a building without a known floor area has no intensity."""
    objects = table()
    assert floor_areas(objects, np.array([0, 4])).tolist()[0] == 1000.0
    layer = EntityLayer("building", objects, LayerStyle("buildings", LayerConfig(attribute="intensity")))
    values = layer.values(state_with(building={"ids": ["b1", "b2"], "power": [20.0, 20.0]})["building"])
    assert values[0] == pytest.approx(20.0) and np.isnan(values[1])


def test_road_relative_speed_needs_a_positive_free_flow():
    """speed / free-flow speed is unknown (no data) when free flow is missing or zero, never infinite."""
    layer = EntityLayer("road", table(), LayerStyle("roads", LayerConfig()))
    state = state_with(road={"ids": ["r1"], "speed": [5.0], "free_flow_speed": [0.0]})
    assert np.isnan(layer.values(state["road"])).all()
    state = state_with(road={"ids": ["r1"], "speed": [5.0], "free_flow_speed": [20.0]})
    assert layer.values(state["road"]).tolist() == [0.25]
    members, rgba, _ = layer.texels(state["road"])
    assert members.tolist() == [5, 6] and (rgba[0] == rgba[1]).all()


def test_history_keeps_the_latest_readings_in_order():
    """The history ring keeps `depth` readings per building, oldest first, and skips a repeated time."""
    history = ReadingHistory(2, depth=4)
    for t in range(6):
        history.record(np.array([0, -1]), np.array([float(t), 0.0]), np.array([10.0 * t, 0.0]))
    history.record(np.array([0]), np.array([5.0]), np.array([999.0]))
    times, values = history.series(0)
    assert times.tolist() == [2.0, 3.0, 4.0, 5.0] and values.tolist() == [20.0, 30.0, 40.0, 50.0]
    assert history.series(1)[0].size == 0


def test_picking_a_part_describes_its_building():
    """The panel for a picked BuildingPart shows the Building: id, type, power with units, age, attributes."""
    objects = table()
    layers = {"building": EntityLayer("building", objects, LayerStyle("buildings", LayerConfig())),
              "road": EntityLayer("road", objects, LayerStyle("roads", LayerConfig()))}
    state = state_with(building={"ids": ["b1"], "power": [42.0], "energy": [42.0], "timestamp": [40.0]},
                       road={"ids": ["r1"], "speed": [5.0], "free_flow_speed": [20.0], "occupancy": [0.3]})
    info = describe_object(objects, 3, layers, state, feed_now=100.0, wall_now=52.5)
    assert (info.kind, info.id, info.type) == ("building", "b1", "Building")
    assert "power: 42 kW" in info.lines and "intensity: 42 W/m2 (1000 m2 floor)" in info.lines
    assert "reading: 1970-01-01 00:00:40 UTC, 1 min old" in info.lines
    assert "received 2.5 s ago" in info.lines and "function: office" in info.lines
    road = describe_object(objects, 6, layers, state, 100.0, 52.5)
    assert road.id == "r1" and "speed / free flow: 25 %" in road.lines
    tree = describe_object(objects, 7, layers, state, 100.0, 52.5)
    assert tree.kind == "object" and tree.lines == ()
    assert describe_object(objects, 4, layers, state, 100.0, 52.5).lines[0] == "no data from the feed"


def test_vehicle_panel():
    """A picked vehicle shows its type, speed in km/h, heading and data age."""
    state = state_with(vehicle={"ids": ["car-7"], "x": [1.0], "y": [2.0], "z": [0.0], "heading": [90.0],
                                "speed": [10.0], "vtype": ["bus"]})
    info = describe_vehicle(state["vehicle"], 0, 100.5, 51.0)
    assert (info.id, info.type) == ("car-7", "bus") and info.lines[0] == "speed: 36 km/h"
    assert "data: 0.5 s old" in info.lines


def test_age_text():
    """Ages read naturally at every scale and unknown ones say so."""
    assert [age_text(s) for s in (0.25, 42, 300, 7200, 3 * 86400, float("nan"))] == \
        ["0.2 s", "42 s", "5 min", "2 h", "3 d", "?"]


def test_cambridge_meters_colour_den_haag(shared_data):
    """The 101 Cambridge meters on Den Haag's 101 largest buildings (by footprint): at 2019-06-12 12:00 the layer
    holds 101 readings summing to the CSV row (12,687.1 kWh in that hour) and every other building is no data."""
    from viewer.sources.energy_csv import EnergyCsvSource, MeterTable, largest_buildings_mapping

    scene = load_scene_models(SceneConfig.for_file(shared_data / "cityjson_denhaag" / "DenHaag_01.city.json"))
    objects = scene.model.objects
    table_ = MeterTable(shared_data / "energy_cambridge_estates" / "derived" / "electricity_2019_wide.csv")
    layer = EntityLayer("building", objects, LayerStyle("buildings", LayerConfig()))
    areas = objects.footprint_area[layer.objects.roots]
    mapping = largest_buildings_mapping(table_.meters, layer.objects.ids, areas)
    state = TwinState()
    state.apply(EnergyCsvSource(table_, mapping, start=NOON_JUNE_12).start(), now=0.0)
    values = layer.values(state["building"])
    assert len(layer.objects) == 844 and np.isfinite(values).sum() == 101
    assert np.nansum(values) == pytest.approx(12_687.1, abs=0.05)
    members, rgba, _ = layer.texels(state["building"])
    assert members.size > 844  # the BuildingParts carry the geometry and their buildings' colours
    no_data = rgba8(LayerConfig().no_data)[0]
    coloured = ~(rgba == no_data).all(axis=1)
    assert set(layer.objects.member_root[coloured].tolist()) == set(np.flatnonzero(np.isfinite(values)).tolist())
