"""The sun's time in the window (issues 16 and 20): Page Up / Page Down scrub the time of day by 15 minutes,
with Shift by an hour, within the scene's date; the city's light and shadows move live, and the north
arrow's panel shows the sun's time. The real-window test drives `citiverse view` under Xvfb with xdotool
(tests/window_harness.py); the others check the clock's rules without a window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace

import numpy as np
import pytest
from window_harness import RealWindow, needs_real_window

from viewer.app.sun_time import SunTime
from viewer.nav.bindings import Controls
from viewer.render.look import LookSpec

SCENE = """
[scene]
name = "Sun town"
crs = "EPSG:28992"
origin = [92540.0, 437500.0]
time = "2026-06-21T15:00+02:00"

[[sources]]
format = "procedural"
seed = 7
size = 300

[cameras.overview]
position = [-500.0, -600.0, 450.0]
look_at = [0.0, 0.0, 0.0]
fov = 45
"""


def when(state: dict) -> datetime:
    return datetime.fromisoformat(state["sun_time"])


@needs_real_window
def test_sun_keys_move_the_sun_the_shadows_and_the_time_under_the_north_arrow(tmp_path):
    """Page Up: 15 minutes later; Shift+Page Up: an hour; Page Down: back. The state's sun time and the
    compass's note follow, the sun sinks toward the evening, and the city's pixels change."""
    scene = tmp_path / "sun.toml"
    scene.write_text(SCENE)
    with RealWindow(tmp_path, ["view", scene, "--camera", "overview"]) as win:
        start = win.settled("the overview")
        assert when(start) == datetime(2026, 6, 21, 15, 0, tzinfo=timezone(timedelta(hours=2)))
        assert "sun 21 Jun 15:00 +02:00" in start["compass_note"]
        win.key("Escape")  # the help off: the pixels compared are the city's
        win.wait_for(lambda s: not s["help"], "no help")
        before = win.screenshot()
        win.key("Page_Up")
        later = win.wait_for(lambda s: when(s) == when(start) + timedelta(minutes=15), "15 minutes later")
        assert "15:15" in later["compass_note"] and later["sun_azimuth"] > start["sun_azimuth"]
        for _ in range(4):
            win.key("shift+Page_Up")
        evening = win.wait_for(lambda s: when(s).hour == 19 and when(s).minute == 15, "19:15")
        assert evening["sun_elevation"] < start["sun_elevation"] - 20.0  # a low evening sun
        frame = win.state()["frame"]
        win.wait_for(lambda s: True, "a frame drawn with the evening sun", after=frame + 2)
        after = win.screenshot()
        changed = np.abs(after.astype(np.int16) - before.astype(np.int16)).max(axis=2) > 12
        assert changed.mean() > 0.05, f"only {changed.mean():.1%} of the pixels changed"
        win.key("Page_Down")
        win.wait_for(lambda s: when(s).strftime("%H:%M") == "19:00", "back 15 minutes")
        code, _, stderr = win.quit()
    assert code == 0 and "Traceback" not in stderr


def test_the_help_lists_the_sun_keys_and_a_user_file_may_take_them():
    """The help has one line for the sun's keys, as bound."""
    lines = Controls().help_lines()
    assert "sun time: PgDn earlier, PgUp later by 15 min (Shift: an hour; --time gives the day)" in lines


def relit_and_built(offscreen_gl, start: datetime, target: datetime) -> tuple[np.ndarray, np.ndarray, object]:
    """A tower lit at `start` then relit live to `target` (render/sun_light.py), and one built at `target`:
    both frames, and the relit stage's light."""
    from test_look import HAGUE, SIZE, tower

    from viewer.app.headless import render_stage_image
    from viewer.config import CameraBookmark, Style
    from viewer.geo.sun import sun_position
    from viewer.render.camera import pose_from_bookmark
    from viewer.render.lighting import Lighting
    from viewer.render.stage import build_stage
    from viewer.render.sun_light import set_stage_sun

    frames, lights = [], None
    for built, relit in ((start, target), (target, None)):
        stage = build_stage(offscreen_gl.render, tower(), Style(), look=LookSpec("full", built, HAGUE),
                            base=offscreen_gl)
        try:
            if relit is not None:
                sun = sun_position(*HAGUE, relit)
                set_stage_sun(stage, Lighting.for_sun(sun.azimuth, sun.elevation), sun.elevation)
                lights = stage.lighting
            pose = pose_from_bookmark(CameraBookmark((-60, -80, 90), (10, 10, 0)), stage.bmin, stage.bmax)
            frames.append(render_stage_image(offscreen_gl, stage, SIZE, pose, Style(), multisamples=0))
        finally:
            stage.remove()
    return frames[0], frames[1], lights


def test_a_stage_relit_live_draws_what_a_stage_built_at_that_time_draws(offscreen_gl):
    """Morning relit to evening: light, shadows and sky match a stage built for the evening, pixel for pixel
    within rounding, and the stage remembers the new light (render/sun_light.py rules 1-3)."""
    zone = timezone(timedelta(hours=2))
    relit, built, lights = relit_and_built(offscreen_gl, datetime(2026, 6, 21, 9, 0, tzinfo=zone),
                                           datetime(2026, 6, 21, 19, 30, tzinfo=zone))
    assert lights is not None and lights.sun_elevation < 25.0
    difference = np.abs(relit.astype(np.int16) - built.astype(np.int16))
    assert np.percentile(difference, 99.5) <= 3, np.percentile(difference, 99.5)
    morning, evening, _ = relit_and_built(offscreen_gl, datetime(2026, 6, 21, 9, 0, tzinfo=zone),
                                          datetime(2026, 6, 21, 9, 0, tzinfo=zone))
    assert np.abs(morning.astype(np.int16) - relit.astype(np.int16)).max(axis=2).mean() > 5  # it did move


def clock(spec: LookSpec, shift: bool = False) -> tuple[SunTime, list[str]]:
    """A SunTime over a stage of nothing but its light (what these tests check is the clock, not pixels)."""
    from panda3d.core import NodePath

    from viewer.render.lighting import Lighting

    said: list[str] = []
    stage = SimpleNamespace(root=NodePath("stage"), lighting=Lighting(), look=None)
    return SunTime(None, stage, spec, Controls(), lambda: shift, said.append), said


def test_scrubbing_wraps_within_the_scene_day_and_a_scene_without_a_time_says_how_to_give_one():
    """23:50 plus 15 minutes is 00:05 of the same date; without a time nothing moves and the user is told."""
    zone = timezone(timedelta(hours=2))
    sun, _ = clock(LookSpec("full", datetime(2026, 6, 21, 23, 50, tzinfo=zone), (4.3, 52.1)))
    sun.scrub(1)
    assert sun.time == datetime(2026, 6, 21, 0, 5, tzinfo=zone) and sun.stage.lighting.sun_color == (0, 0, 0)
    sun.scrub(-1)
    assert sun.time == datetime(2026, 6, 21, 23, 50, tzinfo=zone)
    big, _ = clock(LookSpec("full", datetime(2026, 6, 21, 12, 0, tzinfo=zone), None), shift=True)
    big.scrub(-1)
    assert big.time == datetime(2026, 6, 21, 11, 0, tzinfo=zone)
    none, said = clock(LookSpec("full", None, None))
    none.scrub(1)
    assert none.time is None and "--time" in said[-1] and none.note() == ""


def test_a_meetings_shared_feed_time_becomes_the_sun_time_unless_it_is_a_demo_clock():
    """A plausible shared time moves the sun there (in the scene's offset) and marks it shared; live again
    or a demo's seconds-from-zero leave the window's own sun."""
    zone = timezone(timedelta(hours=2))
    sun, _ = clock(LookSpec("full", datetime(2026, 6, 21, 15, 0, tzinfo=zone), (4.3, 52.1)))
    sun.follow_room(datetime(2026, 3, 21, 8, 30, tzinfo=UTC).timestamp())
    assert sun.time == datetime(2026, 3, 21, 10, 30, tzinfo=zone) and sun.shared
    sun.follow_room(None)
    assert not sun.shared and sun.time == datetime(2026, 3, 21, 10, 30, tzinfo=zone)
    sun.follow_room(42.0)
    assert not sun.shared


@pytest.mark.parametrize("offset", [0, -5])
def test_the_note_names_the_day_time_offset_and_height(offset):
    """The note gives the day, the time in the scene's offset, the sun's height and a missing place."""
    zone = timezone(timedelta(hours=offset))
    sun, _ = clock(LookSpec("full", datetime(2026, 6, 21, 12, 0, tzinfo=zone), None))
    note = sun.note()
    assert note.startswith(f"sun 21 Jun 12:00 {'+' if offset >= 0 else '-'}0{abs(offset)}:00, ")
    assert note.endswith("(no place)")
