"""The client side, sans-I/O: the protocol's state machine, pose coalescing, the RoomView, interpolation,
typed commands and the chat entry."""

from __future__ import annotations

import pytest

from viewer.meeting.codec import decode_client, encode
from viewer.meeting.commands import ChatEntry, CommandError, parse_input
from viewer.meeting.interp import PoseTrack, lerp_pose
from viewer.meeting.messages import (
    ChatLine,
    FollowMe,
    Joined,
    Left,
    Mute,
    Notice,
    ParticipantInfo,
    Pose,
    PoseUpdate,
    Presence,
    Remove,
    RoomState,
    Say,
    SetFeedTime,
    SetLayer,
    Welcome,
)
from viewer.meeting.protocol import (
    CONNECTING,
    LIVE,
    REFUSED,
    REMOVED,
    MeetingClientProtocol,
    MessageDropped,
    Received,
)
from viewer.meeting.view import RoomView

WELCOME = Welcome(1, "Ana", "host", "delft", False)


def pose(x: float, heading: float = 0.0) -> Pose:
    return Pose((x, 0.0, 0.0), heading, (x, 0.0, 1.65))


def live(proto: MeetingClientProtocol | None = None, others=()) -> MeetingClientProtocol:
    proto = proto or MeetingClientProtocol()
    proto.connection_made(0.0)
    proto.receive_data(encode(WELCOME), 0.0)
    proto.receive_data(encode(RoomState((ParticipantInfo(1, "Ana", "host"), *others))), 0.0)
    return proto


def test_welcome_then_state_makes_the_client_live():
    """connect -> welcome -> state is live; the view knows who I am and the others."""
    proto = live(others=(ParticipantInfo(2, "Bo", "guest"),))
    assert proto.state == LIVE and proto.view.me == 1 and list(proto.view.members) == [2] and proto.view.is_host


def test_events_before_the_state_are_dropped():
    """A presence between welcome and state is dropped (the state holds it), not applied."""
    proto = MeetingClientProtocol()
    proto.connection_made(0.0)
    proto.receive_data(encode(WELCOME), 0.0)
    events = proto.receive_data(encode(Presence(2, pose(1))), 0.0)
    assert isinstance(events[-1], MessageDropped) and not proto.view.members


def test_garbage_and_a_second_welcome_are_dropped_not_raised():
    """Malformed server data and a welcome in the live state are dropped with a reason."""
    proto = live()
    for data in ("nonsense", b"\x00\x01", encode(WELCOME), '{"type":"presence","from":2,"p":[1,2],"h":0}'):
        assert isinstance(proto.receive_data(data, 1.0)[-1], MessageDropped)
    assert proto.state == LIVE and proto.dropped == 4


def test_refusals_are_terminal_but_503_is_retried():
    """401/403 at the handshake end the client for good; 503 (room full) goes back to connecting."""
    proto = MeetingClientProtocol()
    proto.refused(503, "room full", 0.0)
    assert proto.state == CONNECTING and not proto.terminal
    proto.refused(401, "token refused (expired)", 0.0)
    assert proto.state == REFUSED and proto.terminal and "expired" in proto.reason


def test_removal_by_close_code_or_notice_is_terminal():
    """Close code 4001, or the 'removed' notice, leaves the client removed (no reconnecting)."""
    a, b = live(), live()
    a.connection_lost(1.0, 4001, "removed from the room by Ana")
    b.receive_data(encode(Notice("removed", "bye")), 1.0)
    b.connection_lost(1.0, 4001)
    assert a.state == REMOVED == b.state and a.terminal


def test_a_lost_connection_keeps_the_view_and_reconnects():
    """After a loss the state is connecting again and the room view is kept until the next state."""
    proto = live(others=(ParticipantInfo(2, "Bo", "guest"),))
    proto.connection_lost(1.0, 1006)
    assert proto.state == CONNECTING and 2 in proto.view.members
    live(proto)
    assert proto.state == LIVE and not proto.view.members


def test_poses_are_coalesced_to_the_pose_rate_and_kept_alive():
    """60 poses a second go out at 15 Hz; an unchanged pose is re-sent about once a second."""
    proto = live()
    sent = []
    for frame in range(120):
        now = frame / 60.0
        proto.set_pose(pose(frame), now)
        sent += [decode_client(d) for d in proto.data_to_send(now)]
    assert 28 <= len(sent) <= 31 and all(isinstance(m, PoseUpdate) for m in sent)
    quiet = [d for frame in range(120, 360) for d in proto.data_to_send(frame / 60.0)]
    assert 3 <= len(quiet) <= 5


def test_messages_wait_in_the_outbox_until_live():
    """Chat typed while disconnected is sent once the connection is live again."""
    proto = MeetingClientProtocol()
    proto.send(Say("early"), 0.0)
    assert proto.data_to_send(0.0) == []
    live(proto)
    assert [decode_client(d) for d in proto.data_to_send(1.0)] == [Say("early")]


def test_pose_rate_is_bounded_by_the_server_limit():
    """A pose rate above 20 Hz (what the server relays) is refused at construction."""
    with pytest.raises(ValueError):
        MeetingClientProtocol(pose_hz=60.0)


def test_room_view_state_replaces_everything_but_keeps_tracks():
    """A new state drops members that left and old chat, and keeps pose tracks of those still present."""
    view = RoomView()
    view.apply(WELCOME, 0.0)
    view.apply(RoomState((ParticipantInfo(2, "Bo", "guest", pose=pose(1)), ParticipantInfo(3, "Cy", "guest")),
                         (ChatLine(1, 2, "Bo", "old", 0.0),)), 0.0)
    view.apply(Presence(2, pose(2)), 1.0)
    track = view.members[2].track
    view.apply(RoomState((ParticipantInfo(2, "Bo", "guest", pose=pose(2)),), ()), 2.0)
    assert list(view.members) == [2] and view.members[2].track is track and not view.chat


def test_room_view_ignores_strangers_and_repeats():
    """Presence from an unknown id, my own join, and a repeated chat line change nothing."""
    view = RoomView()
    view.apply(WELCOME, 0.0)
    view.apply(RoomState((ParticipantInfo(1, "Ana", "host"),)), 0.0)
    assert view.apply(Presence(9, pose(1)), 0.0) == set()
    assert view.apply(Joined(ParticipantInfo(1, "Ana", "host")), 0.0) == set()
    line = ChatLine(4, 1, "Ana", "hi", 0.0)
    assert view.apply(line, 0.0) == {"chat"} and view.apply(line, 0.0) == set() and len(view.chat) == 1
    assert view.apply(Left(9, "gone"), 0.0) == set()


def test_interpolation_glides_between_samples_and_holds_after():
    """Halfway between two samples the pose is halfway; after the newest it holds; before, it is the first."""
    track = PoseTrack()
    track.add(1.0, pose(0.0, heading=170.0))
    track.add(2.0, pose(10.0, heading=-170.0))
    mid = track.sample(1.5)
    assert mid.position[0] == pytest.approx(5.0) and abs(abs(mid.heading) - 180.0) < 1e-9
    assert track.sample(5.0).position[0] == 10.0 and track.sample(0.0).position[0] == 0.0


def test_interpolation_snaps_across_teleports():
    """A jump longer than snap_distance is not interpolated."""
    track = PoseTrack(snap_distance=50.0)
    track.add(1.0, pose(0.0))
    track.add(2.0, pose(500.0))
    assert track.sample(1.5).position[0] in (0.0, 500.0)


def test_lerp_turns_the_short_way():
    """350 -> 10 degrees passes through 0, not through 180."""
    assert lerp_pose(pose(0, 170.0), pose(0, -170.0), 0.25).heading == pytest.approx(175.0)


def test_pose_at_draws_behind_now():
    """RoomView.pose_at samples `delay` seconds before the given time."""
    view = RoomView(delay=0.1)
    view.apply(WELCOME, 0.0)
    view.apply(RoomState((ParticipantInfo(2, "Bo", "guest"),)), 0.0)
    view.apply(Presence(2, pose(0.0)), 1.0)
    view.apply(Presence(2, pose(10.0)), 1.1)
    assert view.pose_at(2, 1.15).position[0] == pytest.approx(5.0)


def people() -> RoomView:
    view = RoomView()
    view.apply(WELCOME, 0.0)
    view.apply(RoomState((ParticipantInfo(2, "Bo", "guest"), ParticipantInfo(3, "Bob", "guest"),
                          ParticipantInfo(4, "Cy", "guest"))), 0.0)
    return view


@pytest.mark.parametrize("text, message", [
    ("hello there", Say("hello there")), ("//not a command", Say("/not a command")),
    ("/follow", FollowMe(True)), ("/unfollow", FollowMe(False)), ("/mute Cy", Mute(4, True)),
    ("/unmute #3", Mute(3, False)), ("/remove bo", Remove(2)), ("/layer traffic off", SetLayer("traffic", False)),
    ("/time live", SetFeedTime(None)), ("/time 1700000000", SetFeedTime(1.7e9)), ("   ", None),
])
def test_typed_lines_become_messages(text, message):
    """Plain text is chat; /commands become host actions with names resolved to ids."""
    assert parse_input(text, people()) == message


@pytest.mark.parametrize("text", ["/mute", "/mute Zed", "/mute B", "/layer traffic maybe", "/time nan",
                                  "/time soon", "/dance", "/help", "/follow now"])
def test_bad_commands_are_explained_not_sent(text):
    """A command that does not parse raises CommandError with a line to show (ambiguous names included)."""
    with pytest.raises(CommandError):
        parse_input(text, people())


def test_chat_entry_keeps_printable_characters_only():
    """Typed control characters are ignored, backspace removes one, take empties the entry."""
    entry = ChatEntry(max_chars=8)
    entry.type("hi\r\x08\x1b there")
    entry.backspace()
    assert entry.text == "hi ther"[:7] and entry.take() == "hi ther" and entry.text == ""


def test_received_events_say_what_changed():
    """A Received event carries the aspects its message changed, for the renderer."""
    proto = live(others=(ParticipantInfo(2, "Bo", "guest"),))
    (event,) = proto.receive_data(encode(Presence(2, pose(3))), 1.0)
    assert isinstance(event, Received) and event.changed == {"poses"}
