"""Hostile CityJSON: each malformed, lying or oversized file is a LoadError naming the file, never a crash."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.city.cityjson import load
from viewer.city.model import SourceModel
from viewer.config import Limits, SourceConfig
from viewer.errors import LimitExceeded, LoadError

SQUARE = [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]]
GOOD_GEOMETRY = {"type": "MultiSurface", "lod": "1", "boundaries": [[[0, 1, 2, 3]]]}


def doc(geometry: Any = None, vertices: Any = None, **extra: Any) -> dict[str, Any]:
    """A valid one-square CityJSON document, with parts replaced."""
    out = {"type": "CityJSON", "version": "2.0", "vertices": SQUARE if vertices is None else vertices,
           "CityObjects": {"o": {"type": "Building", "geometry": [geometry or GOOD_GEOMETRY]}}}
    out.update(extra)
    return out


def run(tmp_path: Path, content: Any, limits: Limits | None = None,
        name: str = "bad.city.json") -> SourceModel:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    return load(path, SourceConfig(path=path), limits or Limits())


def fails(tmp_path: Path, content: Any, reason: str, limits: Limits | None = None,
          name: str = "bad.city.json") -> LoadError:
    with pytest.raises(LoadError) as info:
        run(tmp_path, content, limits, name)
    assert info.value.path.endswith(name)
    assert reason.lower() in info.value.reason.lower(), info.value.reason
    return info.value


def ms(boundaries: Any, **extra: Any) -> dict[str, Any]:
    return {"type": "MultiSurface", "lod": "1", "boundaries": boundaries, **extra}


def one(**fields: Any) -> dict[str, Any]:
    """A document whose only CityObject "o" has these fields (raw, not checked)."""
    return {**doc(), "CityObjects": {"o": fields}}


def sem(surfaces: Any, values: Any) -> dict[str, Any]:
    """doc() with one triangle carrying this semantics."""
    return doc(ms([[[0, 1, 2]]], semantics={"surfaces": surfaces, "values": values}))


TEMPLATES = {"geometry-templates": {"templates": [GOOD_GEOMETRY], "vertices-templates": SQUARE}}
IDENTITY = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]


CASES = {
    "not json": (b"this is not json", "malformed JSON"),
    "truncated": (json.dumps(doc()).encode()[:-20], "malformed JSON"),
    "nan token": (json.dumps(doc()).replace("[1, 1, 0]", "[NaN, 1, 0]").encode(), "not valid JSON"),
    "top-level list": ([doc()], "top level is a JSON list"),
    "geojson": ({"type": "FeatureCollection", "features": []}, "not CityJSON"),
    "no CityObjects": ({"type": "CityJSON", "version": "2.0", "vertices": []}, "CityObjects"),
    "CityObjects list": ({**doc(), "CityObjects": [1, 2]}, "CityObjects"),
    "no vertices": ({"type": "CityJSON", "version": "2.0", "CityObjects": {}}, "vertices"),
    "vertices object": (doc(vertices={"a": 1}), "vertices"),
    "vertex pairs": (doc(vertices=[[0, 0], [1, 0], [1, 1], [0, 1]]), "triples"),
    "vertex strings": (doc(vertices=[["0", "0", "0"]] * 4), "triples"),
    "vertex null": (doc(vertices=[[None, 0, 0]] + SQUARE[1:]), "triples"),
    "vertex overflow": (json.dumps(doc()).replace("[1, 1, 0]", "[1e400, 1, 0]").encode(), "infinite"),
    "vertex absurd": (doc(vertices=[[1e300, 0, 0]] + SQUARE[1:]), "beyond"),
    "huge int vertex": (doc(vertices=[[2**80, 0, 0]] + SQUARE[1:]), "beyond"),  # orjson: a float beyond 2**64
    "transform inf": (json.dumps(doc(transform={"scale": [1, 1, 1], "translate": [1, 2, 3]}))
                      .replace("[1, 2, 3]", "[1e999, 2, 3]").encode(), "not finite"),
    "transform overflow": (doc(transform={"scale": [1e300, 1, 1], "translate": [0, 0, 0]},
                               vertices=[[10**10, 0, 0]] + SQUARE[1:]), "infinite"),
    "transform short": (doc(transform={"scale": [1, 1], "translate": [0, 0, 0]}), "transform.scale"),
    "transform strings": (doc(transform={"scale": ["1", 1, 1], "translate": [0, 0, 0]}), "must be a number"),
    "index out of range": (doc(ms([[[0, 1, 2, 4]]])), "out of range"),
    "negative index": (doc(ms([[[0, 1, -1]]])), "out of range"),
    "float index": (doc(ms([[[0, 1, 2.5]]])), "integers"),
    "string index": (doc(ms([[["0", "1", "2"]]])), "integers"),
    "null index": (doc(ms([[[0, None, 2]]])), "integers"),
    "bool index": (doc(ms([[[True, False, True]]])), "integers"),
    "huge index": (doc(ms([[[0, 1, 2**64]]])), "integers"),
    "too deep": (doc(ms([[[[0, 1, 2]]]])), "integers"),
    "too shallow": (doc(ms([[0, 1, 2]])), "malformed geometry"),
    "boundaries object": (doc(ms({"a": 1})), "boundaries"),
    "no boundaries": (doc({"type": "Solid", "lod": "1"}), "malformed geometry"),
    "geometry not list": (one(type="Building", geometry={"a": 1}), "array"),
    "geometry not object": (doc(7), "malformed geometry"),
    "object not object": ({**doc(), "CityObjects": {"o": [1]}}, "string \"type\""),
    "object without type": (one(geometry=[]), "string \"type\""),
    "attributes list": (one(type="Building", attributes=[1]), "attributes"),
    "semantics out of range": (sem([{"type": "RoofSurface"}], [3]), "semantic value"),
    "semantics wrong count": (sem([], [0, 0]), "2 values"),
    "semantics nested wrong": (sem([{"type": "RoofSurface"}], [[0]]), "semantic values"),
    "semantics strings": (sem([{}], ["x"]), "semantic values"),
    "semantics not arrays": (sem(3, [0]), "semantics"),
    "deep nesting": (b'{"type": "CityJSON", "a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "too deeply"),
    "template out of range": (doc({"type": "GeometryInstance", "template": 3, "boundaries": [0],
                                   "transformationMatrix": IDENTITY}, **TEMPLATES), "template index"),
    "template without templates": (doc({"type": "GeometryInstance", "template": 0, "boundaries": [0],
                                        "transformationMatrix": IDENTITY}), "template index"),
    "bad matrix": (doc({"type": "GeometryInstance", "template": 0, "boundaries": [0],
                        "transformationMatrix": [1, 0, 0]}, **TEMPLATES), "transformationMatrix"),
    "bad reference point": (doc({"type": "GeometryInstance", "template": 0, "boundaries": [9],
                                 "transformationMatrix": IDENTITY}, **TEMPLATES), "reference"),
    "bad template": (doc(**{"geometry-templates": {"templates": [{"type": "Solid",
                                                                  "boundaries": [[[[0, 9]]]]}],
                                                   "vertices-templates": SQUARE}}), "out of range"),
    "templates not object": (doc(**{"geometry-templates": [1]}), "geometry-templates"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_is_load_error(tmp_path: Path, case: str) -> None:
    """Each hand-made hostile file raises LoadError naming the file and saying what is wrong."""
    content, reason = CASES[case]
    fails(tmp_path, content, reason)


def test_process_settings_restored_after_error(tmp_path: Path) -> None:
    """A failed load leaves the garbage collector and numpy's huge-page advice as they were."""
    set_hugepage = np._core.multiarray._set_madvise_hugepage
    before = set_hugepage(True)
    try:
        fails(tmp_path, doc(ms([[[0, 1, 9]]])), "out of range")
        assert gc.isenabled()
        assert set_hugepage(before) is True
    finally:
        set_hugepage(before)


def test_errors_name_the_object(tmp_path: Path) -> None:
    """A geometry error says which CityObject it is in."""
    error = fails(tmp_path, doc(ms([[0, 1, 2]])), "malformed")
    assert "'o'" in error.reason


def test_vertex_limit_checked_before_arrays(tmp_path: Path) -> None:
    """More vertices than limits.max_vertices is LimitExceeded, even when they are otherwise junk."""
    with pytest.raises(LimitExceeded) as info:
        run(tmp_path, doc(vertices=[["junk"]] * 10), Limits(max_vertices=5))
    assert info.value.limit == "vertex count" and info.value.value == 10


def test_object_limit(tmp_path: Path) -> None:
    """More CityObjects than limits.max_objects is LimitExceeded before any is read."""
    content = {**doc(), "CityObjects": {str(i): "junk" for i in range(20)}}
    with pytest.raises(LimitExceeded) as info:
        run(tmp_path, content, Limits(max_objects=10))
    assert info.value.limit == "object count"


def test_ring_triangle_and_reused_vertex_limits(tmp_path: Path) -> None:
    """Rings over max_ring_vertices, triangles over max_triangles, and index lists that reuse vertices
    beyond max_vertices are all LimitExceeded."""
    with pytest.raises(LimitExceeded, match="ring"):
        run(tmp_path, doc(), Limits(max_ring_vertices=3))
    with pytest.raises(LimitExceeded, match="triangle"):
        run(tmp_path, doc(), Limits(max_triangles=1))
    many = doc(ms([[[0, 1, 2, 3]]] * 10))  # 4 file vertices, 40 surface vertices
    with pytest.raises(LimitExceeded, match="vertex count"):
        run(tmp_path, many, Limits(max_vertices=30))


def test_unknown_parent_and_child_are_warnings(tmp_path: Path) -> None:
    """Parents and children naming unknown (or non-string) ids keep parent -1 and add warnings."""
    content = {**doc(), "CityObjects": {"a": {"type": "BuildingPart", "parents": ["ghost", ["x"]]},
                                        "b": {"type": "Building", "children": [{"x": 1}, "nope"]},
                                        "c": {"type": "Building", "parents": "a"}}}
    model = run(tmp_path, content)
    assert model.objects.parents.tolist() == [-1, -1, -1]
    assert len(model.meta["warnings"]) == 4


def test_seq_errors_name_the_line(tmp_path: Path) -> None:
    """In a text sequence a broken feature line is reported with its line number."""
    header = json.dumps({"type": "CityJSON", "version": "2.0", "CityObjects": {}, "vertices": []})
    good = json.dumps({"type": "CityJSONFeature", "CityObjects": {"o": {"type": "Building",
                                                                      "geometry": [GOOD_GEOMETRY]}},
                       "vertices": SQUARE})
    bad_index = good.replace("[0, 1, 2, 3]", "[0, 1, 2, 7]")
    name = "s.city.jsonl"
    fails(tmp_path, f"{header}\n{good}\n{{oops\n".encode(), "line 3: malformed JSON", name=name)
    fails(tmp_path, f"{header}\n{good}\n[1, 2]\n".encode(), "line 3: not a CityJSONFeature", name=name)
    fails(tmp_path, f"{header}\n{good}\n{bad_index}\n".encode(), "out of range", name=name)
    fails(tmp_path, f"{good}\n".encode(), "not CityJSON", name=name)
    fails(tmp_path, b"\n\n", "empty file", name=name)
    fails(tmp_path, f"{header}\n{json.dumps({'type': 'CityJSONFeature', 'CityObjects': {}})}\n".encode(),
          "vertices", name=name)


# ---------------------------------------------------------------- generated


scalars = (st.none() | st.booleans() | st.integers(-3, 12) | st.text(max_size=3)
           | st.floats(allow_nan=False, allow_infinity=False))
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=25)


def mostly(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Usually `strategy`, sometimes any JSON value: deep paths get exercised, not just the door."""
    return st.integers(0, 7).flatmap(lambda i: json_values if i == 5 else strategy)


index_trees = st.recursive(st.integers(-2, 9) | st.just(None) | st.just(1.5),
                           lambda inner: st.lists(inner, max_size=4), max_leaves=30)
rings = st.lists(st.integers(0, 9), min_size=3, max_size=6)
surfaces = st.lists(st.lists(rings, min_size=1, max_size=2), max_size=3)
solids = st.lists(surfaces, max_size=2)
boundaries = st.one_of(surfaces, solids, st.lists(solids, max_size=2), index_trees, json_values)
semantics = st.fixed_dictionaries({
    "surfaces": mostly(st.lists(st.fixed_dictionaries(
        {"type": st.sampled_from(["RoofSurface", "WallSurface", "X"])}), max_size=3)),
    "values": st.one_of(index_trees, st.lists(st.integers(0, 2) | st.none(), max_size=4), json_values)})
geometries = st.fixed_dictionaries(
    {"type": st.sampled_from(["MultiSurface", "CompositeSurface", "Solid", "MultiSolid", "CompositeSolid",
                              "GeometryInstance", "MultiPoint", "Blob"]) | json_values,
     "boundaries": boundaries},
    optional={"lod": st.sampled_from(["1", "2.2", 2, None]) | json_values, "semantics": semantics,
              "template": st.integers(-1, 2) | json_values, "transformationMatrix": mostly(st.lists(
                  st.floats(-1e6, 1e6) | st.integers(-5, 5), min_size=16, max_size=16))})
city_objects = st.fixed_dictionaries(
    {"type": mostly(st.sampled_from(["Building", "BuildingPart", "Road", "TINRelief"]))},
    optional={"geometry": mostly(st.lists(geometries, max_size=3)), "attributes": mostly(st.dictionaries(
                  st.text(max_size=3), json_values, max_size=2)),
              "parents": st.lists(st.sampled_from(["a", "b", "zz"]) | json_values, max_size=2),
              "children": st.lists(st.sampled_from(["a", "b", "zz"]) | json_values, max_size=2)})
coordinates = st.integers(-10**6, 10**6) | st.floats(-1e9, 1e9)
vertices = mostly(st.lists(st.lists(coordinates, min_size=3, max_size=3), min_size=8, max_size=12))
documents = st.fixed_dictionaries(
    {"type": st.just("CityJSON"),
     "CityObjects": st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), city_objects, max_size=4),
     "vertices": vertices},
    optional={"version": st.sampled_from(["1.0", "2.0", "9"]) | json_values,
              "transform": mostly(st.fixed_dictionaries({
                  "scale": st.lists(st.floats(1e-3, 1e3), min_size=3, max_size=3),
                  "translate": st.lists(st.floats(-1e6, 1e6), min_size=3, max_size=3)})),
              "metadata": st.fixed_dictionaries(
                  {"referenceSystem": mostly(st.just("urn:ogc:def:crs:EPSG::7415"))}),
              "geometry-templates": mostly(st.fixed_dictionaries(
                  {"templates": st.lists(geometries, max_size=2), "vertices-templates": vertices}))})


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents | json_values)
def test_generated_documents_load_or_fail_cleanly(scratch: Path, document: Any) -> None:
    """Random CityJSON-shaped documents only ever give a SourceModel or a LoadError."""
    try:
        model = run(scratch, document, Limits(max_vertices=10_000, max_triangles=10_000))
    except LoadError as exc:
        assert exc.path.endswith("bad.city.json")
    else:
        assert isinstance(model, SourceModel)
        assert model.vertex_object.shape == model.vertex_kind.shape == (model.vertex_count,)
        assert model.vertex_count == 0 or int(model.triangles.max()) < model.vertex_count


@settings(max_examples=60, deadline=None)
@given(st.lists(documents | json_values, min_size=1, max_size=4))
def test_generated_sequences_load_or_fail_cleanly(scratch: Path, lines: list[Any]) -> None:
    """Random text sequences (features with junk) only ever give a SourceModel or a LoadError."""
    header = {"type": "CityJSON", "version": "2.0", "CityObjects": {}, "vertices": []}
    features = [({**line, "type": "CityJSONFeature"} if isinstance(line, dict) else line) for line in lines]
    content = "\n".join(json.dumps(x) for x in [header, *features]).encode()
    try:
        run(scratch, content, name="bad.city.jsonl")
    except LoadError as exc:
        assert exc.path.endswith("bad.city.jsonl")
