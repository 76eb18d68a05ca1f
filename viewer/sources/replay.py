"""Replay of a feed recording (`citiverse feed record`) as a Source: the recorded stream, served again.

The recording format (written by viewer/net/recorder.py, read here; docs/feed-server.md):
    gzip-compressed JSON lines. Line 1, the header:
        {"format": "citiverse-feed-recording", "version": 1, "url": "ws://host:port/", "start": <epoch s>}
    then one line per websocket message as received, in order:
        {"t": <seconds since start>, "text": "<the JSON message>"}      a text frame
        {"t": <seconds since start>, "binary": "<base64 of the frame>"}  a binary frame

Rules:
1. Streaming: one line in memory at a time plus a lookahead of LOOKAHEAD data messages (to learn the pace),
   so an hour of 10k vehicles replays in bounded memory. Every line is size-checked before it is parsed.
2. The file's structure is trusted nothing: a missing or foreign header, a line that is not JSON, a `t` that
   is not a finite number >= 0 or that goes back, bad base64, no hello, no snapshot -> LoadError naming the
   file and the line. A recorded message the twin codec refuses (a hostile server was recorded) is skipped
   with a warning and counted in `skipped`; rows are validated (twin/validate.py) before they leave here.
3. Pace: period = the median interval between recorded data messages (receive time `t`, so "real speed" is
   the pace the recorder saw); data message i belongs to step round((t_i - t_first_snapshot) / period).
   start() returns the first snapshot (with anything else of step 0 merged in), each step() the messages of
   its step merged into one update (merge_updates), or an empty update when none fell into it. The server's
   --speed scales the pace.
4. Source time is the recorded data time and never goes backwards: a stream restarted inside the recording
   (a new hello whose data is older) is shifted to continue after the last time, and with loop=True each
   pass adds the recording's duration (last data time - first + one source step) so the revisions of the
   twin state keep increasing. A loop starts again with the recording's first snapshot.
5. crs and kinds come from the recording's first hello. Heartbeats and hellos are not data: skipped.
6. Seeking (the window's time bar, a step back, a meeting's shared time): seek(t) goes to feed time t of the
   current pass and returns one snapshot merging everything through t (the state a replay stepped there
   holds); step() goes on from there as if it had. It starts from the latest checkpoint at or before t of a
   ReplayIndex (else from the pass's start) and reads on. A Checkpoint is the merged state after one step
   plus where the reader stood (sources/gzip_lines.py Position: a gzip file has no random access, so the
   decompressor's state is kept) and the pacing; times are kept relative to the pass's first update, so
   the checkpoints of one pass serve every loop. build_index() reads the file once and takes one every
   `every` feed seconds, or by default as often as keeps the reading between two under SEEK_BUDGET CPU
   seconds; past MAX_INDEX_BYTES every other one goes.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import logging
import math
import time
import zlib
from collections import deque
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from viewer.errors import LoadError
from viewer.sources.gzip_lines import GzipLines, Position
from viewer.twin.batch import Batch, TwinUpdate, batch_columns, rebuild
from viewer.twin.codec import decode
from viewer.twin.errors import MessageError
from viewer.twin.messages import DEFAULT_LIMITS, Delta, FeedLimits, Hello, Snapshot
from viewer.twin.validate import validate_update

log = logging.getLogger(__name__)

FORMAT = "citiverse-feed-recording"
VERSION = 1
LOOKAHEAD = 32  # data messages read ahead at the start to learn the pace
MIN_PERIOD, MAX_PERIOD = 0.001, 3600.0
SEEK_BUDGET = 0.2  # CPU seconds of decoding between two checkpoints at most (rule 6), when the spacing adapts
MIN_EVERY, MAX_EVERY = 1.0, 60.0  # feed seconds between checkpoints
MAX_INDEX_BYTES = 256 * 1024 * 1024  # an index thins out beyond this


def max_line_bytes(limits: FeedLimits) -> int:
    """The longest line a recording may hold: a largest message as base64 plus the JSON around it."""
    return limits.max_message_bytes * 4 // 3 + 4096


def open_recording(path: Path, limits: FeedLimits = DEFAULT_LIMITS, at: Position | None = None) -> GzipLines:
    """A line reader on a recording: from the start with its header checked (rule 2), or from a Position."""
    limit = max_line_bytes(limits)
    try:
        reader = GzipLines(path, limit, at)
    except FileNotFoundError:
        raise LoadError(path, "file not found") from None
    except OSError as exc:
        raise LoadError(path, f"cannot read: {exc}") from None
    if at is None:
        try:
            header = _parse(path, 1, reader.readline(), limit)
        except (OSError, EOFError, zlib.error) as exc:  # truncation is an EOFError, a foreign file a zlib.error
            reader.close()
            raise LoadError(path, f"not a readable gzip file: {exc}") from None
        except LoadError:
            reader.close()
            raise
        if header.get("format") != FORMAT or header.get("version") != VERSION:
            reader.close()
            raise LoadError(path, f"line 1: not a {FORMAT} version {VERSION} header")
    return reader


def read_lines(path: Path, limits: FeedLimits = DEFAULT_LIMITS,
               reader: GzipLines | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, JSON object) of every line after the header, which is checked first (rule 2); from
    `reader` (an open_recording, which its owner closes: positions are taken after the last line too) when given."""
    own = reader is None
    reader = reader or open_recording(path, limits)
    try:
        while line := reader.readline():
            if line.strip():
                yield reader.number, _parse(path, reader.number, line, reader.limit)
    except (OSError, EOFError, zlib.error) as exc:
        raise LoadError(path, f"not a readable gzip file: {exc}") from None
    finally:
        if own:
            reader.close()


def read_header(path: Path, limits: FeedLimits = DEFAULT_LIMITS) -> dict[str, Any]:
    """The header line of a recording (url, start, ...), checked."""
    limit = max_line_bytes(limits)
    try:
        with gzip.open(path, "rb") as fh:
            header = _parse(path, 1, fh.readline(limit + 1), limit)
    except FileNotFoundError:
        raise LoadError(path, "file not found") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise LoadError(path, f"not a readable gzip file: {exc}") from None
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise LoadError(path, f"line 1: not a {FORMAT} version {VERSION} header")
    return header


def _parse(path: Path, number: int, line: bytes, limit: int) -> dict[str, Any]:
    if len(line) > limit:
        raise LoadError(path, f"line {number}: longer than {limit:,} bytes")
    if not line.strip():
        raise LoadError(path, f"line {number}: empty (the file is empty or truncated)")
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise LoadError(path, f"line {number}: not JSON ({exc.msg})") from None
    if not isinstance(obj, dict):
        raise LoadError(path, f"line {number}: expected a JSON object")
    return obj


def recorded_messages(path: Path, limits: FeedLimits = DEFAULT_LIMITS, reader: GzipLines | None = None,
                      last: float = 0.0) -> Iterator[tuple[int, float, bytes | str]]:
    """(line number, t, message as received) for every recorded message, t checked finite, >= 0, in order
    (from `reader`, whose previous message had t = `last`, when given)."""
    for number, obj in read_lines(path, limits, reader):
        raw: Any = obj.get("t")
        if type(raw) not in (int, float) or not math.isfinite(raw) or raw < 0:
            raise LoadError(path, f"line {number}: t must be a finite number of seconds >= 0")
        t = float(raw)
        if t < last:
            raise LoadError(path, f"line {number}: t goes back from {last} to {t}")
        last = t
        if isinstance(obj.get("text"), str):
            yield number, last, obj["text"]
        elif isinstance(obj.get("binary"), str):
            try:
                yield number, last, base64.b64decode(obj["binary"], validate=True)
            except (binascii.Error, ValueError):
                raise LoadError(path, f"line {number}: binary is not valid base64") from None
        else:
            raise LoadError(path, f'line {number}: expected "text" or "binary" next to "t"')


def merge_updates(updates: list[TwinUpdate]) -> TwinUpdate:
    """One update equivalent to applying `updates` in order (upserts before removals within each).

    From the last snapshot on, when there is one (it replaces everything before it). Per kind and id the
    last event wins: a last upsert gives its row, a last removal a removal (nothing, after a snapshot: absent
    rows of a listed kind are gone). Kinds a delta carries that the snapshot does not list are dropped with a
    warning: adding them would turn partial data into a complete kind. Time = the last update's.
    """
    start = max((i for i, u in enumerate(updates) if u.snapshot), default=0)
    updates = updates[start:]
    if len(updates) == 1:
        return updates[0]
    base = updates[0]
    kinds = list(dict.fromkeys(k for u in updates for k in (*u.upserts, *u.removals)))
    if base.snapshot and set(kinds) - set(base.upserts):
        log.warning("replay: deltas of kinds the snapshot does not list dropped: %s",
                    sorted(set(kinds) - set(base.upserts)))
        kinds = list(base.upserts)
    out = TwinUpdate(time=updates[-1].time, snapshot=base.snapshot)
    for kind in kinds:
        batches = [u.upserts[kind] for u in updates if kind in u.upserts]
        events: list[Any] = []  # ids in event order: upserts then removals of each update
        rows: list[np.ndarray] = []  # row in the concatenated batches, -1 for a removal
        offset = 0
        for u in updates:
            if kind in u.upserts:
                n = len(u.upserts[kind].ids)
                events.extend(u.upserts[kind].ids.tolist())
                rows.append(np.arange(offset, offset + n))
                offset += n
            if kind in u.removals:
                events.extend(u.removals[kind].tolist())
                rows.append(np.full(len(u.removals[kind]), -1))
        where = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        last = np.sort(np.fromiter(dict(zip(events, range(len(events)), strict=True)).values(), np.int64))
        taken = where[last]
        if batches:
            out.upserts[kind] = _concat(kind, batches, taken[taken >= 0])
        gone = np.array(events, dtype=object)[last[taken < 0]] if len(events) else np.zeros(0, object)
        if len(gone) and not base.snapshot:
            out.removals[kind] = gone
    return out


def _concat(kind: str, batches: list[Batch], rows: np.ndarray) -> Batch:
    names = batch_columns(batches[0])  # generic kinds (protocol 1.1) keep their own columns
    columns = {name: np.concatenate([batch_columns(b)[name] for b in batches])[rows] for name in names}
    return rebuild(batches[0], columns)


@dataclass(frozen=True)
class Checkpoint:
    """Where a pass stood after one of its steps (rule 6): `state` merges everything handed out through it (a
    snapshot at feed time `first` + `rel`); the rest is the reader and the pacing, to go on from there."""

    rel: float
    state: TwinUpdate
    first: float
    at: Position
    read_t: float
    ahead: tuple[tuple[float, TwinUpdate], ...]
    k: int
    t0: float | None
    offset: float
    last_time: float

    def nbytes(self) -> int:
        """About the memory it holds: its columns, the reader's buffers and the decompressor's window."""
        rows = sum(int(column.nbytes) for batch in self.state.upserts.values()
                   for column in batch_columns(batch).values())
        return rows + len(self.at.pending) + len(self.at.tail) + 64 * 1024


class ReplayIndex:
    """The checkpoints of one pass through a recording, filled by build_index (on a thread or not) and read
    by ReplaySource.seek (rule 6). `end` is the last data time of the pass after its first (None until the
    whole file was read); `progress` the share of the file read."""

    def __init__(self, every: float | None = None, max_bytes: int = MAX_INDEX_BYTES) -> None:
        self.every = every  # seconds of feed time between checkpoints; None: adapt to SEEK_BUDGET
        self.max_bytes = max_bytes
        self.checkpoints: list[Checkpoint] = []
        self.end: float | None = None
        self.indexed = 0.0  # feed seconds after the first covered so far
        self.progress = 0.0
        self.error: str | None = None
        self._bytes = 0

    def add(self, checkpoint: Checkpoint) -> None:
        """Keep a checkpoint; over max_bytes every other one goes and the spacing doubles (rule 6)."""
        self.checkpoints = [*self.checkpoints, checkpoint]  # a new list: a reader on another thread sees a whole one
        self._bytes += checkpoint.nbytes()
        if self._bytes > self.max_bytes and len(self.checkpoints) > 2:
            kept = self.checkpoints[::2]
            self.checkpoints = kept
            self._bytes = sum(c.nbytes() for c in kept)
            self.every = 2 * (self.every or MIN_EVERY)

    def before(self, rel: float) -> Checkpoint | None:
        """The latest checkpoint at or before `rel` seconds after the pass's first update."""
        found = None
        for checkpoint in self.checkpoints:
            if checkpoint.rel > rel:
                break
            found = checkpoint
        return found


def build_index(path: Path, period: float, index: ReplayIndex | None = None, limits: FeedLimits = DEFAULT_LIMITS,
                stop: Callable[[], bool] = lambda: False) -> ReplayIndex:
    """Read the recording once (pace `period`: the replay's) and fill `index` with checkpoints (rule 6);
    returns it. `stop()` true ends early (a closing window). Spacing: index.every seconds of feed time, or
    (None) as much as SEEK_BUDGET seconds of this thread's CPU time decode, within MIN_EVERY..MAX_EVERY."""
    index = index or ReplayIndex()
    source = ReplaySource(path, period=period, limits=limits)
    size = max(Path(path).stat().st_size, 1)
    try:
        state = source.start()
        index.add(source.checkpoint(state))
        since: list[TwinUpdate] = [state]
        cpu, spacing = time.thread_time(), index.every or MIN_EVERY
        while (update := source.step()) is not None and not stop():
            since.append(update)
            rel = update.time - (source.first_time or update.time)
            index.indexed = rel
            if update.time - since[0].time < (index.every or spacing):
                continue
            if index.every is None:  # seconds of feed the budget decodes, from what the last stretch cost
                cost = max(time.thread_time() - cpu, 1e-6) / max(update.time - since[0].time, 1e-6)
                spacing = min(max(SEEK_BUDGET / cost, MIN_EVERY), MAX_EVERY, 2 * spacing)  # grows gently
                cpu = time.thread_time()
            state = merge_updates(since)
            index.add(source.checkpoint(state))
            since = [state]
            index.progress = min(source.read_offset() / size, 1.0)
        if not stop():
            index.end, index.progress = index.indexed, 1.0
    finally:
        source.close()
    return index


class ReplaySource:
    """A recording as a Source (rules above). `skipped` counts recorded messages the codec refused."""

    name = "replay"

    def __init__(self, path: Path, loop: bool = False, period: float | None = None,
                 limits: FeedLimits = DEFAULT_LIMITS) -> None:
        self.path, self.loop, self.limits = Path(path), bool(loop), limits
        self.header = read_header(self.path, limits)
        self.skipped = 0
        self.passes = 0  # completed passes through the file (loops)
        self.hello: Hello | None = None
        self._read_t = 0.0  # t of the last recorded message read
        self._seen_line = 0  # the furthest line read in this pass (a re-read after a seek warns no more)
        self._open()
        if self.hello is None:
            raise LoadError(self.path, "the recording has no hello before its data")
        self.crs, self.kinds = self.hello.crs, self.hello.kinds
        if not any(u.snapshot for _, u in self._ahead):
            raise LoadError(self.path, "the recording has no snapshot")
        times = np.array([t for t, _ in self._ahead])
        self.period: float = float(period) if period is not None else _median_step(times, 0.1)
        if not MIN_PERIOD <= self.period <= MAX_PERIOD:
            raise ValueError(f"period must be between {MIN_PERIOD} and {MAX_PERIOD} s, got {self.period}")
        self.source_step: float = _median_step(np.array([u.time for _, u in self._ahead]), self.period)
        self._offset: float = 0.0  # added to recorded source times (rule 4)
        self._pass_offset: float = 0.0  # _offset when this pass began
        self._first_time: float | None = None
        self._last_time: float = -math.inf
        self._k: int = 0  # steps taken in this pass
        self._t0: float | None = None  # t of this pass's first snapshot: step 0
        self._held: TwinUpdate | None = None  # the first step after a seek's time, handed out by the next step()
        self._closed: bool = False

    @property
    def first_time(self) -> float | None:
        """Feed time of this pass's first update (None before start())."""
        return self._first_time

    # ------------------------------------------------------------ reading

    def _open(self, at: Checkpoint | None = None) -> None:
        self._reader = open_recording(self.path, self.limits, at.at if at else None)
        self._read_t = at.read_t if at else 0.0
        self._messages = self._data_messages(self._reader)
        self._ahead: deque[tuple[float, TwinUpdate]] = deque(at.ahead if at else ())
        while at is None and len(self._ahead) < LOOKAHEAD and self._fill():
            pass

    def _data_messages(self, reader: GzipLines) -> Generator[tuple[float, TwinUpdate], None, None]:
        """(t, validated update) of every data message; hellos noted, heartbeats skipped."""
        for number, t, data in recorded_messages(self.path, self.limits, reader, self._read_t):
            self._read_t, fresh = t, number > self._seen_line
            self._seen_line = max(self._seen_line, number)
            try:
                message = decode(data, self.limits, f"{self.path}:{number}")
            except MessageError as exc:
                if fresh:
                    self.skipped += 1
                    log.warning("%s line %d: recorded message skipped: %s", self.path, number, exc.reason)
                continue
            if isinstance(message, Hello):
                self.hello = self.hello or message
            elif isinstance(message, Snapshot | Delta):
                clean, reasons = validate_update(message.update, self.limits.max_id_length)
                for reason in reasons if fresh else ():
                    log.info("%s line %d: %s", self.path, number, reason)
                yield t, clean

    def read_offset(self) -> int:
        """Compressed bytes of the file read so far in this pass (a progress measure)."""
        return self._reader.position().offset

    def _fill(self) -> bool:
        item = next(self._messages, None)
        if item is None:
            return False
        self._ahead.append(item)
        return True

    def _take_until(self, step: int) -> list[TwinUpdate]:
        """The updates of steps <= `step` of this pass, in order, with source times made monotonic."""
        out: list[TwinUpdate] = []
        while self._ahead or self._fill():
            t, update = self._ahead[0]
            if self._t0 is not None and round((t - self._t0) / self.period) > step:
                break
            self._ahead.popleft()
            if self._t0 is None:
                if not update.snapshot:
                    continue  # deltas before the first snapshot cannot be applied
                self._t0 = t
            out.append(self._shifted(update))
        return out

    def _shifted(self, update: TwinUpdate) -> TwinUpdate:
        time = update.time + self._offset
        if time < self._last_time:  # a restarted stream inside the recording: continue after the last time
            self._offset += self._last_time - time + self.source_step
            time = update.time + self._offset
        if self._first_time is None:
            self._first_time = time
        self._last_time = time
        return TwinUpdate(time, update.upserts, update.removals, update.snapshot)

    # ------------------------------------------------------------ the Source protocol

    def start(self) -> TwinUpdate:
        self._t0 = None
        self._k = 0
        self._held = None
        updates = self._take_until(0)
        if not updates:
            raise LoadError(self.path, "the recording has no snapshot")
        return merge_updates(updates)

    def step(self) -> TwinUpdate | None:
        if self._closed:
            return None
        if self._held is not None:
            held, self._held = self._held, None
            return held
        self._k += 1
        updates = self._take_until(self._k)
        if updates:
            return merge_updates(updates)
        if self._ahead or self._fill():
            return TwinUpdate(time=self._last_time)  # nothing recorded in this step
        if not self.loop:
            return None
        return self._next_pass()

    def _next_pass(self) -> TwinUpdate:
        self.passes += 1
        first = self._first_time if self._first_time is not None else 0.0
        self._offset += self._last_time - first + self.source_step  # the next pass continues the clock
        self._pass_offset = self._offset
        self._first_time = None
        self._seen_line = 0
        self._reader.close()
        self._open()
        return self.start()

    def close(self) -> None:
        self._closed = True
        self._ahead.clear()
        self._messages.close()
        self._reader.close()

    # ------------------------------------------------------------ seeking (rule 6)

    def checkpoint(self, state: TwinUpdate) -> Checkpoint:
        """This pass as it stands after the last step, with `state` everything handed out so far merged."""
        first = self._first_time if self._first_time is not None else state.time
        return Checkpoint(state.time - first, state, first, self._reader.position(), self._read_t,
                          tuple(self._ahead), self._k, self._t0, self._offset, self._last_time)

    def seek(self, t: float, index: ReplayIndex | None = None) -> TwinUpdate:
        """Go to feed time `t` of this pass (rule 6): one snapshot update merging everything through `t` (the
        pass's first update when `t` is earlier), from the index's latest checkpoint before `t` (else from
        the pass's start) and read on; the first later step is held for the next step()."""
        if self._first_time is None:
            self.start()
        assert self._first_time is not None
        first = self._first_time
        checkpoint = index.before(t - first) if index is not None else None
        self._closed = False
        self._messages.close()
        self._reader.close()
        if checkpoint is None:
            self._offset, self._first_time, self._last_time = self._pass_offset, None, -math.inf
            self._open()
            updates = [self.start()]
        else:
            shift = first - checkpoint.first  # the same point of an earlier pass: its times, shifted (rule 4)
            self._open(checkpoint)
            self._k, self._t0, self._held = checkpoint.k, checkpoint.t0, None
            self._offset, self._last_time = checkpoint.offset + shift, checkpoint.last_time + shift
            state = checkpoint.state
            updates = [TwinUpdate(state.time + shift, state.upserts, state.removals, snapshot=True)]
        while (update := self.step()) is not None:
            if update.time > t:
                self._held = update
                break
            updates.append(update)
        merged = merge_updates(updates)
        return TwinUpdate(merged.time, merged.upserts, merged.removals, snapshot=True)


def _median_step(times: np.ndarray, default: float) -> float:
    """The median positive difference of consecutive times, clamped to the allowed periods; else default."""
    steps = np.diff(times)
    steps = steps[steps > 0]
    if steps.size == 0:
        return default
    return float(min(max(float(np.median(steps)), MIN_PERIOD), MAX_PERIOD))
