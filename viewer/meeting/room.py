"""The state of one room, as the server holds it: participants, chat history, follow-me, shared layers,
shared feed time and lasting pins.

Rules:
1. A room knows nothing about connections; it is data the hub (hub.py) changes and reads. Participants
   are kept in joining order, so everyone lists them the same way.
2. Everything here was validated on the way in (codec.py) and stamped by the hub: ids come from the
   server's counter, names and roles from the verified token.
3. `state()` is the whole room as a RoomState: what a joiner or a client that fell behind receives, so
   it must hold everything the room's events changed (poses, pointers, mutes, follow, layers, chat, pins).
4. Pins outlive their author's connection (messages.py rule 5); each remembers its author's token (jti),
   the identity that may remove it besides a host. Pin ids come from a room counter that never repeats.
"""

from __future__ import annotations

from dataclasses import dataclass

from viewer.meeting.history import ChatHistory
from viewer.meeting.messages import MeetingLimits, ParticipantInfo, Pose, Ray, RoomPin, RoomState


@dataclass
class Participant:
    """One person in a room: server-assigned id, name and role from the token, its token id (jti) and
    expiry, whether a host muted its chat, its last pose and pointer."""

    id: int
    name: str
    role: str
    jti: str
    exp: float
    muted: bool = False
    pose: Pose | None = None
    pointer: Ray | None = None

    def info(self) -> ParticipantInfo:
        return ParticipantInfo(self.id, self.name, self.role, self.muted, self.pose, self.pointer)


@dataclass(frozen=True)
class Reservation:
    """A participant that lost its connection: its id is kept for its token (jti) until `until`, in `room`,
    with its mute, so reconnecting resumes the same identity and cannot shed a mute."""

    id: int
    room: str
    until: float
    muted: bool


class Room:
    """One room's state (rules 1-3)."""

    def __init__(self, name: str, limits: MeetingLimits) -> None:
        self.name = name
        self.limits = limits
        self.participants: dict[int, Participant] = {}
        self.chat = ChatHistory(limits.chat_history)
        self.follow: int | None = None  # the host everyone's camera follows
        self.layers: dict[str, bool] = {}
        self.feed_time: float | None = None  # None: live
        self.log: str | None = None  # the name of the log this room is being recorded to (None: not recording)
        self.pins: dict[int, RoomPin] = {}  # rule 4, in the order dropped
        self.pin_authors: dict[int, str] = {}  # pin id -> its author's jti
        self._next_pin = 1

    @property
    def full(self) -> bool:
        return len(self.participants) >= self.limits.max_participants

    def state(self) -> RoomState:
        return RoomState(tuple(p.info() for p in self.participants.values()), self.chat.recent(), self.follow,
                         tuple(self.layers.items()), self.feed_time, self.log is not None,
                         tuple(self.pins.values()))

    def add_pin(self, author: Participant, position: tuple[float, float, float], note: str, obj: str,
                now: float) -> RoomPin:
        """A new pin by `author` (rule 4); the caller checked the limits."""
        pin = RoomPin(self._next_pin, author.id, author.name, position, note, obj, now)
        self._next_pin += 1
        self.pins[pin.id] = pin
        self.pin_authors[pin.id] = author.jti
        return pin

    def remove_pin(self, pin: int) -> None:
        self.pins.pop(pin, None)
        self.pin_authors.pop(pin, None)

    def pins_of(self, jti: str) -> int:
        """How many of the room's pins the token `jti` dropped."""
        return sum(1 for author in self.pin_authors.values() if author == jti)

    def by_jti(self, jti: str) -> Participant | None:
        return next((p for p in self.participants.values() if p.jti == jti), None)
