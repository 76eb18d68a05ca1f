"""Encode and decode feed messages: JSON text for every message, the binary frame for snapshot and delta.

Rules:
1. decode() trusts nothing, in this order: size (before UTF-8 decoding or parsing), JSON nesting depth (a
   scan of the structural bytes, so a 16 MiB "[[[[..." costs one pass, not the parser's recursion), JSON
   syntax (NaN and Infinity tokens refused), then every field by type. Any failure raises MessageError
   (MessageTooLarge for limits) naming the peer and the reason; no other exception escapes.
2. READERS maps a JSON "type" to its reader and WRITERS a message class to its writer: a new message is
   one entry in each, never a branch.
3. encode(message, encoding): control messages (hello, heartbeat, subscribe, resync) are always JSON text;
   snapshot and delta bodies use `encoding`: "binary" gives bytes, "columns" and "objects" give str.
5. Version 1.1 (messages.py rule 5): generic kinds' rows travel as "entities" {kind: {"types": {column:
   "f32"|"f64"|"str"}, "columns": {"ids": [...], column: [...]}}} and their removals as "entity_removals",
   beside "upserts" and "removals", which keep only the v1 kinds; so a v1 reader, which reads only the keys
   it knows, applies the v1 rows and ignores the rest. The "types" make each body readable without the hello.
4. Rows are not validated here (NaN positions, bad ids): that is validate.py's job, row by row, so one bad
   row does not sink a message. Structure is: a wrong type anywhere drops the whole message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import orjson

from viewer.twin.batch import KINDS, Batch, EntityBatch
from viewer.twin.binary import MAGIC, decode_binary, encode_binary
from viewer.twin.bodies import (
    decode_entities,
    decode_update,
    encode_entities,
    encode_removals,
    encode_upserts,
)
from viewer.twin.errors import MessageError, MessageTooLarge
from viewer.twin.fields import as_optional_seq, as_seq, as_str_tuple, as_time
from viewer.twin.kinds import read_kinds
from viewer.twin.messages import (
    DEFAULT_LIMITS,
    ENCODINGS,
    PROTOCOL_VERSION,
    Delta,
    FeedLimits,
    Heartbeat,
    Hello,
    Message,
    Resync,
    Snapshot,
    Subscribe,
)
from viewer.wire import as_dict, as_str, decode_guarded, field, json_type, utf8_within

MAX_NAME = 256  # characters of a CRS, server name or encoding name
MAX_LIST = 32  # items in kinds, encodings, limits
# Every byte except the five that matter to nesting: deleted before the depth scan.
_NOT_STRUCTURAL = bytes(b for b in range(256) if b not in b'"[]{}')


def encode(message: Message, encoding: str = "columns") -> bytes | str:
    """The wire form of `message`: bytes for a binary snapshot/delta, str (JSON text) otherwise."""
    if encoding not in ENCODINGS:
        raise ValueError(f"unknown encoding {encoding!r}; known: {', '.join(ENCODINGS)}")
    if encoding == "binary" and isinstance(message, Snapshot | Delta):
        return encode_binary(message.seq, message.update, isinstance(message, Snapshot))
    body = WRITERS[type(message)](message, encoding)
    return orjson.dumps(body, option=orjson.OPT_SERIALIZE_NUMPY).decode()


def decode(data: bytes | bytearray | memoryview | str, limits: FeedLimits = DEFAULT_LIMITS,
           peer: str = "peer", max_bytes: int | None = None) -> Message:
    """One message from the wire. Raises MessageError (reason, peer) for anything it cannot trust.

    max_bytes defaults to limits.max_message_bytes (servers pass limits.max_client_message_bytes).
    """
    limit = limits.max_message_bytes if max_bytes is None else max_bytes
    return decode_guarded(lambda: _decode(data, limits, limit), peer)


def _decode(data: bytes | bytearray | memoryview | str, limits: FeedLimits, max_bytes: int) -> Message:
    if isinstance(data, str):
        raw = utf8_within(data, max_bytes)
    elif isinstance(data, bytes | bytearray | memoryview):
        raw = bytes(data)
    else:
        raise MessageError(f"a message is bytes or str, not {type(data).__name__}")
    if len(raw) > max_bytes:
        raise MessageTooLarge("message size (bytes)", len(raw), max_bytes)
    if raw[:4] == MAGIC:
        kind, seq, update = decode_binary(raw, limits.max_rows)
        return Snapshot(seq, update) if kind == "snapshot" else Delta(seq, update)
    obj = parse_json(raw, limits.max_depth)
    name = obj.get("type")
    reader = READERS.get(name) if isinstance(name, str) else None
    if reader is None:
        raise MessageError(f"unknown message type {str(name)[:64]!r}")
    return reader(obj, limits)


def json_depth(raw: bytes) -> int:
    """Deepest nesting of [ and { outside strings in JSON text (0 for a scalar); valid JSON only.

    Escaped backslashes and escaped quotes are removed first, then everything but the five structural
    bytes, so the numpy pass runs over a few bytes per value rather than the whole text.
    """
    if b"\\" in raw:
        raw = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    text = raw.translate(None, _NOT_STRUCTURAL)
    if not text:
        return 0
    codes = np.frombuffer(text, dtype=np.uint8)
    # After an even number of quotes a byte is outside strings (closing quotes are not brackets anyway).
    outside = (np.cumsum(codes == ord('"'), dtype=np.int32) & 1) == 0
    step = (((codes == ord("[")) | (codes == ord("{"))) & outside).astype(np.int8)
    step -= ((codes == ord("]")) | (codes == ord("}"))) & outside
    return int(np.cumsum(step, dtype=np.int32).max(initial=0))


def parse_json(raw: bytes, max_depth: int) -> dict[str, Any]:
    """A JSON object from UTF-8 bytes within the nesting limit, or MessageError.

    orjson parses strict RFC 8259 JSON: NaN and Infinity tokens, numbers beyond a float64, invalid UTF-8
    and lone surrogates are refused; integers beyond 64 bits read as floats (and then fail integer checks).
    """
    depth = json_depth(raw)
    if depth > max_depth:
        raise MessageTooLarge("JSON nesting depth", depth, max_depth)
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise MessageError(f"malformed JSON: {exc.msg} at byte {exc.pos}") from None
    if not isinstance(obj, dict):
        raise MessageError(f"a message is a JSON object, got {json_type(obj)}")
    return obj


def _version(obj: dict[str, Any], what: str) -> int:
    v = field(obj, "v", what)
    if type(v) is not int:
        raise MessageError(f"{what} protocol version must be an integer, got {json_type(v)}")
    if v != PROTOCOL_VERSION:
        raise MessageError(f"{what} speaks protocol version {v}; this side speaks {PROTOCOL_VERSION}")
    return v


def _kinds(value: Any, what: str) -> tuple[str, ...]:
    kinds = as_str_tuple(value, what, MAX_LIST, MAX_NAME)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise MessageError(f"{what} has unknown kind {unknown[0][:64]!r}")
    return kinds


def _limits(value: Any) -> dict[str, int]:
    limits = as_dict(value, "hello.limits")
    if len(limits) > MAX_LIST:
        raise MessageError(f"hello.limits has {len(limits)} entries, more than {MAX_LIST}")
    return {as_str(k, "hello.limits key", MAX_NAME): as_seq(v, f"hello.limits.{k[:64]}") for k, v in limits.items()}


def _read_hello(obj: dict[str, Any], limits: FeedLimits) -> Hello:
    version = _version(obj, "hello")  # first: another version may have other fields
    heartbeat = as_time(obj.get("heartbeat", 0.0), "hello.heartbeat")
    if heartbeat < 0:
        raise MessageError("hello.heartbeat is negative")
    encoding = as_str(field(obj, "encoding", "hello"), "hello.encoding", MAX_NAME)
    if encoding not in ENCODINGS:
        raise MessageError(f"hello.encoding {encoding[:64]!r} is not one of {', '.join(ENCODINGS)}")
    return Hello(
        v=version, seq=as_seq(field(obj, "seq", "hello"), "hello.seq"),
        time=as_time(field(obj, "time", "hello"), "hello.time"),
        crs=as_str(field(obj, "crs", "hello"), "hello.crs", MAX_NAME),
        kinds=_kinds(field(obj, "kinds", "hello"), "hello.kinds"),
        encodings=as_str_tuple(obj.get("encodings", []), "hello.encodings", MAX_LIST, MAX_NAME),
        encoding=encoding, server=as_str(obj.get("server", ""), "hello.server", MAX_NAME),
        limits=_limits(obj.get("limits", {})), heartbeat=heartbeat, minor=_minor(obj, "hello"),
        entity_kinds=read_kinds(obj.get("entity_kinds", [])))


def _minor(obj: dict[str, Any], what: str) -> int:
    """The minor version (0 when absent: a v1 peer)."""
    minor = obj.get("minor", 0)
    if type(minor) is not int or not 0 <= minor < 1000:
        raise MessageError(f"{what}.minor must be an integer 0..999")
    return minor


def _read_data(obj: dict[str, Any], limits: FeedLimits) -> Snapshot | Delta:
    snapshot = obj["type"] == "snapshot"
    what = obj["type"]
    seq = as_seq(field(obj, "seq", what), f"{what}.seq")
    time = as_time(field(obj, "time", what), f"{what}.time")
    update = decode_update(obj, time, snapshot, limits.max_rows)
    if "entities" in obj or "entity_removals" in obj:  # rule 5
        decode_entities(obj, update, limits.max_rows)
    return Snapshot(seq, update) if snapshot else Delta(seq, update)


def _read_heartbeat(obj: dict[str, Any], limits: FeedLimits) -> Heartbeat:
    return Heartbeat(as_seq(field(obj, "seq", "heartbeat"), "heartbeat.seq"),
                     as_time(field(obj, "time", "heartbeat"), "heartbeat.time"))


def _read_subscribe(obj: dict[str, Any], limits: FeedLimits) -> Subscribe:
    version = _version(obj, "subscribe")
    return Subscribe(
        v=version,
        kinds=as_str_tuple(obj.get("kinds", []), "subscribe.kinds", MAX_LIST, MAX_NAME),
        encodings=as_str_tuple(obj.get("encodings", list(ENCODINGS)), "subscribe.encodings", MAX_LIST, MAX_NAME),
        last_seq=as_optional_seq(obj.get("last_seq"), "subscribe.last_seq"), minor=_minor(obj, "subscribe"))


def _read_resync(obj: dict[str, Any], limits: FeedLimits) -> Resync:
    return Resync(as_optional_seq(obj.get("last_seq"), "resync.last_seq"))


READERS: dict[str, Callable[[dict[str, Any], FeedLimits], Message]] = {
    "hello": _read_hello,
    "snapshot": _read_data,
    "delta": _read_data,
    "heartbeat": _read_heartbeat,
    "subscribe": _read_subscribe,
    "resync": _read_resync,
}


def _write_hello(m: Hello, encoding: str) -> dict[str, Any]:
    out = {"type": "hello", "v": m.v, "seq": m.seq, "time": float(m.time), "crs": m.crs, "kinds": list(m.kinds),
           "encodings": list(m.encodings), "encoding": m.encoding, "server": m.server, "limits": m.limits,
           "heartbeat": m.heartbeat, "minor": m.minor}
    if m.entity_kinds:
        out["entity_kinds"] = [kind.as_dict() for kind in m.entity_kinds]
    return out


def _write_data(m: Snapshot | Delta, encoding: str) -> dict[str, Any]:
    v1: dict[str, Batch] = {kind: b for kind, b in m.update.upserts.items() if not isinstance(b, EntityBatch)}
    out = {"type": m.type, "seq": m.seq, "time": float(m.time), "upserts": encode_upserts(v1, encoding)}
    generic = [batch for batch in m.update.upserts.values() if isinstance(batch, EntityBatch)]
    if generic:  # rule 5
        out["entities"] = encode_entities(generic)
    removals = {kind: ids for kind, ids in m.update.removals.items() if len(ids)}
    if removals:
        if isinstance(m, Snapshot):
            raise MessageError("a snapshot has no removals")
        gone = encode_removals(removals)
        out["removals"] = {kind: ids for kind, ids in gone.items() if kind in KINDS}
        if set(gone) - set(KINDS):
            out["entity_removals"] = {kind: ids for kind, ids in gone.items() if kind not in KINDS}
    return out


def _write_heartbeat(m: Heartbeat, encoding: str) -> dict[str, Any]:
    return {"type": "heartbeat", "seq": m.seq, "time": float(m.time)}


def _write_subscribe(m: Subscribe, encoding: str) -> dict[str, Any]:
    return {"type": "subscribe", "v": m.v, "kinds": list(m.kinds), "encodings": list(m.encodings),
            "last_seq": m.last_seq, "minor": m.minor}


def _write_resync(m: Resync, encoding: str) -> dict[str, Any]:
    return {"type": "resync", "last_seq": m.last_seq}


WRITERS: dict[type, Callable[[Any, str], dict[str, Any]]] = {
    Hello: _write_hello,
    Snapshot: _write_data,
    Delta: _write_data,
    Heartbeat: _write_heartbeat,
    Subscribe: _write_subscribe,
    Resync: _write_resync,
}
