"""twin/bus.py without sockets: names, framing and splitting, checkpoints, step assembly and gaps."""

from __future__ import annotations

import numpy as np
import pytest

from viewer.twin.batch import TwinUpdate, make_batch
from viewer.twin.bus import (
    END,
    BusNames,
    Checkpoint,
    DeltaFramer,
    Gap,
    StepAssembler,
    StepReady,
    merge_parts,
    read_checkpoint,
    read_delta,
    read_part,
)
from viewer.twin.errors import MessageError
from viewer.twin.state import TwinState

NAMES = BusNames("city")


def vehicles(n: int, t: float = 100.0, long_ids: bool = False) -> TwinUpdate:
    ids = [("x" * 100 if long_ids else "v") + str(i) for i in range(n)]
    return TwinUpdate(t, {"vehicle": make_batch("vehicle", ids=ids, x=np.arange(n) * 1e-4, y=np.full(n, 51.0),
                                                 speed=np.full(n, 3.0))},
                      {"building": np.asarray(["b1", "b2"], dtype=object)})


def test_names_are_nats_tokens():
    assert NAMES.stream == "CITIVERSE_FEED_city"
    assert NAMES.delta("vehicle") == "citiverse.feed.city.delta.vehicle"
    assert NAMES.deltas == "citiverse.feed.city.delta.>"
    assert NAMES.kind_of("citiverse.feed.city.snap.road") == "road"
    for bad in ("a.b", "a b", "x>", "", "é", "a" * 65):
        with pytest.raises(ValueError, match="bus subject name"):
            BusNames(bad)
    with pytest.raises(MessageError, match="not a feed subject"):
        NAMES.kind_of("citiverse.feed.other.delta.vehicle")
    with pytest.raises(MessageError):
        NAMES.kind_of("citiverse.feed.city.delta.spaceship")


def test_a_step_round_trips_and_is_split_under_the_size_limit():
    framer = DeltaFramer(NAMES, "e1", max_bytes=20_000)
    update = vehicles(3000, long_ids=True)
    messages = framer.frame(7, update)
    assert len(messages) > 5 and all(len(m.payload) <= 20_000 for m in messages)
    assert [m.headers.get(END) for m in messages] == [None] * (len(messages) - 1) + ["1"]
    assembler = StepAssembler("e1", 0, 6)
    events = [assembler.feed(read_delta(NAMES, m.subject, m.headers, m.payload)) for m in messages]
    assert events[:-1] == [None] * (len(messages) - 1)
    ready = events[-1]
    assert isinstance(ready, StepReady) and ready.step == 7
    assert ready.update.upserts["vehicle"].ids.tolist() == update.upserts["vehicle"].ids.tolist()
    np.testing.assert_array_equal(ready.update.upserts["vehicle"].x, update.upserts["vehicle"].x)
    assert ready.update.removals["building"].tolist() == ["b1", "b2"]


def test_a_missing_message_or_a_new_epoch_is_a_gap():
    framer = DeltaFramer(NAMES, "e1")
    first, second, third = (framer.frame(k, vehicles(5, t=100.0 + k)) for k in (1, 2, 3))
    frames = [read_delta(NAMES, m.subject, m.headers, m.payload) for m in (*first, *second, *third)]
    kinds_per_step = len(first)
    assembler = StepAssembler("e1", 0, 0)
    for frame in frames[:kinds_per_step]:
        event = assembler.feed(frame)
    assert isinstance(event, StepReady)
    gap = assembler.feed(frames[2 * kinds_per_step])  # step 2 lost
    assert isinstance(gap, Gap) and not gap.new_epoch and gap.step == 3
    assert assembler.feed(frames[0]) is None  # a redelivery of what is held is ignored
    other = DeltaFramer(NAMES, "e2").frame(1, vehicles(1))[0]
    gap = assembler.feed(read_delta(NAMES, other.subject, other.headers, other.payload))
    assert isinstance(gap, Gap) and gap.new_epoch


def test_checkpoint_parts_rebuild_the_state():
    state = TwinState(("vehicle", "building"))
    state.apply(TwinUpdate(5.0, {"vehicle": vehicles(2500).upserts["vehicle"]}, snapshot=True), 0.0)
    framer = DeltaFramer(NAMES, "e1", max_bytes=30_000)
    parts = framer.parts(4, state.snapshot())
    assert {m.subject for m in parts} == {NAMES.part("vehicle"), NAMES.part("building")}
    snapshot = merge_parts(5.0, ("vehicle", "building"), [read_part(NAMES, m.subject, m.payload) for m in parts])
    again = TwinState(("vehicle", "building"))
    again.apply(snapshot, 0.0, reset=True)
    assert again["vehicle"].live_ids().tolist() == state["vehicle"].live_ids().tolist()
    assert len(again["building"]) == 0


def test_checkpoint_index_is_checked_field_by_field():
    good = Checkpoint("e1", 3, 9, 100.0, "demo", "EPSG:4326", ("vehicle",), 0.1, (4, 5))
    assert read_checkpoint(good.to_json()) == good
    for bad, why in ((b"{", "not JSON"), (b'{"format": "x"}', "format"),
                     (good.to_json().replace(b'"vehicle"', b'"ufo"'), "unknown kinds"),
                     (good.to_json().replace(b'"epoch":"e1"', b'"epoch":"a b"'), "not a token"),
                     (good.to_json().replace(b'"period":0.1', b'"period":0'), "period")):
        with pytest.raises(MessageError, match=why):
            read_checkpoint(bad)


def test_hostile_delta_messages_are_refused_with_a_reason():
    message = DeltaFramer(NAMES, "e1").frame(1, vehicles(3))[0]
    with pytest.raises(MessageError, match="headers"):
        read_delta(NAMES, message.subject, {}, message.payload)
    with pytest.raises(MessageError, match="other kinds"):
        read_delta(NAMES, NAMES.delta("road"), message.headers, message.payload)
    with pytest.raises(MessageError, match="truncated"):
        read_delta(NAMES, message.subject, message.headers, message.payload[:10])
    part = DeltaFramer(NAMES, "e1").parts(1, TwinState(("road",)).snapshot())[0]
    with pytest.raises(MessageError, match="snapshot frame where a delta"):
        read_delta(NAMES, NAMES.delta("road"), message.headers, part.payload)
