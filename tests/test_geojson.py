"""GeoJSON loader: real Lyon and Monaco files from ../shared/data, hand-made and generated hostile files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import trimesh
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.city import geojson
from viewer.city.model import SourceModel, SurfaceKind
from viewer.config import Limits, SourceConfig
from viewer.errors import LimitExceeded, LoadError
from viewer.geo.frame import LocalFrame

LYON = Path("lyon_py3dtilers_samples/geojson_tiler_test_data")
MONACO = Path("osm_monaco/derived")
SQUARE = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]
HOLE = [[2, 2], [2, 8], [8, 8], [8, 2], [2, 2]]


def _load(path: Path, limits: Limits | None = None, **options) -> SourceModel:
    return geojson.load(path, SourceConfig(**options), limits or Limits())


def _write(tmp_path: Path, doc, name: str = "f.geojson") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc))
    return path


def _collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def _feature(geometry, properties=None, **extra) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": properties, **extra}


def _polygon(*rings) -> dict:
    return {"type": "Polygon", "coordinates": list(rings)}


def _object_mesh(model: SourceModel, index: int) -> trimesh.Trimesh:
    """The triangles of one object as a welded trimesh (for watertightness and volume)."""
    tris = model.triangles[(model.vertex_object[model.triangles] == index).all(axis=1)]
    mesh = trimesh.Trimesh(model.positions, tris, process=False)
    mesh.remove_unreferenced_vertices()
    mesh.merge_vertices()
    return mesh


def _z_extent(model: SourceModel, index: int) -> float:
    z = model.positions[model.vertex_object == index, 2]
    return float(z.max() - z.min())


def _ribbon_widths(model: SourceModel, xy: np.ndarray | None = None) -> np.ndarray:
    """Distance between the first two vertices (left and right of the line) of every ribbon quad."""
    pts = model.positions[:, :2] if xy is None else xy
    quads = pts[model.vertex_kind == SurfaceKind.ROAD].reshape(-1, 4, 2)
    return np.hypot(*(quads[:, 0] - quads[:, 1]).T)


# ---------------------------------------------------------------- real data


def test_lyon_buildings_use_hauteur(shared_data):
    """Lyon footprints: one building per feature, each prism exactly HAUTEUR tall above its own Z_MIN."""
    path = shared_data / LYON / "buildings/feature_1/oneBlock.geojson"
    features = json.loads(path.read_text())["features"]  # noqa: TID251 - reading the expected values
    model = _load(path, height_attribute="HAUTEUR")
    assert model.crs == "EPSG:3946"
    assert len(model.objects) == len(features) == 5
    for i, feature in enumerate(features):
        props = feature["properties"]
        assert model.objects.ids[i] == props["ID"]
        assert model.objects.attributes[i]["_height_source"] == "attribute"
        assert _z_extent(model, i) == pytest.approx(props["HAUTEUR"])
        assert model.positions[model.vertex_object == i, 2].min() == pytest.approx(props["Z_MIN"])


def test_lyon_prisms_are_closed_and_outward(shared_data):
    """Every extruded Lyon building is watertight with positive volume (outward winding), all three kinds."""
    model = _load(shared_data / LYON / "buildings/feature_1/oneBlock.geojson", height_attribute="HAUTEUR")
    assert set(np.unique(model.vertex_kind)) == {SurfaceKind.ROOF, SurfaceKind.WALL, SurfaceKind.GROUND}
    for i in range(len(model.objects)):
        mesh = _object_mesh(model, i)
        assert mesh.is_watertight and mesh.is_winding_consistent
        assert mesh.volume > 0


@pytest.mark.parametrize("name", ["line_string_road.geojson", "multi_line_string_road.geojson"])
def test_lyon_roads_are_ribbons(shared_data, name):
    """Lyon road lines become Road objects: ROAD ribbons road_width wide just above the line's own z."""
    model = _load(shared_data / LYON / "roads" / name, road_width=7.0)
    assert model.objects.types == ["Road"]
    assert model.triangle_count > 0 and (model.vertex_kind == SurfaceKind.ROAD).all()
    assert np.allclose(_ribbon_widths(model), 7.0, rtol=0.01)
    assert 166.9 < model.positions[:, 2].min() < model.positions[:, 2].max() < 168


def test_monaco_buildings_height_rules(shared_data):
    """Monaco OSM: 1,220 buildings; `height` wins, else building:levels x 3 m, else the default; lon/lat bbox."""
    path = shared_data / MONACO / "monaco_buildings.geojson"
    model = _load(path, default_height=7.0)
    assert model.crs == "OGC:CRS84" and len(model.objects) == 1220
    counts = {"attribute": 0, "levels": 0, "default": 0}
    for i, attrs in enumerate(model.objects.attributes):
        source = attrs["_height_source"]
        counts[source] += 1
        expected = {"attribute": lambda a: float(a["height"]), "levels": lambda a: 3.0 * float(a["building:levels"]),
                    "default": lambda a: 7.0}[source](attrs)
        assert attrs["_height"] == pytest.approx(expected)
        if i % 97 == 0:  # a sample: the prism's z extent is that height
            assert _z_extent(model, i) == pytest.approx(expected)
    assert counts["attribute"] + counts["levels"] == 118
    lo, hi = model.bbox()
    assert 7.4089529 - 1e-7 <= lo[0] and hi[0] <= 7.4394207 + 1e-7
    assert 43.7232362 - 1e-7 <= lo[1] and hi[1] <= 43.7516559 + 1e-7


def test_monaco_highways_ribbons_in_metres(shared_data):
    """Monaco: 2,379 highway lines become Road ribbons whose width is road_width metres, not degrees."""
    model = _load(shared_data / MONACO / "monaco_highways.geojson", road_width=6.0)
    assert model.objects.type_counts() == {"Road": 2379}
    frame = LocalFrame.from_lonlat(7.42, 43.735)
    local = frame.to_local64(model.positions, model.crs)
    widths = _ribbon_widths(model, local[:, :2])
    straight = np.median(widths)
    assert straight == pytest.approx(6.0, rel=0.01)
    assert widths.max() <= 6.0 * 3.01  # mitre joints are clamped


# ---------------------------------------------------------------- behaviour on hand-made files


def test_hole_walls_and_ring_orientation(tmp_path):
    """A clockwise outer ring with a hole becomes one watertight prism whose volume excludes the hole."""
    path = _write(tmp_path, _collection(_feature(_polygon(SQUARE[::-1], HOLE), {"height": 4})))
    model = _load(path)
    mesh = _object_mesh(model, 0)
    assert mesh.is_watertight and mesh.volume == pytest.approx((100 - 36) * 4)
    walls = model.vertex_kind == SurfaceKind.WALL
    assert walls.sum() == 4 * 8  # four quads round the outside, four round the hole


@pytest.mark.parametrize(("props", "height", "source"), [
    ({"height": "12 m"}, 12.0, "attribute"),
    ({"height": "12,5"}, 12.5, "attribute"),
    ({"height": "40'"}, 40 * 0.3048, "attribute"),
    ({"height": "tall", "building:levels": "4"}, 12.0, "levels"),
    ({"height": 1e9, "building:levels": 2}, 6.0, "levels"),
    ({"building:levels": "-3"}, 10.0, "default"),
    ({"HAUTEUR": "21.5", "height": 3}, 21.5, "attribute"),
    ({}, 10.0, "default"),
])
def test_height_rules(tmp_path, props, height, source):
    """Height comes from the option attribute, OSM height strings, levels x storey height, then the default."""
    model = _load(_write(tmp_path, _collection(_feature(_polygon(SQUARE), props))), height_attribute="HAUTEUR")
    attrs = model.objects.attributes[0]
    assert (attrs["_height"], attrs["_height_source"]) == (pytest.approx(height), source)
    assert _z_extent(model, 0) == pytest.approx(height)


def test_min_height_3d_base_and_building_part(tmp_path):
    """A 3D footprint sits at its lowest z; min_height lifts a building:part's base; the type says part."""
    ring = [[0, 0, 5], [4, 0, 6], [4, 4, 7], [0, 4, 5], [0, 0, 5]]
    path = _write(tmp_path, _collection(_feature(_polygon(ring), {"height": 20, "min_height": "8",
                                                                  "building:part": "yes"})))
    model = _load(path)
    assert model.objects.types == ["BuildingPart"] and model.objects.attributes[0]["_min_height"] == 8
    assert model.bbox()[0][2] == pytest.approx(13) and model.bbox()[1][2] == pytest.approx(25)


def test_ids_types_and_skipped(tmp_path):
    """Ids come from the feature, then properties, then OSM type/id; points and nulls are skipped and counted."""
    line = {"type": "LineString", "coordinates": [[0, 0], [5, 0]]}
    path = _write(tmp_path, _collection(
        _feature(_polygon(SQUARE), {}, id=7), _feature(_polygon(SQUARE), {"ID": "B1"}),
        _feature(line, {"osm_id": 5, "osm_type": "way"}), _feature(line, {}),
        _feature({"type": "Point", "coordinates": [1, 2]}), _feature(None)))
    model = _load(path)
    assert model.objects.ids == ["7", "B1", "way/5", "feature-3"]
    assert model.objects.types == ["Building", "Building", "Road", "Road"]
    assert model.meta["skipped"] == 2 and model.meta["skipped_types"] == {"Point": 1, "null": 1}


def test_crs_sources(tmp_path):
    """options.crs beats the legacy crs member; lon/lat defaults to CRS84; other coordinates give None."""
    named = {**_collection(_feature(_polygon(SQUARE))),
             "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}}}
    assert _load(_write(tmp_path, named)).crs == "EPSG:2154"
    assert _load(_write(tmp_path, named), crs="EPSG:3946").crs == "EPSG:3946"
    assert _load(_write(tmp_path, _collection(_feature(_polygon(SQUARE))))).crs == "OGC:CRS84"
    big = [[x * 1000 + 5e5, y * 1000 + 5e6] for x, y in SQUARE]
    model = _load(_write(tmp_path, _collection(_feature(_polygon(big)))))
    assert model.crs is None and "crs" in model.meta["crs_note"]


def test_bare_geometry_and_single_feature(tmp_path):
    """A top-level Feature or bare geometry loads as one object."""
    assert len(_load(_write(tmp_path, _feature(_polygon(SQUARE)))).objects) == 1
    assert len(_load(_write(tmp_path, _polygon(SQUARE))).objects) == 1


# ---------------------------------------------------------------- hostile input


BAD_DOCUMENTS = {
    "not json": "{not json",
    "json list": [1, 2],
    "not geojson": {"type": "Topology"},
    "features not a list": {"type": "FeatureCollection", "features": {"a": 1}},
    "feature not an object": _collection(3),
    "properties a list": _collection(_feature(_polygon(SQUARE), [1])),
    "geometry type not a string": _collection(_feature({"type": ["Polygon"], "coordinates": []})),
    "coordinates a string": _collection(_feature({"type": "Polygon", "coordinates": "0 0, 1 1"})),
    "positions as strings": _collection(_feature(_polygon([[str(x), str(y)] for x, y in SQUARE]))),
    "nested too deep": _collection(_feature(_polygon([[[0, 0]], [[1, 0]], [[1, 1]], [[0, 0]]]))),
    "ring of 3 positions": _collection(_feature(_polygon(SQUARE[:2] + [SQUARE[0]]))),
    "ragged positions": _collection(_feature(_polygon([[0, 0], [1, 0, 0], [1, 1], [0, 0]]))),
    "4D positions": _collection(_feature(_polygon([[0, 0, 0, 0]] * 4))),
    "NaN token": '{"type": "Polygon", "coordinates": [[[NaN, 0], [1, 0], [1, 1], [NaN, 0]]]}',
    "overflow to infinity": '{"type": "LineString", "coordinates": [[1e400, 0], [1, 0]]}',
    "absurd coordinates": _collection(_feature(_polygon([[x * 1e300, y] for x, y in SQUARE]))),
    "line of one position": _collection(_feature({"type": "LineString", "coordinates": [[0, 0]]})),
    "bad crs member": {**_collection(), "crs": "EPSG:4326"},
    "unknown crs": {**_collection(_feature(_polygon(SQUARE))),
                    "crs": {"type": "name", "properties": {"name": "EPSG:999999"}}},
    "lon/lat crs, metre coordinates": {**_collection(_feature(_polygon([[x, y * 1e4] for x, y in SQUARE]))),
                                       "crs": {"type": "name", "properties": {"name": "EPSG:4326"}}},
}


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_hostile_documents_raise_load_error(tmp_path, name):
    """Each malformed document raises a LoadError that names the file."""
    path = _write(tmp_path, BAD_DOCUMENTS[name])
    with pytest.raises(LoadError) as info:
        _load(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(("limits", "limit"), [
    (Limits(max_objects=3), "feature count"),
    (Limits(max_ring_vertices=4), "vertices in one ring or line"),
    (Limits(max_vertices=100), "vertex count"),
    (Limits(max_file_bytes=100), "file size (bytes)"),
])
def test_limits_refuse_before_building(tmp_path, limits, limit):
    """Feature, ring, vertex and file-size limits raise LimitExceeded naming the limit."""
    path = _write(tmp_path, _collection(*[_feature(_polygon(SQUARE[:-1] * 2 + [SQUARE[0]]))] * 5))
    with pytest.raises(LimitExceeded) as info:
        _load(path, limits)
    assert info.value.limit == limit


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30)
GEOMETRY_TYPES = st.sampled_from(["Polygon", "MultiPolygon", "LineString", "MultiLineString", "Point", 5])
NUMBERS = st.floats(-1e3, 1e3) | st.integers(-1000, 1000)
POSITION = st.lists(NUMBERS, min_size=2, max_size=3) | st.lists(NUMBERS, max_size=4)
RINGS = st.lists(st.lists(POSITION, min_size=3, max_size=6), max_size=3)
PROPERTIES = st.none() | JSON_VALUES | st.dictionaries(
    st.sampled_from(["height", "building:levels", "min_height", "id", "building:part"]), JSON_VALUES, max_size=3)
CRS = st.none() | st.just({"type": "name", "properties": {"name": "EPSG:3857"}}) | JSON_VALUES


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=GEOMETRY_TYPES, coordinates=JSON_VALUES | RINGS | st.lists(RINGS, max_size=2) | st.lists(POSITION),
       properties=PROPERTIES, crs=CRS)
def test_generated_documents_load_or_raise_load_error(tmp_path, kind, coordinates, properties, crs):
    """Any generated feature either loads with finite geometry or raises LoadError, never anything else."""
    doc = _collection(_feature({"type": kind, "coordinates": coordinates}, properties))
    if crs is not None:
        doc["crs"] = crs
    path = _write(tmp_path, json.dumps(doc))
    try:
        model = _load(path)
    except LoadError as exc:
        assert str(path) in str(exc)
    else:
        assert np.isfinite(model.positions).all()
        assert model.triangle_count == 0 or model.triangles.max() < model.vertex_count


COORD = st.integers(-3, 3) | st.floats(-1e3, 1e3)
OPEN_RING = st.lists(st.tuples(COORD, COORD), min_size=3, max_size=8)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rings=st.lists(OPEN_RING, min_size=1, max_size=3), lines=st.lists(OPEN_RING, max_size=3),
       height=st.floats(0.5, 500))
def test_generated_geometry_builds(tmp_path, rings, lines, height):
    """Degenerate, self-touching or duplicate-vertex footprints and lines still load without numpy errors."""
    closed = [[list(p) for p in ring] + [list(ring[0])] for ring in rings]
    doc = _collection(_feature(_polygon(*closed), {"height": height}),
                      *[_feature({"type": "LineString", "coordinates": [list(p) for p in line]}) for line in lines])
    model = _load(_write(tmp_path, doc), crs="EPSG:3857")
    assert np.isfinite(model.positions).all()
    assert model.triangle_count == 0 or model.triangles.max() < model.vertex_count
    building = model.positions[model.vertex_object == 0, 2]
    assert building.size == 0 or building.max() == pytest.approx(height)
