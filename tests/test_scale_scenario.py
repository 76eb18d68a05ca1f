"""The whole scale-out on loopback with a real nats-server: one feed publisher, 3 feed edges (`feed serve --nats`)
and 2 meeting servers (`meet serve --nats`), all real processes; feed viewers and meeting participants given
every URL. Mid-stream one edge and one meeting server are killed with SIGKILL, a new meeting server starts
and a late participant joins it, then the NATS server is restarted. At the end every feed viewer's twin
equals the publisher's, and every participant sees every other one with the same id as before, at its
last pose, with one chat history in one order and the host's layer. Nothing is mocked.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from bus_helpers import (
    LoopThread,
    NatsServer,
    StepSource,
    free_port,
    need_nats,
    table_of,
    wait_port,
    wait_until,
)
from test_bus_scenario import Viewer, start_edge

from viewer.meeting.messages import Pose, Say, SetLayer
from viewer.meeting.protocol import LIVE
from viewer.meeting.tokens import issue_token
from viewer.net.bus import BusOptions, BusPublisher
from viewer.net.meeting_client import MeetingClient

PROJECT = Path(__file__).resolve().parents[1]
SECRET = b"scenario-meeting-secret-0123456789ab"


def start_meeting_server(nats_url: str, folder: Path) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    secret = folder / "meeting.secret"
    if not secret.exists():
        secret.write_bytes(SECRET)
        secret.chmod(0o600)
    process = subprocess.Popen([sys.executable, "-m", "viewer.cli", "-q", "meet", "serve", "--nats", nats_url,
                                "--port", str(port), "--secret-file", str(secret), "--record-dir",
                                str(folder / "records")],
                               cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_port(port, 30)
    return process, f"ws://127.0.0.1:{port}"


class Participant:
    """A MeetingClient walking in a circle on its own thread until told to stand still."""

    def __init__(self, urls: list[str], name: str, role: str = "guest") -> None:
        tok = issue_token(SECRET, "delft", name, role, 3600.0, time.time())
        self.client = MeetingClient([u + "/delft" for u in urls], tok, backoff=(0.05, 0.3), ping_interval=0.3,
                                    ping_timeout=0.6).start()
        self.name, self.step = name, 0

    @property
    def id(self) -> int | None:
        return self.client.protocol.view.me

    def pose(self) -> Pose:
        x, y = float(self.step % 50), float(len(self.name))
        return Pose((x, y, 0.0), float(self.step % 360), (x, y, 1.7))

    def walk(self) -> None:
        self.step += 1
        self.client.set_pose(self.pose())

    def sees(self, others: list[Participant]) -> bool:
        """Every other participant present, at its last pose."""
        view = self.client.protocol.view
        for other in others:
            member = view.members.get(other.id) if other is not self else None
            if other is not self and (member is None or member.track.latest is None
                                      or member.track.latest.position != other.pose().position):
                return False
        return self.client.state == LIVE and set(view.members) == {o.id for o in others if o is not self}

    def chat(self) -> list[tuple[int, str]]:
        return [(line.seq, line.text) for line in self.client.protocol.view.chat]


def describe(everyone: list[Participant]) -> str:
    """What each participant sees of the others, for a failure message."""
    lines = []
    for p in everyone:
        view = p.client.protocol.view
        seen = {i: (m.track.latest.position if m.track.latest else None) for i, m in view.members.items()}
        lines.append(f"{p.name} #{p.id} on {p.client.url} ({p.client.state}) sees {seen}")
    truth = {p.id: p.pose().position for p in everyone}
    return f"truth {truth}; " + "; ".join(lines)


@pytest.fixture
def nats(tmp_path):
    need_nats()
    server = NatsServer(tmp_path).start()
    yield server
    server.stop()


def test_edges_and_meeting_servers_killed_nats_restarted_everyone_converges(nats, tmp_path):
    loop = LoopThread()
    source = StepSource(vehicles=200, steps=250, period=0.1)
    publisher = BusPublisher(source, nats.url, "scenario", BusOptions(checkpoint_every=1.0, publish_timeout=1.0))
    loop.run(publisher.start())
    running = loop.spawn(publisher.run())
    edges = [start_edge(nats.url, "scenario") for _ in range(3)]
    edge_urls = [url for _, url in edges]
    meetings = [start_meeting_server(nats.url, tmp_path) for _ in range(2)]
    meet_urls = [url for _, url in meetings]
    viewers = [Viewer(edge_urls[i:] + edge_urls[:i]) for i in range(3)]
    people = [Participant(meet_urls[i % 2:] + meet_urls[:i % 2], name, "host" if i == 0 else "guest")
              for i, name in enumerate(["Ana", "Bo", "Cy", "Di"])]
    walkers = list(people)
    walking, stop = threading.Event(), threading.Event()
    walking.set()

    def background() -> None:
        while not stop.is_set():
            for viewer in viewers:
                viewer.pump()
            if walking.is_set():
                for person in list(walkers):
                    person.walk()
            time.sleep(0.05)

    pump = threading.Thread(target=background, daemon=True)
    pump.start()
    late: Participant | None = None
    try:
        wait_until(lambda: all(v.client.status().state == "live" for v in viewers), 30, "every viewer live")
        wait_until(lambda: all(p.client.state == LIVE for p in people), 30, "every participant live")
        ids = {p.name: p.id for p in people}
        wait_until(lambda: all(p.sees(people) or walking.is_set() and set(p.client.protocol.view.members)
                               == {o.id for o in people if o is not p} for p in people), 30, "everyone sees everyone")
        for i, person in enumerate(people):
            person.client.send(Say(f"before the kill {i}"))
        wait_until(lambda: all(len(p.chat()) == 4 for p in people), 20, "four chat lines everywhere")

        on_a = [p for p in people if p.client.url.startswith(meet_urls[0])]
        assert on_a, "nobody on the meeting server to kill"  # two, unless one failed over while starting
        before = {p.name: p.client.connections for p in on_a}
        edges[0][0].send_signal(signal.SIGKILL)
        meetings[0][0].send_signal(signal.SIGKILL)
        began = time.monotonic()
        wait_until(lambda: all(p.client.connections > before[p.name] and p.client.state == LIVE for p in on_a),
                   20, "the killed meeting server's participants live on the other")
        rejoin = time.monotonic() - began
        assert {p.name: p.id for p in people} == ids, "a participant changed id"

        meetings.append(start_meeting_server(nats.url, tmp_path))  # a new server replays the room for a joiner
        late = Participant([meetings[2][1]], "Late")
        walkers.append(late)
        wait_until(lambda: late is not None and late.client.state == LIVE, 20, "the late participant live")
        wait_until(lambda: late.chat() == people[0].chat(), 20, "the late participant's chat history")

        nats.stop()  # the bus goes away mid-stream and comes back on its own store
        time.sleep(1.0)
        nats.start()
        everyone = [*people, late]
        people[0].client.send(SetLayer("traffic", False))
        for i, person in enumerate(everyone):
            person.client.send(Say(f"after the restart {i}"))
        running.result(120)
        walking.clear()  # everyone stands still: the last pose is the one to see
        truth = table_of(publisher.state)
        wait_until(lambda: all(v.table() == truth for v in viewers), 60, "every viewer equal to the publisher")
        try:
            wait_until(lambda: all(p.sees(everyone) for p in everyone), 60, "everyone sees everyone at its last pose")
        except AssertionError as exc:
            raise AssertionError(f"{exc}: {describe(everyone)}") from None
        wait_until(lambda: all(p.chat() == late.chat() for p in everyone)
                   and sum(text.startswith("after the restart") for _, text in late.chat()) == 5,
                   60, "one chat history, the lines sent after the restart included")
        assert all(p.client.protocol.view.layers.get("traffic") is False for p in everyone)
        assert {p.name: p.id for p in people} == ids
        assert len({p.id for p in everyone}) == 5
        for process, _ in [*edges[1:], *meetings[1:]]:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
        print(f"meeting participants rejoined another server {rejoin:.2f} s after the kill")
    finally:
        stop.set()
        for person in [*people, *([late] if late else [])]:
            person.client.stop()
        for viewer in viewers:
            viewer.client.stop()
        for process, _ in [*edges, *meetings]:
            if process.poll() is None:
                process.terminate()
                process.wait(10)
        loop.run(publisher.close())
        loop.stop()
