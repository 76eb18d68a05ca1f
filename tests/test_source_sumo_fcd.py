"""Replay of SUMO FCD and edgeData: counts per step equal the recording's, positions georeferenced."""

from __future__ import annotations

import csv
import gzip
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyproj import Transformer

from viewer.errors import LoadError
from viewer.sources.base import Source
from viewer.sources.sumo_fcd import FcdSource, read_vtypes, vehicle_type


class Counter:
    """A minimal twin state: the set of vehicle ids after applying snapshots, upserts and removals."""

    def __init__(self) -> None:
        self.ids: set[str] = set()

    def apply(self, update) -> int:
        if update.snapshot:
            self.ids.clear()
        if "vehicle" in update.upserts:
            self.ids.update(update.upserts["vehicle"].ids.tolist())
        self.ids.difference_update(update.removals.get("vehicle", np.zeros(0)).tolist())
        return len(self.ids)


def _counts(source, steps=None):
    state = Counter()
    update = source.start()
    out = {update.time: state.apply(update)}
    while steps is None or len(out) < steps:
        update = source.step()
        if update is None:
            break
        out[update.time] = state.apply(update)
    return out


def test_monaco_counts_per_step_equal_the_recording(shared_data):
    """Every one of the 600 steps of the MoST quick test holds exactly the vehicles SUMO counted."""
    folder = shared_data / "sumo_most_monaco"
    source = FcdSource(folder / "recorded_outputs" / "most.fcd.netxy.quicktest.18000-18600.xml.gz",
                       net=folder / "in" / "most.net.xml")
    assert isinstance(source, Source) and source.kinds == ("vehicle",)
    assert source.period == 1.0 and source.crs.startswith("+proj=utm +zone=32")
    counts = _counts(source)
    with (folder / "recorded_outputs" / "most.vehicles_per_step.quicktest.18000-18600.csv").open() as fh:
        expected = {float(r["time"]): int(r["vehicles"]) for r in csv.DictReader(fh)}
    assert counts == expected
    assert source.step() is None


def test_berlin_counts_match_the_stats(shared_data):
    """The A10KW recording's counts at t = 0 and 100 s are those of its stats file."""
    folder = shared_data / "sumo_a10kw_berlin_pypi"
    stats = json.loads((folder / "recorded_outputs" / "a10kw.fcd.0-600.stats.json").read_text())
    source = FcdSource(folder / "recorded_outputs" / "a10kw.fcd.netxy.0-600.xml.gz", net=folder / "osm.net.xml",
                       epoch=1_700_000_000.0)
    counts = _counts(source, steps=101)
    source.close()
    assert counts[1_700_000_000.0] == stats["count_at"]["0.0"]
    assert counts[1_700_000_100.0] == stats["count_at"]["100.0"]


def test_positions_match_sumos_lonlat(shared_data):
    """Net x,y minus netOffset in the projParameter CRS land within 10 cm of SUMO's own --fcd-output.geo."""
    rec = shared_data / "sumo_most_monaco" / "recorded_outputs"
    xy = FcdSource(rec / "most.fcd.netxy.0800-0810.xml.gz", net=shared_data / "sumo_most_monaco" / "in" / "most.net.xml")
    geo = FcdSource(rec / "most.fcd.lonlat.0800-0810.xml.gz")
    assert geo.crs == "EPSG:4326" and geo.offset.tolist() == [0.0, 0.0]
    a, b = xy.start().upserts["vehicle"], geo.start().upserts["vehicle"]
    ia, ib = np.argsort(a.ids.astype(str)), np.argsort(b.ids.astype(str))
    assert np.array_equal(a.ids[ia], b.ids[ib]) and len(a.ids) == 212
    there = Transformer.from_crs("EPSG:4326", xy.crs, always_xy=True)
    x, y = there.transform(b.x[ib], b.y[ib])
    assert np.hypot(x - a.x[ia], y - a.y[ia]).max() < 0.1
    assert np.all(np.isfinite(a.z)) and a.z.max() > 100  # Monaco's hills
    assert np.array_equal(a.heading[ia], b.heading[ib])


def test_edgedata_becomes_road_updates(shared_data):
    """edgeData intervals arrive as roads at their end, occupancy as a fraction, free flow from the net."""
    folder = shared_data / "sumo_most_monaco"
    rec = folder / "recorded_outputs"
    source = FcdSource(rec / "most.fcd.netxy.0800-0810.xml.gz", net=folder / "in" / "most.net.xml",
                       edgedata=rec / "most.edgedata.60s.0800-0810.xml.gz")
    snapshot = source.start()
    assert len(snapshot.upserts["road"].ids) == 0  # no interval has ended at 28800
    road_times = []
    for _ in range(121):
        update = source.step()
        if "road" in update.upserts:
            road_times.append(update.time)
            roads = update.upserts["road"]
    assert road_times == [28860.0, 28920.0]
    assert 587 <= len(roads.ids) <= 632
    assert np.nanmax(roads.occupancy) <= 1 and np.nanmax(roads.occupancy) > 0.05
    assert np.mean(np.isfinite(roads.free_flow_speed)) > 0.99
    assert np.nanmedian(roads.speed / roads.free_flow_speed) < 1.2
    first = FcdSource(None, edgedata=rec / "most.edgedata.60s.0800-0810.xml.gz")
    assert first.kinds == ("road",)
    assert first.start().time == 28860.0 and first.step().time == 28920.0


def test_vehicle_types():
    """SUMO vClasses and vType ids map to the feed's vehicle types."""
    assert vehicle_type("x", {"x": "bus"}) == "bus"
    assert vehicle_type("x", {"x": "ship"}) == "other"
    assert [vehicle_type(t) for t in ("veh_passenger", "truck_mw_truck", "hw_motorcycle", "coach", "bicycle",
                                      "DEFAULT_VEHTYPE", "hw_trailer")] == \
        ["car", "truck", "motorcycle", "bus", "bike", "car", "truck"]


def test_read_vtypes(shared_data):
    """vType ids and vClasses come from additional files."""
    vtypes = read_vtypes([shared_data / "sumo_most_monaco" / "in" / "add" / "basic.vType.xml"])
    assert vtypes and set(vtypes.values()) <= {"passenger", "bus", "truck", "trailer", "delivery", "motorcycle",
                                               "bicycle", "pedestrian", "coach", "emergency", "authority", "taxi",
                                               "evehicle", "army", "rail", "rail_urban", "tram", "moped", "private",
                                               "vip", "hov", "custom1", "custom2", "rail_electric", "rail_fast"}


def _fcd(tmp_path, body, name="f.xml"):
    path = tmp_path / name
    data = f'<fcd-export>{body}</fcd-export>'.encode()
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return path


def test_removals_and_unchanged_vehicles(tmp_path):
    """A vehicle that leaves is removed; one that stands still is not re-sent."""
    path = _fcd(tmp_path, '<timestep time="0"><vehicle id="a" x="1" y="2" angle="90" type="bus" speed="3"/>'
                          '<vehicle id="b" x="5" y="5" angle="0" speed="0"/></timestep>'
                          '<timestep time="0.5"><vehicle id="b" x="5" y="5" angle="0" speed="0"/></timestep>'
                          '<timestep time="1"><vehicle id="b" x="6" y="5" angle="0" speed="2"/></timestep>',
                name="f.xml.gz")
    source = FcdSource(path, crs="EPSG:32632")
    snap = source.start()
    assert snap.snapshot and snap.upserts["vehicle"].vtype.tolist() == ["bus", "car"]
    assert np.isnan(snap.upserts["vehicle"].z).all() and source.period == 0.5 and source.crs == "EPSG:32632"
    second = source.step()
    assert second.removals["vehicle"].tolist() == ["a"] and len(second.upserts["vehicle"].ids) == 0
    third = source.step()
    assert third.upserts["vehicle"].ids.tolist() == ["b"] and third.upserts["vehicle"].x.tolist() == [6.0]
    assert source.step() is None


_BAD = {
    "root": "<routes/>",
    "time": '<fcd-export><timestep time="x"/></fcd-export>',
    "backwards": '<fcd-export><timestep time="2"/><timestep time="1"/></fcd-export>',
    "no x": '<fcd-export><timestep time="0"><vehicle id="a" y="1"/></timestep></fcd-export>',
    "nan": '<fcd-export><timestep time="0"><vehicle id="a" x="nan" y="1"/></timestep></fcd-export>',
    "word": '<fcd-export><timestep time="0"><vehicle id="a" x="1" y="one"/></timestep></fcd-export>',
    "no id": '<fcd-export><timestep time="0"><vehicle x="1" y="1"/></timestep></fcd-export>',
    "truncated": '<fcd-export><timestep time="0"><vehicle id="a" x="1" y="1"/>',
    "doctype": '<!DOCTYPE x [<!ENTITY a "b">]><fcd-export/>',
    "empty": "<fcd-export/>",
}


@pytest.mark.parametrize("name", sorted(_BAD))
def test_malformed_fcd_raises_load_error(tmp_path, name):
    """Malformed FCD files raise LoadError naming the file, when made or while replayed."""
    path = tmp_path / "bad.xml"
    path.write_text(_BAD[name])
    with pytest.raises(LoadError) as info:
        _counts(FcdSource(path))
    assert str(path) in str(info.value)


def test_too_many_vehicles_in_a_timestep(tmp_path):
    """A timestep with more vehicles than max_objects is refused."""
    from viewer.config import Limits

    vehicles = "".join(f'<vehicle id="v{i}" x="1" y="1"/>' for i in range(20))
    path = _fcd(tmp_path, f'<timestep time="0">{vehicles}</timestep>')
    with pytest.raises(LoadError, match="vehicles in one timestep"):
        FcdSource(path, limits=Limits(max_objects=10))


def test_malformed_edgedata(tmp_path):
    """An edgeData edge without id or with a non-numeric value raises LoadError."""
    for body in ('<interval begin="0" end="60"><edge speed="3"/></interval>',
                 '<interval begin="0" end="60"><edge id="e" speed="fast"/></interval>',
                 '<interval begin="0" end="inf"><edge id="e" speed="1"/></interval>'):
        path = tmp_path / "e.xml"
        path.write_text(f"<meandata>{body}</meandata>")
        with pytest.raises(LoadError):
            FcdSource(None, edgedata=path).start()


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet='<>/="fcdexportimesvhilxyang0123456789.,-_ ', max_size=300))
def test_generated_garbage_never_crashes(tmp_path, text):
    """Arbitrary text as an FCD file replays or raises LoadError, nothing else."""
    path = tmp_path / "g.xml"
    path.write_text(text)
    try:
        _counts(FcdSource(path), steps=50)
    except LoadError:
        pass
