"""A short real meeting, recorded: a real server on loopback, two real clients walking round the test town
(tests/test_render.town), the guest pointing at its Marker building and both chatting, the host changing a
layer. Shared by the re-shoot, minutes and replay tests."""

from __future__ import annotations

import math
import time
from pathlib import Path

from viewer.meeting.messages import MeetingLimits, PointAt, Pose, Recording, Say, SetLayer, SetRecording
from viewer.meeting.protocol import LIVE, Received
from viewer.meeting.tokens import issue_token
from viewer.net.meeting_client import MeetingClient
from viewer.net.meeting_server import ServerThread

SECRET = b"meeting-helpers-secret-0123456789ab"
MARKER_ROOF = (10.0, 10.0, 40.0)  # the town's Marker building (object 8), roof centre


def _wait(predicate, timeout: float = 8.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {predicate}")
        time.sleep(0.01)


def walk(i: int, step: int) -> Pose:
    """Participant i's pose at a step: a slow walk on a circle round the town, facing along it."""
    angle = 0.08 * step + math.pi * i
    x, y = 110.0 * math.cos(angle), 110.0 * math.sin(angle)
    heading = math.degrees(angle)  # Panda3D: heading 0 looks north (+y); this faces the way round
    return Pose((round(x, 3), round(y, 3), 0.0), round(heading, 3), (round(x, 3), round(y, 3), 1.65), -8.0)


def record_meeting(folder: Path, steps: int = 30) -> Path:
    """Record a meeting of about steps * 0.07 s into `folder`; the log's path."""
    limits = MeetingLimits(presence_timeout=3.0)
    with ServerThread(SECRET, port=0, record_dir=folder, tick=0.05, limits=limits) as server:
        url = server.url + "/council"
        now = time.time()
        host = MeetingClient(url, issue_token(SECRET, "council", "Ana", "host", 600, now)).start()
        guest = MeetingClient(url, issue_token(SECRET, "council", "Bo", "guest", 600, now)).start()
        try:
            _wait(lambda: host.state == LIVE and guest.state == LIVE)
            host.set_pose(walk(0, 0))
            guest.set_pose(walk(1, 0))
            time.sleep(0.1)
            host.send(SetRecording(True, "no-such-feed.jsonl.gz"))
            _wait(lambda: any(isinstance(e, Received) and isinstance(e.message, Recording) for _, e in guest.poll()))
            for step in range(steps):
                host.set_pose(walk(0, step))
                guest.set_pose(walk(1, step))
                if step == steps // 3:
                    guest.send(PointAt(MARKER_ROOF))
                    guest.send(Say("look at the tall one"))
                if step == steps // 2:
                    host.send(SetLayer("traffic", False))
                    host.send(Say("traffic off for now"))
                time.sleep(0.07)
            host.send(SetRecording(False))
            _wait(lambda: not any(server.server.hub.rooms[r].log for r in server.server.hub.rooms))
        finally:
            host.stop()
            guest.stop()
    return next(folder.glob("council-*.meeting.jsonl.gz"))
