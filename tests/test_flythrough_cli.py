"""`citiverse flythrough` (bookmarks, list, render) and `citiverse demo`'s video, run as a user runs them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from viewer.cli import main
from viewer.flythrough.pathfile import load_paths

PROJECT = Path(__file__).resolve().parents[1]
SCENE = """[scene]
name = "small demo"
crs = "EPSG:7415"
origin = [92540.0, 437500.0]

[[sources]]
format = "procedural"
seed = 4
size = 200

[cameras.high]
position = [-400.0, -450.0, 300.0]
look_at = [0.0, 0.0, 0.0]
fov = 45

[cameras.low]
position = [-150.0, -200.0, 60.0]
look_at = [0.0, 0.0, 10.0]
fov = 55

[cameras.side]
position = [250.0, -100.0, 80.0]
look_at = [0.0, 0.0, 10.0]
fov = 50
"""


@pytest.fixture
def scene(tmp_path) -> Path:
    path = tmp_path / "small.toml"
    path.write_text(SCENE)
    return path


def test_bookmarks_writes_a_path_beside_the_scene_and_list_shows_it(scene, capsys):
    """`flythrough bookmarks` saves a path through the named bookmarks in small.flythrough.toml; `list` names it."""
    assert main(["-q", "flythrough", "bookmarks", str(scene), "--name", "tour", "--cameras", "high,low,side",
                 "--seconds", "3"]) == 0
    paths = load_paths(scene.with_name("small.flythrough.toml"))
    assert list(paths) == ["tour"]
    assert paths["tour"].duration == 6.0 and len(paths["tour"].keyframes) == 3
    assert paths["tour"].keyframes[1].position == (-150.0, -200.0, 60.0)
    assert main(["flythrough", "list", str(scene)]) == 0
    assert "tour: 3 keyframes, 6.0 s" in capsys.readouterr().out


def test_unknown_bookmark_and_unknown_path_are_clear_errors(scene, capsys):
    """A bookmark or path name that does not exist fails with one line listing the names there are."""
    assert main(["flythrough", "bookmarks", str(scene), "--name", "x", "--cameras", "high,nowhere"]) == 2
    assert "nowhere" in capsys.readouterr().err
    assert main(["-q", "flythrough", "bookmarks", str(scene), "--name", "tour"]) == 0
    assert main(["flythrough", "render", str(scene), "--path", "tuor", "--out", str(scene.parent / "a.mp4")]) == 2
    err = capsys.readouterr().err
    assert "paths.tuor" in err and "tour" in err
    assert not (scene.parent / "a.mp4").exists()


def test_a_broken_flythrough_file_names_the_key(scene, capsys):
    """A hand-edited file with a mistake fails with the file and the dotted key, not a traceback."""
    scene.with_name("small.flythrough.toml").write_text(
        "version = 1\n[paths.a]\nkeyframes = [{ t = 0, position = [0, 0, 1], hpr = [0, 0, 0] },"
        " { t = 1, position = [0, 0, 1], hpr = [0, 0, 0], fov = -5 }]\n")
    assert main(["flythrough", "list", str(scene)]) == 2
    err = capsys.readouterr().err
    assert "small.flythrough.toml" in err and "paths.a.keyframes[1].fov" in err


@pytest.mark.render
def test_render_writes_the_video_and_says_where(scene, tmp_path, capsys, offscreen_gl):
    """`flythrough render` writes an MP4 with duration x fps frames of the asked size and prints its name."""
    from viewer.app.video import read_video

    assert main(["-q", "flythrough", "bookmarks", str(scene), "--name", "tour", "--seconds", "1"]) == 0
    out = tmp_path / "video" / "tour.mp4"
    assert main(["-q", "flythrough", "render", str(scene), "--path", "tour", "--out", str(out),
                 "--size", "192x108", "--fps", "12"]) == 0
    assert read_video(out) == (24, (192, 108), 12.0)
    assert f"wrote {out} (24 frames" in capsys.readouterr().out


@pytest.mark.render
def test_render_refuses_a_live_url_and_an_odd_size(scene, tmp_path, capsys, offscreen_gl):
    """A ws:// feed and an odd video size are refused with a reason; nothing is written."""
    assert main(["-q", "flythrough", "bookmarks", str(scene), "--name", "tour", "--seconds", "1"]) == 0
    out = tmp_path / "x.mp4"
    assert main(["-q", "flythrough", "render", str(scene), "--path", "tour", "--out", str(out),
                 "--feed", "ws://127.0.0.1:9/", "--size", "160x96"]) == 2
    assert "recording" in capsys.readouterr().err
    assert main(["-q", "flythrough", "render", str(scene), "--path", "tour", "--out", str(out),
                 "--size", "161x96"]) == 2
    assert "even" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.render
def test_a_render_killed_midway_leaves_no_output_file(scene, tmp_path, offscreen_gl):
    """SIGKILL during a render leaves neither the video nor any temporary file in its folder."""
    assert main(["-q", "flythrough", "bookmarks", str(scene), "--name", "long", "--seconds", "60"]) == 0
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    proc = subprocess.Popen([sys.executable, "-m", "viewer.cli", "flythrough", "render", str(scene), "--path",
                             "long", "--out", str(out_dir / "long.mp4"), "--size", "160x96", "--fps", "10"],
                            stderr=subprocess.PIPE, text=True, env=env)
    assert proc.stderr is not None
    deadline = time.monotonic() + 60
    for line in proc.stderr:  # progress lines: the first comes after frame 1
        if "frame " in line or time.monotonic() > deadline:
            break
    time.sleep(0.5)
    assert proc.poll() is None, "the render ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert list(out_dir.iterdir()) == []


@pytest.mark.render
def test_demo_without_a_display_renders_a_video(tmp_path, capsys, offscreen_gl, monkeypatch):
    """`citiverse demo` with no display renders the flythrough video and prints where it is."""
    from viewer.app.video import read_video

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    out = tmp_path / "demo.mp4"
    assert main(["-q", "demo", "--buildings", "300", "--vehicles", "200", "--seconds", "1", "--fps", "10",
                 "--size", "160x96", "--out", str(out)]) == 0
    assert read_video(out) == (10, (160, 96), 10.0)
    text = capsys.readouterr().out
    assert str(out.resolve()) in text and "no display" in text


def test_the_demo_scene_ships_readable_paths(capsys):
    """scenes/demo.flythrough.toml loads, and its tour starts and ends at the demo's first and last bookmark."""
    from viewer.config import load_scene

    assert main(["flythrough", "list", str(PROJECT / "scenes" / "demo.toml")]) == 0
    assert "tour: 5 keyframes, 12.0 s" in capsys.readouterr().out
    tour = load_paths(PROJECT / "scenes" / "demo.flythrough.toml")["tour"]
    cameras = load_scene(PROJECT / "scenes" / "demo.toml").cameras
    assert tour.keyframes[0].position == cameras["overview"].position
    assert tour.keyframes[-1].position == cameras["street"].position


@pytest.mark.render
def test_a_feed_start_outside_the_recording_is_refused(scene, tmp_path, capsys, offscreen_gl):
    """`--feed-start` past the end (or before the start) of the recording names its span and writes nothing;
    it rendered a video of the last state frozen under the asked time."""
    from viewer.city.scene import load_scene_models
    from viewer.config import load_scene
    from viewer.net.recorder import record_source
    from viewer.sources.demo import DemoSource

    recording = tmp_path / "run.feed.jsonl.gz"
    record_source(DemoSource.from_scene(load_scene_models(load_scene(scene)), seed=5, vehicles=50,
                                        start_time=1.8e9), recording, 4.0)
    assert main(["-q", "flythrough", "bookmarks", str(scene), "--name", "tour", "--seconds", "1"]) == 0
    out = tmp_path / "x.mp4"
    for start, words in (("+600", "after the end"), ("2020-01-01T00:00:00Z", "before the start")):
        assert main(["-q", "flythrough", "render", str(scene), "--path", "tour", "--out", str(out),
                     "--feed", str(recording), "--feed-start", start, "--size", "96x64", "--fps", "4"]) == 2
        err = capsys.readouterr().err
        assert "--feed-start" in err and words in err and "Traceback" not in err
        assert not out.exists()
    assert main(["-q", "flythrough", "render", str(scene), "--path", "tour", "--out", str(out),
                 "--feed", str(recording), "--feed-start", "+2", "--size", "96x64", "--fps", "4"]) == 0
