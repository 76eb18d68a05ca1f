"""The twin feed's shared test vectors (tests/vectors/feed_messages.json): messages as a browser receives them
(JSON text, or a binary frame in base64) and their canonical decoded form after the row checks, or marked as
refused. Built here from the Python codec (the reference); tests/test_web_feed_vectors.py checks the file is
what this builds and that the codec agrees, web/test/feed.test.ts that the browser's decoder agrees.

Rebuild after a protocol change: python tests/feed_vectors.py
"""

from __future__ import annotations

import base64
import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from viewer.twin.batch import KINDS, TwinUpdate, column_names, make_batch
from viewer.twin.codec import decode, encode
from viewer.twin.messages import Delta, Heartbeat, Hello, Snapshot
from viewer.twin.validate import validate_update

PATH = Path(__file__).parent / "vectors" / "feed_messages.json"
T0 = 1767225600.0
ABOUT = ("Feed protocol v1 test vectors (docs/feed-protocol.md), built by tests/feed_vectors.py from the Python "
         "codec and read by tests/test_web_feed_vectors.py and web/test/feed.test.ts. Each vector is 'text' (a JSON "
         "text frame) or 'binary' (base64 of a binary frame) with 'decoded': the message after decoding and the "
         "row checks of viewer/twin/validate.py (NaN as null; float32 columns compared to 1e-6 relative), or "
         "'error': true when both refuse it.")


def _vehicles(ids: list[Any], **extra: Any) -> Any:
    n = len(ids)
    columns = {"x": [4.47712 + 0.0001 * k for k in range(n)], "y": [51.92245 + 0.0001 * k for k in range(n)],
               "z": [np.nan] * n, "heading": [87.5 + 10 * k for k in range(n)], "speed": [11.2] * n,
               "vtype": (["car", "bus", "truck", "bike"] * n)[:n]}
    columns.update(extra)
    return make_batch("vehicle", ids=np.array(ids, dtype=object), **columns)


def _roads() -> Any:
    return make_batch("road", ids=np.array(["edge-4402", "edge-7"], dtype=object), speed=[6.5, 13.0],
                      free_flow_speed=[13.9, 13.9], occupancy=[0.42, np.nan], flow=[840.0, 120.0])


def _buildings() -> Any:
    return make_batch("building", ids=np.array(["bldg-000123", "bldg-000124"], dtype=object), power=[31.5, -4.25],
                      energy=[18234.75, np.nan], timestamp=[T0, T0])


def _full(snapshot: bool) -> TwinUpdate:
    return TwinUpdate(T0, {"vehicle": _vehicles(["veh-17", "bus-3"]), "road": _roads(), "building": _buildings()},
                      {}, snapshot)


def _delta() -> TwinUpdate:
    return TwinUpdate(T0 + 0.1, {"vehicle": _vehicles(["veh-17"], heading=[88.0], speed=[11.4])},
                      {"vehicle": np.array(["bus-3"], dtype=object), "road": np.array(["edge-7"], dtype=object)})


def _text(name: str, message: Any, encoding: str) -> dict[str, Any]:
    data = encode(message, encoding)
    key = "binary" if isinstance(data, bytes) else "text"
    value = base64.b64encode(data).decode() if isinstance(data, bytes) else data
    return {"name": name, key: value}


def _hostile_rows() -> str:
    """A delta in columns whose rows break each row rule once (validate.py), and one duplicate id."""
    columns = {"ids": ["ok-1", "", "nan-pos", "fast", "dup", "dup", 7, "neg-heading", "weird-type", "x" * 129,
                       "far", "inf-z"],
               "x": [4.1, 4.2, None, 4.3, 4.4, 4.5, 4.6, 4.7, 4.8, 4.9, 2e8, 4.95],
               "y": [52.1] * 12, "z": [None] * 11 + [1e39], "heading": [10, 20, 30, 40, 50, 60, 70, -10, 725, 0, 0, 0],
               "speed": [1, 2, 3, 200, 4, 5, 6, 7, 8, 9, 1, 1],
               "vtype": ["car", "bus", "car", "car", "car", "tram", "car", "car", "hovercraft", "car", "car", "car"]}
    roads = {"ids": ["r-ok", "r-occ", "r-flow"], "speed": [5, 5, 5], "free_flow_speed": [10, 10, 10],
             "occupancy": [0.5, 1.5, 0.5], "flow": [100, 100, -1]}
    return json.dumps({"type": "delta", "seq": 9, "time": T0 + 1, "upserts": {
        "vehicle": {"columns": columns}, "road": {"columns": roads}}, "removals": {"building": ["gone", ""]}})


REFUSED_TEXT = {
    "unknown type": '{"type": "gossip", "seq": 1, "time": 0}',
    "hello of version 2": '{"type": "hello", "v": 2, "seq": 1, "time": 0, "crs": "EPSG:4326", "kinds": [], '
                          '"encoding": "columns"}',
    "hello with unknown encoding": '{"type": "hello", "v": 1, "seq": 1, "time": 0, "crs": "EPSG:4326", '
                                   '"kinds": [], "encoding": "xml"}',
    "column of the wrong length": '{"type": "delta", "seq": 2, "time": 1, "upserts": {"road": {"columns": '
                                  '{"ids": ["a", "b"], "speed": [1]}}}}',
    "unknown kind": '{"type": "delta", "seq": 2, "time": 1, "upserts": {"tree": []}}',
    "snapshot with removals": '{"type": "snapshot", "seq": 2, "time": 1, "upserts": {}, '
                              '"removals": {"vehicle": ["a"]}}',
    "string in a number column": '{"type": "delta", "seq": 2, "time": 1, "upserts": {"road": {"columns": '
                                 '{"ids": ["a"], "speed": ["fast"]}}}}',
    "NaN token": '{"type": "heartbeat", "seq": 2, "time": NaN}',
    "negative seq": '{"type": "heartbeat", "seq": -1, "time": 1}',
    "time not a number": '{"type": "heartbeat", "seq": 1, "time": "noon"}',
    "nested too deep": '{"type": "delta", "seq": 2, "time": 1, "upserts": {"road": {"columns": {"ids": '
                       '[[[[[[["a"]]]]]]]}}}}',
    "not JSON": '{"type": "heartbeat", "seq": 2,',
}


def _binary_refusals() -> dict[str, bytes]:
    good = encode(Delta(5, _delta()), "binary")
    assert isinstance(good, bytes)
    wrong_version = bytearray(good)
    wrong_version[4] = 2
    reserved = bytearray(good)
    reserved[6] = 8
    return {"binary frame one byte short": good[:-8], "binary frame of version 2": bytes(wrong_version),
            "binary frame with a reserved kind bit": bytes(reserved), "binary header truncated": good[:40]}


def canonical(data: str | bytes) -> dict[str, Any]:
    """What the Python codec makes of `data`: the decoded message in plain JSON (rows validated)."""
    message = decode(data)
    if isinstance(message, Hello):
        return {"type": "hello", "v": message.v, "seq": message.seq, "time": message.time, "crs": message.crs,
                "kinds": list(message.kinds), "encodings": list(message.encodings), "encoding": message.encoding,
                "server": message.server, "heartbeat": message.heartbeat}
    if isinstance(message, Heartbeat):
        return {"type": "heartbeat", "seq": message.seq, "time": message.time}
    assert isinstance(message, Snapshot | Delta)
    update, _ = validate_update(message.update)
    upserts = {}
    for kind in KINDS:
        batch = update.upserts.get(kind)
        if batch is not None:
            upserts[kind] = {name: _plain(getattr(batch, name)) for name in column_names(kind)}
    return {"type": message.type, "seq": message.seq, "time": message.time, "upserts": upserts,
            "removals": {kind: list(ids) for kind, ids in update.removals.items()}}


def _plain(column: np.ndarray) -> list[Any]:
    if column.dtype == object:
        return list(column)
    return [None if not math.isfinite(v) else v for v in column.astype(np.float64).tolist()]


def build() -> dict[str, Any]:
    hello = Hello(seq=1, time=T0 + 0.05, crs="EPSG:4326", encoding="columns", server="citiverse demo")
    messages = [_text("hello", hello, "columns"), _text("heartbeat", Heartbeat(4, T0 + 1.05), "columns")]
    for encoding in ("objects", "columns", "binary"):
        messages.append(_text(f"snapshot as {encoding}", Snapshot(2, _full(True)), encoding))
        messages.append(_text(f"delta as {encoding}", Delta(3, _delta()), encoding))
    messages.append({"name": "rows that break the row rules", "text": _hostile_rows()})
    for message in messages:
        message["decoded"] = canonical(message.get("text") or base64.b64decode(message["binary"]))
    refused: list[dict[str, Any]] = [{"name": name, "text": text, "error": True} for name, text in REFUSED_TEXT.items()]
    refused += [{"name": name, "binary": base64.b64encode(data).decode(), "error": True}
                for name, data in _binary_refusals().items()]
    return {"about": ABOUT, "messages": messages + refused}


if __name__ == "__main__":
    PATH.write_text(json.dumps(build(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {PATH}")
