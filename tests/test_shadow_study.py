"""Shadow studies (`citiverse shadow`, layers/shadow_study.py) checked against geometry, and the command's
files and wrong invocations (issue 16)."""

from __future__ import annotations

import csv
import math
import subprocess
import sys
from datetime import UTC, date, time, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from viewer.city.model import CityModel, ObjectTable, SurfaceKind
from viewer.cli import main
from viewer.geo.sun import sample_times, sun_position
from viewer.layers.shadow_study import Grid, lit, rasterize, sun_hours, weights

PROJECT = Path(__file__).resolve().parents[1]
AMSTERDAM = (4.9, 52.37)

TINY_SCENE = """[scene]
name = "tiny"
crs = "EPSG:7415"
origin = [92540.0, 437500.0]
time = "2026-03-21T12:00+01:00"

[[sources]]
format = "procedural"
seed = 1
size = 60
"""


def box_model(boxes: list[tuple[float, float, float, float, float]]) -> CityModel:
    """Flat-roofed boxes (x0, y0, x1, y1, height) standing on z = 0, one Building each: roof and walls."""
    vertices, triangles, objects, kinds = [], [], [], []
    for index, (x0, y0, x1, y1, h) in enumerate(boxes):
        corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        base = len(vertices)
        vertices += [(x, y, h) for x, y in corners]
        triangles += [(base, base + 1, base + 2), (base, base + 2, base + 3)]
        kinds += [SurfaceKind.ROOF] * 4
        for i in range(4):
            (ax, ay), (bx, by) = corners[i], corners[(i + 1) % 4]
            w = len(vertices)
            vertices += [(ax, ay, 0.0), (bx, by, 0.0), (bx, by, h), (ax, ay, h)]
            triangles += [(w, w + 1, w + 2), (w, w + 2, w + 3)]
            kinds += [SurfaceKind.WALL] * 4
        objects += [index] * (len(vertices) - base)
    n = len(boxes)
    table = ObjectTable([f"b{i}" for i in range(n)], ["Building"] * n, np.full(n, -1, np.int32), [{}] * n)
    return CityModel(np.array(vertices, np.float32), np.array(triangles, np.uint32), np.array(objects, np.int32),
                     np.array(kinds, np.uint8), table)


def shadow_length(model: CityModel, azimuth: float, elevation: float, res: float) -> float:
    """Metres from the box's sunless side to the farthest shadowed cell centre, along the line through its middle
    away from the sun (boxes at x 0..10, y 0..10)."""
    grid = Grid.over((-150.0, -150.0, 160.0, 160.0), res)
    shade = ~lit(rasterize(model, grid), azimuth, elevation)
    xs, ys = grid.centres()
    away = np.array([-math.sin(math.radians(azimuth)), -math.cos(math.radians(azimuth))])
    gx, gy = np.meshgrid(xs, ys)
    along = (gx - 5.0) * away[0] + (gy - 5.0) * away[1]
    across = np.abs((gx - 5.0) * away[1] - (gy - 5.0) * away[0])
    line = (across < res) & (along > 5.0)
    return float(along[line & shade].max()) - 5.0


@pytest.mark.parametrize(("azimuth", "elevation", "res"), [(180.0, 30.0, 1.0), (90.0, 20.0, 0.5), (270.0, 45.0, 1.0)])
def test_box_shadow_length_is_height_over_tan_elevation(azimuth, elevation, res):
    """A 20 m box on flat ground casts a shadow h / tan(elevation) long along the sun's azimuth, within a cell."""
    model = box_model([(0.0, 0.0, 10.0, 10.0, 20.0)])
    expected = 20.0 / math.tan(math.radians(elevation))
    assert shadow_length(model, azimuth, elevation, res) == pytest.approx(expected, abs=res)


@pytest.mark.parametrize(("slope", "shadowed"), [(0.4, False), (0.8, True)])
def test_a_slope_facing_away_from_the_sun_shadows_itself_only_when_steeper_than_the_sun(slope, shadowed):
    """A plane rising toward a sun 30 degrees up (tan 0.577) is lit at slope 0.4 and in its own shadow at 0.8."""
    vertices = np.array([(0, 0, 0), (20, 0, 0), (20, 20, 20 * slope), (0, 20, 20 * slope)], np.float32)
    table = ObjectTable(["ramp"], ["Building"], np.full(1, -1, np.int32), [{}])
    model = CityModel(vertices, np.array([(0, 1, 2), (0, 2, 3)], np.uint32), np.zeros(4, np.int32),
                      np.full(4, SurfaceKind.ROOF, np.uint8), table)
    grid = Grid.over((0.0, 0.0, 20.0, 20.0), 1.0)
    inside = ~lit(rasterize(model, grid), 0.0, 30.0)[1:-1, 1:-1]
    assert inside.all() if shadowed else not inside.any()


def test_behind_a_tall_wall_no_sun_in_winter_and_open_ground_gets_every_hour():
    """A 30 m wall running east-west: right behind it (north) no sun on 21 December; open ground all of it."""
    model = box_model([(-100.0, 0.0, 100.0, 1.0, 30.0)])
    times = sample_times(date(2026, 12, 21), time(10), time(14), timedelta(minutes=15), timezone(timedelta(hours=1)))
    suns = [(p.azimuth, p.elevation) for p in (sun_position(*AMSTERDAM, t) for t in times)]
    study = sun_hours(model, (-60.0, -40.0, 60.0, 40.0), 1.0, times, suns)
    xs, ys = study.grid.centres()
    behind = study.hours[np.argmin(np.abs(ys - 3.5)), np.argmin(np.abs(xs))]
    south = study.hours[np.argmin(np.abs(ys + 30.5)), np.argmin(np.abs(xs))]
    assert behind == 0.0
    assert south == pytest.approx(4.0)
    assert study.total_hours == pytest.approx(4.0)


def test_hours_weigh_each_sample_by_the_trapezoid_rule():
    """08:00 to 16:00 at any step sums to exactly 8 hours, the ends weighing half a step."""
    for step in (timedelta(minutes=10), timedelta(minutes=7), timedelta(hours=1)):
        times = sample_times(date(2026, 3, 21), time(8), time(16), step, UTC)
        assert weights(times).sum() == pytest.approx((times[-1] - times[0]).total_seconds() / 3600)


def test_roof_hours_per_building_and_the_bre_share():
    """A low box beside a tall one: its roof loses sun, the tall one's roof does not; the BRE share is of the
    open ground only."""
    model = box_model([(0.0, 0.0, 10.0, 10.0, 40.0), (0.0, 15.0, 10.0, 25.0, 3.0)])  # the low one to the north
    times = sample_times(date(2026, 3, 21), time(8), time(16), timedelta(minutes=10), timezone(timedelta(hours=1)))
    suns = [(p.azimuth, p.elevation) for p in (sun_position(*AMSTERDAM, t) for t in times)]
    study = sun_hours(model, (-40.0, -40.0, 50.0, 80.0), 1.0, times, suns)
    roofs = study.roof_hours()
    assert roofs[0][0] == pytest.approx(8.0)
    assert roofs[0][1] == pytest.approx(100.0)
    assert roofs[1][0] < 7.0  # the tall one's shadow sweeps over it around noon
    ground = ~study.covered
    assert study.bre_share() == pytest.approx(float((study.hours[ground] >= 2.0).mean()))
    assert 0.5 < study.bre_share() < 1.0


def test_facades_of_an_open_cube_see_the_sun_half_the_day_on_average():
    """The sun faces two of a free-standing cube's four walls at a time: their area-weighted mean is half the
    day; behind a tall wall, a low box's walls get less."""
    times = sample_times(date(2026, 3, 21), time(8), time(16), timedelta(minutes=10), timezone(timedelta(hours=1)))
    suns = [(p.azimuth, p.elevation) for p in (sun_position(*AMSTERDAM, t) for t in times)]
    open_cube = sun_hours(box_model([(0.0, 0.0, 10.0, 10.0, 10.0)]), (-30.0, -30.0, 40.0, 40.0), 1.0, times, suns)
    assert open_cube.facade_hours is not None
    hours, area = open_cube.facade_hours[0]
    assert area == pytest.approx(400.0)
    assert hours == pytest.approx(4.0, abs=0.25)
    shaded = sun_hours(box_model([(-30.0, -5.0, 40.0, -4.0, 40.0), (0.0, 0.0, 10.0, 10.0, 10.0)]),
                       (-30.0, -30.0, 40.0, 40.0), 1.0, times, suns)
    assert shaded.facade_hours is not None and shaded.facade_hours[1][0] < hours - 1.0


@pytest.fixture
def tiny_scene(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text(TINY_SCENE)
    return path


def test_command_writes_csv_png_and_a_georeferenced_tif(tiny_scene, tmp_path, capsys):
    """`citiverse shadow` writes roof hours per building, a picture with a legend, and a GeoTIFF in EPSG:28992,
    and prints the BRE 209 line; the zone comes from the scene's time."""
    import tifffile
    from PIL import Image

    for name in ("roofs.csv", "hours.png", "hours.tif"):
        code = main(["-q", "shadow", str(tiny_scene), "--date", "2026-03-21", "--step", "30min",
                     "--resolution", "2", "--out", str(tmp_path / name)])
        assert code == 0
    out = capsys.readouterr().out
    assert out.count("BRE 209: ") == 3 and "UTC+01:00" in out
    rows = list(csv.DictReader((tmp_path / "roofs.csv").open()))
    assert rows and list(rows[0]) == ["id", "type", "roof_sun_hours", "roof_area_m2", "facade_sun_hours",
                                      "facade_area_m2"]
    assert all(0.0 <= float(r["roof_sun_hours"]) <= 8.0 for r in rows if r["roof_sun_hours"])
    assert all(0.0 <= float(r["facade_sun_hours"]) <= 8.0 for r in rows if r["facade_sun_hours"])
    image = Image.open(tmp_path / "hours.png")
    assert image.width > image.height * 0.5 and image.mode == "RGB"
    with tifffile.TiffFile(tmp_path / "hours.tif") as tif:
        tags = tif.geotiff_metadata
        hours = tif.asarray()
    assert tags["ProjectedCSTypeGeoKey"] == 28992
    assert tags["ModelPixelScale"][:2] == [2.0, 2.0]
    assert hours.dtype == np.float32 and 0.0 <= hours.min() and hours.max() <= 8.0 + 1e-4


@pytest.mark.parametrize(("options", "named"), [
    (["--date", "2026-02-30"], "--date 2026-02-30"),
    (["--date", "2026-03-21", "--step", "often"], "--step"),
    (["--date", "2026-03-21", "--area", "10,10,0,0"], "--area 10,10,0,0"),
    (["--date", "2026-03-21", "--from", "16:00", "--to", "08:00"], "--to 08:00"),
    (["--date", "2026-03-21", "--tz", "Mars/Olympus"], "--tz Mars/Olympus"),
    (["--date", "2026-03-21", "--from", "12:00", "--to", "12:30", "--step", "1h"], "--step 1h"),
    (["--date", "2026-03-21", "--area=-3000,-3000,3000,3000", "--resolution", "0.5"], "--resolution/--area"),
])
def test_wrong_invocations_say_one_line(tiny_scene, tmp_path, options, named):
    """A wrong date, step, area, time range or zone, or a grid too big: exit 2, one line naming it, no traceback, nothing written."""
    out = tmp_path / "x.png"
    result = subprocess.run([sys.executable, "-m", "viewer.cli", "shadow", str(tiny_scene), *options,
                             "--out", str(out)], capture_output=True, text=True, timeout=120, cwd=PROJECT)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and "Traceback" not in result.stderr
    assert not out.exists()


def test_an_output_it_cannot_write_is_refused_before_loading(tiny_scene, tmp_path, capsys):
    """--out with a suffix other than .png, .tif, .csv: one line naming it, nothing written."""
    out = tmp_path / "hours.jpg"
    assert main(["shadow", str(tiny_scene), "--date", "2026-03-21", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"--out {out}" in err[0] and ".csv" in err[0]
    assert not out.exists()


def test_no_zone_anywhere_is_refused(tmp_path, capsys):
    """A scene without a [scene] time and no --tz: refused before loading, naming --tz."""
    path = tmp_path / "nozone.toml"
    path.write_text(TINY_SCENE.replace('time = "2026-03-21T12:00+01:00"\n', ""))
    assert main(["shadow", str(path), "--date", "2026-03-21", "--out", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "--tz" in err and len(err.strip().splitlines()) == 1
