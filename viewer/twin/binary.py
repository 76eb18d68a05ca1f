"""The compact binary frame of snapshot and delta messages (encoding "binary"), little-endian throughout.

    offset size  field
    0      4     magic b"CVTF"
    4      1     version (1)
    5      1     message type: 1 snapshot, 2 delta
    6      2     kinds listed in upserts: bit k set = KINDS[k] listed (vehicle 1, road 2, building 4)
    8      8     seq, u64
    16     8     time, f64 seconds since the Unix epoch
    24     12    upsert row counts, u32 per kind in KINDS order
    36     12    removal counts, u32 per kind in KINDS order
    48     4     string table length in bytes, u32
    52     4     reserved, 0
    56     ...   string table: UTF-8 of every id joined by NUL, in the order upsert ids of each kind (KINDS
                 order), then removal ids of each kind; zero-padded to a multiple of 8 bytes
    ...          columns of each listed kind in KINDS order, in batch.column_names order without ids, each
                 an array of n values padded to a multiple of 8 bytes: float64 "<f8" or float32 "<f4" as in
                 the batch; vtype as u8 codes into VEHICLE_TYPES (an unknown code reads as "other")

    Version 2 (protocol 1.1, only when the update holds generic kinds, codec.py rule 5): the same frame of the
    v1 kinds with version byte 2, then an extension: u32 byte length L, 4 bytes reserved 0, L bytes of UTF-8
    JSON {"entities": ..., "entity_removals": ...} (the JSON form of codec.py), zero-padded to 8 bytes. A
    server sends version 2 only to clients that subscribed with minor >= 1 (session.py).

Rules:
1. The frame's length must equal exactly what the header declares (computed from the counts before any
   allocation), so a lying count, a truncated frame or trailing bytes are refused without reading on.
2. Arrays are read with numpy.frombuffer (no copy, no per-row Python); ids with one str.split.
3. Ids never contain NUL (validate.py drops such rows; the encoder refuses them).
"""

from __future__ import annotations

import math
import struct
from itertools import chain, repeat
from typing import Any

import numpy as np
import orjson

from viewer.twin.batch import BATCH_TYPES, KINDS, VEHICLE_TYPES, Batch, EntityBatch, TwinUpdate
from viewer.twin.bodies import COLUMN_DTYPES
from viewer.twin.errors import MessageError, MessageTooLarge
from viewer.twin.fields import MAX_SEQ

MAGIC = b"CVTF"
VERSION = 1
VERSION_ENTITIES = 2  # a v1 frame followed by the generic kinds' extension (above)
EXTENSION = struct.Struct("<II")
HEADER = struct.Struct("<4sBBHQd3I3III")
assert HEADER.size == 56
TYPE_CODES = {"snapshot": 1, "delta": 2}
_VTYPE_CODES = {name: code for code, name in enumerate(VEHICLE_TYPES)}
_OTHER = _VTYPE_CODES["other"]
# Every u8 code to its name; codes past the table read as "other" (validate.py's rule for unknown types).
_VTYPE_NAMES = np.array(list(VEHICLE_TYPES) + ["other"] * (256 - len(VEHICLE_TYPES)), dtype=object)
_WIRE_DTYPES: dict[Any, np.dtype[Any]] = {np.float64: np.dtype("<f8"), np.float32: np.dtype("<f4"),
                                           np.object_: np.dtype("u1")}


def _pad(size: int) -> int:
    return -size % 8


# Per kind, (name, wire dtype, batch dtype) of every column after ids, in frame order.
_LAYOUT: dict[str, list[tuple[str, np.dtype[Any], Any]]] = {kind: [(name, _WIRE_DTYPES[dtype], dtype) for name, dtype in list(COLUMN_DTYPES[kind].items())[1:]]
           for kind in KINDS}


def _column_bytes(kind: str, n: int) -> int:
    """Bytes taken by the (padded) columns of n rows of `kind`."""
    return sum(n * wire.itemsize + _pad(n * wire.itemsize) for _, wire, _ in _LAYOUT[kind])


def encode_binary(seq: int, update: TwinUpdate, snapshot: bool) -> bytes:
    """The binary frame of a snapshot or delta of `update`. Raises MessageError for ids that are not str or
    contain NUL, or a kind the frame cannot carry."""
    generic = {k: b for k, b in update.upserts.items() if isinstance(b, EntityBatch)}
    generic_removals = {k: r for k, r in update.removals.items() if k not in KINDS}
    unknown = (set(update.upserts) | set(update.removals)) - set(KINDS) - set(generic) - set(generic_removals)
    if unknown:
        raise MessageError(f"cannot encode unknown kind(s) {sorted(unknown)}")
    if snapshot and any(len(ids) for ids in update.removals.values()):
        raise MessageError("a snapshot has no removals")
    ups = [update.upserts.get(kind) for kind in KINDS]
    rms = [update.removals.get(kind, ()) for kind in KINDS]
    up_counts = [0 if b is None else len(b.ids) for b in ups]
    rm_counts = [len(r) for r in rms]
    strings = _string_table([b.ids for b in ups if b is not None] + [np.asarray(r, object) for r in rms])
    listed = sum(1 << k for k, b in enumerate(ups) if b is not None)
    version = VERSION_ENTITIES if generic or generic_removals else VERSION
    header = HEADER.pack(MAGIC, version, TYPE_CODES["snapshot" if snapshot else "delta"], listed,
                         seq, update.time, *up_counts, *rm_counts, len(strings), 0)
    parts = [header, strings, bytes(_pad(len(strings)))]
    for batch in ups:
        if batch is not None:
            parts.extend(_batch_parts(batch))
    if version == VERSION_ENTITIES:
        parts.extend(_extension(list(generic.values()), generic_removals))
    return b"".join(parts)


def _extension(batches: list[EntityBatch], removals: dict[str, np.ndarray]) -> list[bytes]:
    """The version-2 extension: the generic kinds in their JSON form (docstring above)."""
    from viewer.twin.bodies import encode_entities, encode_removals

    body: dict[str, Any] = {"entities": encode_entities(batches)}
    if removals:
        body["entity_removals"] = encode_removals(removals)
    text = orjson.dumps(body, option=orjson.OPT_SERIALIZE_NUMPY)
    return [EXTENSION.pack(len(text), 0), text, bytes(_pad(len(text)))]


def _string_table(id_arrays: list[np.ndarray]) -> bytes:
    count = sum(len(array) for array in id_arrays)
    try:
        joined = "\x00".join(chain.from_iterable(array.tolist() for array in id_arrays))
    except TypeError:
        raise MessageError("cannot encode: every id must be a str") from None
    if joined.count("\x00") != max(count - 1, 0):
        raise MessageError("cannot encode: an id contains NUL")
    return joined.encode("utf-8", "surrogatepass")


def _batch_parts(batch: Batch) -> list[bytes]:
    parts = []
    for name, wire, _ in _LAYOUT[batch.kind]:
        column = getattr(batch, name)
        if name == "vtype":
            codes = np.fromiter(map(_VTYPE_CODES.get, column.tolist(), repeat(_OTHER)), np.uint8, len(column))
            data = codes.tobytes()
        else:
            data = np.ascontiguousarray(column, dtype=wire).tobytes()
        parts.append(data)
        parts.append(bytes(_pad(len(data))))
    return parts


def decode_binary(data: bytes, max_rows: int) -> tuple[str, int, TwinUpdate]:
    """(message type, seq, update) from a binary frame; MessageError when it is not one we can trust."""
    if len(data) < HEADER.size:
        raise MessageError(f"binary frame truncated: {len(data)} bytes, the header alone is {HEADER.size}")
    magic, version, code, listed, seq, time, *counts, strings_len, reserved = HEADER.unpack_from(data)
    _check_header(magic, version, code, listed, seq, time, reserved)
    up_counts, rm_counts = counts[:3], counts[3:]
    if sum(counts) > max_rows:
        raise MessageTooLarge("rows in one message", sum(counts), max_rows)
    snapshot = code == TYPE_CODES["snapshot"]
    if snapshot and any(rm_counts):
        raise MessageError("a snapshot has no removals")
    for k, n in enumerate(up_counts):
        if n and not listed & (1 << k):
            raise MessageError(f"binary frame counts {n} {KINDS[k]} rows for a kind it does not list")
    expected = HEADER.size + strings_len + _pad(strings_len)
    expected += sum(_column_bytes(kind, n) for kind, n in zip(KINDS, up_counts, strict=True))
    extension = b""
    if version == VERSION_ENTITIES:
        extension, expected = _read_extension(data, expected)
    if expected != len(data):
        raise MessageError(f"binary frame is {len(data):,} bytes, its header declares {expected:,}")
    ids = _split_ids(data[HEADER.size:HEADER.size + strings_len], sum(counts))
    offset = HEADER.size + strings_len + _pad(strings_len)
    upserts: dict[str, Batch] = {}
    start = 0
    for k, (kind, n) in enumerate(zip(KINDS, up_counts, strict=True)):
        if listed & (1 << k):
            upserts[kind], offset = _read_batch(kind, data, offset, ids[start:start + n])
        start += n
    removals: dict[str, np.ndarray] = {}
    for kind, n in zip(KINDS, rm_counts, strict=True):
        if n:
            removals[kind] = ids[start:start + n]
        start += n
    update = TwinUpdate(time, upserts, removals, snapshot)
    if extension:
        _decode_extension(extension, update, max_rows)
    return ("snapshot" if snapshot else "delta"), seq, update


def _read_extension(data: bytes, start: int) -> tuple[bytes, int]:
    """(the extension's JSON bytes, where the frame must end) of a version-2 frame."""
    if len(data) < start + EXTENSION.size:
        raise MessageError("binary frame version 2 is truncated before its extension")
    length, reserved = EXTENSION.unpack_from(data, start)
    if reserved:
        raise MessageError("binary frame extension has reserved bits set")
    begin = start + EXTENSION.size
    return data[begin:begin + length], begin + length + _pad(length)


def _decode_extension(text: bytes, update: TwinUpdate, max_rows: int) -> None:
    from viewer.twin.bodies import decode_entities
    from viewer.twin.codec import parse_json

    decode_entities(parse_json(text, 8), update, max_rows)


def _check_header(magic: bytes, version: int, code: int, listed: int, seq: int, time: float,
                  reserved: int) -> None:
    if magic != MAGIC:
        raise MessageError(f"not a binary feed frame (magic {magic!r})")
    if version not in (VERSION, VERSION_ENTITIES):
        raise MessageError(f"binary frame version {version} is not supported (this reader knows {VERSION} and "
                           f"{VERSION_ENTITIES})")
    if code not in TYPE_CODES.values():
        raise MessageError(f"binary frame has unknown message type {code}")
    if listed >= 1 << len(KINDS) or reserved:
        raise MessageError("binary frame has reserved bits set")
    if seq > MAX_SEQ:
        raise MessageError(f"seq {seq} is outside 0..2**63-1")
    if not math.isfinite(time):
        raise MessageError("time is not finite")


def _split_ids(table: bytes, count: int) -> np.ndarray:
    """(count,) object array of str from the NUL-joined string table."""
    try:
        text = table.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MessageError(f"binary string table is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    ids = text.split("\x00") if count else ([] if not text else None)
    if ids is None or len(ids) != count:
        got = 0 if ids is None else len(ids)
        raise MessageError(f"binary string table holds {got:,} ids, the header declares {count:,}")
    return np.array(ids, dtype=object) if ids else np.zeros(0, dtype=object)


def _read_batch(kind: str, data: bytes, offset: int, ids: np.ndarray) -> tuple[Batch, int]:
    n = len(ids)
    columns: dict[str, np.ndarray] = {"ids": ids}
    for name, wire, dtype in _LAYOUT[kind]:
        values = np.frombuffer(data, dtype=wire, count=n, offset=offset)
        columns[name] = _VTYPE_NAMES[values] if name == "vtype" else values.astype(dtype, copy=False)
        offset += n * wire.itemsize + _pad(n * wire.itemsize)
    return BATCH_TYPES[kind](**columns), offset
