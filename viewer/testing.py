"""Golden frames for a city's own CI: a pytest plugin that renders named bookmarks of a scene, with a recorded
feed at set times, and compares them with stored PNGs. Installed with citiverse (entry point `pytest11`), so
a city's test suite only needs `pip install citiverse`. See docs/testing.md.

    @pytest.mark.citiverse_golden(scene="../delft.toml", feed="data/morning.feed.jsonl.gz",
                                  cameras=["overview", "market"], times=["+0", "+600"])
    def test_delft_looks_right(citiverse_golden):
        citiverse_golden.check_all()                 # every camera at every time
        citiverse_golden.check("market", at="+60")   # or one frame by hand

Rules this module keeps:
1. Golden frames live in a folder beside the test file (`golden/` by default, ini `citiverse_golden_dir`),
   one PNG per frame named `<test>-<camera>[@<time>].png`; paths in the marker are relative to the test file.
2. `--citiverse-update-golden` (re)writes the golden frames and passes; without it a missing golden frame
   fails, naming the option. Nothing is ever written into the golden folder otherwise.
3. A frame that differs beyond the tolerance (viewer/testing_compare.py: per-channel thresholds and SSIM)
   fails the test with what was measured; the actual frame and a diff image (expected | actual | changes)
   are written to `--citiverse-golden-out` (default `citiverse-golden-diffs/` under the rootdir) and named
   in the failure, for CI to keep as artifacts.
4. A scene is loaded once per test session (per file and modification time) and rendered headless through
   viewer.api, so a golden frame shows exactly what `citiverse render --camera NAME --feed F --at T` shows.
5. Importing the plugin is cheap (pytest imports it at every start): the renderer is imported when a frame
   is first rendered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

from viewer.testing_compare import Comparison, Tolerance, compare, diff_image

if TYPE_CHECKING:
    from viewer.api import Scene

MARKER = "citiverse_golden"
DEFAULT_SIZE = (640, 360)
_SCENES = pytest.StashKey[dict[tuple[str, int], "Scene"]]()
_REPORT = pytest.StashKey[dict[str, list[str]]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("citiverse", "CitiVerse golden frames")
    group.addoption("--citiverse-update-golden", action="store_true", default=False,
                    help="write (or rewrite) the golden frames instead of comparing with them")
    group.addoption("--citiverse-golden-out", metavar="DIR", default=None,
                    help="where failed frames and diff images go (default: citiverse-golden-diffs/ in the rootdir)")
    parser.addini("citiverse_golden_dir", "folder of golden frames, relative to each test file", default="golden")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}(scene, feed=None, cameras=(), times=(None,), size=(640, 360), "
                                       "tolerance=None): golden frames of a CitiVerse scene (viewer.testing)")
    scenes: dict[tuple[str, int], Scene] = {}
    config.stash[_SCENES] = scenes
    report: dict[str, list[str]] = {"written": [], "failed": []}
    config.stash[_REPORT] = report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config) -> None:
    report = config.stash.get(_REPORT, None)
    if not report or not (report["written"] or report["failed"]):
        return
    terminalreporter.section("citiverse golden frames")
    for path in report["written"]:
        terminalreporter.write_line(f"wrote {path}")
    for line in report["failed"]:
        terminalreporter.write_line(line)


@dataclass
class GoldenFrames:
    """The `citiverse_golden` fixture: renders frames of the marked scene and checks them (rules 1-3)."""

    request: pytest.FixtureRequest
    scene_path: Path | None
    feed: Path | str | None
    cameras: Sequence[str]
    times: Sequence[str | float | None]
    size: tuple[int, int]
    tolerance: Tolerance
    checked: list[Comparison] = field(default_factory=list)

    @property
    def folder(self) -> Path:
        return self.request.path.parent / str(self.request.config.getini("citiverse_golden_dir"))

    @property
    def scene(self) -> Scene:
        """The marked scene as a viewer.api.Scene, loaded once per session (rule 4)."""
        if self.scene_path is None:
            raise pytest.UsageError(f"{self.request.node.nodeid}: mark the test with "
                                    f"@pytest.mark.{MARKER}(scene=...) to use citiverse_golden")
        return _load(self.request.config, self.scene_path)

    def render(self, camera: str | None, at: str | float | None = None) -> np.ndarray:
        from viewer.errors import CitiverseError

        try:
            frame = self.scene.render(camera, size=self.size, feed=self.feed, at=at)
        except CitiverseError as exc:  # the user's scene, camera or feed: one line, no traceback of ours
            pytest.fail(f"{MARKER}: {exc}", pytrace=False)
        return np.asarray(frame.image)

    def name(self, camera: str | None, at: str | float | None) -> str:
        test = re.sub(r"^test_", "", self.request.node.originalname if hasattr(self.request.node, "originalname")
                      else self.request.node.name)
        text = f"{test}-{camera or 'framed'}" + (f"@{at}" if at is not None else "")
        return re.sub(r"[^A-Za-z0-9._@+-]+", "_", text)

    def check(self, camera: str | None, at: str | float | None = None, name: str | None = None) -> Comparison:
        """Render bookmark `camera` (None: framed on the model) at feed time `at` and compare it with its
        golden frame; fails the test (after writing the actual frame and a diff) when it differs."""
        name = name or self.name(camera, at)
        actual = self.render(camera, at)
        golden = self.folder / f"{name}.png"
        report = self.request.config.stash[_REPORT]
        if self.request.config.getoption("citiverse_update_golden"):
            _write_png(actual, golden)
            report["written"].append(str(golden))
            result = Comparison(0.0, 0, 1.0, ())
            self.checked.append(result)
            return result
        if not golden.is_file():
            written = _write_png(actual, self._out() / f"{name}.actual.png")
            pytest.fail(f"no golden frame {golden} (this run's frame: {written}); write it with "
                        f"--citiverse-update-golden", pytrace=False)
        result = compare(actual, _read_png(golden), self.tolerance)
        self.checked.append(result)
        if not result.passed:
            out = self._out()
            written = _write_png(actual, out / f"{name}.actual.png")
            diff = _write_png(diff_image(actual, _read_png(golden), self.tolerance), out / f"{name}.diff.png")
            line = f"golden frame {name}: {result.summary()}; diff {diff}; actual {written}"
            report["failed"].append(line)
            pytest.fail(line, pytrace=False)
        return result

    def check_all(self) -> list[Comparison]:
        """check() every marked camera at every marked time."""
        if not self.cameras:
            raise pytest.UsageError(f"{self.request.node.nodeid}: {MARKER}(cameras=[...]) names no camera")
        return [self.check(camera, at) for camera in self.cameras for at in self.times]

    def _out(self) -> Path:
        option = self.request.config.getoption("citiverse_golden_out")
        return Path(option) if option else self.request.config.rootpath / "citiverse-golden-diffs"


@pytest.fixture
def citiverse_golden(request: pytest.FixtureRequest) -> GoldenFrames:
    """Golden frames of the scene named by the test's citiverse_golden marker (see the module docstring)."""
    marker = request.node.get_closest_marker(MARKER)
    kwargs: dict[str, Any] = dict(marker.kwargs) if marker is not None else {}
    if marker is not None and marker.args:
        kwargs.setdefault("scene", marker.args[0])
    here = request.path.parent
    scene = kwargs.pop("scene", None)
    feed = kwargs.pop("feed", None)
    if feed is not None and "://" not in str(feed):
        feed = here / feed
    tolerance = kwargs.pop("tolerance", None) or Tolerance()
    if isinstance(tolerance, dict):
        tolerance = Tolerance(**tolerance)
    times = kwargs.pop("times", None) or ((None,) if feed is None else ("+0",))
    frames = GoldenFrames(request, here / scene if scene is not None else None, feed, tuple(kwargs.pop("cameras", ())),
                          tuple(times), tuple(kwargs.pop("size", DEFAULT_SIZE)), tolerance)
    if kwargs:
        raise pytest.UsageError(f"{request.node.nodeid}: unknown {MARKER} arguments: {', '.join(sorted(kwargs))}")
    return frames


def _load(config: pytest.Config, path: Path) -> Scene:
    from viewer import api
    from viewer.errors import CitiverseError

    try:
        key = (str(path.resolve()), path.stat().st_mtime_ns)
    except OSError as exc:
        pytest.fail(f"{MARKER}: scene {path}: {exc.strerror or exc}", pytrace=False)
    scenes = config.stash[_SCENES]
    if key not in scenes:
        try:
            scenes[key] = api.open_scene(path)
        except CitiverseError as exc:
            pytest.fail(f"{MARKER}: {exc}", pytrace=False)
    return scenes[key]


def _write_png(image: np.ndarray, out: Path) -> Path:
    from PIL import Image

    out.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.ascontiguousarray(image, np.uint8)).save(out, format="PNG")
    return out


def _read_png(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))
