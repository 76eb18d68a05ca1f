"""ServerThread: a FeedServer on a background thread with its own event loop (tests, benchmarks, tools).

    with ServerThread(source, ServerOptions(port=0)) as server:
        client = FeedClient(server.url)

Rules:
1. start() returns once the server listens (or raises what its start raised: a source that cannot start, a
   port in use); stop() closes it (connections, tasks, the source) and joins the thread; both idempotent.
2. Everything touching the server's objects runs on its loop: call(fn) runs fn there and returns the result.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from viewer.net.feed_server import FeedServer, ServerOptions
from viewer.sources.base import Source

T = TypeVar("T")


class ServerThread:
    """Runs FeedServer(source, options, report) on a thread of its own."""

    def __init__(self, source: Source, options: ServerOptions | None = None,
                 report: Callable[[str], None] | None = None) -> None:
        self.server = FeedServer(source, options, report)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._stop: asyncio.Event | None = None

    @property
    def url(self) -> str:
        return self.server.url

    def start(self, timeout: float = 60.0) -> ServerThread:
        if self._thread is not None:
            return self
        self._thread = threading.Thread(target=self._main, name="feed-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise TimeoutError(f"the feed server did not start within {timeout} s")
        if self._error is not None:
            self._thread.join()
            raise self._error
        return self

    def _main(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            await self.server.start()
        except BaseException as exc:  # handed to start()'s caller
            self._error = exc
            await self.server.close()
            self._ready.set()
            return
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await self.server.close()

    def call(self, fn: Callable[[], T], timeout: float = 10.0) -> T:
        """fn() run on the server's loop; its result (or exception)."""
        if self._loop is None:
            raise RuntimeError("the server thread is not running")

        async def run() -> T:
            return fn()

        return asyncio.run_coroutine_threadsafe(run(), self._loop).result(timeout)

    def stop(self, timeout: float = 10.0) -> None:
        thread, loop, stop = self._thread, self._loop, self._stop
        if thread is None or not thread.is_alive():
            return
        if loop is not None and stop is not None:
            try:
                loop.call_soon_threadsafe(stop.set)
            except RuntimeError:  # the loop already closed
                pass
        thread.join(timeout)

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

