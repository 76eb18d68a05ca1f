"""Time for a recorded feed in a real window (issue 20): `citiverse view --feed RECORDING` under Xvfb, real
keys and a real mouse drag from xdotool, the window's state from its test hook (tests/window_harness.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_window_real import SCENE
from window_harness import RealWindow, needs_real_window

from viewer.config import load_scene
from viewer.net.recorder import record_source
from viewer.sources.demo import DemoSource

pytestmark = needs_real_window

SECONDS = 60.0


@pytest.fixture
def town_feed(tmp_path) -> tuple[Path, Path]:
    """The town and a minute of its demo feed (100 vehicles, a step every 0.1 s), recorded without a network."""
    scene = tmp_path / "town.toml"
    scene.write_text(SCENE)
    source = DemoSource.from_scene(load_scene(scene), seed=3, vehicles=100, start_time=1.8e9)
    feed = tmp_path / "town.feed.jsonl.gz"
    record_source(source, feed, SECONDS)
    return scene, feed


def to_pixels(state: dict, x: float, y: float) -> tuple[float, float]:
    """HUD units (half the window's height, from the centre) -> window pixels."""
    w, h = state["size"]
    return (x / (w / h) + 1) / 2 * w, (1 - y) / 2 * h


def test_pause_step_scrub_and_speed_a_recorded_feed(town_feed, tmp_path):
    """Backslash pauses (the feed time stays put), ' and ; step one source step on and back, a drag on the
    time bar from a fifth to the middle puts the feed time at the middle within one step (and turns no
    camera), = twice plays at 4x: the pace runs four times the wall clock; Q quits cleanly."""
    scene, feed = town_feed
    with RealWindow(tmp_path, ["view", scene, "--camera", "overview", "--feed", feed]) as win:
        state = win.wait_for(lambda s: s["feed"]["span"] and s["feed"]["span"][2] is not None
                             and s["feed"]["bar"], "the recording indexed and its bar shown")
        begin, _, end = state["feed"]["span"]
        step = state["feed"]["step"]
        assert end - begin == pytest.approx(SECONDS, abs=2 * step)

        win.key("backslash")
        paused = win.wait_for(lambda s: s["feed"]["paused"], "paused")
        later = win.wait_for(lambda s: True, "a later state", after=paused["frame"] + 3)
        assert later["feed"]["time"] == paused["feed"]["time"]

        at = later["feed"]["time"]
        win.key("apostrophe")
        on = win.wait_for(lambda s: s["feed"]["time"] != at, "a step on")
        assert on["feed"]["time"] == pytest.approx(at + step, abs=1e-3)
        win.key("semicolon")
        back = win.wait_for(lambda s: s["feed"]["time"] != on["feed"]["time"], "a step back")
        assert back["feed"]["time"] == pytest.approx(at, abs=1e-3) and back["feed"]["paused"]

        x0, y0, x1, y1 = back["feed"]["bar"]
        y = (y0 + y1) / 2
        hpr = back["hpr"]
        seeks = back["feed"]["seeks"]
        win.move(*to_pixels(back, x0 + 0.2 * (x1 - x0), y))
        win.wait_for(lambda s: True, "the pointer seen", after=win.state()["frame"])
        win.run("xdotool", "mousedown", "1")
        win.wait_for(lambda s: s["feed"]["dragging"], "dragging the bar")
        for share in (0.3, 0.4, 0.5):
            win.move(*to_pixels(back, x0 + share * (x1 - x0), y))
            win.wait_for(lambda s: True, "the pointer seen", after=win.state()["frame"])
        win.run("xdotool", "mouseup", "1")
        middle = begin + 0.5 * (end - begin)
        # A pointer lands on whole pixels: the bar resolves (end - begin) / its width in pixels of feed time,
        # so "the middle" holds within one step or one pixel's time, either way of the pixel it rounds to.
        width_px = to_pixels(back, x1, y)[0] - to_pixels(back, x0, y)[0]
        tolerance = max(step, (end - begin) / width_px) * 2 + 1e-3
        scrubbed = win.wait_for(lambda s: not s["feed"]["dragging"]
                                and abs(s["feed"]["time"] - middle) <= tolerance, "the feed at the middle")
        assert scrubbed["feed"]["seeks"] > seeks and scrubbed["feed"]["paused"]
        assert scrubbed["hpr"] == pytest.approx(hpr, abs=1e-3)  # the press on the bar turned no camera

        win.key("backslash")
        win.key("equal", "equal")
        fast = win.wait_for(lambda s: s["feed"]["speed"] == 4.0 and not s["feed"]["paused"], "4x")
        again = win.wait_for(lambda s: s["feed"]["wall"] - fast["feed"]["wall"] >= 1.0, "a second of 4x")
        rate = (again["feed"]["due"] - fast["feed"]["due"]) / (again["feed"]["wall"] - fast["feed"]["wall"])
        assert rate == pytest.approx(4.0, rel=1e-6)
        # The feed follows the pace: its time passes two seconds of 4x pace (waited for, not timed: a busy
        # machine may draw the frames that apply it later).
        win.wait_for(lambda s: s["feed"]["time"] > fast["feed"]["time"] + 2.0, "the feed following the pace")
        code, _, stderr = win.quit()
    assert code == 0 and "Traceback" not in stderr
