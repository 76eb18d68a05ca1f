"""TwinState: the entities of the twin as numpy tables, one per kind, updated by TwinUpdates.

Rules:
1. A KindTable keeps its live rows dense at 0..n-1 of every column (capacity doubles when full); `index`
   maps id -> row. Removing rows moves the last rows into the holes (one vectorised move), so row numbers
   are not stable: `layout` counts additions, removals and moves, and a consumer holding row numbers
   re-reads them when it changes. `version` counts every change.
2. Revisions never go backwards: column "time" is the source time of a row's data. An upsert or a removal
   older than the row's time is ignored (and counted); one at the same time is applied (a repeat is
   idempotent). apply(..., reset=True), for the first snapshot of a new stream, waives the check for the
   kinds it lists: a restarted server's clock is not comparable with the old one's.
3. A snapshot lists complete kinds: rows of a listed kind absent from it are removed, unless their data is
   newer than the snapshot (rule 2: an old snapshot replayed must not remove what came since); a reset
   snapshot removes every absent row.
4. Column "seen" is the receiver's clock (`now`, always passed in) at the row's last update; stale() and
   expire() compare it with `now`. No clock is ever read here.
5. Vehicles keep the previous sample next to the latest one (prev_time, prev_x, prev_y, prev_z,
   prev_heading, prev_speed beside time, x, y, z, heading, speed) so the view can interpolate: a newer
   upsert moves latest to previous; one at the same time overwrites the latest only; a new vehicle (or a
   reset) starts with previous = latest.
6. Batches must be clean (validate.py): str ids, unique within a batch. apply refuses duplicate new ids.
7. No per-row Python beyond the id -> row dict (map(dict.get) over the id list, dict.update for new ids).
8. Generic kinds of protocol v1.1 (batch.EntityBatch) get a table on their first upsert, with the columns of
   that batch; a later batch of the kind with other columns is refused (ValueError, before any change).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from itertools import compress, repeat
from typing import Any

import numpy as np

from viewer.twin.batch import (
    BATCH_TYPES,
    KINDS,
    Batch,
    EntityBatch,
    TwinUpdate,
    batch_columns,
    empty_batch,
    rebuild,
)

SAMPLE = ("x", "y", "z", "heading", "speed")  # vehicle columns kept for the previous sample, with "time"
_MIN_CAPACITY = 64


def _table_dtypes(kind: str, like: Batch | None = None) -> dict[str, Any]:
    """Every column of a kind's table except ids: the batch's, then time and seen, then previous samples."""
    batch = empty_batch(kind) if like is None else like
    dtypes = {name: column.dtype for name, column in batch_columns(batch).items() if name != "ids"}
    dtypes.update(time=np.dtype(np.float64), seen=np.dtype(np.float64))
    if kind == "vehicle":
        dtypes.update({f"prev_{name}": dtypes[name] for name in ("time", *SAMPLE)})
    return dtypes


@dataclass
class Counters:
    """What happened to the data, for the status line and the logs (rows unless named otherwise)."""

    applied: int = 0  # rows upserted
    removed: int = 0  # rows removed by removals and snapshots
    ignored_older: int = 0  # upserts and removals older than the row's revision
    expired: int = 0  # rows removed by expire()
    dropped_rows: int = 0  # rows refused by validation
    dropped_messages: int = 0  # whole messages refused (malformed, duplicate, out of order, illegal)
    reasons: deque[str] = field(default_factory=lambda: deque(maxlen=32))  # the latest drop reasons
    _recent: deque[tuple[float, int]] = field(default_factory=deque, repr=False)

    def record_applied(self, now: float, rows: int, window: float = 1.0) -> None:
        self.applied += rows
        self._recent.append((now, rows))
        while self._recent and self._recent[0][0] <= now - window:
            self._recent.popleft()

    def updates_per_second(self, now: float, window: float = 1.0) -> float:
        """Rows applied per second over the last `window` seconds before `now`."""
        return sum(rows for t, rows in self._recent if t > now - window) / window


class KindTable:
    """The live entities of one kind: ids (capacity,) object, columns name -> (capacity,) array; rows 0..n-1
    are live. Read through column(name) (a view of n rows; do not write into it)."""

    def __init__(self, kind: str, capacity: int = _MIN_CAPACITY, like: Batch | None = None) -> None:
        self.kind = kind
        self.n = 0
        self.index: dict[str, int] = {}
        self.layout = 0
        self.version = 0
        self._dtypes = _table_dtypes(kind, like)
        self.names = tuple(name for name in self._dtypes if name not in ("time", "seen")
                           and not name.startswith("prev_"))  # the batch's columns after ids
        self._like = like
        self.ids = np.full(capacity, None, dtype=object)
        self.columns = {name: self._blank(dtype, capacity) for name, dtype in self._dtypes.items()}

    @staticmethod
    def _blank(dtype: np.dtype, size: int) -> np.ndarray:
        return np.full(size, "other" if dtype.kind == "O" else np.nan, dtype=dtype)

    def __len__(self) -> int:
        return self.n

    def column(self, name: str) -> np.ndarray:
        """(n,) view of a column: a batch column, "time", "seen" or (vehicles) "prev_*"."""
        return self.columns[name][: self.n]

    def live_ids(self) -> np.ndarray:
        return self.ids[: self.n]

    def rows(self, ids: np.ndarray | list[str]) -> np.ndarray:
        """(m,) int64 rows of these ids, -1 where absent."""
        ids_list = ids.tolist() if isinstance(ids, np.ndarray) else list(ids)
        return np.fromiter(map(self.index.get, ids_list, repeat(-1)), dtype=np.int64, count=len(ids_list))

    def batch(self) -> Batch:
        """A copy of the live rows as a batch of this kind."""
        columns = {"ids": self.ids[: self.n].copy()} | {k: self.columns[k][: self.n].copy() for k in self.names}
        return rebuild(self._like, columns) if self._like is not None else BATCH_TYPES[self.kind](**columns)

    def stale(self, now: float, deadline: float) -> np.ndarray:
        """(n,) bool: rows not updated within `deadline` seconds before `now`."""
        return self.column("seen") < now - deadline

    def _reserve(self, size: int) -> None:
        capacity = len(self.ids)
        if size <= capacity:
            return
        capacity = max(size, 2 * capacity)
        ids = np.full(capacity, None, dtype=object)
        ids[: self.n] = self.ids[: self.n]
        self.ids = ids
        for name, old in self.columns.items():
            new = self._blank(self._dtypes[name], capacity)
            new[: self.n] = old[: self.n]
            self.columns[name] = new

    def _add(self, ids: list[str]) -> np.ndarray:
        """Append new ids; returns their rows."""
        if len(set(ids)) != len(ids):
            raise ValueError(f"{self.kind} batch has duplicate ids: validate() it before applying")
        start = self.n
        self._reserve(start + len(ids))
        rows = np.arange(start, start + len(ids))
        self.ids[start:start + len(ids)] = ids
        self.index.update(zip(ids, rows.tolist(), strict=True))
        self.n += len(ids)
        self.layout += 1
        return rows

    def upsert(self, batch: Batch, time: float, now: float, reset: bool = False) -> tuple[int, np.ndarray]:
        """Write a clean batch at source time `time`; returns (rows ignored as older, (m,) rows of its ids)."""
        ids = batch.ids.tolist()
        rows = self.rows(ids)
        existing = rows >= 0
        current = np.where(existing, self.columns["time"][np.maximum(rows, 0)], np.nan)
        take = np.ones(len(ids), dtype=bool) if reset else ~(current > time)  # NaN (new) compares False
        if not existing.all():
            rows[~existing] = self._add(list(compress(ids, (~existing).tolist())))
        target = rows[take]
        shift = (current < time)[take]  # existing rows getting a newer sample
        if self.kind == "vehicle" and shift.any():
            for name in ("time", *SAMPLE):
                self.columns[f"prev_{name}"][target[shift]] = self.columns[name][target[shift]]
        for name in self.names:
            self.columns[name][target] = getattr(batch, name)[take]
        self.columns["time"][target] = time
        self.columns["seen"][target] = now
        if self.kind == "vehicle" and not shift.all():
            fresh = target[~shift & ~(current == time)[take]]  # new rows, or older data taken on reset
            for name in ("time", *SAMPLE):
                self.columns[f"prev_{name}"][fresh] = self.columns[name][fresh]
        self.version += 1
        return len(ids) - len(target), rows

    def remove(self, ids: np.ndarray, time: float, reset: bool = False) -> tuple[int, int]:
        """Remove these ids at source time `time`; returns (removed, ignored as older). Absent ids are fine."""
        rows = self.rows(ids)
        rows = rows[rows >= 0]
        older = np.zeros(len(rows), dtype=bool) if reset else self.columns["time"][rows] > time
        return self.remove_rows(rows[~older]), int(np.count_nonzero(older))

    def remove_rows(self, rows: np.ndarray) -> int:
        """Remove rows (any order, repeats allowed) by moving the last live rows into the holes."""
        rows = np.unique(rows)
        if len(rows) == 0:
            return 0
        n, k = self.n, len(rows)
        for key in self.ids[rows].tolist():
            del self.index[key]
        keep_tail = np.ones(k, dtype=bool)
        keep_tail[rows[rows >= n - k] - (n - k)] = False
        movers = np.arange(n - k, n)[keep_tail]
        holes = rows[rows < n - k]
        if len(holes):
            for column in self.columns.values():
                column[holes] = column[movers]
            self.ids[holes] = self.ids[movers]
            self.index.update(zip(self.ids[holes].tolist(), holes.tolist(), strict=True))
        self.ids[n - k:n] = None
        self.n = n - k
        self.layout += 1
        self.version += 1
        return k


@dataclass(frozen=True)
class ApplyResult:
    """What one apply() did, in rows."""

    applied: int
    ignored_older: int
    removed: int


class TwinState:
    """All kinds' tables plus counters. apply() is the one way data gets in."""

    def __init__(self, kinds: tuple[str, ...] = KINDS) -> None:
        self.tables: dict[str, KindTable] = {kind: KindTable(kind) for kind in kinds}
        self.counters = Counters()
        self.time = float("-inf")  # newest source time applied

    def __getitem__(self, kind: str) -> KindTable:
        return self.tables[kind]

    def apply(self, update: TwinUpdate, now: float, reset: bool = False) -> ApplyResult:
        """Apply a clean update received at `now` (see the module rules for revisions and snapshots)."""
        self._add_generic(update)
        unknown = (set(update.upserts) | {k for k in update.removals if k in KINDS}) - set(self.tables)
        if unknown:
            raise ValueError(f"this twin state holds no kind(s) {sorted(unknown)}")
        reset = reset and update.snapshot  # only a snapshot can stand in for the whole of a kind
        applied = ignored = removed = 0
        for kind, batch in update.upserts.items():
            table = self.tables[kind]
            older, rows = table.upsert(batch, update.time, now, reset)
            applied += len(rows) - older
            ignored += older
            if update.snapshot:
                absent = np.ones(table.n, dtype=bool)
                absent[rows] = False
                if not reset:  # rule 3: rows newer than the snapshot stay
                    newer = absent & (table.column("time") > update.time)
                    ignored += int(np.count_nonzero(newer))
                    absent &= ~newer
                removed += table.remove_rows(np.flatnonzero(absent))
        for kind, ids in update.removals.items():
            if kind not in self.tables:
                continue  # a generic kind never upserted here: nothing to remove
            gone, older = self.tables[kind].remove(ids, update.time, reset)
            removed += gone
            ignored += older
        # A reset snapshot starts a new stream (e.g. a restarted server with an earlier clock): follow its time.
        self.time = update.time if (reset and update.snapshot) else max(self.time, update.time)
        self.counters.record_applied(now, applied)
        self.counters.removed += removed
        self.counters.ignored_older += ignored
        return ApplyResult(applied, ignored, removed)

    def _add_generic(self, update: TwinUpdate) -> None:
        """Rule 8: a table for each generic kind met for the first time; refuse a change of columns."""
        for kind, batch in update.upserts.items():
            if not isinstance(batch, EntityBatch):
                continue
            table = self.tables.get(kind)
            if table is None:
                self.tables[kind] = KindTable(kind, like=batch)
            elif table.names != tuple(batch.columns):
                raise ValueError(f"{kind} rows have columns {list(batch.columns)}, this state's "
                                 f"{list(table.names)}: refused")

    def snapshot(self, kinds: tuple[str, ...] | None = None, time: float | None = None) -> TwinUpdate:
        """The whole state of `kinds` (default all) as a snapshot update at `time` (default the newest)."""
        kinds = tuple(self.tables) if kinds is None else kinds
        when = self.time if time is None else time
        upserts = {kind: self.tables[kind].batch() for kind in kinds if kind in self.tables}
        return TwinUpdate(time=when if np.isfinite(when) else 0.0, upserts=upserts, snapshot=True)

    def stale(self, now: float, deadline: float) -> dict[str, np.ndarray]:
        """Per kind, (n,) bool of rows not updated within `deadline` seconds before `now`."""
        return {kind: table.stale(now, deadline) for kind, table in self.tables.items()}

    def expire(self, now: float, remove_after: float) -> int:
        """Remove rows not updated within `remove_after` seconds before `now`; returns how many."""
        count = sum(table.remove_rows(np.flatnonzero(table.stale(now, remove_after)))
                    for table in self.tables.values())
        self.counters.expired += count
        return count

    def record_dropped(self, reason: str, rows: int = 0, message: bool = False) -> None:
        """Count a refusal (rows by validation, or a whole message) and remember its reason."""
        self.counters.dropped_rows += rows
        self.counters.dropped_messages += int(message)
        self.counters.reasons.append(reason)

    def count(self) -> dict[str, int]:
        return {kind: table.n for kind, table in self.tables.items()}
