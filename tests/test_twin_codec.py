"""Feed codec: every message round-trips in every encoding, and hostile wire data is a MessageError with a reason."""

from __future__ import annotations

import json
import struct
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from viewer.twin.batch import TwinUpdate, column_names, empty_batch, make_batch
from viewer.twin.binary import HEADER, MAGIC
from viewer.twin.codec import decode, encode, json_depth
from viewer.twin.errors import FeedError, MessageError, MessageTooLarge
from viewer.twin.messages import (
    ENCODINGS,
    Delta,
    FeedLimits,
    Heartbeat,
    Hello,
    Resync,
    Snapshot,
    Subscribe,
)


def sample_update(snapshot: bool = False, n: int = 5) -> TwinUpdate:
    """Every kind, NaN where unknown, odd ids (unicode, brackets and quotes) and removals for deltas."""
    ids = [f"veh-{i}" for i in range(n - 2)] + ['v"[quoted]', "vé-ünï"]
    vehicles = make_batch("vehicle", ids=ids, x=np.linspace(4.4, 4.5, n), y=np.linspace(51.9, 52.0, n),
                          z=[np.nan] * (n - 1) + [2.5], heading=np.linspace(0, 359.5, n),
                          speed=np.linspace(0, 13.9, n), vtype=(["car", "bus", "tram", "bike", "other"] * n)[:n])
    roads = make_batch("road", ids=["edge-1", "edge-2"], speed=[8.3, np.nan], free_flow_speed=[13.9, 8.3],
                       occupancy=[0.25, np.nan], flow=[1200.0, 35.5])
    buildings = make_batch("building", ids=["bldg-000001"], power=[42.5], energy=[123456.789],
                           timestamp=[1.7e9])
    removals = {} if snapshot else {"vehicle": np.array(["gone-1", "gone-2"], dtype=object),
                                    "building": np.array(["bldg-9"], dtype=object)}
    return TwinUpdate(time=1_700_000_000.25, upserts={"vehicle": vehicles, "road": roads, "building": buildings},
                      removals=removals, snapshot=snapshot)


def assert_updates_equal(a: TwinUpdate, b: TwinUpdate) -> None:
    assert (a.time, a.snapshot) == (b.time, b.snapshot)
    assert list(a.upserts) == list(b.upserts)
    for kind, batch in a.upserts.items():
        for name in column_names(kind):
            got, want = getattr(b.upserts[kind], name), getattr(batch, name)
            assert got.dtype == want.dtype, (kind, name)
            np.testing.assert_array_equal(got, want, err_msg=f"{kind}.{name}")
    assert {k: list(v) for k, v in a.removals.items()} == {k: list(v) for k, v in b.removals.items()}


def fails(data: Any, reason: str, limits: FeedLimits | None = None, **kwargs: Any) -> MessageError:
    with pytest.raises(MessageError) as info:
        decode(data, limits or FeedLimits(), peer="ws://test", **kwargs)
    assert reason.lower() in info.value.reason.lower(), info.value.reason
    assert str(info.value).startswith("ws://test: ")
    assert "internal error" not in info.value.reason
    return info.value


def wire_json(**fields: Any) -> str:
    return json.dumps(fields)


# -- round trips ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("snapshot", [False, True])
def test_data_messages_round_trip_exactly(encoding: str, snapshot: bool) -> None:
    """A snapshot or delta decodes to the same seq, time, columns (dtypes included) and removals in each encoding."""
    update = sample_update(snapshot)
    message = Snapshot(7, update) if snapshot else Delta(7, update)
    decoded = decode(encode(message, encoding))
    assert type(decoded) is type(message) and decoded.seq == 7
    assert_updates_equal(update, decoded.update)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_kind_listed_with_no_rows_survives(encoding: str) -> None:
    """A snapshot that lists a kind with zero rows still lists it after decoding (it means "none left")."""
    update = TwinUpdate(5.0, {"road": empty_batch("road"), "vehicle": sample_update().upserts["vehicle"]},
                        snapshot=True)
    decoded = decode(encode(Snapshot(1, update), encoding))
    assert set(decoded.update.upserts) == {"road", "vehicle"}
    assert len(decoded.update.upserts["road"].ids) == 0


def test_the_three_encodings_decode_to_equal_updates() -> None:
    """objects, columns and binary carry the same data: their decoded updates are equal."""
    update = sample_update()
    decoded = [decode(encode(Delta(3, update), e)).update for e in ENCODINGS]
    assert_updates_equal(decoded[0], decoded[1])
    assert_updates_equal(decoded[0], decoded[2])


@pytest.mark.parametrize("message", [
    Hello(seq=1, time=1.7e9, crs="EPSG:28992", kinds=("vehicle",), encoding="binary", server="demo",
          limits={"max_rows": 10}, heartbeat=0.5),
    Heartbeat(9, 1.7e9 + 1),
    Subscribe(kinds=("vehicle", "road"), encodings=("columns",), last_seq=41),
    Subscribe(),
    Resync(12),
    Resync(None),
])
def test_control_messages_round_trip(message: Any) -> None:
    """Hello, heartbeat, subscribe and resync decode to equal values, as JSON text whatever the encoding."""
    for encoding in ENCODINGS:
        wire = encode(message, encoding)
        assert isinstance(wire, str)
        assert decode(wire) == message


def test_json_forms_are_what_the_docs_show() -> None:
    """objects: a list of entities keyed "id"; columns: {"columns": {"ids": [...]}}; NaN is null."""
    update = sample_update()
    objects = json.loads(encode(Delta(1, update), "objects"))
    assert objects["upserts"]["vehicle"][0]["id"] == "veh-0"
    assert objects["upserts"]["vehicle"][0]["z"] is None
    assert objects["upserts"]["road"][0]["speed"] == pytest.approx(8.3, abs=1e-6)
    columns = json.loads(encode(Delta(1, update), "columns"))
    assert columns["upserts"]["vehicle"]["columns"]["ids"][:2] == ["veh-0", "veh-1"]
    assert columns["upserts"]["road"]["columns"]["occupancy"] == [0.25, None]
    assert columns["removals"] == {"vehicle": ["gone-1", "gone-2"], "building": ["bldg-9"]}


def test_float32_values_are_written_short() -> None:
    """A float32 13.9 is written as 13.9 in both JSON encodings, not as its float64 expansion."""
    update = TwinUpdate(0.0, {"road": make_batch("road", ids=["r"], speed=[13.9])})
    for encoding in ("objects", "columns"):
        text = encode(Delta(1, update), encoding)
        assert "13.9" in text and "13.899999" not in text


def test_unknown_column_written_as_null_and_read_as_nan() -> None:
    """A column with no known value is null in the columnar form and NaN after decoding; a missing one too."""
    update = TwinUpdate(0.0, {"vehicle": make_batch("vehicle", ids=["a", "b"], x=[1, 2], y=[3, 4])})
    text = encode(Delta(1, update), "columns")
    assert json.loads(text)["upserts"]["vehicle"]["columns"]["z"] is None
    body = {"ids": ["a"], "x": [1.0], "y": [2.0]}
    decoded = decode(wire_json(type="delta", seq=1, time=0, upserts={"vehicle": {"columns": body}}))
    batch = decoded.update.upserts["vehicle"]
    assert np.isnan(batch.z).all() and np.isnan(batch.speed).all() and batch.vtype.tolist() == ["other"]


def test_binary_header_layout() -> None:
    """The frame starts with magic, version, type, kind bits, seq, time and counts; columns are 8-byte aligned."""
    update = sample_update()
    frame = encode(Delta(258, update), "binary")
    assert isinstance(frame, bytes)
    magic, version, code, listed, seq, when, *counts, strings, reserved = HEADER.unpack_from(frame)
    assert (magic, version, code, listed, seq, when) == (MAGIC, 1, 2, 0b111, 258, update.time)
    assert counts == [5, 2, 1, 2, 0, 1] and reserved == 0
    ids = frame[HEADER.size:HEADER.size + strings].decode().split("\x00")
    assert ids[:3] == ["veh-0", "veh-1", "veh-2"] and ids[-3:] == ["gone-1", "gone-2", "bldg-9"]
    assert len(frame) % 8 == 0
    x_at = HEADER.size + strings + (-strings % 8)
    np.testing.assert_array_equal(np.frombuffer(frame, "<f8", 5, x_at), update.upserts["vehicle"].x)


def test_binary_unknown_vehicle_type_code_reads_as_other() -> None:
    """A vtype code past the table decodes as "other" rather than failing the frame."""
    update = TwinUpdate(0.0, {"vehicle": make_batch("vehicle", ids=["a"], x=[1], y=[2], vtype=["bus"])})
    frame = bytearray(encode(Delta(1, update), "binary"))
    vtype_at = len(frame) - 8  # the last padded column
    frame[vtype_at] = 200
    assert decode(bytes(frame)).update.upserts["vehicle"].vtype.tolist() == ["other"]


# -- nesting scan ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "depth"), [
    (b"1", 0), (b"[]", 1), (b'{"a":[[1]]}', 3), (b'{"a":"[[[[[[","b":[1]}', 2),
    (b'["\\"[[[", {"c":"]]]\\\\"}]', 2), (b'["\\\\", [[]]]', 3), (b'"{{{{"', 0),
])
def test_json_depth_ignores_brackets_inside_strings(text: bytes, depth: int) -> None:
    """Nesting depth counts brackets outside strings only, escaped quotes and backslashes included."""
    assert json_depth(text) == depth


# -- hostile input ----------------------------------------------------------------------------------------------

GOOD_DELTA = {"type": "delta", "seq": 1, "time": 5.0, "upserts": {"vehicle": {"columns": {"ids": ["a"], "x": [1.0], "y": [2.0]}}}}


def delta_with(**changes: Any) -> str:
    return json.dumps({**GOOD_DELTA, **changes})


def vehicle_columns(**columns: Any) -> str:
    return delta_with(upserts={"vehicle": {"columns": {"ids": ["a"], "x": [1.0], "y": [2.0], **columns}}})


HOSTILE_JSON = {
    "not json": ("this is not json", "malformed JSON"),
    "truncated": (delta_with()[:-5], "malformed JSON"),
    "not utf-8": (b'{"type": "delta\xff"}', "malformed JSON"),
    "NaN token": (delta_with().replace("5.0", "NaN"), "malformed JSON"),
    "number overflow": (delta_with().replace("5.0", "1e400"), "malformed JSON"),
    "top-level list": ("[1, 2]", "JSON object"),
    "no type": ('{"seq": 1}', "unknown message type"),
    "type not a string": ('{"type": 3}', "unknown message type"),
    "unknown type": ('{"type": "teleport"}', "unknown message type"),
    "deep nesting": ('{"type": "delta", "x": ' + "[" * 50 + "]" * 50 + "}", "nesting depth"),
    "seq missing": (json.dumps({k: v for k, v in GOOD_DELTA.items() if k != "seq"}), "no 'seq'"),
    "seq string": (delta_with(seq="1"), "seq must be an integer"),
    "seq float": (delta_with(seq=1.0), "seq must be an integer"),
    "seq bool": (delta_with(seq=True), "seq must be an integer"),
    "seq negative": (delta_with(seq=-1), "outside"),
    "seq beyond 2**63": (delta_with(seq=2**64 - 1), "outside"),
    "seq beyond 2**64": (delta_with(seq=2**70), "must be an integer"),
    "time null": (delta_with(time=None), "time must be a number"),
    "time string": (delta_with(time="now"), "time must be a number"),
    "upserts list": (delta_with(upserts=[1]), "upserts must be an object"),
    "unknown kind": (delta_with(upserts={"spaceship": []}), "unknown kind"),
    "unknown kind in removals": (delta_with(removals={"spaceship": ["a"]}), "unknown kind"),
    "body a string": (delta_with(upserts={"vehicle": "lots"}), "must be a list of objects"),
    "no columns": (delta_with(upserts={"vehicle": {"rows": []}}), "no 'columns'"),
    "no ids": (delta_with(upserts={"vehicle": {"columns": {"x": [1]}}}), "no 'ids'"),
    "ids not a list": (delta_with(upserts={"vehicle": {"columns": {"ids": "a"}}}), "must be a list"),
    "column too short": (vehicle_columns(speed=[]), "0 values for 1 ids"),
    "column too long": (vehicle_columns(speed=[1, 2]), "2 values"),
    "column of strings": (vehicle_columns(speed=["fast"]), "numbers or null"),
    "column of bools": (vehicle_columns(speed=[True]), "numbers or null"),
    "column nested": (vehicle_columns(speed=[[1]]), "numbers or null"),
    "column an object": (vehicle_columns(speed={"a": 1}), "must be a list"),
    "entity not an object": (delta_with(upserts={"vehicle": [1, 2]}), "every entity must be an object"),
    "entity field wrong type": (delta_with(upserts={"road": [{"id": "r", "flow": "heavy"}]}), "numbers or null"),
    "removals not a list": (delta_with(removals={"vehicle": "a"}), "must be a list"),
    "snapshot with removals": (delta_with(type="snapshot", removals={"vehicle": ["a"]}), "no removals"),
    "hello wrong version": (json.dumps({"type": "hello", "v": 2}), "protocol version 2"),
    "hello version string": (json.dumps({"type": "hello", "v": "1"}), "must be an integer"),
    "hello missing crs": (json.dumps({"type": "hello", "v": 1, "seq": 1, "time": 0, "encoding": "columns"}), "no 'crs'"),
    "hello unknown kind": (json.dumps({"type": "hello", "v": 1, "seq": 1, "time": 0, "crs": "EPSG:4326",
                                       "kinds": ["boat"], "encoding": "columns"}), "unknown kind"),
    "hello unknown encoding": (json.dumps({"type": "hello", "v": 1, "seq": 1, "time": 0, "crs": "x", "kinds": [],
                                           "encoding": "xml"}), "hello.encoding"),
    "hello huge crs": (json.dumps({"type": "hello", "v": 1, "seq": 1, "time": 0, "crs": "x" * 10_000,
                                   "kinds": [], "encoding": "columns"}), "characters"),
    "subscribe kinds not strings": (json.dumps({"type": "subscribe", "v": 1, "kinds": [1]}), "must be a string"),
    "resync seq string": (json.dumps({"type": "resync", "last_seq": "3"}), "must be an integer"),
}


@pytest.mark.parametrize("name", list(HOSTILE_JSON))
def test_hostile_json_is_a_message_error(name: str) -> None:
    """Each malformed, wrong-typed or lying JSON message raises MessageError with a precise reason."""
    data, reason = HOSTILE_JSON[name]
    fails(data, reason)


def test_size_is_checked_before_parsing() -> None:
    """A message over the size limit is refused as MessageTooLarge, for bytes and for str alike."""
    limits = FeedLimits(max_message_bytes=100)
    big = delta_with(pad="x" * 200)
    assert isinstance(fails(big, "exceeds the limit", limits), MessageTooLarge)
    assert isinstance(fails(big.encode(), "exceeds the limit", limits), MessageTooLarge)
    assert isinstance(fails("é" * 60, "message size", limits), MessageTooLarge)  # 60 chars, 120 bytes
    fails(big, "exceeds", FeedLimits(), max_bytes=100)


def test_row_count_is_checked_before_conversion() -> None:
    """More rows than max_rows in one message is refused, summed over kinds and removals."""
    limits = FeedLimits(max_rows=3)
    fails(delta_with(upserts={"vehicle": {"columns": {"ids": ["a", "b", "c", "d"]}}}), "exceeds the limit of 3", limits)
    fails(delta_with(upserts={"road": [{"id": "a"}, {"id": "b"}]}, removals={"road": ["c", "d"]}),
          "rows in one message", limits)


def test_brackets_in_ids_do_not_count_as_nesting() -> None:
    """An id made of brackets is data, not nesting: the message decodes."""
    text = delta_with(upserts={"vehicle": {"columns": {"ids": ["[[[[[[[[[[[[{{{{{{"], "x": [1.0], "y": [2.0]}}})
    assert decode(text).update.upserts["vehicle"].ids.tolist() == ["[[[[[[[[[[[[{{{{{{"]


def test_bad_ids_pass_the_codec_for_validation_to_drop() -> None:
    """Ids of the wrong type reach the batch as they are: row-level problems are validate.py's, not the codec's."""
    text = delta_with(upserts={"vehicle": {"columns": {"ids": [1, None, ["x"]], "x": [1, 2, 3], "y": [1, 2, 3]}}})
    assert decode(text).update.upserts["vehicle"].ids.tolist() == [1, None, ["x"]]


def frame(update: TwinUpdate | None = None) -> bytes:
    return encode(Delta(4, update or sample_update()), "binary")  # type: ignore[return-value]


def patched(offset: int, fmt: str, *values: Any) -> bytes:
    data = bytearray(frame())
    struct.pack_into(fmt, data, offset, *values)
    return bytes(data)


HOSTILE_BINARY = {
    "header truncated": (frame()[:30], "truncated"),
    "body truncated": (frame()[:-8], "header declares"),
    "one byte short": (frame()[:-1], "header declares"),
    "trailing bytes": (frame() + b"\x00" * 8, "header declares"),
    "version 2": (patched(4, "<B", 2), "version 2"),
    "unknown type": (patched(5, "<B", 9), "unknown message type"),
    "reserved kind bits": (patched(6, "<H", 0b1000), "reserved"),
    "reserved word": (patched(52, "<I", 1), "reserved"),
    "huge vehicle count": (patched(24, "<I", 2**32 - 1), "rows in one message"),
    "lying vehicle count": (patched(24, "<I", 6), "header declares"),
    "lying removal count": (patched(36, "<I", 3), "header declares"),
    "huge string table": (patched(48, "<I", 2**32 - 1), "header declares"),
    "count for an unlisted kind": (patched(6, "<H", 0b101), "does not list"),
    "seq beyond 2**63": (patched(8, "<Q", 2**64 - 1), "outside"),
    "time NaN": (patched(16, "<d", float("nan")), "not finite"),
    "snapshot with removals": (patched(5, "<B", 1), "no removals"),
}


@pytest.mark.parametrize("name", list(HOSTILE_BINARY))
def test_hostile_binary_is_a_message_error(name: str) -> None:
    """Each truncated, lying or malformed binary frame raises MessageError with a precise reason."""
    data, reason = HOSTILE_BINARY[name]
    fails(data, reason)


def test_binary_string_table_must_hold_the_declared_ids() -> None:
    """A string table with a NUL too many or invalid UTF-8 is refused, not mis-split."""
    update = TwinUpdate(0.0, {"road": make_batch("road", ids=["ab", "cd"])})
    data = bytearray(frame(update))
    data[HEADER.size + 1] = 0  # "a\0\0cd": three ids for two
    fails(bytes(data), "holds 3 ids")
    data[HEADER.size + 1] = 0xFF
    fails(bytes(data), "not UTF-8")


def test_huge_declared_counts_are_refused_without_allocating() -> None:
    """Counts near 2**32 in a tiny frame are refused at once, even with a max_rows high enough to pass."""
    data = patched(24, "<3I", 2**32 - 1, 2**32 - 1, 2**32 - 1)
    start = time.perf_counter()
    fails(data, "header declares", FeedLimits(max_rows=2**40))
    assert time.perf_counter() - start < 0.05


def test_encoder_refuses_ids_it_cannot_frame() -> None:
    """The binary encoder refuses ids with NUL or of the wrong type instead of writing a frame that lies."""
    for ids in (["a\x00b"], [3]):
        update = TwinUpdate(0.0, {"road": make_batch("road", ids=ids)})
        with pytest.raises(MessageError):
            encode(Delta(1, update), "binary")


def test_unknown_encoding_is_a_caller_error() -> None:
    """Asking for an encoding that does not exist is a ValueError naming the known ones."""
    with pytest.raises(ValueError, match="binary, columns, objects"):
        encode(Heartbeat(1, 0.0), "xml")


# -- generated -------------------------------------------------------------------------------------------------

VALID_WIRES = [encode(Delta(3, sample_update()), e) for e in ENCODINGS] + [
    encode(Snapshot(2, sample_update(snapshot=True)), "binary"),
    encode(Hello(seq=1, time=0.0)), encode(Heartbeat(5, 1.0)), encode(Subscribe()), encode(Resync(3)),
]


def as_bytes(wire: bytes | str) -> bytes:
    return wire.encode() if isinstance(wire, str) else wire


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A valid message with a few bytes flipped, cut, inserted or duplicated."""
    data = bytearray(as_bytes(draw(st.sampled_from(VALID_WIRES))))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        op = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[at:at + draw(st.integers(1, 16))]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[at:]
    return bytes(data)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(
        ["type", "seq", "time", "upserts", "removals", "columns", "ids", "x", "y", "v", "vehicle", "road", "id"]),
        inner, max_size=4),
    max_leaves=20)


@st.composite
def structured(draw: st.DrawFn) -> str:
    """A JSON object with a real message type and random values in the real field names."""
    obj = draw(st.dictionaries(st.sampled_from(["seq", "time", "upserts", "removals", "v", "crs", "kinds",
                                                "encoding", "last_seq", "encodings", "limits"]), json_values))
    obj["type"] = draw(st.sampled_from(["hello", "snapshot", "delta", "heartbeat", "subscribe", "resync"]))
    return json.dumps(obj)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(mutated(), structured(), st.binary(max_size=200), st.binary(max_size=120).map(MAGIC.__add__)))
def test_generated_garbage_is_a_message_or_a_message_error(data: bytes | str) -> None:
    """Random bytes, mutated messages and random JSON either decode or raise MessageError with a reason."""
    try:
        decode(data, FeedLimits(max_rows=1000))
    except FeedError as exc:
        assert isinstance(exc, MessageError)
        assert exc.reason and "internal error" not in exc.reason, exc.reason



def test_every_json_example_in_the_docs_decodes() -> None:
    """Each JSON message shown in docs/feed-protocol.md is a valid message of the type it claims."""
    text = (Path(__file__).resolve().parents[1] / "docs" / "feed-protocol.md").read_text()
    blocks = [b.split("```", 1)[0] for b in text.split("```json\n")[1:]]
    assert len(blocks) >= 7
    for block in blocks:
        assert decode(block).type == json.loads(block)["type"]
