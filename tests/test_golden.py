"""Golden frames (viewer/testing.py, the pytest plugin a city's CI gets with citiverse): run as a city would
with pytester on tiny scenes: written on update, passing on identical frames, failing with a diff image on a
changed model; and the comparison itself (viewer/testing_compare.py)."""

from __future__ import annotations

import json
from importlib.metadata import entry_points
from pathlib import Path

import numpy as np
import pytest
import scipy.ndimage  # noqa: F401  (before pytester's sys.modules snapshot: see grid)
from PIL import Image

from viewer import api
from viewer.testing_compare import Tolerance, compare, diff_image

pytest_plugins = ["pytester"]

LON, LAT = 4.3571, 52.0116
D_LON, D_LAT = 30 / 68_600, 30 / 111_250

TOWN_TEST = """
import pytest

@pytest.mark.citiverse_golden(scene="town.toml", cameras=["front"], size=(320, 180))
def test_town(citiverse_golden):
    citiverse_golden.check_all()
"""

FEED_TEST = """
import pytest

@pytest.mark.citiverse_golden(scene="grid.toml", feed="grid.feed.jsonl.gz", cameras=["top"],
                              times=["+1", "+8"], size=(320, 180))
def test_traffic(citiverse_golden):
    results = citiverse_golden.check_all()
    assert len(results) == 2
"""


def town_geojson(tower_height: float) -> str:
    features = [{"type": "Feature", "id": name, "properties": {"height": h},
                 "geometry": {"type": "Polygon", "coordinates": [[
                     [LON + dx * D_LON, LAT], [LON + (dx + 1) * D_LON, LAT], [LON + (dx + 1) * D_LON, LAT + D_LAT],
                     [LON + dx * D_LON, LAT + D_LAT], [LON + dx * D_LON, LAT]]]}}
                for name, h, dx in (("house", 6.0, 0.0), ("tower", tower_height, 2.0))]
    return json.dumps({"type": "FeatureCollection", "features": features})


TOWN_SCENE = """
[scene]
name = "town"

[[sources]]
path = "town.geojson"
height_attribute = "height"

[cameras.front]
position = [-40.0, -120.0, 60.0]
look_at = [0.0, 0.0, 8.0]
fov = 50
"""

GRID_SCENE = """
[scene]
name = "grid"
crs = "EPSG:7415"
origin = [92540.0, 437500.0]

[[sources]]
format = "procedural"
seed = 7
size = 60

[cameras.top]
position = [-150.0, -220.0, 160.0]
look_at = [0.0, 0.0, 0.0]
fov = 50
"""


@pytest.fixture
def plugin_args() -> list[str]:
    """The plugin comes in through its pytest11 entry point, as in a city's CI; `-p` only for a source tree
    that was not installed."""
    installed = any(ep.value == "viewer.testing" for ep in entry_points(group="pytest11"))
    return [] if installed else ["-p", "viewer.testing"]


def test_the_plugin_is_registered_for_pytest() -> None:
    """Installing citiverse registers viewer.testing under the pytest11 entry point."""
    assert any(ep.name == "citiverse" and ep.value == "viewer.testing" for ep in entry_points(group="pytest11"))


@pytest.mark.render
def test_golden_frames_pass_when_identical_and_fail_with_a_diff_when_the_model_changes(
        offscreen_gl: object, pytester: pytest.Pytester, plugin_args: list[str]) -> None:
    """Update writes the golden frame; an unchanged model passes; a taller tower fails with the measures,
    an actual frame and a diff image that shows the change in magenta."""
    pytester.path.joinpath("town.geojson").write_text(town_geojson(20.0), encoding="utf-8")
    pytester.path.joinpath("town.toml").write_text(TOWN_SCENE, encoding="utf-8")
    pytester.makepyfile(test_city=TOWN_TEST)

    missing = pytester.runpytest_subprocess(*plugin_args)
    missing.assert_outcomes(failed=1)
    missing.stdout.fnmatch_lines(["*no golden frame*town-front.png*--citiverse-update-golden*"])

    written = pytester.runpytest_subprocess(*plugin_args, "--citiverse-update-golden")
    written.assert_outcomes(passed=1)
    golden = pytester.path / "golden" / "town-front.png"
    assert golden.is_file()
    written.stdout.fnmatch_lines(["*citiverse golden frames*", f"wrote {golden}"])

    pytester.runpytest_subprocess(*plugin_args).assert_outcomes(passed=1)

    pytester.path.joinpath("town.geojson").write_text(town_geojson(45.0), encoding="utf-8")
    changed = pytester.runpytest_subprocess(*plugin_args)
    changed.assert_outcomes(failed=1)
    changed.stdout.fnmatch_lines(["*golden frame town-front: *% of pixels changed*SSIM*diff*town-front.diff.png*"])
    diff_file = pytester.path / "citiverse-golden-diffs" / "town-front.diff.png"
    diff = np.asarray(Image.open(diff_file).convert("RGB"))
    assert diff.shape == (180, 960, 3)
    marks = diff[:, 640:]
    magenta = (marks[..., 0] > 150) & (marks[..., 1] < 90) & (marks[..., 2] > 150)
    assert magenta.sum() > 200  # the part of the tower that grew


@pytest.fixture(scope="module")
def grid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The grid scene and a 10 s recording of demo traffic on it, made outside pytester: the pytester fixture
    drops the modules imported while it is set up (the loaders, the sources), and numpy's C extensions
    cannot be imported twice in a process."""
    folder = tmp_path_factory.mktemp("grid")
    (folder / "grid.toml").write_text(GRID_SCENE, encoding="utf-8")
    api.record_demo_feed(api.open_scene(folder / "grid.toml", use_cache=False), folder / "grid.feed.jsonl.gz",
                         seconds=10, vehicles=60)
    return folder


@pytest.mark.render
def test_golden_frames_of_a_recorded_feed_at_set_times(grid: Path, pytester: pytest.Pytester,
                                                        plugin_args: list[str]) -> None:
    """A camera at two feed times of a recording gives two golden frames that differ (the traffic moved)
    and pass again on a second run."""
    for name in ("grid.toml", "grid.feed.jsonl.gz"):
        pytester.path.joinpath(name).write_bytes((grid / name).read_bytes())
    pytester.makepyfile(test_grid=FEED_TEST)

    pytester.runpytest_subprocess(*plugin_args, "--citiverse-update-golden").assert_outcomes(passed=1)
    first, later = (pytester.path / "golden" / f"traffic-top@+{t}.png" for t in (1, 8))
    a, b = (np.asarray(Image.open(p).convert("RGB")) for p in (first, later))
    assert not np.array_equal(a, b)
    pytester.runpytest_subprocess(*plugin_args).assert_outcomes(passed=1)


def test_unknown_marker_arguments_are_a_usage_error(pytester: pytest.Pytester, plugin_args: list[str]) -> None:
    """A misspelt marker argument is named, not ignored."""
    pytester.makepyfile(test_bad="""
import pytest

@pytest.mark.citiverse_golden(scene="x.toml", camras=["a"])
def test_x(citiverse_golden):
    pass
""")
    result = pytester.runpytest_subprocess(*plugin_args)
    result.stdout.fnmatch_lines(["*unknown citiverse_golden arguments: camras*"])
    assert result.ret != 0


# ---------------------------------------------------------------- the comparison


def _image(seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    base = np.zeros((90, 160, 3), np.uint8)
    base[20:70, 30:80] = (200, 120, 80)
    base[10:40, 100:150] = (60, 160, 220)
    return np.clip(base.astype(int) + rng.integers(0, 3, base.shape), 0, 255).astype(np.uint8)


def test_identical_and_noisy_frames_pass() -> None:
    """The same frame, and one with a few levels of noise on every pixel, pass both measures."""
    a = _image(0)
    assert compare(a, a).passed and compare(a, a).ssim == pytest.approx(1.0)
    assert compare(a, _image(1)).passed


def test_a_moved_block_fails_on_changed_pixels() -> None:
    """A block shifted by 4 pixels changes more pixels than allowed."""
    a = _image(0)
    b = a.copy()
    b[20:70, 34:84] = b[20:70, 30:80].copy()
    b[20:70, 30:34] = 0
    result = compare(b, a)
    assert not result.passed and "of pixels changed" in result.summary()


def test_a_thin_spread_change_fails_on_ssim_alone() -> None:
    """Texture lost over the whole image (each pixel within the channel threshold) fails on SSIM."""
    rng = np.random.default_rng(3)
    a = rng.integers(100, 140, (90, 160, 3)).astype(np.uint8)
    b = np.full_like(a, 120)
    result = compare(b, a, Tolerance(channel=30))
    assert result.changed == 0.0
    assert not result.passed and result.reasons[0].startswith("SSIM")


def test_frames_of_another_size_never_pass() -> None:
    """A frame of another size fails naming both sizes; the diff pads them."""
    a, b = _image(0), _image(0)[:80]
    result = compare(b, a)
    assert not result.passed and "160x80 differs from the golden frame's 160x90" in result.summary()
    assert diff_image(b, a).shape == (90, 480, 3)
