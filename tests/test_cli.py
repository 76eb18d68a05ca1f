"""The `citiverse` command end to end: inspect, render, demo, view without a display, and errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from viewer.cli import main

PROJECT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "viewer.cli", *args], capture_output=True, text=True,
                          timeout=300, cwd=PROJECT, env=full_env)


def test_inspect_json_has_the_stable_keys(shared_data, capsys):
    """inspect --json on Delft reports format, CRS, counts, triangles and both boxes."""
    assert main(["inspect", str(shared_data / "cityjson_delft/delft.json"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)  # noqa: TID251
    assert out["format"] == "cityjson" and out["crs"] == "EPSG:7415" and out["objects"] == 570
    assert out["types"]["Building"] == 160 and out["types"]["Road"] == 143 and out["triangles"] > 0
    assert out["bbox"][0] == pytest.approx(84616.468, abs=1e-3) and out["bbox"][5] == pytest.approx(16.846, abs=1e-3)
    lon0, lat0, lon1, lat1 = out["bbox_lonlat"]
    assert lon0 < 4.3658 < lon1 and lat0 < 52.0122 < lat1


def test_inspect_text(shared_data, capsys):
    """inspect without --json prints a readable summary with counts by type."""
    assert main(["inspect", str(shared_data / "cityjson_denhaag/DenHaag_01.city.json")]) == 0
    out = capsys.readouterr().out
    assert "BuildingPart" in out and "1,653" in out and "lon/lat" in out


@pytest.mark.parametrize("content, suffix, reason", [
    (b"{\"type\": \"CityJSON\", \"CityObjects\": ", ".json", "JSON"),
    (b"\x00\x01\x02garbage", ".glb", "glTF"),
    (b"[1, 2, 3]", ".json", "JSON object"),
    (b"<xml", ".geojson", "JSON"),
])
def test_bad_files_give_one_line_errors(tmp_path, content, suffix, reason):
    """A truncated or mislabelled file exits 2 with one line naming the file and the reason, no traceback."""
    path = tmp_path / f"bad{suffix}"
    path.write_bytes(content)
    result = run_cli("inspect", str(path))
    assert result.returncode == 2
    assert str(path) in result.stderr and reason in result.stderr and "Traceback" not in result.stderr


def test_bad_scene_names_the_key(tmp_path):
    """A scene with a wrong key exits 2 naming the file and the key."""
    scene = tmp_path / "s.toml"
    scene.write_text("[scene]\ncrs = 'EPSG:28992'\n[[sources]]\npath = 'x.json'\nwidth = 3\n")
    result = run_cli("render", str(scene), "--out", str(tmp_path / "x.png"))
    assert result.returncode == 2 and "sources[0].width" in result.stderr


def test_view_without_display_offers_render(tmp_path):
    """With no display, `view` explains and points at the offscreen command instead of crashing."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    result = subprocess.run([sys.executable, "-m", "viewer.cli", "view", "scenes/demo.toml"], capture_output=True,
                            text=True, timeout=60, cwd=PROJECT, env=env)
    assert result.returncode == 2 and "citiverse render" in result.stderr


def test_help_lists_commands_with_examples():
    """Every command's --help shows examples."""
    for command in ("view", "render", "inspect", "demo"):
        result = run_cli(command, "--help")
        assert result.returncode == 0 and "examples:" in result.stdout


@pytest.mark.render
def test_render_delft_png(shared_data, tmp_path, offscreen_gl):
    """`citiverse render FILE --out` writes a PNG of the requested size."""
    from PIL import Image

    out = tmp_path / "delft.png"
    result = run_cli("render", str(shared_data / "cityjson_delft/delft.json"), "--out", str(out), "--size", "320x200")
    assert result.returncode == 0, result.stderr
    assert Image.open(out).size == (320, 200)


@pytest.mark.render
def test_demo_headless_writes_png_and_says_where(tmp_path, offscreen_gl):
    """`citiverse demo` with no display renders the procedural city to a PNG and prints its path."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    out = tmp_path / "demo.png"
    result = subprocess.run([sys.executable, "-m", "viewer.cli", "demo", "--out", str(out), "--size", "320x200",
                             "--buildings", "400"], capture_output=True, text=True, timeout=300, cwd=PROJECT, env=env)
    assert result.returncode == 0, result.stderr
    assert out.is_file() and str(out) in result.stdout and "no display" in result.stdout
