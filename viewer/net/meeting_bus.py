"""The NATS side of a meeting server started with --nats: moves BusHub records (viewer/meeting/bus.py) between
the hub and NATS JetStream.

    bus = MeetingBus(hub, "nats://127.0.0.1:4222", flush)   flush: the server's "hub changed, wake writers"
    await bus.start()                                      connect, take a server number, hear the others
    await bus.ensure_room(room)                            before a joiner is admitted: the room replayed
    bus.publish_outbox()                                   after each hub call (the server's flush)

Layout on the bus (docs/meetings.md "Several servers"):
    stream CITIVERSE_MEET        subjects citiverse.meet.room.<room>   joins, leaves, chat, host actions
    citiverse.meet.live.<room>   plain NATS: poses and pointers (not stored)
    citiverse.meet.beat          plain NATS: every server's heartbeat (ids per room)
    stream CITIVERSE_MEET_NODES  subject citiverse.meet.nodes          a server's number = its message's sequence

Rules:
1. Everything runs on the meeting server's event loop: NATS callbacks call the hub directly and then the
   server's flush, so the hub is never touched from two places at once.
2. Publishing keeps the hub's order. Stored records go one at a time through JetStream with an ack, each
   retried until stored (a Nats-Msg-Id makes a retry of a record that was in fact stored a duplicate the
   stream drops), so a NATS restart loses none; the stream's order is the order every server applies
   (meeting/bus.py rule 1). Poses, pointers and beats go on plain NATS from a second queue: while NATS is
   away the client library holds them, and a late pose is overtaken by the next anyway.
3. A room is followed from its first joiner here: an ordered consumer of its subject from the stream's start
   (the replay) and the plain live subject; the joiner is admitted once the replay reached the subject's last
   sequence at the time of asking, or after SYNC_TIMEOUT with the rest following (a removal among the rest
   still closes it when applied); a bus that does not answer within SYNC_TIMEOUT refuses it with 503. Either
   way the handshake is answered before the client's own open timeout, so it is never left to time out and
   give up on a server that is fine. After a NATS reconnect every room's consumer is recreated from the last
   sequence applied. A room the hub forgot (empty, nothing reserved) is unfollowed.
4. The server listens for 2 beats before it serves, so it knows which servers are alive (meeting/bus.py
   rule 4); the first NATS connection must succeed (BusUnavailable names the URL), later ones retry forever.
5. Poses and pointers wait `live_hold` seconds (LIVE_HOLD) from the first one queued, then everything queued
   for a room meanwhile goes as one batch record (meeting/bus.py rule 9): one message per room per hold. The
   meeting server sets the hold from its load (meeting_server.py rule 3): none when idle.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

import nats.js.errors
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StorageType, StreamConfig

from viewer.meeting.bus import BEAT, BusHub, BusOut, live_batches, subject_room
from viewer.meeting.tokens import MAX_TTL
from viewer.net.bus import BUS_ERRORS, RETRY, BusUnavailable, connect_bus

log = logging.getLogger(__name__)

STREAM, NODES = "CITIVERSE_MEET", "CITIVERSE_MEET_NODES"
ROOMS, LIVE, BEATS, NODE_SUBJECT = "citiverse.meet.room", "citiverse.meet.live", "citiverse.meet.beat", "citiverse.meet.nodes"
# Seconds a room's records are kept: a late server replays them, and a removal among them must outlive the
# longest token it sanctions (tokens.MAX_TTL), or a server started later could readmit that token.
HISTORY_AGE = MAX_TTL
SYNC_TIMEOUT = 2.0  # seconds a joiner's handshake waits for its room: well within a client's open timeout (5 s)
LIVE_HOLD = 0.01  # seconds poses wait to be batched for the bus (rule 5); a websocket client's hold comes after


class MeetingBus:
    """One meeting server's connection to the bus (rules 1-4)."""

    def __init__(self, hub: BusHub, url: str, flush: Callable[[], None],
                 report: Callable[[str], None] | None = None, clock: Callable[[], float] = time.time,
                 live_hold: float = LIVE_HOLD) -> None:
        self.hub, self.url, self.flush, self.clock, self.live_hold = hub, url, flush, clock, live_hold
        self.report = report or (lambda line: log.info("%s", line))
        self.node = 0
        self._nc: NatsClient | None = None
        self._queue: asyncio.Queue[BusOut] = asyncio.Queue()  # stored records
        self._live_queue: asyncio.Queue[BusOut] = asyncio.Queue()  # poses, pointers, beats
        self._sent = 0  # stored records published: their Nats-Msg-Id
        self._tasks: list[asyncio.Task[None]] = []
        self._stored: dict[str, Any] = {}  # room -> its ordered consumer subscription
        self._live: dict[str, Any] = {}  # room -> its live subscription
        self._syncing: dict[str, asyncio.Lock] = {}
        self._resubscribe = asyncio.Event()
        self._closing = False

    async def start(self) -> int:
        """Connect, make the streams, take this server's number (set in the hub), hear the others (rule 4)."""
        self._nc = await connect_bus(self.url, self._bus_report, self._on_reconnect)
        js = self._nc.jetstream()
        try:
            await _ensure_stream(js, StreamConfig(name=STREAM, subjects=[f"{ROOMS}.>"], storage=StorageType.FILE,
                                                  max_age=HISTORY_AGE, allow_direct=True))
            await _ensure_stream(js, StreamConfig(name=NODES, subjects=[NODE_SUBJECT], storage=StorageType.FILE,
                                                  max_msgs=64))
            ack = await js.publish(NODE_SUBJECT, b"meeting server")
        except BUS_ERRORS as exc:
            await self._nc.close()
            raise BusUnavailable(f"NATS {self.url}: cannot create the meeting streams (is JetStream enabled? "
                                 f"nats-server -js): {exc or type(exc).__name__}") from None
        self.node = int(ack.seq)
        self.hub.set_node(self.node)
        await self._nc.subscribe(BEATS, cb=self._on_beat)
        self._tasks = [asyncio.create_task(self._publisher(), name="meeting-bus-publisher"),
                       asyncio.create_task(self._live_publisher(), name="meeting-bus-live"),
                       asyncio.create_task(self._beating(), name="meeting-bus-beat"),
                       asyncio.create_task(self._resubscriber(), name="meeting-bus-resubscribe")]
        await asyncio.sleep(BEAT * 2.2)
        return self.node

    async def close(self) -> None:
        self._closing = True
        pending = set(self._tasks)
        for _ in range(5):  # a cancel that lands as a library call completes can be swallowed (3.11 wait_for)
            for task in pending:
                task.cancel()
            _, pending = await asyncio.wait(pending, timeout=0.5) if pending else (set(), set())
            if not pending:
                break
        for room in list(self._stored):
            await self._unsubscribe(room)
        if self._nc is not None:
            with contextlib.suppress(*BUS_ERRORS, Exception):
                await self._nc.close()

    # ------------------------------------------------------------------ rooms (rule 3)

    async def ensure_room(self, room: str) -> None:
        """Follow `room` (replayed to the stream's end) before a joiner of it is admitted."""
        if room in self._stored and room in self.hub.synced:
            return
        lock = self._syncing.setdefault(room, asyncio.Lock())
        async with lock:
            if room in self._stored and room in self.hub.synced:
                return
            assert self._nc is not None
            self.hub.start_sync(room, self.clock())
            end = time.monotonic() + SYNC_TIMEOUT  # rule 3: the whole handshake, NATS calls included
            last = await asyncio.wait_for(self._last_seq(room), SYNC_TIMEOUT)
            await asyncio.wait_for(self._subscribe(room, self.hub.applied.get(room, 0) + 1),
                                   max(end - time.monotonic(), 0.1))
            while self.hub.applied.get(room, 0) < last and time.monotonic() < end:
                await asyncio.sleep(0.005)
            if self.hub.applied.get(room, 0) < last:
                self.report(f"meeting bus: room {room!r} replayed up to {self.hub.applied.get(room, 0)} of {last} "
                            f"within {SYNC_TIMEOUT} s; the rest follows")
            self.hub.finish_sync(room, self.clock())
            self.flush()

    async def _last_seq(self, room: str) -> int:
        assert self._nc is not None
        try:
            msg = await self._nc.jetstream().get_last_msg(STREAM, f"{ROOMS}.{subject_room(room)}")
        except nats.js.errors.NotFoundError:
            return 0
        return int(msg.seq or 0)

    async def _subscribe(self, room: str, start_seq: int) -> None:
        assert self._nc is not None
        await self._unsubscribe(room)
        subject = f"{ROOMS}.{subject_room(room)}"
        config = ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=max(start_seq, 1),
                                ack_policy=AckPolicy.NONE, filter_subject=subject, inactive_threshold=30.0)

        async def stored(msg: Msg) -> None:
            self.hub.apply_stored(room, msg.data, int(msg.metadata.sequence.stream), self.clock())
            self.flush()

        async def live(msg: Msg) -> None:
            self.hub.apply_live(room, msg.data, self.clock())
            self.flush()

        self._stored[room] = await self._nc.jetstream().subscribe(
            subject, stream=STREAM, cb=stored, ordered_consumer=True, config=config, idle_heartbeat=1.0)
        self._live[room] = await self._nc.subscribe(f"{LIVE}.{subject_room(room)}", cb=live)

    async def _unsubscribe(self, room: str) -> None:
        for subs in (self._stored, self._live):
            sub = subs.pop(room, None)
            if sub is not None:
                with contextlib.suppress(*BUS_ERRORS, Exception):
                    await sub.unsubscribe()

    async def _resubscriber(self) -> None:
        """Recreate consumers after a reconnect; drop the rooms the hub forgot (rule 3)."""
        while True:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._resubscribe.wait(), 1.0)
            again, self._resubscribe = self._resubscribe.is_set(), asyncio.Event()
            for room in [r for r in self._stored if r not in self.hub.synced]:
                await self._unsubscribe(room)
            if not again:
                continue
            try:
                for room in list(self._stored):
                    await self._subscribe(room, self.hub.applied.get(room, 0) + 1)
            except BUS_ERRORS as exc:
                self.report(f"meeting bus: cannot follow the rooms again ({type(exc).__name__}: {exc}); retrying")
                await asyncio.sleep(RETRY)
                self._resubscribe.set()

    async def _on_reconnect(self) -> None:
        self._resubscribe.set()

    # ------------------------------------------------------------------ publishing (rule 2) and beats

    def publish_outbox(self) -> None:
        for item in self.hub.take_outbox():
            (self._queue if item.kind == "stored" else self._live_queue).put_nowait(item)

    async def _publisher(self) -> None:
        """Stored records in order, each until JetStream acknowledged it (rule 2)."""
        assert self._nc is not None
        js = self._nc.jetstream()
        while not self._closing:
            item = await self._queue.get()
            self._sent += 1
            headers = {"Nats-Msg-Id": f"{self.node}-{self._sent}"}
            subject = f"{ROOMS}.{subject_room(item.room)}"
            while not self._closing:
                try:
                    await js.publish(subject, item.data, timeout=2.0, headers=headers)
                    break
                except BUS_ERRORS as exc:
                    log.info("meeting bus: %s not stored yet (%s); retrying", subject, exc or type(exc).__name__)
                    await asyncio.sleep(RETRY)

    async def _live_publisher(self) -> None:
        """Beats, and poses and pointers batched per room (rule 5)."""
        assert self._nc is not None
        while True:
            items = [await self._live_queue.get()]
            if items[0].kind == "live" and self.live_hold > 0:
                await asyncio.sleep(self.live_hold)
            while not self._live_queue.empty():
                items.append(self._live_queue.get_nowait())
            for item in live_batches(items, self.node, self.clock()):
                subject = BEATS if item.kind == "beat" else f"{LIVE}.{subject_room(item.room)}"
                try:
                    await self._nc.publish(subject, item.data)
                except BUS_ERRORS as exc:  # the library's buffer is full while NATS is away
                    log.info("meeting bus: a %s message to %s lost: %s", item.kind, subject,
                             exc or type(exc).__name__)

    async def _beating(self) -> None:
        while True:
            self._live_queue.put_nowait(self.hub.beat(self.clock()))
            await asyncio.sleep(BEAT)

    async def _on_beat(self, msg: Msg) -> None:
        self.hub.apply_beat(msg.data, self.clock())
        self.flush()  # a reannounce (meeting/bus.py rule 4) goes out at once

    def _bus_report(self, line: str) -> None:
        if not self._closing:
            self.report(line)


async def _ensure_stream(js: Any, config: StreamConfig) -> None:
    try:
        await js.update_stream(config=config)
    except nats.js.errors.NotFoundError:
        await js.add_stream(config=config)
