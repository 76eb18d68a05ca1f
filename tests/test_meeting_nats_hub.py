"""BusHub (viewer/meeting/bus.py) without sockets: several hubs wired through an in-memory ordered stream, the
way NATS JetStream orders a room's records, and a plain fan-out for poses and beats. Time is an argument.
"""

from __future__ import annotations

import orjson

from viewer.meeting.bus import ID_SPAN, NODE_TIMEOUT, BusHub
from viewer.meeting.codec import decode_server, encode
from viewer.meeting.messages import (
    ChatLine,
    Joined,
    Left,
    Mute,
    Pose,
    PoseUpdate,
    Presence,
    Recording,
    Remove,
    RoomState,
    Say,
    SetRecording,
)
from viewer.meeting.tokens import issue_token

SECRET = b"bus-hub-test-secret-0123456789abc"


class Bus:
    """Hubs 1..n and the one ordered stream of records every hub applies (meeting/bus.py rule 1)."""

    def __init__(self, count: int) -> None:
        self.hubs = []
        for node in range(1, count + 1):
            hub = BusHub(SECRET)
            hub.set_node(node)
            self.hubs.append(hub)
        self.stream: list[tuple[str, bytes]] = []
        self.now = 1.8e9

    def join(self, hub: BusHub, name: str, role: str = "guest", token: str | None = None):
        token = token or issue_token(SECRET, "delft", name, role, 600.0, self.now)
        claims = hub.authenticate(token, None, self.now)
        for h in self.hubs:
            if "delft" not in h.synced:
                h.start_sync("delft", self.now)
        session = hub.join(claims, self.now)
        self.run()
        return session, token

    def run(self) -> None:
        """Move every outbox through the bus until nothing is left: stored records in one order, the rest
        to every other hub."""
        while any(h.outbox for h in self.hubs):
            for hub in self.hubs:
                for out in hub.take_outbox():
                    if out.kind == "stored":
                        self.stream.append((out.room, out.data))
                        seq = len(self.stream)
                        for h in self.hubs:
                            h.apply_stored(out.room, out.data, seq, self.now)
                    elif out.kind == "live":
                        for h in self.hubs:
                            h.apply_live(out.room, out.data, self.now)
                    else:
                        for h in self.hubs:
                            h.apply_beat(out.data, self.now)

    def beat(self, *hubs: BusHub) -> None:
        for hub in hubs:
            hub.outbox.append(hub.beat(self.now))
        self.run()


def received(session) -> list:
    return [decode_server(text) for text in session.data_to_send()]


def test_ids_are_unique_across_servers_and_everything_crosses():
    """Ana on hub 1 and Bo on hub 2: ids from different ranges; poses, chat and mutes reach the other server,
    and both replicas hold the same chat, numbered the same."""
    bus = Bus(2)
    a, b = bus.hubs
    ana, _ = bus.join(a, "Ana", "host")
    bo, _ = bus.join(b, "Bo")
    assert (ana.participant // ID_SPAN, bo.participant // ID_SPAN) == (1, 2)
    assert any(isinstance(m, Joined) and m.participant.id == bo.participant for m in received(ana))
    b.receive(bo, encode(PoseUpdate(Pose((1.0, 2.0, 0.0), 0.0, (1.0, 2.0, 1.7)))), bus.now)
    b.receive(bo, encode(Say("hi")), bus.now)
    a.receive(ana, encode(Say("hello")), bus.now)
    bus.run()
    a.receive(ana, encode(Mute(bo.participant)), bus.now)
    bus.run()
    assert [m.sender for m in received(ana) if isinstance(m, Presence)] == [bo.participant]
    assert a.rooms["delft"].state().chat == b.rooms["delft"].state().chat
    assert sorted(line.text for line in a.rooms["delft"].chat.recent()) == ["hello", "hi"]
    assert b.rooms["delft"].participants[bo.participant].muted and b.sanctions.muted(bo.jti, bus.now)


def test_a_removal_is_enforced_by_every_replica():
    """A host on hub 1 removes a guest of hub 2: hub 2 closes it and both refuse its token from then on."""
    bus = Bus(2)
    a, b = bus.hubs
    ana, _ = bus.join(a, "Ana", "host")
    bo, bo_token = bus.join(b, "Bo")
    a.receive(ana, encode(Remove(bo.participant)), bus.now)
    bus.run()
    assert bo.close_code == 4001
    for hub in (a, b):
        assert hub.sanctions.removed(bo.jti, bus.now)
        assert bo.participant not in hub.rooms["delft"].participants


def test_a_dead_servers_participant_rejoins_elsewhere_with_its_id():
    """Hub 2 stops beating: after NODE_TIMEOUT hub 1 lets Bo leave with his id reserved; Bo's token on hub 1
    gets the same id back, and a late leave from hub 2 no longer touches him."""
    bus = Bus(2)
    a, b = bus.hubs
    ana, _ = bus.join(a, "Ana", "host")
    bo, bo_token = bus.join(b, "Bo")
    bus.beat(a, b)
    received(ana)
    bus.now += NODE_TIMEOUT + 0.5
    a.tick(bus.now)
    assert [m.id for m in received(ana) if isinstance(m, Left)] == [bo.participant]
    again, _ = bus.join(a, "Bo", token=bo_token)
    assert again.participant == bo.participant
    stale = orjson.dumps({"v": 1, "k": "leave", "n": 2, "t": bus.now, "id": bo.participant, "reason": "x",
                          "reserve": True})
    a.apply_stored("delft", stale, len(bus.stream) + 1, bus.now)
    assert bo.participant in a.rooms["delft"].participants


def test_a_client_that_moves_blinks_without_leaving():
    """Bo's token connects to hub 1 while hub 2 still holds him: hub 2 closes its connection as replaced and
    nobody is told Bo left; his id stays."""
    bus = Bus(2)
    a, b = bus.hubs
    ana, _ = bus.join(a, "Ana", "host")
    bo, bo_token = bus.join(b, "Bo")
    received(ana)
    moved, _ = bus.join(a, "Bo", token=bo_token)
    b.leave(bo, bus.now)  # hub 2 notices its closed connection afterwards
    bus.run()
    assert moved.participant == bo.participant and bo.close_code == 4002
    seen = received(ana)
    assert not any(isinstance(m, Left) for m in seen)
    assert bo.participant in b.rooms["delft"].participants and bo.participant in a.rooms["delft"].participants


def test_a_late_server_replays_the_room():
    """A third hub that starts after the chat replays the stream and holds the same room (chat numbering
    included)."""
    bus = Bus(2)
    a, _ = bus.hubs
    ana, _ = bus.join(a, "Ana", "host")
    for i in range(3):
        a.receive(ana, encode(Say(f"line {i}")), bus.now)
    bus.run()
    late = BusHub(SECRET)
    late.set_node(3)
    late.start_sync("delft", bus.now)
    for seq, (room, data) in enumerate(bus.stream, 1):
        late.apply_stored(room, data, seq, bus.now)
    late.nodes[1] = bus.now
    late.finish_sync("delft", bus.now)
    assert late.rooms["delft"].state().chat == a.rooms["delft"].state().chat
    assert all(isinstance(line, ChatLine) for line in late.rooms["delft"].chat.recent())
    assert ana.participant in late.rooms["delft"].participants


def test_bad_records_are_dropped_and_counted():
    """Garbage, a wrong version, an unknown kind and a record naming a bad id are dropped, never raised."""
    bus = Bus(1)
    (hub,) = bus.hubs
    bus.join(hub, "Ana", "host")
    for i, data in enumerate([b"not json", b'{"v": 2, "k": "join", "n": 1, "t": 0}',
                              b'{"v": 1, "k": "explode", "n": 2, "t": 0}',
                              b'{"v": 1, "k": "leave", "n": 2, "t": 0, "id": -4, "reason": "", "reserve": 1}'],
                             start=100):
        hub.apply_stored("delft", data, i, bus.now)
    hub.apply_beat(b"[]", bus.now)
    assert hub.bad_records == 5


class MemoryLogs:
    """A LogSink keeping each log's bytes in memory."""

    def __init__(self) -> None:
        self.logs: dict[str, bytearray] = {}

    def open(self, room: str, start: float) -> str:
        name = f"{room}-{len(self.logs)}"
        self.logs[name] = bytearray()
        return name

    def write(self, name: str, data: bytes) -> None:
        self.logs[name] += data

    def close(self, name: str) -> None:
        pass


def test_a_recording_on_one_server_is_shown_on_the_others_until_that_server_dies():
    """Ana records on hub 1: Bo on hub 2 gets the record event, and a joiner of hub 2 a room state saying
    recording; once hub 1 is dead, hub 2 says the recording ended."""
    bus = Bus(2)
    a, b = bus.hubs
    a.logs = MemoryLogs()
    ana, _ = bus.join(a, "Ana", "host")
    bo, _ = bus.join(b, "Bo")
    received(bo)
    a.receive(ana, encode(SetRecording(True)), bus.now)
    bus.run()
    assert [m.on for m in received(bo) if isinstance(m, Recording)] == [True]
    cy, _ = bus.join(b, "Cy")
    assert next(m for m in received(cy) if isinstance(m, RoomState)).recording
    bus.beat(a, b)
    bus.now += NODE_TIMEOUT + 0.5
    b.tick(bus.now)
    assert [m.on for m in received(bo) if isinstance(m, Recording)] == [False]


def test_pins_cross_servers_and_only_their_author_or_a_host_removes_them():
    """Bo (hub 2) drops a pin: Ana (hub 1) gets it with the same id; Bo removes it and it goes on both; a pin
    Bo drops again is in the room state of a joiner on hub 1."""
    from viewer.meeting.messages import DropPin, PinRemoved, RoomPin, Unpin

    bus = Bus(2)
    a, b = bus.hubs
    ana, _ = bus.join(a, "Ana", "host")
    bo, _ = bus.join(b, "Bo")
    b.receive(bo, encode(DropPin((1.0, 2.0, 3.0), "look")), bus.now)
    bus.run()
    pins = [m for m in received(ana) if isinstance(m, RoomPin)]
    assert [(p.sender, p.note) for p in pins] == [(bo.participant, "look")]
    assert list(a.rooms["delft"].pins) == list(b.rooms["delft"].pins) == [pins[0].id]
    b.receive(bo, encode(Unpin(pins[0].id)), bus.now)
    bus.run()
    assert [m.pin for m in received(ana) if isinstance(m, PinRemoved)] == [pins[0].id]
    assert not a.rooms["delft"].pins and not b.rooms["delft"].pins
    b.receive(bo, encode(DropPin((4.0, 5.0, 6.0), "again")), bus.now)
    bus.run()
    cy, _ = bus.join(a, "Cy")
    state = next(m for m in received(cy) if isinstance(m, RoomState))
    assert [p.note for p in state.pins] == ["again"]
