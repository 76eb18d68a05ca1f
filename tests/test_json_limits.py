"""The guarded JSON reader (orjson): every refusal is a LoadError naming the file, and nesting that orjson
accepts but Python cannot recurse through never escapes as a RecursionError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from viewer.city.limits import parse_json_text, read_json
from viewer.city.loaders import load_source
from viewer.config import Limits, SourceConfig
from viewer.errors import LoadError

DEEP = "[" * 1020 + "]" * 1020  # within orjson's 1024 levels, beyond what repr() and pickle can walk


@pytest.mark.parametrize(("text", "reason"), [
    (b'{"a": [1, NaN]}', "NaN is not valid JSON"),
    (b'{"a": Infinity}', "Infinity is not valid JSON"),
    (b'{"a": -Infinity}', "-Infinity is not valid JSON"),
    (b'{"a": 1e400}', "not finite"),
    (b'{"a": "\xff"}', "not UTF-8"),
    (b"[" * 2000 + b"]" * 2000, "nested too deeply"),
    (b'{"a": 1', "malformed JSON"),
    (b"", "malformed JSON"),
    (b'{"a": 1} trailing', "malformed JSON"),
])
def test_refusals_name_the_file_and_the_reason(text, reason):
    """NaN, infinities, overflowing numbers, bad UTF-8, deep nesting and syntax errors are LoadErrors."""
    with pytest.raises(LoadError) as info:
        parse_json_text("city.json", text)
    assert info.value.path == "city.json" and reason in info.value.reason, info.value.reason
    assert "line 1" in info.value.reason


def test_read_json_gives_python_values(tmp_path):
    """A valid file reads back as the same values the json module gives (ints stay ints)."""
    value = {"a": [1, 2.5, -3, 2**63 - 1, None, True, "é"], "b": {"c": []}}
    path = tmp_path / "v.json"
    path.write_text(json.dumps(value))
    assert read_json(path, Limits()) == value


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


SQUARE = '"vertices": [[0,0,0],[1,0,0],[1,1,0],[0,1,0]]'
SURFACE = '{"type": "MultiSurface", "lod": "1", "boundaries": [[[0,1,2,3]]]}'
DEEP_FILES = {
    "attributes.city.json": f'{{"type": "CityJSON", "version": "2.0", {SQUARE}, "CityObjects": {{"o": '
                            f'{{"type": "Building", "attributes": {{"x": {DEEP}}}, "geometry": [{SURFACE}]}}}}}}',
    "parents.city.json": f'{{"type": "CityJSON", "version": "2.0", {SQUARE}, "CityObjects": {{"o": '
                         f'{{"type": "Building", "parents": {DEEP}, "geometry": [{SURFACE}]}}}}}}',
    "version.city.json": f'{{"type": "CityJSON", "version": {DEEP}, {SQUARE}, "CityObjects": {{}}}}',
    "type.city.json": f'{{"type": "CityJSON", "version": "2.0", {SQUARE}, "CityObjects": {{"o": '
                      f'{{"type": {DEEP}}}}}}}',
    "features.geojson": '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
                        f'{{"x": {DEEP}}}, "geometry": {{"type": "Polygon", "coordinates": '
                        '[[[0,0],[1,0],[1,1],[0,0]]]}}]}',
    "nodes.gltf": f'{{"asset": {{"version": "2.0"}}, "scenes": {DEEP}}}',
}


@pytest.mark.parametrize("name", sorted(DEEP_FILES))
def test_deep_but_parseable_nesting_never_escapes_as_recursion_error(tmp_path, name):
    """Files nested 1,020 levels deep load or raise a LoadError naming the file, never a RecursionError."""
    path = write(tmp_path, name, DEEP_FILES[name])
    try:
        model = load_source(SourceConfig(path=path), Limits())
    except LoadError as exc:
        assert exc.path == str(path)
    else:
        assert len(model.objects) <= 1


def test_text_sequence_lines_name_the_line(tmp_path):
    """A NaN on line 2 of a CityJSON text sequence names the file, the line and the reason."""
    header = '{"type": "CityJSON", "version": "2.0", "transform": {"scale": [1,1,1], "translate": [0,0,0]}, ' \
             '"CityObjects": {}, "vertices": []}'
    path = write(tmp_path, "seq.city.jsonl", header + '\n{"type": "CityJSONFeature", "vertices": [[NaN,0,0]]}\n')
    with pytest.raises(LoadError, match="line 2: malformed JSON: NaN is not valid JSON"):
        load_source(SourceConfig(path=path), Limits())
