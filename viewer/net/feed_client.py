"""FeedClient: the twin feed for the render thread, received on a background thread with its own event loop.

    client = FeedClient("ws://127.0.0.1:8765/", token=None).start()
    each frame:  for update, reset in client.drain(): twin.apply(update, now, reset=reset)
                 status = client.status()         # state, lag, updates/s for the status line
    at the end:  client.stop()

Rules:
1. The network thread runs a FeedClientProtocol (twin/protocol.py) without a TwinState: it decodes and
   validates, and every UpdateApplied (a clean update and its reset flag) goes into a bounded queue. The
   render thread applies them to its own TwinState. drain() never waits longer than `max_seconds` for the
   queue's lock, which the network thread holds only to append or clear; status() reads counters.
2. The queue never blocks the network thread and never loses state silently. When it holds `queue_size`
   updates and another arrives (the render thread is not draining), it is cleared and the loss is repaired:
   - the new update is a snapshot: it is queued alone (it replaces what was dropped);
   - else a resync is sent, deltas are dropped until the snapshot that answers it arrives (re-sent every
     2 s), and that snapshot is queued. The status says "syncing" meanwhile.
   A reset flag among the dropped updates is carried to that snapshot, so a new stream's first snapshot
   is never applied without it. `coalesced` counts these events.
3. Reconnection: our own loop (not websockets' backoff): after a failed attempt or a lost connection, wait
   min_delay (0.1 s), doubling to max_delay (1 s), so a client is back within about 1 s of the server; a
   connection attempt times out after open_timeout. The protocol's state, and so the render thread's twin
   state, outlives connections: the new stream's first snapshot comes with reset=True.
4. Limits: incoming messages over limits.max_message_bytes are refused by websockets (max_size) before they
   are buffered, closing the connection (then it reconnects); everything else is the protocol's policy.
5. A bearer token goes in the Authorization header; wss:// verifies the server against `cafile` (or the
   system CAs). A refused handshake is reported in status().last_error ("HTTP 401 ...") and retried.
6. status(): state is "connecting" until the first connection, "reconnecting" after any failure until the
   next hello, then the protocol's "syncing", "live", "stale" (and "syncing" while a resync of rule 2 is
   pending), "closed" after stop(). lag_s is the age of the newest data: seconds since the last snapshot or
   delta arrived (0 before any); updates_per_s the rows received in the last second; stale_count how many
   times the feed went stale (silence beyond stale_after).
8. Failover: `url` may name several servers serving one twin (edges of a bus), "ws://a/,ws://b/" or a list.
   A failed attempt or a lost connection moves to the next URL at once; only after every URL failed in a
   row does the wait of rule 3 apply. A connection silent beyond stale_after (a frozen or cut-off edge whose
   socket did not close) is dropped for the next URL when there is one. The new connection's first snapshot
   comes with reset=True, so the twin converges on whichever edge answers; status().url is the current one.
7. The first connection: first_failure(timeout) waits for the outcome of the first attempt. A refusal that
   retrying cannot cure (connection refused, HTTP 401/403, a TLS failure such as an untrusted certificate,
   a server that does not speak websockets) is returned as one clear reason, so a command can stop at once
   instead of waiting for data that will never come; the client keeps retrying until stopped all the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidMessage, InvalidStatus

from viewer import __version__
from viewer.errors import UsageError
from viewer.net.auth import check_token, client_ssl_context, redact
from viewer.twin.batch import TwinUpdate
from viewer.twin.codec import encode
from viewer.twin.messages import DEFAULT_LIMITS, ENCODINGS, FeedLimits, Hello, Resync
from viewer.twin.protocol import (
    CLOSED,
    CONNECTING,
    LIVE,
    STALE,
    FeedClientProtocol,
    FeedEvent,
    HelloReceived,
    MessageDropped,
    StateChanged,
    UpdateApplied,
)

log = logging.getLogger(__name__)

RESYNC_AGAIN = 2.0  # seconds before a coalescing resync (rule 2) is sent again
TICK = 0.1  # seconds between protocol ticks (staleness, re-sends)


@dataclass(frozen=True)
class FeedStatus:
    """What the status line shows (module rule 6)."""

    state: str  # "connecting" | "syncing" | "live" | "stale" | "reconnecting" | "closed"
    lag_s: float
    updates_per_s: float
    stale_count: int
    url: str
    last_error: str | None


class FeedClient:
    """A feed subscription on a background thread (rules above)."""

    def __init__(self, url: str | list[str] | tuple[str, ...], token: str | None = None,
                 cafile: Path | str | None = None,
                 kinds: tuple[str, ...] = (), queue_size: int = 256, stale_after: float = 3.0, *,
                 encodings: tuple[str, ...] = ENCODINGS, limits: FeedLimits = DEFAULT_LIMITS,
                 open_timeout: float = 5.0, min_delay: float = 0.1, max_delay: float = 1.0) -> None:
        self.urls = split_urls(url)
        schemes = {urlsplit(u).scheme for u in self.urls}
        if cafile is not None and "wss" not in schemes:
            raise ValueError("a CA file only applies to a wss:// URL")
        if queue_size < 1:
            raise ValueError("queue_size must be at least 1")
        self._current = 0
        self.url, self.shown_url = self.urls[0], redact(self.urls[0])
        self._headers = {"Authorization": f"Bearer {check_token(token)}"} if token is not None else {}
        self._ssl = client_ssl_context(cafile) if "wss" in schemes else None
        self.failovers = 0  # moves to another URL after a failure (rule 8)
        self.queue_size, self.limits = int(queue_size), limits
        self.open_timeout, self.min_delay, self.max_delay = open_timeout, min_delay, max_delay
        self.protocol = FeedClientProtocol(None, kinds=tuple(kinds), encodings=tuple(encodings), limits=limits,
                                           stale_after=stale_after, peer=self.shown_url)
        self._lock = threading.Lock()
        self._queue: deque[tuple[TwinUpdate, bool]] = deque()
        self._recent: deque[tuple[float, int]] = deque()  # (monotonic time, rows) of the last second
        self._awaiting_snapshot = False  # rule 2: deltas dropped until a snapshot
        self._pending_reset = False
        self._need_resync = False
        self._resync_at = 0.0
        self.coalesced = 0  # times the full queue was cleared (rule 2)
        self.skipped = 0  # deltas dropped while waiting for that snapshot
        self.dropped_messages = 0  # messages the protocol refused
        self.connections = 0  # connections opened
        self._stale_count = 0
        self._last_data: float | None = None
        self._last_error: str | None = None
        self._troubled = False  # a connection failed or was lost: "reconnecting"
        self._hello: Hello | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._ws: ClientConnection | None = None
        self._closer: asyncio.Future[None] | None = None
        self._stopping = False
        self._first = threading.Event()  # rule 7: set when the first attempt has an outcome
        self._first_failure: str | None = None

    # ------------------------------------------------------------ the render thread's side

    def first_failure(self, timeout: float) -> str | None:
        """Wait up to `timeout` s for the first connection attempt (rule 7): the reason it failed for good
        (refused, token, TLS, not a websocket server), else None (connected, still trying, or timed out)."""
        self._first.wait(timeout)
        return self._first_failure

    def start(self) -> FeedClient:
        """Start the network thread (once; later calls do nothing)."""
        if self._thread is None and not self._stopping:
            self._thread = threading.Thread(target=self._main, name=f"feed-client {self.shown_url}", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Close the connection and join the thread; idempotent. Queued updates stay drainable."""
        self._stopping = True
        loop, thread = self._loop, self._thread
        if loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop already closed
                loop.call_soon_threadsafe(self._begin_stop)
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    def _begin_stop(self) -> None:
        """On the network thread: close the websocket cleanly (1000), else cancel the reconnect wait."""
        if self._ws is not None:
            self._closer = asyncio.ensure_future(self._ws.close(1000, "client stopping"))
        elif self._task is not None:
            self._task.cancel()

    def drain(self, max_seconds: float = 0.004) -> list[tuple[TwinUpdate, bool]]:
        """Every queued (update, reset), oldest first; [] when the lock is not free within max_seconds."""
        if not self._lock.acquire(timeout=max(max_seconds, 0.0)):
            return []
        try:
            out = list(self._queue)
            self._queue.clear()
            return out
        finally:
            self._lock.release()

    def status(self) -> FeedStatus:
        now = time.monotonic()
        with self._lock:
            rows = sum(n for t, n in self._recent if t > now - 1.0)
        state = self.protocol.state
        if self._stopping or state == CLOSED:
            shown = "closed"
        elif state == CONNECTING:
            shown = "reconnecting" if self._troubled else "connecting"
        elif state == LIVE and self._awaiting_snapshot:
            shown = "syncing"
        else:
            shown = state
        lag = now - self._last_data if self._last_data is not None else 0.0
        return FeedStatus(shown, lag, float(rows), self._stale_count, self.shown_url, self._last_error)

    @property
    def hello(self) -> Hello | None:
        """The latest hello: the stream's CRS, kinds and encoding (None before the first)."""
        return self._hello

    def __enter__(self) -> FeedClient:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # ------------------------------------------------------------ the network thread

    def _main(self) -> None:
        try:
            asyncio.run(self._run())
        except asyncio.CancelledError:  # stop() while waiting to reconnect
            pass
        except Exception:  # the thread must end quietly; the reason is logged and shown in status()
            log.exception("%s: feed client thread failed", self.shown_url)
        finally:
            self.protocol.close(time.monotonic())

    async def _run(self) -> None:
        self._loop, self._task = asyncio.get_running_loop(), asyncio.current_task()
        if self._stopping:
            return
        delay = self.min_delay
        failed_in_row = 0
        while not self._stopping:
            opened = False
            try:
                async with connect(self.url, additional_headers=self._headers,
                                   ssl=self._ssl if self.url.startswith("wss:") else None,
                                   max_size=self.limits.max_message_bytes, open_timeout=self.open_timeout,
                                   close_timeout=1.0, compression=None,
                                   user_agent_header=f"citiverse/{__version__}") as ws:
                    opened, delay, self._ws, failed_in_row = True, self.min_delay, ws, 0
                    self._first.set()
                    if self._stopping:  # stop() came while connecting
                        break
                    await self._connection(ws)
                    self._error(f"the server closed the connection ({_close_text(ws)})")
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # whatever websockets or a bug raises: reconnect, never die silently
                text, for_good = describe_failure(exc)
                self._error(text)
                failed_in_row += 1
                everywhere = failed_in_row >= len(self.urls)
                if for_good and not opened and self.connections == 0 and everywhere:
                    self._first_failure = text
                if not for_good and not isinstance(exc, (OSError, TimeoutError, InvalidHandshake, ConnectionClosed)):
                    log.exception("%s: unexpected error", self.shown_url)
            finally:
                if failed_in_row == 0 or failed_in_row >= len(self.urls) or self.connections:
                    self._first.set()
            self._ws = None
            if self._stopping:
                break
            self._troubled = True
            if opened:
                self.protocol.connection_lost(time.monotonic())
            if len(self.urls) > 1:
                self._next_url()
                if 0 < failed_in_row < len(self.urls) or opened:
                    continue  # another server may be up: try it at once (rule 8)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.max_delay)
            failed_in_row = 0

    def _next_url(self) -> None:
        self._current = (self._current + 1) % len(self.urls)
        self.url, self.shown_url = self.urls[self._current], redact(self.urls[self._current])
        self.failovers += 1

    def _error(self, text: str) -> None:
        if not self._stopping:
            log.info("%s: %s", self.shown_url, text)
            self._last_error = text

    async def _connection(self, ws: ClientConnection) -> None:
        self.connections += 1
        self._need_resync = False  # the subscribe brings a snapshot anyway
        self._handle(self.protocol.connection_made(time.monotonic()))
        await self._flush(ws)
        ticker = asyncio.create_task(self._ticker(ws))
        try:
            async for message in ws:
                self._handle(self.protocol.receive_data(message, time.monotonic(), time.time()))
                await self._flush(ws)
        finally:
            ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                await ticker

    async def _ticker(self, ws: ClientConnection) -> None:
        while True:
            await asyncio.sleep(TICK)
            now = time.monotonic()
            self._handle(self.protocol.tick(now))
            if self._awaiting_snapshot and now - self._resync_at > RESYNC_AGAIN:
                self._need_resync = True
            await self._flush(ws)

    async def _flush(self, ws: ClientConnection) -> None:
        for data in self.protocol.data_to_send():
            await ws.send(data)
        if self._need_resync:
            self._need_resync, self._resync_at = False, time.monotonic()
            await ws.send(encode(Resync(self.protocol.applied_seq)))

    def _handle(self, events: list[FeedEvent]) -> None:
        for event in events:
            if isinstance(event, UpdateApplied):
                self._deliver(event.update, event.reset)
            elif isinstance(event, StateChanged):
                if event.new == STALE:
                    self._stale_count += 1
                    if len(self.urls) > 1 and self._ws is not None:  # rule 8: a silent edge
                        log.info("%s: silent beyond %.1f s: trying the next server", self.shown_url,
                                 self.protocol.stale_after)
                        self._ws.transport.abort()
            elif isinstance(event, HelloReceived):
                self._hello = event.hello
            elif isinstance(event, MessageDropped):
                self.dropped_messages += 1

    def _deliver(self, update: TwinUpdate, reset: bool) -> None:
        """Queue one update for the render thread, coalescing when the queue is full (rule 2)."""
        now = time.monotonic()
        self._last_data = now
        with self._lock:
            self._recent.append((now, update.count()))
            while self._recent and self._recent[0][0] <= now - 1.0:
                self._recent.popleft()
            if self._awaiting_snapshot:
                if not update.snapshot:
                    self.skipped += 1
                    return
                self._awaiting_snapshot, reset = False, reset or self._pending_reset
                self._pending_reset = False
            elif len(self._queue) >= self.queue_size:
                self.coalesced += 1
                dropped_reset = any(r for _, r in self._queue)
                self._queue.clear()
                log.info("%s: render queue full (%d): cleared, %s", self.shown_url, self.queue_size,
                         "snapshot queued" if update.snapshot else "resync requested")
                if not update.snapshot:
                    self._awaiting_snapshot, self._pending_reset, self._need_resync = True, dropped_reset, True
                    return
                reset = reset or dropped_reset
            self._queue.append((update, reset))


def split_urls(url: str | list[str] | tuple[str, ...]) -> list[str]:
    """The feed URLs of `url` (comma-separated or a list), each checked to be ws:// or wss:// (rule 8)."""
    parts = [u.strip() for u in (url.split(",") if isinstance(url, str) else url)]
    urls = [u for u in parts if u]
    if not urls:
        raise UsageError("no feed URL given")
    for u in urls:
        if urlsplit(u).scheme not in ("ws", "wss"):
            raise UsageError(f"a feed URL starts with ws:// or wss://, got {redact(u)!r}")
    return urls


def describe_failure(exc: BaseException) -> tuple[str, bool]:
    """(one clear reason, whether retrying cannot cure it) for a failed connection (rule 7)."""
    if isinstance(exc, InvalidStatus):
        code = exc.response.status_code
        if code == 401:
            return "HTTP 401: the server refused the token (missing or wrong)", True
        return f"HTTP {code}: the server refused the connection", code in (403, 404)
    if isinstance(exc, ssl.SSLCertVerificationError):
        why = exc.verify_message or exc.reason or "verification failed"
        return (f"TLS: the server's certificate is not trusted ({why}): give its CA with --cafile, "
                "or check the host name"), True
    if isinstance(exc, ssl.SSLError):
        return f"TLS handshake failed ({exc.reason or exc.strerror or type(exc).__name__}): is it a wss:// server?", True
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused: no feed server listens on that host and port", True
    if isinstance(exc, InvalidMessage):
        return ("not a websocket answer (a plain HTTP server, or a wss:// server spoken to as ws://?): "
                f"{exc.__cause__ or exc}"), True
    if isinstance(exc, ConnectionClosed):
        return f"connection lost ({exc})", False
    if isinstance(exc, (OSError, TimeoutError, InvalidHandshake)):
        return f"cannot connect: {str(exc) or type(exc).__name__}", False
    return f"{type(exc).__name__}: {exc}", False


def _close_text(ws: ClientConnection) -> str:
    code = ws.close_code
    return f"code {code}{': ' + ws.close_reason if ws.close_reason else ''}" if code is not None else "no close frame"
