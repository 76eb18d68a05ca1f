"""SourceDriver: runs a Source for the feed server, keeping the server's own twin state.

Rules:
1. Every call into the source (start, step, close) runs on one dedicated thread, in order: a SUMO step blocks
   1-5 ms, a replay reads and decodes a file, and libsumo wants one thread; the event loop never waits on
   them. Validation (twin/validate.py) runs there too.
2. step() is called every period / speed wall seconds on a fixed schedule. A source slower than its
   schedule slows the stream down: when the driver falls more than one interval behind, the schedule
   restarts from now rather than bursting to catch up.
3. Each clean update is handed to `publish` (with the server clock) and only then applied to `state` (a
   TwinState over the source's kinds, from which fresh snapshots are cut), in a callback queued behind the
   writers that publish woke: clients get the update without waiting for the server's own copy (3 ms for
   10k vehicles). snapshot() first applies whatever is still pending, so a snapshot always holds every
   published update. `state` is only touched on the loop. Rows of kinds the source did not declare are
   dropped with a warning (they have no table, and the hello did not list them).
4. A source that ends (step() -> None) or fails (any exception from step) stops the stream: the last state is
   kept and still served. A source that fails in start() fails start(): the server does not open.
5. snapshot() is cut from `state` and cached until the state changes, so many clients joining at once cost
   one copy.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from viewer.sources.base import Source
from viewer.twin.batch import TwinUpdate
from viewer.twin.messages import DEFAULT_LIMITS, FeedLimits
from viewer.twin.state import TwinState
from viewer.twin.validate import validate_update

log = logging.getLogger(__name__)


class SourceDriver:
    """Steps `source` at `speed` x its own pace; publish(update, now) receives each clean update."""

    def __init__(self, source: Source, publish: Callable[[TwinUpdate, float], None], speed: float = 1.0,
                 limits: FeedLimits = DEFAULT_LIMITS, report: Callable[[str], None] | None = None) -> None:
        if not speed > 0 or not source.period > 0:
            raise ValueError(f"speed and the source's period must be > 0 (speed {speed}, period {source.period})")
        self.source, self.publish, self.speed, self.limits = source, publish, float(speed), limits
        self.report = report or (lambda line: None)
        self.kinds = tuple(source.kinds)
        self.state = TwinState(self.kinds)
        self._pending: deque[tuple[TwinUpdate, float]] = deque()  # published, not yet in `state`
        self.interval = source.period / self.speed
        self.steps = 0  # updates published, start() included
        self.rows = 0  # rows published
        self.dropped_rows = 0
        self.ended = False
        self.error: str | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="feed-source")
        self._cache: tuple[tuple[float, tuple[int, ...]], TwinUpdate] | None = None
        self._closed = False

    def _produce(self, method: Callable[[], TwinUpdate | None], loop: asyncio.AbstractEventLoop) -> bool:
        """On the source thread: call the source, validate, publish, apply (rule 3). False when it ended."""
        update = method()
        if update is None:
            return False
        clean, reasons = validate_update(update, self.limits.max_id_length)
        extra = (set(clean.upserts) | set(clean.removals)) - set(self.kinds)
        if extra:
            reasons.append(f"rows of undeclared kind(s) {sorted(extra)} dropped")
            clean = TwinUpdate(clean.time, {k: b for k, b in clean.upserts.items() if k in self.kinds},
                               {k: r for k, r in clean.removals.items() if k in self.kinds}, clean.snapshot)
        self.dropped_rows += update.count() - clean.count()
        try:
            loop.call_soon_threadsafe(self._publish, clean, reasons)
        except RuntimeError:  # the loop closed while this step ran: the server is gone
            return False
        return True

    async def _call(self, method: Callable[[], TwinUpdate | None]) -> bool:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._produce, method, loop)

    async def start(self) -> None:
        """Run source.start() and apply its snapshot (exceptions propagate: the server must not open)."""
        if not await self._call(self.source.start):
            raise ValueError(f"source {self.source.name!r} returned no snapshot from start()")
        self.catch_up()  # its publish callback ran before this await returned (both FIFO from the thread)

    async def run(self) -> None:
        """Step the source until it ends, fails or the task is cancelled."""
        loop = asyncio.get_running_loop()
        next_at = loop.time()
        while not self._closed:
            next_at += self.interval
            delay = next_at - loop.time()
            if delay < -self.interval:
                next_at = loop.time()  # behind by more than a step: slow down instead of bursting
            await asyncio.sleep(max(delay, 0.0))
            try:
                more = await self._call(self.source.step)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # any source bug or bad file must not take the server down
                log.exception("source %s failed", self.source.name)
                self.error = f"{type(exc).__name__}: {exc}"
                self.report(f"source {self.source.name} failed: {self.error}; serving its last state")
                self.ended = True
                return
            if not more:
                self.ended = True
                self.report(f"source {self.source.name} ended after {self.steps} updates; serving its last state")
                return

    def _publish(self, update: TwinUpdate, reasons: list[str]) -> None:
        """On the loop: hand an update from the source thread to the clients, then to `state` (rule 3)."""
        for reason in reasons:
            log.warning("source %s: %s", self.source.name, reason)
        now = time.time()
        self.steps += 1
        self.rows += update.count()
        self._pending.append((update, now))
        self.publish(update, now)
        asyncio.get_running_loop().call_soon(self.catch_up)

    def catch_up(self) -> None:
        """Apply the published updates still pending to `state`."""
        while self._pending:
            update, now = self._pending.popleft()
            self.state.apply(update, now)

    def snapshot(self) -> TwinUpdate:
        """The server state as a snapshot of every kind (cached until the state changes)."""
        self.catch_up()
        key = (self.state.time, tuple(t.version for t in self.state.tables.values()))
        if self._cache is None or self._cache[0] != key:
            self._cache = (key, self.state.snapshot())
        return self._cache[1]

    async def close(self) -> None:
        """Close the source on its thread (after any step still running there) and stop the thread."""
        if self._closed:
            return
        self._closed = True
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._executor, self.source.close)
        except Exception:  # closing must finish whatever the source does
            log.exception("source %s failed to close", self.source.name)
        self._executor.shutdown(wait=False)
