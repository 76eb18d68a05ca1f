"""The meeting message schema: every message round-trips; hostile messages are refused with a MessageError."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.meeting.codec import decode_client, decode_server, encode
from viewer.meeting.errors import MessageError, MessageTooLarge
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
    ParticipantInfo,
    PointAt,
    Pointer,
    Pose,
    PoseUpdate,
    Presence,
    Ray,
    Remove,
    RoomState,
    Say,
    SetFeedTime,
    SetLayer,
    Welcome,
)

POSE = Pose((1.0, 2.0, 0.0), 45.0, (1.0, 2.0, 1.65), -10.0, 12.5)
ANA = ParticipantInfo(1, "Ana", "host", False, POSE, Ray((0.0, 0.0, 2.0), (5.0, 5.0, 0.0)))

CLIENT = [PoseUpdate(POSE), PointAt((1.0, 2.0, 3.0), (0.0, 0.0, 1.0)), PointAt(None), Say("hello"), FollowMe(True),
          SetLayer("traffic", False), SetFeedTime(1.7e9), SetFeedTime(None), Mute(3, True), Remove(4)]
SERVER = [Welcome(1, "Ana", "host", "delft", False, {"max_chat_chars": 500.0}),
          RoomState((ANA, ParticipantInfo(2, "Bo", "guest", True)), (ChatLine(1, 2, "Bo", "hi", 5.0),), 1,
                    (("traffic", True),), 1.7e9),
          Joined(ANA, True), Left(2, "connection lost"), Presence(1, POSE), Pointer(1, ANA.pointer), Pointer(1, None),
          ChatLine(3, 1, "Ana", "hello", 9.0), Following(None), LayerShown(1, "energy", True), FeedTime(1, None),
          Muted(1, 2, True), Notice("throttled", "too many messages")]


@pytest.mark.parametrize("message", CLIENT, ids=lambda m: m.type)
def test_client_messages_round_trip(message):
    """Every client message decodes (server side) to what was encoded."""
    assert decode_client(encode(message)) == message


@pytest.mark.parametrize("message", SERVER, ids=lambda m: m.type)
def test_server_messages_round_trip(message):
    """Every server message decodes (client side) to what was encoded."""
    assert decode_server(encode(message)) == message


def bad(obj, limits=DEFAULT_LIMITS) -> MessageError:
    text = obj if isinstance(obj, str | bytes) else json.dumps(obj)
    with pytest.raises(MessageError) as info:
        decode_client(text, limits)
    return info.value


@pytest.mark.parametrize("obj", [
    {"type": "pose", "p": [float("nan"), 0, 0], "h": 0},
    '{"type": "pose", "p": [NaN, 0, 0], "h": 0}',
    '{"type": "pose", "p": [1, 2, 3], "h": Infinity}',
    {"type": "pose", "p": [1e9, 0, 0], "h": 0},
    {"type": "pose", "p": [1, 2], "h": 0},
    {"type": "pose", "p": [1, 2, True], "h": 0},
    {"type": "pose", "p": [1, 2, 3], "h": "north"},
    {"type": "pose", "p": [1, 2, 3], "h": 0, "pi": 120},
    {"type": "pointer", "target": [1, 2, "x"]},
    {"type": "chat", "text": ""},
    {"type": "chat", "text": "\n\u200b\u202e"},
    {"type": "chat", "text": 5},
    {"type": "layer", "name": "../x", "visible": True},
    {"type": "mute", "target": 0},
    {"type": "mute", "target": 1.5},
    {"type": "remove", "target": -3},
    {"type": "feed_time", "time": "now"},
    {"type": "welcome", "you": 1},
    {"type": "admin"},
    [1, 2, 3],
    "not json",
    '{"type": "chat", "text": "\\ud800"}',
])
def test_malformed_client_messages_are_refused(obj):
    """NaN and infinite numbers, absurd coordinates, wrong types, empty text, unknown types are refused."""
    bad(obj)


@pytest.mark.parametrize("field, value", [("from", 7), ("room", "other"), ("role", "host"), ("id", 1)])
def test_claimed_identity_fields_are_refused(field, value):
    """A client message that claims a sender, room, role or id does not parse (the server stamps those)."""
    assert field in bad({"type": "chat", "text": "hi", field: value}).reason


def test_oversize_messages_are_refused_before_parsing():
    """A message above max_message_bytes is refused as too large, by characters or by UTF-8 bytes."""
    limits = MeetingLimits(max_message_bytes=100)
    assert isinstance(bad({"type": "chat", "text": "x" * 200}, limits), MessageTooLarge)
    assert isinstance(bad({"type": "chat", "text": "é" * 45}, limits), MessageTooLarge)


def test_long_chat_text_is_refused():
    """A chat line longer than max_chat_chars is refused."""
    assert isinstance(bad({"type": "chat", "text": "x" * 501}), MessageTooLarge)


def test_binary_frames_and_deep_nesting_are_refused():
    """Binary frames are not part of the protocol; absurd nesting is a MessageError, not a RecursionError."""
    bad(b'{"type": "chat", "text": "hi"}')
    bad("[" * 2000 + "]" * 2000, MeetingLimits(max_message_bytes=10_000))


def test_headings_are_wrapped_and_chat_cleaned():
    """Headings come back in [-180, 180); chat text loses control characters and runs of spaces."""
    assert decode_client(json.dumps({"type": "pose", "p": [0, 0, 0], "h": 540})).pose.heading == -180.0
    assert decode_client(json.dumps({"type": "chat", "text": " a\n\tb  c "})).text == "a b c"


def test_pose_defaults_eye_above_the_feet():
    """A pose without an eye puts the camera 1.65 m above the feet, level."""
    pose = decode_client(json.dumps({"type": "pose", "p": [1, 2, 3], "h": 0})).pose
    assert pose.eye == (1.0, 2.0, 4.65) and pose.pitch == 0.0


def test_client_reader_refuses_server_messages_and_vice_versa():
    """A client cannot send a 'welcome' or 'presence'; a server's 'pose' is not a client message."""
    bad(encode(Presence(1, POSE)))
    with pytest.raises(MessageError):
        decode_server(encode(PoseUpdate(POSE)))


@pytest.mark.parametrize("obj", [
    {"type": "presence", "from": 0, "p": [0, 0, 0], "h": 0},
    {"type": "state", "participants": [{"id": 1, "name": "A", "role": "king"}]},
    {"type": "state", "participants": "all"},
    {"type": "welcome", "v": 2, "you": 1, "name": "A", "role": "host", "room": "r", "resumed": False},
    {"type": "notice", "code": "rm -rf", "reason": "x"},
])
def test_client_refuses_malformed_server_messages(obj):
    """The client validates the server too: bad ids, roles, versions and codes are MessageErrors."""
    with pytest.raises(MessageError):
        decode_server(json.dumps(obj))


JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
                       max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["pose", "pointer", "chat", "follow", "layer", "feed_time", "mute", "remove"]),
       st.dictionaries(st.sampled_from(["p", "h", "e", "pi", "t", "target", "origin", "text", "on", "name",
                                        "visible", "time", "muted", "from"]), JSONISH, max_size=5))
def test_random_client_messages_decode_or_raise_message_error(kind, fields):
    """Any JSON with a known type either decodes or raises MessageError; never another exception."""
    text = json.dumps({"type": kind, **fields})
    try:
        decode_client(text)
    except MessageError as exc:
        assert "internal error" not in exc.reason


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(list({m.type for m in SERVER})), JSONISH)
def test_random_server_messages_decode_or_raise_message_error(kind, body):
    """Any JSON with a known server type either decodes or raises MessageError (never an internal error)."""
    obj = {"type": kind, **body} if isinstance(body, dict) else {"type": kind, "participants": body}
    try:
        decode_server(json.dumps(obj))
    except MessageError as exc:
        assert "internal error" not in exc.reason
