"""SUMO loaders (.net.xml, .poly.xml): real Berlin and Monaco scenarios, hand-made and generated hostile files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.city import sumo
from viewer.city.model import SourceModel, SurfaceKind
from viewer.config import Limits, SourceConfig
from viewer.errors import LimitExceeded, LoadError
from viewer.geo.frame import to_lonlat

BERLIN = Path("sumo_a10kw_berlin_pypi")
UTM33 = "+proj=utm +zone=33 +ellps=WGS84 +datum=WGS84 +units=m +no_defs"
LOCATION = '<location netOffset="-100.00,-200.00" convBoundary="0,0,100,100" origBoundary="0,0,1,1" ' \
           'projParameter="{proj}"/>'
NET = """<?xml version="1.0" encoding="UTF-8"?>
<net version="1.20">
    {location}
    <edge id=":j1_0" function="internal"><lane id=":j1_0_0" index="0" speed="5" length="3" shape="0,0 3,0"/></edge>
    <edge id="e1" from="j1" to="j2" priority="7" type="highway.primary" name="Main Street">
        <lane id="e1_0" index="0" speed="13.89" length="100" shape="0,0 100,0"/>
        <lane id="e1_1" index="1" speed="22.5" length="100" width="4.00" shape="0,4,1.5 100,4,2.5"/>
    </edge>
    <edge id="e2" from="j2" to="j1"><lane id="e2_0" index="0" speed="10" length="50" shape="100,10 50,10 50,60"/></edge>
    <junction id="j1" type="priority" x="0" y="0" z="3" shape="-2,-2 2,-2 2,6 -2,6 -2,-2">
        <request index="0" response="0" foes="0" cont="0"/>
    </junction>
    <junction id=":j1_i" type="internal" x="0" y="0" shape="0,0 1,0 1,1"/>
    <junction id="j2" type="dead_end" x="100" y="0" shape="100,0 101,0"/>
    <connection from="e1" to="e2" fromLane="0" toLane="0"/>
</net>
"""
POLY = """<?xml version="1.0" encoding="UTF-8"?>
<additional>
    {location}
    <poly id="b1" type="building.yes" color="255,0,0" fill="1" layer="1" shape="0,0 10,0 10,10 0,10 0,0">
        <param key="height" value="25"/>
    </poly>
    <poly id="b2" type="building" fill="1" shape="20,0 30,0 30,10 20,0"/>
    <poly id="w1" type="natural.water" fill="1" layer="-1" shape="0,20 10,20 10,30"/>
    <poly id="g1" type="landuse.grass" fill="true" layer="-3" shape="0,40 10,40 10,50"/>
    <poly id="o1" type="boundary.administrative" fill="0" lineWidth="2" shape="0,60 10,60 10,70 0,60"/>
    <poi id="p1" type="amenity.cafe" x="5" y="5"/>
</additional>
"""


def _load(path: Path, limits: Limits | None = None, **options) -> SourceModel:
    return sumo.load(path, SourceConfig(**options), limits or Limits())


def _write(tmp_path: Path, text: str, name: str = "t.net.xml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def _net(tmp_path: Path, proj: str = "!", replace: dict[str, str] | None = None) -> Path:
    text = NET.format(location=LOCATION.format(proj=proj))
    for old, new in (replace or {}).items():
        text = text.replace(old, new)
    return _write(tmp_path, text)


def _inside(lonlat: np.ndarray, box: tuple[float, float, float, float], margin: float) -> bool:
    lo, hi = np.array(box[:2]) - margin, np.array(box[2:]) + margin
    return bool(((lonlat >= lo) & (lonlat <= hi)).all())


# ---------------------------------------------------------------- real data


def test_berlin_net_roads_in_utm_and_orig_boundary(shared_data):
    """Berlin A10: 509 normal edges become Roads in UTM 33N whose lon/lat fall inside origBoundary."""
    path = shared_data / BERLIN / "osm.net.xml"
    model = _load(path)
    assert model.crs == UTM33
    text = path.read_text()
    normal_edges = text.count("<edge ") - text.count('function="internal"')
    assert model.objects.type_counts()["Road"] == normal_edges == 509
    assert model.meta["lanes"] == 602 and model.triangle_count > 0
    lonlat = to_lonlat(model.positions, model.crs)
    assert _inside(lonlat, (13.576712, 52.291597, 13.630952, 52.319872), margin=1e-4)
    lanes = np.isin(model.vertex_kind, (SurfaceKind.ROAD, SurfaceKind.MARKING))  # lanes and their markings
    assert lanes.all() and set(model.objects.types) == {"Road", "Junction"}


def test_berlin_lane_ribbons_have_lane_width(shared_data):
    """Berlin lanes without a width attribute are SUMO's default 3.2 m wide ribbons."""
    model = _load(shared_data / BERLIN / "osm.net.xml")
    roads = np.isin(model.vertex_object, np.flatnonzero(np.array(model.objects.types) == "Road")) & (model.vertex_kind == SurfaceKind.ROAD)
    quads = model.positions[roads].reshape(-1, 4, 3)
    widths = np.hypot(*(quads[:, 0, :2] - quads[:, 1, :2]).T)
    assert np.median(widths) == pytest.approx(3.2, abs=0.01)


def test_berlin_poly_buildings_extruded(shared_data):
    """Berlin osm.poly.xml: its own <location> places polygons in UTM 33N; building polys become prisms."""
    model = _load(shared_data / BERLIN / "osm.poly.xml", default_height=9.0)
    assert model.crs == UTM33
    buildings = [i for i, t in enumerate(model.objects.types) if t == "Building"]
    assert len(buildings) == 17
    for i in buildings:
        z = model.positions[model.vertex_object == i, 2]
        assert z.max() - z.min() == pytest.approx(9.0)
        assert {SurfaceKind.ROOF, SurfaceKind.WALL, SurfaceKind.GROUND} <= set(
            model.vertex_kind[model.vertex_object == i].tolist())
    assert model.meta["skipped_types"]["poi"] == 115
    lonlat = to_lonlat(model.positions, model.crs)
    assert _inside(lonlat, (13.127582, 52.262905, 13.643947, 52.395814), margin=1e-3)


def test_most_monaco_net_lands_in_monaco(shared_data):
    """MoST Monaco: 4,412 Road edges with 3D lanes, in UTM 32N, inside the net's lon/lat boundary."""
    model = _load(shared_data / "sumo_most_monaco/in/most.net.xml")
    assert model.crs.startswith("+proj=utm +zone=32")
    assert model.objects.type_counts()["Road"] == 4412
    lonlat = to_lonlat(model.positions, model.crs)
    assert _inside(lonlat, (7.362913, 43.718985, 7.485778, 43.776857), margin=2e-3)
    assert 600 < model.positions[:, 2].max() < 620


# ---------------------------------------------------------------- behaviour on hand-made files


def test_net_objects_lanes_and_offset(tmp_path):
    """Lanes belong to their edge's object; internal edges are skipped; positions are net minus netOffset."""
    model = _load(_net(tmp_path))
    assert model.crs is None
    assert model.objects.ids == ["e1", "e2", "j1"] and model.objects.types == ["Road", "Road", "Junction"]
    e1 = model.objects.attributes[0]
    assert e1 == {"type": "highway.primary", "lanes": 2, "speed": 22.5, "from": "j1", "to": "j2",
                  "priority": 7, "name": "Main Street"}
    lo, hi = model.bbox()
    assert lo[:2] == pytest.approx([100 - 2, 200 - 2])  # junction j1's corner
    assert hi[:2] == pytest.approx([100 + 100, 200 + 60])  # lane ends are cut square, not extended
    lane1 = model.positions[model.vertex_object == 0]
    assert lane1[:, 2].max() == pytest.approx(2.5 + sumo.LANE_LIFT_M)  # 3D shape keeps its z
    junction = model.positions[model.vertex_object == 2]
    assert np.allclose(junction[:, 2], 3 + sumo.JUNCTION_LIFT_M)  # 2D shape takes the junction's z
    assert model.meta["skipped_types"]["internal edge"] == 1
    assert model.meta["skipped_types"]["junction without area"] == 1


def test_net_crs_from_proj_parameter_and_override(tmp_path):
    """projParameter becomes the CRS; options.crs overrides it."""
    assert _load(_net(tmp_path, proj=UTM33)).crs == UTM33
    assert _load(_net(tmp_path, proj=UTM33), crs="EPSG:32633").crs == "EPSG:32633"


def test_mixed_2d_3d_shape_points(tmp_path):
    """SUMO omits z where it is 0: a shape mixing 2D and 3D points is read with z = 0 for the 2D ones."""
    model = _load(_net(tmp_path, replace={'shape="100,10 50,10 50,60"': 'shape="100,10,5 50,10 50,60,7"'}))
    z = model.positions[(model.vertex_object == 1) & (model.vertex_kind == SurfaceKind.ROAD), 2] - sumo.LANE_LIFT_M
    assert sorted(np.unique(np.round(z, 6))) == [0.0, 5.0, 7.0]


def test_poly_kinds_heights_and_outlines(tmp_path):
    """Buildings use the height param or the default; water is WATER; unfilled polys are outlines."""
    model = _load(_write(tmp_path, POLY.format(location=LOCATION.format(proj=UTM33)), "t.poly.xml"))
    assert model.format == "sumo-poly" and model.crs == UTM33
    assert model.objects.types == ["Building", "Building", "natural.water", "landuse.grass",
                                   "boundary.administrative"]
    heights = [model.objects.attributes[i]["_height"] for i in (0, 1)]
    assert heights == [25.0, 10.0]
    kinds = {i: set(model.vertex_kind[model.vertex_object == i].tolist()) for i in range(5)}
    assert kinds[2] == {SurfaceKind.WATER} and kinds[3] == {SurfaceKind.OTHER} and kinds[4] == {SurfaceKind.OTHER}
    outline = model.positions[model.vertex_object == 4].reshape(-1, 4, 3)
    assert len(outline) == 3  # the closed triangle's three sides
    assert model.meta["skipped_types"] == {"poi": 1}


def test_poly_geo_shapes_are_projected(tmp_path):
    """geo="1" polygon shapes are lon/lat and are projected with projParameter."""
    text = POLY.format(location=LOCATION.format(proj=UTM33)).replace(
        'shape="0,20 10,20 10,30"', 'geo="1" shape="13.60,52.30 13.61,52.30 13.61,52.31"')
    model = _load(_write(tmp_path, text, "t.poly.xml"))
    lonlat = to_lonlat(model.positions[model.vertex_object == 2], UTM33)
    assert _inside(lonlat, (13.60, 52.30, 13.61, 52.31), margin=1e-6)


def test_format_mismatch_refused(tmp_path):
    """A poly file loaded as "sumo-net" is refused, naming the root element."""
    path = _write(tmp_path, POLY.format(location=""), "t.poly.xml")
    with pytest.raises(LoadError, match="<additional>"):
        _load(path, format="sumo-net")


# ---------------------------------------------------------------- hostile input

BOMB = """<?xml version="1.0"?>
<!DOCTYPE net [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<net><edge id="&d;"><lane id="x" shape="0,0 1,1"/></edge></net>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE net [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<net><edge id="&x;"/></net>
"""
BAD_NETS = {
    "not xml": "this is not xml",
    "empty": "",
    "truncated": NET.format(location="")[:300],
    "entity bomb": BOMB,
    "external entity": EXTERNAL,
    "missing edge id": NET.format(location="").replace('id="e2" ', ""),
    "missing lane shape": NET.format(location="").replace('shape="0,0 100,0"', ""),
    "shape missing a coordinate": NET.format(location="").replace('shape="0,0 100,0"', 'shape="1,2 3"'),
    "shape with words": NET.format(location="").replace('shape="0,0 100,0"', 'shape="a,b c,d"'),
    "shape with nan": NET.format(location="").replace('shape="0,0 100,0"', 'shape="nan,0 1,1"'),
    "shape overflowing": NET.format(location="").replace('shape="0,0 100,0"', 'shape="1e999,0 1,1"'),
    "width not a number": NET.format(location="").replace('width="4.00"', 'width="wide"'),
    "speed nan": NET.format(location="").replace('speed="10"', 'speed="nan"'),
    "bad netOffset": NET.format(location='<location netOffset="1;2" projParameter="!"/>'),
    "bad projParameter": NET.format(location=LOCATION.format(proj="+proj=nonsense")),
    "wrong root": "<html><body/></html>",
    "too deep": "<net>" + "<a>" * 300 + "</a>" * 300 + "</net>",
}


@pytest.mark.parametrize("name", sorted(BAD_NETS))
def test_hostile_files_raise_load_error(tmp_path, name):
    """Each malformed or dangerous file raises a LoadError that names the file."""
    path = _write(tmp_path, BAD_NETS[name])
    with pytest.raises(LoadError) as info:
        _load(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(("limits", "limit"), [
    (Limits(max_objects=2), "object count"),
    (Limits(max_ring_vertices=2), "points in one shape"),
    (Limits(max_vertices=10), "vertex count"),
    (Limits(max_file_bytes=100), "file size (bytes)"),
])
def test_limits(tmp_path, limits, limit):
    """Object, shape, vertex and file-size limits raise LimitExceeded naming the limit."""
    with pytest.raises(LimitExceeded) as info:
        _load(_net(tmp_path), limits)
    assert info.value.limit == limit


ATTRIBUTE_TEXT = st.text(alphabet="0123456789.,-+eE naN\t", max_size=30) | st.sampled_from(
    ["0,0 1,1", "1,2,3 4,5,6", "0,0 0,0", "1,2 3", "", "!", "-1", "1e400,0 1,1"])
ATTRIBUTES = st.sampled_from([
    'shape="0,0 100,0"', 'width="4.00"', 'speed="10"', 'priority="7"', 'z="3"', 'netOffset="-100.00,-200.00"',
    'shape="-2,-2 2,-2 2,6 -2,6 -2,-2"', 'shape="0,0 10,0 10,10 0,10 0,0"', 'value="25"', 'layer="-1"',
    'fill="1"', 'lineWidth="2"', 'type="natural.water"', 'shape="0,60 10,60 10,70 0,60"'])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(template=st.sampled_from([NET, POLY]), edits=st.lists(st.tuples(ATTRIBUTES, ATTRIBUTE_TEXT), max_size=3))
def test_generated_attribute_values_load_or_raise_load_error(tmp_path, template, edits):
    """Random attribute values in a valid net or poly file either load with finite geometry or raise LoadError."""
    text = template.format(location=LOCATION.format(proj="!"))
    for attribute, value in edits:
        text = text.replace(attribute, f'{attribute.split("=")[0]}="{value}"')
    path = _write(tmp_path, text)
    try:
        model = _load(path)
    except LoadError as exc:
        assert str(path) in str(exc)
    else:
        assert np.isfinite(model.positions).all()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(0, len(NET)), junk=st.binary(max_size=20))
def test_generated_truncations_raise_load_error(tmp_path, cut, junk):
    """A net truncated anywhere, with random bytes appended, loads or raises LoadError, nothing else."""
    path = tmp_path / "t.net.xml"
    path.write_bytes(NET.format(location="").encode()[:cut] + junk)
    try:
        _load(path)
    except LoadError as exc:
        assert str(path) in str(exc)
