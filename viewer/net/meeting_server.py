"""The meeting server: websockets + asyncio moving bytes in and out of a MeetingHub (viewer/meeting/hub.py).

Rules:
1. All meeting logic is the hub's (sans-I/O, tested without sockets). This module only: checks the
   token at the HTTP handshake (refusing with 401/403/503 before any websocket exists), feeds each
   received message to the hub, wakes the writers of the sessions the hub says are ready, ticks the hub
   every `tick` seconds, and closes connections the hub kicked, with the hub's close code.
2. A token comes as `Authorization: Bearer TOKEN` or as `?token=TOKEN` in the URL (both accepted; two
   different tokens in one request are refused). The URL path may name the room (`/ROOM`): a token for
   another room is refused with 403. `/` means the token's own room.
3. One reader and one writer per connection. The writer sends what the session has queued; `ws.send`
   waits while the transport holds more than `write_limit` bytes (and the socket `send_buffer` is full,
   if set), and meanwhile the session's own bounded queue gives way to a fresh room state (session.py
   rule 2): a slow client never makes the server buffer without bound, and never delays anyone else. The
   reader yields to the loop every few messages, so a flooding client cannot starve the others.
   Batches (hub rule 10): a client whose handshake URL asks for them (`?batch=1`, codec.BATCH_QUERY) gets
   the poses and pointers queued back to back as one message. Its writer, woken with only such messages
   waiting, first holds them so that the batch grows: one send per client per hold instead of one per pose.
   The hold pays only when the server is busy, so it follows the server's load: `live_hold` seconds
   (LIVE_HOLD) once the process was busy `hold_busy` (HOLD_BUSY) of the last second, less in proportion
   below that, nothing below IDLE_SHARE of it (live_hold_for; hold_busy=0: always the whole hold). Busy is the CPU the
   process used plus how late its loop woke (a process starved of CPU uses little but is late), so a starved
   server holds more, not less. The bus's own hold (meeting_bus.py rule 5) follows in the same proportion.
   A quiet meeting keeps its few-millisecond delays; a busy server trades up to `live_hold` for sends.
   Anything else (chat, joins, host actions) is sent at once, with the batch before it.
4. Dead transports: websocket pings every `ping_interval` s, closed after `ping_timeout` s without a pong;
   the hub's presence timeout catches a client that answers pings but sends nothing.
5. Frames above `max_frame` bytes close the connection (1009) inside websockets; smaller ones above the
   hub's message limit are refused by the hub with a notice, and the connection lives on.
6. Removals and mutes (the hub's sanctions) survive restarts when `state_file` is given: it is read at
   construction (a file that is not ours stops the server with ValueError naming it: starting without it
   would silently readmit removed tokens) and rewritten atomically (temporary file, fsync, rename; mode
   0600) after each message or tick that changed them, before anyone else is told.
7. Recording: with `record_dir`, a host's `record` opens a log there (net/meeting_logfiles.py); the tick
   writes each log's waiting lines as a gzip member every second, and stop() ends every recording. A log
   that fails to write ends that recording (the room and its hosts are told); the server carries on.
9. With `nats` (a NATS URL) the hub is a BusHub (meeting/bus.py) and net/meeting_bus.py links it to the other
   servers of that bus: start() connects first (BusUnavailable when it cannot), a joiner's room is replayed
   from the stream before the handshake is answered, and every flush also publishes what the hub queued for
   the bus. Without it nothing here touches NATS (the single-process default).
8. The web side (net/web_assets.py), when a WebSite is given: a request without `Upgrade: websocket` is a
   plain HTTP GET answered by it (room pages, the bundle, tiles) on the same port; the websocket handshake
   and protocol are unchanged. With `ssl` (auth.server_ssl_context) both are served over TLS (https/wss).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import ssl as ssl_module
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from viewer.errors import LoadError
from viewer.meeting.codec import BATCH_QUERY
from viewer.meeting.errors import Refused, TokenError
from viewer.meeting.fields import ROOM_RE
from viewer.meeting.hub import MeetingHub
from viewer.meeting.messages import DEFAULT_LIMITS, MeetingLimits
from viewer.meeting.sanctions import Sanctions
from viewer.meeting.session import CLOSED, CLOSING, ServerSession
from viewer.net.meeting_logfiles import LogFileError, LogFiles
from viewer.net.web_assets import WebReply, WebSite

if TYPE_CHECKING:
    from viewer.net.meeting_bus import MeetingBus

log = logging.getLogger(__name__)

DEFAULT_PORT = 8766
YIELD_EVERY = 16  # messages read from one connection before giving the others a turn
SEND_BATCH = 64
LIVE_HOLD = 0.03  # seconds a batch of poses waits to grow on a busy server (rule 3): ~33 messages a second a client
HOLD_BUSY = 0.25  # share of a core used over the last second from which the whole live_hold applies (rule 3)
IDLE_SHARE = 0.4  # below this share of hold_busy nothing is held (rule 3)


class MeetingServer:
    """A meeting server on host:port (port 0: any free port, see `port` after start())."""

    def __init__(self, secret: bytes, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
                 limits: MeetingLimits = DEFAULT_LIMITS, ping_interval: float = 2.0, ping_timeout: float = 2.0,
                 tick: float = 0.25, max_frame: int = 64 * 1024, write_limit: int = 32 * 1024,
                 send_buffer: int | None = None, clock: Callable[[], float] = time.time,
                 state_file: str | Path | None = None, record_dir: str | Path | None = None,
                 web: WebSite | None = None, ssl: ssl_module.SSLContext | None = None,
                 nats: str | None = None, live_hold: float = LIVE_HOLD, hold_busy: float = HOLD_BUSY) -> None:
        from viewer import __version__

        self.state_file = Path(state_file) if state_file is not None else None
        sanctions = load_sanctions(self.state_file, clock()) if self.state_file is not None else None
        self.logs = LogFiles(record_dir) if record_dir is not None else None  # rule 7
        hub_class = MeetingHub if nats is None else _bus_hub_class()  # rule 9
        self.hub = hub_class(secret, limits, sanctions, logs=self.logs, server=__version__)
        self.nats = nats
        self.bus: MeetingBus | None = None
        self.host, self.port = host, port
        self.ping_interval, self.ping_timeout, self.tick, self.max_frame = ping_interval, ping_timeout, tick, max_frame
        self.write_limit, self.send_buffer, self.clock = write_limit, send_buffer, clock
        self.live_hold, self.hold_busy = live_hold, hold_busy
        self.hold = live_hold_for(0.0, live_hold, hold_busy)  # the writers' hold now (rule 3)
        self._cpu = (time.monotonic(), time.process_time())  # where the last load measurement started
        self._late = 0.0  # seconds the tick woke late since then
        self._bus_hold = 0.0  # the bus's own hold when this server is busy (rule 3)
        self.web, self.ssl = web, ssl  # rule 8
        self._server: Server | None = None
        self._ticker: asyncio.Task[None] | None = None
        # Claims checked at the handshake, for the handler; weak: a handshake that fails later leaves nothing.
        self._claims: weakref.WeakKeyDictionary[ServerConnection, Any] = weakref.WeakKeyDictionary()
        self._wakes: dict[ServerSession, asyncio.Event] = {}

    @property
    def url(self) -> str:
        return f"{'wss' if self.ssl else 'ws'}://{self.host}:{self.port}"

    @property
    def web_url(self) -> str:
        """The base of the room pages' links (rule 8)."""
        return f"{'https' if self.ssl else 'http'}://{self.host}:{self.port}"
    async def start(self) -> None:
        """Listen; `port` is the bound port afterwards (with a bus: once it is connected, rule 9)."""
        process_request: Any = self._process_request
        if self.nats is not None:
            from viewer.meeting.bus import BusHub
            from viewer.net.meeting_bus import MeetingBus

            assert isinstance(self.hub, BusHub)
            self.bus = MeetingBus(self.hub, self.nats, self._flush, clock=self.clock)
            self._bus_hold, self.bus.live_hold = self.bus.live_hold, live_hold_for(0.0, self.bus.live_hold,
                                                                                    self.hold_busy)
            await self.bus.start()
            process_request = self._process_request_bus
        self._server = await serve(self._handler, self.host, self.port, process_request=process_request,
                                   max_size=self.max_frame, ping_interval=self.ping_interval,
                                   ping_timeout=self.ping_timeout, close_timeout=1.0, compression=None,
                                   write_limit=self.write_limit, ssl=self.ssl)
        if self.web is not None:
            _quiet_web_requests()
        self.port = self._server.sockets[0].getsockname()[1]
        self._ticker = asyncio.create_task(self._tick_forever())
        log.info("meeting server listening on %s", self.url)

    async def stop(self) -> None:
        """Close every connection (1001, going away) and stop listening."""
        if self._ticker is not None:
            self._ticker.cancel()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        self.hub.close_logs(self.clock())
        if self.logs is not None:
            self.logs.close_all()
        if self.bus is not None:
            await self.bus.close()

    async def serve_forever(self) -> None:
        await self.start()
        try:
            await asyncio.Future()
        finally:
            await self.stop()

    # ------------------------------------------------------------------ handshake (rule 2)

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        peer = _peer(connection)
        split = urlsplit(request.path)
        if self.web is not None and request.headers.get("Upgrade", "").lower() != "websocket":
            return web_response(self.web.answer(split.path, request.headers))  # rule 8
        room = None if split.path in ("", "/") else unquote(split.path[1:])
        if room is not None and not ROOM_RE.fullmatch(room):
            return connection.respond(404, "no such room path: rooms are /NAME (letters, digits, . _ -)\n")
        try:
            token = request_token(request.headers.get_all("Authorization"), split.query, peer)
            self._claims[connection] = self.hub.authenticate(token, room, self.clock(), peer)
        except (TokenError, Refused) as exc:
            log.warning("%s refused: %s", peer, exc.reason)
            return connection.respond(exc.status, exc.reason + "\n")
        return None

    async def _process_request_bus(self, connection: ServerConnection, request: Request) -> Response | None:
        """Rule 9: the token checked, then its room replayed from the bus, then checked again (a removal on
        another server is only known here once the room is)."""
        refused = self._process_request(connection, request)
        claims = self._claims.get(connection)
        if refused is not None or claims is None or self.bus is None:
            return refused
        try:
            await self.bus.ensure_room(claims.room)
        except Exception as exc:  # noqa: BLE001 - the bus failing must refuse this joiner, not the server
            log.warning("%s refused: the bus could not replay room %r: %s", _peer(connection), claims.room, exc)
            return connection.respond(503, "the meeting bus is not available; try again\n")
        return self._process_request(connection, request)

    # ------------------------------------------------------------------ connection (rules 1, 3)

    async def _handler(self, ws: ServerConnection) -> None:
        claims, peer = self._claims.pop(ws, None), _peer(ws)
        if claims is None:
            await ws.close(1011, "not authenticated")
            return
        try:
            session = self.hub.join(claims, self.clock(), peer, batch=wants_batch(ws))
        except Refused as exc:
            await ws.close(1013, _short(exc.reason))
            return
        self._limit_send_buffer(ws)
        wake = self._wakes[session] = asyncio.Event()
        writer = asyncio.create_task(self._writer(ws, session, wake))
        self._flush()
        reason = "connection lost"
        try:
            await self._read(ws, session)
        except ConnectionClosed as exc:
            reason = f"connection closed ({exc.rcvd.code if exc.rcvd else 'no close frame'})"
        finally:
            if session.state == CLOSING:  # kicked: let the writer send the last notice and close
                wake.set()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(writer, 2.0)
            writer.cancel()
            self.hub.leave(session, self.clock(), reason)
            self._wakes.pop(session, None)
            self._flush()

    async def _read(self, ws: ServerConnection, session: ServerSession) -> None:
        count = 0
        async for data in ws:
            self.hub.receive(session, data, self.clock())
            self._flush()
            if not session.open:
                return
            count += 1
            if count % YIELD_EVERY == 0:
                await asyncio.sleep(0)

    async def _writer(self, ws: ServerConnection, session: ServerSession, wake: asyncio.Event) -> None:
        try:
            while True:
                await wake.wait()
                if self.hold > 0 and session.only_live_pending:
                    await asyncio.sleep(self.hold)  # rule 3: let the batch grow
                wake.clear()
                while batch := session.data_to_send(SEND_BATCH):
                    for text in batch:
                        await ws.send(text)
                if session.state == CLOSING:
                    await ws.close(session.close_code or 1000, _short(session.close_reason))
                    return
                if session.state == CLOSED:
                    return
        except ConnectionClosed:
            return

    def _flush(self) -> None:
        self._save_sanctions()  # rule 6: saved before the sessions are woken to tell anyone
        for session in self.hub.take_ready():
            wake = self._wakes.get(session)
            if wake is not None:
                wake.set()
        if self.bus is not None:
            self.bus.publish_outbox()

    def _measure_load(self) -> None:
        """The writers' hold from the CPU this process used over the last second or so (rule 3)."""
        wall, cpu = time.monotonic(), time.process_time()
        if wall - self._cpu[0] < 1.0:
            return
        busy = (cpu - self._cpu[1] + self._late) / (wall - self._cpu[0])
        self.hold, self._cpu, self._late = live_hold_for(busy, self.live_hold, self.hold_busy), (wall, cpu), 0.0
        if self.bus is not None:
            self.bus.live_hold = live_hold_for(busy, self._bus_hold, self.hold_busy)

    async def _tick_forever(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            asked = loop.time() + self.tick
            await asyncio.sleep(self.tick)
            self._late += max(0.0, loop.time() - asked)
            self._measure_load()
            self.hub.tick(self.clock())
            self._flush_logs()
            self._flush()

    def _flush_logs(self) -> None:
        """Write every log's waiting lines (rule 7); a log that fails ends its recording."""
        if self.logs is None:
            return
        try:
            self.logs.flush(self.clock())
        except LogFileError as exc:
            log.error("cannot write the meeting log %s", exc)
            self.hub.recording_failed(exc.name, str(exc), self.clock())
            with contextlib.suppress(OSError):
                self.logs.close(exc.name)

    def _save_sanctions(self) -> None:
        sanctions = self.hub.sanctions
        if self.state_file is None or not sanctions.dirty:
            return
        try:
            save_sanctions(self.state_file, sanctions)
        except OSError as exc:  # kept dirty: the next message or tick tries again
            log.error("%s: cannot save removals and mutes: %s", self.state_file, exc.strerror or exc)

    def _limit_send_buffer(self, ws: ServerConnection) -> None:
        sock = ws.transport.get_extra_info("socket") if ws.transport is not None else None
        if self.send_buffer is not None and sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, self.send_buffer)


def live_hold_for(busy: float, most: float, busy_from: float) -> float:
    """How long a writer holds live messages (rule 3) in a server process that was busy `busy` of a core:
    `most` from `busy_from` up, nothing below IDLE_SHARE of it, in proportion between (busy_from 0: `most`)."""
    if busy_from <= 0:
        return most
    idle = IDLE_SHARE * busy_from
    return most * min(1.0, max(0.0, busy - idle) / (busy_from - idle))


def _bus_hub_class() -> type[MeetingHub]:
    from viewer.meeting.bus import BusHub

    return BusHub


def web_response(reply: WebReply) -> Response:
    """A WebReply as the HTTP response websockets sends instead of a handshake (rule 8)."""
    import email.utils

    headers = Headers([("Date", email.utils.formatdate(usegmt=True)), ("Connection", "close"),
                       ("Content-Length", str(len(reply.body))), ("Content-Type", reply.content_type),
                       ("Cache-Control", reply.cache), ("X-Content-Type-Options", "nosniff")])
    if reply.location is not None:
        headers["Location"] = reply.location
    return Response(reply.status, reply.reason, headers, reply.body)


class _NoServedPages(logging.Filter):
    """Drops websockets' "HTTP response sent (200 OK)" line for each page or tile served (rule 8)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if record.msg == _CLOSED:
            return False
        return not (record.msg in _SERVED and isinstance(args, tuple) and args
                    and isinstance(args[0], int) and args[0] < 400)


_SERVED = ("HTTP response sent (%d %s)", "connection rejected (%d %s)")
_CLOSED = "connection closed"  # after every page or tile too; the hub logs the participants' own leaves


def _quiet_web_requests() -> None:
    logger = logging.getLogger("websockets.server")
    if not any(isinstance(f, _NoServedPages) for f in logger.filters):
        logger.addFilter(_NoServedPages())


MAX_STATE_FILE = 8 << 20  # bytes: far above what Sanctions.max_entries can write


def load_sanctions(path: Path, now: float) -> Sanctions:
    """The sanctions saved in `path` (none when it does not exist); LoadError naming the file otherwise."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_STATE_FILE + 1)
    except FileNotFoundError:
        return Sanctions()
    except OSError as exc:
        raise LoadError(path, f"cannot read the meeting state: {exc.strerror or exc}") from None
    if len(data) > MAX_STATE_FILE:
        raise LoadError(path, f"the meeting state is larger than {MAX_STATE_FILE >> 20} MB")
    try:
        return Sanctions.from_bytes(data, now)
    except ValueError as exc:  # the file's bytes (meeting/ raises ValueError for a bad state): said with its name
        raise LoadError(path, f"not a meeting state file ({exc}); move it aside to start without the "
                              "saved removals and mutes") from None


def save_sanctions(path: Path, sanctions: Sanctions) -> None:
    """Write `sanctions` to `path` atomically (rule 6) and clear their dirty flag; OSError on failure."""
    data = sanctions.to_bytes()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    sanctions.dirty = False


def request_token(authorization: list[str], query: str, peer: str = "client") -> str | None:
    """The token of a handshake (rule 2): the Bearer header, the `token` query parameter, or both if equal."""
    found: set[str] = set()
    for value in authorization:
        scheme, _, credentials = value.strip().partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            raise TokenError("malformed", "the Authorization header must be 'Bearer TOKEN'", peer)
        found.add(credentials.strip())
    found.update(parse_qs(query, keep_blank_values=True).get("token", []))
    if len(found) > 1:
        raise TokenError("malformed", "two different tokens in one request", peer)
    return found.pop() if found else None


def wants_batch(connection: ServerConnection) -> bool:
    """Whether the client asked for batches in its handshake URL (rule 3)."""
    request = connection.request
    return request is not None and BATCH_QUERY in urlsplit(request.path).query.split("&")


def _peer(connection: ServerConnection) -> str:
    address = connection.remote_address
    return f"{address[0]}:{address[1]}" if isinstance(address, tuple) and len(address) >= 2 else "client"


def _short(reason: str) -> str:
    """A close reason within the 123 bytes a close frame allows."""
    return reason.encode("utf-8")[:120].decode("utf-8", "ignore")


class ServerThread:
    """A MeetingServer running on its own event loop in a background thread (tests, benchmarks, tools).

    start() returns once it listens; call(fn) runs fn() on the server's loop and returns its result (the
    hub is only ever touched from that loop); stop() closes everything and joins the thread."""

    def __init__(self, secret: bytes, **options: Any) -> None:
        self.secret, self.options = secret, options
        self.server: MeetingServer | None = None
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="meeting-server", daemon=True)

    def start(self) -> ServerThread:
        self._thread.start()
        self.server = MeetingServer(self.secret, **self.options)
        asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(10)
        return self

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url

    def call(self, fn: Callable[[], Any]) -> Any:
        async def run() -> Any:
            return fn()
        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(10)

    def stop(self) -> None:
        if self.server is not None and self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(self.server.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def run_server(secret: bytes, host: str = "127.0.0.1", port: int = DEFAULT_PORT,
               on_ready: Callable[[MeetingServer], None] | None = None, **options: Any) -> None:
    """Run a meeting server in this thread until interrupted (Ctrl-C)."""
    async def main() -> None:
        server = MeetingServer(secret, host, port, **options)
        await server.start()
        if on_ready is not None:
            on_ready(server)
        try:
            await asyncio.Future()
        finally:
            await server.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
