"""`citiverse render --feed RECORDING --at`: the live layers drawn from a recorded feed, through the CLI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from viewer.city.demo import demo_scene
from viewer.cli import main
from viewer.net.recorder import RecordingWriter
from viewer.sources.demo import DemoSource
from viewer.twin.codec import encode
from viewer.twin.messages import Hello, data_message

PROJECT = Path(__file__).resolve().parents[1]


def record_demo(path: Path, seconds: float) -> Path:
    """A recording of the demo source, written as `citiverse feed record` writes one."""
    source = DemoSource.from_scene(demo_scene(), seed=3, vehicles=300, start_time=1.8e9)
    writer = RecordingWriter(path, {"url": "ws://test/", "start": 1.8e9})
    writer.write(0.0, encode(Hello(seq=1, time=1.8e9, crs=source.crs, kinds=source.kinds), "columns"))
    update, seq, t = source.start(), 2, 0.0
    while update is not None and t <= seconds:
        writer.write(t, encode(data_message(seq, update), "columns"))
        update, seq, t = source.step(), seq + 1, t + source.period
    writer.close()
    return path


@pytest.mark.render
def test_render_with_a_recorded_feed_tints_buildings_and_draws_legends(tmp_path, offscreen_gl):
    """The same camera with and without the recorded feed differs: energy colours and the legend appear."""
    recording = record_demo(tmp_path / "run.feed.jsonl.gz", seconds=6.0)
    plain, live = tmp_path / "plain.png", tmp_path / "live.png"
    scene = str(PROJECT / "scenes" / "demo.toml")
    assert main(["-q", "render", scene, "--camera", "centre", "--size", "320x180", "--out", str(plain)]) == 0
    assert main(["-q", "render", scene, "--camera", "centre", "--size", "320x180", "--out", str(live),
                 "--feed", str(recording), "--at", "+5"]) == 0
    a = np.asarray(Image.open(plain).convert("RGB")).astype(int)
    b = np.asarray(Image.open(live).convert("RGB")).astype(int)
    assert a.shape == b.shape == (180, 320, 3)
    assert np.mean(np.abs(a - b).max(axis=2) > 30) > 0.2


def test_render_with_a_missing_recording_is_a_clear_error(tmp_path, capsys):
    """A --feed path that does not exist fails with one line naming it."""
    missing = tmp_path / "nope.feed.jsonl.gz"
    code = main(["-q", "render", str(PROJECT / "scenes" / "demo.toml"), "--feed", str(missing),
                 "--out", str(tmp_path / "x.png")])
    assert code == 2 and "nope.feed.jsonl.gz" in capsys.readouterr().err
