"""The twin feed over NATS JetStream: a publisher runs a Source onto the bus, edges serve websocket viewers from
it, and a history reader replays a time range. Subjects and framing are twin/bus.py's (sans-I/O).

    publisher = BusPublisher(source, "nats://127.0.0.1:4222", "city", BusOptions())
    await publisher.start(); await publisher.run()
    server = FeedServer(BusTwin(), options, report, driver=lambda s: BusEdgeDriver(s, url, "city"))
    source = BusHistorySource(url, "city", start=t0, end=t1)        # a Source (sync) of the history

Rules:
1. Publisher: the Source is stepped by the same SourceDriver as a single-process feed server. Each step is
   published in order and awaited (JetStream acks); its rows are then applied to the publisher's own
   TwinState, from which a checkpoint is written every `checkpoint_every` seconds and after any trouble.
2. Nothing is silently lost: a publish that fails (the server is down, a timeout) or a backlog of more than
   `max_backlog` steps still counts its message numbers (twin/bus.py rule 1), so readers see the gap, and no
   delta is published again until a checkpoint has been written. A source's own mid-stream snapshot is
   published as the delta that turns the previous state into it (removals included).
3. Edge (BusEdgeDriver, the FeedServer's driver): start() waits for a checkpoint (a publisher may come later),
   builds its TwinState from it and follows the deltas after it with a push consumer; every step is
   validated like a websocket peer's update, handed to the server's clients, then applied. A Gap rebuilds
   from the latest checkpoint and sends every client a fresh snapshot; a new publisher epoch restarts the
   clients' connections (code 1012), because its source time may go backwards and only a new stream resets
   a viewer's revisions. After a NATS reconnect the consumer is recreated from the last stream sequence seen.
4. Connections to NATS reconnect forever (every 0.25 s); the first connection must succeed, else
   BusUnavailable says which URL could not be reached.
5. History (BusHistorySource): the last checkpoint at or before `start` (binary search over the stream's
   checkpoint indexes by direct gets), plus the deltas up to `start`, is the first snapshot; then one step
   per `period` of the publisher (an empty step where it published none) until `end` or the stream's end.
   Its calls block (a Source runs on the driver's thread); the NATS client runs on a private loop thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import nats
import nats.errors
import nats.js.errors
import numpy as np
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StreamConfig

from viewer.errors import CitiverseError
from viewer.net.source_driver import SourceDriver
from viewer.sources.base import Source
from viewer.twin.batch import TwinUpdate
from viewer.twin.bus import (
    DEFAULT_MAX_BYTES,
    BusNames,
    Checkpoint,
    DeltaFramer,
    Gap,
    OutMessage,
    StepAssembler,
    StepReady,
    merge_parts,
    read_checkpoint,
    read_delta,
    read_part,
    stream_config,
)
from viewer.twin.errors import MessageError
from viewer.twin.messages import DEFAULT_LIMITS, FeedLimits
from viewer.twin.state import TwinState
from viewer.twin.validate import validate_update

log = logging.getLogger(__name__)

BUS_ERRORS = (nats.errors.Error, nats.js.errors.Error, OSError, asyncio.TimeoutError)
RETRY = 0.25  # seconds between reconnects and between checkpoint reads that found nothing yet


class BusUnavailable(CitiverseError, ConnectionError):
    """The NATS server cannot be reached, or holds no feed of that name."""


@dataclass(frozen=True)
class BusOptions:
    """Publisher settings: checkpoint_every wall seconds; history kept max_age seconds and max_bytes bytes."""

    speed: float = 1.0
    checkpoint_every: float = 5.0
    max_age: float = 24 * 3600.0
    max_bytes: int = 4 * 1024**3
    max_backlog: int = 50
    max_message_bytes: int = DEFAULT_MAX_BYTES
    publish_timeout: float = 2.0
    limits: FeedLimits = DEFAULT_LIMITS


async def connect_bus(url: str, report: Callable[[str], None],
                      on_reconnect: Callable[[], Coroutine[Any, Any, None]] | None = None,
                      first_timeout: float = 5.0) -> NatsClient:
    """A NATS connection that reconnects forever (rule 4); BusUnavailable when the first attempt fails."""
    async def disconnected() -> None:
        report(f"NATS {url}: disconnected; reconnecting")

    async def reconnected() -> None:
        report(f"NATS {url}: reconnected")
        if on_reconnect is not None:
            await on_reconnect()

    async def error(exc: Exception) -> None:
        log.info("NATS %s: %s", url, exc)

    await _probe(url, first_timeout)
    try:  # nats-py retries a first connection forever with max_reconnect_attempts=-1: bound it here
        return await asyncio.wait_for(
            nats.connect(servers=[url], connect_timeout=2, reconnect_time_wait=RETRY, max_reconnect_attempts=-1,
                         allow_reconnect=True, ping_interval=2, max_outstanding_pings=2,
                         disconnected_cb=disconnected, reconnected_cb=reconnected, error_cb=error,
                         name="citiverse"), first_timeout)
    except (*BUS_ERRORS, ValueError) as exc:
        why = "no answer" if isinstance(exc, asyncio.TimeoutError) else (str(exc) or type(exc).__name__)
        raise BusUnavailable(f"cannot reach the NATS server at {url}: {why}") from None


async def _probe(url: str, timeout: float) -> None:
    """A plain TCP connection first, so that "connection refused" is said at once (rule 4)."""
    parts = urlsplit(url)
    try:
        host, port = parts.hostname or "127.0.0.1", parts.port or 4222
    except ValueError:
        raise BusUnavailable(f"--nats: bad port in {url!r}") from None
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    except (TimeoutError, OSError) as exc:
        why = ("no answer" if isinstance(exc, TimeoutError) else "connection refused"
               if isinstance(exc, ConnectionRefusedError) else (exc.strerror or str(exc)))
        raise BusUnavailable(f"cannot reach the NATS server at {url}: {why}") from None
    writer.close()


def new_epoch() -> str:
    """A publisher run's id: its start time and randomness (sorts by start, never repeats)."""
    return f"{int(time.time() * 1000):x}-{secrets.token_hex(4)}"


# ---------------------------------------------------------------------------------------------- publisher


class BusPublisher:
    """Runs a Source and publishes its steps and checkpoints to the bus (rules 1-2)."""

    def __init__(self, source: Source, url: str, subject: str, options: BusOptions | None = None,
                 report: Callable[[str], None] | None = None) -> None:
        self.source, self.url, self.names = source, url, BusNames(subject)
        self.options = options or BusOptions()
        self.report = report or (lambda line: None)
        self.driver = SourceDriver(source, self._on_update, self.options.speed, self.options.limits, self.report)
        self.state = TwinState(tuple(source.kinds))
        self.framer = DeltaFramer(self.names, new_epoch(), self.options.max_message_bytes)
        self.step = -1  # the step last taken from the source
        self.published = 0  # delta messages acknowledged
        self.failed = 0  # delta messages lost (counted in N)
        self.checkpoints = 0
        self._queue: asyncio.Queue[TwinUpdate] = asyncio.Queue()
        self._need_checkpoint = True
        self._last_checkpoint = float("-inf")
        self._broken: str | None = None  # why publishing fails (reported once)
        self._nc: NatsClient | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    @property
    def epoch(self) -> str:
        return self.framer.epoch

    async def start(self) -> None:
        """Connect, create or update the stream, start the source and write the first checkpoint."""
        self._nc = await connect_bus(self.url, self._bus_report)
        js = self._nc.jetstream()
        config = StreamConfig(**stream_config(self.names, self.options.max_age, self.options.max_bytes))
        try:
            try:
                await js.update_stream(config=config)
            except nats.js.errors.NotFoundError:
                await js.add_stream(config=config)
        except BUS_ERRORS as exc:
            await self._nc.close()
            raise BusUnavailable(f"NATS {self.url}: cannot create the stream {self.names.stream} "
                                 f"(is JetStream enabled? nats-server -js): {exc}") from None
        await self.driver.start()
        await self._drain_queue()
        self._task = asyncio.create_task(self._publish_loop(), name="bus-publisher")

    async def run(self) -> None:
        """Step the source until it ends (then keep the bus side up until cancelled)."""
        await self.driver.run()
        await self._queue.join()
        await self._checkpoint()

    def _bus_report(self, line: str) -> None:
        if not self._closing:
            self.report(line)

    async def close(self) -> None:
        self._closing = True
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        await self.driver.close()
        if self._nc is not None:
            with contextlib.suppress(*BUS_ERRORS):
                await self._nc.drain()

    def _on_update(self, update: TwinUpdate, now: float) -> None:
        self._queue.put_nowait(update)

    async def _publish_loop(self) -> None:
        while True:
            update = await self._queue.get()
            try:
                await self._take(update)
            finally:
                self._queue.task_done()

    async def _drain_queue(self) -> None:
        while not self._queue.empty():
            await self._take(self._queue.get_nowait())
            self._queue.task_done()

    async def _take(self, update: TwinUpdate) -> None:
        """One source step: publish it (or count it lost), apply it, checkpoint when due (rules 1-2)."""
        self.step += 1
        if update.snapshot and self.step > 0:
            update = self._as_delta(update)
        if update.snapshot:
            self.state.apply(update, time.time(), reset=True)
        else:
            behind = self._queue.qsize() > self.options.max_backlog
            messages = self.framer.frame(self.step, update)
            if self._need_checkpoint or behind:
                self._lose(messages, "the bus is behind the source" if behind else None)
            else:
                await self._send_deltas(messages)
            self.state.apply(update, time.time())
        due = time.monotonic() - self._last_checkpoint >= self.options.checkpoint_every
        if self._need_checkpoint or due:
            await self._checkpoint()

    def _as_delta(self, snapshot: TwinUpdate) -> TwinUpdate:
        """A mid-stream snapshot as the delta from the current state to it (rule 2)."""
        removals = {}
        for kind, batch in snapshot.upserts.items():
            live = self.state[kind].live_ids()
            gone = live[~np.isin(live.astype(str), np.asarray(batch.ids, dtype=str))] if len(live) else live
            if len(gone):
                removals[kind] = gone.astype(object)
        return TwinUpdate(snapshot.time, dict(snapshot.upserts), removals)

    def _lose(self, messages: list[OutMessage], why: str | None) -> None:
        if messages:
            self.failed += len(messages)
        if why is not None and not self._need_checkpoint:
            self.report(f"publisher: {why}; steps dropped until the next checkpoint")
        self._need_checkpoint = True

    async def _send_deltas(self, messages: list[OutMessage]) -> None:
        for i, message in enumerate(messages):
            if not await self._send(message):
                self._lose(messages[i:], None)
                return
            self.published += 1

    async def _send(self, message: OutMessage) -> int | None:
        """Publish and await the ack: the stream sequence, or None (reported once per outage)."""
        assert self._nc is not None
        try:
            ack = await self._nc.jetstream().publish(message.subject, message.payload, headers=message.headers,
                                                     timeout=self.options.publish_timeout,
                                                     stream=self.names.stream)
        except BUS_ERRORS as exc:
            if self._broken is None:
                self._broken = f"{type(exc).__name__}: {exc}"
                self.report(f"publisher: the bus refused a message ({self._broken}); "
                            "keeping the source's state, a checkpoint follows when the bus is back")
            return None
        if self._broken is not None:
            self.report("publisher: the bus is back")
            self._broken = None
        return int(ack.seq)

    async def _checkpoint(self) -> bool:
        """Publish the state after the current step as parts, then their index (twin/bus.py rule 3)."""
        snapshot = self.state.snapshot()
        seqs = []
        for message in self.framer.parts(self.step, snapshot):
            seq = await self._send(message)
            if seq is None:
                self._need_checkpoint = True
                return False
            seqs.append(seq)
        index = Checkpoint(self.epoch, self.step, self.framer.n, snapshot.time, self.source.name, self.source.crs,
                           tuple(self.source.kinds), float(self.source.period), tuple(seqs))
        if await self._send(OutMessage(self.names.index, index.to_json())) is None:
            self._need_checkpoint = True
            return False
        self._need_checkpoint = False
        self._last_checkpoint = time.monotonic()
        self.checkpoints += 1
        return True


# ---------------------------------------------------------------------------------------------- reading


async def read_latest(js: Any, names: BusNames) -> tuple[Checkpoint, int]:
    """The latest checkpoint and its stream sequence; NotFoundError when there is none yet."""
    msg = await js.get_msg(names.stream, subject=names.index, direct=True)
    return read_checkpoint(msg.data or b""), int(msg.seq)


async def read_state(js: Any, names: BusNames, checkpoint: Checkpoint, limits: FeedLimits) -> TwinUpdate:
    """The checkpoint's parts (by their stream sequences) as one snapshot of its kinds."""
    parts = []
    for seq in checkpoint.parts:
        msg = await js.get_msg(names.stream, seq=seq, direct=True)
        if (msg.headers or {}).get("Citiverse-Step") != str(checkpoint.step):
            raise MessageError(f"checkpoint part {seq} is not of step {checkpoint.step}")
        parts.append(read_part(names, msg.subject, msg.data or b"", limits))
    return merge_parts(checkpoint.time, checkpoint.kinds, parts)


class BusTwin:
    """What a FeedServer shows of the bus's twin (name, crs, kinds), filled in by the edge's start()."""

    def __init__(self) -> None:
        self.name, self.crs, self.period = "bus", "", 1.0
        self.kinds: tuple[str, ...] = ()


class BusEdgeDriver:
    """A FeedServer's driver fed from the bus (rule 3). The server passes itself in: publish_update for the
    clients, restart_clients for a new publisher epoch, and its `source` (a BusTwin) to fill in."""

    def __init__(self, server: Any, url: str, subject: str, limits: FeedLimits = DEFAULT_LIMITS,
                 report: Callable[[str], None] | None = None) -> None:
        self.server, self.url, self.names, self.limits = server, url, BusNames(subject), limits
        self.report = report or server.report
        self.twin: BusTwin = server.source
        self.kinds: tuple[str, ...] = ()
        self.state = TwinState(())
        self.rows = 0
        self.steps = 0
        self.rebuilds = 0
        self.restarts = 0
        self.ended = False
        self.error: str | None = None
        self.last_seq = 0  # stream sequence of the last delta taken
        self._assembler: StepAssembler | None = None
        self._epoch = ""
        self._nc: NatsClient | None = None
        self._sub: Any = None
        self._rebuild_needed: Gap | None = None
        self._resubscribe = False
        self._wake = asyncio.Event()
        self._cache: tuple[tuple[float, tuple[int, ...]], TwinUpdate] | None = None
        self._closing = False

    async def start(self) -> None:
        self._nc = await connect_bus(self.url, lambda line: None if self._closing else self.report(line),
                                     self._on_reconnect)
        checkpoint = await self._rebuild(None, first=True)
        self.kinds = checkpoint.kinds
        self.twin.name, self.twin.crs, self.twin.kinds = checkpoint.source, checkpoint.crs, checkpoint.kinds
        self.twin.period = checkpoint.period

    async def run(self) -> None:
        """Rebuild on gaps and recreate the consumer after reconnects, until cancelled."""
        while True:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), 1.0)
            self._wake.clear()
            try:
                if self._rebuild_needed is not None:
                    gap, self._rebuild_needed = self._rebuild_needed, None
                    await self._rebuild(gap)
                elif self._resubscribe:
                    self._resubscribe = False
                    await self._subscribe(self.last_seq + 1)
            except BUS_ERRORS as exc:  # the bus went away again: try once more later
                self.report(f"edge: bus trouble ({type(exc).__name__}: {exc}); retrying")
                self._resubscribe = True
                await asyncio.sleep(RETRY)

    async def close(self) -> None:
        self._closing = True
        if self._nc is not None:
            with contextlib.suppress(*BUS_ERRORS):
                await self._nc.close()

    def snapshot(self) -> TwinUpdate:
        key = (self.state.time, tuple(t.version for t in self.state.tables.values()))
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, self.state.snapshot())
        return self._cache[1]

    async def _on_reconnect(self) -> None:
        self._resubscribe = True
        self._wake.set()

    async def _rebuild(self, gap: Gap | None, first: bool = False) -> Checkpoint:
        """State from the latest checkpoint that covers `gap`, then follow the deltas after it."""
        assert self._nc is not None
        js = self._nc.jetstream()
        waited = False
        while True:
            try:
                checkpoint, seq = await read_latest(js, self.names)
                if gap is None or _covers(checkpoint, gap, self._epoch):
                    state = await read_state(js, self.names, checkpoint, self.limits)
                    break
            except (nats.js.errors.NotFoundError, nats.js.errors.APIError, nats.errors.TimeoutError,
                    nats.errors.NoRespondersError) as exc:
                if not waited:
                    self.report(f"edge: waiting for a checkpoint of {self.names.name!r} on {self.url} ({exc or type(exc).__name__})")
                    waited = True
            except MessageError as exc:
                self.report(f"edge: checkpoint refused: {exc.reason}; waiting for the next")
            await asyncio.sleep(RETRY)
        new_epoch = checkpoint.epoch != self._epoch
        self._epoch = checkpoint.epoch
        self._assembler = StepAssembler(checkpoint.epoch, checkpoint.n, checkpoint.step)
        fresh = TwinState(checkpoint.kinds)
        fresh.apply(state, time.time(), reset=True)
        self.state, self._cache = fresh, None
        await self._subscribe(seq + 1)
        if not first:
            self.rebuilds += 1
            if new_epoch:
                self.restarts += 1
                self.report(f"edge: new publisher run {checkpoint.epoch}: restarting client streams")
                self.server.restart_clients("the twin's publisher restarted")
            else:
                self.report(f"edge: rebuilt from checkpoint step {checkpoint.step} ({gap.reason if gap else ''})")
                self.server.publish_update(self.snapshot(), time.time())
        return checkpoint

    async def _subscribe(self, start_seq: int) -> None:
        assert self._nc is not None
        if self._sub is not None:
            with contextlib.suppress(*BUS_ERRORS, Exception):
                await self._sub.unsubscribe()
            self._sub = None
        js = self._nc.jetstream()
        config = ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=max(start_seq, 1),
                                ack_policy=AckPolicy.NONE, filter_subject=self.names.deltas,
                                inactive_threshold=30.0)
        self._sub = await js.subscribe(self.names.deltas, stream=self.names.stream, cb=self._on_message,
                                       ordered_consumer=True, config=config, idle_heartbeat=1.0,
                                       pending_bytes_limit=256 * 1024 * 1024)

    async def _on_message(self, msg: Msg) -> None:
        if self._rebuild_needed is not None or self._assembler is None:
            return
        seq = int(msg.metadata.sequence.stream)
        if seq <= self.last_seq:
            return  # a redelivery after a resubscribe
        self.last_seq = seq
        try:
            frame = read_delta(self.names, msg.subject, msg.headers, msg.data, self.limits)
        except MessageError as exc:
            self._gap(Gap(f"unreadable message {seq}: {exc.reason}", False, 0))
            return
        event = self._assembler.feed(frame)
        if isinstance(event, Gap):
            self._gap(event)
        elif isinstance(event, StepReady):
            self._take(event.update)

    def _gap(self, gap: Gap) -> None:
        log.info("edge %s: %s", self.names.name, gap.reason)
        self._rebuild_needed = gap
        self._wake.set()

    def _take(self, update: TwinUpdate) -> None:
        clean, reasons = validate_update(update, self.limits.max_id_length)
        for reason in reasons:
            log.warning("bus %s: %s", self.names.name, reason)
        now = time.time()
        self.steps += 1
        self.rows += clean.count()
        self.server.publish_update(clean, now)
        self.state.apply(clean, now)


def _covers(checkpoint: Checkpoint, gap: Gap, epoch: str) -> bool:
    """Whether a checkpoint can repair `gap`: of a new epoch when the publisher restarted, else of ours and
    at least up to the step before the one that showed the gap."""
    if gap.new_epoch:
        return checkpoint.epoch != epoch
    return checkpoint.epoch != epoch or checkpoint.step >= gap.step - 1


# ---------------------------------------------------------------------------------------------- history


class BusHistorySource:
    """A time range of a twin's history on the bus, as a Source (rule 5)."""

    def __init__(self, url: str, subject: str, start: float, end: float | None = None,
                 limits: FeedLimits = DEFAULT_LIMITS, timeout: float = 10.0) -> None:
        if end is not None and not end > start:
            raise ValueError(f"--to must be after --from ({end} <= {start})")
        self.url, self.names, self.begin, self.end, self.limits = url, BusNames(subject), start, end, limits
        self.timeout = timeout
        self.name, self.crs, self.period = "history", "", 1.0
        self.kinds: tuple[str, ...] = ("vehicle", "road", "building")
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="bus-history", daemon=True)
        self._thread.start()
        self._nc: NatsClient | None = None
        self._state: TwinState | None = None
        self._assembler: StepAssembler | None = None
        self._next_seq = 0
        self._pending: StepReady | None = None
        self._time = float("nan")
        self._closed = False
        try:
            self._call(self._open())
        except BaseException:
            self.close()
            raise

    def _call(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(self.timeout * 4)

    async def _open(self) -> None:
        self._nc = await connect_bus(self.url, lambda line: log.info("%s", line))
        js = self._nc.jetstream()
        try:
            info = await js.stream_info(self.names.stream)
            checkpoint, seq = await self._find(js, int(info.state.first_seq), int(info.state.last_seq))
        except nats.js.errors.NotFoundError:
            raise BusUnavailable(f"NATS {self.url} holds no feed named {self.names.name!r}") from None
        self.crs, self.kinds, self.period = checkpoint.crs, checkpoint.kinds, checkpoint.period
        self._state = TwinState(checkpoint.kinds)
        self._state.apply(await read_state(js, self.names, checkpoint, self.limits), 0.0, reset=True)
        self._assembler = StepAssembler(checkpoint.epoch, checkpoint.n, checkpoint.step)
        self._next_seq = seq + 1
        while True:  # fast-forward to `start`
            ready = await self._next_step(js)
            if ready is None or ready.update.time > self.begin:
                self._pending = ready
                break
            self._state.apply(ready.update, 0.0)
        self._time = self.begin

    async def _find(self, js: Any, first: int, last: int) -> tuple[Checkpoint, int]:
        """The last checkpoint with time <= begin, by binary search over stream sequences."""
        best: tuple[Checkpoint, int] | None = None
        earliest: float | None = None
        lo, hi = first, last
        while lo <= hi:
            mid = (lo + hi) // 2
            try:
                msg = await js.get_msg(self.names.stream, seq=mid, subject=self.names.index, next=True, direct=True)
            except nats.js.errors.NotFoundError:
                hi = mid - 1
                continue
            seq = int(msg.seq)
            if seq > hi:
                hi = mid - 1
                continue
            checkpoint = read_checkpoint(msg.data or b"")
            if earliest is None or checkpoint.time < earliest:
                earliest = checkpoint.time
            if checkpoint.time <= self.begin:
                best, lo = (checkpoint, seq), seq + 1
            else:
                hi = mid - 1
        if best is None:
            kept = "no checkpoint at all" if earliest is None else f"its history begins at {earliest:.1f}"
            raise BusUnavailable(f"feed {self.names.name!r} on {self.url} has nothing at {self.begin:.1f}: {kept}")
        return best

    async def _next_step(self, js: Any) -> StepReady | None:
        """The next whole step after _next_seq (a gap jumps to the next checkpoint); None at the stream's end."""
        assert self._assembler is not None and self._state is not None
        while True:
            try:
                msg = await js.get_msg(self.names.stream, seq=self._next_seq, subject=self.names.deltas, next=True,
                                       direct=True)
            except nats.js.errors.NotFoundError:
                return None
            self._next_seq = int(msg.seq) + 1
            try:
                frame = read_delta(self.names, msg.subject, msg.headers, msg.data or b"", self.limits)
            except MessageError as exc:
                log.warning("history %s: message %s skipped: %s", self.names.name, msg.seq, exc.reason)
                continue
            event = self._assembler.feed(frame)
            if isinstance(event, StepReady):
                return event
            if isinstance(event, Gap):
                return await self._jump(js, event)

    async def _jump(self, js: Any, gap: Gap) -> StepReady | None:
        """After a gap: the next checkpoint as a snapshot step."""
        log.warning("history %s: %s; continuing from the next checkpoint", self.names.name, gap.reason)
        try:
            msg = await js.get_msg(self.names.stream, seq=self._next_seq - 1, subject=self.names.index, next=True,
                                   direct=True)
        except nats.js.errors.NotFoundError:
            return None
        checkpoint = read_checkpoint(msg.data or b"")
        self._assembler = StepAssembler(checkpoint.epoch, checkpoint.n, checkpoint.step)
        self._next_seq = int(msg.seq) + 1
        return StepReady(checkpoint.step, await read_state(js, self.names, checkpoint, self.limits))

    # The Source protocol (viewer/sources/base.py), called on one thread.

    def start(self) -> TwinUpdate:
        assert self._state is not None
        return self._state.snapshot(time=self.begin)

    def step(self) -> TwinUpdate | None:
        """The next period: the step that falls in it, or an empty update."""
        target = self._time + self.period
        if self._pending is None or (self.end is not None and self._pending.update.time > self.end):
            return None
        if self._pending.update.time > target + self.period / 2:
            self._time = target
            return TwinUpdate(target)
        update = self._pending.update
        self._time = max(update.time, target)
        self._pending = self._call(self._next_step(self._nc.jetstream()))  # type: ignore[union-attr]
        return update

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._nc is not None:
            with contextlib.suppress(Exception):
                self._call(self._nc.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
