"""The sun's time in the window (issues 16 and 20): Page Up / Page Down scrub the time of day by 15 minutes,
with Shift by an hour, within the scene's date; the city's light and shadows move live, and the north
arrow's panel shows the sun's time. The real-window test drives `citiverse view` under Xvfb with xdotool
(tests/window_harness.py); the others check the clock's rules without a window."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

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


class FakeStage:
    """Stands in for the stage when only the clock is under test (set_stage_sun is exercised by the window
    test above): records the light it was given."""

    def __init__(self) -> None:
        self.lighting = None


def clock(spec: LookSpec, shift: bool = False) -> tuple[SunTime, list[str]]:
    said: list[str] = []
    sun = SunTime(None, FakeStage(), spec, Controls(), lambda: shift, said.append)
    sun.set_time = lambda t, shared=False: setattr(sun, "time", t) or setattr(sun, "shared", shared)  # type: ignore[method-assign]
    return sun, said


def test_scrubbing_wraps_within_the_scene_day_and_a_scene_without_a_time_says_how_to_give_one():
    """23:50 plus 15 minutes is 00:05 of the same date; without a time nothing moves and the user is told."""
    zone = timezone(timedelta(hours=2))
    sun, _ = clock(LookSpec("full", datetime(2026, 6, 21, 23, 50, tzinfo=zone), (4.3, 52.1)))
    sun.scrub(1)
    assert sun.time == datetime(2026, 6, 21, 0, 5, tzinfo=zone)
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
    sun.follow_room(datetime(2026, 3, 21, 8, 30, tzinfo=timezone.utc).timestamp())
    assert sun.time == datetime(2026, 3, 21, 10, 30, tzinfo=zone) and sun.shared
    sun.follow_room(None)
    assert not sun.shared and sun.time == datetime(2026, 3, 21, 10, 30, tzinfo=zone)
    sun.follow_room(42.0)
    assert not sun.shared


@pytest.mark.parametrize("offset", [0, -5])
def test_the_note_names_the_day_time_offset_and_height(offset):
    zone = timezone(timedelta(hours=offset))
    sun = SunTime(None, FakeStage(), LookSpec("full", datetime(2026, 6, 21, 12, 0, tzinfo=zone), None),
                  Controls(), lambda: False, print)
    note = sun.note()
    assert note.startswith(f"sun 21 Jun 12:00 {'+' if offset >= 0 else '-'}0{abs(offset)}:00, ")
    assert note.endswith("(no place)")
