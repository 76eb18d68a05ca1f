"""A recording outlives the server that wrote it (viewer/meeting/bus.py rule 7): when the host's server dies,
the server the host is connected to by then continues it in a log of its own, announced to the whole room;
a host who comes back later, within the resume grace, continues it when joining. Sans-I/O: hubs wired
through the in-memory stream of test_meeting_nats_hub, logs kept in memory; then two real servers on a real
nats-server writing real log files, the host's server stopped mid-recording.
"""

from __future__ import annotations

import gzip
import json
import time

from bus_helpers import NatsServer, need_nats, wait_until
from test_meeting_nats import FAST, SECRET, Peer, token
from test_meeting_nats_hub import Bus, MemoryLogs, received

from viewer.meeting.bus import CONTINUED, NODE_TIMEOUT
from viewer.meeting.codec import encode
from viewer.meeting.log import read_log
from viewer.meeting.messages import ChatLine, Pose, PoseUpdate, Presence, Recording, RoomState, SetRecording
from viewer.net.meeting_server import ServerThread

FEED = "run.feed.jsonl.gz"


def lines(logs: MemoryLogs, name: str) -> list[dict]:
    return [json.loads(line) for line in gzip.decompress(bytes(logs.logs[name])).splitlines()] if \
        logs.logs[name][:2] == b"\x1f\x8b" else [json.loads(line) for line in bytes(logs.logs[name]).splitlines()]


def kill(bus: Bus, hub) -> None:
    """`hub` stops: it neither sends nor hears anything from now on, and the others stop hearing its beats."""
    bus.hubs.remove(hub)


def pass_node_timeout(bus: Bus) -> None:
    for _ in range(int(NODE_TIMEOUT / 0.5) + 2):
        bus.now += 0.5
        bus.beat(*bus.hubs)
        for hub in list(bus.hubs):
            hub.tick(bus.now)
        bus.run()


def test_the_server_the_host_moved_to_continues_the_recording():
    """Ana (host) records on hub 1; hub 1 dies; Ana is back on hub 2 (same token, same id): hub 2 continues in
    a log of its own (the same feed in its header, the room's state first), Bo on hub 2 and Cy on hub 3 are
    told it continued, nobody is told it stopped, and Ana's stop later ends it everywhere."""
    bus = Bus(3)
    a, b, c = bus.hubs
    a.logs, b.logs = MemoryLogs(), MemoryLogs()
    ana, ana_token = bus.join(a, "Ana", "host")
    bo, _ = bus.join(b, "Bo")
    cy, _ = bus.join(c, "Cy")
    a.receive(ana, encode(SetRecording(True, FEED)), bus.now)
    bus.run()
    for session in (bo, cy):
        received(session)
    kill(bus, a)
    ana2, _ = bus.join(b, "Ana", "host", token=ana_token)
    assert ana2.participant == ana.participant
    pass_node_timeout(bus)
    assert list(b.logs.logs) and b.rooms["delft"].log is not None
    for session in (bo, cy):
        got = received(session)
        assert [m.on for m in got if isinstance(m, Recording)] == [True], session.name
        assert [m.text for m in got if isinstance(m, ChatLine)] == [CONTINUED], session.name
    b.receive(bo, encode(PoseUpdate(Pose((3.0, 4.0, 0.0), 0.0, (3.0, 4.0, 1.7)))), bus.now)
    bus.run()
    (log,) = b.logs.logs
    written = lines(b.logs, log)
    assert written[0]["room"] == "delft" and written[0]["feed"] == FEED
    assert written[1]["m"]["type"] == "state" and written[1]["m"]["recording"]
    assert any(line.get("m", {}).get("type") == "presence" for line in written[2:])
    b.receive(ana2, encode(SetRecording(False)), bus.now)
    bus.run()
    assert b.rooms["delft"].log is None
    assert [m.on for m in received(cy) if isinstance(m, Recording)] == [False]
    joiner, _ = bus.join(c, "Di")
    assert not next(m for m in received(joiner) if isinstance(m, RoomState)).recording


def host_recording_on_a_dead_hub(hub_2_records: bool):
    """Two hubs; Ana (host) on hub 1 records, Bo on hub 2 has heard all so far; then hub 1 dies.
    (bus, hub 2, Ana's token, Bo)."""
    bus = Bus(2)
    a, b = bus.hubs
    a.logs = MemoryLogs()
    if hub_2_records:
        b.logs = MemoryLogs()
    ana, ana_token = bus.join(a, "Ana", "host")
    bo, _ = bus.join(b, "Bo")
    a.receive(ana, encode(SetRecording(True)), bus.now)
    bus.run()
    received(bo)
    kill(bus, a)
    return bus, b, ana_token, bo


def test_a_host_who_comes_back_later_continues_the_recording_when_joining():
    """Hub 1 dies with Ana (host) on it, recording: Bo on hub 2 is told the recording ended; Ana joins hub 2
    within the resume grace: the recording continues there and Bo is told so."""
    bus, b, ana_token, bo = host_recording_on_a_dead_hub(hub_2_records=True)
    pass_node_timeout(bus)
    assert [m.on for m in received(bo) if isinstance(m, Recording)] == [False] and not b.logs.logs
    bus.join(b, "Ana", "host", token=ana_token)
    got = received(bo)
    assert [m.on for m in got if isinstance(m, Recording)] == [True]
    assert [m.text for m in got if isinstance(m, ChatLine)] == [CONTINUED]
    assert b.rooms["delft"].log is not None


def test_a_server_that_does_not_record_ends_it_as_before():
    """Hub 2 has no record folder: when hub 1 dies with Ana's recording, hub 2 ends it even with Ana on it."""
    bus, b, ana_token, bo = host_recording_on_a_dead_hub(hub_2_records=False)
    bus.join(b, "Ana", "host", token=ana_token)
    pass_node_timeout(bus)
    assert [m.on for m in received(bo) if isinstance(m, Recording)] == [False]
    assert b.rooms["delft"].log is None


def test_a_real_recording_continues_in_a_file_of_the_server_the_host_moved_to(tmp_path):
    """Servers A and B on one bus, each with its record folder. Ana (host, given both URLs) records on A with
    Bo on B; A stops; Ana rejoins B with her id and B continues: a second log file in B's folder, a whole log
    (header with the same feed, the room's state, Bo's poses), ended by Ana's stop. A's file reads too."""
    need_nats()
    (tmp_path / "nats").mkdir()
    nats = NatsServer(tmp_path / "nats").start()
    a = ServerThread(SECRET, port=0, nats=nats.url, record_dir=tmp_path / "a", **FAST).start()
    b = ServerThread(SECRET, port=0, nats=nats.url, record_dir=tmp_path / "b", **FAST).start()
    peers: list[Peer] = []
    try:
        ana = Peer([a.url + "/delft", b.url + "/delft"], token("delft", "Ana", "host")).live()
        peers.append(ana)
        assert ana.client.url.startswith(a.url), "Ana's first server is A (its first URL)"
        bo = Peer(b.url + "/delft", token("delft", "Bo")).live()
        peers.append(bo)
        ana_id = ana.id
        wait_until(lambda: ana_id in bo.view.members, 30, "Bo sees Ana")
        ana.client.send(SetRecording(True, FEED))
        wait_until(lambda: bo.view.recording, 30, "Bo told of the recording")
        a.stop()
        wait_until(lambda: ana.client.url.startswith(b.url) and ana.id == ana_id and ana.client.state == "live",
                   30, "Ana back on B with her id")
        wait_until(lambda: any(isinstance(m, ChatLine) and m.text == CONTINUED for m in bo.poll()), 30,
                   "Bo told the recording continued")
        for k in range(5):
            bo.client.set_pose(Pose((float(k), 2.0, 0.0), 0.0, (float(k), 2.0, 1.7)))
            time.sleep(0.1)
        ana.client.send(SetRecording(False))
        wait_until(lambda: not bo.view.recording and b.call(lambda: b.server.hub.rooms["delft"].log is None), 30,
                   "the recording stopped on B")
        (first,) = (tmp_path / "a").iterdir()
        (second,) = (tmp_path / "b").iterdir()
        assert read_log(first).feed == read_log(second).feed == FEED
        continued = read_log(second)
        assert continued.initial.recording and continued.ended
        assert any(isinstance(e.message, Presence) for e in continued.entries)
    finally:
        for peer in peers:
            peer.client.stop()
        for server in (a, b):
            if server.server is not None and server._thread.is_alive():
                server.stop()
        nats.stop()
