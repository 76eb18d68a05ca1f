"""Meeting logs: one file per recording of a room, written by the server, read by replay, re-shoot and minutes.

The format (docs/meetings.md, "Recording"): JSON lines, compressed as a series of gzip members.

    line 1   {"format": "citiverse-meeting-log", "version": 1, "room": "delft", "start": 1767225600.0,
              "feed": "run.feed.jsonl.gz" or null, "server": "0.4.0"}
    line 2   {"t": 1767225600.0, "m": {"type": "state", ...}}       the room when recording started
    then     {"t": <server time, Unix seconds>, "m": <a server message, exactly as the room received it>}

`m` is the wire form of what the server sent to the room (joined, left, presence, pointer, chat, follow,
layer, feed_time, muted, record, pin, unpin), so the log holds every pose at the rate it was sent, and is read with
the live protocol's own readers and limits (codec.read_server_object).

Rules:
1. Append-only and crash-safe: lines are buffered (LogBuffer) and written as one complete gzip member at
   least every FLUSH_SECONDS (and whenever MAX_PENDING bytes wait). A member is written with one write
   call, so a server killed at any point (SIGKILL) leaves whole members: everything up to its last second
   reads back. Concatenated gzip members are one valid gzip file (RFC 1952), so `zcat` reads it too.
2. Times never go back in a log: a line's `t` is at least the previous line's (LineWriter clamps the
   server's clock), so a reader can rely on the order.
3. A log is untrusted input when read: every line is size-checked before it is parsed, must be exactly
   {"t", "m"}, `t` finite and never going back, `m` a server message of a logged type that passes the
   protocol's checks. Anything else, and a file cut short inside a member, is a MeetingLogError naming the
   file and the line; nothing else escapes read_log.
4. Pure: no sockets, no clocks; the only I/O is read_log reading the file it is given. The server's file
   handling (opening under --record-dir, flushing on its tick) is viewer/net/meeting_logfiles.py's.
"""

from __future__ import annotations

import gzip
import math
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import orjson

from viewer.errors import LoadError
from viewer.meeting.codec import MAX_FEED_REF, MAX_TIME, read_server_object
from viewer.meeting.errors import MessageError
from viewer.meeting.fields import as_room
from viewer.meeting.messages import DEFAULT_LIMITS, MeetingLimits, RoomState, ServerMessage

FORMAT = "citiverse-meeting-log"
VERSION = 1
SUFFIX = ".meeting.jsonl.gz"
FLUSH_SECONDS = 1.0
MAX_PENDING = 256 << 10  # bytes of lines waiting before a member is written regardless of time
MAX_LINES = 50_000_000  # 32 people at 20 Hz for over 20 hours
LOGGED_TYPES = frozenset({"state", "joined", "left", "presence", "pointer", "chat", "follow", "layer",
                          "feed_time", "muted", "record", "pin", "unpin"})
_HEADER_KEYS = frozenset({"format", "version", "room", "start", "feed", "server"})
_READ_CHUNK = 1 << 20


class MeetingLogError(LoadError):
    """A meeting log that cannot be trusted: names the file, the line (1-based; 0: the file as a whole) and
    the reason."""

    def __init__(self, path: str | Path, line: int, reason: str) -> None:
        self.line = line
        super().__init__(path, f"line {line}: {reason}" if line else reason)


class LogSink(Protocol):
    """Where a server's logs go (net/meeting_logfiles.LogFiles; tests may keep them in memory)."""

    def open(self, room: str, start: float) -> str:
        """A new log for `room`; its name (a path). OSError when it cannot be created."""
        ...

    def write(self, name: str, data: bytes) -> None: ...
    def close(self, name: str) -> None: ...


# ---------------------------------------------------------------------------- writing


def header_line(room: str, start: float, feed: str | None, server: str) -> bytes:
    return orjson.dumps({"format": FORMAT, "version": VERSION, "room": room, "start": round(start, 6), "feed": feed,
                         "server": server}) + b"\n"


class LineWriter:
    """The lines of one room's log (rule 2): `line(now, text)` for each encoded server message."""

    def __init__(self, start: float) -> None:
        self.last = round(start, 6)  # the header's start, as written
        self.lines = 0

    def line(self, now: float, text: str) -> bytes:
        self.last = round(max(self.last, now), 6)  # rounding a time >= a rounded one never goes below it
        self.lines += 1
        return b'{"t":' + repr(self.last).encode() + b',"m":' + text.encode() + b"}\n"


class LogBuffer:
    """Lines waiting to be written as one gzip member (rule 1)."""

    def __init__(self, now: float) -> None:
        self.pending: list[bytes] = []
        self.size = 0
        self.flushed = now

    def add(self, data: bytes) -> None:
        self.pending.append(data)
        self.size += len(data)

    def due(self, now: float) -> bool:
        return bool(self.pending) and (self.size >= MAX_PENDING or now - self.flushed >= FLUSH_SECONDS)

    def take(self, now: float) -> bytes:
        """One complete gzip member holding every pending line (empty bytes when none)."""
        self.flushed = now
        if not self.pending:
            return b""
        data, self.pending, self.size = b"".join(self.pending), [], 0
        return gzip.compress(data, compresslevel=6, mtime=0)


# ---------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class LogEntry:
    """One logged server message at server time `t` (Unix seconds), from line `line` of the file."""

    t: float
    message: ServerMessage
    line: int


@dataclass(frozen=True)
class MeetingLog:
    """A whole log: its file, header fields, the room's state when recording started and every entry after.
    `ended`: whether a host stopped the recording (else the server stopped, or was killed)."""

    path: Path
    room: str
    start: float
    feed: str | None
    server: str
    initial: RoomState
    entries: tuple[LogEntry, ...]
    ended: bool

    @property
    def end(self) -> float:
        return self.entries[-1].t if self.entries else self.start

    @property
    def feed_path(self) -> Path | None:
        """The feed reference as a path: relative ones are relative to the log's folder; URLs are None."""
        if self.feed is None or "://" in self.feed:
            return None
        ref = Path(self.feed)
        return ref if ref.is_absolute() else self.path.parent / ref


def read_log(path: str | Path, limits: MeetingLimits = DEFAULT_LIMITS) -> MeetingLog:
    """The log at `path`, every line checked (rule 3); MeetingLogError naming the file and line otherwise."""
    path = Path(path)
    lines = _lines(path, limits.max_server_message_bytes + 64)
    first = next(lines, None)
    if first is None:
        raise MeetingLogError(path, 0, "empty file: not a meeting log")
    room, start, feed, server = _header(path, first)
    entries: list[LogEntry] = []
    last = start
    for number, raw in lines:
        t, message = _entry(path, number, raw, last, limits)
        if not entries and not isinstance(message, RoomState):
            raise MeetingLogError(path, number, "the second line must be the room's state when recording started")
        entries.append(LogEntry(t, message, number))
        last = t
    if not entries:
        raise MeetingLogError(path, 2, "no room state after the header")
    initial = entries[0].message
    assert isinstance(initial, RoomState)
    tail = entries[-1].message
    ended = tail.type == "record" and not getattr(tail, "on", True)
    return MeetingLog(path, room, start, feed, server, initial, tuple(entries[1:]), ended)


def _header(path: Path, item: tuple[int, bytes]) -> tuple[str, float, str | None, str]:
    number, raw = item
    obj = _json(path, number, raw)
    if obj.get("format") != FORMAT:
        raise MeetingLogError(path, number, f"not a meeting log (format is not {FORMAT!r})")
    if obj.get("version") != VERSION:
        raise MeetingLogError(path, number, f"log version {str(obj.get('version'))[:16]} is not {VERSION}")
    extra = sorted(set(obj) - _HEADER_KEYS)
    if extra:
        raise MeetingLogError(path, number, f"unexpected header field {extra[0][:32]!r}")
    try:
        room = as_room(obj.get("room"), "room")
    except MessageError as exc:
        raise MeetingLogError(path, number, exc.reason) from None
    start = obj.get("start")
    if not isinstance(start, int | float) or isinstance(start, bool) \
            or not (math.isfinite(start) and 0 <= start <= MAX_TIME):
        raise MeetingLogError(path, number, "start must be a time in Unix seconds")
    feed, server = obj.get("feed"), obj.get("server", "")
    if feed is not None and (not isinstance(feed, str) or not 0 < len(feed) <= MAX_FEED_REF):
        raise MeetingLogError(path, number, f"feed must be null or a reference of 1-{MAX_FEED_REF} characters")
    if not isinstance(server, str) or len(server) > 64:
        raise MeetingLogError(path, number, "server must be a short version string")
    return room, float(start), feed, server


def _entry(path: Path, number: int, raw: bytes, last: float, limits: MeetingLimits) -> tuple[float, ServerMessage]:
    obj = _json(path, number, raw)
    if set(obj) != {"t", "m"}:
        raise MeetingLogError(path, number, 'a log line is {"t": seconds, "m": message}')
    t = obj["t"]
    if type(t) not in (int, float) or not math.isfinite(t) or not last <= t <= MAX_TIME:
        raise MeetingLogError(path, number, f"t must be a time in Unix seconds, never before the previous "
                                            f"line's {last:.3f}")
    m = obj["m"]
    kind = m.get("type") if isinstance(m, dict) else None
    if kind not in LOGGED_TYPES:
        raise MeetingLogError(path, number, f"m must be a logged server message, not {str(kind)[:32]!r}")
    try:
        return float(t), read_server_object(m, limits)
    except MessageError as exc:
        raise MeetingLogError(path, number, exc.reason) from None


def _json(path: Path, number: int, raw: bytes) -> dict[str, Any]:
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise MeetingLogError(path, number, f"not JSON ({exc.msg})") from None
    if not isinstance(obj, dict):
        raise MeetingLogError(path, number, "a log line is a JSON object")
    return obj


def _lines(path: Path, max_line: int) -> Iterator[tuple[int, bytes]]:
    """(line number, line) of a file of gzip members, each line within `max_line` bytes (rule 3)."""
    read = [0]  # lines read so far, for the decompressor's errors
    tail = b""
    for chunk in _decompressed(path, lambda: read[0] + 1):
        tail += chunk
        *whole, tail = tail.split(b"\n")
        for raw in whole:
            read[0] = number = read[0] + 1
            if number > MAX_LINES:
                raise MeetingLogError(path, number, f"more than {MAX_LINES:,} lines")
            if len(raw) > max_line:
                raise MeetingLogError(path, number, f"line of {len(raw):,} bytes exceeds the limit of {max_line:,}")
            if raw.strip():
                yield number, raw
        if len(tail) > max_line:
            raise MeetingLogError(path, read[0] + 1, f"line longer than the limit of {max_line:,} bytes")
    if tail.strip():
        raise MeetingLogError(path, read[0] + 1, "the last line has no end (the file was cut short)")


def _decompressed(path: Path, line: Any) -> Iterator[bytes]:
    """The decompressed bytes of every gzip member of `path` in order; `line()` names the line being read
    for errors (a member cut short: the file was truncated)."""
    try:
        fh = open(path, "rb")
    except OSError as exc:
        raise MeetingLogError(path, 0, f"cannot read: {exc.strerror or exc}") from None
    with fh:
        inflate = zlib.decompressobj(wbits=31)
        started = False
        while True:
            try:
                data = fh.read(_READ_CHUNK)
            except OSError as exc:
                raise MeetingLogError(path, line(), f"cannot read: {exc.strerror or exc}") from None
            if not data:
                break
            while data:
                try:
                    out = inflate.decompress(data)
                except zlib.error as exc:
                    raise MeetingLogError(path, line(), f"not readable gzip data ({exc})") from None
                started = True
                yield out
                data = b""
                if inflate.eof:  # a member ended: the next starts in unused_data
                    data = inflate.unused_data
                    inflate = zlib.decompressobj(wbits=31)
                    started = False
        if started:
            raise MeetingLogError(path, line(), "the file ends inside a compressed block: it was cut short "
                                                "(a copy or a disk that stopped early); the lines before are whole")
