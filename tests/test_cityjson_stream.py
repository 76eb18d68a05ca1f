"""A plain CityJSON document streamed (viewer/city/cityjson_stream.py through cityjson.iter_chunks): the same
model as a whole parse, the same errors, bounded memory; real files on disk, tiny blocks and pieces so every
boundary falls inside strings, escapes and objects."""

from __future__ import annotations

import json
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.city import cityjson, cityjson_stream
from viewer.city.cityjson_stream import CLOSE, COLON, COMMA, OPEN, Scanner
from viewer.city.model import SourceModel
from viewer.cli import main
from viewer.config import Limits, SourceConfig
from viewer.errors import LimitExceeded, LoadError

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from test_cityjson_hostile import CASES, documents, json_values  # noqa: E402
from test_tiles_write_stream import _generator, leaf_ids  # noqa: E402

IDENTITY = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]
SQUARE = [[0, 0, 0], [1000, 0, 0], [1000, 1000, 0], [0, 1000, 0], [0, 0, 3000], [500, 500, 9000]]


@pytest.fixture(params=["small", "default"])
def sizes(request, monkeypatch) -> str:
    """Blocks of 7 bytes and pieces of 50 (every boundary case), or the real sizes."""
    if request.param == "small":
        monkeypatch.setattr(cityjson_stream, "BLOCK_BYTES", 7)
        monkeypatch.setattr(cityjson_stream, "PIECE_BYTES", 50)
    return str(request.param)


def rich_document(vertices_first: bool) -> dict[str, Any]:
    """Buildings with parts, an instance of a template, semantics, and attributes full of JSON's hard bytes."""
    objects: dict[str, Any] = {}
    for b in range(6):
        tricky = f'quote " backslash \\ {{[,:]}} \\" é 漢 \u2028 {b}'
        objects[f"B{b} \"x\""] = {"type": "Building", "children": [f"B{b}p"],
                                  "attributes": {"name": tricky, "h": b * 1.5, "list": [[], {}, [b]]}}
        objects[f"B{b}p"] = {"type": "BuildingPart", "parents": [f"B{b} \"x\""], "geometry": [
            {"type": "Solid", "lod": 1, "boundaries": [[[[0, 1, 2, 3]], [[0, 1, 4]], [[1, 2, 5]]]],
             "semantics": {"surfaces": [{"type": "GroundSurface"}, {"type": "WallSurface"}],
                           "values": [[0, 1, None]]}},
            {"type": "MultiSurface", "lod": "2", "boundaries": [[[0, 1, 5]]]}]}
    objects["tree"] = {"type": "SolitaryVegetationObject", "geometry": [
        {"type": "GeometryInstance", "template": 0, "boundaries": [5], "transformationMatrix": IDENTITY}]}
    objects["empty"] = {"type": "CityFurniture"}
    head = {"type": "CityJSON", "version": "2.0",
            "transform": {"scale": [0.001, 0.001, 0.001], "translate": [84000.0, 446000.0, 0.0]},
            "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/7415"},
            "geometry-templates": {"templates": [{"type": "MultiSurface", "lod": "2",
                                                  "boundaries": [[[0, 1, 2]]]}],
                                   "vertices-templates": [[0, 0, 0], [1, 0, 0], [0, 1, 2]]}}
    if vertices_first:
        return {"vertices": SQUARE, **head, "CityObjects": objects}
    return {"CityObjects": objects, **head, "vertices": SQUARE}


def write(path: Path, doc: Any, indent: bool = False) -> Path:
    path.write_bytes(json.dumps(doc, indent=2 if indent else None, ensure_ascii=False).encode())
    return path


def streamed(path: Path, per_chunk: int = 3, limits: Limits | None = None, **options: Any) -> list[SourceModel]:
    return list(cityjson.iter_chunks(path, SourceConfig(path=path, **options), limits or Limits(), per_chunk))


def whole(path: Path, per_chunk: int = 3, limits: Limits | None = None, **options: Any) -> list[SourceModel]:
    return list(cityjson._whole_document_chunks(path, SourceConfig(path=path, **options), limits or Limits(),
                                                per_chunk))


def assert_same(a: list[SourceModel], b: list[SourceModel]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert x.objects.ids == y.objects.ids and x.objects.types == y.objects.types
        assert x.objects.parents.tolist() == y.objects.parents.tolist()
        assert x.objects.attributes == y.objects.attributes
        for name in ("positions", "triangles", "vertex_object", "vertex_kind"):
            assert np.array_equal(getattr(x, name), getattr(y, name)), name
        assert x.crs == y.crs and x.meta["warnings"] == y.meta["warnings"]
        assert x.meta["skipped_geometries"] == y.meta["skipped_geometries"]


@pytest.mark.parametrize("vertices_first", [True, False], ids=["vertices first", "vertices last"])
@pytest.mark.parametrize("indent", [False, True], ids=["compact", "indented"])
def test_streamed_equals_whole(tmp_path: Path, sizes: str, vertices_first: bool, indent: bool) -> None:
    """A document with parts, templates, semantics and strings full of quotes, escapes and brackets gives the
    same chunks streamed as parsed whole, whichever member comes first, compact or indented."""
    path = write(tmp_path / "rich.city.json", rich_document(vertices_first), indent)
    chunks = streamed(path)
    assert_same(chunks, whole(path))
    assert [c.objects.ids[0] for c in chunks][:2] == ['B0 "x"', 'B2 "x"']  # a family stays together
    assert chunks[0].objects.attributes[0]["name"] == 'quote " backslash \\ {[,:]} \\" é 漢 \u2028 0'
    fractions = [c.meta["read_fraction"] for c in chunks]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and 0 < fractions[0] < 1


def test_a_chosen_lod_and_an_empty_document(tmp_path: Path, sizes: str) -> None:
    """options.lod applies as in a whole parse; a document without objects or vertices gives one empty chunk."""
    path = write(tmp_path / "rich.city.json", rich_document(False))
    assert_same(streamed(path, lod="2"), whole(path, lod="2"))
    empty = write(tmp_path / "empty.city.json", {"type": "CityJSON", "version": "2.0", "CityObjects": {},
                                                 "vertices": []})
    chunks = streamed(empty)
    assert len(chunks) == 1 and chunks[0].objects.ids == [] and chunks[0].meta["read_fraction"] == 1.0


def test_a_generated_city_streams_like_a_whole_parse(tmp_path: Path) -> None:
    """bench/make_big_cityjson.py's city (objects before vertices, as in the benchmark) in chunks of 700."""
    path = tmp_path / "city.city.json"
    _generator().main([str(path), "--count", "2000", "--seed", "3"])
    assert_same(streamed(path, 700), whole(path, 700))


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_documents_fail_as_in_a_whole_parse(tmp_path: Path, sizes: str, case: str) -> None:
    """Every hand-made hostile file of test_cityjson_hostile.py is a LoadError saying the same thing streamed."""
    content, reason = CASES[case]
    path = tmp_path / "bad.city.json"
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    with pytest.raises(LoadError) as info:
        streamed(path)
    assert info.value.path.endswith("bad.city.json") and reason.lower() in info.value.reason.lower()


def test_syntax_errors_name_the_place_in_the_whole_file(tmp_path: Path, sizes: str) -> None:
    """A broken token deep in an indented file is reported at the line, column and character a whole parse
    reports."""
    good = json.dumps(rich_document(False), indent=2, ensure_ascii=False)
    for old, new in [('"h": 7.5', '"h": 7.5.1'), ('"h": 3.0', '"h": NaN'), ("9000", "1e999"),
                     ('"lod": "2",\n', '"lod": "2",,\n'), ('"version": "2.0"', '"version": tru')]:
        path = tmp_path / "bad.city.json"
        path.write_bytes(good.replace(old, new, 1).encode())
        with pytest.raises(LoadError) as streamed_error:
            streamed(path)
        with pytest.raises(LoadError) as whole_error:
            whole(path)
        assert streamed_error.value.reason == whole_error.value.reason, old


def test_broken_structure_is_malformed_json(tmp_path: Path, sizes: str) -> None:
    """Truncations at every tenth byte, missing and doubled separators and trailing junk are LoadErrors about
    malformed JSON (never a model, never another exception)."""
    text = json.dumps(rich_document(True)).encode()
    broken = [text[:n] for n in range(1, len(text), 10)]
    broken += [text + b"x", text + b"{}", text.replace(b', "CityObjects"', b' "CityObjects"'),
               text.replace(b'"CityObjects": {', b'"CityObjects": {,'), text.replace(b"}}}", b"},}}", 1),
               text.replace(b"]]", b"],,]", 1), text.replace(b'"vertices": [', b'"vertices": [{'),
               text.replace(b'"version": "2.0"', b'"version"'), text[:-1] + b"]"]
    for content in broken:
        path = tmp_path / "bad.city.json"
        path.write_bytes(content)
        with pytest.raises(LoadError, match="malformed JSON|not CityJSON"):
            streamed(path)


def test_limits_are_checked_before_arrays(tmp_path: Path) -> None:
    """The object and vertex counts are checked against the limits from pass 1, before anything is built."""
    path = write(tmp_path / "c.city.json", {**rich_document(True), "vertices": [["junk"]] * 10})
    with pytest.raises(LimitExceeded) as info:
        streamed(path, limits=Limits(max_vertices=5))
    assert info.value.limit == "vertex count" and info.value.value == 10
    with pytest.raises(LimitExceeded) as info:
        streamed(path, limits=Limits(max_objects=5))
    assert info.value.limit == "object count" and info.value.value == 14


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(document=documents | json_values, block=st.integers(1, 64), piece=st.integers(1, 200))
def test_generated_documents_stream_as_they_parse(tmp_path: Path, monkeypatch, document: Any, block: int,
                                                  piece: int) -> None:
    """Random CityJSON-shaped documents: streamed and parsed whole, both give the same chunks or both fail."""
    monkeypatch.setattr(cityjson_stream, "BLOCK_BYTES", block)
    monkeypatch.setattr(cityjson_stream, "PIECE_BYTES", piece)
    path = write(tmp_path / "gen.city.json", document)
    limits = Limits(max_vertices=10_000, max_triangles=10_000)
    try:
        expected = whole(path, 2, limits)
    except LoadError:
        with pytest.raises(LoadError):
            streamed(path, 2, limits)
    else:
        assert_same(streamed(path, 2, limits), expected)


def reference_separators(text: bytes) -> list[tuple[int, int, int]]:
    """(offset, kind, depth before) of brackets, commas and colons outside strings, byte by byte."""
    out, depth, in_string, escaped = [], 0, False, False
    kinds = {ord("{"): OPEN, ord("["): OPEN, ord("}"): CLOSE, ord("]"): CLOSE, ord(","): COMMA, ord(":"): COLON}
    for i, byte in enumerate(text):
        if in_string:
            in_string = escaped or byte != ord('"')
            escaped = not escaped and byte == ord("\\")
        elif byte == ord('"'):
            in_string = True
        elif byte in kinds:
            out.append((i, kinds[byte], depth))
            depth += {OPEN: 1, CLOSE: -1}.get(kinds[byte], 0)
    return out


@settings(max_examples=200, deadline=None)
@given(value=json_values | st.text(alphabet='\\"{}[],: ab', max_size=30), block=st.integers(1, 20))
def test_scanner_finds_what_a_byte_by_byte_walk_finds(value: Any, block: int) -> None:
    """The vectorised scanner, fed in blocks of any size, keeps exactly the separators at depth 0 and 1 and the
    commas and closing brackets at depth 2 that a byte-by-byte walk finds (escapes across blocks included)."""
    text = orjson.dumps({"a": value, "b": [value, {"c": value}]})
    scanner, found = Scanner(Path("x.json")), []
    for start in range(0, len(text), block):
        buffer = bytearray(text[start:start + block])
        seps = scanner.feed(buffer, len(buffer))
        found += list(zip(seps.pos.tolist(), seps.kind.tolist(), seps.depth.tolist(), strict=True))
    wanted = [s for s in reference_separators(text) if s[2] <= 1 or (s[2] == 2 and s[1] in (COMMA, CLOSE))]
    assert found == wanted and scanner.depth == 0 and scanner.in_string == 0


@pytest.mark.parametrize("block", range(1, 9))
def test_runs_of_backslashes_across_blocks(block: int) -> None:
    """Escaped quotes after runs of backslashes split over blocks (with and without quotes of their own)."""
    text = orjson.dumps({"a": 'x\\\\\\"y,\\', "b": ['\\\\"', {"c": "\\"}], "d": 1})
    scanner, found = Scanner(Path("x.json")), []
    for start in range(0, len(text), block):
        buffer = bytearray(text[start:start + block])
        found += scanner.feed(buffer, len(buffer)).pos.tolist()
    wanted = [s[0] for s in reference_separators(text) if s[2] <= 1 or (s[2] == 2 and s[1] in (COMMA, CLOSE))]
    assert found == wanted and scanner.in_string == 0


def test_memory_is_bounded_by_the_pieces(tmp_path: Path, monkeypatch) -> None:
    """Streaming a 4000-building document (2.2 MB) in blocks and pieces of 64 kB and chunks of 500 objects
    allocates at most a third of what parsing it whole does (Python's own count of allocations, not the
    machine's)."""
    monkeypatch.setattr(cityjson_stream, "BLOCK_BYTES", 1 << 16)
    monkeypatch.setattr(cityjson_stream, "PIECE_BYTES", 1 << 16)
    path = tmp_path / "city.city.json"
    _generator().main([str(path), "--count", "4000", "--seed", "2"])
    peaks = []
    for read in (whole, streamed):
        tracemalloc.start()
        for _ in read(path, 500):
            pass
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < peaks[0] / 3, peaks


def test_tile_streams_a_document_bigger_than_the_file_limit(tmp_path: Path, capsys) -> None:
    """`citiverse tile` of a plain CityJSON over the scene's max_file_bytes (which a whole load refuses) converts
    it; a document broken late (after chunks were read) is one line naming the file and place, exit 2, and
    nothing left behind."""
    path = tmp_path / "city.city.json"
    _generator().main([str(path), "--count", "3000", "--seed", "5"])
    scene = tmp_path / "big.toml"
    scene.write_text(f'[[sources]]\npath = "{path}"\n\n[limits]\nmax_file_bytes = 100000\n')
    assert main(["-q", "tile", str(scene), "--out", str(tmp_path / "doc"), "--max-features-per-tile", "200"]) == 0
    ids = leaf_ids(tmp_path / "doc")
    assert len(set(ids)) == len(ids) == 3000
    bad = tmp_path / "bad" / "bad.city.json"
    bad.parent.mkdir()
    bad.write_bytes(path.read_bytes().replace(b'"B0002900":{"type"', b'"B0002900":{"type":', 1))
    capsys.readouterr()
    assert main(["-q", "tile", str(bad), "--out", str(bad.parent / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.city.json" in err and "malformed JSON" in err and "line 1 column" in err
    assert "Traceback" not in err and sorted(p.name for p in bad.parent.iterdir()) == ["bad.city.json"]
