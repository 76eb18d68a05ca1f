"""`citiverse inspect` of a scene lists every source; files without a CRS say so and name --crs; files of an
unknown format say what they look like and what is supported (issue 12, "Everywhere")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_lonlat_inputs import lonlat_geojson


def cube_obj(x: float = 0.0, y: float = 0.0) -> str:
    """A 10 x 10 x 5 m box (walls and roof) with its south-west corner at (x, y)."""
    corners = [(x, y), (x + 10, y), (x + 10, y + 10), (x, y + 10)]
    vertices = [f"v {cx:.2f} {cy:.2f} {z}" for z in (0, 5) for cx, cy in corners]
    faces = ["f 1 2 6 5", "f 2 3 7 6", "f 3 4 8 7", "f 4 1 5 8", "f 5 6 7 8"]
    return "\n".join(vertices + faces) + "\n"


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viewer.cli", *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd)


def test_inspect_a_scene_lists_every_source(tmp_path):
    """A scene of a lon/lat GeoJSON and an OBJ in the scene's CRS: both sources are reported, with the
    scene's frame, totals and box in lon/lat (it reported only the first source)."""
    from pyproj import Transformer

    lonlat_geojson(tmp_path / "blocks.geojson")
    # A source without a CRS is in the scene's: the tower's coordinates are UTM 32N, in the middle of Monaco.
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:32632", always_xy=True).transform(7.4249, 43.7393)
    (tmp_path / "tower.obj").write_text(cube_obj(x, y))
    (tmp_path / "city.toml").write_text('[scene]\nname = "two sources"\ncrs = "EPSG:32632"\n'
                                        'origin_lonlat = [7.4249, 43.7393]\n'
                                        '[[sources]]\npath = "blocks.geojson"\n[[sources]]\npath = "tower.obj"\n')
    run = _cli("inspect", str(tmp_path / "city.toml"), "--json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert [Path(s["path"]).name for s in report["sources"]] == ["blocks.geojson", "tower.obj"]
    assert [s["format"] for s in report["sources"]] == ["geojson", "obj"]
    assert report["crs"] == "EPSG:32632" and report["objects"] == 9 + report["sources"][1]["objects"]
    lon0, lat0, lon1, lat1 = report["bbox_lonlat"]
    assert 7.42 < lon0 < lon1 < 7.43 and 43.73 < lat0 < lat1 < 43.75
    assert report["terrain"]["source"] in ("flat", "bases")
    text = _cli("inspect", str(tmp_path / "city.toml"))
    assert text.returncode == 0 and "blocks.geojson" in text.stdout and "tower.obj" in text.stdout


def test_a_file_without_a_crs_says_so_and_names_crs(tmp_path):
    """An OBJ (no CRS) loads in a local frame with one warning naming --crs; with --crs there is none."""
    model = tmp_path / "tower.obj"
    model.write_text(cube_obj())
    run = _cli("inspect", str(model))
    assert run.returncode == 0
    warnings = [line for line in run.stderr.splitlines() if "warning" in line]
    assert len(warnings) == 1 and "tower.obj" in warnings[0] and "no CRS" in warnings[0] and "--crs" in warnings[0]
    run = _cli("inspect", str(model), "--crs", "EPSG:28992")
    assert run.returncode == 0 and "no CRS" not in run.stderr


@pytest.mark.parametrize(("name", "content", "words"), [
    ("photo.dat", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, ["a PNG image", "supported", "CityGML"]),
    ("map.kml", b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"/>', ["XML with root <kml>"]),
    ("city.txt", b'{"type": "FeatureCollection", "features": []}', ["looks like geojson", "--format geojson"]),
    ("model.city.json", b"\x89PNG\r\n", ["does not start with a JSON object", "a PNG image"]),
])
def test_an_unknown_format_says_what_it_looks_like(tmp_path, name, content, words):
    """A file of an unknown or wrong format: one line naming it, what it looks like, and what is supported."""
    path = tmp_path / name
    path.write_bytes(content)
    run = _cli("inspect", str(path))
    assert run.returncode != 0 and "Traceback" not in run.stderr
    line = run.stderr.strip().splitlines()[-1]
    assert name in line and all(w in line for w in words), line
