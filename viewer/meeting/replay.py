"""MeetingTimeline: a meeting log (log.py) as a function of time: who was there, where everyone stood and
looked, what they pointed at, said and showed, at any moment of the recording.

    timeline = MeetingTimeline(read_log(path))
    timeline.pose_at(pid, t)        a participant's pose at server time t (None when absent)
    timeline.moment(t)              the room at t: members with poses and pointers, chat so far, layers, ...
    timeline.find(name)             a participant id from a name or "#id" (ValueError naming the choices)
    timeline.feed_at(t)             the time the room's feed showed at t

Rules:
1. Poses: each participant's logged poses (the initial state's, joins' and every presence) in order.
   pose_at(pid, t) is exactly the logged pose at a logged time, linear in between (headings the short way,
   interp.lerp_pose), snapping over a jump longer than SNAP_DISTANCE (a bookmark) as the window does, held
   after the last one while the participant is present; None before its first pose and while absent.
   Sampling is a binary search over a numpy array of times: cheap at any t, forwards or backwards.
2. Everything else (joins, leaves, pointers, chat, follow, layers, feed time, mutes, recording, pins) is a short
   list of events; moment(t) applies those at or before t to the initial state, continuing from the last
   moment when time moves forward and starting again when it moves back (a seek).
3. The feed clock: while the room is live (no shared feed time) the feed showed the server's time t;
   after a host set feed time F at server time s, it showed F + (t - s) (the window seeks its recording to
   F and plays on). feed_at is that, for a replay or a video to put the feed in lock-step.
4. Times are server times (Unix seconds); `start` and `end` bound the recording. Pure: no I/O, no clock.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from viewer.meeting.interp import SNAP_DISTANCE, lerp_pose
from viewer.meeting.log import LogEntry, MeetingLog
from viewer.meeting.messages import (
    ChatLine,
    FeedTime,
    Following,
    Joined,
    LayerShown,
    Left,
    Muted,
    ParticipantInfo,
    PinRemoved,
    Pointer,
    Pose,
    Presence,
    Ray,
    Recording,
    RoomPin,
    RoomState,
)


@dataclass
class Track:
    """One participant's logged poses: times (n,) float64 server seconds, ascending; poses, n of them."""

    times: list[float] = field(default_factory=list)
    poses: list[Pose] = field(default_factory=list)
    _array: np.ndarray | None = None

    def add(self, t: float, pose: Pose) -> None:
        self.times.append(t)
        self.poses.append(pose)
        self._array = None

    def at(self, t: float) -> Pose | None:
        """The pose at t (rule 1): exact at a logged time, linear between, held after the last."""
        if self._array is None:
            self._array = np.asarray(self.times, np.float64)
        i = int(np.searchsorted(self._array, t, side="right")) - 1  # the last sample at or before t
        if i < 0:
            return None
        if i == len(self.poses) - 1 or self.times[i] == t:
            return self.poses[i]
        a, b, t0, t1 = self.poses[i], self.poses[i + 1], self.times[i], self.times[i + 1]
        if math.dist(a.position, b.position) > SNAP_DISTANCE:
            return a
        return lerp_pose(a, b, (t - t0) / (t1 - t0))


@dataclass(frozen=True)
class Stay:
    """One participant's time in the room: from `joined` to `left` (None: still there at the end)."""

    id: int
    name: str
    role: str
    joined: float
    left: float | None
    reason: str = ""


@dataclass
class Moment:
    """The room at server time `t` (rule 2). members: present participants (pointer, muted, role);
    chat: every line so far; layers: the shared visibility; feed_time: the shared feed time (None: live);
    pins: the room's pins standing at `t`, by id."""

    t: float
    members: dict[int, ParticipantInfo]
    chat: list[ChatLine]
    follow: int | None
    layers: dict[str, bool]
    feed_time: float | None
    feed_set_at: float
    recording: bool
    pins: dict[int, RoomPin] = field(default_factory=dict)


class MeetingTimeline:
    """A MeetingLog sampled at any time (rules 1-4)."""

    def __init__(self, log: MeetingLog) -> None:
        self.log = log
        self.start, self.end = log.start, max(log.end, log.start)
        self.tracks: dict[int, Track] = {}
        self.people: dict[int, ParticipantInfo] = {}  # everyone who was ever there, as last seen
        self.events: list[LogEntry] = []
        for info in log.initial.participants:
            self._person(info, log.start)
        for entry in log.entries:
            m = entry.message
            if isinstance(m, Presence):
                self.tracks.setdefault(m.sender, Track()).add(entry.t, m.pose)
                continue
            if isinstance(m, Joined):
                self._person(m.participant, entry.t)
            self.events.append(entry)
        self._times = [e.t for e in self.events]
        self._moment = self._initial()
        self._applied = 0

    def _person(self, info: ParticipantInfo, t: float) -> None:
        self.people[info.id] = replace(info, pose=None, pointer=None)
        if info.pose is not None:
            self.tracks.setdefault(info.id, Track()).add(t, info.pose)

    def _initial(self) -> Moment:
        s: RoomState = self.log.initial
        return Moment(self.start, {p.id: replace(p, pose=None) for p in s.participants}, list(s.chat), s.follow,
                      dict(s.layers), s.feed_time, self.start, s.recording, {p.id: p for p in s.pins})

    # ------------------------------------------------------------------ sampling

    @property
    def duration(self) -> float:
        return self.end - self.start

    def pose_at(self, pid: int, t: float) -> Pose | None:
        """Participant `pid`'s pose at t, or None when absent or before its first pose (rule 1)."""
        track = self.tracks.get(pid)
        if track is None or pid not in self.moment(t).members:
            return None
        return track.at(t)

    def moment(self, t: float) -> Moment:
        """The room at t (rule 2). The same object is updated in place by the next call: copy what you keep."""
        if t < self._moment.t:
            self._moment, self._applied = self._initial(), 0
        upto = bisect.bisect_right(self._times, t)
        for entry in self.events[self._applied:upto]:
            APPLY[type(entry.message)](self._moment, entry.message, entry.t)
        self._applied = max(self._applied, upto)
        self._moment.t = t
        return self._moment

    def feed_at(self, t: float) -> float:
        """The feed time the room showed at t (rule 3)."""
        m = self.moment(t)
        return t if m.feed_time is None else m.feed_time + (t - m.feed_set_at)

    # ------------------------------------------------------------------ questions

    def find(self, text: str) -> int:
        """The participant called `text` (or "#id"); ValueError naming who was there otherwise."""
        if text.startswith("#") and text[1:].isdigit() and int(text[1:]) in self.people:
            return int(text[1:])
        found = [pid for pid, p in self.people.items() if p.name.casefold() == text.casefold()]
        if len(found) == 1:
            return found[0]
        names = ", ".join(f"{p.name} (#{pid})" for pid, p in self.people.items()) or "nobody"
        if found:
            raise ValueError(f"{len(found)} participants are called {text!r}: use #id ({names})")
        raise ValueError(f"nobody called {text!r} was in the meeting (there were: {names})")

    def stays(self) -> list[Stay]:
        """Attendance: each participant's stays in the room, in order of arrival."""
        open_: dict[int, float] = {p.id: self.start for p in self.log.initial.participants}
        out: list[Stay] = []
        for entry in self.events:
            m = entry.message
            if isinstance(m, Joined) and m.participant.id not in open_:
                open_[m.participant.id] = entry.t
            elif isinstance(m, Left) and m.id in open_:
                out.append(self._stay(m.id, open_.pop(m.id), entry.t, m.reason))
        out += [self._stay(pid, t, None) for pid, t in open_.items()]
        return sorted(out, key=lambda s: (s.joined, s.id))

    def _stay(self, pid: int, joined: float, left: float | None, reason: str = "") -> Stay:
        p = self.people[pid]
        return Stay(pid, p.name, p.role, joined, left, reason)

    def pointings(self) -> list[tuple[float, int, Ray]]:
        """(server time, participant, ray) of every pointer set during the recording."""
        return [(e.t, e.message.sender, e.message.ray) for e in self.events
                if isinstance(e.message, Pointer) and e.message.ray is not None]

    def name(self, pid: int) -> str:
        p = self.people.get(pid)
        return p.name if p is not None else f"#{pid}"


# ---------------------------------------------------------------------------- APPLY (rule 2)


def _joined(m: Moment, msg: Joined, t: float) -> None:
    m.members[msg.participant.id] = replace(msg.participant, pose=None)


def _left(m: Moment, msg: Left, t: float) -> None:
    m.members.pop(msg.id, None)


def _pointer(m: Moment, msg: Pointer, t: float) -> None:
    if msg.sender in m.members:
        m.members[msg.sender] = replace(m.members[msg.sender], pointer=msg.ray)


def _chat(m: Moment, msg: ChatLine, t: float) -> None:
    m.chat.append(msg)


def _follow(m: Moment, msg: Following, t: float) -> None:
    m.follow = msg.host


def _layer(m: Moment, msg: LayerShown, t: float) -> None:
    m.layers[msg.name] = msg.visible


def _feed_time(m: Moment, msg: FeedTime, t: float) -> None:
    m.feed_time, m.feed_set_at = msg.time, t


def _muted(m: Moment, msg: Muted, t: float) -> None:
    if msg.target in m.members:
        m.members[msg.target] = replace(m.members[msg.target], muted=msg.muted)


def _recording(m: Moment, msg: Recording, t: float) -> None:
    m.recording = msg.on


def _pin(m: Moment, msg: RoomPin, t: float) -> None:
    m.pins[msg.id] = msg


def _unpin(m: Moment, msg: PinRemoved, t: float) -> None:
    m.pins.pop(msg.pin, None)


def _state(m: Moment, msg: RoomState, t: float) -> None:  # never logged after line 2, but harmless
    m.members = {p.id: replace(p, pose=None) for p in msg.participants}


APPLY: dict[type, Callable[[Moment, Any, float], None]] = {Joined: _joined, Left: _left, Pointer: _pointer, ChatLine: _chat, Following: _follow,
         LayerShown: _layer, FeedTime: _feed_time, Muted: _muted, Recording: _recording, RoomState: _state,
         RoomPin: _pin, PinRemoved: _unpin}


class ReplayClock:
    """Where a replay is in a recording: server time `t` within [start, end], paused or playing at `speed`
    (SPEEDS). Pure: the window calls advance(dt) with its frame time."""

    SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)

    def __init__(self, start: float, end: float, at: float | None = None) -> None:
        self.start, self.end = start, max(start, end)
        self.t = min(max(start if at is None else at, start), self.end)
        self.speed, self.paused = 1.0, False

    def advance(self, dt: float) -> float:
        """Move on by dt wall seconds (nothing while paused); pauses itself at the end."""
        if not self.paused:
            self.t = min(self.end, self.t + max(0.0, dt) * self.speed)
            if self.t >= self.end:
                self.paused = True
        return self.t

    def seek(self, delta: float) -> float:
        self.t = min(max(self.t + delta, self.start), self.end)
        return self.t

    def toggle(self) -> None:
        if self.paused and self.t >= self.end:
            self.t = self.start  # play again from the start
        self.paused = not self.paused

    def faster(self, steps: int) -> float:
        """The next speed up (steps > 0) or down (steps < 0) in SPEEDS."""
        i = self.SPEEDS.index(self.speed) if self.speed in self.SPEEDS else 2
        self.speed = self.SPEEDS[min(max(i + steps, 0), len(self.SPEEDS) - 1)]
        return self.speed
