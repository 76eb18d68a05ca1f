"""`citiverse meet replay` in a real window (Xvfb + xdotool): a recorded loopback meeting plays back; through a
participant's eyes the camera stands at that participant's logged eye; pause, seek and follow by key."""

from __future__ import annotations

import numpy as np
import pytest
from meeting_log_helpers import record_meeting
from window_harness import RealWindow, needs_real_window

from viewer.meeting.log import read_log
from viewer.meeting.replay import MeetingTimeline

pytestmark = [needs_real_window, pytest.mark.render]


def test_replay_through_eyes_then_pause_seek_and_follow(tmp_path):
    """Eyes of Bo: Bo has no avatar, and where the replay stops (it pauses at the end) the camera is Bo's
    logged eye; PageDown seeks back, J follows Ana, P plays again."""
    log = record_meeting(tmp_path / "logs", steps=40)
    timeline = MeetingTimeline(read_log(log))
    bo, ana = timeline.find("Bo"), timeline.find("Ana")
    with RealWindow(tmp_path, ["meet", "replay", str(log), "--eyes", "Bo", "--start", "0.5"]) as win:
        win.wait_for(lambda s: s["watch"] == "eyes" and s["people"] == [ana], "eyes of Bo")
        end = win.wait_for(lambda s: s["paused"], "the end of the recording (it pauses there)")
        assert end["replay_t"] == pytest.approx(timeline.duration)
        eye = timeline.pose_at(bo, timeline.end).eye
        assert np.allclose(end["camera"], eye, atol=0.05)
        win.key("Next")  # PageDown: back 10 s, clamped to the start
        win.wait_for(lambda s: s["replay_t"] == 0.0 and s["paused"], "back at the start, paused")
        # J follows the next participant in turn: press it until Ana is the one (a key may land before the
        # window has the first state it reads on a busy machine), at most once per participant and one more.
        for _ in range(4):
            win.key("j")
            state = win.wait_for(lambda s: s["watch"] == "follow", "following someone", after=win.state()["frame"])
            if state["who"] == ana:
                break
        win.wait_for(lambda s: s["watch"] == "follow" and s["who"] == ana, "following Ana")
        win.key("p")  # play: it moves on, and pauses again at the end
        win.wait_for(lambda s: not s["paused"] or s["replay_t"] > 0.0, "playing")
        code, _, stderr = win.quit()
    assert code == 0, stderr
