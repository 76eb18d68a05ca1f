"""The twin feed on a message bus (NATS JetStream), sans-I/O: subjects, stream names, framing and assembly.

viewer/net/bus.py does the I/O (publisher, edge, history reader); this module only turns updates into bus
messages and bus messages back into updates, so all of it is tested without a server.

Layout of one twin NAME (docs/scale.md):
    stream  CITIVERSE_FEED_<NAME>          subjects citiverse.feed.<NAME>.>, file storage, age/size retention
    citiverse.feed.<NAME>.delta.<kind>     one step's rows of one kind (upserts + removals), binary frame
    citiverse.feed.<NAME>.snap.<kind>      a checkpoint's rows of one kind (binary snapshot frame, chunked)
    citiverse.feed.<NAME>.snap.index       the checkpoint: JSON naming its parts' stream sequences

Rules:
1. Bodies are the feed's own binary frames (twin/binary.py): the same validation and limits as a websocket
   peer. Headers carry the bookkeeping: Citiverse-Epoch (one publisher run), Citiverse-Step (the source step),
   Citiverse-N (the publisher's message counter, strictly +1 per delta message of an epoch, also for a
   message whose publish failed) and Citiverse-End ("1" on the last message of a step).
2. A kind's rows are split into several messages when one frame would exceed `max_bytes` (NATS refuses
   payloads over max_payload, 1 MB by default); the parts of one step are assembled back into one update.
3. Latest state = the last snap.index (JetStream keeps every message until retention; "last message of a
   subject" is a direct get). A checkpoint's parts are published before its index, and the index lists
   their stream sequences, so a reader never mixes two checkpoints. Every delta after the index's own
   stream sequence belongs to a later step: snapshot = checkpoint + those deltas, exactly.
4. StepAssembler checks continuity: a Citiverse-N that skips (a failed publish, a trimmed stream) or a new
   epoch (the publisher restarted) is a Gap; the reader rebuilds from the latest checkpoint (a new epoch
   also restarts its clients' streams, because its source time may go backwards).
5. Names are NATS tokens ([A-Za-z0-9_-], at most 64 characters): anything else is refused by BusNames.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import orjson

from viewer.twin.batch import BATCH_TYPES, KINDS, Batch, TwinUpdate, column_names, empty_batch
from viewer.twin.binary import decode_binary, encode_binary
from viewer.twin.errors import MessageError
from viewer.twin.messages import DEFAULT_LIMITS, FeedLimits

EPOCH, STEP, N, END = "Citiverse-Epoch", "Citiverse-Step", "Citiverse-N", "Citiverse-End"
DEFAULT_MAX_BYTES = 900_000  # under NATS's default max_payload (1 MiB) with room for headers
INDEX_FORMAT = "citiverse-bus-checkpoint"
MAX_INDEX_BYTES = 1_000_000
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class BusNames:
    """The stream and subjects of one twin on the bus (rule 5)."""

    name: str

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"a bus subject name is 1-64 of A-Z a-z 0-9 _ -, got {self.name!r}")

    @property
    def stream(self) -> str:
        return f"CITIVERSE_FEED_{self.name}"

    @property
    def prefix(self) -> str:
        return f"citiverse.feed.{self.name}"

    @property
    def all(self) -> str:
        return f"{self.prefix}.>"

    @property
    def deltas(self) -> str:
        return f"{self.prefix}.delta.>"

    def delta(self, kind: str) -> str:
        return f"{self.prefix}.delta.{kind}"

    def part(self, kind: str) -> str:
        return f"{self.prefix}.snap.{kind}"

    @property
    def index(self) -> str:
        return f"{self.prefix}.snap.index"

    def kind_of(self, subject: str) -> str:
        """The kind named by a delta or part subject; MessageError for any other subject."""
        head, _, kind = subject.rpartition(".")
        if head not in (f"{self.prefix}.delta", f"{self.prefix}.snap") or kind not in KINDS:
            raise MessageError(f"not a feed subject of {self.name!r}: {subject[:120]!r}")
        return kind


@dataclass(frozen=True)
class OutMessage:
    """One message to publish."""

    subject: str
    payload: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DeltaFrame:
    """One delta message read back (rule 1)."""

    epoch: str
    step: int
    n: int
    end: bool
    update: TwinUpdate


@dataclass(frozen=True)
class Checkpoint:
    """A snap.index: the state after `step` of `epoch`, in parts at stream sequences `parts`."""

    epoch: str
    step: int
    n: int  # Citiverse-N of the last delta message before it (0: none yet)
    time: float
    source: str
    crs: str
    kinds: tuple[str, ...]
    period: float
    parts: tuple[int, ...]

    def to_json(self) -> bytes:
        return orjson.dumps({"format": INDEX_FORMAT, "version": 1, "epoch": self.epoch, "step": self.step,
                             "n": self.n, "time": self.time, "source": self.source, "crs": self.crs,
                             "kinds": list(self.kinds), "period": self.period, "parts": list(self.parts)})


def read_checkpoint(payload: bytes) -> Checkpoint:
    """A snap.index body checked field by field; MessageError naming what is wrong."""
    if len(payload) > MAX_INDEX_BYTES:
        raise MessageError(f"checkpoint index of {len(payload)} bytes (limit {MAX_INDEX_BYTES})")
    try:
        obj = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise MessageError(f"checkpoint index is not JSON: {exc}") from None
    if not isinstance(obj, dict) or obj.get("format") != INDEX_FORMAT or obj.get("version") != 1:
        raise MessageError("not a citiverse checkpoint index (format/version)")
    try:
        kinds = tuple(str(k) for k in obj["kinds"])
        if not set(kinds) <= set(KINDS):
            raise MessageError(f"checkpoint lists unknown kinds {sorted(set(kinds) - set(KINDS))}")
        checkpoint = Checkpoint(epoch=_token(obj["epoch"]), step=int(obj["step"]), n=int(obj["n"]),
                                time=float(obj["time"]), source=str(obj["source"])[:64], crs=str(obj["crs"])[:64],
                                kinds=kinds, period=float(obj["period"]),
                                parts=tuple(int(s) for s in obj["parts"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise MessageError(f"checkpoint index field missing or wrong: {exc}") from None
    if checkpoint.step < 0 or checkpoint.n < 0 or not np.isfinite(checkpoint.time) or not checkpoint.period > 0:
        raise MessageError("checkpoint index has a negative step/n, a non-finite time or a period <= 0")
    return checkpoint


def _token(value: Any) -> str:
    text = str(value)
    if not _NAME.match(text):
        raise MessageError(f"epoch {text[:80]!r} is not a token")
    return text


def split_update(update: TwinUpdate, kind: str, max_bytes: int, snapshot: bool) -> list[bytes]:
    """Binary frames of `kind`'s rows of `update`, halved until each fits max_bytes (rule 2)."""
    batch = update.upserts.get(kind)
    removals = update.removals.get(kind, np.zeros(0, dtype=object))
    piece = TwinUpdate(update.time, {kind: batch} if batch is not None else {},
                       {kind: removals} if len(removals) else {}, snapshot)
    frame = encode_binary(0, piece, snapshot)
    rows = (0 if batch is None else len(batch.ids)) + len(removals)
    if len(frame) <= max_bytes or rows <= 1:
        if len(frame) > max_bytes:
            raise MessageError(f"one {kind} row takes {len(frame)} bytes, over the bus limit {max_bytes}")
        return [frame]
    ups = 0 if batch is None else len(batch.ids)
    half = rows // 2
    first = TwinUpdate(update.time, _rows(batch, kind, 0, min(half, ups)), _cut(removals, kind, 0, half - ups),
                       snapshot)
    second = TwinUpdate(update.time, _rows(batch, kind, min(half, ups), ups),
                        _cut(removals, kind, max(half - ups, 0), len(removals)), snapshot)
    return split_update(first, kind, max_bytes, snapshot) + split_update(second, kind, max_bytes, snapshot)


def _rows(batch: Batch | None, kind: str, start: int, stop: int) -> dict[str, Batch]:
    if batch is None or stop <= start:
        return {}
    return {kind: BATCH_TYPES[kind](**{name: getattr(batch, name)[start:stop] for name in column_names(kind)})}


def _cut(removals: np.ndarray, kind: str, start: int, stop: int) -> dict[str, np.ndarray]:
    start = max(start, 0)
    return {kind: removals[start:stop]} if stop > start else {}


class DeltaFramer:
    """The publisher's side: numbers the messages of an epoch (rule 1)."""

    def __init__(self, names: BusNames, epoch: str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.names, self.epoch, self.max_bytes = names, _token(epoch), max_bytes
        self.n = 0  # Citiverse-N of the last message framed

    def frame(self, step: int, update: TwinUpdate) -> list[OutMessage]:
        """The delta messages of one step ([] when it has no rows)."""
        kinds = [k for k in KINDS if len(getattr(update.upserts.get(k), "ids", ())) or len(update.removals.get(k, ()))]
        bodies = [(kind, body) for kind in kinds for body in split_update(update, kind, self.max_bytes, False)]
        out = []
        for i, (kind, body) in enumerate(bodies):
            self.n += 1
            headers = {EPOCH: self.epoch, STEP: str(step), N: str(self.n)}
            if i == len(bodies) - 1:
                headers[END] = "1"
            out.append(OutMessage(self.names.delta(kind), body, headers))
        return out

    def parts(self, step: int, snapshot: TwinUpdate) -> list[OutMessage]:
        """A checkpoint's part messages (every kind of the snapshot, an empty kind as one empty part)."""
        headers = {EPOCH: self.epoch, STEP: str(step)}
        return [OutMessage(self.names.part(kind), body, headers)
                for kind in snapshot.upserts
                for body in split_update(snapshot, kind, self.max_bytes, True)]


def read_delta(names: BusNames, subject: str, headers: dict[str, str] | None, payload: bytes,
               limits: FeedLimits = DEFAULT_LIMITS) -> DeltaFrame:
    """A delta message checked (subject, headers, frame); MessageError naming what is wrong."""
    kind = names.kind_of(subject)
    headers = headers or {}
    try:
        epoch, step, n = _token(headers[EPOCH]), int(headers[STEP]), int(headers[N])
    except (KeyError, ValueError) as exc:
        raise MessageError(f"delta on {subject} without valid {EPOCH}/{STEP}/{N} headers ({exc})") from None
    update = _read_frame(payload, limits, "delta", subject)
    carried = set(update.upserts) | set(update.removals)
    if carried - {kind}:
        raise MessageError(f"delta on {subject} carries other kinds {sorted(carried - {kind})}")
    return DeltaFrame(epoch, step, n, headers.get(END) == "1", update)


def read_part(names: BusNames, subject: str, payload: bytes, limits: FeedLimits = DEFAULT_LIMITS) -> TwinUpdate:
    """A checkpoint part: a snapshot frame of the one kind its subject names."""
    kind = names.kind_of(subject)
    update = _read_frame(payload, limits, "snapshot", subject)
    if set(update.upserts) != {kind}:
        raise MessageError(f"checkpoint part on {subject} carries {sorted(update.upserts)}")
    return update


def _read_frame(payload: bytes, limits: FeedLimits, want: str, subject: str) -> TwinUpdate:
    if len(payload) > limits.max_message_bytes:
        raise MessageError(f"{subject}: {len(payload)} bytes, over {limits.max_message_bytes}")
    kind, _seq, update = decode_binary(bytes(payload), limits.max_rows)
    if kind != want:
        raise MessageError(f"{subject}: a {kind} frame where a {want} was expected")
    return update


def concat_batches(kind: str, batches: list[Batch]) -> Batch:
    """One batch of `kind` holding the rows of `batches` in order (later rows of the same id win on apply)."""
    if not batches:
        return empty_batch(kind)
    if len(batches) == 1:
        return batches[0]
    return BATCH_TYPES[kind](**{name: np.concatenate([getattr(b, name) for b in batches])
                                for name in column_names(kind)})


def merge_parts(time: float, kinds: tuple[str, ...], parts: list[TwinUpdate]) -> TwinUpdate:
    """A checkpoint's parts as one snapshot of `kinds` (a kind with no part is empty)."""
    upserts = {kind: concat_batches(kind, [p.upserts[kind] for p in parts if kind in p.upserts]) for kind in kinds}
    return TwinUpdate(time, upserts, {}, snapshot=True)


def merge_step(frames: list[DeltaFrame]) -> TwinUpdate:
    """The frames of one step as one delta (per kind, upserts and removals in message order)."""
    upserts: dict[str, list[Batch]] = {}
    removals: dict[str, list[np.ndarray]] = {}
    for frame in frames:
        for kind, batch in frame.update.upserts.items():
            upserts.setdefault(kind, []).append(batch)
        for kind, ids in frame.update.removals.items():
            removals.setdefault(kind, []).append(np.asarray(ids, dtype=object))
    time = max(frame.update.time for frame in frames)
    return TwinUpdate(time, {k: concat_batches(k, v) for k, v in upserts.items()},
                      {k: np.concatenate(v) for k, v in removals.items()})


@dataclass(frozen=True)
class StepReady:
    """A whole step assembled."""

    step: int
    update: TwinUpdate


@dataclass(frozen=True)
class Gap:
    """Continuity lost: rebuild from the latest checkpoint; new_epoch when the publisher restarted."""

    reason: str
    new_epoch: bool
    step: int  # the step of the frame that showed the gap (the checkpoint must reach step - 1)


class StepAssembler:
    """The reader's side of rule 4: frames in stream order -> whole steps, or a Gap."""

    MAX_PENDING = 4096  # frames of one step held (a publisher that never sends End cannot grow us)

    def __init__(self, epoch: str, n: int, step: int) -> None:
        self.reset(epoch, n, step)

    def reset(self, epoch: str, n: int, step: int) -> None:
        """Continue after a checkpoint: `n` and `step` are the last message and step it holds."""
        self.epoch, self.n, self.step = epoch, n, step
        self._frames: list[DeltaFrame] = []

    def feed(self, frame: DeltaFrame) -> StepReady | Gap | None:
        if frame.epoch != self.epoch:
            return Gap(f"the publisher restarted (epoch {self.epoch} -> {frame.epoch})", True, frame.step)
        if frame.n <= self.n:
            return None  # already held by the checkpoint (or a redelivery)
        if frame.n != self.n + 1:
            return Gap(f"messages {self.n + 1}..{frame.n - 1} are missing", False, frame.step)
        if self._frames and frame.step != self._frames[0].step:
            return Gap(f"step {self._frames[0].step} ended without its last message", False, frame.step)
        self.n = frame.n
        self._frames.append(frame)
        if len(self._frames) > self.MAX_PENDING:
            return Gap(f"step {frame.step} has over {self.MAX_PENDING} messages", False, frame.step)
        if not frame.end:
            return None
        frames, self._frames = self._frames, []
        self.step = frame.step
        return StepReady(frame.step, merge_step(frames))


def stream_config(names: BusNames, max_age: float, max_bytes: int) -> dict[str, Any]:
    """The JetStream stream settings (keyword arguments of nats-py's StreamConfig)."""
    return {"name": names.stream, "subjects": [names.all], "max_age": max_age, "max_bytes": max_bytes,
            "allow_direct": True, "description": f"citiverse twin feed {names.name}"}


__all__ = ["KINDS", "BusNames", "Checkpoint", "DeltaFrame", "DeltaFramer", "Gap", "OutMessage", "StepAssembler",
           "StepReady", "merge_parts", "read_checkpoint", "read_delta", "read_part", "stream_config"]
