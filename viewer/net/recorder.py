"""Recorder: every message of a feed, with its receive time, to a gzip JSON-lines file (replayable).

    recorder = Recorder("ws://127.0.0.1:8765/", Path("run.feed.jsonl.gz"), duration=60)
    await recorder.run()        # or `citiverse feed record URL --out FILE --duration 60`
    # later: `citiverse feed serve --source replay --file run.feed.jsonl.gz [--speed X] [--loop]`

Rules:
1. The format is viewer/sources/replay.py's (it reads it): a header line {"format", "version", "url" (token
   redacted), "start" (epoch seconds), "encodings", "kinds"}, then {"t": seconds since start, "text": str}
   or {"t": ..., "binary": base64} per websocket message, exactly as received, in order. `t` comes from the
   monotonic clock, so it never goes back.
2. The file is written under FILE.part and renamed to FILE when the recording ends: at `duration`, when
   stop() is called, or when the task is cancelled (Ctrl-C). A finished FILE is always a whole gzip stream.
3. The recorder subscribes like a client (kinds, encodings) and records raw: it does not decode, so it
   records what a hostile server sent too (the replay checks everything).
4. The first connection must succeed (a wrong URL or token fails fast with the reason); a connection lost
   later is re-opened (0.1 s doubling to 1 s) and recorded on: the file then holds the new hello and
   snapshot, which the replay handles.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gzip
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus

from viewer import __version__
from viewer.net.auth import check_token, client_ssl_context, redact
from viewer.sources.replay import FORMAT, VERSION
from viewer.twin.codec import encode
from viewer.twin.messages import DEFAULT_LIMITS, ENCODINGS, FeedLimits, Hello, Subscribe, data_message

log = logging.getLogger(__name__)


class RecordingWriter:
    """A recording file being written: write(t, message) per message, close() to finish it (rule 2)."""

    def __init__(self, out: Path, header: dict[str, object], compresslevel: int = 5) -> None:
        self.out = Path(out)
        self.part = self.out.with_name(self.out.name + ".part")
        self.messages = 0
        self.bytes = 0  # message bytes before compression
        self._fh = gzip.open(self.part, "wb", compresslevel=compresslevel)
        self._fh.write(orjson.dumps({"format": FORMAT, "version": VERSION, **header}) + b"\n")

    def write(self, t: float, message: bytes | str) -> None:
        if isinstance(message, str):
            line = {"t": round(t, 6), "text": message}
        else:
            line = {"t": round(t, 6), "binary": base64.b64encode(message).decode("ascii")}
        self._fh.write(orjson.dumps(line) + b"\n")
        self.messages += 1
        self.bytes += len(message)

    def close(self) -> Path:
        """Finish the gzip stream and rename FILE.part to FILE; idempotent."""
        if not self._fh.closed:
            self._fh.close()
            os.replace(self.part, self.out)
        return self.out


def record_source(source: Any, out: Path, seconds: float, encoding: str = "columns",
                  url: str = "source://") -> RecordingWriter:
    """Record `seconds` (inf: all) of a Source's own clock straight to a recording, without a network: the
    hello, its snapshot and every update, each at its source time after the first. Deterministic for a
    deterministic source (a demo for a flythrough, test fixtures). Returns the closed writer (counters)."""
    if not seconds >= 0:  # math.inf: until the source ends
        raise ValueError(f"seconds must be >= 0, got {seconds}")
    first = source.start()
    writer = RecordingWriter(Path(out), {"url": url, "start": first.time, "encodings": [encoding],
                                         "kinds": list(source.kinds), "recorder": f"citiverse {__version__}"})
    try:
        writer.write(0.0, encode(Hello(seq=1, time=first.time, crs=source.crs, kinds=tuple(source.kinds)),
                                 encoding))
        update, seq = first, 2
        while update is not None and update.time - first.time <= seconds:
            writer.write(update.time - first.time, encode(data_message(seq, update), encoding))
            update, seq = source.step(), seq + 1
    finally:
        writer.close()
    return writer


class Recorder:
    """Records the feed at `url` to `out` (rules above). Counters: messages, bytes, seconds, connections."""

    def __init__(self, url: str, out: Path, duration: float | None = None, token: str | None = None,
                 cafile: Path | str | None = None, kinds: tuple[str, ...] = (),
                 encodings: tuple[str, ...] = ENCODINGS, limits: FeedLimits = DEFAULT_LIMITS,
                 report: Callable[[str], None] | None = None) -> None:
        if duration is not None and not duration > 0:
            raise ValueError(f"duration must be > 0 seconds, got {duration}")
        self.url, self.out, self.duration = url, Path(out), duration
        self._headers = {"Authorization": f"Bearer {check_token(token)}"} if token is not None else {}
        self._ssl = client_ssl_context(cafile) if url.startswith("wss:") else None
        self.subscribe = str(encode(Subscribe(tuple(kinds), tuple(encodings))))
        self.kinds, self.encodings, self.limits = tuple(kinds), tuple(encodings), limits
        self.report = report or (lambda line: None)
        self.writer: RecordingWriter | None = None
        self.connections = 0
        self.seconds = 0.0
        self._stop = asyncio.Event()

    @property
    def messages(self) -> int:
        return self.writer.messages if self.writer is not None else 0

    def stop(self) -> None:
        """End the recording (from the recorder's loop)."""
        self._stop.set()

    async def run(self) -> Path:
        """Record until duration, stop() or cancellation; returns the finished file."""
        start_wall, start = time.time(), time.monotonic()
        ws: ClientConnection | None = await self._open()  # the first connection must work (rule 4)
        self.writer = RecordingWriter(self.out, {"url": redact(self.url), "start": start_wall,
                                                 "encodings": list(self.encodings), "kinds": list(self.kinds),
                                                 "recorder": f"citiverse {__version__}"})
        try:
            deadline = None if self.duration is None else start + self.duration
            delay = 0.1
            while True:
                if ws is not None:
                    delay = 0.1
                    await self._record(ws, start, deadline)
                    ws = None
                if self._stop.is_set() or (deadline is not None and time.monotonic() >= deadline):
                    break
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)
                with contextlib.suppress(OSError, TimeoutError, InvalidHandshake):
                    ws = await self._open()
        finally:
            self.seconds = time.monotonic() - start
            self.writer.close()
        return self.out

    async def _open(self) -> ClientConnection:
        try:
            ws = await connect(self.url, additional_headers=self._headers, ssl=self._ssl,
                               max_size=self.limits.max_message_bytes, open_timeout=5.0, close_timeout=1.0,
                               compression=None, user_agent_header=f"citiverse-recorder/{__version__}")
        except InvalidStatus as exc:
            code = exc.response.status_code
            raise ConnectionError(f"{redact(self.url)}: HTTP {code}" +
                                  (": the server refused the token (missing or wrong)" if code == 401 else "")) \
                from None
        except (OSError, TimeoutError, InvalidHandshake) as exc:
            raise ConnectionError(f"{redact(self.url)}: cannot connect: {exc or type(exc).__name__}") from None
        self.connections += 1
        await ws.send(self.subscribe)
        self.report(f"recording {redact(self.url)} (connection {self.connections})")
        return ws

    async def _record(self, ws: ClientConnection, start: float, deadline: float | None) -> None:
        """Write messages until the connection ends, the deadline passes or stop() is called."""
        assert self.writer is not None
        stopper = asyncio.create_task(self._stop.wait())
        try:
            while True:
                timeout = None if deadline is None else deadline - time.monotonic()
                if timeout is not None and timeout <= 0:
                    return
                receive = asyncio.create_task(ws.recv())
                done, _ = await asyncio.wait({receive, stopper}, timeout=timeout,
                                             return_when=asyncio.FIRST_COMPLETED)
                if receive not in done:
                    receive.cancel()  # websockets: cancelling recv() loses no message
                    return
                self.writer.write(time.monotonic() - start, receive.result())
        except ConnectionClosed as exc:
            self.report(f"connection lost ({exc}); reconnecting")
        finally:
            stopper.cancel()
            with contextlib.suppress(Exception):
                await ws.close()
