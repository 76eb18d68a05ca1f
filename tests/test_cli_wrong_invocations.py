"""Wrong invocations of every `citiverse` command, each run as a real subprocess.

Every user mistake gives a non-zero exit, one error line on stderr naming the input and the reason, and no
Python traceback (issue 11). The inputs are tiny (a 60-building procedural scene, a one-building CityJSON, a
3-second recording) so the whole table runs in well under a minute.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from viewer.twin.batch import TwinUpdate, make_batch

PROJECT = Path(__file__).resolve().parents[1]
TIMEOUT = 120  # seconds: only bounds a hung case; no case should come near it

TINY_SCENE = """[scene]
name = "tiny"
crs = "EPSG:7415"
origin = [92540.0, 437500.0]

[[sources]]
format = "procedural"
seed = 1
size = 60

[cameras.overview]
position = [-300.0, -300.0, 300.0]
look_at = [0.0, 0.0, 0.0]
fov = 45

[cameras.street]
position = [0.0, -150.0, 1.7]
look_at = [0.0, 100.0, 20.0]
fov = 60
"""

TINY_PATHS = """version = 1
[paths.tour]
keyframes = [
  { t = 0.0, position = [-300.0, -300.0, 300.0], look_at = [0.0, 0.0, 0.0] },
  { t = 1.0, position = [-250.0, -300.0, 300.0], look_at = [0.0, 0.0, 0.0] },
]
"""

# One lon/lat footprint, 10 m tall: a format without levels of detail.
ONE_FOOTPRINT_GEOJSON = json.dumps({"type": "FeatureCollection", "features": [{
    "type": "Feature", "properties": {"height": 10},
    "geometry": {"type": "Polygon", "coordinates": [[[7.42, 43.73], [7.4202, 43.73], [7.4202, 43.7302],
                                                     [7.42, 43.73]]]}}]})

# One building with an LoD 1 and an LoD 2.2 geometry.
TWO_LOD_CITYJSON = """{"type": "CityJSON", "version": "2.0", "transform": {"scale": [1, 1, 1], "translate": [0, 0, 0]},
"metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/7415"},
"CityObjects": {"b1": {"type": "Building", "geometry": [
  {"type": "MultiSurface", "lod": "1", "boundaries": [[[0, 1, 2, 3]]]},
  {"type": "MultiSurface", "lod": "2.2", "boundaries": [[[4, 5, 6, 7]]]}]}},
"vertices": [[0, 0, 0], [10, 0, 0], [10, 10, 0], [0, 10, 0], [0, 0, 5], [10, 0, 5], [10, 10, 5], [0, 10, 5]]}
"""

EMPTY_CITYJSON = '{"type": "CityJSON", "version": "2.0", "CityObjects": {}, "vertices": []}'

METERS_CSV = "datetime,m1\n2019-01-01 00:00,1.0\n2019-01-01 01:00,2.0\n2019-01-01 02:00,3.0\n"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """A folder of tiny inputs: scene, flythrough file, models, a recording, a meter CSV and its mapping."""
    from viewer.config import load_scene
    from viewer.net.recorder import record_source
    from viewer.sources.demo import DemoSource

    d = tmp_path_factory.mktemp("inputs")
    (d / "tiny.toml").write_text(TINY_SCENE)
    (d / "tiny.flythrough.toml").write_text(TINY_PATHS)
    (d / "two-lods.city.json").write_text(TWO_LOD_CITYJSON)
    (d / "empty.city.json").write_text(EMPTY_CITYJSON)
    (d / "one.geojson").write_text(ONE_FOOTPRINT_GEOJSON)
    (d / "meters.csv").write_text(METERS_CSV)
    (d / "meters.toml").write_text('m1 = "b1"\n')
    (d / "secret").write_bytes(os.urandom(32))
    (d / "not-executable").write_text("not ffmpeg\n")
    broken = d / "broken-ffmpeg"
    broken.write_text("#!/bin/sh\necho 'ffmpeg: simulated breakage' >&2\nexit 1\n")
    broken.chmod(0o755)
    source = DemoSource.from_scene(load_scene(d / "tiny.toml"), seed=1, vehicles=20, start_time=1.8e9)
    record_source(source, d / "run.feed.jsonl.gz", 3.0)
    return d


def run_cli(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    clean["CITIVERSE_CACHE"] = str(cwd / "cache")
    return subprocess.run([sys.executable, "-m", "viewer.cli", "-q", *args], capture_output=True, text=True,
                          timeout=TIMEOUT, cwd=cwd, env={**clean, **(env or {})})


# (id, arguments, extra environment, words the one error line must hold). Paths are relative to `inputs`.
RECORD = "run.feed.jsonl.gz"
FFMPEG_DEMO = ["demo", "--headless", "--out", "d.mp4", "--seconds", "1", "--fps", "4", "--buildings", "40",
               "--size", "64x64"]
CASES = [
    # view (no display here: the inputs are checked before the display is)
    ("view-missing-scene", ["view", "missing.toml"], None, ["missing.toml", "not found"]),
    ("view-lod-word", ["view", "two-lods.city.json", "--lod", "banana"], None, ["--lod", "banana"]),
    ("view-feed-http", ["view", "tiny.toml", "--feed", "http://127.0.0.1:9/"], None, ["http://127.0.0.1:9/", "ws://"]),
    ("view-speed-zero", ["view", "tiny.toml", "--feed", RECORD, "--speed", "0"], None, ["--speed", "0"]),
    # render
    ("render-missing-scene", ["render", "missing.toml", "--out", "x.png"], None, ["missing.toml"]),
    ("render-lod-absent", ["render", "two-lods.city.json", "--lod", "3.0", "--out", "x.png"], None,
     ["two-lods.city.json", "3", "1, 2.2"]),
    ("render-lod-no-lods", ["render", "one.geojson", "--lod", "2", "--out", "x.png"], None,
     ["one.geojson", "geojson", "levels of detail"]),
    ("render-lod-word", ["render", "two-lods.city.json", "--lod", "banana", "--out", "x.png"], None,
     ["--lod", "banana"]),
    ("render-at-without-feed", ["render", "tiny.toml", "--at", "+5", "--out", "x.png"], None, ["--at", "--feed"]),
    ("render-at-past-end", ["render", "tiny.toml", "--feed", RECORD, "--at", "+3600", "--out", "x.png"], None,
     ["--at", RECORD, "ends"]),
    ("render-at-before-start", ["render", "tiny.toml", "--feed", RECORD, "--at", "1000", "--out", "x.png"], None,
     ["--at", RECORD, "starts"]),
    ("render-at-word", ["render", "tiny.toml", "--feed", RECORD, "--at", "soon", "--out", "x.png"], None,
     ["--at", "soon"]),
    ("render-out-tiff", ["render", "tiny.toml", "--out", "x.tiff"], None, ["x.tiff", ".png"]),
    ("render-feed-http", ["render", "tiny.toml", "--feed", "http://127.0.0.1:9/", "--out", "x.png"], None,
     ["http://127.0.0.1:9/", "ws://"]),
    ("render-feed-missing", ["render", "tiny.toml", "--feed", "gone.feed.jsonl.gz", "--out", "x.png"], None,
     ["gone.feed.jsonl.gz", "not found"]),
    ("render-empty-model", ["render", "empty.city.json", "--out", "x.png"], None, ["empty.city.json", "no geometry"]),
    ("render-camera-unknown", ["render", "tiny.toml", "--camera", "nowhere", "--out", "x.png"], None, ["nowhere"]),
    ("render-layers-unknown", ["render", "tiny.toml", "--feed", RECORD, "--layers", "cars", "--out", "x.png"], None,
     ["--layers", "cars"]),
    ("render-size-tiny", ["render", "tiny.toml", "--size", "4x4", "--out", "x.png"], None, ["--size"]),
    ("render-crs-unknown", ["render", "two-lods.city.json", "--crs", "EPSG:999999", "--out", "x.png"], None,
     ["EPSG:999999"]),
    # inspect
    ("inspect-missing", ["inspect", "missing.json"], None, ["missing.json"]),
    ("inspect-crs-unknown", ["inspect", "two-lods.city.json", "--crs", "EPSG:999999"], None, ["EPSG:999999"]),
    ("inspect-lod-absent", ["inspect", "two-lods.city.json", "--lod", "3.0"], None, ["3", "1, 2.2"]),
    ("inspect-lod-word", ["inspect", "two-lods.city.json", "--lod", "banana"], None, ["--lod", "banana"]),
    ("inspect-format-unknown", ["inspect", "two-lods.city.json", "--format", "pdf"], None, ["pdf"]),
    # demo
    ("demo-seconds-zero", ["demo", "--headless", "--seconds", "0"], None, ["--seconds", "0"]),
    ("demo-seconds-negative", ["demo", "--headless", "--seconds", "-3"], None, ["--seconds", "-3"]),
    ("demo-fps-zero", ["demo", "--headless", "--fps", "0"], None, ["--fps", "0"]),
    ("demo-buildings-zero", ["demo", "--buildings", "0"], None, ["--buildings"]),
    ("demo-out-unknown", ["demo", "--headless", "--out", "city.gif"], None, ["city.gif", ".mp4"]),
    ("demo-ffmpeg-missing", FFMPEG_DEMO, {"IMAGEIO_FFMPEG_EXE": "/nonexistent/ffmpeg"}, ["/nonexistent/ffmpeg"]),
    ("demo-ffmpeg-not-executable", FFMPEG_DEMO, {"IMAGEIO_FFMPEG_EXE": "{inputs}/not-executable"},
     ["not-executable"]),
    ("demo-ffmpeg-broken", FFMPEG_DEMO, {"IMAGEIO_FFMPEG_EXE": "{inputs}/broken-ffmpeg"},
     ["d.mp4", "simulated breakage"]),
    # feed serve
    ("serve-replay-no-file", ["feed", "serve", "--source", "replay"], None, ["--file"]),
    ("serve-replay-missing", ["feed", "serve", "--source", "replay", "--file", "gone.feed.jsonl.gz"], None,
     ["gone.feed.jsonl.gz", "not found"]),
    ("serve-demo-no-scene", ["feed", "serve", "--source", "demo"], None, ["--scene"]),
    ("serve-speed-zero", ["feed", "serve", "--source", "replay", "--file", RECORD, "--speed", "0"], None,
     ["--speed"]),
    ("serve-start-word", ["feed", "serve", "--source", "demo", "--scene", "tiny.toml", "--start", "yesterday"],
     None, ["--start", "yesterday"]),
    ("serve-csv-start-outside", ["feed", "serve", "--source", "csv", "--file", "meters.csv", "--mapping",
                                 "meters.toml", "--start", "2020-06-01T00:00"], None,
     ["--start", "meters.csv", "2019-01-01"]),
    ("serve-port-out-of-range", ["feed", "serve", "--source", "replay", "--file", RECORD, "--port", "99999"], None,
     ["--port", "99999"]),
    # feed record
    ("record-http-url", ["feed", "record", "http://127.0.0.1:9999/", "--out", "r.feed.jsonl.gz"], None,
     ["http://127.0.0.1:9999/", "ws://"]),
    ("record-bare-address", ["feed", "record", "127.0.0.1:8765", "--out", "r.feed.jsonl.gz"], None,
     ["127.0.0.1:8765", "ws://"]),
    ("record-nothing", ["feed", "record", "--out", "r.feed.jsonl.gz"], None, ["URL", "--source"]),
    ("record-history-from-word", ["feed", "record", "--nats", "nats://127.0.0.1:9", "--subject", "x", "--from",
                                  "yesterday", "--out", "r.jsonl.gz"], None, ["--from", "yesterday"]),
    ("record-url-and-source", ["feed", "record", "ws://127.0.0.1:9/", "--source", "demo", "--out", "r.jsonl.gz"],
     None, ["URL", "--source"]),
    ("record-demo-no-duration", ["feed", "record", "--source", "demo", "--scene", "tiny.toml", "--out", "r.jsonl.gz"],
     None, ["--duration"]),
    ("record-duration-zero", ["feed", "record", "ws://127.0.0.1:9/", "--duration", "0", "--out", "r.jsonl.gz"],
     None, ["--duration"]),
    ("record-csv-start-outside", ["feed", "record", "--source", "csv", "--file", "meters.csv", "--mapping",
                                  "meters.toml", "--start", "1999-01-01", "--out", "r.jsonl.gz"], None,
     ["--start", "meters.csv", "2019-01-01"]),
    # flythrough
    ("fly-list-missing", ["flythrough", "list", "missing.toml"], None, ["missing.toml"]),
    ("fly-render-path-unknown", ["flythrough", "render", "tiny.toml", "--path", "nope", "--out", "f.mp4"], None,
     ["nope", "tour"]),
    ("fly-render-out-mov", ["flythrough", "render", "tiny.toml", "--path", "tour", "--out", "f.mov"], None,
     ["f.mov", ".mp4"]),
    ("fly-render-fps-zero", ["flythrough", "render", "tiny.toml", "--path", "tour", "--fps", "0", "--out", "f.mp4"],
     None, ["--fps"]),
    ("fly-render-feed-url", ["flythrough", "render", "tiny.toml", "--path", "tour", "--feed", "ws://127.0.0.1:9/",
                             "--out", "f.mp4"], None, ["--feed", "recording"]),
    ("fly-render-feed-speed", ["flythrough", "render", "tiny.toml", "--path", "tour", "--feed", RECORD,
                               "--feed-speed", "0", "--out", "f.mp4"], None, ["--feed-speed"]),
    ("fly-render-feed-start", ["flythrough", "render", "tiny.toml", "--path", "tour", "--feed", RECORD,
                               "--feed-start", "soon", "--out", "f.mp4"], None, ["soon"]),
    ("fly-bookmarks-camera", ["flythrough", "bookmarks", "tiny.toml", "--name", "b", "--cameras", "nowhere"], None,
     ["nowhere"]),
    ("fly-bookmarks-seconds", ["flythrough", "bookmarks", "tiny.toml", "--name", "b", "--seconds", "0"], None,
     ["--seconds"]),
    # meet
    ("meet-token-room", ["meet", "token", "--room", "a b", "--name", "Ana", "--role", "host", "--secret-file",
                         "secret"], None, ["a b"]),
    ("meet-token-no-secret", ["meet", "token", "--room", "r", "--name", "Ana", "--role", "host", "--secret-file",
                              "gone.secret"], None, ["gone.secret"]),
    ("meet-token-ttl", ["meet", "token", "--room", "r", "--name", "Ana", "--role", "host", "--ttl", "-5",
                        "--secret-file", "secret"], None, ["ttl", "-5"]),
    ("meet-serve-port", ["meet", "serve", "--port", "99999", "--secret-file", "secret"], None, ["--port", "99999"]),
    # the command line itself
    ("no-command", [], None, ["COMMAND"]),
    ("unknown-command", ["fly"], None, ["fly"]),
]


@pytest.mark.parametrize("args, env, words", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_wrong_invocation_is_one_clear_line(inputs, args, env, words):
    """A wrong invocation exits non-zero with one error line naming the input and the reason, no traceback."""
    env = {k: v.format(inputs=inputs) for k, v in (env or {}).items()}
    result = run_cli(args, inputs, env)
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    assert len(errors) == 1, result.stderr
    missing = [w for w in words if w not in errors[0]]
    assert not missing, f"{missing} not in: {errors[0]}"


def test_inspect_takes_no_cache(inputs):
    """`inspect --no-cache` is accepted, as the README says (inspect never used the cache anyway)."""
    result = run_cli(["inspect", "two-lods.city.json", "--no-cache"], inputs)
    assert result.returncode == 0, result.stderr


def test_an_lod_the_file_has_is_chosen(inputs):
    """`--lod 1` picks the LoD 1 geometry (at z 0) of a building that also has LoD 2.2 (at z 5)."""
    result = run_cli(["inspect", "two-lods.city.json", "--lod", "1", "--json"], inputs)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["bbox"][2] == 0.0  # noqa: TID251


# ---------------------------------------------------------------- right answers where there were wrong ones


class ElsewhereSource:
    """Another city's feed: 50 vehicles 60 km away (Utrecht, in the scene's CRS) and 20 buildings with ids
    the scene does not have."""

    crs = "EPSG:7415"
    kinds = ("vehicle", "building")
    period = 1.0

    def __init__(self) -> None:
        self.t = 1.8e9

    def _update(self, snapshot: bool) -> TwinUpdate:
        n = 50
        vehicles = make_batch("vehicle", ids=[f"utrecht-car-{i}" for i in range(n)], x=155_000.0 + np.arange(n),
                              y=np.full(n, 463_000.0), heading=np.zeros(n), speed=np.full(n, 10.0),
                              vtype=["car"] * n)
        buildings = make_batch("building", ids=[f"utrecht-{i}" for i in range(20)], power=np.full(20, 5.0))
        return TwinUpdate(self.t, {"vehicle": vehicles, "building": buildings}, snapshot=snapshot)

    def start(self) -> TwinUpdate:
        return self._update(snapshot=True)

    def step(self) -> TwinUpdate | None:
        self.t += 1.0
        return self._update(snapshot=False) if self.t < 1.8e9 + 3 else None


@pytest.fixture(scope="module")
def elsewhere(inputs) -> Path:
    from viewer.net.recorder import record_source

    record_source(ElsewhereSource(), inputs / "elsewhere.feed.jsonl.gz", 10.0)
    return inputs / "elsewhere.feed.jsonl.gz"


@pytest.mark.render
def test_another_citys_feed_is_said_on_stderr(inputs, elsewhere, offscreen_gl):
    """A feed whose vehicles lie far away and whose building ids the scene lacks renders with a warning per
    kind giving the counts, instead of a silent grey picture."""
    result = run_cli(["render", "tiny.toml", "--feed", elsewhere.name, "--size", "64x64", "--out", "e.png"], inputs)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("citiverse: warning:")]
    assert any("0 of the feed's 50 vehicles placed" in w for w in warnings), result.stderr
    assert any("0 of the feed's 20 buildings matched" in w and "utrecht-0" in w for w in warnings), result.stderr


@pytest.mark.render
def test_status_line_counts_placed_and_matched(inputs, elsewhere, offscreen_gl):
    """The status line says how many vehicles were placed and buildings matched, for a foreign feed and the
    scene's own."""
    from viewer.app.live import LiveOptions
    from viewer.app.live_headless import live_view
    from viewer.city.scene import load_scene_models
    from viewer.config import load_scene

    scene = load_scene_models(load_scene(inputs / "tiny.toml"))
    with live_view(scene, elsewhere, (64, 64), options=LiveOptions(status_line=True)) as lv:
        lv.render(lv.seek(None))
        text, _ = lv.live.status_line(lv.live.wall())
    assert "50 vehicles (0 placed)" in text and "20 buildings (0 matched)" in text, text
    with live_view(scene, inputs / RECORD, (64, 64), options=LiveOptions(status_line=True)) as lv:
        lv.render(lv.seek(None))
        own = {c.kind: c for c in lv.live.coverage()}
    assert own["vehicle"].total > 0 and own["vehicle"].shown == own["vehicle"].total
    assert own["building"].total > 0 and own["building"].shown == own["building"].total


@pytest.mark.render
def test_at_within_a_recording_is_shown_and_past_it_refused(inputs, offscreen_gl):
    """--at up to one step after the recording's last update is drawn; later is a ConfigError with its span."""
    from viewer.app.live_headless import live_view
    from viewer.city.scene import load_scene_models
    from viewer.config import load_scene
    from viewer.errors import ConfigError

    scene = load_scene_models(load_scene(inputs / "tiny.toml"))
    with live_view(scene, inputs / RECORD, (64, 64)) as lv:
        first = lv.seek(None)
        assert lv.seek(first + 3.0) == first + 3.0
    with live_view(scene, inputs / RECORD, (64, 64)) as lv, pytest.raises(ConfigError, match="after the end"):
        lv.seek(lv.seek(None) + 60.0)


@pytest.mark.render
def test_jpg_name_gets_jpeg_bytes(inputs, offscreen_gl):
    """`render --out x.jpg` writes a real JPEG (it wrote PNG bytes under a .jpg name)."""
    from PIL import Image

    result = run_cli(["render", "tiny.toml", "--size", "64x48", "--out", "x.jpg"], inputs)
    assert result.returncode == 0, result.stderr
    with Image.open(inputs / "x.jpg") as image:
        assert image.format == "JPEG" and image.size == (64, 48)


def test_csv_start_is_honoured(inputs):
    """`feed record --source csv --start T` within the readings starts the recording at T (it was ignored)."""
    from viewer.sources.replay import ReplaySource

    result = run_cli(["feed", "record", "--source", "csv", "--file", "meters.csv", "--mapping", "meters.toml",
                      "--start", "2019-01-01T01:00", "--out", "late.feed.jsonl.gz"], inputs)
    assert result.returncode == 0, result.stderr
    source = ReplaySource(inputs / "late.feed.jsonl.gz")
    assert source.start().time == 1_546_304_400.0  # 2019-01-01 01:00 UTC
    source.close()


def test_format_names_the_known_loaders(inputs):
    """A --format the loaders do not have lists the ones they do."""
    from viewer.city.loaders import LOADERS

    result = run_cli(["inspect", "two-lods.city.json", "--format", "pdf"], inputs)
    assert result.returncode == 2 and all(name in result.stderr for name in set(LOADERS) - {"procedural"})


@pytest.fixture
def replay_server(inputs):
    """`feed serve` replaying the tiny recording in a loop on a free loopback port; yields its URL."""
    proc = subprocess.Popen([sys.executable, "-m", "viewer.cli", "-q", "feed", "serve", "--source", "replay",
                             "--file", RECORD, "--loop", "--port", "0"], cwd=inputs, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # bounded by the server printing its URL or exiting
            if match := re.search(r" at (ws://\S+/)", line):
                yield match.group(1)
                break
        else:
            pytest.fail("feed serve printed no URL")
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.render
def test_at_before_a_live_feeds_first_data_is_refused(inputs, replay_server, offscreen_gl):
    """`render --feed ws://... --at T` with T before anything the feed sent is refused: a live feed's past
    cannot be fetched (it showed the present labelled T)."""
    result = run_cli(["render", "tiny.toml", "--feed", replay_server, "--at", "1000", "--size", "64x64",
                      "--out", "live.png"], inputs)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "--at" in result.stderr and "past of a live feed" in result.stderr and "Traceback" not in result.stderr
