"""The messages of a meeting session, protocol version 1, as plain immutable values (docs/meetings.md has
the wire form; codec.py reads and writes it).

Rules:
1. Client messages say what the sender wants; they never say who the sender is. Server messages that
   relay something carry `sender`, stamped by the server from the connection's token (wire key "from").
2. Positions are local metres (x east, y north, z up), angles degrees in Panda3D's convention (heading 0
   looks north, positive turns left; pitch positive looks up), times seconds. All finite (fields.py).
3. A Pose is where the avatar's feet are and which way it faces, plus where that participant's camera is
   (eye, heading, pitch): the avatar shows the first, follow-me uses the second.
4. MeetingLimits holds every bound a server enforces; the server announces them in its welcome.
5. Pins are the room's lasting annotations (docs/meetings.md, "Pins"): unlike a pointer, a pin stays after
   its author stops pointing or leaves, is in every RoomState a joiner gets, and goes only when its author
   (the same token) or a host removes it, or when the room itself ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from viewer.meeting.fields import Vec3

PROTOCOL_VERSION = 1


@dataclass(frozen=True)
class MeetingLimits:
    """Explicit bounds. Bytes of one client message; characters of a chat line; chat lines kept for late
    joiners; participants per room; rooms per server; shared layers per room; messages queued for one
    client before its queue gives way to a fresh room state; seconds of silence before a participant is
    dropped; seconds a lost participant's id stays reserved for its token; bytes of one server message."""

    max_message_bytes: int = 4096
    max_chat_chars: int = 500
    chat_history: int = 50
    max_participants: int = 32
    max_rooms: int = 256
    max_layers: int = 32
    max_backlog: int = 256
    presence_timeout: float = 5.0
    resume_grace: float = 30.0
    max_server_message_bytes: int = 1 << 20
    max_pins: int = 200  # lasting pins in one room (rule 5)
    max_pins_each: int = 50  # pins of one author (token) in one room
    max_pin_note: int = 200  # characters of a pin's note (as nav/pins.py MAX_NOTE)

    def announce(self) -> dict[str, float]:
        """What a client needs to know, for the welcome."""
        return {"max_message_bytes": self.max_message_bytes, "max_chat_chars": self.max_chat_chars,
                "max_participants": self.max_participants, "presence_timeout": self.presence_timeout,
                "max_pins": self.max_pins, "max_pin_note": self.max_pin_note}


DEFAULT_LIMITS = MeetingLimits()


@dataclass(frozen=True)
class Pose:
    """Feet position, body heading; camera eye position and pitch (rule 3). `time`: the sender's clock."""

    position: Vec3
    heading: float
    eye: Vec3
    pitch: float = 0.0
    time: float = 0.0


@dataclass(frozen=True)
class Ray:
    """A pointer: from `origin` (the pointing participant's eye) to `target`, the picked world point."""

    origin: Vec3
    target: Vec3


# ---------------------------------------------------------------------------- client -> server


@dataclass(frozen=True)
class PoseUpdate:
    type: ClassVar[str] = "pose"
    pose: Pose


@dataclass(frozen=True)
class PointAt:
    """Point at `target` (None: stop pointing); origin defaults to the sender's eye."""

    type: ClassVar[str] = "pointer"
    target: Vec3 | None
    origin: Vec3 | None = None


@dataclass(frozen=True)
class Say:
    type: ClassVar[str] = "chat"
    text: str


@dataclass(frozen=True)
class FollowMe:
    type: ClassVar[str] = "follow"
    on: bool


@dataclass(frozen=True)
class SetLayer:
    type: ClassVar[str] = "layer"
    name: str
    visible: bool


@dataclass(frozen=True)
class SetFeedTime:
    """Shared feed time in seconds since the Unix epoch, or None for live."""

    type: ClassVar[str] = "feed_time"
    time: float | None


@dataclass(frozen=True)
class Mute:
    type: ClassVar[str] = "mute"
    target: int
    muted: bool = True


@dataclass(frozen=True)
class Remove:
    type: ClassVar[str] = "remove"
    target: int


@dataclass(frozen=True)
class SetRecording:
    """Host: start (on) or stop recording the room to a log on the server. `feed`: the feed the host's window
    follows (a recording's path or a URL), kept in the log so a replay can find it."""

    type: ClassVar[str] = "record"
    on: bool
    feed: str | None = None


@dataclass(frozen=True)
class DropPin:
    """Leave a lasting pin at `position` (rule 5) with a short `note` ("" for none) on `object` (the id of the
    object it was dropped on, "" for the ground)."""

    type: ClassVar[str] = "pin"
    position: Vec3
    note: str = ""
    object: str = ""


@dataclass(frozen=True)
class Unpin:
    """Remove the room's pin `pin` (its author's token or a host only)."""

    type: ClassVar[str] = "unpin"
    pin: int


ClientMessage = (PoseUpdate | PointAt | Say | FollowMe | SetLayer | SetFeedTime | Mute | Remove | SetRecording
                 | DropPin | Unpin)


# ---------------------------------------------------------------------------- server -> client


@dataclass(frozen=True)
class ParticipantInfo:
    """One participant as everyone sees it."""

    id: int
    name: str
    role: str
    muted: bool = False
    pose: Pose | None = None
    pointer: Ray | None = None


@dataclass(frozen=True)
class ChatLine:
    """A chat message as the server stamped it: room-wide sequence number, sender id and name, time."""

    type: ClassVar[str] = "chat"
    seq: int
    sender: int
    name: str
    text: str
    time: float


@dataclass(frozen=True)
class RoomPin:
    """A lasting pin as the room holds it (rule 5): room-wide id, the author's participant id and name (the
    server's stamp), where, the note and object, and the server time it was dropped."""

    type: ClassVar[str] = "pin"
    id: int
    sender: int
    name: str
    position: Vec3
    note: str
    object: str
    time: float


@dataclass(frozen=True)
class PinRemoved:
    """Pin `pin` is gone for everyone; `sender`: who removed it (its author or a host)."""

    type: ClassVar[str] = "unpin"
    pin: int
    sender: int


@dataclass(frozen=True)
class Welcome:
    """First message of a connection: who you are here. `resumed`: the same id as before a reconnect."""

    type: ClassVar[str] = "welcome"
    you: int
    name: str
    role: str
    room: str
    resumed: bool
    limits: dict[str, float] = field(default_factory=dict)
    v: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class RoomState:
    """The whole room: sent after the welcome and whenever a client fell too far behind."""

    type: ClassVar[str] = "state"
    participants: tuple[ParticipantInfo, ...]
    chat: tuple[ChatLine, ...] = ()
    follow: int | None = None
    layers: tuple[tuple[str, bool], ...] = ()
    feed_time: float | None = None
    recording: bool = False
    pins: tuple[RoomPin, ...] = ()


@dataclass(frozen=True)
class Joined:
    type: ClassVar[str] = "joined"
    participant: ParticipantInfo
    resumed: bool = False


@dataclass(frozen=True)
class Left:
    type: ClassVar[str] = "left"
    id: int
    reason: str


@dataclass(frozen=True)
class Presence:
    type: ClassVar[str] = "presence"
    sender: int
    pose: Pose


@dataclass(frozen=True)
class Pointer:
    """A participant's pointer (ray None: it stopped pointing)."""

    type: ClassVar[str] = "pointer"
    sender: int
    ray: Ray | None


@dataclass(frozen=True)
class Following:
    """Everyone follows participant `host`'s camera (None: nobody is followed)."""

    type: ClassVar[str] = "follow"
    host: int | None


@dataclass(frozen=True)
class LayerShown:
    type: ClassVar[str] = "layer"
    sender: int
    name: str
    visible: bool


@dataclass(frozen=True)
class FeedTime:
    type: ClassVar[str] = "feed_time"
    sender: int
    time: float | None


@dataclass(frozen=True)
class Muted:
    type: ClassVar[str] = "muted"
    sender: int
    target: int
    muted: bool


@dataclass(frozen=True)
class Recording:
    """The room is being recorded (on) or no longer is; `sender`: the host who asked."""

    type: ClassVar[str] = "record"
    sender: int
    on: bool


@dataclass(frozen=True)
class Notice:
    """Something this client sent was refused (code: invalid, oversize, throttled, forbidden, muted,
    target, record: recording cannot start) or is about to happen to it (removed, replaced, timeout)."""

    type: ClassVar[str] = "notice"
    code: str
    reason: str


ServerMessage = (Welcome | RoomState | Joined | Left | Presence | Pointer | ChatLine | Following | LayerShown
                 | FeedTime | Muted | Recording | Notice | RoomPin | PinRemoved)
NOTICE_CODES = ("invalid", "oversize", "throttled", "forbidden", "muted", "target", "removed", "replaced",
                "timeout", "record")
