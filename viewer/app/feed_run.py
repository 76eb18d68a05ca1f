"""Running a twin feed: serve a source (or a bus's twin, as an edge), publish a source to the bus, record a feed.
viewer/cli/feed.py parses the options, builds the source, calls these and reports; they own the asyncio loops.

Rules:
1. Each function runs its own event loop in the calling thread until the work ends or Ctrl-C. Ctrl-C is a
   normal way to stop: it closes every connection and the source, and the function returns True (False when
   the work ended by itself). Errors are raised as they are (OSError for a port in use or an address that is
   not ours, ConnectionError for a feed that cannot be reached): the cli turns them into one line.
2. What the user is told is the caller's: `on_ready(server or publisher)` is called once it listens or is
   connected (the cli prints the URL), `report(line)` takes the running lines (connects, disconnects, status).
3. Status lines come every `status_every` seconds: FeedServer writes its own (net/feed_server.py); a
   publisher's are written here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from viewer.net.bus import BusOptions, BusPublisher
    from viewer.net.feed_server import FeedServer, ServerOptions
    from viewer.net.recorder import Recorder
    from viewer.sources.base import Source

Report = Callable[[str], None]


def serve_feed(source: Source, options: ServerOptions, report: Report,
               on_ready: Callable[[FeedServer], None] | None = None) -> bool:
    """Serve `source` to websocket viewers (net/feed_server.py) until Ctrl-C (rule 1)."""
    from viewer.net.feed_server import FeedServer

    return _until_interrupted(_serve(FeedServer(source, options, report), on_ready))


def serve_edge(url: str, name: str, options: ServerOptions, report: Report,
               on_ready: Callable[[FeedServer], None] | None = None) -> bool:
    """Serve the twin `name` of the NATS bus at `url` to websocket viewers: an edge (net/bus.py rule 3)."""
    from viewer.net.bus import BusEdgeDriver, BusTwin
    from viewer.net.feed_server import FeedServer

    server = FeedServer(BusTwin(), options, report, driver=lambda s: BusEdgeDriver(s, url, name))
    return _until_interrupted(_serve(server, on_ready))


def publish_feed(source: Source, url: str, name: str, options: BusOptions, report: Report, status_every: float,
                 on_ready: Callable[[BusPublisher], None] | None = None) -> tuple[BusPublisher, bool]:
    """Run `source` once and publish it as the twin `name` on the bus at `url` (net/bus.py BusPublisher) until
    the source ends or Ctrl-C: (the publisher, for its counts; whether Ctrl-C stopped it)."""
    from viewer.net.bus import BusPublisher

    publisher = BusPublisher(source, url, name, options, report)
    return publisher, _until_interrupted(_publish(publisher, report, status_every, on_ready))


def record_feed(url: str, out: Path, report: Report, duration: float | None = None, token: str | None = None,
                cafile: Path | None = None, kinds: Sequence[str] = (), encodings: Sequence[str] | None = None
                ) -> tuple[Recorder, bool]:
    """Record every message of the feed at `url` to `out` (net/recorder.py) for `duration` seconds or until
    Ctrl-C: (the recorder, whose `writer` is None when nothing was received; whether Ctrl-C ended it)."""
    from viewer.net.recorder import Recorder
    from viewer.twin.messages import ENCODINGS

    recorder = Recorder(url, out, duration=duration, token=token, cafile=cafile, kinds=tuple(kinds),
                        encodings=tuple(encodings) if encodings else ENCODINGS, report=report)
    return recorder, _until_interrupted(recorder.run())


def _until_interrupted(work: Coroutine[Any, Any, object]) -> bool:
    """Rule 1: run the coroutine `work` to its end (False) or to Ctrl-C (True)."""
    try:
        asyncio.run(work)
    except KeyboardInterrupt:
        return True
    return False


async def _serve(server: FeedServer, on_ready: Callable[[FeedServer], None] | None) -> None:
    try:
        await server.start()
        if on_ready is not None:
            on_ready(server)
        await server.serve_forever()
    finally:
        await server.close()


async def _publish(publisher: BusPublisher, report: Report, status_every: float,
                   on_ready: Callable[[BusPublisher], None] | None) -> None:
    try:
        await publisher.start()
        if on_ready is not None:
            on_ready(publisher)
        status = asyncio.create_task(_publish_status(publisher, report, status_every))
        try:
            await publisher.run()
        finally:
            status.cancel()
    finally:
        await publisher.close()


async def _publish_status(publisher: BusPublisher, report: Report, every: float) -> None:
    while True:
        await asyncio.sleep(every)
        counts = ", ".join(f"{n} {kind}" for kind, n in publisher.state.count().items())
        report(f"status: step {publisher.step}, {counts}; {publisher.published} messages published, "
               f"{publisher.failed} lost, {publisher.checkpoints} checkpoints")
