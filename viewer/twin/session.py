"""FeedServerSession: the server end of the twin feed for one client, sans-I/O.

    receive_data(data, now)     one client message (subscribe, resync) -> events
    send(update, now)           a source update for this client (queued, filtered to its kinds)
    tick(now)                   queue a heartbeat after `heartbeat` seconds without a message
    data_to_send(now, limit)    wire messages to write (str or bytes), each given the next seq when taken

Rules:
1. States and transitions are the table TRANSITIONS {(state, event): state}; an event without an entry is
   a ProtocolError, and for a client's message that means "dropped with a reason", never an exception.
2. The queue holds unencoded items; a message is numbered and encoded when data_to_send() takes it, so
   dropping queued items never leaves a gap in the client's sequence (seq is strictly +1 per connection).
   Snapshots and deltas are SharedUpdates (shared.py): a server passes the same one to every session, so
   the first session to take it encodes it and the others copy those bytes with their own seq.
3. Bounded: when more than `max_backlog` items wait, they are all dropped and one fresh snapshot is queued
   in their place (state "lagging"; further updates are not queued because that snapshot, taken from
   snapshot_source() when it is sent, already holds them). So a slow client costs one snapshot, never
   unbounded memory, and never holds up the others. The I/O layer calls data_to_send() only when its
   transport can take more.
4. Every subscribe is answered with hello + snapshot; a resync with a snapshot (pending deltas dropped).
   The encoding is the first of the client's accepted encodings that the server offers, else "columns"
   (every v1 client reads both JSON encodings). Control messages are always JSON text.
5. A snapshot lists every subscribed kind (an empty batch for a kind with no entities), so the client
   removes entities the server no longer has.
7. Protocol 1.1 (messages.py rule 5): the generic kinds `entity_kinds` are announced in the hello and sent
   (snapshot and deltas) only to a client whose subscribe says minor >= 1 and that asked for them (or for
   everything); a v1 client gets exactly the v1 stream.
6. Snapshots on request are rationed (a tiny resync must not buy a full snapshot at will). Subscribes and
   resyncs spend from a token bucket (RequestLimits: `burst`, refilled at `rate` per second):
   - a resync while a snapshot is already queued is coalesced into it (one pending snapshot at most);
   - a request with no token left is deferred: the latest one is answered when the bucket refills (tick),
     so a well-behaved client is only delayed, never refused;
   - every request that got no token counts as excess, forgiven at `rate` per second; past `max_excess`
     the client is abusing the server: state "closed", `close_reason` says why, and the I/O layer closes
     the connection with 1008 and that reason.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from viewer.twin.batch import KINDS, TwinUpdate
from viewer.twin.codec import decode, encode
from viewer.twin.errors import FeedError, MessageError
from viewer.twin.kinds import EntityKind
from viewer.twin.messages import (
    DEFAULT_LIMITS,
    ENCODINGS,
    FeedLimits,
    Heartbeat,
    Hello,
    Resync,
    Subscribe,
)
from viewer.twin.protocol import MessageDropped, StateChanged, transition
from viewer.twin.shared import SharedUpdate, renumber

log = logging.getLogger(__name__)

WAITING, STREAMING, LAGGING, CLOSED = "waiting", "streaming", "lagging", "closed"

TRANSITIONS: dict[tuple[str, str], str] = {
    (WAITING, "subscribe"): STREAMING,
    (WAITING, "update"): WAITING,  # nothing is sent before a subscribe
    (WAITING, "idle"): WAITING,
    (STREAMING, "subscribe"): STREAMING,  # a new subscription: hello + snapshot again
    (STREAMING, "resync"): STREAMING,
    (STREAMING, "update"): STREAMING,
    (STREAMING, "idle"): STREAMING,  # heartbeat
    (STREAMING, "overflow"): LAGGING,
    (LAGGING, "subscribe"): LAGGING,
    (LAGGING, "resync"): LAGGING,  # the pending snapshot answers it
    (LAGGING, "update"): LAGGING,  # not queued: the pending snapshot will hold it
    (LAGGING, "idle"): LAGGING,
    (LAGGING, "caught_up"): STREAMING,
    (CLOSED, "update"): CLOSED,  # a broadcast may still reach a closing session
    (CLOSED, "idle"): CLOSED,
    **{(state, "close"): CLOSED for state in (WAITING, STREAMING, LAGGING)},
    **{(state, "abuse"): CLOSED for state in (WAITING, STREAMING, LAGGING)},  # rule 6
}

SessionEvent = StateChanged | MessageDropped

# Queue items: a marker string, or a shared update to send as a delta (or snapshot, if it is one).
_HELLO, _SNAPSHOT, _HEARTBEAT = "hello", "snapshot", "heartbeat"


@dataclass(frozen=True)
class _Part:
    """A shared update queued for a client subscribed to `kinds` and `generic` (rule 2)."""

    shared: SharedUpdate
    kinds: tuple[str, ...]
    generic: tuple[str, ...]


@dataclass(frozen=True)
class RequestLimits:
    """Rule 6: subscribes and resyncs a client may send, `burst` at once then `rate` per second; `max_excess`
    requests beyond that (forgiven at `rate` per second) close the connection."""

    rate: float = 0.5
    burst: float = 4.0
    max_excess: float = 32.0


class _Ration:
    """A token bucket and an excess counter with the clock passed in (rule 6)."""

    def __init__(self, limits: RequestLimits) -> None:
        self.limits = limits
        self.tokens, self.excess = limits.burst, 0.0
        self.stamp: float | None = None

    def _advance(self, now: float) -> None:
        if self.stamp is not None and now > self.stamp:
            gained = (now - self.stamp) * self.limits.rate
            self.tokens = min(self.limits.burst, self.tokens + gained)
            self.excess = max(0.0, self.excess - gained)
        if self.stamp is None or now > self.stamp:
            self.stamp = now

    def take(self, now: float) -> bool:
        self._advance(now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False

    def over(self, now: float) -> bool:
        """Count one request that got no token; true when the client is past max_excess."""
        self._advance(now)
        self.excess += 1.0
        return self.excess > self.limits.max_excess


class FeedServerSession:
    """One client of a feed server. snapshot_source() returns the server's current state (TwinState.snapshot),
    or a SharedUpdate(whole_state=True) of it that the server hands to every session until the state changes."""

    def __init__(self, snapshot_source: Callable[[], TwinUpdate | SharedUpdate], *, crs: str = "EPSG:4326",
                 kinds: tuple[str, ...] = KINDS, server: str = "citiverse",
                 encodings: tuple[str, ...] = ENCODINGS, limits: FeedLimits = DEFAULT_LIMITS,
                 max_backlog: int = 64, heartbeat: float = 1.0, first_seq: int = 1, peer: str = "client",
                 requests: RequestLimits | None = None, entity_kinds: tuple[EntityKind, ...] = ()) -> None:
        self.snapshot_source = snapshot_source
        self.entity_kinds = entity_kinds  # rule 7
        self.generic: tuple[str, ...] = ()  # the generic kinds this client gets
        self.crs, self.available, self.server, self.offered = crs, kinds, server, encodings
        self.limits, self.max_backlog, self.heartbeat, self.peer = limits, max_backlog, heartbeat, peer
        self.state = WAITING
        self.kinds: tuple[str, ...] = ()
        self.encoding = "columns"
        self.next_seq = first_seq
        self.last_sent = float("-inf")
        self.resets = 0  # times the backlog was replaced by a snapshot
        self.dropped: deque[str] = deque(maxlen=32)
        self._queue: deque[str | _Part] = deque()
        self._ration = _Ration(requests or RequestLimits())  # rule 6
        self._deferred: Subscribe | Resync | None = None
        self.coalesced = 0  # requests answered by a snapshot already queued (rule 6)
        self.deferred = 0  # requests that waited for the bucket
        self.close_reason: str | None = None  # why the session closed itself (abuse)

    @property
    def pending(self) -> int:
        """Items waiting to be sent."""
        return len(self._queue)

    def receive_data(self, data: bytes | str, now: float) -> list[SessionEvent]:
        """Handle one client message. Never raises for anything the client sent."""
        try:
            message = decode(data, self.limits, self.peer, self.limits.max_client_message_bytes)
            if isinstance(message, (Subscribe, Resync)):
                return self._on_request(message, now)
            raise MessageError(f"a client does not send {message.type!r}")
        except FeedError as exc:
            log.warning("%s: message dropped: %s", self.peer, exc.reason)
            self.dropped.append(exc.reason)
            return [MessageDropped(exc.reason)]

    def _on_request(self, message: Subscribe | Resync, now: float) -> list[SessionEvent]:
        """Answer, coalesce or defer a subscribe or resync (rule 6)."""
        transition(TRANSITIONS, self.state, message.type, self.peer)  # refused (dropped) before any cost
        if isinstance(message, Resync) and _SNAPSHOT in self._queue:
            self.coalesced += 1
            return self._abuse(now, "resync") if self._ration.over(now) else []
        if self._deferred is None and self._ration.take(now):
            return self._answer(message)
        if self._ration.over(now):
            return self._abuse(now, message.type)
        self.deferred += 1
        if not isinstance(self._deferred, Subscribe) or isinstance(message, Subscribe):
            self._deferred = message  # the latest wins, but a resync never hides a pending subscribe
        return []

    def _answer(self, message: Subscribe | Resync) -> list[SessionEvent]:
        return self._on_subscribe(message) if isinstance(message, Subscribe) else self._on_resync(message)

    def _abuse(self, now: float, kind: str) -> list[SessionEvent]:
        limits = self._ration.limits
        self.close_reason = (f"too many {kind} requests (more than {limits.burst:g} at once or "
                             f"{limits.rate:g}/s sustained)")
        log.warning("%s: %s", self.peer, self.close_reason)
        self._queue.clear()
        self._deferred = None
        return self._move("abuse", self.close_reason)

    def _on_subscribe(self, message: Subscribe) -> list[SessionEvent]:
        events = self._move("subscribe", "subscribed")
        wanted = set(message.kinds) if message.kinds else set(self.available)
        self.kinds = tuple(kind for kind in self.available if kind in wanted)
        self.generic = tuple(k.name for k in self.entity_kinds
                             if message.minor >= 1 and (not message.kinds or k.name in wanted))  # rule 7
        self.encoding = next((e for e in message.encodings if e in self.offered), "columns")
        self._queue.clear()
        self._queue.extend([_HELLO, _SNAPSHOT])
        return events

    def _on_resync(self, message: Resync) -> list[SessionEvent]:
        events = self._move("resync", f"resync after {message.last_seq}")
        self._replace_queue()
        return events

    def _replace_queue(self) -> None:
        """Everything queued gives way to one fresh snapshot (after the hello, if that is still waiting)."""
        hello = bool(self._queue) and isinstance(self._queue[0], str) and self._queue[0] == _HELLO
        self._queue.clear()
        self._queue.extend([_HELLO, _SNAPSHOT] if hello else [_SNAPSHOT])

    def send(self, update: TwinUpdate | SharedUpdate, now: float) -> list[SessionEvent]:
        """Queue a source update for this client (only its subscribed kinds; nothing when none is left).
        A server passes every session the same SharedUpdate (rule 2)."""
        events = self._move("update", "")
        if self.state != STREAMING:
            return events
        shared = update if isinstance(update, SharedUpdate) else SharedUpdate(update)
        if shared.part(self.kinds, self.generic) is None:
            return events
        self._queue.append(_Part(shared, self.kinds, self.generic))
        if len(self._queue) > self.max_backlog:
            events += self._move("overflow", f"{len(self._queue)} messages waiting")
            self._replace_queue()
            self.resets += 1
            log.info("%s: too slow, backlog replaced by a snapshot", self.peer)
        return events

    def tick(self, now: float) -> list[SessionEvent]:
        """Queue a heartbeat when nothing was sent for `heartbeat` seconds (0 disables heartbeats)."""
        events = self._move("idle", "")
        if self._deferred is not None and self.state != CLOSED and self._ration.take(now):
            deferred, self._deferred = self._deferred, None
            events += self._answer(deferred)
        if self.state == STREAMING and self.heartbeat > 0 and not self._queue \
                and now - self.last_sent >= self.heartbeat:
            self._queue.append(_HEARTBEAT)
        return events

    def close(self) -> list[SessionEvent]:
        self._queue.clear()
        return self._move("close", "closed") if self.state != CLOSED else []

    def data_to_send(self, now: float, limit: int | None = None) -> list[bytes | str]:
        """Take up to `limit` queued items (all by default), number and encode them."""
        out: list[bytes | str] = []
        while self._queue and (limit is None or len(out) < limit):
            item = self._queue.popleft()
            try:
                out.append(self._encode(item, now))
            except MessageError as exc:  # our own source produced something unsendable: skip it, say so
                log.error("%s: cannot send %s: %s", self.peer, "an update" if isinstance(item, _Part) else item,
                          exc.reason)
                self.dropped.append(exc.reason)
                continue
            self.next_seq += 1
            self.last_sent = now
        return out

    def _encode(self, item: str | _Part, now: float) -> bytes | str:
        seq = self.next_seq
        if isinstance(item, _Part):
            return renumber(item.shared.wire(item.kinds, item.generic, self.encoding), seq)
        if item == _HELLO:
            return encode(Hello(seq=seq, time=now, crs=self.crs, kinds=self.kinds, encodings=self.offered,
                                encoding=self.encoding, server=self.server, limits=self.limits.as_dict(),
                                heartbeat=self.heartbeat,
                                entity_kinds=tuple(k for k in self.entity_kinds if k.name in self.generic)))
        if item == _HEARTBEAT:
            return encode(Heartbeat(seq, now))
        if self.state == LAGGING:  # item is _SNAPSHOT
            self._move("caught_up", "fresh snapshot sent")
        return renumber(self._fresh_snapshot().wire(self.kinds, self.generic, self.encoding), seq)

    def _fresh_snapshot(self) -> SharedUpdate:
        source = self.snapshot_source()
        return source if isinstance(source, SharedUpdate) else SharedUpdate(source, whole_state=True)

    def _move(self, event: str, reason: str) -> list[SessionEvent]:
        new = transition(TRANSITIONS, self.state, event, self.peer)
        if new == self.state:
            return []
        old, self.state = self.state, new
        log.debug("%s: %s -> %s (%s)", self.peer, old, new, reason)
        return [StateChanged(old, new, reason)]
