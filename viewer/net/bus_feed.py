"""`citiverse view --feed nats://HOST:4222?subject=NAME`: a viewer that reads the twin straight from the bus.

    client = BusFeedClient("nats://127.0.0.1:4222?subject=demo").start()    # a FeedClient: drain(), status()

Rules:
1. The form is nats://HOST[:PORT]?subject=NAME (tls:// too); NAME is a bus twin name (twin/bus.py rule 5).
   Anything else is a ValueError saying which form is expected.
2. The viewer runs its own private edge: net/bus.py's BusEdgeDriver under a FeedServer on 127.0.0.1, a free
   port and a random bearer token, on a thread of its own; the viewer's FeedClient reads that edge. So the
   bus is read with exactly the edges' rules (checkpoint + deltas, gaps resync, NATS restarts heal) and the
   viewer sees the same protocol as from any edge. No separate `feed serve --nats` process is needed.
3. An unreachable NATS server is a BusUnavailable (one line) before anything starts; a twin with no publisher
   yet leaves the viewer connecting (the status line says so) until a checkpoint appears.
4. stop() stops the client, then the private edge.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import threading
from typing import Any
from urllib.parse import parse_qs, urlsplit

from viewer.errors import UsageError
from viewer.net.bus import BusEdgeDriver, BusTwin, BusUnavailable, _probe
from viewer.net.feed_client import FeedClient
from viewer.net.feed_server import FeedServer, ServerOptions
from viewer.twin.bus import BusNames

BUS_SCHEMES = ("nats://", "tls://")


def parse_bus_feed(url: str) -> tuple[str, str]:
    """(NATS server URL, twin name) of nats://HOST:PORT?subject=NAME (rule 1); ValueError otherwise."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    subjects = query.get("subject", [])
    form = "nats://HOST:4222?subject=NAME"
    if f"{parts.scheme}://" not in BUS_SCHEMES or not parts.hostname:
        raise UsageError(f"a bus feed is {form}, got {url!r}")
    if len(subjects) != 1 or set(query) != {"subject"}:
        raise UsageError(f"a bus feed names one twin: {form} (the --subject of `feed publish`), got {url!r}")
    try:
        port = parts.port or 4222
    except ValueError:  # urllib's parse of the port
        raise UsageError(f"bad port in {url!r}") from None
    try:
        name = BusNames(subjects[0]).name
    except ValueError as exc:  # twin/bus.py says a name that is not a bus token with a plain ValueError
        raise UsageError(str(exc)) from None
    return f"{parts.scheme}://{parts.hostname}:{port}", name


class BusFeedClient(FeedClient):
    """A FeedClient reading a private edge of the bus twin `url` names (rules 2-4)."""

    def __init__(self, url: str, **options: Any) -> None:
        self.bus_url, self.subject = parse_bus_feed(url)
        self._edge_token = secrets.token_urlsafe(24)
        self._edge_port = _free_port()
        self._edge_loop: asyncio.AbstractEventLoop | None = None
        self._edge_stop: asyncio.Event | None = None
        self._edge_thread: threading.Thread | None = None
        self.edge: FeedServer | None = None
        super().__init__(f"ws://127.0.0.1:{self._edge_port}/", token=self._edge_token, **options)
        self.shown_url = f"{self.bus_url}?subject={self.subject}"

    def start(self) -> BusFeedClient:
        asyncio.run(_probe(self.bus_url, 5.0))  # rule 3: BusUnavailable at once
        ready = threading.Event()
        self._edge_thread = threading.Thread(target=self._edge_main, args=(ready,), name="bus-edge", daemon=True)
        self._edge_thread.start()
        ready.wait(5.0)
        super().start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        super().stop(timeout)
        loop, stop = self._edge_loop, self._edge_stop
        if loop is not None and stop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(stop.set)
        if self._edge_thread is not None:
            self._edge_thread.join(timeout)

    def _edge_main(self, ready: threading.Event) -> None:
        asyncio.run(self._edge(ready))

    async def _edge(self, ready: threading.Event) -> None:
        self._edge_loop, self._edge_stop = asyncio.get_running_loop(), asyncio.Event()
        options = ServerOptions(host="127.0.0.1", port=self._edge_port, token=self._edge_token, status_every=3600.0,
                                max_clients=4)
        self.edge = FeedServer(BusTwin(), options, lambda line: None,
                               driver=lambda s: BusEdgeDriver(s, self.bus_url, self.subject))
        ready.set()
        starting = asyncio.create_task(self.edge.start())  # waits for the twin's first checkpoint (rule 3)
        try:
            await self._edge_stop.wait()
        finally:
            starting.cancel()
            await asyncio.gather(starting, return_exceptions=True)
            await self.edge.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


__all__ = ["BUS_SCHEMES", "BusFeedClient", "BusUnavailable", "parse_bus_feed"]
