"""RoadGraph: the procedural city's streets and SUMO nets' lanes as a directed lane graph."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.city import procedural
from viewer.city.sumo import load as load_sumo
from viewer.config import Limits, SourceConfig
from viewer.errors import LoadError
from viewer.sources import roadgraph


def _object_boxes(model):
    """(n, 2) min and max xy of every object's vertices."""
    n = len(model.objects)
    lo, hi = np.full((n, 2), np.inf), np.full((n, 2), -np.inf)
    np.minimum.at(lo, model.vertex_object, model.positions[:, :2])
    np.maximum.at(hi, model.vertex_object, model.positions[:, :2])
    return lo, hi


@pytest.mark.parametrize("seed,size", [(42, 3000), (1, 100), (3, 5)])
def test_street_graph_matches_the_city_roads(seed, size):
    """Every Road object of the procedural city is on the graph, and edges and junction nodes lie on their Road."""
    model = procedural.load(None, SourceConfig(format="procedural", seed=seed, size=size), Limits())
    graph = procedural.street_graph(seed, size)
    index = {k: i for i, k in enumerate(model.objects.ids)}
    roads = {k for k, t in zip(model.objects.ids, model.objects.types, strict=True) if t == "Road"}
    assert set(graph.edge_road) | (set(graph.node_road) - {""}) == roads
    lo, hi = _object_boxes(model)
    at = np.array([index[r] for r in graph.edge_road])
    mid = graph.nodes[graph.edges].mean(axis=1)
    inside = ((mid >= lo[at] - 1e-6) & (mid <= hi[at] + 1e-6)).all(axis=1)
    assert (~inside).sum() <= 2  # only the diagonal's two links to the grid cross a block
    named = graph.node_road != ""
    at = np.array([index[r] for r in graph.node_road[named]])
    assert ((graph.nodes[named] >= lo[at] - 1e-6) & (graph.nodes[named] <= hi[at] + 1e-6)).all()
    widths = np.array([model.objects.attributes[index[r]]["width"] for r in graph.edge_road])
    assert np.allclose(widths, graph.width)


def test_street_graph_lanes_connect_everywhere():
    """The lane graph of the demo city has no dead end, and successors start where their predecessor ends."""
    graph = roadgraph.from_street_graph(procedural.street_graph(42, 3000))
    assert graph.crs == "EPSG:7415"
    assert (graph.successor_count() > 0).all()
    src = np.repeat(np.arange(graph.edge_count), graph.successor_count())
    end, _ = graph.locate(src, graph.length[src])
    start, _ = graph.locate(graph.succ, np.zeros(graph.succ.size))
    assert np.hypot(*(end - start)[:, :2].T).max() < 30.0  # at most across a junction
    assert np.all((graph.speed > 8) & (graph.speed < 14))  # 30 and 50 km/h


def test_locate_interpolates_polylines():
    """locate() walks along the polyline and reports the heading clockwise from north of its segment."""
    points = np.array([[0, 0, 0], [0, 10, 0], [10, 10, 0], [10, 10, 0], [20, 10, 0]], float)
    graph = roadgraph.RoadGraph.build(None, np.array(["a", "b"], dtype=object), np.array([10.0, 10.0]),
                                      np.array([1, 1]), points, np.array([3, 2]), np.array([0]), np.array([1]))
    assert np.allclose(graph.length, [20.0, 10.0])
    xyz, heading = graph.locate(np.array([0, 0, 0, 1, 1]), np.array([5.0, 15.0, 99.0, 0.0, 4.0]))
    assert np.allclose(xyz[:, :2], [[0, 5], [5, 10], [10, 10], [10, 10], [14, 10]])
    assert np.allclose(heading, [0, 90, 90, 90, 90])
    assert graph.succ.tolist() == [1] and graph.successor_count().tolist() == [1, 0]


def test_berlin_lanes(shared_data):
    """The A10KW net gives its passenger lanes, in UTM 33N, with edge ids that are the SUMO loader's Roads."""
    net = shared_data / "sumo_a10kw_berlin_pypi" / "osm.net.xml"
    graph = roadgraph.from_sumo_net(net)
    assert graph.crs.startswith("+proj=utm +zone=33")
    assert 100 < graph.edge_count <= 602  # 602 lanes in all; delivery/bicycle/pedestrian-only ones are dropped
    model = load_sumo(net, SourceConfig(path=net), Limits())
    assert set(graph.road_ids) <= {k for k, t in zip(model.objects.ids, model.objects.types, strict=True)
                                   if t == "Road"}
    lo, hi = np.array(model.bbox()[0][:2]), np.array(model.bbox()[1][:2])
    assert ((graph.points[:, :2] >= lo - 1) & (graph.points[:, :2] <= hi + 1)).all()
    assert (graph.successor_count() > 0).mean() > 0.9  # dead ends only at the network's border


def test_read_location(shared_data):
    """read_location gives netOffset and projParameter of a net without reading its edges."""
    location = roadgraph.read_location(shared_data / "sumo_most_monaco" / "in" / "most.net.xml")
    assert np.allclose(location.offset, [-368141.85, -4841896.61])
    assert location.proj.startswith("+proj=utm +zone=32")


_LANE = '<lane id="e_0" index="0" speed="13.9" length="10" shape="{shape}"/>'
_HOSTILE = {
    "doctype": '<?xml version="1.0"?><!DOCTYPE net [<!ENTITY a "b">]><net></net>',
    "not a net": "<routes/>",
    "truncated": '<net><edge id="e"><lane id="e_0" index="0" shape="0,0 1,1"/>',
    "bad shape": "<net><edge id=\"e\">" + _LANE.format(shape="0,0 x,1") + "</edge></net>",
    "nan shape": "<net><edge id=\"e\">" + _LANE.format(shape="0,0 nan,1") + "</edge></net>",
    "one point": "<net><edge id=\"e\">" + _LANE.format(shape="0,0") + "</edge></net>",
    "no shape": '<net><edge id="e"><lane id="e_0" index="0" speed="1"/></edge></net>',
    "bad speed": '<net><edge id="e"><lane id="e_0" index="0" speed="fast" shape="0,0 1,1"/></edge></net>',
    "no id": '<net><edge><lane id="e_0" index="0" shape="0,0 1,1"/></edge></net>',
    "no lanes": '<net><location netOffset="0,0" projParameter="!"/></net>',
    "bad offset": '<net><location netOffset="1;2"/><edge id="e">' + _LANE.format(shape="0,0 1,1") + "</edge></net>",
}


@pytest.mark.parametrize("name", sorted(_HOSTILE))
def test_hostile_nets_raise_load_error(tmp_path, name):
    """Malformed, lying or dangerous nets give a LoadError naming the file."""
    path = tmp_path / "bad.net.xml"
    path.write_text(_HOSTILE[name])
    with pytest.raises(LoadError) as info:
        roadgraph.from_sumo_net(path)
    assert str(path) in str(info.value)


def test_oversized_net_is_refused(tmp_path):
    """A net above the file-size limit is refused before it is read."""
    path = tmp_path / "big.net.xml"
    path.write_text("<net>" + " " * 2000 + "</net>")
    with pytest.raises(LoadError, match="file size"):
        roadgraph.from_sumo_net(path, Limits(max_file_bytes=1000))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet='<>/="ne tlaidxspho0123456789.,-_ ', max_size=300))
def test_generated_garbage_never_crashes(tmp_path, text):
    """Arbitrary text as a net either loads or raises LoadError, nothing else."""
    path = tmp_path / "g.net.xml"
    path.write_text(text)
    try:
        roadgraph.from_sumo_net(path)
    except LoadError:
        pass


def test_hand_made_net_with_connections(tmp_path):
    """Lanes, permissions and connections of a small net become edges and successors; lone lanes borrow."""
    path = tmp_path / "small.net.xml"
    path.write_text(
        '<net><location netOffset="100,200" projParameter="!"/>'
        '<edge id="a"><lane id="a_0" index="0" speed="10" shape="100,200 200,200"/>'
        '<lane id="a_1" index="1" speed="10" shape="100,203 200,203"/>'
        '<lane id="a_2" index="2" speed="10" allow="pedestrian" shape="100,206 200,206"/></edge>'
        '<edge id=":j_0" function="internal"><lane id=":j_0_0" index="0" shape="200,200 210,200"/></edge>'
        '<edge id="b"><lane id="b_0" index="0" speed="20" shape="210,200 310,200"/></edge>'
        '<connection from="a" to="b" fromLane="0" toLane="0" via=":j_0_0"/>'
        '<connection from=":j_0" to="b" fromLane="0" toLane="0"/></net>')
    graph = roadgraph.from_sumo_net(Path(path))
    assert graph.crs is None and graph.edge_count == 3
    assert graph.edge_road.tolist() == ["a", "a", "b"]
    assert np.allclose(graph.points[0, :2], [0, 0])  # net coordinates minus netOffset
    assert graph.succ_start.tolist() == [0, 1, 2, 2] and graph.succ.tolist() == [2, 2]
