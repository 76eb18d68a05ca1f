"""Encode and decode meeting messages: one JSON object per websocket text message (docs/meetings.md).

Rules:
1. decode_* trusts nothing, in this order: frame kind (text only), size (before UTF-8 encoding or
   parsing), JSON syntax (orjson: strict RFC 8259, NaN/Infinity tokens and lone surrogates refused, depth
   bounded), then every field by exact type and range (fields.py), unknown fields refused. Any failure is a
   MessageError (MessageTooLarge for limits) naming the peer; no other exception escapes.
2. CLIENT_READERS and SERVER_READERS map a wire "type" to its reader, WRITERS a message class to its
   writer: a new message is one entry in each table, never a branch. The two directions share type names
   ("chat", "pointer", ...) with different fields, so each direction has its own reader table.
3. A server reads client messages and a client reads server messages; neither accepts the other's.
4. Batches (docs/meetings.md "Batches"): a client that asked for them (BATCH_QUERY in its handshake URL) may get
   `{"type":"batch","items":[...]}` holding presence and pointer messages only, in order, each checked as if it
   had come alone. decode_server_batch reads either form; decode_server keeps refusing "batch" (a client that
   did not ask must never see one). batch_text builds one from already encoded items without parsing them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from viewer.meeting.errors import MessageError
from viewer.meeting.fields import (
    as_heading,
    as_id,
    as_layer,
    as_optional_id,
    as_optional_point,
    as_point,
    as_room,
    clean_text,
    only_keys,
)
from viewer.meeting.messages import (
    DEFAULT_LIMITS,
    NOTICE_CODES,
    PROTOCOL_VERSION,
    ChatLine,
    ClientMessage,
    DropPin,
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
    PinRemoved,
    PointAt,
    Pointer,
    Pose,
    PoseUpdate,
    Presence,
    Ray,
    Recording,
    Remove,
    RoomPin,
    RoomState,
    Say,
    ServerMessage,
    SetFeedTime,
    SetLayer,
    SetRecording,
    Unpin,
    Welcome,
)
from viewer.meeting.roles import ROLES
from viewer.meeting.tokens import MAX_NAME_CHARS
from viewer.wire import as_bool, as_dict, as_list, as_number, as_str, decode_guarded, field, utf8_within

MAX_REASON = 200  # characters of a notice or leave reason
MAX_TIME = 1.0e10  # seconds: feed and chat times are Unix seconds, far below this
MAX_FEED_REF = 300  # characters of the feed reference a host's record message may carry
MAX_OBJECT_ID = 200  # characters of the object id a pin names
_POSE_KEYS = frozenset({"p", "h", "e", "pi", "t"})
Reader = Callable[[dict[str, Any], MeetingLimits], Any]
BATCH_QUERY = "batch=1"  # rule 4: what a client adds to its URL's query to ask for batches
BATCH_TYPES = frozenset({"presence", "pointer"})
MAX_BATCH = 256  # items in one batch message (a server sends far fewer: session.py MAX_BATCH_ITEMS)


def encode(message: ClientMessage | ServerMessage) -> str:
    """The wire form (JSON text) of a client or server message."""
    return orjson.dumps(WRITERS[type(message)](message)).decode()


def decode_client(data: bytes | str, limits: MeetingLimits = DEFAULT_LIMITS, peer: str = "client") -> ClientMessage:
    """A client message from the wire (server side); MessageError for anything it cannot trust."""
    return _decode(data, limits, limits.max_message_bytes, CLIENT_READERS, peer)


def decode_server(data: bytes | str, limits: MeetingLimits = DEFAULT_LIMITS, peer: str = "server") -> ServerMessage:
    """A server message from the wire (client side); MessageError for anything it cannot trust."""
    return _decode(data, limits, limits.max_server_message_bytes, SERVER_READERS, peer)


def decode_server_batch(data: bytes | str, limits: MeetingLimits = DEFAULT_LIMITS,
                        peer: str = "server") -> list[ServerMessage]:
    """The server messages of one wire message (rule 4): a batch's items, or the one message it is."""
    return decode_guarded(lambda: _read_batch(data, limits), peer)


def batch_text(items: list[str]) -> str:
    """One batch message holding `items`, each already the JSON text of a presence or pointer (rule 4)."""
    return '{"type":"batch","items":[' + ",".join(items) + "]}"


def _read_batch(data: Any, limits: MeetingLimits) -> list[ServerMessage]:
    if not isinstance(data, str):
        raise MessageError("meeting messages are JSON text; binary frames are refused")
    try:
        obj = orjson.loads(utf8_within(data, limits.max_server_message_bytes))
    except orjson.JSONDecodeError as exc:
        raise MessageError(f"malformed JSON: {exc.msg}") from None
    if not isinstance(obj, dict) or obj.get("type") != "batch":
        return [_dispatch(obj, limits, SERVER_READERS)]
    only_keys(obj, frozenset({"type", "items"}), "batch")
    out: list[ServerMessage] = []
    for item in as_list(field(obj, "items", "batch"), "batch.items", MAX_BATCH):
        kind = as_dict(item, "batch.items[]").get("type")
        if kind not in BATCH_TYPES:
            raise MessageError(f"a batch holds presence and pointer messages only, not {str(kind)[:64]!r}")
        out.append(SERVER_READERS[str(kind)](item, limits))
    return out


def _decode(data: Any, limits: MeetingLimits, max_bytes: int, readers: dict[str, Reader], peer: str) -> Any:
    return decode_guarded(lambda: _read(data, limits, max_bytes, readers), peer)


def _read(data: Any, limits: MeetingLimits, max_bytes: int, readers: dict[str, Reader]) -> Any:
    if not isinstance(data, str):
        raise MessageError("meeting messages are JSON text; binary frames are refused")
    raw = utf8_within(data, max_bytes)
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise MessageError(f"malformed JSON: {exc.msg}") from None
    return _dispatch(obj, limits, readers)


def _dispatch(obj: Any, limits: MeetingLimits, readers: dict[str, Reader]) -> Any:
    obj = as_dict(obj, "a message")
    kind = obj.get("type")
    reader = readers.get(kind) if isinstance(kind, str) else None
    if reader is None:
        raise MessageError(f"unknown message type {str(kind)[:64]!r}")
    return reader(obj, limits)


def read_server_object(obj: Any, limits: MeetingLimits = DEFAULT_LIMITS) -> ServerMessage:
    """A server message from already parsed JSON (a meeting log's line, meeting/log.py), checked exactly as
    decode_server checks the wire; MessageError otherwise. The caller bounds the size of the text it parsed."""
    return decode_guarded(lambda: _dispatch(obj, limits, SERVER_READERS), "peer")


# ---------------------------------------------------------------------------- shared parts


def read_pose(obj: dict[str, Any], what: str) -> Pose:
    """A pose from "p", "h" and the optional "e" (default 1.65 m above p), "pi" (0) and "t" (0)."""
    position = as_point(field(obj, "p", what), f"{what}.p")
    eye = as_optional_point(obj.get("e"), f"{what}.e") or (position[0], position[1], position[2] + 1.65)
    pitch, time = obj.get("pi", 0.0), obj.get("t", 0.0)
    if not (type(pitch) is float and -90.0 <= pitch <= 90.0):  # the common case skips the general reader
        pitch = as_number(pitch, f"{what}.pi", -90.0, 90.0)
    if not (type(time) is float and -MAX_TIME <= time <= MAX_TIME):
        time = as_number(time, f"{what}.t", -MAX_TIME, MAX_TIME)
    return Pose(position, as_heading(field(obj, "h", what), f"{what}.h"), eye, pitch, time)


def write_pose(pose: Pose) -> dict[str, Any]:
    return {"p": list(pose.position), "h": pose.heading, "e": list(pose.eye), "pi": pose.pitch, "t": pose.time}


def _read_ray(value: Any, what: str) -> Ray | None:
    if value is None:
        return None
    obj = as_dict(value, what)
    only_keys(obj, frozenset({"origin", "target"}), what)
    return Ray(as_point(field(obj, "origin", what), f"{what}.origin"),
               as_point(field(obj, "target", what), f"{what}.target"))


def _write_ray(ray: Ray | None) -> dict[str, Any] | None:
    return None if ray is None else {"origin": list(ray.origin), "target": list(ray.target)}


def _read_participant(value: Any, what: str) -> ParticipantInfo:
    obj = as_dict(value, what)
    only_keys(obj, frozenset({"id", "name", "role", "muted", "pose", "pointer"}), what)
    pose = obj.get("pose")
    if pose is not None:
        only_keys(as_dict(pose, f"{what}.pose"), _POSE_KEYS, f"{what}.pose")
    role = field(obj, "role", what)
    if role not in ROLES:
        raise MessageError(f"{what}.role must be one of {', '.join(ROLES)}")
    return ParticipantInfo(as_id(field(obj, "id", what), f"{what}.id"),
                           clean_text(field(obj, "name", what), f"{what}.name", MAX_NAME_CHARS), str(role),
                           as_bool(obj.get("muted", False), f"{what}.muted"),
                           None if pose is None else read_pose(pose, f"{what}.pose"),
                           _read_ray(obj.get("pointer"), f"{what}.pointer"))


def _write_participant(p: ParticipantInfo) -> dict[str, Any]:
    return {"id": p.id, "name": p.name, "role": p.role, "muted": p.muted,
            "pose": None if p.pose is None else write_pose(p.pose), "pointer": _write_ray(p.pointer)}


def _optional_time(value: Any, what: str) -> float | None:
    return None if value is None else as_number(value, what, -MAX_TIME, MAX_TIME)


def _optional_text(value: Any, what: str, max_chars: int) -> str:
    """A pin's note or object: "" (or blank) for none, else cleaned text (fields.py rule 3)."""
    text = as_str(value, what, max_chars)
    return clean_text(text, what, max_chars) if text.strip() else ""


def _read_room_pin(value: Any, limits: MeetingLimits) -> RoomPin:
    obj = as_dict(value, "pin")
    only_keys(obj, frozenset({"type", "id", "from", "name", "p", "note", "object", "time"}), "pin")
    return RoomPin(as_id(field(obj, "id", "pin"), "pin.id"), as_id(field(obj, "from", "pin"), "pin.from"),
                   clean_text(field(obj, "name", "pin"), "pin.name", MAX_NAME_CHARS),
                   as_point(field(obj, "p", "pin"), "pin.p"),
                   _optional_text(obj.get("note", ""), "pin.note", limits.max_pin_note),
                   _optional_text(obj.get("object", ""), "pin.object", MAX_OBJECT_ID),
                   as_number(field(obj, "time", "pin"), "pin.time", -MAX_TIME, MAX_TIME))


def _write_room_pin(m: RoomPin) -> dict[str, Any]:
    return {"type": "pin", "id": m.id, "from": m.sender, "name": m.name, "p": list(m.position), "note": m.note,
            "object": m.object, "time": m.time}


# ---------------------------------------------------------------------------- client -> server


def _client(keys: str) -> Callable[[Reader], Reader]:
    """Wrap a client reader so fields beyond `keys` (plus "type") are refused first (no spoofed "from")."""
    allowed = frozenset({"type", *keys.split()})

    def wrap(reader: Reader) -> Reader:
        def checked(obj: dict[str, Any], limits: MeetingLimits) -> Any:
            only_keys(obj, allowed, str(obj["type"]))
            return reader(obj, limits)
        return checked
    return wrap


@_client("p h e pi t")
def _read_pose_update(obj: dict[str, Any], limits: MeetingLimits) -> PoseUpdate:
    return PoseUpdate(read_pose(obj, "pose"))


@_client("target origin")
def _read_point_at(obj: dict[str, Any], limits: MeetingLimits) -> PointAt:
    return PointAt(as_optional_point(field(obj, "target", "pointer"), "pointer.target"),
                   as_optional_point(obj.get("origin"), "pointer.origin"))


@_client("text")
def _read_say(obj: dict[str, Any], limits: MeetingLimits) -> Say:
    return Say(clean_text(field(obj, "text", "chat"), "chat.text", limits.max_chat_chars))


@_client("on")
def _read_follow_me(obj: dict[str, Any], limits: MeetingLimits) -> FollowMe:
    return FollowMe(as_bool(field(obj, "on", "follow"), "follow.on"))


@_client("name visible")
def _read_set_layer(obj: dict[str, Any], limits: MeetingLimits) -> SetLayer:
    return SetLayer(as_layer(field(obj, "name", "layer"), "layer.name"),
                    as_bool(field(obj, "visible", "layer"), "layer.visible"))


@_client("time")
def _read_set_feed_time(obj: dict[str, Any], limits: MeetingLimits) -> SetFeedTime:
    return SetFeedTime(_optional_time(field(obj, "time", "feed_time"), "feed_time.time"))


@_client("target muted")
def _read_mute(obj: dict[str, Any], limits: MeetingLimits) -> Mute:
    return Mute(as_id(field(obj, "target", "mute"), "mute.target"), as_bool(obj.get("muted", True), "mute.muted"))


@_client("target")
def _read_remove(obj: dict[str, Any], limits: MeetingLimits) -> Remove:
    return Remove(as_id(field(obj, "target", "remove"), "remove.target"))


@_client("on feed")
def _read_set_recording(obj: dict[str, Any], limits: MeetingLimits) -> SetRecording:
    feed = obj.get("feed")
    return SetRecording(as_bool(field(obj, "on", "record"), "record.on"),
                        None if feed is None else clean_text(feed, "record.feed", MAX_FEED_REF))


@_client("p note object")
def _read_drop_pin(obj: dict[str, Any], limits: MeetingLimits) -> DropPin:
    return DropPin(as_point(field(obj, "p", "pin"), "pin.p"),
                   _optional_text(obj.get("note", ""), "pin.note", limits.max_pin_note),
                   _optional_text(obj.get("object", ""), "pin.object", MAX_OBJECT_ID))


@_client("pin")
def _read_unpin(obj: dict[str, Any], limits: MeetingLimits) -> Unpin:
    return Unpin(as_id(field(obj, "pin", "unpin"), "unpin.pin"))


CLIENT_READERS: dict[str, Reader] = {
    "pose": _read_pose_update, "pointer": _read_point_at, "chat": _read_say, "follow": _read_follow_me,
    "layer": _read_set_layer, "feed_time": _read_set_feed_time, "mute": _read_mute, "remove": _read_remove,
    "record": _read_set_recording, "pin": _read_drop_pin, "unpin": _read_unpin,
}


# ---------------------------------------------------------------------------- server -> client


def _read_welcome(obj: dict[str, Any], limits: MeetingLimits) -> Welcome:
    v = field(obj, "v", "welcome")
    if v != PROTOCOL_VERSION or type(v) is not int:
        raise MessageError(f"the server speaks protocol version {str(v)[:16]}; this client speaks {PROTOCOL_VERSION}")
    role = field(obj, "role", "welcome")
    if role not in ROLES:
        raise MessageError(f"welcome.role must be one of {', '.join(ROLES)}")
    announced = as_dict(obj.get("limits", {}), "welcome.limits")
    as_list(list(announced), "welcome.limits", 32)
    return Welcome(as_id(field(obj, "you", "welcome"), "welcome.you"),
                   clean_text(field(obj, "name", "welcome"), "welcome.name", MAX_NAME_CHARS), str(role),
                   as_room(field(obj, "room", "welcome"), "welcome.room"),
                   as_bool(field(obj, "resumed", "welcome"), "welcome.resumed"),
                   {as_str(k, "welcome.limits key", 64): as_number(x, f"welcome.limits.{k[:32]}")
                    for k, x in announced.items()})


def _read_state(obj: dict[str, Any], limits: MeetingLimits) -> RoomState:
    people = as_list(field(obj, "participants", "state"), "state.participants", 4 * limits.max_participants)
    chat = as_list(obj.get("chat", []), "state.chat", 4 * limits.chat_history)
    layers = as_dict(obj.get("layers", {}), "state.layers")
    as_list(list(layers), "state.layers", 4 * limits.max_layers)
    pins = as_list(obj.get("pins", []), "state.pins", 4 * limits.max_pins)
    return RoomState(tuple(_read_participant(p, "state.participants[]") for p in people),
                     tuple(_read_chat_line(c, limits) for c in chat),
                     as_optional_id(obj.get("follow"), "state.follow"),
                     tuple((as_layer(k, "state.layers key"), as_bool(x, f"state.layers.{k[:32]}"))
                           for k, x in layers.items()),
                     _optional_time(obj.get("feed_time"), "state.feed_time"),
                     as_bool(obj.get("recording", False), "state.recording"),
                     tuple(_read_room_pin(p, limits) for p in pins))


def _read_joined(obj: dict[str, Any], limits: MeetingLimits) -> Joined:
    return Joined(_read_participant(field(obj, "participant", "joined"), "joined.participant"),
                  as_bool(obj.get("resumed", False), "joined.resumed"))


def _read_left(obj: dict[str, Any], limits: MeetingLimits) -> Left:
    return Left(as_id(field(obj, "id", "left"), "left.id"), clean_text(obj.get("reason", "left"), "left.reason", MAX_REASON))


def _read_presence(obj: dict[str, Any], limits: MeetingLimits) -> Presence:
    only_keys(obj, frozenset({"type", "from", *_POSE_KEYS}), "presence")
    return Presence(as_id(field(obj, "from", "presence"), "presence.from"), read_pose(obj, "presence"))


def _read_pointer(obj: dict[str, Any], limits: MeetingLimits) -> Pointer:
    sender = as_id(field(obj, "from", "pointer"), "pointer.from")
    target = as_optional_point(obj.get("target"), "pointer.target")
    origin = as_optional_point(obj.get("origin"), "pointer.origin")
    return Pointer(sender, None if target is None or origin is None else Ray(origin, target))


def _read_chat_line(value: Any, limits: MeetingLimits) -> ChatLine:
    obj = as_dict(value, "chat")
    return ChatLine(as_id(field(obj, "seq", "chat"), "chat.seq"), as_id(field(obj, "from", "chat"), "chat.from"),
                    clean_text(field(obj, "name", "chat"), "chat.name", MAX_NAME_CHARS),
                    clean_text(field(obj, "text", "chat"), "chat.text", limits.max_chat_chars),
                    as_number(field(obj, "time", "chat"), "chat.time", -MAX_TIME, MAX_TIME))


def _read_following(obj: dict[str, Any], limits: MeetingLimits) -> Following:
    return Following(as_optional_id(field(obj, "host", "follow"), "follow.host"))


def _read_layer_shown(obj: dict[str, Any], limits: MeetingLimits) -> LayerShown:
    return LayerShown(as_id(field(obj, "from", "layer"), "layer.from"), as_layer(field(obj, "name", "layer")),
                      as_bool(field(obj, "visible", "layer"), "layer.visible"))


def _read_feed_time(obj: dict[str, Any], limits: MeetingLimits) -> FeedTime:
    return FeedTime(as_id(field(obj, "from", "feed_time"), "feed_time.from"),
                    _optional_time(field(obj, "time", "feed_time"), "feed_time.time"))


def _read_muted(obj: dict[str, Any], limits: MeetingLimits) -> Muted:
    return Muted(as_id(field(obj, "from", "muted"), "muted.from"), as_id(field(obj, "target", "muted"), "muted.target"),
                 as_bool(field(obj, "muted", "muted"), "muted.muted"))


def _read_recording(obj: dict[str, Any], limits: MeetingLimits) -> Recording:
    return Recording(as_id(field(obj, "from", "record"), "record.from"), as_bool(field(obj, "on", "record"), "record.on"))


def _read_pin_removed(obj: dict[str, Any], limits: MeetingLimits) -> PinRemoved:
    return PinRemoved(as_id(field(obj, "pin", "unpin"), "unpin.pin"), as_id(field(obj, "from", "unpin"), "unpin.from"))


def _read_notice(obj: dict[str, Any], limits: MeetingLimits) -> Notice:
    code = field(obj, "code", "notice")
    if code not in NOTICE_CODES:
        raise MessageError(f"unknown notice code {str(code)[:32]!r}")
    return Notice(str(code), clean_text(field(obj, "reason", "notice"), "notice.reason", MAX_REASON))


SERVER_READERS: dict[str, Reader] = {
    "welcome": _read_welcome, "state": _read_state, "joined": _read_joined, "left": _read_left,
    "presence": _read_presence, "pointer": _read_pointer, "chat": _read_chat_line, "follow": _read_following,
    "layer": _read_layer_shown, "feed_time": _read_feed_time, "muted": _read_muted, "notice": _read_notice,
    "record": _read_recording, "pin": _read_room_pin, "unpin": _read_pin_removed,
}


# ---------------------------------------------------------------------------- writers


def _write_chat_line(m: ChatLine) -> dict[str, Any]:
    return {"type": "chat", "seq": m.seq, "from": m.sender, "name": m.name, "text": m.text, "time": m.time}


def _write_point_at(m: PointAt) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "pointer", "target": None if m.target is None else list(m.target)}
    if m.origin is not None:
        out["origin"] = list(m.origin)
    return out


def _write_state(m: RoomState) -> dict[str, Any]:
    return {"type": "state", "participants": [_write_participant(p) for p in m.participants],
            "chat": [_write_chat_line(c) for c in m.chat], "follow": m.follow, "layers": dict(m.layers),
            "feed_time": m.feed_time, "recording": m.recording,
            **({"pins": [_write_room_pin(p) for p in m.pins]} if m.pins else {})}  # no key: older readers


WRITERS: dict[type, Callable[[Any], dict[str, Any]]] = {
    PoseUpdate: lambda m: {"type": "pose", **write_pose(m.pose)},
    PointAt: _write_point_at,
    Say: lambda m: {"type": "chat", "text": m.text},
    FollowMe: lambda m: {"type": "follow", "on": m.on},
    SetLayer: lambda m: {"type": "layer", "name": m.name, "visible": m.visible},
    SetFeedTime: lambda m: {"type": "feed_time", "time": m.time},
    Mute: lambda m: {"type": "mute", "target": m.target, "muted": m.muted},
    Remove: lambda m: {"type": "remove", "target": m.target},
    SetRecording: lambda m: {"type": "record", "on": m.on, **({"feed": m.feed} if m.feed is not None else {})},
    Welcome: lambda m: {"type": "welcome", "v": m.v, "you": m.you, "name": m.name, "role": m.role, "room": m.room,
                        "resumed": m.resumed, "limits": m.limits},
    RoomState: _write_state,
    Joined: lambda m: {"type": "joined", "participant": _write_participant(m.participant), "resumed": m.resumed},
    Left: lambda m: {"type": "left", "id": m.id, "reason": m.reason},
    Presence: lambda m: {"type": "presence", "from": m.sender, **write_pose(m.pose)},
    Pointer: lambda m: {"type": "pointer", "from": m.sender, **(_write_ray(m.ray) or {"origin": None, "target": None})},
    ChatLine: _write_chat_line,
    Following: lambda m: {"type": "follow", "host": m.host},
    LayerShown: lambda m: {"type": "layer", "from": m.sender, "name": m.name, "visible": m.visible},
    FeedTime: lambda m: {"type": "feed_time", "from": m.sender, "time": m.time},
    Muted: lambda m: {"type": "muted", "from": m.sender, "target": m.target, "muted": m.muted},
    Recording: lambda m: {"type": "record", "from": m.sender, "on": m.on},
    Notice: lambda m: {"type": "notice", "code": m.code, "reason": m.reason},
    DropPin: lambda m: {"type": "pin", "p": list(m.position), "note": m.note, "object": m.object},
    Unpin: lambda m: {"type": "unpin", "pin": m.pin},
    RoomPin: _write_room_pin,
    PinRemoved: lambda m: {"type": "unpin", "pin": m.pin, "from": m.sender},
}
