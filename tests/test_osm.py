"""OpenStreetMap files (.osm.pbf, .osm) through the osm loader: Monaco's extract against its SOURCE.md, small
hand-written OSM XML files for each roof shape, parts, min_height, multipolygons, roads and ground polygons,
and hostile inputs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from viewer.city.extrude import metres_per_degree
from viewer.city.loaders import detect_format, load_source
from viewer.city.model import SourceModel, SurfaceKind
from viewer.config import Limits, SourceConfig
from viewer.errors import LimitExceeded, LoadError

ORIGIN = np.array([7.4236, 43.7384])  # Monaco
SCALE = metres_per_degree(ORIGIN[1:])[0]  # metres per degree of lon, lat there


def osm_file(path: Path, ways: list[tuple[list[tuple[float, float]], dict[str, str]]],
             relations: list[tuple[list[tuple[int, str]], dict[str, str]]] = ()) -> Path:
    """Write OSM XML: each way is (points in metres east/north of ORIGIN, tags), closed when its first and
    last points are equal (they share a node); relations are ([(way number from 1, role)], tags)."""
    nodes, way_xml = [], []
    for w, (points, tags) in enumerate(ways, start=1):
        refs = []
        for k, (x, y) in enumerate(points):
            if k == len(points) - 1 and k > 0 and (x, y) == tuple(points[0]):
                refs.append(refs[0])
                continue
            lon, lat = ORIGIN + np.array([x, y]) / SCALE
            nodes.append(f'<node id="{len(nodes) + 1}" version="1" lat="{lat:.9f}" lon="{lon:.9f}"/>')
            refs.append(len(nodes))
        body = "".join(f'<nd ref="{r}"/>' for r in refs) + _tags(tags)
        way_xml.append(f'<way id="{w}" version="1">{body}</way>')
    rel_xml = [f'<relation id="{r}" version="1">'
               + "".join(f'<member type="way" ref="{w}" role="{role}"/>' for w, role in members)
               + _tags(tags) + "</relation>" for r, (members, tags) in enumerate(relations, start=1)]
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="test">\n'
                    + "\n".join(nodes + way_xml + rel_xml) + "\n</osm>\n")
    return path


def _tags(tags: dict[str, str]) -> str:
    return "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())


def rect(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]


def load(path: Path, limits: Limits | None = None) -> SourceModel:
    return load_source(SourceConfig(path=path), limits or Limits())


def object_metres(model: SourceModel, object_id: str, kinds: tuple[int, ...] | None = None):
    """(positions in metres east/north/up of ORIGIN, triangles, kinds) of one object's surfaces."""
    index = model.objects.index_of(object_id)
    keep = model.vertex_object == index
    if kinds is not None:
        keep &= np.isin(model.vertex_kind, kinds)
    tris = model.triangles[keep[model.triangles].all(axis=1)]
    remap = np.cumsum(keep) - 1
    xyz = model.positions[keep].copy()
    xyz[:, :2] = (xyz[:, :2] - ORIGIN) * SCALE
    return xyz, remap[tris], model.vertex_kind[keep]


def solid(model: SourceModel, object_id: str):
    import trimesh

    xyz, tris, _ = object_metres(model, object_id)
    return trimesh.Trimesh(xyz, tris)


# ------------------------------------------------------------------------------------------- Monaco's extract

@pytest.mark.shared_data
def test_monaco_counts_ids_and_box_match_its_source(shared_data):
    """Monaco's PBF gives the 1,220 building features of SOURCE.md (14 of them building:part, 24 from
    multipolygon relations), every highway way as a Road but the two proposed and the two that are buildings,
    118 buildings with a height or levels tag, water and parks, inside SOURCE.md's lon/lat box."""
    model = load(shared_data / "osm_monaco" / "monaco-latest.osm.pbf")
    assert model.format == "osm" and model.crs == "EPSG:4326"
    types = model.objects.type_counts()
    assert types["Building"] + types["BuildingPart"] == 1220 and types["BuildingPart"] == 14
    ids, attrs = model.objects.ids, model.objects.attributes
    building = [i for i, t in enumerate(model.objects.types) if t in ("Building", "BuildingPart")]
    assert sum(ids[i].startswith("relation/") for i in building) == 24
    assert sum(("height" in attrs[i] or "building:levels" in attrs[i]) for i in building) == 118
    road_ways = [i for i, t in enumerate(model.objects.types) if t == "Road" and ids[i].startswith("way/")]
    assert len(road_ways) + 2 + 2 == 2379 and model.meta["skipped"] == {"highway=proposed": 2}
    assert types["Water"] > 10 and types["Park"] > 10
    assert (model.vertex_kind == SurfaceKind.WATER).any() and (model.vertex_kind == SurfaceKind.ROAD).any()
    xyz = model.positions[np.isin(model.vertex_object, building)]
    assert xyz[:, 0].min() == pytest.approx(7.4089529, abs=1e-7) and xyz[:, 0].max() == pytest.approx(7.4394207, abs=1e-7)
    assert xyz[:, 1].min() == pytest.approx(43.7232362, abs=1e-7) and xyz[:, 1].max() == pytest.approx(43.7516559, abs=1e-7)
    assert model.meta["roofs"]["pyramidal"] == 3


@pytest.mark.shared_data
def test_monaco_parts_replace_their_outline(shared_data):
    """A building with building:parts inside is their parent and draws nothing itself."""
    model = load(shared_data / "osm_monaco" / "monaco-latest.osm.pbf")
    parts = [i for i, t in enumerate(model.objects.types) if t == "BuildingPart"]
    parents = {int(model.objects.parents[i]) for i in parts} - {-1}
    assert len(parents) >= 5
    drawn = set(np.unique(model.vertex_object).tolist())
    assert not parents & drawn and set(parts) <= drawn


# ------------------------------------------------------------------------------------------------ roof shapes

ROOFS = {  # shape -> (volume of a 20 x 10 m footprint, 6 m walls + 4 m roof; ridge length)
    "flat": (2000.0, None), "gabled": (1600.0, 20.0), "hipped": (1200.0 + 4 * 10 * (60 - 10) / 6, 10.0),
    "pyramidal": (1200.0 + 200 * 4 / 3, 0.0), "skillion": (1600.0, 20.0),
}


@pytest.mark.parametrize("shape", sorted(ROOFS))
def test_roof_shapes_are_closed_with_their_apex_at_the_height(tmp_path, shape):
    """Each roof:shape gives a closed, outward solid whose top is `height` and whose roof starts
    roof:height lower; the ridge has its shape's length, and only a gabled roof has walls up to it."""
    tags = {"building": "yes", "height": "10", "roof:height": "4", "roof:shape": shape}
    model = load(osm_file(tmp_path / "r.osm", [(rect(0, 0, 20, 10), tags)]))
    mesh = solid(model, "way/1")
    assert mesh.is_watertight and mesh.is_winding_consistent
    volume, ridge = ROOFS[shape]
    assert mesh.volume == pytest.approx(volume, rel=2e-3)
    xyz, _, kinds = object_metres(model, "way/1")
    assert xyz[:, 2].max() == pytest.approx(10.0) and xyz[:, 2].min() == 0.0
    assert model.objects.attributes[0]["_roof"] == shape
    if ridge is not None:
        top = xyz[np.isclose(xyz[:, 2], 10.0) & (kinds == SurfaceKind.ROOF)]
        assert np.ptp(top[:, 0]) == pytest.approx(ridge, abs=0.05)
        wall_top = xyz[kinds == SurfaceKind.WALL, 2].max()
        assert wall_top == pytest.approx(10.0 if shape in ("gabled", "skillion") else 6.0)


def test_gabled_across_and_levels(tmp_path):
    """roof:orientation=across turns the ridge across the long side; building:levels x 3 m plus roof:levels
    x 3 m make the top."""
    tags = {"building": "yes", "building:levels": "4", "roof:levels": "1", "roof:shape": "gabled",
            "roof:orientation": "across"}
    model = load(osm_file(tmp_path / "g.osm", [(rect(0, 0, 20, 10), tags)]))
    xyz, _, kinds = object_metres(model, "way/1")
    assert xyz[:, 2].max() == pytest.approx(15.0)
    ridge = xyz[np.isclose(xyz[:, 2], 15.0) & (kinds == SurfaceKind.ROOF)]
    assert np.ptp(ridge[:, 1]) == pytest.approx(10.0, abs=0.05) and np.ptp(ridge[:, 0]) == pytest.approx(0, abs=0.05)
    assert model.objects.attributes[0]["_height_source"] == "levels"
    assert solid(model, "way/1").is_watertight


def test_concave_footprint_gets_a_flat_roof_at_its_height(tmp_path):
    """A gabled roof on an L-shaped footprint is drawn flat at the full height (and says so)."""
    ell = [(0, 0), (20, 0), (20, 8), (8, 8), (8, 20), (0, 20), (0, 0)]
    tags = {"building": "yes", "height": "9", "roof:shape": "gabled", "roof:height": "3"}
    model = load(osm_file(tmp_path / "l.osm", [(ell, tags)]))
    xyz, _, _ = object_metres(model, "way/1")
    assert xyz[:, 2].max() == pytest.approx(9.0) and model.objects.attributes[0]["_roof"] == "flat"
    assert solid(model, "way/1").is_watertight


# ------------------------------------------------------------------------------ parts, min_height, multipolygons

def test_parts_with_min_height_replace_the_outline(tmp_path):
    """Two building:parts in an outline: the outline is their parent and draws nothing; a part with
    min_height starts there."""
    model = load(osm_file(tmp_path / "p.osm", [
        (rect(0, 0, 20, 10), {"building": "yes", "height": "30"}),
        (rect(0, 0, 10, 10), {"building:part": "yes", "height": "30"}),
        (rect(10, 0, 20, 10), {"building:part": "yes", "height": "12", "min_height": "5"}),
    ]))
    assert model.objects.types == ["Building", "BuildingPart", "BuildingPart"]
    assert model.objects.parents.tolist() == [-1, 0, 0]
    assert not (model.vertex_object == 0).any()
    xyz, _, _ = object_metres(model, "way/3")
    assert xyz[:, 2].min() == pytest.approx(5.0) and xyz[:, 2].max() == pytest.approx(12.0)
    assert model.objects.attributes[2]["_min_height"] == 5.0
    assert solid(model, "way/3").volume == pytest.approx(100 * 7, rel=2e-3)


def test_multipolygon_with_a_courtyard(tmp_path):
    """A building multipolygon relation with an inner ring is one object "relation/1" with a hole: a closed
    solid of (30 x 30 - 10 x 10) x height, and its roof does not cover the courtyard."""
    model = load(osm_file(tmp_path / "m.osm", [(rect(0, 0, 30, 30), {}), (rect(10, 10, 20, 20), {})],
                          [([(1, "outer"), (2, "inner")], {"type": "multipolygon", "building": "yes", "height": "8"})]))
    assert model.objects.ids == ["relation/1"] and model.objects.types == ["Building"]
    mesh = solid(model, "relation/1")
    assert mesh.is_watertight and mesh.volume == pytest.approx(800 * 8, rel=2e-3)
    xyz, tris, kinds = object_metres(model, "relation/1", (SurfaceKind.ROOF,))
    a, b, c = xyz[tris[:, 0]], xyz[tris[:, 1]], xyz[tris[:, 2]]
    assert 0.5 * np.abs(np.cross(b - a, c - a)[:, 2]).sum() == pytest.approx(800, rel=2e-3)


# ------------------------------------------------------------------------------------- roads and ground polygons

@pytest.mark.parametrize("tags, width", [
    ({"highway": "primary"}, 9.0), ({"highway": "residential", "lanes": "4"}, 13.0),
    ({"highway": "footway"}, 2.0), ({"highway": "secondary", "width": "7.5"}, 7.5),
    ({"highway": "service", "lanes": "2"}, 6.5), ({"highway": "made_up_class"}, 6.0),
])
def test_road_widths_by_class_lanes_and_width(tmp_path, tags, width):
    """A straight east-west way is a ribbon as wide as its width tag, else lanes x 3.25 m, else its class."""
    model = load(osm_file(tmp_path / "w.osm", [([(0, 0), (50, 0)], tags)]))
    assert model.objects.types == ["Road"]
    xyz, _, kinds = object_metres(model, "way/1", (SurfaceKind.ROAD,))  # its lane markings apart
    assert (kinds == SurfaceKind.ROAD).all()
    assert np.ptp(xyz[:, 1]) == pytest.approx(width, rel=1e-3) and np.ptp(xyz[:, 0]) == pytest.approx(50, rel=1e-3)


def test_water_parks_land_use_and_tunnels(tmp_path):
    """Water is WATER, parks and land use flat GROUND polygons above z = 0 (water over land use), a
    tunnel is a Road object without geometry and a proposed road is no object."""
    model = load(osm_file(tmp_path / "g.osm", [
        (rect(0, 0, 40, 40), {"natural": "water"}),
        (rect(50, 0, 90, 40), {"leisure": "park", "name": "Jardin"}),
        (rect(0, 50, 90, 90), {"landuse": "residential"}),
        ([(0, -10), (90, -10)], {"highway": "primary", "tunnel": "yes"}),
        ([(0, -20), (90, -20)], {"highway": "proposed"}),
    ]))
    assert model.objects.types == ["Water", "Park", "LandUse", "Road"]
    assert model.objects.attributes[1]["name"] == "Jardin"
    for object_id, kind in (("way/1", SurfaceKind.WATER), ("way/2", SurfaceKind.GROUND), ("way/3", SurfaceKind.GROUND)):
        xyz, tris, kinds = object_metres(model, object_id)
        assert (kinds == kind).all() and np.ptp(xyz[:, 2]) == 0 and xyz[0, 2] > 0 and tris.shape[0] >= 2
    assert object_metres(model, "way/1")[0][0, 2] > object_metres(model, "way/3")[0][0, 2]
    assert not (model.vertex_object == 3).any()


# -------------------------------------------------------------------------------------------------- bad input

def test_both_suffixes_are_recognised(tmp_path):
    """.osm and .osm.pbf files are the osm format; a file named .osm.pbf that is not PBF is refused."""
    assert detect_format(osm_file(tmp_path / "a.osm", [])) == "osm"
    fake = tmp_path / "b.osm.pbf"
    fake.write_text("<osm></osm>")
    with pytest.raises(LoadError, match="b.osm.pbf: .*neither OSM PBF"):
        detect_format(fake)
    html = tmp_path / "c.osm"
    html.write_text("<html><body>404</body></html>")
    with pytest.raises(LoadError, match="c.osm"):
        detect_format(html)


@pytest.mark.shared_data
def test_format_osm_reads_files_of_any_name(shared_data, tmp_path):
    """A scene's format = "osm" reads PBF and XML whatever their names (osmium alone would go by the name)."""
    pbf = tmp_path / "monaco.bin"
    pbf.write_bytes((shared_data / "osm_monaco" / "monaco-latest.osm.pbf").read_bytes())
    xml = osm_file(tmp_path / "one.xml", [(rect(0, 0, 20, 10), {"building": "yes"})])
    assert load_source(SourceConfig(path=pbf, format="osm"), Limits()).objects.type_counts()["Building"] == 1206
    assert load_source(SourceConfig(path=xml, format="osm"), Limits()).objects.ids == ["way/1"]


@pytest.mark.shared_data
def test_truncated_pbf_is_a_load_error(shared_data, tmp_path):
    """A PBF cut short is one LoadError naming the file, whatever osmium says inside."""
    cut = tmp_path / "cut.osm.pbf"
    cut.write_bytes((shared_data / "osm_monaco" / "monaco-latest.osm.pbf").read_bytes()[:200_000])
    with pytest.raises(LoadError, match="cut.osm.pbf: not a readable OSM file"):
        load(cut)


@pytest.mark.parametrize("text, reason", [
    ('<osm version="0.6"><node id="1" lat="x" lon="1"/></osm>', "coordinate"),
    ('<osm version="0.6"><node id="1" lat="91" lon="500"/></osm>', "coordinate"),
    ('<osm version="0.6"><node id="1" lat="1" lon="1"', "XML"),
    ('<osm version="0.6"><node id="S" lat="1" lon="1"/></osm>', "illegal id"),
])
def test_bad_xml_is_a_load_error(tmp_path, text, reason):
    """Bad coordinates and truncated XML are LoadErrors naming the file."""
    path = tmp_path / "bad.osm"
    path.write_text(text)
    with pytest.raises(LoadError, match=f"bad.osm: .*{reason}"):
        load(path)


def test_missing_nodes_and_limits(tmp_path):
    """A way whose nodes are missing (an extract's cut) draws what it has; object and vertex limits are
    LimitExceeded errors."""
    path = tmp_path / "cut.osm"
    path.write_text('<osm version="0.6"><node id="1" lat="43.7" lon="7.4"/><node id="2" lat="43.7" lon="7.401"/>'
                    '<way id="9"><nd ref="1"/><nd ref="77"/><nd ref="2"/><tag k="highway" v="primary"/></way>'
                    '<way id="10"><nd ref="78"/><nd ref="79"/><tag k="highway" v="primary"/></way></osm>')
    model = load(path)
    assert model.objects.ids == ["way/9", "way/10"] and not (model.vertex_object == 1).any()
    many = osm_file(tmp_path / "many.osm", [(rect(30 * k, 0, 30 * k + 20, 10), {"building": "yes"}) for k in range(12)])
    with pytest.raises(LimitExceeded, match="object count"):
        load(many, Limits(max_objects=10))
    with pytest.raises(LimitExceeded, match="vertex count"):
        load(many, Limits(max_vertices=100))


def test_cli_reports_a_bad_osm_file_in_one_line(tmp_path):
    """`citiverse inspect` of a broken .osm file exits non-zero with one stderr line naming it, no traceback."""
    path = tmp_path / "broken.osm"
    path.write_text('<osm version="0.6"><node id="1" lat="1" lon="1"')
    run = subprocess.run([sys.executable, "-m", "viewer.cli", "inspect", str(path)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert "broken.osm" in run.stderr and len(run.stderr.strip().splitlines()) == 1


@pytest.mark.render
@pytest.mark.shared_data
def test_render_monaco_pbf(offscreen_gl, shared_data, tmp_path):
    """`citiverse render monaco-latest.osm.pbf` writes a picture with something in it."""
    from PIL import Image

    out = tmp_path / "monaco.png"
    run = subprocess.run([sys.executable, "-m", "viewer.cli", "-q", "render",
                          str(shared_data / "osm_monaco" / "monaco-latest.osm.pbf"), "--out", str(out),
                          "--size", "320x180"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    with Image.open(out) as png:
        pixels = np.asarray(png.convert("RGB"), np.int16).reshape(-1, 3)
    assert np.ptp(pixels, axis=0).max() > 40 and np.unique(pixels, axis=0).shape[0] > 50


def test_the_cache_key_covers_the_modules_the_osm_loader_draws_with():
    """A change to roofs.py or geojson.py (which osm.py builds with) makes cached OSM models stale: every
    module of their package is hashed into the source cache key (tests/test_scene_cache.py shows a change
    to roofs.py changes the digest)."""
    import viewer.city.geojson
    import viewer.city.roofs
    from viewer.city import cache

    assert all(m.__name__.rsplit(".", 1)[0] in cache._CODE_PACKAGES for m in (viewer.city.roofs, viewer.city.geojson))


def test_a_scene_may_name_the_osm_format(tmp_path):
    """`format = "osm"` in a scene's source is accepted (the scene reader refused it as unknown)."""
    osm_file(tmp_path / "city.data", [(rect(0, 0, 20, 10), {"building": "yes"})])
    scene = tmp_path / "s.toml"
    scene.write_text('[[sources]]\npath = "city.data"\nformat = "osm"\n')
    run = subprocess.run([sys.executable, "-m", "viewer.cli", "inspect", str(scene), "--json"], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert '"osm"' in run.stdout
