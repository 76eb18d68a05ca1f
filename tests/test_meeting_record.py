"""Recording meetings over real websockets on loopback: a host records, several real clients move, point,
chat and act; the log holds all of it and the timeline reproduces every pose at every logged time; a
server killed with SIGKILL leaves a readable log; a folder that cannot be written refuses with a notice.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from viewer.meeting.log import read_log
from viewer.meeting.messages import (
    ChatLine,
    FeedTime,
    FollowMe,
    LayerShown,
    Left,
    MeetingLimits,
    Mute,
    Muted,
    Notice,
    PointAt,
    Pose,
    Presence,
    Recording,
    Remove,
    Say,
    SetFeedTime,
    SetLayer,
    SetRecording,
)
from viewer.meeting.protocol import LIVE, Received
from viewer.meeting.replay import MeetingTimeline
from viewer.meeting.tokens import issue_token
from viewer.net.meeting_client import MeetingClient
from viewer.net.meeting_server import ServerThread

SECRET = b"record-test-secret-0123456789abcdef"
PROJECT = Path(__file__).resolve().parents[1]
FAST = {"ping_interval": 0.3, "ping_timeout": 0.5, "tick": 0.05,
        "limits": MeetingLimits(presence_timeout=3.0, resume_grace=10.0)}


def token(room: str, name: str, role: str = "guest") -> str:
    return issue_token(SECRET, room, name, role, 600.0, time.time())


def wait_for(predicate, timeout: float = 8.0, step: float = 0.01):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        result = predicate()
        if result:
            return result
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {predicate}")


class Peer:
    def __init__(self, url: str, tok: str) -> None:
        self.client = MeetingClient(url, tok, backoff=(0.05, 0.3), ping_interval=0.3, ping_timeout=0.5).start()
        self.messages: list = []

    def of(self, kind) -> list:
        self.messages += [e.message for _, e in self.client.poll() if isinstance(e, Received)]
        return [m for m in self.messages if isinstance(m, kind)]

    @property
    def id(self) -> int:
        return self.client.protocol.view.me

    def live(self) -> Peer:
        wait_for(lambda: self.client.state == LIVE)
        return self


@pytest.fixture
def peers():
    made: list[Peer] = []

    def make(url: str, tok: str) -> Peer:
        made.append(Peer(url, tok))
        return made[-1]
    yield make
    for peer in made:
        peer.client.stop()


def pose(i: int, step: int) -> Pose:
    x, y = 10.0 * i + 0.5 * step, -3.0 * i + 0.25 * step
    return Pose((x, y, 0.0), 5.0 * step - 90.0, (x, y, 1.65), -5.0)


def test_a_recorded_meeting_logs_everything_and_replays_every_pose(tmp_path, peers):
    """Host and two guests: poses, pointers, chat, follow, layers, feed time, mute, remove and a late joiner
    are all in the log; every logged pose comes back from the timeline at its time; the room was told."""
    with ServerThread(SECRET, port=0, record_dir=tmp_path / "logs", **FAST) as server:
        url = server.url + "/council"
        host = peers(url, token("council", "Ana", "host")).live()
        guests = [peers(url, token("council", n)).live() for n in ("Bo", "Cy")]
        host.client.send(SetRecording(True, "run.feed.jsonl.gz"))
        for peer in [host, *guests]:
            wait_for(lambda p=peer: p.of(Recording))
        sent: dict[int, list[Pose]] = {p.id: [] for p in [host, *guests]}
        for step in range(12):
            for i, peer in enumerate([host, *guests]):
                peer.client.set_pose(pose(i, step))
                sent[peer.id].append(pose(i, step))
            time.sleep(0.09)
        guests[0].client.send(PointAt((12.0, 34.0, 5.0)))
        guests[1].client.send(Say("the bridge is too narrow"))
        # Cy's line is in the room before the host mutes Cy: two connections keep no order between them
        wait_for(lambda: any(m.text == "the bridge is too narrow" for m in host.of(ChatLine)))
        for action in (FollowMe(True), SetLayer("traffic", False), SetFeedTime(1_710_000_000.0),
                       Mute(guests[1].id), Remove(guests[1].id)):
            host.client.send(action)
        late = peers(url, token("council", "Di")).live()
        wait_for(lambda: late.client.protocol.view.recording)  # a newcomer is told
        wait_for(lambda: host.of(Left))
        host.client.send(SetRecording(False))
        wait_for(lambda: len(host.of(Recording)) == 2)
        logs = wait_for(lambda: list((tmp_path / "logs").glob("council-*.meeting.jsonl.gz")))
    log = read_log(logs[0])
    assert log.room == "council" and log.feed == "run.feed.jsonl.gz" and log.ended
    kinds = [type(e.message) for e in log.entries]
    for kind in (Presence, ChatLine, LayerShown, FeedTime, Muted, Left, Recording):
        assert kind in kinds, kind
    assert any(isinstance(e.message, Left) and "removed" in e.message.reason for e in log.entries)
    timeline = MeetingTimeline(log)
    logged = [(e.t, e.message) for e in log.entries if isinstance(e.message, Presence)]
    assert len(logged) >= 3 * 10
    for t, m in logged:  # the replay reproduces every participant's pose at every logged time
        assert timeline.pose_at(m.sender, t) == m.pose
    for pid, poses in sent.items():  # and those are the poses the clients sent (times aside)
        got = [(m.pose.position, m.pose.heading) for _, m in logged if m.sender == pid]
        assert [(p.position, p.heading) for p in poses][-1] in got
    assert [s.name for s in timeline.stays()][:3] == ["Ana", "Bo", "Cy"]
    assert timeline.pointings()[0][2].target == (12.0, 34.0, 5.0)
    chat = [line.text for line in timeline.moment(timeline.end).chat]
    assert "started recording the meeting" in chat and "the bridge is too narrow" in chat
    assert timeline.moment(timeline.end).layers == {"traffic": False}


def test_a_folder_that_cannot_be_written_refuses_recording_with_a_notice(tmp_path, peers):
    """Recording where no folder can be made (its parent is a file: refused even to root): the host gets a
    `record` notice, nobody is told it records, the server keeps running."""
    (tmp_path / "a-file").write_text("not a folder")
    with ServerThread(SECRET, port=0, record_dir=tmp_path / "a-file" / "logs", **FAST) as server:
        host = peers(server.url, token("r", "Ana", "host")).live()
        guest = peers(server.url, token("r", "Bo")).live()
        host.client.send(SetRecording(True))
        notice = wait_for(lambda: [n for n in host.of(Notice) if n.code == "record"])
        assert "cannot record" in notice[0].reason
        guest.client.send(Say("still here"))
        wait_for(lambda: host.of(ChatLine))
        assert not host.of(Recording) and not guest.client.protocol.view.recording


def test_a_guest_cannot_record(tmp_path, peers):
    """A guest's record request is forbidden; no log is made."""
    with ServerThread(SECRET, port=0, record_dir=tmp_path, **FAST) as server:
        guest = peers(server.url, token("r", "Bo")).live()
        guest.client.send(SetRecording(True))
        wait_for(lambda: [n for n in guest.of(Notice) if n.code == "forbidden"])
    assert not list(tmp_path.iterdir())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_server_killed_with_sigkill_leaves_a_readable_log(tmp_path, peers):
    """`citiverse meet serve` killed with SIGKILL mid-meeting: the log reads back, up to about its last
    second, with no end mark."""
    secret = tmp_path / "meeting.secret"
    secret.write_bytes(SECRET)
    secret.chmod(0o600)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "viewer.cli", "-q", "meet", "serve", "--port", str(port),
                               "--secret-file", str(secret), "--record-dir", str(tmp_path / "logs")],
                              cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert "meeting server on" in server.stdout.readline()
        url = f"ws://127.0.0.1:{port}/k"
        host = peers(url, token("k", "Ana", "host")).live()
        guest = peers(url, token("k", "Bo")).live()
        host.client.send(SetRecording(True))
        wait_for(lambda: guest.of(Recording))
        for step in range(40):
            host.client.set_pose(pose(0, step))
            guest.client.set_pose(pose(1, step))
            time.sleep(0.06)
        wait_for(lambda: len(guest.of(Presence)) >= 30)
        time.sleep(1.3)  # past one flush after the last pose
        os.kill(server.pid, signal.SIGKILL)
        server.wait(10)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)
    log = read_log(next((tmp_path / "logs").glob("k-*.meeting.jsonl.gz")))
    assert not log.ended
    presences = [e.message for e in log.entries if isinstance(e.message, Presence)]
    assert presences[-1].pose.position == pose(1, 39).position or presences[-1].pose.position == pose(0, 39).position
