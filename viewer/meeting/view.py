"""RoomView: a room as one client sees it, built only from what the server sent.

Rules:
1. `apply(message, now)` is the only way in; APPLY maps each server message type to its method, and each
   returns the set of aspects it changed (CHANGES), so a renderer redraws only those.
2. A RoomState replaces everything (members, chat, follow, layers, feed time): it is what a joiner gets
   and what a client that fell behind gets, so nothing from before it may linger. Pose tracks of members
   still present are kept (no glitch when a state arrives mid-walk).
3. Messages about participants the view does not know (a presence before its join) are ignored; the next
   state heals the view. My own presence is never a member: I am `me`, drawn by the local navigation.
4. Chat lines are kept once, in sequence order (a line at or below the last seq seen is a repeat); the
   history is bounded.
5. Pure: `now` is the local arrival time (seconds) used for interpolation (interp.py).
6. Pins are the room's (messages.py rule 5): a RoomState brings all of them, `pin` adds one, `unpin`
   removes one; they do not depend on their author still being a member.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from viewer.meeting.interp import DELAY, PoseTrack
from viewer.meeting.messages import (
    ChatLine,
    FeedTime,
    Following,
    Joined,
    LayerShown,
    Left,
    Muted,
    Notice,
    ParticipantInfo,
    PinRemoved,
    Pointer,
    Pose,
    Presence,
    Ray,
    Recording,
    RoomPin,
    RoomState,
    ServerMessage,
    Welcome,
)
from viewer.meeting.roles import HOST

CHANGES = ("you", "members", "poses", "pointers", "chat", "follow", "layers", "feed_time", "notice", "recording",
           "pins")
CHAT_KEPT = 200


@dataclass
class Member:
    """Another participant: what the server said about it, and its recent poses."""

    info: ParticipantInfo
    track: PoseTrack = field(default_factory=PoseTrack)

    @property
    def pointer(self) -> Ray | None:
        return self.info.pointer


class RoomView:
    """One client's picture of its room (rules 1-5)."""

    def __init__(self, delay: float = DELAY) -> None:
        self.delay = delay
        self.welcome: Welcome | None = None
        self.members: dict[int, Member] = {}
        self.chat: deque[ChatLine] = deque(maxlen=CHAT_KEPT)
        self.follow: int | None = None
        self.layers: dict[str, bool] = {}
        self.feed_time: float | None = None
        self.notices: deque[Notice] = deque(maxlen=8)
        self.muted = False  # a host muted my chat
        self.recording = False  # a host is recording the room (the server's log)
        self.pins: dict[int, RoomPin] = {}  # rule 6, by pin id in the order dropped
        self._last_chat = 0

    @property
    def me(self) -> int | None:
        return self.welcome.you if self.welcome is not None else None

    @property
    def is_host(self) -> bool:
        return self.welcome is not None and self.welcome.role == HOST

    def apply(self, message: ServerMessage, now: float) -> set[str]:
        """Change the view by one server message; the aspects that changed."""
        return APPLY[type(message)](self, message, now)

    def pose_at(self, member: int, now: float) -> Pose | None:
        """A member's interpolated pose for drawing at local time `now` (None when unknown)."""
        found = self.members.get(member)
        return None if found is None else found.track.sample(now - self.delay)

    def state(self) -> RoomState:
        """The view as a RoomState (me included), to hand a fresh copy to another thread."""
        people = [m.info if m.track.latest is None else replace(m.info, pose=m.track.latest)
                  for m in self.members.values()]
        if self.welcome is not None:
            w = self.welcome
            people.insert(0, ParticipantInfo(w.you, w.name, w.role, self.muted))
        return RoomState(tuple(people), tuple(self.chat), self.follow, tuple(self.layers.items()), self.feed_time,
                         self.recording, tuple(self.pins.values()))

    def may_unpin(self, pin: RoomPin) -> bool:
        """Whether the server would let me remove `pin`: a host, or its author as far as this view knows (the
        server decides by token, so an author who rejoined under a new id is refused here but not there)."""
        return self.is_host or pin.sender == self.me

    def find(self, text: str) -> list[int]:
        """Members matching `text`: "#12" by id, else a name (case-insensitive: exact matches, else prefixes)."""
        if text.startswith("#") and text[1:].isdigit():
            return [int(text[1:])] if int(text[1:]) in self.members else []
        key = text.casefold()
        exact = [i for i, m in self.members.items() if m.info.name.casefold() == key]
        return exact or [i for i, m in self.members.items() if m.info.name.casefold().startswith(key)]

    # ------------------------------------------------------------------ APPLY

    def _welcome(self, m: Welcome, now: float) -> set[str]:
        self.welcome = m
        self.members.pop(m.you, None)
        return {"you", "members"}

    def _state(self, m: RoomState, now: float) -> set[str]:
        old, self.members = self.members, {}
        for info in m.participants:
            if info.id == self.me:
                self.muted = info.muted
                continue
            member = old.get(info.id) or Member(info)
            member.info = info
            if info.pose is not None and member.track.latest != info.pose:
                member.track.add(now, info.pose)
            self.members[info.id] = member
        self.chat.clear()
        self.chat.extend(sorted(m.chat, key=lambda line: line.seq))
        self._last_chat = max((line.seq for line in m.chat), default=0)
        self.follow, self.layers, self.feed_time = m.follow, dict(m.layers), m.feed_time
        self.pins = {pin.id: pin for pin in m.pins}
        changed = {"members", "poses", "pointers", "chat", "follow", "layers", "feed_time", "pins"}
        if m.recording != self.recording:
            self.recording = m.recording
            changed.add("recording")
        return changed

    def _joined(self, m: Joined, now: float) -> set[str]:
        info = m.participant
        if info.id == self.me:
            return set()
        member = self.members.get(info.id) or Member(info)
        member.info = info
        if info.pose is not None:
            member.track.add(now, info.pose)
        self.members[info.id] = member
        return {"members", "poses", "pointers"}

    def _left(self, m: Left, now: float) -> set[str]:
        gone = self.members.pop(m.id, None)
        return {"members", "pointers"} if gone is not None else set()

    def _presence(self, m: Presence, now: float) -> set[str]:
        member = self.members.get(m.sender)
        if member is None:
            return set()
        member.track.add(now, m.pose)
        return {"poses"}

    def _pointer(self, m: Pointer, now: float) -> set[str]:
        member = self.members.get(m.sender)
        if member is None:
            return set()
        member.info = replace(member.info, pointer=m.ray)
        return {"pointers"}

    def _chat(self, m: ChatLine, now: float) -> set[str]:
        if m.seq <= self._last_chat:
            return set()
        self._last_chat = m.seq
        self.chat.append(m)
        return {"chat"}

    def _following(self, m: Following, now: float) -> set[str]:
        self.follow = m.host
        return {"follow"}

    def _layer(self, m: LayerShown, now: float) -> set[str]:
        self.layers[m.name] = m.visible
        return {"layers"}

    def _feed_time(self, m: FeedTime, now: float) -> set[str]:
        self.feed_time = m.time
        return {"feed_time"}

    def _muted(self, m: Muted, now: float) -> set[str]:
        member = self.members.get(m.target)
        if member is not None:
            member.info = replace(member.info, muted=m.muted)
        elif m.target == self.me and self.welcome is not None:
            self.muted = m.muted
            self.notices.append(Notice("muted", "a host muted your chat" if m.muted else "a host unmuted your chat"))
            return {"notice"}
        return {"members"}

    def _recording(self, m: Recording, now: float) -> set[str]:
        self.recording = m.on
        return {"recording"}

    def _pin(self, m: RoomPin, now: float) -> set[str]:
        self.pins[m.id] = m
        return {"pins"}

    def _unpin(self, m: PinRemoved, now: float) -> set[str]:
        return {"pins"} if self.pins.pop(m.pin, None) is not None else set()

    def _notice(self, m: Notice, now: float) -> set[str]:
        self.notices.append(m)
        return {"notice"}


APPLY: dict[type, Callable[[RoomView, Any, float], set[str]]] = {
    Welcome: RoomView._welcome, RoomState: RoomView._state, Joined: RoomView._joined, Left: RoomView._left,
    Presence: RoomView._presence, Pointer: RoomView._pointer, ChatLine: RoomView._chat,
    Following: RoomView._following, LayerShown: RoomView._layer, FeedTime: RoomView._feed_time,
    Muted: RoomView._muted, Recording: RoomView._recording, Notice: RoomView._notice, RoomPin: RoomView._pin,
    PinRemoved: RoomView._unpin,
}
