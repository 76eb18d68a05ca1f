"""The meeting hub, sans-I/O: real client protocols wired to the hub in memory, a hand-moved clock.

Isolation between rooms, server-stamped identity, every refusal (spoofing, NaN, oversize, flood, guests'
host actions), host actions, late joiners' history, slow clients, presence timeout, resume and replace.
"""

from __future__ import annotations

import json

import pytest

from viewer.meeting.errors import Refused
from viewer.meeting.hub import MeetingHub
from viewer.meeting.messages import (
    DEFAULT_LIMITS,
    ChatLine,
    FeedTime,
    Following,
    FollowMe,
    Joined,
    LayerShown,
    Left,
    MeetingLimits,
    Mute,
    Muted,
    Notice,
    PointAt,
    Pointer,
    Pose,
    Presence,
    Remove,
    RoomState,
    Say,
    SetFeedTime,
    SetLayer,
    Welcome,
)
from viewer.meeting.protocol import LIVE, MeetingClientProtocol, Received
from viewer.meeting.tokens import issue_token

SECRET = b"hub-test-secret-0123456789abcdef"
T0 = 1_750_000_000.0


def pose(x: float, y: float = 0.0) -> Pose:
    return Pose((x, y, 0.0), 0.0, (x, y, 1.65))


class Person:
    """One participant: a client protocol whose session lives in the hub."""

    def __init__(self, net: Net, room: str, name: str, role: str, token: str | None = None) -> None:
        self.net, self.name = net, name
        self.token = token or issue_token(SECRET, room, name, role, 3600, net.now)
        self.received: list = []
        self.connect()

    def connect(self) -> None:
        self.session = self.net.hub.join(self.net.hub.authenticate(self.token, None, self.net.now), self.net.now)
        self.proto = MeetingClientProtocol()
        self.proto.connection_made(self.net.now)

    @property
    def id(self) -> int:
        return self.session.participant

    def raw(self, obj) -> None:
        """Send a message straight to the hub, bypassing the client's own encoder."""
        self.net.hub.receive(self.session, obj if isinstance(obj, str) else json.dumps(obj), self.net.now)

    def of(self, kind) -> list:
        return [m for m in self.received if isinstance(m, kind)]


class Net:
    """The hub and everyone connected to it, pumped by hand."""

    def __init__(self, limits: MeetingLimits = DEFAULT_LIMITS) -> None:
        self.hub = MeetingHub(SECRET, limits)
        self.now = T0
        self.people: list[Person] = []

    def join(self, room: str, name: str, role: str = "guest", token: str | None = None) -> Person:
        person = Person(self, room, name, role, token)
        self.people.append(person)
        self.pump()
        return person

    def deliver(self, person: Person) -> None:
        for data in person.session.data_to_send():
            for event in person.proto.receive_data(data, self.now):
                if isinstance(event, Received):
                    person.received.append(event.message)

    def pump(self, skip: tuple[Person, ...] = ()) -> None:
        for _ in range(3):
            for person in self.people:
                if person not in skip:
                    self.deliver(person)
                    for data in person.proto.data_to_send(self.now):
                        self.hub.receive(person.session, data, self.now)
        self.hub.take_ready()


@pytest.fixture
def net() -> Net:
    return Net()


def test_joiner_gets_welcome_then_the_room(net):
    """A joiner's first messages are its welcome (server-assigned id, token's name and role) and the room."""
    ana = net.join("delft", "Ana", "host")
    bo = net.join("delft", "Bo")
    assert isinstance(bo.received[0], Welcome) and bo.received[0].you == bo.id and bo.received[0].role == "guest"
    assert isinstance(bo.received[1], RoomState)
    assert [p.name for p in bo.received[1].participants] == ["Ana", "Bo"]
    assert ana.of(Joined)[0].participant.id == bo.id and bo.proto.state == LIVE


def test_nothing_ever_reaches_another_room(net):
    """Poses, pointers, chat and host actions in one room never reach the people of another."""
    rooms = {r: [net.join(r, f"{r}-host", "host"), net.join(r, f"{r}-a"), net.join(r, f"{r}-b")] for r in "xyz"}
    for step in range(30):
        net.now += 0.1
        for people in rooms.values():
            for i, person in enumerate(people):
                person.proto.set_pose(pose(step + i), net.now)
                person.proto.send(Say(f"{person.name} {step}"), net.now)
                person.proto.send(PointAt((1.0, 2.0, float(step))), net.now)
            people[0].proto.send(SetLayer("traffic", step % 2 == 0), net.now)
        net.pump()
    for room, people in rooms.items():
        own = {p.id for p in people}
        for person in people:
            senders = {getattr(m, "sender", None) for m in person.received} - {None}
            assert senders and senders <= own, f"{person.name} heard from {senders - own}"
            assert all(line.name.startswith(room) for line in person.of(ChatLine))
            assert {j.participant.id for j in person.of(Joined)} <= own
            assert len(person.of(Presence)) > 20


def test_sender_is_stamped_by_the_server_not_claimed(net):
    """A chat claiming another sender is refused; a plain one arrives stamped with the real sender."""
    ana, bo = net.join("delft", "Ana", "host"), net.join("delft", "Bo")
    bo.raw({"type": "chat", "text": "I am Ana", "from": ana.id})
    bo.raw({"type": "chat", "text": "hello", "room": "other"})
    bo.raw({"type": "chat", "text": "hello"})
    net.pump()
    lines = ana.of(ChatLine)
    assert [(line.sender, line.name, line.text) for line in lines] == [(bo.id, "Bo", "hello")]
    assert [n.code for n in bo.of(Notice)] == ["invalid", "invalid"]


def test_nan_and_absurd_poses_are_refused_and_the_good_pose_kept(net):
    """A NaN or out-of-range pose is refused with a notice; the last good pose stays in the room."""
    ana, bo = net.join("delft", "Ana", "host"), net.join("delft", "Bo")
    bo.proto.set_pose(pose(5.0), net.now)
    net.pump()
    bo.raw('{"type": "pose", "p": [NaN, 0, 0], "h": 0}')
    bo.raw({"type": "pose", "p": [1e300, 0, 0], "h": 0})
    bo.raw({"type": "pose", "p": [0, 0, 0], "h": 0, "pi": 1000})
    net.pump()
    assert [p.pose.position for p in ana.of(Presence)] == [(5.0, 0.0, 0.0)]
    assert net.hub.rooms["delft"].participants[bo.id].pose.position == (5.0, 0.0, 0.0)
    assert len(bo.of(Notice)) == 3


def test_oversize_message_is_refused_and_the_connection_lives(net):
    """A message over the size limit gets an 'oversize' notice; the sender's next message still works."""
    ana, bo = net.join("delft", "Ana", "host"), net.join("delft", "Bo")
    bo.raw(json.dumps({"type": "chat", "text": "x" * 10_000}))
    bo.raw({"type": "chat", "text": "after"})
    net.pump()
    assert bo.of(Notice)[0].code == "oversize" and [c.text for c in ana.of(ChatLine)] == ["after"]


def test_guests_cannot_perform_host_actions(net):
    """Follow-me, layers, feed time, mute and remove from a guest are refused; nothing changes."""
    ana, bo = net.join("delft", "Ana", "host"), net.join("delft", "Bo")
    for message in (FollowMe(True), SetLayer("traffic", False), SetFeedTime(5.0), Mute(ana.id), Remove(ana.id)):
        bo.proto.send(message, net.now)
    net.now += 5.0  # let notices refill
    net.pump()
    room = net.hub.rooms["delft"]
    assert room.follow is None and room.layers == {} and room.feed_time is None
    assert not room.participants[ana.id].muted and ana.id in room.participants
    assert {n.code for n in bo.of(Notice)} == {"forbidden"}
    assert not ana.of(Following) and not ana.of(LayerShown) and not ana.of(Muted)


def test_host_actions_reach_everyone(net):
    """A host's follow-me, layer visibility and feed time reach everyone in the room, the host included."""
    ana, bo = net.join("delft", "Ana", "host"), net.join("delft", "Bo")
    for message in (FollowMe(True), SetLayer("traffic", False), SetFeedTime(1.7e9)):
        ana.proto.send(message, net.now)
    net.pump()
    for person in (ana, bo):
        assert person.of(Following)[-1].host == ana.id
        assert person.of(LayerShown)[-1] == LayerShown(ana.id, "traffic", False)
        assert person.of(FeedTime)[-1] == FeedTime(ana.id, 1.7e9)
        assert person.proto.view.follow == ana.id and person.proto.view.layers == {"traffic": False}


def test_follow_ends_when_the_host_leaves(net):
    """When the followed host leaves, everyone is told nobody is followed any more."""
    ana, bo = net.join("delft", "Ana", "host"), net.join("delft", "Bo")
    ana.proto.send(FollowMe(True), net.now)
    net.pump()
    net.hub.leave(ana.session, net.now)
    net.people.remove(ana)
    net.pump()
    assert bo.of(Following)[-1].host is None and bo.of(Left)[-1].id == ana.id


def test_muted_guest_cannot_chat_until_unmuted(net):
    """After a mute the guest's chat is refused with a 'muted' notice; after unmute it goes through."""
    ana, bo = net.join("delft", "Ana", "host"), net.join("delft", "Bo")
    ana.proto.send(Mute(bo.id), net.now)
    net.pump()
    bo.proto.send(Say("can you hear me"), net.now)
    net.pump()
    ana.proto.send(Mute(bo.id, False), net.now)
    net.pump()
    bo.proto.send(Say("now?"), net.now)
    net.pump()
    assert [c.text for c in ana.of(ChatLine)] == ["now?"]
    assert "muted" in [n.code for n in bo.of(Notice)] and bo.proto.view.muted is False


def test_removed_guest_is_closed_and_cannot_come_back(net):
    """Remove closes the guest's connection (4001) after a notice, tells the others, bans its token."""
    ana, bo = net.join("delft", "Ana", "host"), net.join("delft", "Bo")
    ana.proto.send(Remove(bo.id), net.now)
    net.pump()
    assert bo.session.close_code == 4001 and bo.proto.state == "removed"
    assert ana.of(Left)[-1].id == bo.id and bo.id not in net.hub.rooms["delft"].participants
    with pytest.raises(Refused) as info:
        net.hub.authenticate(bo.token, None, net.now)
    assert info.value.code == "removed" and info.value.status == 403


def test_host_actions_cannot_reach_other_rooms_or_hosts(net):
    """A host cannot mute someone in another room (no such participant) nor remove another host."""
    ana, other_host = net.join("delft", "Ana", "host"), net.join("delft", "Dee", "host")
    stranger = net.join("rotterdam", "Cy")
    ana.proto.send(Mute(stranger.id), net.now)
    ana.proto.send(Remove(other_host.id), net.now)
    net.pump()
    assert [n.code for n in ana.of(Notice)] == ["target", "forbidden"]
    assert not net.hub.rooms["rotterdam"].participants[stranger.id].muted and other_host.session.open
    assert "rotterdam" not in str([n.reason for n in ana.of(Notice)])


def test_late_joiner_gets_the_recent_chat_history(net):
    """Someone joining after 60 lines gets the last 50 in its room state, in order."""
    ana = net.join("delft", "Ana", "host")
    for i in range(60):
        net.now += 1.0
        ana.proto.send(Say(f"line {i}"), net.now)
        net.pump()
    late = net.join("delft", "Late")
    history = late.of(RoomState)[0].chat
    assert [c.text for c in history] == [f"line {i}" for i in range(10, 60)]
    assert [c.text for c in late.proto.view.chat][-1] == "line 59"


def test_room_full_is_refused_with_503():
    """Beyond max_participants a token for that room is refused at the handshake (503), others still join."""
    net = Net(MeetingLimits(max_participants=2))
    net.join("delft", "A"), net.join("delft", "B")
    with pytest.raises(Refused) as info:
        net.join("delft", "C")
    assert info.value.status == 503
    net.join("rotterdam", "D")


def test_flood_is_throttled_without_affecting_others(net):
    """300 chat lines at once: a burst passes, the rest are dropped with a few notices; others are unaffected."""
    ana, bo, cy = net.join("delft", "Ana", "host"), net.join("delft", "Bo"), net.join("delft", "Cy")
    for i in range(300):
        bo.raw({"type": "chat", "text": f"spam {i}"})
    cy.proto.send(Say("still here"), net.now)
    cy.proto.set_pose(pose(3.0), net.now)
    net.pump()
    spam = [c for c in ana.of(ChatLine) if c.sender == bo.id]
    assert 0 < len(spam) <= 10
    assert [c.text for c in ana.of(ChatLine) if c.sender == cy.id] == ["still here"]
    assert ana.of(Presence)[-1].sender == cy.id
    assert 1 <= len(bo.of(Notice)) <= 5 and bo.session.open


def test_sustained_flood_is_disconnected(net):
    """A client that keeps sending at many times its allowance is disconnected (1008); others stay."""
    ana, bo = net.join("delft", "Ana", "host"), net.join("delft", "Bo")
    for _ in range(50):
        net.now += 0.1
        for _ in range(100):
            bo.raw({"type": "chat", "text": "spam"})
    net.pump()
    assert bo.session.close_code == 1008 and ana.session.open and ana.of(Left)[-1].id == bo.id


def test_slow_client_gets_a_fresh_state_instead_of_a_backlog():
    """A client that reads nothing holds at most max_backlog messages; then one fresh state replaces them."""
    net = Net(MeetingLimits(max_backlog=20))
    slow, bo = net.join("delft", "Slow"), net.join("delft", "Bo")
    for i in range(200):
        net.now += 0.05
        bo.proto.set_pose(pose(float(i)), net.now)
        net.pump(skip=(slow,))
        assert slow.session.pending <= 21
    assert slow.session.resets >= 1
    net.deliver(slow)
    state = slow.received[-1]
    assert isinstance(state, RoomState)
    latest = net.hub.rooms["delft"].participants[bo.id].pose
    assert {p.id: p.pose for p in state.participants if p.pose}[bo.id] == latest and latest.position[0] >= 195
    bo.proto.set_pose(pose(500.0), net.now + 1)
    net.now += 1
    net.pump()
    assert slow.received[-1] == Presence(bo.id, slow.received[-1].pose) and slow.session.state == "active"


def test_silent_participant_is_dropped_after_the_presence_timeout(net):
    """A participant that sends nothing for presence_timeout seconds is closed (4003) and leaves for all."""
    ana, bo = net.join("delft", "Ana", "host"), net.join("delft", "Bo")
    ana.proto.set_pose(pose(1.0), net.now)
    for _ in range(12):
        net.now += 0.5
        net.pump(skip=(bo,))  # Ana keeps sending (keepalive poses); Bo is frozen
        net.hub.tick(net.now)
    assert bo.session.close_code == 4003 and ana.session.open
    assert [m.id for m in ana.of(Left)] == [bo.id]


def test_reconnecting_with_the_token_resumes_identity_and_mute(net):
    """A lost guest reconnecting with its token within the grace period gets its id and its mute back."""
    ana, bo = net.join("delft", "Ana", "host"), net.join("delft", "Bo")
    ana.proto.send(Mute(bo.id), net.now)
    net.pump()
    old_id = bo.id
    net.hub.leave(bo.session, net.now)
    net.pump()
    assert ana.of(Left)[-1].id == old_id
    net.now += 10.0
    bo.connect()
    net.pump()
    assert bo.id == old_id
    welcome = [m for m in bo.received if isinstance(m, Welcome)][-1]
    assert welcome.resumed and welcome.you == old_id
    assert ana.of(Joined)[-1].resumed and ana.of(Joined)[-1].participant.muted


def test_reservation_expires_after_the_grace_period(net):
    """After resume_grace seconds the same token joins as a new participant with a new id."""
    bo = net.join("delft", "Bo")
    old_id = bo.id
    net.hub.leave(bo.session, net.now)
    net.now += 31.0
    net.hub.tick(net.now)
    bo.connect()
    assert bo.id != old_id


def test_second_connection_with_the_same_token_replaces_the_first(net):
    """A token connecting twice keeps its id; the old connection is closed (4002) without a leave."""
    ana, bo = net.join("delft", "Ana", "host"), net.join("delft", "Bo")
    old = bo.session
    bo.connect()
    net.pump()
    assert old.close_code == 4002 and bo.id == old.participant and bo.session.open
    net.hub.leave(old, net.now)
    net.pump()
    assert not ana.of(Left) and bo.id in net.hub.rooms["delft"].participants


def test_notices_are_rate_limited(net):
    """Garbage at full speed gets a trickle of notices back, not one per message."""
    bo = net.join("delft", "Bo")
    for _ in range(60):
        bo.raw("not json")
    net.pump()
    assert 1 <= len(bo.of(Notice)) <= 5


def test_pointer_is_relayed_with_the_senders_eye_as_origin(net):
    """A pointer without an origin starts at the sender's eye and reaches the others, stamped."""
    ana, bo = net.join("delft", "Ana", "host"), net.join("delft", "Bo")
    bo.proto.set_pose(pose(2.0), net.now)
    net.pump()
    bo.proto.send(PointAt((10.0, 10.0, 0.0)), net.now)
    net.pump()
    ray = ana.of(Pointer)[-1]
    assert ray.sender == bo.id and ray.ray.origin == (2.0, 0.0, 1.65) and ray.ray.target == (10.0, 10.0, 0.0)
    assert ana.proto.view.members[bo.id].pointer == ray.ray


def test_empty_rooms_are_forgotten_after_reservations_expire(net):
    """A room with nobody in it and no reserved ids is removed on the next tick."""
    bo = net.join("delft", "Bo")
    net.hub.leave(bo.session, net.now)
    net.hub.tick(net.now + 1.0)
    assert "delft" in net.hub.rooms
    net.hub.tick(net.now + 60.0)
    assert "delft" not in net.hub.rooms
