"""Pins in a meeting, in a real window (issue 20): `citiverse view --meet` under Xvfb beside a real meeting
server and a real MeetingClient on loopback. A pin dropped in the window (Insert, a note, Enter) reaches the
other participant; the other's pin is drawn and listed in the window; Delete over the window's own pin
removes it for the room, and the pins file beside the scene is never written."""

from __future__ import annotations

import time

from window_harness import RealWindow, needs_real_window, project

from tests.web_harness import wait_for
from viewer.meeting.messages import DropPin, PinRemoved, RoomPin
from viewer.meeting.protocol import LIVE, Received
from viewer.meeting.tokens import issue_token
from viewer.net.meeting_client import MeetingClient
from viewer.net.meeting_server import ServerThread

pytestmark = needs_real_window

SECRET = b"pins-window-secret-0123456789abcd"
SCENE = """
[scene]
name = "Pin town"
crs = "EPSG:28992"
origin = [92540.0, 437500.0]

[[sources]]
format = "procedural"
seed = 7
size = 300

[cameras.south]
position = [0.0, -900.0, 260.0]
look_at = [0.0, -620.0, 0.0]
fov = 45
"""


def test_pins_travel_between_the_window_and_another_participant(tmp_path):
    """The window's pin reaches Bo; Bo's pin shows in the window and in its search; Delete over the window's
    pin removes it for Bo too; no pins file is written while in the meeting."""
    scene = tmp_path / "town.toml"
    scene.write_text(SCENE)
    with ServerThread(SECRET, port=0, ping_interval=0.5, ping_timeout=2.0, tick=0.05) as server:
        url = server.url + "/council"
        bo = MeetingClient(url, issue_token(SECRET, "council", "Bo", "guest", 600, time.time()),
                           backoff=(0.05, 0.3)).start()
        seen: list = []

        def bo_heard(kind):
            seen.extend(e.message for _, e in bo.poll() if isinstance(e, Received))
            return [m for m in seen if isinstance(m, kind)]

        try:
            wait_for(lambda: bo.state == LIVE, timeout=60.0)
            ana = issue_token(SECRET, "council", "Ana", "host", 600, time.time())
            with RealWindow(tmp_path, ["view", scene, "--camera", "south", "--meet", url, "--token", ana]) as win:
                state = win.settled()
                win.key("Escape")
                win.wait_for(lambda s: not s["help"], "no help")
                win.move(*project(state, (0.0, -620.0, 0.0)))
                win.wait_for(lambda s: True, "the pointer seen", after=win.state()["frame"])
                win.key("Insert")
                win.wait_for(lambda s: s["typing"], "the note box")
                win.type("meet here")
                win.key("Return")
                mine = wait_for(lambda: bo_heard(RoomPin), timeout=60.0)[0]
                assert mine.note == "meet here" and mine.name == "Ana"
                assert abs(mine.position[1] + 620.0) < 5.0 and abs(mine.position[0]) < 5.0
                state = win.wait_for(lambda s: len(s["room_pins"]) == 1, "its own pin back from the room")
                assert state["pins"] == []  # not the file's
                bo.send(DropPin((40.0, -600.0, 0.0), "bench is broken"))
                win.wait_for(lambda s: any(p["note"] == "bench is broken" for p in s["room_pins"]), "Bo's pin")
                win.key("slash")
                win.type("bench")
                win.wait_for(lambda s: any("bench is broken (Bo)" in h for h in s["hits"]), "Bo's pin listed")
                win.key("Escape")
                win.wait_for(lambda s: not s["typing"], "search closed")
                win.move(*project(win.settled(), (0.0, -620.0, 0.0)))
                win.wait_for(lambda s: True, "the pointer seen", after=win.state()["frame"])
                win.key("Delete")
                removed = wait_for(lambda: bo_heard(PinRemoved), timeout=60.0)[0]
                assert removed.pin == mine.id
                state = win.wait_for(lambda s: [p["note"] for p in s["room_pins"]] == ["bench is broken"],
                                     "only Bo's pin left")
                code, _, stderr = win.quit()
            assert code == 0 and "Traceback" not in stderr
            assert not (tmp_path / "town.pins.toml").exists()
        finally:
            bo.stop()
