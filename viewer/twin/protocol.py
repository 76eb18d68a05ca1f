"""FeedClientProtocol: the client end of the twin feed as a sans-I/O object (the server end is session.py).

    connection_made(now)        the transport is open: a subscribe is queued
    receive_data(data, now, wall=None)   one websocket message (bytes or str) -> list of events
    tick(now)                   the clock moved: stale after silence, re-send unanswered requests -> events
    data_to_send()              client messages to write (JSON text), drained
    connection_lost(now), close(now)

Rules:
1. States and transitions are the table TRANSITIONS {(state, event): state}. An event without an entry is a
   failed lookup raising ProtocolError(state, event); for anything the peer sent, that becomes a dropped
   message, never an exception out of receive_data.
2. Sequence: a hello starts a stream at its seq; every later server message must carry last seq + 1.
   - a seq seen within the last `duplicate_window` messages is a duplicate: ignored;
   - a seq that skips ahead (a gap), or goes further back than the window (or before the hello): the
     message is not applied, a resync is requested, and no delta is applied until a snapshot arrives;
   - a snapshot heals any gap: it is applied whatever its seq (unless it repeats one seen while in sync),
     so a lying seq from the future cannot make the real stream look like duplicates for long;
   - a snapshot whose seq is not after the last one while in sync (a replay, however old) is dropped: a
     revision never goes backwards (state.py rule 3 also keeps rows newer than any snapshot).
3. The first snapshot after a hello is applied with reset=True (state.py rule 2): a new stream's clock is
   not comparable with the old one's. Later snapshots and deltas never move a revision backwards.
4. Silence longer than `stale_after` seconds (heartbeats count as data) turns live into stale; any data
   turns stale into live. A subscribe or resync unanswered for `resend_after` seconds is sent again.
5. Rows are validated (validate.py) before they reach the state; dropped rows and messages are counted in
   the Counters and logged with their reason. The state that was good is never lost to bad input.
6. Time is an argument everywhere; nothing here reads a clock, opens a socket or touches asyncio.
7. Plausible times (TimeLimits): a snapshot's or delta's `time` more than `max_from_clock` seconds from the
   receiver's wall clock (`wall`, when given), or further ahead of the newest time of this stream than
   `max_jump` + `max_rate` x the seconds since it arrived, is not applied: it is a gap (resync). Otherwise
   one absurd but finite time would pin every entity it names (later data looks older) until reconnecting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from viewer.twin.batch import TwinUpdate
from viewer.twin.codec import decode, encode
from viewer.twin.errors import FeedError, ProtocolError
from viewer.twin.messages import (
    DEFAULT_LIMITS,
    ENCODINGS,
    Delta,
    FeedLimits,
    Heartbeat,
    Hello,
    Message,
    Resync,
    Snapshot,
    Subscribe,
)
from viewer.twin.state import ApplyResult, Counters, TwinState
from viewer.twin.validate import validate_update

log = logging.getLogger(__name__)

CONNECTING, SYNCING, LIVE, STALE, CLOSED = "connecting", "syncing", "live", "stale", "closed"
_OPEN = (CONNECTING, SYNCING, LIVE, STALE)

TRANSITIONS: dict[tuple[str, str], str] = {
    (CONNECTING, "connect"): CONNECTING,  # transport open: subscribe queued
    (CONNECTING, "hello"): SYNCING,
    (CONNECTING, "timeout"): CONNECTING,  # no hello yet: subscribe again
    (CONNECTING, "lost"): CONNECTING,
    (SYNCING, "hello"): SYNCING,
    (SYNCING, "snapshot"): LIVE,
    (SYNCING, "delta"): SYNCING,  # not applied: waiting for the snapshot
    (SYNCING, "heartbeat"): SYNCING,
    (SYNCING, "gap"): SYNCING,  # a resync is already pending
    (SYNCING, "timeout"): SYNCING,  # no snapshot yet: resync again
    (SYNCING, "lost"): CONNECTING,
    (LIVE, "hello"): SYNCING,
    (LIVE, "snapshot"): LIVE,
    (LIVE, "delta"): LIVE,
    (LIVE, "heartbeat"): LIVE,
    (LIVE, "gap"): SYNCING,
    (LIVE, "silence"): STALE,
    (LIVE, "lost"): CONNECTING,
    (STALE, "hello"): SYNCING,
    (STALE, "snapshot"): LIVE,
    (STALE, "delta"): LIVE,
    (STALE, "heartbeat"): LIVE,
    (STALE, "gap"): SYNCING,
    (STALE, "lost"): CONNECTING,
    **{(state, "close"): CLOSED for state in _OPEN},
}

# The state machine event each server message is (client messages have none: a server never sends them).
MESSAGE_EVENTS: dict[type, str] = {Hello: "hello", Snapshot: "snapshot", Delta: "delta", Heartbeat: "heartbeat"}


def transition(table: dict[tuple[str, str], str], state: str, event: str, peer: str) -> str:
    """The next state, or ProtocolError naming the state and the event when the table has no entry."""
    try:
        return table[(state, event)]
    except KeyError:
        raise ProtocolError(state, event, peer) from None


@dataclass(frozen=True)
class TimeLimits:
    """Rule 7 in seconds: distance from the receiver's wall clock (100 years: sources may replay old data or
    count from 0); a jump ahead within a stream (a day, plus a replay at up to 10,000x real time)."""

    max_from_clock: float = 100 * 365.25 * 86400
    max_jump: float = 86400.0
    max_rate: float = 10_000.0


@dataclass(frozen=True)
class StateChanged:
    old: str
    new: str
    reason: str


@dataclass(frozen=True)
class HelloReceived:
    hello: Hello


@dataclass(frozen=True)
class UpdateApplied:
    """A snapshot or delta that passed: `update` is the validated update, `result` what the protocol's
    TwinState did with it (None without one), `reasons` the rows dropped. A caller keeping its own TwinState
    (say on the render thread) applies it with twin.apply(update, now, reset=reset)."""

    seq: int
    update: TwinUpdate
    result: ApplyResult | None
    reasons: tuple[str, ...]
    reset: bool = False  # the first snapshot of a new stream: revisions are waived (state.py rule 2)


@dataclass(frozen=True)
class MessageDropped:
    reason: str
    seq: int | None = None


@dataclass(frozen=True)
class ResyncRequested:
    last_seq: int | None
    reason: str


FeedEvent = StateChanged | HelloReceived | UpdateApplied | MessageDropped | ResyncRequested


class FeedClientProtocol:
    """One client's view of one feed, across reconnections (the state and counters outlive connections)."""

    def __init__(self, twin: TwinState | None = None, *, kinds: tuple[str, ...] = (),
                 encodings: tuple[str, ...] = ENCODINGS, limits: FeedLimits = DEFAULT_LIMITS,
                 stale_after: float = 3.0, resend_after: float = 5.0, duplicate_window: int = 64,
                 peer: str = "server", times: TimeLimits = TimeLimits()) -> None:
        self.twin = twin
        self.counters = twin.counters if twin is not None else Counters()
        self.kinds, self.encodings, self.limits, self.peer = kinds, encodings, limits, peer
        self.stale_after, self.resend_after, self.duplicate_window = stale_after, resend_after, duplicate_window
        self.state = CONNECTING
        self.hello: Hello | None = None
        self.first_seq: int | None = None  # the hello's seq: start of the current stream
        self.last_seq: int | None = None  # the newest seq processed in this stream
        self.applied_seq: int | None = None  # the newest seq applied (survives reconnections)
        self.last_received = 0.0
        self.times = times
        self._stream_time: tuple[float, float] | None = None  # (newest time applied in this stream, when)
        self._synced = False  # a snapshot of this stream has been applied and no gap since
        self._reset_next = False  # the next snapshot is the first of a new stream
        self._pending: tuple[type, float] | None = None  # (Subscribe or Resync, when sent)
        self._wall: float | None = None  # the receiver's wall clock for the message being handled (rule 7)
        self._outgoing: list[str] = []

    # -- connection ------------------------------------------------------------------------------------------

    def connection_made(self, now: float) -> list[FeedEvent]:
        """The transport is open: queue a subscribe."""
        events = self._move("connect", "transport open")
        self.last_received = now
        self._request(Subscribe(self.kinds, self.encodings, self.applied_seq), now)
        return events

    def connection_lost(self, now: float) -> list[FeedEvent]:
        """The transport closed: wait for the next connection_made (the twin state is kept)."""
        self._pending, self._synced, self.last_seq, self.first_seq = None, False, None, None
        self._outgoing.clear()
        return self._move("lost", "transport closed")

    def close(self, now: float) -> list[FeedEvent]:
        """Stop for good: nothing more is sent, and whatever arrives is dropped."""
        self._outgoing.clear()
        self._pending = None
        return self._move("close", "closed by the client") if self.state != CLOSED else []

    def data_to_send(self) -> list[str]:
        """Client messages to write, in order (JSON text); the queue is emptied."""
        out, self._outgoing = self._outgoing, []
        return out

    # -- input -----------------------------------------------------------------------------------------------

    def receive_data(self, data: bytes | str, now: float, wall: float | None = None) -> list[FeedEvent]:
        """Handle one message from the server (`wall`: the receiver's epoch seconds, for rule 7). Never raises
        for anything the server sent."""
        self._wall = wall
        if self.state == CLOSED:
            return [self._drop("message after close")]
        try:
            message = decode(data, self.limits, self.peer)
        except FeedError as exc:
            return [self._drop(exc.reason)]
        event = MESSAGE_EVENTS.get(type(message))
        if event is None:
            return [self._drop(f"a server does not send {message.type!r}")]
        self.last_received = now
        if isinstance(message, Hello):
            return self._guarded(self._on_hello, message, now)
        return self._guarded(self._on_sequenced, message, now)

    def _guarded(self, handler: Callable[[Any, float], list[FeedEvent]], message: Message,
                 now: float) -> list[FeedEvent]:
        try:
            return handler(message, now)
        except ProtocolError as exc:
            return [self._drop(exc.reason, getattr(message, "seq", None))]

    def _on_hello(self, hello: Hello, now: float) -> list[FeedEvent]:
        events = self._move("hello", f"hello from {hello.server!r}")
        self.hello, self.first_seq, self.last_seq = hello, hello.seq, hello.seq
        self._synced, self._reset_next, self._stream_time = False, True, None
        self._pending = (Resync, now)  # the snapshot that follows a hello answers it: resync if it never comes
        return [HelloReceived(hello), *events]

    def _on_sequenced(self, message: Snapshot | Delta | Heartbeat, now: float) -> list[FeedEvent]:
        if self.last_seq is None or self.first_seq is None:
            return self._move(MESSAGE_EVENTS[type(message)], "")  # before any hello: the table refuses it
        seq, last = message.seq, self.last_seq
        healing = isinstance(message, Snapshot) and not self._synced  # the snapshot we are waiting for
        if seq <= last and seq >= max(self.first_seq, last - self.duplicate_window) and not healing:
            return [self._drop(f"duplicate seq {seq} (last {last})", seq)]
        if isinstance(message, Snapshot) and self._synced and seq <= last:  # rule 2: a replay
            return [self._drop(f"snapshot seq {seq} replays an earlier one (last {last}): not applied", seq)]
        if seq != last + 1 and not isinstance(message, Snapshot):
            how = "jumped back" if seq <= last else "skipped"
            return self._gap(f"seq {how} from {last} to {seq}", seq, now)
        self.last_seq = seq
        if isinstance(message, Heartbeat):
            return self._move("heartbeat", "heartbeat")
        if isinstance(message, Delta) and not self._synced:
            events = self._move("delta", "")
            return [*events, self._drop(f"delta {seq} before the snapshot (resync pending)", seq)]
        implausible = self._implausible_time(message, now)
        if implausible is not None:
            return self._gap(implausible, seq, now)
        return self._apply(message, now)

    def _implausible_time(self, message: Snapshot | Delta, now: float) -> str | None:
        """Why `message.time` cannot be applied (rule 7), or None."""
        t, limits = message.update.time, self.times
        if self._wall is not None and abs(t - self._wall) > limits.max_from_clock:
            return f"{message.type} time {t:.6g} is {abs(t - self._wall) / 31_557_600:.0f} years from this clock"
        if self._stream_time is not None and not (isinstance(message, Snapshot) and self._reset_next):
            newest, at = self._stream_time
            allowed = newest + limits.max_jump + max(now - at, 0.0) * limits.max_rate
            if t > allowed:
                return f"{message.type} time {t:.6g} jumps {t - newest:.6g} s ahead of the stream ({newest:.6g})"
        return None

    def _gap(self, reason: str, seq: int, now: float) -> list[FeedEvent]:
        events = self._move("gap", reason)
        self.last_seq = seq
        self.first_seq = min(self.first_seq or seq, seq)
        self._synced = False
        events.append(self._drop(f"{reason}: not applied", seq))
        if self._pending is None or self._pending[0] is not Resync:
            self._request(Resync(self.applied_seq), now)
            events.append(ResyncRequested(self.applied_seq, reason))
        return events

    def _apply(self, message: Snapshot | Delta, now: float) -> list[FeedEvent]:
        is_snapshot = isinstance(message, Snapshot)
        new_state = transition(TRANSITIONS, self.state, message.type, self.peer)  # refuse before any change
        clean, reasons = validate_update(message.update, self.limits.max_id_length)
        for reason in reasons:
            log.info("%s: %s", self.peer, reason)
            self.counters.reasons.append(reason)
        self.counters.dropped_rows += message.update.count() - clean.count()
        result, reset = None, is_snapshot and self._reset_next
        if self.twin is not None:
            try:
                result = self.twin.apply(clean, now, reset=reset)
            except ValueError as exc:  # a kind this state does not hold: refused before any change
                return [self._drop(str(exc), message.seq)]
        if is_snapshot:
            self._synced, self._reset_next, self._pending = True, False, None
        self.applied_seq = message.seq
        if self._stream_time is None or message.update.time >= self._stream_time[0]:
            self._stream_time = (message.update.time, now)
        events = self._enter(new_state, f"{message.type} {message.seq}")
        return [*events, UpdateApplied(message.seq, clean, result, tuple(reasons), reset)]

    # -- time ------------------------------------------------------------------------------------------------

    def tick(self, now: float) -> list[FeedEvent]:
        """Let time pass: live -> stale after `stale_after` s of silence; re-send an unanswered request."""
        events: list[FeedEvent] = []
        if self.state == LIVE and now - self.last_received > self.stale_after:
            events += self._move("silence", f"no message for {now - self.last_received:.1f} s")
        if self._pending is not None and now - self._pending[1] > self.resend_after:
            events += self._move("timeout", f"{self._pending[0].__name__.lower()} unanswered")
            if self.state == CONNECTING:
                self._request(Subscribe(self.kinds, self.encodings, self.applied_seq), now)
            else:
                self._request(Resync(self.applied_seq), now)
                events.append(ResyncRequested(self.applied_seq, "snapshot not received in time"))
        return events

    # -- helpers ---------------------------------------------------------------------------------------------

    def _move(self, event: str, reason: str) -> list[FeedEvent]:
        return self._enter(transition(TRANSITIONS, self.state, event, self.peer), reason)

    def _enter(self, new: str, reason: str) -> list[FeedEvent]:
        if new == self.state:
            return []
        old, self.state = self.state, new
        log.debug("%s: %s -> %s (%s)", self.peer, old, new, reason)
        return [StateChanged(old, new, reason)]

    def _request(self, message: Subscribe | Resync, now: float) -> None:
        self._pending = (type(message), now)
        self._outgoing.append(str(encode(message)))

    def _drop(self, reason: str, seq: int | None = None) -> MessageDropped:
        log.warning("%s: message dropped: %s", self.peer, reason)
        self.counters.dropped_messages += 1
        self.counters.reasons.append(reason)
        return MessageDropped(reason, seq)
