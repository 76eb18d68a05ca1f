"""ServerSession: the server end of one meeting connection, sans-I/O: its state machine, its rate limits
and its bounded queue of outgoing messages.

    queue(text, live)           a message for this client (already encoded, shared by the room's fan-out)
    notice(code, reason, now)   tell this client something it sent was refused (rate limited itself)
    kick(code, reason, notice)  close: the notice goes out, then the connection closes with `code`
    data_to_send(limit)         wire messages to write (str), the room state encoded when taken
    lost()                      the transport is gone

Rules:
1. States and transitions are the table TRANSITIONS {(state, event): state}; an event without an entry
   raises ProtocolError (a bug in the hub, never something a client can cause).
2. Bounded: when more than `max_backlog` messages wait, they are all dropped and one fresh room state is
   queued in their place (state "lagging"; further relays are not queued, because that state, taken from
   the room when it is sent, already holds them). A slow client costs one state message, never unbounded
   memory, and never holds up the others. The welcome is never dropped.
3. Notices are rate limited (NOTICE_RATE): a client sending garbage at full speed gets a trickle of
   notices back, not one per message (no amplification).
4. After kick() the queue holds only the final notice; the I/O layer sends it, then closes with
   `close_code`. Nothing is queued after that.
5. Batches (codec.py rule 4), for a session whose client asked (`batch`): live messages (presence, pointer)
   queued one after another, with nothing else between them, go out as ONE batch message holding them in
   order (at most MAX_BATCH_ITEMS); a batch of one goes out as that message alone. So the order of everything
   a client gets is unchanged, and what piles up while the writer waits (its hold, a busy loop, a slow
   socket) costs one send instead of one each. The backlog bound (rule 2) counts messages, not sends.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable

from viewer.meeting.codec import batch_text, encode
from viewer.meeting.errors import ProtocolError
from viewer.meeting.messages import Notice, RoomState
from viewer.meeting.ratelimit import ClientLimiter, TokenBucket

log = logging.getLogger(__name__)

JOINING, ACTIVE, LAGGING, CLOSING, CLOSED = "joining", "active", "lagging", "closing", "closed"
_OPEN = (JOINING, ACTIVE, LAGGING)

TRANSITIONS: dict[tuple[str, str], str] = {
    (JOINING, "welcome"): ACTIVE,  # welcome + room state queued
    (ACTIVE, "relay"): ACTIVE,
    (ACTIVE, "overflow"): LAGGING,
    (LAGGING, "relay"): LAGGING,  # not queued: the pending state holds it
    (LAGGING, "caught_up"): ACTIVE,  # the fresh state was taken
    (CLOSING, "relay"): CLOSING,  # a broadcast may still reach a closing session: dropped
    (CLOSED, "relay"): CLOSED,
    (CLOSING, "lost"): CLOSED,
    (CLOSED, "lost"): CLOSED,
    **{(state, "kick"): CLOSING for state in _OPEN},
    **{(state, "lost"): CLOSED for state in _OPEN},
}

NOTICE_RATE = (1.0, 5.0)  # notices per second, burst
CLOSE_CODES = {"removed": 4001, "replaced": 4002, "timeout": 4003, "throttled": 1008}
_STATE = ""  # queue marker for "the room's state, encoded when taken": no JSON message is empty
MAX_BATCH_ITEMS = 64  # live messages in one batch (rule 5): about 10 kB of poses


class ServerSession:
    """One connection of participant `participant` (id) in room `room`; `state_source` gives the room's
    current RoomState. `peer` names the connection in logs."""

    def __init__(self, serial: int, participant: int, room: str, name: str, role: str, jti: str,
                 state_source: Callable[[], RoomState], now: float, max_backlog: int = 256,
                 peer: str = "client", batch: bool = False) -> None:
        self.serial, self.participant, self.room, self.name, self.role, self.jti = (
            serial, participant, room, name, role, jti)
        self.state_source, self.max_backlog, self.peer = state_source, max_backlog, peer
        self.state = JOINING
        self.limiter = ClientLimiter()
        self.last_seen = now
        self.close_code: int | None = None
        self.close_reason = ""
        self.resets = 0  # times the backlog was replaced by a fresh state
        self.notices = TokenBucket(*NOTICE_RATE)
        self.batch = batch  # rule 5: the client asked for batches
        self._queue: deque[str | list[str]] = deque()  # a list: live messages that go out as one batch
        self._count = 0  # messages waiting (a batch counts each of its items)
        self._welcome_pending = False

    def __repr__(self) -> str:
        return f"ServerSession(#{self.serial} participant {self.participant} in {self.room!r}, {self.state})"

    @property
    def open(self) -> bool:
        return self.state in _OPEN

    @property
    def pending(self) -> int:
        """Messages waiting to be sent."""
        return self._count

    @property
    def only_live_pending(self) -> bool:
        """Whether everything waiting may wait a little longer to grow its batch (rule 5)."""
        return self.batch and bool(self._queue) and all(isinstance(item, list) for item in self._queue)

    def welcome(self, text: str) -> None:
        """Queue the welcome (encoded) and the room state: the first two messages of every connection."""
        self._move("welcome")
        self._queue.extend([text, _STATE])
        self._count += 2
        self._welcome_pending = True

    def queue(self, text: str, live: bool = False) -> None:
        """Queue one encoded message; `live`: a presence or pointer, batched for a client that asked (rule 5).
        See rule 2 for a client that is too slow."""
        self._move("relay")
        if self.state != ACTIVE:
            return
        last = self._queue[-1] if self._queue else None
        if live and self.batch and isinstance(last, list) and len(last) < MAX_BATCH_ITEMS:
            last.append(text)
        else:
            self._queue.append([text] if live and self.batch else text)
        self._count += 1
        if self._count > self.max_backlog:
            self._move("overflow")
            welcome = [self._queue[0]] if self._welcome_pending else []
            self._queue.clear()
            self._queue.extend([*welcome, _STATE])
            self._count = len(self._queue)
            self.resets += 1
            log.info("%s: too slow, %d messages replaced by a fresh room state", self.peer, self.max_backlog)

    def notice(self, code: str, reason: str, now: float) -> bool:
        """Queue a Notice unless notices are coming too fast (rule 3); whether it was queued."""
        log.info("%s: %s: %s", self.peer, code, reason)
        if not self.open or not self.notices.take(now):
            return False
        self.queue(encode(Notice(code, reason)))
        return True

    def kick(self, code: str, reason: str) -> None:
        """Close with CLOSE_CODES[code] after one final notice (rule 4)."""
        if not self.open:
            return
        self._move("kick")
        self.close_code, self.close_reason = CLOSE_CODES[code], reason
        self._queue.clear()
        self._queue.append(encode(Notice(code, reason)))
        self._count = 1

    def lost(self) -> None:
        self._move("lost")
        self._queue.clear()
        self._count = 0

    def data_to_send(self, limit: int | None = None) -> list[str]:
        """Take up to `limit` queued messages (all by default); the room state is encoded when taken."""
        out: list[str] = []
        while self._queue and (limit is None or len(out) < limit):
            item = self._queue.popleft()
            if isinstance(item, list):  # rule 5
                self._count -= len(item)
                out.append(item[0] if len(item) == 1 else batch_text(item))
                continue
            self._count -= 1
            if item == _STATE:
                if self.state == LAGGING:
                    self._move("caught_up")
                item = encode(self.state_source())
            else:
                self._welcome_pending = False
            out.append(item)
        return out

    def _move(self, event: str) -> None:
        try:
            new = TRANSITIONS[(self.state, event)]
        except KeyError:
            raise ProtocolError(self.state, event, self.peer) from None
        if new != self.state:
            log.debug("%s: %s -> %s (%s)", self.peer, self.state, new, event)
            self.state = new
