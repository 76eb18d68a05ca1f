"""MeetingClientProtocol: the client end of a meeting as a sans-I/O object (the server end is hub.py).

    connection_made(now)             the websocket is open (the token went in the handshake)
    refused(status, reason, now)     the handshake was answered with an HTTP error
    receive_data(data, now)          one server message -> events (the RoomView `view` is updated)
    set_pose(pose, now)              my latest pose (sent at `pose_hz` at most, and at least every second)
    send(message, now)               a chat line, a pointer or a host action
    tick(now)                        the clock moved: a pose may be due
    data_to_send(now)                client messages to write (JSON text), drained
    connection_lost(now, code)       the websocket closed (its close code, if any)

Rules:
1. States and transitions are the table TRANSITIONS {(state, event): state}. An event without an entry is
   a ProtocolError, which for anything the server sent becomes a dropped message, never an exception.
2. A connection starts with welcome then state; events before the state are dropped (the state holds
   them). A fresh state may come at any time (the server's answer to a slow client).
3. Terminal states: REFUSED (the handshake said 401/403: the token will not get better by retrying),
   REMOVED (a host removed us: close code 4001 or the "removed" notice). Other losses go back to
   CONNECTING and the I/O layer reconnects with backoff; 503 (room full) is retried too.
4. Poses are coalesced: only the newest is kept and one is sent at most every 1/pose_hz seconds, and
   again after KEEPALIVE seconds even when it has not changed, so the server knows we are alive.
   Other messages wait in a bounded outbox while not connected (the oldest give way).
5. Time is an argument everywhere; nothing here reads a clock, opens a socket or touches asyncio.
6. A batch (codec.py rule 4) is taken apart here: each of its items is handled, and reported, exactly as if it
   had come alone, so nothing past this object knows batches exist. A batch that does not parse is dropped
   whole (one MessageDropped).
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass

from viewer.meeting.codec import decode_server_batch, encode
from viewer.meeting.errors import MessageError, ProtocolError
from viewer.meeting.messages import (
    DEFAULT_LIMITS,
    ClientMessage,
    MeetingLimits,
    Notice,
    Pose,
    PoseUpdate,
    RoomState,
    ServerMessage,
    Welcome,
)
from viewer.meeting.view import RoomView

log = logging.getLogger(__name__)

CONNECTING, JOINING, SYNCING, LIVE, REFUSED, REMOVED, CLOSED = (
    "connecting", "joining", "syncing", "live", "refused", "removed", "closed")
_CONNECTED = (JOINING, SYNCING, LIVE)
REMOVED_CODE = 4001
KEEPALIVE = 1.0  # seconds between poses when nothing moves (the server drops a participant silent for 5 s)
OUTBOX = 64

TRANSITIONS: dict[tuple[str, str], str] = {
    (CONNECTING, "connect"): JOINING,
    (CONNECTING, "lost"): CONNECTING,
    (CONNECTING, "refused"): REFUSED,
    (CONNECTING, "unavailable"): CONNECTING,  # 503: try again later
    (JOINING, "welcome"): SYNCING,
    (SYNCING, "state"): LIVE,
    (SYNCING, "event"): SYNCING,  # dropped: the state that follows holds it
    (LIVE, "state"): LIVE,
    (LIVE, "event"): LIVE,
    (SYNCING, "removed"): REMOVED,
    (LIVE, "removed"): REMOVED,
    (REMOVED, "lost"): REMOVED,
    (REMOVED, "event"): REMOVED,
    **{(state, "lost"): CONNECTING for state in _CONNECTED},
    **{(state, "close"): CLOSED for state in (CONNECTING, *_CONNECTED, REFUSED, REMOVED)},
}


@dataclass(frozen=True)
class StateChanged:
    old: str
    new: str
    reason: str


@dataclass(frozen=True)
class Received:
    """A server message that passed validation and was applied to the view; `changed`: what it changed."""

    message: ServerMessage
    changed: frozenset[str]


@dataclass(frozen=True)
class MessageDropped:
    reason: str


@dataclass(frozen=True)
class Resynced:
    """The whole room at once, in place of events a slow reader missed (the I/O layer's bounded queue gave
    way): apply the welcome (when there is one), then the state, to a RoomView."""

    welcome: Welcome | None
    state: RoomState


ClientEvent = StateChanged | Received | MessageDropped | Resynced


class MeetingClientProtocol:
    """One client's session with a meeting server, across reconnections (the view outlives connections)."""

    def __init__(self, limits: MeetingLimits = DEFAULT_LIMITS, pose_hz: float = 15.0, peer: str = "server") -> None:
        if not 1.0 <= pose_hz <= 20.0:
            raise ValueError(f"pose_hz must be 1..20 (the server relays at most 20 Hz), got {pose_hz}")
        self.limits, self.pose_interval, self.peer = limits, 1.0 / pose_hz, peer
        self.state = CONNECTING
        self.view = RoomView()
        self.dropped = 0
        self.reason = ""  # why the last connection ended or was refused
        self._pose: Pose | None = None
        self._pose_dirty = False
        self._pose_sent = float("-inf")
        self._outbox: deque[str] = deque(maxlen=OUTBOX)
        self._outgoing: list[str] = []

    def resynced(self) -> Resynced:
        """The protocol's own view of the room as one event (for a consumer that fell behind)."""
        return Resynced(self.view.welcome, self.view.state())

    @property
    def terminal(self) -> bool:
        """Whether reconnecting is pointless (refused, removed or closed: rule 3)."""
        return self.state in (REFUSED, REMOVED, CLOSED)

    # -- connection ------------------------------------------------------------------------------------------

    def connection_made(self, now: float) -> list[ClientEvent]:
        self._outgoing.clear()
        self._pose_sent = float("-inf")
        return self._move("connect", "transport open")

    def refused(self, status: int, reason: str, now: float) -> list[ClientEvent]:
        """The handshake was refused with HTTP `status` (rule 3)."""
        self.reason = f"HTTP {status}: {reason}"
        return self._move("unavailable" if status >= 500 else "refused", self.reason)

    def connection_lost(self, now: float, code: int | None = None, reason: str = "") -> list[ClientEvent]:
        self._outgoing.clear()
        self.reason = reason or f"connection closed (code {code})"
        if code == REMOVED_CODE and self.state in (SYNCING, LIVE):
            events = self._move("removed", self.reason)
            return events + self._move("lost", "")
        return self._move("lost", self.reason)

    def close(self, now: float) -> list[ClientEvent]:
        self._outgoing.clear()
        return self._move("close", "closed by the client") if self.state != CLOSED else []

    # -- input -----------------------------------------------------------------------------------------------

    def receive_data(self, data: bytes | str, now: float) -> list[ClientEvent]:
        """Handle one message from the server. Never raises for anything the server sent."""
        if self.state not in (*_CONNECTED, REMOVED):
            return [self._drop(f"message in state {self.state}")]
        try:
            messages = decode_server_batch(data, self.limits, self.peer)  # rule 6
        except MessageError as exc:
            return [self._drop(exc.reason)]
        events: list[ClientEvent] = []
        for message in messages:
            events += self._receive(message, now)
        return events

    def _receive(self, message: ServerMessage, now: float) -> list[ClientEvent]:
        try:
            event = "welcome" if isinstance(message, Welcome) else "state" if isinstance(message, RoomState) else "event"
            events = self._move(event, message.type)
        except ProtocolError as exc:
            return [self._drop(exc.reason)]
        if self.state == SYNCING and event == "event":
            return [*events, self._drop(f"{message.type} before the room state")]
        changed = self.view.apply(message, now)
        events.append(Received(message, frozenset(changed)))
        if isinstance(message, Notice) and message.code == "removed":
            events += self._move("removed", message.reason)
        return events

    # -- output ----------------------------------------------------------------------------------------------

    def set_pose(self, pose: Pose, now: float) -> None:
        """My newest pose; sent by data_to_send when due (rule 4)."""
        self._pose_dirty = self._pose_dirty or pose != self._pose
        self._pose = pose

    def send(self, message: ClientMessage, now: float) -> None:
        """Queue a message (poses go through set_pose). While not connected it waits in the outbox."""
        if isinstance(message, PoseUpdate):
            self.set_pose(message.pose, now)
        elif self.state not in (REFUSED, REMOVED, CLOSED):
            self._outbox.append(encode(message))

    def tick(self, now: float) -> None:
        """Move a due pose and the outbox to the outgoing messages (while live)."""
        if self.state != LIVE:
            return
        self._outgoing.extend(self._outbox)
        self._outbox.clear()
        if self._pose is None:
            return
        wait = self.pose_interval if self._pose_dirty else KEEPALIVE
        if now - self._pose_sent >= wait - 1e-6:
            pose = self._pose
            self._outgoing.append(encode(PoseUpdate(Pose(pose.position, pose.heading, pose.eye, pose.pitch, now))))
            # On a schedule (last + interval) while moving, so frame quantisation does not lower the rate;
            # from now after a pause, so a pause never turns into a burst.
            on_time = self._pose_dirty and now - self._pose_sent < 2.0 * wait
            self._pose_sent = self._pose_sent + wait if on_time else now
            self._pose_dirty = False

    def next_due(self, now: float) -> float:
        """Seconds until tick() may have something to send (for the I/O layer's timer)."""
        if self._pose is None:
            return KEEPALIVE
        wait = (self.pose_interval if self._pose_dirty else KEEPALIVE) - (now - self._pose_sent)
        return max(0.0, wait)

    def data_to_send(self, now: float) -> list[str]:
        """Client messages to write, in order; emptied."""
        self.tick(now)
        out, self._outgoing = self._outgoing, []
        return out

    # -- helpers ---------------------------------------------------------------------------------------------

    def _move(self, event: str, reason: str) -> list[ClientEvent]:
        try:
            new = TRANSITIONS[(self.state, event)]
        except KeyError:
            raise ProtocolError(self.state, event, self.peer) from None
        if new == self.state:
            return []
        old, self.state = self.state, new
        log.info("%s: %s -> %s (%s)", self.peer, old, new, reason)
        return [StateChanged(old, new, reason)]

    def _drop(self, reason: str) -> MessageDropped:
        log.warning("%s: message dropped: %s", self.peer, reason)
        self.dropped += 1
        return MessageDropped(reason)
