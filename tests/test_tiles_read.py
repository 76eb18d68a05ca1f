"""tileset.json reading: explicit trees, external tilesets, volumes, transforms, placement, hostile input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from viewer.errors import LoadError
from viewer.geo.frame import LocalFrame
from viewer.tiles.content import decode_content, local_model
from viewer.tiles.placement import TilesetPlacement
from viewer.tiles.tile import Refine
from viewer.tiles.tileset import open_tileset
from viewer.tiles.volumes import Box, Region, Sphere

CESIUM = "tiles3d_cesium_samples"
REQUEST_VOLUME = f"{CESIUM}/1.0/TilesetWithRequestVolume/tileset.json"
GRANULARITIES = f"{CESIUM}/1.1/MetadataGranularities/tileset.json"
LYON = "lyon_py3dtilers_samples/tileset_reader_test_data"


def test_request_volume_tree_with_a_lazy_external_tileset(shared_data):
    """The 1.0 sample: root ADD with a city external tileset (read on demand), a box building and a sphere
    point cloud with a viewer request volume, refine inherited down the tree."""
    tileset = open_tileset(shared_data / REQUEST_VOLUME)
    root = tileset.root
    assert tileset.version == "1.0" and tileset.geometric_error == 100
    city, building, points = root.children()
    assert not city.children_known and city.contents == ()  # the external tileset is not read yet
    leaves = city.children()[0].children()
    assert [Path(t.contents[0].uri).name for t in leaves] == ["ll.b3dm", "lr.b3dm", "ur.b3dm", "ul.b3dm"]
    assert all(t.refine is Refine.ADD and t.depth == 3 for t in leaves)
    assert isinstance(building.bounding_volume, Box) and isinstance(points.bounding_volume, Sphere)
    assert isinstance(points.request_volume, Sphere) and points.request_volume.radius == pytest.approx(15)
    # The sphere's centre is the tile transform's translation; the radius grows with its scale (here 1).
    assert np.allclose(points.bounding_volume.center, [1215012.2075631288, -4736310.4186773375, 4081602.937346383])
    assert len(tileset.walk()) == 9  # root, city, the external root, 4 city tiles, building, points


def test_every_content_lies_inside_its_tile(shared_data):
    """Decoded geometry (y-up turned z-up once, RTC and transforms applied) falls inside each tile's volume,
    placed in a local frame near the samples (Philadelphia)."""
    placement = TilesetPlacement(LocalFrame.from_lonlat(-75.612, 40.042))
    for path in (REQUEST_VOLUME, GRANULARITIES):
        tileset = open_tileset(shared_data / path)
        if path == GRANULARITIES:  # a local tileset with no transform: content is metres around the origin
            placement_here = TilesetPlacement(LocalFrame(None, (0.0, 0.0)), crs=None)
        else:
            placement_here = placement
        for tile in tileset.walk():
            lo, hi = tile.bounding_volume.local_bounds(placement_here)
            for ref in tile.contents:
                content = decode_content(ref.uri, Path(ref.uri).read_bytes(), tile.transform)
                points = np.concatenate([content.model.positions] + [p.positions for p in content.points])
                local = placement_here.to_local(points)
                assert (local >= lo - 0.05).all() and (local <= hi + 0.05).all(), ref.uri


def test_region_bounds_are_conservative_and_land_near_the_origin(shared_data):
    """The root region's local box holds its sampled faces and sits at the frame's origin."""
    tileset = open_tileset(shared_data / REQUEST_VOLUME)
    region = tileset.root.bounding_volume
    assert isinstance(region, Region)
    west, south, east, north = region.lonlat_bounds()
    frame = LocalFrame.from_lonlat((west + east) / 2, (south + north) / 2)
    placement = TilesetPlacement(frame)
    lo, hi = region.local_bounds(placement)
    assert np.allclose((lo[:2] + hi[:2]) / 2, 0.0, atol=1.0)
    assert hi[0] - lo[0] == pytest.approx(398, abs=5)  # 0.0047 degrees of longitude at 40 N
    assert lo[2] < 0.0 and hi[2] > 67.0
    sphere = region.local_sphere(placement)
    assert np.linalg.norm(hi - lo) / 2 <= sphere.radius * 1.05


def test_lyon_buildings_land_on_their_geojson_footprints(shared_data):
    """Each Lyon b3dm building (EPSG:3946 tileset) lands within a metre of its IGN footprint's box."""
    frame = LocalFrame.from_lonlat(4.8395, 45.7543)  # a transverse Mercator frame, not the tileset's CRS
    placement = TilesetPlacement(frame, crs="EPSG:3946")
    footprints = json.loads((shared_data / "lyon_py3dtilers_samples/geojson_tiler_test_data/buildings/"
                                           "feature_1/oneBlock.geojson").read_text())
    expected = {}
    for feature in footprints["features"]:
        rings = feature["geometry"]["coordinates"]
        ring = np.array(rings[0][0] if feature["geometry"]["type"] == "MultiPolygon" else rings[0])
        local = frame.to_local64(ring[:, :2], "EPSG:3946")
        expected[feature["properties"]["ID"]] = np.concatenate([local.min(axis=0)[:2], local.max(axis=0)[:2]])
    tileset = open_tileset(shared_data / LYON / "white_buildings/tileset.json", crs="EPSG:3946")
    found = {}
    for tile in tileset.walk():
        for ref in tile.contents:
            model = local_model(decode_content(ref.uri, Path(ref.uri).read_bytes(), tile.transform,
                                               crs="EPSG:3946"), placement)
            for i, object_id in enumerate(model.objects.ids):
                found[object_id] = np.concatenate([model.objects.bbox_min[i][:2], model.objects.bbox_max[i][:2]])
                assert model.objects.height[i] > 3
    assert set(found) == set(expected)
    for object_id, box in found.items():  # footprint and building boxes agree within a metre on every side
        assert np.abs(box - expected[object_id]).max() < 1.0, (object_id, box - expected[object_id])


def test_lyon_levels_of_detail_nest_with_replace(shared_data):
    """white_buildings_with_lods: three nested REPLACE levels of 1, 5 and 5 features."""
    tileset = open_tileset(shared_data / LYON / "white_buildings_with_lods/tileset.json", crs="EPSG:3946")
    tiles = [t for t in tileset.walk() if t.contents]
    assert [t.refine for t in tiles] == [Refine.REPLACE] * 3
    assert [t.geometric_error for t in tiles] == [20, 5, 1]
    counts = [len(decode_content(t.contents[0].uri, Path(t.contents[0].uri).read_bytes(), t.transform,
                                 crs="EPSG:3946").model.objects) for t in tiles]
    assert counts == [1, 5, 5]


# --- hostile tilesets ---------------------------------------------------------------------------------------

def _tileset(root: dict, version: str = "1.1", **extra) -> dict:
    return {"asset": {"version": version}, "geometricError": 10, "root": root, **extra}


def _tile(content: str | None = None, **extra) -> dict:
    tile = {"boundingVolume": {"box": [0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1]}, "geometricError": 1, **extra}
    if content:
        tile["content"] = {"uri": content}
    return tile


def _write(path: Path, document: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document))
    return path


def test_external_tileset_cycle_is_refused(tmp_path):
    """a.json -> b.json -> a.json fails when the cycle is reached, naming the chain."""
    _write(tmp_path / "a.json", _tileset(_tile("sub/b.json")))
    _write(tmp_path / "sub/b.json", _tileset(_tile("../a.json")))
    tileset = open_tileset(tmp_path / "a.json")
    with pytest.raises(LoadError, match="cycle"):
        tileset.walk()


def test_external_tileset_depth_is_bounded(tmp_path):
    """A chain of 40 distinct external tilesets stops at the nesting limit."""
    for i in range(40):
        _write(tmp_path / f"t{i}.json", _tileset(_tile(f"t{i + 1}.json")))
    with pytest.raises(LoadError, match="deeper than"):
        open_tileset(tmp_path / "t0.json").walk()


@pytest.mark.parametrize("reference", ["../outside.b3dm", "sub/../../outside.b3dm", "/etc/passwd",
                                       "file:///etc/passwd", "a\x00.b3dm"])
def test_references_outside_the_tileset_folder_are_refused(tmp_path, reference):
    """Path traversal, absolute paths and other schemes in a content uri are LoadErrors."""
    path = _write(tmp_path / "set/tileset.json", _tileset(_tile(reference)))
    with pytest.raises(LoadError):
        open_tileset(path)


def test_urls_are_kept_and_resolved_not_fetched(tmp_path):
    """A local tileset's http(s) content and a URL tileset's relative content stay URL strings."""
    path = _write(tmp_path / "tileset.json", _tileset(_tile("https://example.org/a/b.glb?key=1")))
    assert open_tileset(path).root.contents[0].uri == "https://example.org/a/b.glb?key=1"
    documents = {"https://example.org/city/tileset.json": json.dumps(_tileset(_tile("tiles/0%201.glb"))).encode()}
    remote = open_tileset("https://example.org/city/tileset.json", reader=documents.__getitem__)
    assert remote.root.contents[0].uri == "https://example.org/city/tiles/0%201.glb"
    assert remote.root_dir is None


@pytest.mark.parametrize("document, reason", [
    (_tileset(_tile(), version="2.0"), "version"),
    (_tileset(_tile(), extensionsRequired=["VENDOR_magic"]), "VENDOR_magic"),
    (_tileset({"geometricError": 1}), "boundingVolume"),
    (_tileset(_tile(transform=[1] * 15)), "transform"),
    (_tileset(_tile(transform=[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2])), "affine"),
    (_tileset(_tile(refine="MERGE")), "refine"),
    (_tileset({"boundingVolume": {"sphere": [0, 0, 0, -1]}, "geometricError": 1}), "negative radius"),
    (_tileset({"boundingVolume": {"region": [0, 2, 1, 1, 0, 10]}, "geometricError": 1}), "region"),
    (_tileset(_tile(children=[_tile(geometricError=float("nan"))])), "JSON"),
])
def test_malformed_tilesets_name_the_reason(tmp_path, document, reason):
    """Each malformed tileset is one LoadError whose message says what is wrong."""
    path = tmp_path / "tileset.json"
    path.write_text(json.dumps(document).replace("NaN", "NaN"))
    with pytest.raises(LoadError, match=reason):
        open_tileset(path).walk()


def test_refine_and_transforms_compose_down_the_tree(tmp_path):
    """A child inherits REPLACE and its box moves by parent @ own transform (column-major matrices)."""
    shift = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 100, 0, 0, 1]
    scale = [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 5, 1]
    path = _write(tmp_path / "tileset.json",
                  _tileset(_tile(refine="REPLACE", transform=shift, children=[_tile(transform=scale)])))
    child = open_tileset(path).root.children()[0]
    assert child.refine is Refine.REPLACE
    assert np.allclose(child.bounding_volume.center, [100, 0, 5])
    assert np.allclose(np.abs(child.bounding_volume.half_axes).sum(axis=0), [2, 2, 2])


def test_tile_count_is_limited(tmp_path):
    """A document with more tiles than limits.max_objects is refused before the walk ends."""
    from viewer.config import Limits

    path = _write(tmp_path / "tileset.json", _tileset(_tile(children=[_tile() for _ in range(50)])))
    with pytest.raises(LoadError, match="tile count"):
        open_tileset(path, limits=Limits(max_objects=10))


def test_inspect_reports_the_tree(shared_data):
    """inspect's summary: 9 tiles in 4 levels, 5 b3dm + 1 pnts, 41 features, the region's lon/lat box."""
    from viewer.tiles.inspect import format_tileset_text, summarize_tileset

    summary = summarize_tileset(shared_data / REQUEST_VOLUME)
    assert (summary["tiles"], summary["levels"], summary["tiles_per_level"]) == (9, 4, [1, 3, 1, 4])
    assert summary["content_kinds"] == {"b3dm": 5, "pnts": 1} and summary["features"] == 41
    assert summary["bbox_lonlat"] == pytest.approx([-75.614441, 40.040721, -75.609748, 40.044340], abs=1e-6)
    assert "9 in 4 levels" in format_tileset_text(summary)
    lyon = summarize_tileset(shared_data / LYON / "white_buildings/tileset.json", crs="EPSG:3946")
    assert lyon["features"] == 5 and lyon["bbox_lonlat"][0] == pytest.approx(4.839, abs=1e-3)


def test_inspect_stops_at_max_tiles(tmp_path):
    """A tree larger than max_tiles is reported truncated, its features unknown."""
    from viewer.tiles.inspect import summarize_tileset

    path = _write(tmp_path / "tileset.json", _tileset(_tile(children=[_tile() for _ in range(20)])))
    summary = summarize_tileset(path, max_tiles=5)
    assert summary["truncated"] and summary["tiles"] == 5 and summary["features"] is None


@pytest.mark.shared_data
def test_inspect_a_tileset_from_the_command_line(shared_data):
    """`citiverse inspect tileset.json` reports the tree (it was refused as neither CityJSON nor GeoJSON); a
    tileset at the earth's centre (a format sample) has no lon/lat box rather than a meaningless one."""
    import json
    import subprocess
    import sys

    samples = shared_data / "tiles3d_cesium_samples"
    run = subprocess.run([sys.executable, "-m", "viewer.cli", "inspect", "--json",
                          str(samples / "1.0" / "TilesetWithRequestVolume" / "tileset.json")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["format"] == "3dtiles" and report["tiles"] == 9 and report["features"] == 41
    assert report["content_kinds"] == {"b3dm": 5, "pnts": 1}
    run = subprocess.run([sys.executable, "-m", "viewer.cli", "inspect", "--json",
                          str(samples / "1.1" / "MetadataGranularities" / "tileset.json")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and json.loads(run.stdout)["bbox_lonlat"] is None
    # A tileset is streamed by view/render (tests/test_tiles_stream.py); a whole-file loader names it.
    from viewer.city.loaders import detect_format

    with pytest.raises(LoadError, match="3D Tiles tileset: it is streamed"):
        detect_format(samples / "1.1" / "MetadataGranularities" / "tileset.json")
