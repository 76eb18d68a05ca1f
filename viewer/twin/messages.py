"""The messages of the twin feed, protocol version 1.1, as plain values (docs/feed-protocol.md has the wire form).

Rules:
1. Every server message carries `seq`, strictly +1 from the previous message of the same connection
   (the hello of a connection may start anywhere). Client messages carry no seq.
2. Server messages carry `time`: source time of the data (snapshot, delta) or server clock (hello,
   heartbeat), seconds since the Unix epoch as float64.
3. Snapshot and Delta wrap a TwinUpdate (viewer/twin/batch.py), the one shape twin data moves in; a
   Snapshot's update has snapshot=True and lists every kind it covers (possibly with zero rows).
4. Messages are immutable values; encoding and decoding live in codec.py, limits in FeedLimits.
5. Version 1.1 (`minor` 1) keeps `v` = 1 and adds only what a v1 reader ignores: the hello's `entity_kinds`
   (generic kinds, twin/kinds.py) and their rows under keys a v1 reader does not read (codec.py). A server
   sends generic rows only to a client whose subscribe says minor >= 1 (session.py), so a v1 client never
   meets a binary frame it cannot read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from viewer.twin.batch import KINDS, MAX_ID_LENGTH, TwinUpdate
from viewer.twin.kinds import EntityKind

PROTOCOL_VERSION = 1
PROTOCOL_MINOR = 1  # rule 5

# Encodings of snapshot and delta bodies, in the server's order of preference.
ENCODINGS = ("binary", "columns", "objects")


@dataclass(frozen=True)
class FeedLimits:
    """Explicit bounds on what a peer may send; checked before anything is allocated.

    max_message_bytes: whole message (text in UTF-8 or binary frame); max_rows: rows (upserts + removals)
    in one message; max_depth: JSON nesting (the schema needs 5); max_id_length: characters in an entity id
    (longer ids are dropped row by row); max_client_message_bytes: what a server accepts from a client.
    """

    max_message_bytes: int = 16 * 1024 * 1024
    max_rows: int = 1_000_000
    max_depth: int = 8
    max_id_length: int = MAX_ID_LENGTH
    max_client_message_bytes: int = 64 * 1024

    def as_dict(self) -> dict[str, int]:
        """The limits a server announces in its hello."""
        return {"max_message_bytes": self.max_message_bytes, "max_rows": self.max_rows,
                "max_id_length": self.max_id_length}


DEFAULT_LIMITS = FeedLimits()


@dataclass(frozen=True)
class Hello:
    """Server -> client, first message of a connection: what the stream holds and how it is encoded.

    crs: CRS of vehicle positions ("EPSG:4326" = lon/lat degrees); kinds: the kinds this connection will
    carry; encodings: what the server can send; encoding: the one it chose for this client; limits: the
    server's FeedLimits.as_dict(); heartbeat: seconds between heartbeats when there is no data (0 = none).
    """

    type: ClassVar[str] = "hello"
    seq: int
    time: float
    crs: str = "EPSG:4326"
    kinds: tuple[str, ...] = KINDS
    encodings: tuple[str, ...] = ENCODINGS
    encoding: str = "columns"
    server: str = "citiverse"
    limits: dict[str, int] = field(default_factory=DEFAULT_LIMITS.as_dict)
    heartbeat: float = 1.0
    v: int = PROTOCOL_VERSION
    minor: int = PROTOCOL_MINOR
    entity_kinds: tuple[EntityKind, ...] = ()  # v1.1: the generic kinds this stream may carry


@dataclass(frozen=True)
class Snapshot:
    """Server -> client: the complete state of every kind listed in update.upserts at update.time."""

    type: ClassVar[str] = "snapshot"
    seq: int
    update: TwinUpdate

    @property
    def time(self) -> float:
        return self.update.time


@dataclass(frozen=True)
class Delta:
    """Server -> client: upserts and removals per kind since the previous message, at update.time."""

    type: ClassVar[str] = "delta"
    seq: int
    update: TwinUpdate

    @property
    def time(self) -> float:
        return self.update.time


@dataclass(frozen=True)
class Heartbeat:
    """Server -> client: nothing new, the server is alive (time is the server clock)."""

    type: ClassVar[str] = "heartbeat"
    seq: int
    time: float


@dataclass(frozen=True)
class Subscribe:
    """Client -> server, the client's hello: kinds wanted (empty = all the server has), encodings accepted
    in the client's order of preference, and the last seq it applied (None on a first connection; a v1
    server always answers with hello + snapshot, the field is there for servers that can resume)."""

    type: ClassVar[str] = "subscribe"
    kinds: tuple[str, ...] = ()
    encodings: tuple[str, ...] = ENCODINGS
    last_seq: int | None = None
    v: int = PROTOCOL_VERSION
    minor: int = PROTOCOL_MINOR  # 0 for a v1 client (no "minor" in its subscribe): no generic kinds sent


@dataclass(frozen=True)
class Resync:
    """Client -> server: "I lost the thread after last_seq, send a fresh snapshot"."""

    type: ClassVar[str] = "resync"
    last_seq: int | None = None


ServerMessage = Hello | Snapshot | Delta | Heartbeat
ClientMessage = Subscribe | Resync
Message = ServerMessage | ClientMessage

SERVER_MESSAGES: tuple[type, ...] = (Hello, Snapshot, Delta, Heartbeat)
CLIENT_MESSAGES: tuple[type, ...] = (Subscribe, Resync)


def data_message(seq: int, update: TwinUpdate) -> Snapshot | Delta:
    """The message that carries `update`: a Snapshot when update.snapshot, else a Delta."""
    return Snapshot(seq, update) if update.snapshot else Delta(seq, update)
