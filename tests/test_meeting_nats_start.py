"""A meeting server's first moments on a bus (viewer/net/meeting_bus.py rules 3-4, meeting/bus.py rule 4).

A server listens only once it has joined the bus (its number taken, the others heard), so no client is ever
held in a handshake while it joins; a room synced for its first joiner stays followed even when the hub ticks
between the replay and the join (a fresh room has no Room object yet: the tick used to forget it, and the
server then heard nothing more of that room from the others). Real nats-server for the I/O parts.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import orjson
from bus_helpers import NatsServer, free_port, need_nats, wait_until
from websockets.sync.client import connect

from viewer.meeting.bus import BusHub
from viewer.meeting.codec import decode_server
from viewer.meeting.messages import Joined, MeetingLimits, RoomState, Welcome
from viewer.meeting.tokens import issue_token
from viewer.net.meeting_server import MeetingServer, ServerThread

SECRET = b"nats-start-test-secret-0123456789ab"
FAST = {"ping_interval": 0.3, "ping_timeout": 0.5, "tick": 0.05,
        "limits": MeetingLimits(presence_timeout=2.0, resume_grace=20.0)}


def token(name: str, room: str = "delft") -> str:
    return issue_token(SECRET, room, name, "guest", 600.0, time.time())


def test_a_fresh_room_synced_for_its_first_joiner_is_still_followed_after_a_tick():
    """Server 1 replays room delft for Bo (nothing in the stream yet), ticks before Bo's join is done, then
    Ana's join record from server 2 comes back from the stream: server 1 applies it and tells Bo."""
    now = time.time()
    hub = BusHub(SECRET)
    hub.set_node(1)
    hub.start_sync("delft", now)
    hub.finish_sync("delft", now)
    hub.tick(now + 0.05)
    assert "delft" in hub.synced
    bo = hub.join(hub.authenticate(token("Bo"), "delft", now), now + 0.1)
    bo.data_to_send()
    other = BusHub(SECRET)
    other.set_node(2)
    other.start_sync("delft", now)
    other.join(other.authenticate(token("Ana"), "delft", now), now + 0.2)
    record = next(out.data for out in other.take_outbox() if out.kind == "stored")
    assert orjson.loads(record)["k"] == "join"
    hub.apply_stored("delft", record, 1, now + 0.3)
    assert [m.participant.name for m in map(decode_server, bo.data_to_send()) if isinstance(m, Joined)] == ["Ana"]


def test_no_websocket_is_accepted_before_the_server_has_joined_the_bus(tmp_path):
    """While start() connects to NATS, takes its number and listens for the others' beats, the port refuses
    connections (a client moves on to another server at once); the first handshake it accepts is answered."""
    need_nats()
    nats = NatsServer(tmp_path).start()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    port = free_port()
    server = MeetingServer(SECRET, port=port, nats=nats.url, **FAST)
    try:
        starting = asyncio.run_coroutine_threadsafe(server.start(), loop)
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=5).close()
            except ConnectionRefusedError:
                assert not starting.done() or starting.exception() is None
                time.sleep(0.01)
                continue
            break
        assert server.bus is not None and server.bus.node >= 1, "a connection was accepted before the bus was joined"
        starting.result(30)
        with connect(server.url + "/delft", additional_headers={"Authorization": f"Bearer {token('Bo')}"},
                     open_timeout=30) as ws:
            assert isinstance(decode_server(ws.recv(30)), Welcome)
            assert isinstance(decode_server(ws.recv(30)), RoomState)
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
        nats.stop()


def test_the_first_joiner_of_a_server_started_later_hears_the_room_from_then_on(tmp_path):
    """Bo is the first of room rome on server A, just started; Ana then joins rome on server B: Bo is told."""
    need_nats()
    nats = NatsServer(tmp_path).start()
    b = ServerThread(SECRET, port=0, nats=nats.url, **FAST).start()
    a = ServerThread(SECRET, port=0, nats=nats.url, **FAST).start()
    try:
        with connect(a.url + "/rome", additional_headers={"Authorization": f"Bearer {token('Bo', 'rome')}"},
                     open_timeout=30) as bo:
            assert [type(decode_server(bo.recv(30))) for _ in range(2)] == [Welcome, RoomState]
            time.sleep(0.3)  # several of A's ticks (0.05 s) between Bo's join and Ana's
            with connect(b.url + "/rome", additional_headers={"Authorization": f"Bearer {token('Ana', 'rome')}"},
                         open_timeout=30):
                seen: list = []
                wait_until(lambda: seen.append(decode_server(bo.recv(30))) or any(
                    isinstance(m, Joined) and m.participant.name == "Ana" for m in seen), 30, "Bo told of Ana")
    finally:
        a.stop()
        b.stop()
        nats.stop()
