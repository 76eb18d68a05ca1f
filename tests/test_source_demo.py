"""The demo source: vehicles on the road graph, congestion from density, building energy from load profiles."""

from __future__ import annotations

import time

import numpy as np
import pytest

from viewer.city import procedural
from viewer.city.demo import demo_scene
from viewer.city.scene import load_scene_models
from viewer.config import SceneConfig, SourceConfig
from viewer.errors import LoadError
from viewer.sources import roadgraph
from viewer.sources.base import Source
from viewer.sources.demo import PROFILES, USES, DemoSource, building_table
from viewer.twin.batch import VEHICLE_TYPES

MONDAY_NOON_UTC = 1_718_618_400.0  # 2024-06-17 10:00 UTC = 11:00 in Rotterdam (UTC+1 here)


@pytest.fixture(scope="module")
def city_graph():
    return roadgraph.from_street_graph(procedural.street_graph(42, 3000))


def _run(source, steps):
    updates = [source.start()]
    updates += [source.step() for _ in range(steps)]
    return updates


def test_is_a_source(city_graph):
    """DemoSource implements the Source protocol with 10 Hz steps in the city's CRS."""
    source = DemoSource(city_graph, vehicles=10)
    assert isinstance(source, Source)
    assert source.period == pytest.approx(0.1) and source.crs == "EPSG:7415"
    assert set(source.kinds) == {"vehicle", "road", "building"}


def test_same_seed_same_stream(city_graph):
    """Two sources with one seed produce identical updates; another seed differs."""
    a, b, c = (DemoSource(city_graph, seed=s, vehicles=300, start_time=MONDAY_NOON_UTC) for s in (5, 5, 6))
    for ua, ub, uc in zip(_run(a, 30), _run(b, 30), _run(c, 30), strict=True):
        assert ua.time == ub.time == uc.time
        va, vb = ua.upserts["vehicle"], ub.upserts["vehicle"]
        assert np.array_equal(va.ids, vb.ids) and np.array_equal(va.x, vb.x) and np.array_equal(va.speed, vb.speed)
    assert not np.array_equal(ua.upserts["vehicle"].x, uc.upserts["vehicle"].x)


def test_vehicles_drive_plausibly(city_graph):
    """Vehicles stay on their lanes, under their limits, head where they move, with the usual type mix."""
    source = DemoSource(city_graph, seed=2, vehicles=2000)
    first = source.start().upserts["vehicle"]
    assert set(first.vtype) <= set(VEHICLE_TYPES) and (first.vtype == "car").mean() > 0.7
    for _ in range(20):
        update = source.step()
    v = update.upserts["vehicle"]
    assert np.all(v.speed >= 0) and np.all(v.speed <= 50 / 3.6 * 1.2 + 0.01)
    assert update.time == pytest.approx(2.0)
    # A car that moved along one lane: its displacement points along its heading.
    before = dict(zip(first.ids, zip(first.x, first.y, strict=True), strict=True))
    prev = source.fleet.edge.copy()
    nxt = source.step().upserts["vehicle"]
    same_lane = prev[np.searchsorted(source.ids, nxt.ids)] == source.fleet.edge[np.searchsorted(source.ids, nxt.ids)]
    moving = (nxt.speed > 3) & same_lane & (nxt.vtype != "bike")
    dx = nxt.x[moving] - np.array([before[i][0] for i in nxt.ids[moving]])
    assert moving.sum() > 100 and dx.size
    now = dict(zip(v.ids, zip(v.x, v.y, v.heading, strict=True), strict=True))
    step_dx = np.array([x - now[i][0] for i, x in zip(nxt.ids[moving], nxt.x[moving], strict=True)])
    step_dy = np.array([y - now[i][1] for i, y in zip(nxt.ids[moving], nxt.y[moving], strict=True)])
    moved_heading = np.degrees(np.arctan2(step_dx, step_dy)) % 360
    diff = np.abs((moved_heading - nxt.heading[moving] + 180) % 360 - 180)
    assert np.median(diff) < 1.0


def test_congestion_follows_density(city_graph):
    """More vehicles on the same streets: lower speeds and higher occupancy after half a minute."""
    results = []
    small = roadgraph.from_street_graph(procedural.street_graph(42, 300))
    for n in (30, 1500):
        source = DemoSource(small, seed=3, vehicles=n)
        source.start()
        for _ in range(300):
            update = source.step()
        roads = update.upserts["road"] if "road" in update.upserts else source._roads(True)
        results.append((float(np.mean(source.fleet.v)), float(roads.occupancy.max())))
    (v_light, occ_light), (v_dense, occ_dense) = results
    assert v_dense < 0.75 * v_light
    assert occ_dense > 2 * occ_light


def test_road_updates_once_a_second_with_only_changes(city_graph):
    """Roads come every 10th step; a delta lists only roads whose values changed; metrics are in range."""
    source = DemoSource(city_graph, seed=4, vehicles=200)
    snapshot = source.start().upserts["road"]
    assert len(snapshot.ids) == len(city_graph.road_ids)
    assert np.all((snapshot.occupancy >= 0) & (snapshot.occupancy <= 1)) and np.all(snapshot.flow >= 0)
    assert np.all(snapshot.speed <= snapshot.free_flow_speed * 1.2 + 1e-3)
    kinds = [set(source.step().upserts) for _ in range(20)]
    assert [("road" in k) for k in kinds] == [(i + 1) % 10 == 0 for i in range(20)]
    roads = source.step() and source._roads(False)
    assert 0 < len(roads.ids) < len(snapshot.ids)  # empty streets did not change


def test_building_energy_follows_profiles(city_graph):
    """Power scales with floor area and follows the use's daily profile; energy is kWh of the interval."""
    ids, area, use = ["a", "b", "c"], [1000.0, 2000.0, 1000.0], ["office", "office", "residential"]
    at = {}
    for hour in (3, 11, 19):
        source = DemoSource(city_graph, vehicles=1, building_ids=ids, floor_area=area, use=use,
                            start_time=MONDAY_NOON_UTC + (hour - 11) * 3600.0)
        at[hour] = source.start().upserts["building"]
    noon = at[11]
    assert noon.power[1] == pytest.approx(2 * noon.power[0], rel=0.3)  # same use, double the area
    assert at[11].power[0] > 3 * at[3].power[0]  # offices by day
    assert at[19].power[2] > 1.5 * at[3].power[2]  # homes in the evening
    assert np.all(noon.timestamp == MONDAY_NOON_UTC) and np.all(noon.energy == 0)
    source = DemoSource(city_graph, vehicles=1, building_ids=ids, floor_area=area, use=use, building_period=5.0)
    source.start()
    updates = [source.step() for _ in range(50)]
    assert [("building" in u.upserts) for u in updates].count(True) == 1
    b = updates[-1].upserts["building"]
    assert np.allclose(b.energy, b.power * 5.0 / 3600.0) and np.all(b.timestamp == updates[-1].time)
    assert PROFILES.shape == (len(USES), 24) and np.allclose(PROFILES.mean(axis=1), 1.0)


def test_from_demo_scene():
    """from_scene takes building ids, floor areas and uses from the city's object table and roads from its graph."""
    scene = demo_scene(seed=7, buildings=400)
    source = DemoSource.from_scene(scene, seed=1, vehicles=100, start_time=MONDAY_NOON_UTC)
    model = procedural.load(None, SourceConfig(format="procedural", seed=7, size=400), scene.limits)
    buildings = [(i, a) for i, t, a in zip(model.objects.ids, model.objects.types, model.objects.attributes,
                                           strict=True) if t == "Building"]
    snap = source.start()
    b = snap.upserts["building"]
    assert b.ids.tolist() == [i for i, _ in buildings]
    assert source.buildings.area.tolist() == [a["floor_area"] for _, a in buildings]
    roads = {i for i, t in zip(model.objects.ids, model.objects.types, strict=True) if t == "Road"}
    assert set(snap.upserts["road"].ids) == roads
    loaded = DemoSource.from_scene(load_scene_models(scene), seed=1, vehicles=100, start_time=MONDAY_NOON_UTC)
    assert np.array_equal(loaded.start().upserts["vehicle"].x, snap.upserts["vehicle"].x)


def test_runs_on_the_berlin_net(shared_data):
    """The demo drives the A10KW lanes (a SUMO scene) in the net's CRS, without bikes, and buildings from polys."""
    folder = shared_data / "sumo_a10kw_berlin_pypi"
    scene = SceneConfig(path=None, name="a10", crs=None, origin=None, origin_lonlat=None,
                        sources=(SourceConfig(path=folder / "osm.net.xml"), SourceConfig(path=folder / "osm.poly.xml")))
    source = DemoSource.from_scene(scene, seed=1, vehicles=500)
    assert source.crs.startswith("+proj=utm +zone=33")
    updates = _run(source, 100)
    v = updates[-1].upserts["vehicle"]
    assert "bike" not in set(v.vtype) and len(v.ids) > 400
    lo, hi = source.graph.points[:, :2].min(axis=0), source.graph.points[:, :2].max(axis=0)
    assert np.all((v.x >= lo[0] - 2) & (v.x <= hi[0] + 2) & (v.y >= lo[1] - 2) & (v.y <= hi[1] + 2))
    assert np.mean(v.speed) > 10  # a motorway
    assert len(updates[0].upserts["building"].ids) > 0


def test_building_table_fallbacks():
    """Buildings without floor_area or use get an estimate and a use guessed from their attributes."""
    from viewer.city.model import ObjectTable

    table = ObjectTable(["a", "b", "r"], ["Building", "Building", "Road"], np.full(3, -1, np.int32),
                        [{"floor_area": 250.0, "use": "retail"}, {"type": "building.industrial"}, {}])
    ids, area, use = building_table(table)
    assert ids.tolist() == ["a", "b"] and area.tolist() == [250.0, 100.0] and use == ["retail", "industrial"]


def test_ten_thousand_vehicles_step_fast(city_graph):
    """A 10 Hz step of 10k vehicles, batch included, takes a few milliseconds (generous bound for CI)."""
    source = DemoSource(city_graph, seed=1, vehicles=10_000)
    source.start()
    for _ in range(5):
        source.step()
    begin = time.perf_counter()
    for _ in range(50):
        source.step()
    assert (time.perf_counter() - begin) / 50 < 0.05


def test_scene_without_roads(shared_data):
    """A scene with buildings but no road network is refused with a LoadError that says so."""
    scene = SceneConfig.for_file(shared_data / "cityjson_denhaag" / "DH_01_subs.city.json")
    with pytest.raises(LoadError, match="no road network"):
        DemoSource.from_scene(scene, vehicles=10)
