"""FeedServer: the twin feed over websockets (websockets' asyncio API), one Source to many clients.

    server = FeedServer(source, ServerOptions(port=8765, token="s3cret"))
    await server.start(); print(server.url); await server.serve_forever()   # or: await server.close()

Rules:
1. One SourceDriver (source_driver.py) steps the source and keeps the server's TwinState; every clean update
   goes to every client's FeedServerSession (twin/session.py), which filters it to the client's kinds.
   It goes as ONE SharedUpdate (twin/shared.py), and fresh snapshots as one per state: each is filtered
   once per subscription and encoded once per encoding, whatever the number of clients; a client's
   message is those bytes with its own seq. Encoding per client was most of an edge's CPU (profiled:
   57% at 150 viewers of 10k vehicles); websockets' broadcast() does not fit (seq differs per client, and it
   skips a busy socket's frame, where rule 2 queues it). No compression is negotiated (compression=None):
   deflating 370 kB binary frames per client would cost more CPU than the fan-out itself.
2. Per client: a reader feeding the session what the client sends, and a writer that takes ONE message from
   the session at a time and awaits websockets' send(), which returns only when the socket's buffer has
   drained below its low-water mark. So a slow client's messages wait in its session (shared, not copied); past
   `max_backlog` the session replaces them with one fresh snapshot (state "lagging"). Memory per client is
   bounded, and one client's socket never holds up another's or the source.
3. Before the websocket opens (process_request): a wrong or missing bearer token gets 401, more than
   `max_clients` connections 503. Incoming messages over limits.max_client_message_bytes close that
   connection (websockets' max_size; close code 1009) before they are buffered. A client that has not
   subscribed within `subscribe_timeout` seconds is closed (1008). Malformed client messages are dropped
   with a logged reason (the session's rule); the connection stays. Subscribes and resyncs are rationed
   per connection (`requests`, session.py rule 6: coalesced, deferred, and past the excess the session
   closes itself): such a client is closed with 1008 and the session's reason, and reported.
4. Heartbeats: a ticker calls every session's tick() four times a second; the session queues a heartbeat
   after `heartbeat` seconds without a message. websockets' own pings (every 20 s) find dead peers.
5. `report(line)` receives one line per client connect and disconnect and a status line every
   `status_every` seconds; nothing here prints.
6. close() stops accepting, closes every connection (1001 going away), cancels the tasks and closes the
   source on its thread. It is safe to call more than once.
7. The driver is a SourceDriver by default; an edge of the bus passes `driver=` a factory given the server
   (net/bus.py's BusEdgeDriver: same start/run/close/snapshot/state, fed from NATS). It hands updates to
   publish_update() and may call restart_clients() when its stream starts anew (clients reconnect, 1012).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.frames import CloseCode
from websockets.http11 import Request, Response

from viewer.net.auth import presented_token, token_matches
from viewer.net.source_driver import SourceDriver
from viewer.sources.base import Source
from viewer.twin.batch import TwinUpdate
from viewer.twin.messages import DEFAULT_LIMITS, ENCODINGS, FeedLimits
from viewer.twin.session import CLOSED, LAGGING, WAITING, FeedServerSession, RequestLimits
from viewer.twin.shared import SharedUpdate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServerOptions:
    """How a FeedServer listens and treats clients (the defaults are what `citiverse feed serve` uses).

    speed: source seconds per wall second; token: required bearer token (None = open); ssl: a server TLS
    context (auth.server_ssl_context) for wss://; send_buffer: SO_SNDBUF bytes of each client socket (None
    = the system's; smaller finds slow clients sooner); write_limit: websockets' high-water mark in bytes.
    """

    host: str = "127.0.0.1"
    port: int = 8765
    speed: float = 1.0
    token: str | None = None
    ssl: ssl.SSLContext | None = None
    limits: FeedLimits = DEFAULT_LIMITS
    encodings: tuple[str, ...] = ENCODINGS
    max_backlog: int = 64
    heartbeat: float = 1.0
    max_clients: int = 256
    subscribe_timeout: float = 10.0
    send_buffer: int | None = None
    write_limit: int = 64 * 1024
    status_every: float = 10.0
    name: str = "citiverse"
    requests: RequestLimits = RequestLimits()


@dataclass
class ClientInfo:
    """One connected client, as the server sees it."""

    peer: str
    session: FeedServerSession
    connection: ServerConnection
    connected_at: float
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    sent: int = 0  # messages written
    sent_bytes: int = 0
    closing: bool = False  # the server is closing this connection (policy)


class FeedServer:
    """Serves one Source to many websocket clients (rules above)."""

    def __init__(self, source: Source | Any, options: ServerOptions | None = None,
                 report: Callable[[str], None] | None = None,
                 driver: Callable[[FeedServer], Any] | None = None) -> None:
        self.source = source
        self.options = options or ServerOptions()
        self.report = report or (lambda line: None)
        self.driver = driver(self) if driver is not None else \
            SourceDriver(source, self._publish, self.options.speed, self.options.limits, self.report)
        self.clients: dict[str, ClientInfo] = {}
        self.refused = 0  # handshakes answered 401 or 503
        self._server: Server | None = None
        self._port: int | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._closers: set[asyncio.Task[None]] = set()  # referenced until done (asyncio keeps weak refs)
        self._closed = asyncio.Event()
        self._closing = False
        self._snapshot: SharedUpdate | None = None  # the driver's current snapshot, shared (rule 1)

    # ------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Start the source (its errors propagate), then listen and start stepping."""
        o = self.options
        await self.driver.start()
        self._server = await serve(
            self._handle, o.host, o.port, ssl=o.ssl, process_request=self._process_request,
            max_size=o.limits.max_client_message_bytes, write_limit=o.write_limit, compression=None,
            server_header=f"{o.name} feed", open_timeout=10, close_timeout=2)
        self._port = int(self._server.sockets[0].getsockname()[1])
        self._tasks = [asyncio.create_task(self._run_driver(), name="feed-source"),
                       asyncio.create_task(self._tick(), name="feed-ticker")]

    @property
    def port(self) -> int:
        """The port listened on (the real one when options.port was 0)."""
        if self._port is None:
            raise RuntimeError("the server is not started")
        return self._port

    @property
    def url(self) -> str:
        host = self.options.host
        shown = f"[{host}]" if ":" in host else ("127.0.0.1" if host in ("", "0.0.0.0") else host)
        return f"{'wss' if self.options.ssl else 'ws'}://{shown}:{self.port}/"

    async def serve_forever(self) -> None:
        """Wait until close() is called (or the task is cancelled, which closes the server)."""
        try:
            await self._closed.wait()
        finally:
            await self.close()

    async def close(self) -> None:
        if self._closing:
            await self._closed.wait()
            return
        self._closing = True
        try:
            if self._server is not None:
                self._server.close(close_connections=True, code=CloseCode.GOING_AWAY, reason="server stopping")
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._server.wait_closed(), 3.0)
            for task in self._tasks:
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            await self.driver.close()
        finally:
            self._closed.set()

    async def _run_driver(self) -> None:
        await self.driver.run()

    # ------------------------------------------------------------ the source's updates

    def _publish(self, update: TwinUpdate, now: float) -> None:
        shared = SharedUpdate(update)  # rule 1: filtered and encoded once for all clients
        for client in list(self.clients.values()):
            client.session.send(shared, now)
            if client.session.pending:
                client.wake.set()

    def _shared_snapshot(self) -> SharedUpdate:
        """The driver's snapshot (cached by the driver until its state changes), shared by every session."""
        snapshot = self.driver.snapshot()
        if self._snapshot is None or self._snapshot.update is not snapshot:
            self._snapshot = SharedUpdate(snapshot, whole_state=True)
        return self._snapshot

    publish_update = _publish  # rule 7: for a driver that is not a SourceDriver

    def restart_clients(self, reason: str) -> None:
        """Close every connection with 1012 (service restart): each reconnects to a new stream (rule 7)."""
        for client in list(self.clients.values()):
            if not client.closing:
                client.closing = True
                self._closers.add(asyncio.create_task(
                    client.connection.close(CloseCode.SERVICE_RESTART, reason[:120])))
        self._closers = {t for t in self._closers if not t.done()}

    # ------------------------------------------------------------ handshake

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        peer = _peer(connection)
        if self.options.token is not None:
            token = presented_token(request.headers.get("Authorization"), request.path)
            if not token_matches(token, self.options.token):
                self.refused += 1
                why = "no token" if token is None else "wrong token"
                log.warning("%s refused: %s", peer, why)
                self.report(f"refused {peer}: {why} (401)")
                response = connection.respond(HTTPStatus.UNAUTHORIZED, "a valid bearer token is required\n")
                response.headers["WWW-Authenticate"] = 'Bearer realm="citiverse feed"'
                return response
        if len(self.clients) >= self.options.max_clients:
            self.refused += 1
            self.report(f"refused {peer}: {self.options.max_clients} clients already (503)")
            return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "too many clients\n")
        return None

    # ------------------------------------------------------------ one client

    async def _handle(self, connection: ServerConnection) -> None:
        o = self.options
        peer = _peer(connection)
        if o.send_buffer is not None:
            sock = connection.transport.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, o.send_buffer)
        session = FeedServerSession(
            self._shared_snapshot, crs=self.source.crs, kinds=self.driver.kinds, server=o.name,
            encodings=o.encodings, limits=o.limits, max_backlog=o.max_backlog, heartbeat=o.heartbeat, peer=peer,
            requests=o.requests, entity_kinds=tuple(getattr(self.source, "entity_kinds", None)  # protocol 1.1
                                                    or getattr(getattr(self.source, "hello", None), "entity_kinds", None)
                                                    or ()))
        client = ClientInfo(peer, session, connection, time.monotonic())
        self.clients[peer] = client
        self.report(f"client {peer} connected ({len(self.clients)} connected)")
        writer = asyncio.create_task(self._write(client), name=f"feed-writer {peer}")
        try:
            async for message in connection:
                session.receive_data(message, time.time())
                if session.state == CLOSED and session.close_reason is not None:  # an abuser (rule 3)
                    client.closing = True
                    self.report(f"closing {peer}: {session.close_reason}")
                    await connection.close(CloseCode.POLICY_VIOLATION, session.close_reason[:120])
                    break
                if session.pending:
                    client.wake.set()
        except ConnectionClosed:
            pass
        finally:
            writer.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionClosed):
                await writer
            session.close()
            del self.clients[peer]
            self.report(self._farewell(client))

    async def _write(self, client: ClientInfo) -> None:
        """Send the session's messages one at a time, each only once the socket has drained (rule 2)."""
        session = client.session
        try:
            while True:
                await client.wake.wait()
                client.wake.clear()
                while session.pending:
                    for data in session.data_to_send(time.time(), limit=1):
                        await client.connection.send(data)
                        client.sent += 1
                        client.sent_bytes += len(data)
        except (asyncio.CancelledError, ConnectionClosed):
            raise
        except Exception:  # a bug here must not leave a client connected and starved
            log.exception("%s: writer failed", client.peer)
            await client.connection.close(CloseCode.INTERNAL_ERROR, "server error")

    def _farewell(self, client: ClientInfo) -> str:
        c = client.connection
        code = c.close_code if c.close_code is not None else "-"
        reason = f" {c.close_reason}" if c.close_reason else ""
        return (f"client {client.peer} disconnected after {time.monotonic() - client.connected_at:.1f} s "
                f"(close {code}{reason}): {client.sent} messages, {client.sent_bytes / 1e6:.1f} MB, "
                f"{client.session.resets} fresh snapshots for lagging ({len(self.clients)} connected)")

    # ------------------------------------------------------------ time

    async def _tick(self) -> None:
        """Heartbeats, the subscribe deadline and the status line (rules 3-5)."""
        next_status = time.monotonic() + self.options.status_every
        last_rows, last_at = self.driver.rows, time.monotonic()
        while True:
            await asyncio.sleep(0.25)
            now, mono = time.time(), time.monotonic()
            for client in list(self.clients.values()):
                client.session.tick(now)
                if client.session.pending:
                    client.wake.set()
                late = mono - client.connected_at > self.options.subscribe_timeout
                if client.session.state == WAITING and late and not client.closing:
                    log.warning("%s: no subscribe within %.0f s", client.peer, self.options.subscribe_timeout)
                    client.closing = True
                    self._closers.add(asyncio.create_task(
                        client.connection.close(CloseCode.POLICY_VIOLATION, "no subscribe")))
                    self._closers = {t for t in self._closers if not t.done()}
            if mono >= next_status:
                rate = (self.driver.rows - last_rows) / max(mono - last_at, 1e-9)
                last_rows, last_at = self.driver.rows, mono
                next_status = mono + self.options.status_every
                self.report(self.status_line(rate))

    def status_line(self, rows_per_s: float = 0.0) -> str:
        counts = self.driver.state.count()
        lagging = sum(c.session.state == LAGGING for c in self.clients.values())
        resets = sum(c.session.resets for c in self.clients.values())
        state = "ended" if self.driver.ended else "running"
        entities = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        return (f"status: source {state}, t={self.driver.state.time:.1f}, {entities}; {rows_per_s:,.0f} rows/s; "
                f"{len(self.clients)} clients ({lagging} lagging, {resets} fresh snapshots)")

    def stats(self) -> dict[str, Any]:
        """Per-client counters for tests and tools: peer -> state, messages sent, resets, pending."""
        return {peer: {"state": c.session.state, "sent": c.sent, "resets": c.session.resets,
                       "pending": c.session.pending, "encoding": c.session.encoding,
                       "coalesced": c.session.coalesced, "deferred": c.session.deferred}
                for peer, c in self.clients.items()}


def _peer(connection: ServerConnection) -> str:
    address = connection.remote_address
    if isinstance(address, tuple) and len(address) >= 2:
        return f"{address[0]}:{address[1]}"
    return str(address)
