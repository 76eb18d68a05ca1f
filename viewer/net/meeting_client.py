"""MeetingClient: a meeting connection for a render loop that must never wait on the network.

    client = MeetingClient(url, token).start()     # background thread with its own asyncio loop
    for arrival, event in client.poll(): ...       # render thread: what happened, never blocks
    client.set_pose(pose); client.send(Say("hi"))  # render thread: thread-safe, never blocks
    client.stop()

Rules:
1. All meeting logic is MeetingClientProtocol's (viewer/meeting/protocol.py, sans-I/O); this module opens
   the websocket (token in an `Authorization: Bearer` header, or in the URL with token_in="query"), moves
   bytes, runs the protocol's timer, and reconnects.
2. The render thread and the network thread meet in two places only: `poll()` drains a bounded queue of
   (arrival time, event); when the renderer falls so far behind that the queue is full, the queue is
   emptied and one Resynced event (the protocol's whole view of the room) takes its place, so nothing is
   lost and memory stays bounded. `set_pose`/`send` hand work to the loop with call_soon_threadsafe.
3. Reconnect with a short exponential backoff (0.2 s doubling to 2 s, with jitter), reset once a
   connection reaches the live state. A refused token (HTTP 401/403) or a removal by a host ends the
   client for good (protocol rule 3); 503 (room full) and lost connections are retried.
4. Arrival times come from `clock` (monotonic by default): the RoomView interpolates with them.
5. Several servers (`ws://a/ROOM,ws://b/ROOM` or a list, servers sharing the room over NATS): a connection
   that is lost, refused with 503 or cannot be opened moves to the next URL at once; the backoff applies
   only after every URL failed in a row. The token stays the same, so the new server gives the same
   participant id back (meeting/bus.py rule 3): the client rejoins within the servers' resume rules.
6. The handshake asks for batches (`?batch=1`, unless batch=False): a server that knows them sends the poses
   and pointers that piled up as one message, which the protocol takes apart (protocol.py rule 6); an older
   server ignores the parameter and sends each alone. Events are the same either way.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from urllib.parse import quote, urlsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from viewer.meeting.codec import BATCH_QUERY
from viewer.meeting.messages import DEFAULT_LIMITS, ClientMessage, MeetingLimits, Pose
from viewer.meeting.protocol import LIVE, ClientEvent, MeetingClientProtocol

log = logging.getLogger(__name__)

Timed = tuple[float, ClientEvent]


class MeetingClient:
    """One participant's connection to `url` with `token` (rules 1-4)."""

    def __init__(self, url: str | list[str] | tuple[str, ...], token: str, *, limits: MeetingLimits = DEFAULT_LIMITS, pose_hz: float = 15.0,
                 queue_size: int = 1024, backoff: tuple[float, float] = (0.2, 2.0), open_timeout: float = 5.0,
                 ping_interval: float = 2.0, ping_timeout: float = 2.0, token_in: str = "header",
                 batch: bool = True, clock: Callable[[], float] = time.monotonic) -> None:
        if token_in not in ("header", "query"):
            raise ValueError("token_in is 'header' or 'query'")
        self.urls = split_urls(url)
        self.url, self.token, self.token_in, self.batch = self.urls[0], token, token_in, batch
        self.protocol = MeetingClientProtocol(limits, pose_hz, peer=self.url)
        self.queue_size, self.backoff, self.open_timeout = queue_size, backoff, open_timeout
        self.ping_interval, self.ping_timeout, self.clock = ping_interval, ping_timeout, clock
        self.connections = 0  # websocket connections opened so far
        self.resyncs = 0  # times the render queue gave way to a Resynced event
        self.failovers = 0  # moves to the next URL (rule 5)
        self._events: deque[Timed] = deque()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._wake: asyncio.Event | None = None
        self._stop: asyncio.Event | None = None

    # ------------------------------------------------------------------ render-thread API

    @property
    def state(self) -> str:
        return self.protocol.state

    @property
    def reason(self) -> str:
        return self.protocol.reason

    def start(self) -> MeetingClient:
        self._thread = threading.Thread(target=self._thread_main, name="meeting-client", daemon=True)
        self._thread.start()
        self._ready.wait(5.0)
        return self

    def stop(self, timeout: float = 3.0) -> None:
        """Close the connection and end the thread."""
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._stopping)
        if self._thread is not None:
            self._thread.join(timeout)

    def poll(self, max_items: int | None = None) -> list[Timed]:
        """Events that arrived since the last call (oldest first), at most `max_items`; never blocks."""
        with self._lock:
            count = len(self._events) if max_items is None else min(max_items, len(self._events))
            return [self._events.popleft() for _ in range(count)]

    def set_pose(self, pose: Pose) -> None:
        """My newest pose (coalesced: sent at pose_hz at most)."""
        self._call(lambda: self.protocol.set_pose(pose, self.clock()))

    def send(self, message: ClientMessage) -> None:
        """A chat line, pointer or host action."""
        self._call(lambda: self.protocol.send(message, self.clock()))

    def _call(self, fn: Callable[[], None]) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return

        def run() -> None:
            fn()
            if self._wake is not None:
                self._wake.set()
        with contextlib.suppress(RuntimeError):  # the loop closed in between: nothing to send to
            loop.call_soon_threadsafe(run)

    # ------------------------------------------------------------------ network thread

    def _stopping(self) -> None:
        assert self._stop is not None and self._wake is not None
        self._stop.set()
        self._wake.set()

    def _emit(self, events: Iterable[ClientEvent]) -> None:
        now = self.clock()
        with self._lock:
            for event in events:
                if len(self._events) >= self.queue_size:  # rule 2: the renderer is far behind
                    self._events.clear()
                    self._events.append((now, self.protocol.resynced()))
                    self.resyncs += 1
                    continue
                self._events.append((now, event))

    def _thread_main(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(self._main())
        finally:
            loop.close()

    async def _main(self) -> None:
        self._wake, self._stop = asyncio.Event(), asyncio.Event()
        self._ready.set()
        delay, failed_in_row = self.backoff[0], 0
        while not self._stop.is_set() and not self.protocol.terminal:
            reached_live = await self._connect_once()
            if self._stop.is_set() or self.protocol.terminal:
                break
            failed_in_row = 0 if reached_live else failed_in_row + 1
            if len(self.urls) > 1:  # rule 5: another server may be up
                self._next_url()
                if failed_in_row < len(self.urls):
                    continue
                failed_in_row = 0
            delay = self.backoff[0] if reached_live else min(delay * 2.0, self.backoff[1])
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), delay * random.uniform(0.75, 1.25))
        if not self.protocol.terminal:  # a refused or removed client keeps saying why
            self._emit(self.protocol.close(self.clock()))

    def _next_url(self) -> None:
        self.url = self.urls[(self.urls.index(self.url) + 1) % len(self.urls)]
        self.protocol.peer = self.url
        self.failovers += 1

    async def _connect_once(self) -> bool:
        """One connection, from handshake to close; whether it reached the live state."""
        url, headers = self.url, {}
        if self.batch:  # rule 6
            url += ("&" if "?" in url else "?") + BATCH_QUERY
        if self.token_in == "query":
            url += ("&" if "?" in url else "?") + "token=" + quote(self.token, safe="")
        else:
            headers["Authorization"] = f"Bearer {self.token}"
        live = False
        try:
            async with connect(url, additional_headers=headers, open_timeout=self.open_timeout,
                               ping_interval=self.ping_interval, ping_timeout=self.ping_timeout,
                               close_timeout=1.0, max_size=self.protocol.limits.max_server_message_bytes,
                               compression=None) as ws:
                self.connections += 1
                self._emit(self.protocol.connection_made(self.clock()))
                live = await self._session(ws)
                code, reason = ws.close_code, ws.close_reason or ""
            self._emit(self.protocol.connection_lost(self.clock(), code, reason))
        except InvalidStatus as exc:
            body = bytes(exc.response.body or b"")[:200].decode("utf-8", "replace").strip()
            self._emit(self.protocol.refused(exc.response.status_code, body, self.clock()))
        except (OSError, InvalidHandshake, TimeoutError, ConnectionClosed) as exc:
            self._emit(self.protocol.connection_lost(self.clock(), None, f"{type(exc).__name__}: {exc}"))
        return live

    async def _session(self, ws: ClientConnection) -> bool:
        """Read and write until the connection closes or stop(); whether it reached the live state."""
        assert self._wake is not None and self._stop is not None
        reader = asyncio.create_task(self._reader(ws))
        reader.add_done_callback(lambda _: self._wake.set() if self._wake is not None else None)
        live = False
        try:
            while not reader.done() and not self._stop.is_set():
                live = live or self.protocol.state == LIVE
                for text in self.protocol.data_to_send(self.clock()):
                    await ws.send(text)
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.protocol.next_due(self.clock()) + 0.001)
        except ConnectionClosed:
            pass
        finally:
            if self._stop.is_set():
                await ws.close(1000, "client stopped")
            await asyncio.gather(reader, return_exceptions=True)
        return live or self.protocol.state == LIVE

    async def _reader(self, ws: ClientConnection) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for data in ws:
                self._emit(self.protocol.receive_data(data, self.clock()))


def split_urls(url: str | list[str] | tuple[str, ...]) -> list[str]:
    """The meeting server URLs of `url` (comma-separated or a list), each ws:// or wss:// (rule 5)."""
    urls = [u.strip() for u in (url.split(",") if isinstance(url, str) else url) if u.strip()]
    if not urls:
        raise ValueError("no meeting server URL given")
    for u in urls:
        if urlsplit(u).scheme not in ("ws", "wss"):
            raise ValueError(f"a meeting server URL starts with ws:// or wss://, got {u.split('?')[0]!r}")
    return urls
