"""ReplaySource: pace, loops, restarted streams, merging, and hostile recording files."""

from __future__ import annotations

import base64
import gzip
from pathlib import Path

import numpy as np
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from viewer.errors import LoadError
from viewer.net.recorder import RecordingWriter
from viewer.sources.base import Source
from viewer.sources.replay import FORMAT, ReplaySource, merge_updates
from viewer.twin.batch import TwinUpdate, make_batch
from viewer.twin.codec import encode
from viewer.twin.messages import Heartbeat, Hello, data_message
from viewer.twin.state import TwinState


def _vehicles(ids, x=0.0):
    return make_batch("vehicle", ids=list(ids), x=np.full(len(ids), x), y=np.zeros(len(ids)))


def _record(path: Path, items, encoding="columns", crs="EPSG:4326") -> Path:
    """items: (t, TwinUpdate | "hello" | "heartbeat"); written as the recorder writes them."""
    writer = RecordingWriter(path, {"url": "ws://test/", "start": 1.7e9})
    seq = 1
    for t, item in items:
        if item == "hello":
            message = Hello(seq=seq, time=1.7e9, crs=crs, kinds=("vehicle",))
        elif item == "heartbeat":
            message = Heartbeat(seq, 1.7e9)
        else:
            message = data_message(seq, item)
        writer.write(t, encode(message, encoding))
        seq += 1
    writer.close()
    return path


def _run(source) -> list[TwinUpdate]:
    out = [source.start()]
    while (update := source.step()) is not None:
        out.append(update)
    return out


def test_pace_follows_receive_times_with_gaps_and_bursts(tmp_path):
    """period = median receive interval; a gap gives empty steps, a burst is merged into one update."""
    snap = TwinUpdate(10.0, {"vehicle": _vehicles(["a", "b"])}, snapshot=True)
    deltas = [TwinUpdate(10.0 + k, {"vehicle": _vehicles(["a"], x=k)}) for k in (1, 2, 3)]
    burst = TwinUpdate(14.0, {"vehicle": _vehicles(["c"])}, {"vehicle": np.array(["b"], dtype=object)})
    path = _record(tmp_path / "r.gz", [(0.0, "hello"), (0.01, snap), (0.11, deltas[0]), (0.21, deltas[1]),
                                       (0.35, "heartbeat"), (0.51, deltas[2]), (0.52, burst)], encoding="binary")
    source = ReplaySource(path)
    assert isinstance(source, Source) and source.period == pytest.approx(0.1) and source.crs == "EPSG:4326"
    updates = _run(source)
    assert [u.count() for u in updates] == [2, 1, 1, 0, 0, 3]
    assert [u.time for u in updates] == [10.0, 11.0, 12.0, 12.0, 12.0, 14.0]
    merged = updates[-1]
    assert sorted(merged.upserts["vehicle"].ids) == ["a", "c"] and list(merged.removals["vehicle"]) == ["b"]


def test_loop_keeps_source_time_increasing(tmp_path):
    """Each pass adds the recording's duration (last - first + one step): times strictly increase."""
    items = [(0.0, "hello"), (0.0, TwinUpdate(10.0, {"vehicle": _vehicles(["a"])}, snapshot=True))]
    items += [(0.1 * k, TwinUpdate(10.0 + 0.1 * k, {"vehicle": _vehicles(["a"], x=k)})) for k in (1, 2)]
    source = ReplaySource(_record(tmp_path / "r.gz", items), loop=True)
    times = [source.start().time] + [source.step().time for _ in range(8)]
    assert np.all(np.diff(times) > 0) and source.passes == 2
    assert times[:7] == pytest.approx([10.0, 10.1, 10.2, 10.3, 10.4, 10.5, 10.6])
    source.close()
    assert source.step() is None


def test_a_restarted_stream_inside_the_recording_continues_after_the_last_time(tmp_path):
    """A second hello whose data is older (the recorder reconnected to a restarted server) is shifted."""
    items = [(0.0, "hello"), (0.0, TwinUpdate(500.0, {"vehicle": _vehicles(["a"])}, snapshot=True)),
             (0.1, TwinUpdate(500.1, {"vehicle": _vehicles(["a"], 1)})),
             (0.2, "hello"), (0.2, TwinUpdate(3.0, {"vehicle": _vehicles(["z"])}, snapshot=True)),
             (0.3, TwinUpdate(3.1, {"vehicle": _vehicles(["z"], 1)}))]
    updates = _run(ReplaySource(_record(tmp_path / "r.gz", items)))
    times = [u.time for u in updates]
    assert np.all(np.diff(times) > 0) and times[2] == pytest.approx(500.2)
    twin = TwinState()
    for u in updates:
        twin.apply(u, 0.0)
    assert twin.count()["vehicle"] == 1 and twin["vehicle"].live_ids().tolist() == ["z"]


def test_bad_recorded_messages_are_skipped_and_bad_rows_dropped(tmp_path):
    """A message the codec refuses is skipped (counted); a NaN position row is dropped by validation."""
    path = tmp_path / "r.gz"
    writer = RecordingWriter(path, {"url": "ws://x/", "start": 0.0})
    writer.write(0.0, encode(Hello(seq=1, time=0.0, kinds=("vehicle",))))
    writer.write(0.1, '{"type": "delta", "seq": "two"}')
    snap = TwinUpdate(1.0, {"vehicle": make_batch("vehicle", ids=["a", "b"], x=[1.0, np.nan], y=[0.0, 0.0])},
                      snapshot=True)
    writer.write(0.2, encode(data_message(3, snap), "columns"))
    writer.close()
    source = ReplaySource(path)
    first = source.start()
    assert source.skipped == 1 and first.upserts["vehicle"].ids.tolist() == ["a"]


HEADER = orjson.dumps({"format": FORMAT, "version": 1, "url": "ws://x/", "start": 0.0}).decode()
HELLO = encode(Hello(seq=1, time=0.0, kinds=("vehicle",)))
SNAPSHOT = encode(data_message(2, TwinUpdate(1.0, {"vehicle": _vehicles(["a"])}, snapshot=True)), "columns")


def _line(t, text):
    return orjson.dumps({"t": t, "text": text}).decode()


HOSTILE = {
    "empty file": "",
    "foreign header": '{"format": "something else", "version": 1}\n',
    "header not JSON": "hello there\n",
    "t negative": f"{HEADER}\n{_line(-1, HELLO)}\n",
    "t a string": f'{HEADER}\n{{"t": "0", "text": "x"}}\n',
    "t goes back": f"{HEADER}\n{_line(1.0, HELLO)}\n{_line(0.5, SNAPSHOT)}\n",
    "no payload": f'{HEADER}\n{{"t": 0.0}}\n',
    "bad base64": f'{HEADER}\n{{"t": 0.0, "binary": "***"}}\n',
    "line not JSON": f"{HEADER}\n{{oops\n",
    "line an array": f"{HEADER}\n[1, 2]\n",
    "no hello": f"{HEADER}\n{_line(0.0, SNAPSHOT)}\n",
    "no snapshot": f"{HEADER}\n{_line(0.0, HELLO)}\n",
    "line too long": f'{HEADER}\n{{"t": 0.0, "text": "{"x" * 30_000_000}"}}\n',
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_recordings_raise_load_error_naming_the_file(tmp_path, name):
    """Each broken recording raises LoadError naming the file (and the line where there is one)."""
    path = tmp_path / "bad.gz"
    with gzip.open(path, "wt") as fh:
        fh.write(HOSTILE[name])
    with pytest.raises(LoadError) as error:
        ReplaySource(path)
    assert str(path) in str(error.value)


def test_not_gzip_or_truncated_or_missing_raise_load_error(tmp_path):
    """A plain file, a gzip cut in half and a missing path raise LoadError too."""
    good = _record(tmp_path / "good.gz", [(0.0, "hello"), (0.0, TwinUpdate(1.0, {"vehicle": _vehicles("ab")},
                                                                            snapshot=True))] * 20)
    plain, cut = tmp_path / "plain.gz", tmp_path / "cut.gz"
    plain.write_text(HEADER + "\n")
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    for path in (plain, cut, tmp_path / "missing.gz"):
        with pytest.raises(LoadError):
            _run(ReplaySource(path))


def test_binary_frames_replay_like_text(tmp_path):
    """A binary frame recorded as base64 decodes to the same update as its JSON twin."""
    update = TwinUpdate(2.0, {"vehicle": _vehicles(["a", "b"], 3.0)}, snapshot=True)
    path = tmp_path / "b.gz"
    writer = RecordingWriter(path, {"url": "ws://x/", "start": 0.0})
    writer.write(0.0, HELLO)
    writer.write(0.0, encode(data_message(2, update), "binary"))
    writer.close()
    line = gzip.open(path, "rt").read().splitlines()[-1]
    assert base64.b64decode(orjson.loads(line)["binary"])[:4] == b"CVTF"
    first = ReplaySource(path).start()
    assert first.upserts["vehicle"].x.tolist() == [3.0, 3.0] and first.snapshot


_IDS = st.sampled_from(["a", "b", "c", "d", "e"])
_UPDATE = st.tuples(st.booleans(), st.sets(_IDS), st.sets(_IDS), st.floats(-1e3, 1e3))


@settings(max_examples=150, deadline=None)
@given(st.lists(_UPDATE, min_size=1, max_size=6))
def test_merged_updates_equal_applying_them_in_order(ops):
    """merge_updates(u1..un) applied to a state gives what applying u1..un one by one gives."""
    updates = []
    for k, (snapshot, upserts, removals, x) in enumerate(ops):
        removals = set() if snapshot else removals - upserts
        updates.append(TwinUpdate(10.0 + k, {"vehicle": _vehicles(sorted(upserts), x + k)},
                                  {"vehicle": np.array(sorted(removals), dtype=object)} if removals else {},
                                  snapshot))
    base = TwinUpdate(1.0, {"vehicle": _vehicles(["a", "c", "e"], -5.0)}, snapshot=True)
    one, merged = TwinState(("vehicle",)), TwinState(("vehicle",))
    for twin in (one, merged):
        twin.apply(base, 0.0)
    for update in updates:
        one.apply(update, 0.0)
    merged.apply(merge_updates(updates), 0.0)
    rows = [{i: x for i, x in zip(t["vehicle"].live_ids().tolist(), t["vehicle"].column("x").tolist(), strict=True)}
            for t in (one, merged)]
    assert rows[0] == rows[1]
