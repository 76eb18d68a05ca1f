"""SharedUpdate: one source update filtered and encoded once for every client of a feed server, sans-I/O.

    shared = SharedUpdate(update)                      # the server wraps each source update once
    shared.part(kinds, generic)                        # what a client subscribed to those kinds gets (or None)
    renumber(shared.wire(kinds, generic, "binary"), seq)   # its wire form with this client's seq

Rules:
1. Every client of a server gets the same update: only the subscription (v1 kinds, generic kinds) and the
   encoding differ between clients, and the sequence number, which is per connection (messages.py rule 1).
   So a snapshot or delta is filtered once per subscription and encoded once per (subscription, encoding),
   lazily, by the first client that sends it; every other client copies those bytes with its own seq
   (renumber). Encoding 10k vehicles costs 0.8 ms in binary, 16 ms as objects; renumbering 9-60 us.
2. renumber() rewrites only the seq: bytes 8-16 of the binary frame (binary.py's header) or the digits after
   `{"type":"snapshot"|"delta","seq":` of the JSON text (codec.py writes type, then seq, first). Its result is
   byte for byte what encode() gives for that seq (tests/test_feed_fanout.py checks every encoding).
3. whole_state=True wraps the server's state cut as a snapshot for a client that (re)subscribes or lags:
   its part lists every subscribed kind, an empty batch for a kind with no entities (session.py rule 5),
   and a non-finite time reads 0.0.
4. An update that cannot be encoded (our own source's fault) raises the same MessageError for every client,
   from the cache: it is not encoded again per client.
5. A SharedUpdate holds its encodings as long as a client's queue holds it; a lagging client's queue is
   bounded (session.py rule 3), so the memory is too, and it does not grow with the number of clients.
"""

from __future__ import annotations

import struct

import numpy as np

from viewer.twin.batch import TwinUpdate, empty_batch
from viewer.twin.binary import HEADER, MAGIC
from viewer.twin.codec import encode
from viewer.twin.errors import MessageError
from viewer.twin.messages import data_message

Wire = bytes | str
Subscription = tuple[tuple[str, ...], tuple[str, ...]]  # (v1 kinds, generic kinds) of a client

_SEQ = struct.Struct("<Q")
_SEQ_AT = 8  # offset of seq in binary.py's header: magic 4s, version B, type B, kinds H, then seq Q
assert HEADER.size == 56 and struct.calcsize("<4sBBH") == _SEQ_AT
_JSON_PREFIXES = ('{"type":"snapshot","seq":', '{"type":"delta","seq":')


class SharedUpdate:
    """A source update (or the server's state, whole_state) as every client sends it (rules above)."""

    def __init__(self, update: TwinUpdate, whole_state: bool = False) -> None:
        self.update, self.whole_state = update, whole_state
        self._parts: dict[Subscription, TwinUpdate | None] = {}
        self._wires: dict[tuple[Subscription, str], Wire | MessageError] = {}
        self.encodings = 0  # times encode() ran (tests and the bench read it)

    def part(self, kinds: tuple[str, ...], generic: tuple[str, ...]) -> TwinUpdate | None:
        """The update for a client subscribed to `kinds` and `generic`; None when nothing is left for it."""
        key = (kinds, generic)
        if key not in self._parts:
            self._parts[key] = self._whole(kinds, generic) if self.whole_state else self._filter(kinds, generic)
        return self._parts[key]

    def wire(self, kinds: tuple[str, ...], generic: tuple[str, ...], encoding: str) -> Wire:
        """The encoded part with seq 1 (renumber gives a client's seq). Raises MessageError (rule 4)."""
        key = ((kinds, generic), encoding)
        if key not in self._wires:
            part = self.part(kinds, generic)
            if part is None:
                raise ValueError("nothing of this update is for that subscription")
            try:
                self._wires[key] = encode(data_message(1, part), encoding)
            except MessageError as exc:
                self._wires[key] = exc
            self.encodings += 1
        wire = self._wires[key]
        if isinstance(wire, MessageError):
            raise wire
        return wire

    def _filter(self, kinds: tuple[str, ...], generic: tuple[str, ...]) -> TwinUpdate | None:
        update = self.update
        upserts = {k: b for k, b in update.upserts.items() if k in kinds or k in generic}
        removals = {k: r for k, r in update.removals.items() if (k in kinds or k in generic) and len(r)}
        if not upserts and not removals:
            return None
        return TwinUpdate(update.time, upserts, removals, update.snapshot)

    def _whole(self, kinds: tuple[str, ...], generic: tuple[str, ...]) -> TwinUpdate:
        source = self.update
        upserts = {kind: source.upserts.get(kind) or empty_batch(kind) for kind in kinds}
        upserts.update({kind: source.upserts[kind] for kind in generic if kind in source.upserts})
        return TwinUpdate(source.time if np.isfinite(source.time) else 0.0, upserts, {}, snapshot=True)


def renumber(wire: Wire, seq: int) -> Wire:
    """A snapshot or delta encoded by encode() with its seq replaced by `seq` (rule 2)."""
    if isinstance(wire, bytes):
        if wire[:4] != MAGIC:
            raise ValueError("not a binary feed frame")
        view = memoryview(wire)
        return b"".join((view[:_SEQ_AT], _SEQ.pack(seq), view[_SEQ_AT + _SEQ.size:]))
    for prefix in _JSON_PREFIXES:
        if wire.startswith(prefix):
            end = wire.index(",", len(prefix))
            return f"{prefix}{seq}{wire[end:]}"
    raise ValueError("not a snapshot or delta in JSON")
