"""CityJSON and CityJSON Text Sequence loading: real files from ../shared/data and small hand-made ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from viewer.city.cityjson import load, load_seq
from viewer.city.model import SourceModel, SurfaceKind
from viewer.config import Limits, SourceConfig

LIMITS = Limits()


def load_file(path: Path, **options: Any) -> SourceModel:
    return load(path, SourceConfig(path=path, **options), LIMITS)


def write(tmp_path: Path, doc: Any, name: str = "m.city.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


def city(objects: dict[str, Any], vertices: list[list[float]], **extra: Any) -> dict[str, Any]:
    return {"type": "CityJSON", "version": "2.0", "CityObjects": objects, "vertices": vertices, **extra}


def kinds_of(model: SourceModel, object_id: str) -> set[str]:
    obj = model.objects.index_of(object_id)
    return {SurfaceKind(k).name for k in np.unique(model.vertex_kind[model.vertex_object == obj])}


# A unit cube as a Solid, outward-facing rings: bottom, top, then four walls.
CUBE_VERTICES = [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]]
CUBE_SHELL = [[[0, 3, 2, 1]], [[4, 5, 6, 7]], [[0, 1, 5, 4]], [[1, 2, 6, 5]], [[2, 3, 7, 6]], [[3, 0, 4, 7]]]


def cube(**extra: Any) -> dict[str, Any]:
    return {"type": "Solid", "lod": "1", "boundaries": [CUBE_SHELL], **extra}


# ---------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def delft(shared_data: Path) -> SourceModel:
    return load_file(shared_data / "cityjson_delft" / "delft.json")


@pytest.fixture(scope="module")
def denhaag(shared_data: Path) -> tuple[SourceModel, SourceModel]:
    folder = shared_data / "cityjson_denhaag"
    return load_file(folder / "DenHaag_01.city.json"), load_file(folder / "DenHaag_01.v1.0.json")


def test_delft_counts_bbox_and_crs(delft: SourceModel) -> None:
    """Delft (2.0) has SOURCE.md's 570 objects, 160 buildings, 143 roads, its bbox to 1 mm and EPSG:7415."""
    counts = delft.objects.type_counts()
    assert len(delft.objects) == 570
    assert (counts["Building"], counts["Road"]) == (160, 143)
    lo, hi = delft.bbox()
    np.testing.assert_allclose(lo, [84616.468, 447422.999, -0.452], atol=1e-3)
    np.testing.assert_allclose(hi, [85140.839, 447750.636, 16.846], atol=1e-3)
    assert delft.crs == "EPSG:7415"
    assert delft.format == "cityjson"


def test_delft_kinds_follow_object_types(delft: SourceModel) -> None:
    """Without semantics, roads are ROAD, water bodies WATER and buildings get roofs and walls by normal."""
    types = np.array(delft.objects.types)[delft.vertex_object]
    assert set(np.unique(delft.vertex_kind[types == "Road"])) == {SurfaceKind.ROAD}
    assert set(np.unique(delft.vertex_kind[types == "WaterBody"])) == {SurfaceKind.WATER}
    assert set(np.unique(delft.vertex_kind[types == "Building"])) == {SurfaceKind.ROOF, SurfaceKind.WALL}
    assert set(np.unique(delft.vertex_kind[types == "PlantCover"])) == {SurfaceKind.OTHER}


def test_delft_1b_version_1_1_loads(shared_data: Path) -> None:
    """The single-building CityJSON 1.1 file loads with its SOURCE.md bbox."""
    model = load_file(shared_data / "cityjson_delft" / "delft_1b.json")
    assert model.objects.types == ["Building"]
    lo, hi = model.bbox()
    np.testing.assert_allclose(lo, [84983.297, 447463.655, -0.1], atol=1e-3)
    np.testing.assert_allclose(hi, [85056.513, 447507.046, 6.0], atol=1e-3)


def test_denhaag_versions_agree(denhaag: tuple[SourceModel, SourceModel]) -> None:
    """Den Haag as CityJSON 2.0 and as 1.0 gives the same objects, triangles and CRS."""
    v2, v1 = denhaag
    for model in (v2, v1):
        counts = model.objects.type_counts()
        assert (counts["Building"], counts["BuildingPart"], counts["TINRelief"]) == (844, 1653, 1)
        assert model.crs == "EPSG:7415"
    assert v2.objects.ids == v1.objects.ids
    assert v2.triangle_count == v1.triangle_count > 40_000
    np.testing.assert_array_equal(v2.objects.parents, v1.objects.parents)


def test_denhaag_parts_terrain_and_roofs(denhaag: tuple[SourceModel, SourceModel]) -> None:
    """Every BuildingPart has a Building parent, the TINRelief is TERRAIN and roofs exist."""
    model = denhaag[0]
    types = np.array(model.objects.types)
    parents = model.objects.parents[types == "BuildingPart"]
    assert (parents >= 0).all()
    assert set(types[parents]) == {"Building"}
    tin = model.objects.index_of(model.objects.ids[int(np.flatnonzero(types == "TINRelief")[0])])
    assert set(np.unique(model.vertex_kind[model.vertex_object == tin])) == {SurfaceKind.TERRAIN}
    assert (model.vertex_kind == SurfaceKind.ROOF).sum() > 1000


def test_multilod_choice_changes_geometry(shared_data: Path) -> None:
    """LoD 1.2, 2.2 and highest pick different geometry; highest is 2.2; options.crs supplies the CRS."""
    path = shared_data / "cityjson_3dbag_multilod" / "multi_lod.json"
    tri = {lod: load_file(path, lod=lod, crs="EPSG:7415").triangle_count for lod in ("1.2", "1.3", "2.2")}
    highest = load_file(path, crs="EPSG:7415")
    assert len(set(tri.values())) == 3
    assert highest.triangle_count == tri["2.2"]
    assert highest.crs == "EPSG:7415"
    assert load_file(path).crs is None


def test_zurich_heights(shared_data: Path) -> None:
    """Zürich (LV95, 1.1) loads 49 + 161 objects with heights between 396 and 621 m."""
    model = load_file(shared_data / "cityjson_zurich" / "zurich_subset_lod2.json")
    lo, hi = model.bbox()
    assert 395 < lo[2] < 397 and 620 < hi[2] < 622
    assert model.crs == "EPSG:2056"
    assert len(model.objects) == 210


def to_jsonl(source: Path, out: Path) -> None:
    """A tiny CityJSON -> CityJSONSeq converter: one feature per top-level object with its children, each
    feature's boundaries renumbered into its own "vertices" (still transformed by the header's transform)."""
    with source.open() as fh:
        doc = json.load(fh)
    header = {"type": "CityJSON", "version": "2.0", "transform": doc["transform"],
              "metadata": doc["metadata"], "CityObjects": {}, "vertices": []}
    lines = [json.dumps(header)]
    for object_id, obj in doc["CityObjects"].items():
        if obj.get("parents"):
            continue
        members = {object_id: obj, **{c: doc["CityObjects"][c] for c in obj.get("children", [])}}
        remap: dict[int, int] = {}

        def local(node: Any, remap: dict[int, int] = remap) -> Any:
            return [local(x) for x in node] if isinstance(node, list) else remap.setdefault(node, len(remap))

        objects = {k: {**o, "geometry": [{**g, "boundaries": local(g["boundaries"])}
                                         for g in o.get("geometry", [])]} for k, o in members.items()}
        vertices = [doc["vertices"][i] for i in remap]  # dicts keep insertion order = local numbering
        lines.append(json.dumps({"type": "CityJSONFeature", "id": object_id, "CityObjects": objects,
                                 "vertices": vertices}))
    out.write_text("\n".join(lines) + "\n")


def test_jsonl_matches_json(delft: SourceModel, shared_data: Path, tmp_path: Path) -> None:
    """Delft as a text sequence (per-feature vertices) gives the same objects, triangles and bbox."""
    path = tmp_path / "delft.city.jsonl"
    to_jsonl(shared_data / "cityjson_delft" / "delft.json", path)
    seq = load_file(path)  # dispatched on the suffix
    assert seq.format == "cityjsonseq"
    assert seq.objects.type_counts() == delft.objects.type_counts()
    assert sorted(seq.objects.ids) == sorted(delft.objects.ids)
    assert (seq.triangle_count, seq.vertex_count) == (delft.triangle_count, delft.vertex_count)
    np.testing.assert_allclose(seq.bbox(), delft.bbox(), atol=1e-6)
    assert seq.crs == "EPSG:7415"


# ---------------------------------------------------------------- hand-made files


def test_transform_and_crs_spellings(tmp_path: Path) -> None:
    """Vertices are scaled and translated; a 1.0 URN and a 2.0 URL both become EPSG:n; options.crs wins."""
    doc = city({"a": {"type": "Building", "geometry": [cube()]}},
               [[v * 1000 for v in p] for p in CUBE_VERTICES],
               transform={"scale": [0.001, 0.001, 0.001], "translate": [100.0, 200.0, 5.0]},
               metadata={"referenceSystem": "urn:ogc:def:crs:EPSG::28992"})
    model = load_file(write(tmp_path, doc))
    np.testing.assert_allclose(model.bbox(), ([100, 200, 5], [101, 201, 6]))
    assert model.crs == "EPSG:28992"
    doc["metadata"]["referenceSystem"] = "https://www.opengis.net/def/crs/EPSG/0/7415"
    assert load_file(write(tmp_path, doc)).crs == "EPSG:7415"
    assert load_file(write(tmp_path, doc), crs="EPSG:2056").crs == "EPSG:2056"


def test_version_1_0_without_transform(tmp_path: Path) -> None:
    """A 1.0 file with float vertices and no transform loads as-is."""
    shifted = [[x + 0.5, y, z] for x, y, z in CUBE_VERTICES]
    doc = city({"a": {"type": "Building", "geometry": [cube(lod=1)]}}, shifted)
    doc["version"] = "1.0"
    model = load_file(write(tmp_path, doc))
    assert model.bbox()[0] == [0.5, 0.0, 0.0]
    assert model.triangle_count == 12
    assert model.meta["warnings"] == []


def test_building_kinds_by_normal(tmp_path: Path) -> None:
    """A building without semantics: the top is ROOF, the bottom GROUND, the sides WALL (per vertex)."""
    model = load_file(write(tmp_path, city({"a": {"type": "Building", "geometry": [cube()]}}, CUBE_VERTICES)))
    z, kind = model.positions[:, 2], model.vertex_kind
    face = np.repeat(np.arange(6), 4)  # each face owns its 4 vertices, in boundary order
    assert model.vertex_count == 24
    assert set(kind[face == 0]) == {SurfaceKind.GROUND} and set(z[face == 0]) == {0.0}
    assert set(kind[face == 1]) == {SurfaceKind.ROOF} and set(z[face == 1]) == {1.0}
    assert set(kind[face >= 2]) == {SurfaceKind.WALL}


def test_semantics_win_over_normals(tmp_path: Path) -> None:
    """Semantic surfaces set the kind; a null value or an unknown type falls back to the normal rule."""
    semantics = {"surfaces": [{"type": "WallSurface"}, {"type": "RoofSurface"}, {"type": "+Balcony"}],
                 "values": [[0, 1, None, 2, 0, 0]]}  # bottom tagged as wall on purpose
    doc = city({"a": {"type": "Building", "geometry": [cube(semantics=semantics)]}}, CUBE_VERTICES)
    kind = load_file(write(tmp_path, doc)).vertex_kind.reshape(6, 4)[:, 0]
    assert kind.tolist() == [SurfaceKind.WALL, SurfaceKind.ROOF, SurfaceKind.WALL, SurfaceKind.WALL,
                             SurfaceKind.WALL, SurfaceKind.WALL]


@pytest.mark.parametrize(("object_type", "semantic", "expected"), [
    ("Road", None, SurfaceKind.ROAD), ("Railway", None, SurfaceKind.ROAD),
    ("TransportSquare", None, SurfaceKind.ROAD), ("TINRelief", None, SurfaceKind.TERRAIN),
    ("WaterBody", None, SurfaceKind.WATER), ("LandUse", None, SurfaceKind.OTHER),
    ("Road", "TrafficArea", SurfaceKind.ROAD), ("Road", "AuxiliaryTrafficArea", SurfaceKind.ROAD),
    ("WaterBody", "WaterSurface", SurfaceKind.WATER), ("Building", "OuterCeilingSurface", SurfaceKind.WALL),
    ("LandUse", "GroundSurface", SurfaceKind.GROUND), ("Bridge", "RoofSurface", SurfaceKind.ROOF),
])
def test_surface_kind_table(tmp_path: Path, object_type: str, semantic: str | None,
                            expected: SurfaceKind) -> None:
    """A flat square gets the kind of its semantic surface, else of its object type."""
    geometry: dict[str, Any] = {"type": "MultiSurface", "lod": "1", "boundaries": [[[0, 1, 2, 3]]]}
    if semantic:
        geometry["semantics"] = {"surfaces": [{"type": semantic}], "values": [0]}
    doc = city({"x": {"type": object_type, "geometry": [geometry]}}, CUBE_VERTICES[:4])
    assert set(load_file(write(tmp_path, doc)).vertex_kind) == {expected}


def test_polygon_with_hole_and_closed_ring(tmp_path: Path) -> None:
    """A square with a square hole makes 8 triangles covering 16 - 4 = 12; a closed ring loses its repeat."""
    outer = [[0, 0, 0], [4, 0, 0], [4, 4, 0], [0, 4, 0]]
    hole = [[1, 1, 0], [1, 3, 0], [3, 3, 0], [3, 1, 0]]
    surfaces = [[[0, 1, 2, 3], [4, 5, 6, 7]], [[0, 1, 2, 0]]]  # the second ring is written closed
    doc = city({"x": {"type": "LandUse", "geometry": [{"type": "CompositeSurface", "lod": 1,
                                                         "boundaries": surfaces}]}}, outer + hole)
    model = load_file(write(tmp_path, doc))
    p = model.positions[model.triangles]
    area = 0.5 * np.linalg.norm(np.cross(p[:, 1] - p[:, 0], p[:, 2] - p[:, 0]), axis=1)
    assert model.triangle_count == 9
    assert area.sum() == pytest.approx(12 + 8)
    assert model.vertex_count == 8 + 3


def test_multisolid_and_compositesolid(tmp_path: Path) -> None:
    """MultiSolid and CompositeSolid boundaries (solid > shell > surface > ring) triangulate fully."""
    two = [[CUBE_SHELL], [CUBE_SHELL]]
    doc = city({"m": {"type": "Building", "geometry": [{"type": "MultiSolid", "lod": 2, "boundaries": two}]},
                "c": {"type": "Bridge", "geometry": [{"type": "CompositeSolid", "lod": 2,
                                                      "boundaries": two}]}}, CUBE_VERTICES)
    model = load_file(write(tmp_path, doc))
    assert model.triangle_count == 4 * 12
    assert np.bincount(model.vertex_object).tolist() == [48, 48]


def test_geometry_instance(tmp_path: Path) -> None:
    """Template vertices go through the 4x4 matrix, then move to the (transformed) reference point."""
    templates = {"templates": [{"type": "MultiSurface", "lod": "2", "boundaries": [[[0, 1, 2]]]}],
                 "vertices-templates": [[0, 0, 0], [1, 0, 0], [0, 1, 0]]}
    scale2 = [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1]
    shift = [1, 0, 0, 5, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
    def tree(reference: int, matrix: list[float]) -> dict[str, Any]:
        instance = {"type": "GeometryInstance", "template": 0, "boundaries": [reference],
                    "transformationMatrix": matrix}
        return {"type": "SolitaryVegetationObject", "geometry": [instance]}

    doc = city({"t1": tree(0, scale2), "t2": tree(1, shift)},
               [[0, 0, 0], [100, 100, 100]], **{"geometry-templates": templates},
               transform={"scale": [0.01, 0.01, 0.01], "translate": [1000, 2000, 0]})
    model = load_file(write(tmp_path, doc))
    np.testing.assert_allclose(model.positions, [[1000, 2000, 0], [1002, 2000, 0], [1000, 2002, 0],
                                                 [1006, 2001, 1], [1007, 2001, 1], [1006, 2002, 1]])
    assert model.vertex_object.tolist() == [0, 0, 0, 1, 1, 1]
    assert model.triangle_count == 2


def test_lod_choice_rules(tmp_path: Path) -> None:
    """Highest by default; a given LoD where the object has it (numbers and strings alike), else highest."""
    flat = {"type": "MultiSurface", "boundaries": [[[0, 1, 2, 3]]]}
    doc = city({"both": {"type": "Building", "geometry": [cube(lod=1), {**flat, "lod": "2.0"}]},
                "only1": {"type": "Building", "geometry": [cube(lod="1"), {**flat, "lod": "0"}]}},
               CUBE_VERTICES)
    path = write(tmp_path, doc)

    def vertices_per_object(**options: Any) -> list[int]:
        return np.bincount(load_file(path, **options).vertex_object, minlength=2).tolist()

    assert vertices_per_object() == [4, 24]  # both: LoD 2 square; only1: LoD 1 cube
    assert vertices_per_object(lod="1") == [24, 24]
    assert vertices_per_object(lod="2") == [4, 24]  # only1 lacks 2: its highest
    assert vertices_per_object(lod="0") == [4, 4]  # both lacks 0: its highest


def test_object_table_parents_and_attributes(tmp_path: Path) -> None:
    """Rows in file order, geometry or not; parents from "parents" or "children"; attributes kept as-is."""
    attributes = {"height": 12.5, "nested": {"a": [1, 2]}, "name": None}
    doc = city({"b": {"type": "Building", "attributes": attributes, "children": ["p1"]},
                "p1": {"type": "BuildingPart", "geometry": [cube()]},
                "p2": {"type": "BuildingPart", "parents": ["b"], "geometry": [cube()]},
                "lost": {"type": "BuildingPart", "parents": ["nobody"]}}, CUBE_VERTICES)
    model = load_file(write(tmp_path, doc))
    assert model.objects.ids == ["b", "p1", "p2", "lost"]
    assert model.objects.parents.tolist() == [-1, 0, 0, -1]
    assert model.objects.attributes[0] == attributes
    assert any("nobody" in w for w in model.meta["warnings"])


def test_parent_cycle_is_cut(tmp_path: Path) -> None:
    """Objects in a parent cycle lose their parents (with a warning) so walking up always ends."""
    doc = city({"a": {"type": "Building", "parents": ["b"]}, "b": {"type": "Building", "parents": ["a"]},
                "c": {"type": "BuildingPart", "parents": ["d"]}, "d": {"type": "Building"}}, [])
    model = load_file(write(tmp_path, doc))
    assert model.objects.parents.tolist() == [-1, -1, 3, -1]
    assert any("cycle" in w for w in model.meta["warnings"])


def test_unknown_and_pointless_geometry_types(tmp_path: Path) -> None:
    """An unknown geometry type is skipped with a warning; MultiPoint quietly; the rest still loads."""
    doc = city({"a": {"type": "Building", "geometry": [{"type": "Blob", "lod": "1", "boundaries": []}]},
                "b": {"type": "GenericCityObject",
                      "geometry": [{"type": "MultiPoint", "lod": "1", "boundaries": [0]}]},
                "c": {"type": "Building", "geometry": [cube()]}}, CUBE_VERTICES)
    model = load_file(write(tmp_path, doc))
    assert model.triangle_count == 12
    assert model.meta["skipped_geometries"] == 2
    assert len(model.meta["warnings"]) == 1 and "Blob" in model.meta["warnings"][0]


def test_load_seq_features_have_local_vertices(tmp_path: Path) -> None:
    """Each CityJSONFeature indexes its own vertices, transformed by the header's transform."""
    header = {"type": "CityJSON", "version": "2.0", "CityObjects": {}, "vertices": [],
              "transform": {"scale": [1, 1, 1], "translate": [10, 0, 0]}}
    feature = {"type": "CityJSONFeature", "id": "a", "vertices": CUBE_VERTICES,
               "CityObjects": {"a": {"type": "Building", "geometry": [cube()]}}}
    second = {**feature, "id": "b", "CityObjects": {"b": {"type": "Building", "geometry": [cube()]}},
              "vertices": [[x + 5, y, z] for x, y, z in CUBE_VERTICES]}
    path = tmp_path / "two.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in (header, feature, second)) + "\n\n")
    model = load_seq(path, SourceConfig(path=path), LIMITS)
    assert model.objects.ids == ["a", "b"]
    assert model.bbox() == ([10.0, 0.0, 0.0], [16.0, 1.0, 1.0])
    assert kinds_of(model, "b") == {"ROOF", "WALL", "GROUND"}
