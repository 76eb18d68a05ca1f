"""Meetings over real websockets on loopback: several real clients, a real server, real faults.

Rooms never leak into each other; forged, expired and other-room tokens are refused at the handshake;
spoofed, NaN, oversize and flooding traffic is refused or throttled without affecting anyone else; a killed
or frozen client disappears for the others within a few seconds; after a server restart clients rejoin; a
reconnecting token keeps its participant id; a slow reader gets a fresh room state.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from viewer.meeting.messages import (
    ChatLine,
    Joined,
    Left,
    MeetingLimits,
    Notice,
    Pose,
    Presence,
    RoomState,
    Say,
)
from viewer.meeting.protocol import LIVE, REFUSED, REMOVED, Received
from viewer.meeting.tokens import issue_token
from viewer.net.meeting_client import MeetingClient
from viewer.net.meeting_server import ServerThread

SECRET = b"loopback-test-secret-0123456789ab"
PROJECT = Path(__file__).resolve().parents[1]
FAST = {"ping_interval": 0.3, "ping_timeout": 0.5, "tick": 0.05,
        "limits": MeetingLimits(presence_timeout=1.5, resume_grace=10.0)}


def token(room: str, name: str, role: str = "guest", ttl: float = 600.0, jti: str | None = None) -> str:
    return issue_token(SECRET, room, name, role, ttl, time.time(), jti=jti)


def wait_for(predicate, timeout: float = 5.0, step: float = 0.01):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        result = predicate()
        if result:
            return result
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {predicate}")


class Peer:
    """A MeetingClient plus everything it received (polled on demand)."""

    def __init__(self, url: str, tok: str, **options) -> None:
        self.client = MeetingClient(url, tok, backoff=(0.05, 0.3), ping_interval=0.3, ping_timeout=0.5,
                                    **options).start()
        self.messages: list = []

    def poll(self) -> list:
        for _, event in self.client.poll():
            if isinstance(event, Received):
                self.messages.append(event.message)
        return self.messages

    def of(self, kind) -> list:
        return [m for m in self.poll() if isinstance(m, kind)]

    @property
    def id(self) -> int | None:
        return self.client.protocol.view.me

    def live(self, timeout: float = 5.0) -> Peer:
        wait_for(lambda: self.client.state == LIVE, timeout)
        return self

    def members(self) -> set[int]:
        return set(self.client.protocol.view.members)


@pytest.fixture
def server():
    with ServerThread(SECRET, port=0, **FAST) as srv:
        yield srv


@pytest.fixture
def peers():
    made: list[Peer] = []

    def make(url: str, tok: str, **options) -> Peer:
        made.append(Peer(url, tok, **options))
        return made[-1]
    yield make
    for peer in made:
        peer.client.stop()


def test_several_clients_in_two_rooms_never_leak(server, peers):
    """Three clients in one room and two in another exchange poses and chat; nothing crosses rooms."""
    a = [peers(server.url, token("alpha", f"a{i}", "host" if i == 0 else "guest")).live() for i in range(3)]
    b = [peers(server.url + "/beta", token("beta", f"b{i}")).live() for i in range(2)]
    for step in range(20):
        for i, peer in enumerate(a + b):
            peer.client.set_pose(Pose((float(step), float(i), 0.0), 0.0, (float(step), float(i), 1.65)))
        if step % 5 == 0:
            for peer in a + b:
                peer.client.send(Say(f"{peer.client.protocol.view.welcome.name} says {step}"))
        time.sleep(0.07)
    for group, other in ((a, b), (b, a)):
        own, foreign = {p.id for p in group}, {p.id for p in other}
        for peer in group:
            wait_for(lambda p=peer, g=group: len({m.sender for m in p.of(Presence)}) == len(g) - 1)
            heard = {getattr(m, "sender", None) for m in peer.poll()} - {None}
            assert heard <= own and not heard & foreign
            prefix = peer.client.protocol.view.welcome.name[0]
            assert all(line.name.startswith(prefix) for line in peer.of(ChatLine))
            assert len(peer.of(ChatLine)) >= 4 * len(group) - 1


@pytest.mark.parametrize("make, path, status", [
    (lambda: issue_token(b"someone-elses-secret-0123456789", "alpha", "Eve", "host", 60, time.time()), "/", 401),
    (lambda: issue_token(SECRET, "alpha", "Old", "guest", 60, time.time() - 120), "/", 401),
    (lambda: token("alpha", "Bo"), "/beta", 403),
    (lambda: "garbage.token", "/", 401),
    (lambda: "", "/", 401),
])
def test_bad_tokens_are_refused_at_the_handshake(server, make, path, status):
    """Forged, expired, other-room, malformed and missing tokens get an HTTP error, never a websocket."""
    with pytest.raises(InvalidStatus) as info:
        connect(server.url + path, additional_headers={"Authorization": f"Bearer {make()}"}, open_timeout=3)
    assert info.value.response.status_code == status


def test_query_token_and_header_token_both_work(server):
    """A token is accepted as ?token= and as a Bearer header; two different tokens at once are refused."""
    with connect(f"{server.url}/?token={token('alpha', 'Q')}", open_timeout=3) as ws:
        assert json.loads(ws.recv(timeout=3))["type"] == "welcome"
    with connect(server.url, additional_headers={"Authorization": f"Bearer {token('alpha', 'H')}"}) as ws:
        assert json.loads(ws.recv(timeout=3))["type"] == "welcome"
    with pytest.raises(InvalidStatus):
        connect(f"{server.url}/?token={token('alpha', 'X')}",
                additional_headers={"Authorization": f"Bearer {token('alpha', 'Y')}"}, open_timeout=3)


def test_meeting_client_stops_for_good_on_a_refused_token(server, peers):
    """A MeetingClient with an expired token ends refused, without hammering the server."""
    peer = peers(server.url, issue_token(SECRET, "alpha", "Late", "guest", 60, time.time() - 120))
    wait_for(lambda: peer.client.state == REFUSED)
    assert "expired" in peer.client.reason and peer.client.connections == 0


def recv_until(ws, kind: str, timeout: float = 3.0) -> dict:
    end = time.monotonic() + timeout
    while True:
        message = json.loads(ws.recv(timeout=max(0.01, end - time.monotonic())))
        if message["type"] == kind:
            return message


def test_spoofed_nan_and_oversize_messages_are_refused_on_the_wire(server, peers):
    """Spoofed sender, NaN pose and oversize text get notices to the sender only; a huge frame closes it."""
    watcher = peers(server.url, token("alpha", "Watcher", "host")).live()
    with connect(server.url, additional_headers={"Authorization": f"Bearer {token('alpha', 'Mallory')}"}) as ws:
        recv_until(ws, "state")
        bad = [json.dumps({"type": "chat", "text": "I am the host", "from": watcher.id}),
               '{"type": "pose", "p": [NaN, 0, 0], "h": 0}',
               json.dumps({"type": "chat", "text": "x" * 8000})]
        for text in bad:
            ws.send(text)
            assert recv_until(ws, "notice")["code"] in ("invalid", "oversize")  # (notices: a burst of 5)
        ws.send(b"\x00binary")
        assert recv_until(ws, "notice")["code"] == "invalid"
        ws.send("x" * 100_000)  # beyond the frame limit: websockets closes with 1009
        with pytest.raises(ConnectionClosed) as info:
            recv_until(ws, "never")
        assert info.value.rcvd.code == 1009
    wait_for(lambda: watcher.of(Left))
    assert not watcher.of(ChatLine) and not watcher.of(Presence)


def test_flood_is_throttled_and_does_not_delay_others(server, peers):
    """A client flooding thousands of messages is throttled then cut off; two others keep talking promptly."""
    a = peers(server.url, token("alpha", "A", "host")).live()
    b = peers(server.url, token("alpha", "B")).live()
    with connect(server.url, additional_headers={"Authorization": f"Bearer {token('alpha', 'Flood')}"}) as ws:
        recv_until(ws, "state")
        start = time.monotonic()
        with contextlib.suppress(ConnectionClosed):  # closed while sending, or after: either way 1008
            for i in range(20_000):
                ws.send(json.dumps({"type": "chat", "text": f"spam {i}"}))
                if i % 500 == 0:
                    a.client.send(Say(f"a {i}"))
        with pytest.raises(ConnectionClosed) as info:
            recv_until(ws, "never", timeout=10.0)
        closed_after = time.monotonic() - start
        assert info.value.rcvd.code == 1008
    wait_for(lambda: any(line.text.startswith("a ") for line in b.of(ChatLine)))
    spam = [line for line in b.of(ChatLine) if line.text.startswith("spam")]
    assert len(spam) <= 10 and closed_after < 10


def test_killed_client_disappears_within_seconds(server, peers):
    """A client process killed with SIGKILL is gone from the others' lists within a few seconds."""
    observer = peers(server.url, token("alpha", "Observer", "host")).live()
    code = ("import sys, time\nfrom viewer.net.meeting_client import MeetingClient\n"
            "from viewer.meeting.messages import Pose\n"
            "c = MeetingClient(sys.argv[1], sys.argv[2]).start()\n"
            "while c.state != 'live': time.sleep(0.01)\n"
            "print('live', flush=True)\n"
            "while True:\n    c.set_pose(Pose((1.0, 2.0, 0.0), 0.0, (1.0, 2.0, 1.6)))\n    time.sleep(0.05)\n")
    child = subprocess.Popen([sys.executable, "-c", code, server.url, token("alpha", "Doomed")], cwd=PROJECT,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "live"
        doomed = wait_for(lambda: observer.members())
        os.kill(child.pid, signal.SIGKILL)
        killed = time.monotonic()
        wait_for(lambda: not observer.members() & doomed, timeout=5.0)
        assert time.monotonic() - killed < 3.0
        assert observer.of(Left)[-1].id in doomed
    finally:
        child.kill()
        child.wait()


def raw_join(url: str, tok: str, rcvbuf: int | None = None) -> socket.socket:
    """A websocket handshake by hand: after it, the socket answers nothing (not even pings)."""
    host, port = url.removeprefix("ws://").split(":")
    sock = socket.socket()
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.connect((host, int(port)))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall((f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer {tok}\r\n\r\n"
                  ).encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    assert head.startswith(b"HTTP/1.1 101"), head
    return sock


def read_frame(sock: socket.socket) -> tuple[int, bytes]:
    def exact(n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            assert chunk, "connection closed"
            data += chunk
        return data
    b0, b1 = exact(2)
    length = b1 & 0x7F
    if length == 126:
        length = struct.unpack("!H", exact(2))[0]
    elif length == 127:
        length = struct.unpack("!Q", exact(8))[0]
    return b0 & 0x0F, exact(length)


def test_frozen_client_is_dropped_by_ping_timeout(server, peers):
    """A client that stops answering (no pongs, no data) leaves the others' lists within about a second."""
    observer = peers(server.url, token("alpha", "Observer", "host")).live()
    frozen = raw_join(server.url, token("alpha", "Frozen"))
    try:
        wait_for(lambda: observer.members())
        start = time.monotonic()
        wait_for(lambda: not observer.members(), timeout=5.0)
        assert time.monotonic() - start < 3.0
    finally:
        frozen.close()


def test_slow_reader_gets_a_fresh_state_not_an_unbounded_backlog(peers):
    """A client that stops reading costs the server at most max_backlog queued messages; when it reads
    again it receives a fresh room state with the latest poses."""
    options = {**FAST, "ping_interval": 30.0, "send_buffer": 4096, "write_limit": 4096,
               "limits": MeetingLimits(max_backlog=16, presence_timeout=30.0)}
    with ServerThread(SECRET, port=0, **options) as srv:
        slow = raw_join(srv.url, token("alpha", "Slow"), rcvbuf=2048)
        movers = [peers(srv.url, token("alpha", f"M{i}"), pose_hz=20.0).live() for i in range(4)]
        slow_session = wait_for(lambda: srv.call(lambda: [s for s in srv.server.hub.sessions.values()
                                                          if s.name == "Slow"]))[0]
        for step in range(40):
            for i, mover in enumerate(movers):
                mover.client.set_pose(Pose((float(step), float(i), 0.0), 0.0, (float(step), float(i), 1.6)))
            time.sleep(0.05)
            assert srv.call(lambda: slow_session.pending) <= 17
        assert srv.call(lambda: slow_session.resets) >= 1
        types = []
        slow.settimeout(3.0)
        while "state" not in types[2:]:
            opcode, payload = read_frame(slow)
            if opcode == 1:
                types.append(json.loads(payload)["type"])
        assert types[:2] == ["welcome", "state"] and len(types) < 200
        slow.close()


def test_server_restart_clients_rejoin(peers):
    """After the server restarts on the same port, clients reconnect by themselves and see each other."""
    srv = ServerThread(SECRET, port=0, **FAST).start()
    port = srv.server.port
    a = peers(srv.url, token("alpha", "A", "host")).live()
    b = peers(srv.url, token("alpha", "B")).live()
    wait_for(lambda: a.members() and b.members())
    srv.stop()
    wait_for(lambda: a.client.state != LIVE and b.client.state != LIVE)
    srv = ServerThread(SECRET, port=port, **FAST).start()
    try:
        a.live(10.0), b.live(10.0)
        wait_for(lambda: a.members() == {b.id} and b.members() == {a.id})
        assert a.client.connections >= 2 and b.client.connections >= 2
    finally:
        srv.stop()


def test_reconnecting_with_the_same_token_keeps_the_participant_id(server, peers):
    """A client that restarts with its token gets its old id back (within the grace period)."""
    tok = token("alpha", "Bo", jti="bo-token-0001")
    observer = peers(server.url, token("alpha", "Observer", "host")).live()
    first = peers(server.url, tok).live()
    old_id = first.id
    first.client.stop()
    wait_for(lambda: observer.of(Left))
    second = peers(server.url, tok).live()
    assert second.id == old_id and second.client.protocol.view.welcome.resumed
    wait_for(lambda: any(j.resumed for j in observer.of(Joined)))


def test_removed_guest_is_disconnected_for_good(server, peers):
    """A host's /remove closes the guest, which does not reconnect, and its token is refused afterwards."""
    from viewer.meeting.messages import Remove

    host = peers(server.url, token("alpha", "Host", "host")).live()
    tok = token("alpha", "Guest")
    guest = peers(server.url, tok).live()
    wait_for(lambda: host.members())
    host.client.send(Remove(guest.id))
    wait_for(lambda: guest.client.state in (REMOVED, "closed"))
    assert any(n.code == "removed" for n in guest.of(Notice)) and guest.client.connections == 1
    with pytest.raises(InvalidStatus) as info:
        connect(server.url, additional_headers={"Authorization": f"Bearer {tok}"}, open_timeout=3)
    assert info.value.response.status_code == 403


def test_late_joiner_receives_recent_chat(server, peers):
    """Chat said before someone joins is in that joiner's first room state."""
    host = peers(server.url, token("alpha", "Host", "host")).live()
    for i in range(3):
        host.client.send(Say(f"before {i}"))
    wait_for(lambda: len(host.of(ChatLine)) == 3)
    late = peers(server.url, token("alpha", "Late")).live()
    state = wait_for(lambda: late.of(RoomState))[0]
    assert [line.text for line in state.chat] == ["before 0", "before 1", "before 2"]
