"""Lon/lat inputs as users meet them (field test, issue 11): GeoJSON files in lon/lat opened directly by
inspect, render and view, and lon/lat feeds in a scene whose CRS is geographic."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from viewer.city.scene import load_scene_models
from viewer.config import SceneConfig
from viewer.geo.frame import LocalFrame
from viewer.layers.position import PositionMapper

MONACO = (7.4236, 43.7384)


def _square(lon: float, lat: float, half: float = 0.0001) -> list[list[float]]:
    return [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half],
            [lon - half, lat + half], [lon - half, lat - half]]


def lonlat_geojson(path: Path) -> Path:
    """Nine buildings about 16 m square, 100 m apart, in Monaco, in lon/lat with heights (as OSM exports)."""
    features = [{"type": "Feature", "id": f"b{i}{j}", "properties": {"height": 10 + 5 * i},
                 "geometry": {"type": "Polygon",
                              "coordinates": [_square(MONACO[0] + 0.00125 * i, MONACO[1] + 0.0009 * j)]}}
                for i in range(3) for j in range(3)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _cli(*args: str, timeout: float = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "viewer.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.mark.parametrize("crs", [None, "EPSG:4326", "OGC:CRS84"])
def test_a_lonlat_file_is_placed_in_metres_around_its_centre(tmp_path, crs):
    """A lon/lat file opened on its own (with or without --crs) is placed at its centre, in metres: the
    frame's origin was chosen from metres taken for degrees (PROJ refused lat_0 = 4871519)."""
    options = {"crs": crs} if crs else {}
    scene = load_scene_models(SceneConfig.for_file(lonlat_geojson(tmp_path / "m.geojson"), **options))
    lon, lat = scene.frame.origin_lonlat
    assert lon == pytest.approx(MONACO[0] + 0.00125, abs=1e-5) and lat == pytest.approx(MONACO[1] + 0.0009, abs=1e-5)
    lo, hi = scene.model.bounds()
    # 0.0025 deg of longitude at 43.7 N is 201 m, plus one building (16 m); 0.0018 deg of latitude 200 m.
    assert hi[0] - lo[0] == pytest.approx(217.2, abs=1.0) and hi[1] - lo[1] == pytest.approx(222.2, abs=1.0)
    assert hi[2] == pytest.approx(20.0)


def test_inspect_a_lonlat_file(tmp_path):
    """`citiverse inspect` of a lon/lat file reports its CRS and its box in lon/lat."""
    run = _cli("inspect", str(lonlat_geojson(tmp_path / "m.geojson")), "--json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["objects"] == 9 if isinstance(report.get("objects"), int) else True
    assert "4326" in json.dumps(report) or "CRS84" in json.dumps(report)


@pytest.mark.render
@pytest.mark.parametrize("extra", [[], ["--crs", "EPSG:4326"]])
def test_render_a_lonlat_file(offscreen_gl, tmp_path, extra):
    """`citiverse render FILE.geojson` of a lon/lat file writes a picture of its buildings."""
    from PIL import Image

    out = tmp_path / "m.png"
    run = _cli("-q", "render", str(lonlat_geojson(tmp_path / "m.geojson")), *extra, "--out", str(out),
               "--size", "320x180")
    assert run.returncode == 0, run.stderr
    with Image.open(out) as png:
        pixels = np.asarray(png.convert("RGB"), np.int16).reshape(-1, 3)
    assert np.ptp(pixels, axis=0).max() > 40


@pytest.mark.render
@pytest.mark.shared_data
def test_render_the_monaco_osm_export(offscreen_gl, shared_data, tmp_path):
    """The README's own example, Monaco's OSM buildings in lon/lat, renders (it failed with a PROJ error)."""
    out = tmp_path / "monaco.png"
    path = shared_data / "osm_monaco" / "derived" / "monaco_buildings.geojson"
    run = _cli("render", str(path), "--out", str(out), "--size", "320x180")
    assert run.returncode == 0, run.stderr
    assert "placed in" in run.stderr and out.stat().st_size > 1000


@pytest.mark.skipif(shutil.which("Xvfb") is None or shutil.which("xdotool") is None,
                    reason="needs Xvfb and xdotool (installed by .ci/run)")
def test_view_a_lonlat_file_in_a_real_window(tmp_path):
    """`citiverse view FILE.geojson` of a lon/lat file opens a real window (Xvfb) and quits on Q."""
    from window_harness import start_xvfb, stop_xvfb

    server, display = start_xvfb(1280, 800)
    env = {**os.environ, "DISPLAY": display}
    view = subprocess.Popen([sys.executable, "-m", "viewer.cli", "view", str(lonlat_geojson(tmp_path / "m.geojson")),
                            ], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        window = ""
        deadline = time.monotonic() + 90
        while not window and time.monotonic() < deadline and view.poll() is None:
            found = subprocess.run(["xdotool", "search", "--name", "CitiVerse"], env=env, capture_output=True,
                                   text=True)
            window = found.stdout.split()[0] if found.stdout.split() else ""
            time.sleep(0.2)
        assert window, f"no window appeared: {view.stderr.read() if view.poll() is not None else ''}"
        time.sleep(1.5)  # a few frames drawn
        if shutil.which("import"):  # ImageMagick: the window's own pixels show the buildings on the ground
            shot = tmp_path / "window.png"
            subprocess.run(["import", "-window", window, str(shot)], env=env, timeout=30, check=True)
            from PIL import Image

            with Image.open(shot) as png:
                pixels = np.asarray(png.convert("RGB"), np.int16).reshape(-1, 3)
            assert len(np.unique(pixels // 16, axis=0)) > 3, "the window shows one flat colour"
        subprocess.run(["xdotool", "windowfocus", "--sync", window], env=env, timeout=10)
        subprocess.run(["xdotool", "key", "--window", window, "q"], env=env, timeout=10)
        _, stderr = view.communicate(timeout=30)
        assert view.returncode == 0, stderr
        assert "Traceback" not in stderr
    finally:
        if view.poll() is None:
            view.kill()
        stop_xvfb(server)


@pytest.mark.parametrize("scene_crs", ["EPSG:4326", "OGC:CRS84", "EPSG:4258"])
@pytest.mark.parametrize("feed_crs", ["EPSG:4326", None])
def test_lonlat_feed_positions_in_a_geographic_scene(scene_crs, feed_crs):
    """In a scene whose CRS is geographic, a feed in lon/lat (or with no CRS: the scene's own) is mapped to
    local metres like any other CRS; it was taken as already local and every vehicle landed at the origin."""
    frame = LocalFrame(scene_crs, MONACO)
    mapper = PositionMapper(frame, feed_crs, np.array([-3000.0, -3000.0]), np.array([3000.0, 3000.0]))
    lonlat = np.array([MONACO, (MONACO[0] + 0.02, MONACO[1] - 0.01), (MONACO[0] - 0.03, MONACO[1] + 0.02)])
    x, y = mapper.to_local(lonlat[:, 0], lonlat[:, 1])
    exact = frame.to_local64(lonlat, "EPSG:4326")
    assert not mapper.identity
    assert np.allclose(x, exact[:, 0], atol=0.05) and np.allclose(y, exact[:, 1], atol=0.05)
    assert np.hypot(x[1], y[1]) > 1000  # 1.9 km away, not at the origin


def test_a_feed_in_the_scene_plane_is_already_local():
    """A projected scene and a feed in the same CRS: positions only lose the origin (exact, no fit)."""
    frame = LocalFrame("EPSG:32632", (337_000.0, 4_843_000.0))
    mapper = PositionMapper(frame, "EPSG:32632", np.zeros(2), np.ones(2))
    x, y = mapper.to_local(np.array([337_010.0]), np.array([4_843_020.0]))
    assert mapper.identity and x[0] == 10.0 and y[0] == 20.0


@pytest.mark.shared_data
def test_most_lonlat_and_net_fcd_agree_in_a_geographic_scene(shared_data):
    """MoST Monaco's FCD written in lon/lat and in net coordinates place the same vehicles at the same local
    positions (within a metre) in a scene whose CRS is EPSG:4326."""
    from viewer.sources.sumo_fcd import FcdSource

    folder = shared_data / "sumo_most_monaco"
    net = folder / "in" / "most.net.xml"
    recorded = folder / "recorded_outputs"
    geo = FcdSource(recorded / "most.fcd.lonlat.0800-0810.xml.gz").start()
    plain = FcdSource(recorded / "most.fcd.netxy.0800-0810.xml.gz", net=net)
    frame = LocalFrame("EPSG:4326", MONACO)
    lo, hi = np.array([-5000.0, -5000.0]), np.array([5000.0, 5000.0])
    a, b = geo.upserts["vehicle"], plain.start().upserts["vehicle"]
    common, ia, ib = np.intersect1d(a.ids, b.ids, return_indices=True)
    assert common.size > 50
    ax, ay = PositionMapper(frame, "EPSG:4326", lo, hi).to_local(a.x[ia], a.y[ia])
    bx, by = PositionMapper(frame, plain.crs, lo, hi).to_local(b.x[ib], b.y[ib])
    assert np.hypot(ax - bx, ay - by).max() < 1.0
    assert np.hypot(ax, ay).max() > 500  # spread over the city, not piled at the origin
