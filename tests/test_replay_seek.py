"""Seeking in a recorded feed (issue 20): the gzip reader's positions, the checkpoint index, ReplaySource.seek
and SourceFeed's pause, step, speed and seek; the state after seek(t) is the state of a fresh replay at t."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import numpy as np
import pytest

from viewer.app.live_feed import SourceFeed
from viewer.config import load_scene
from viewer.net.recorder import record_source
from viewer.sources.demo import DemoSource
from viewer.sources.gzip_lines import GzipLines
from viewer.sources.replay import ReplayIndex, ReplaySource, build_index
from viewer.twin.batch import column_names
from viewer.twin.state import TwinState

SCENE = """
[scene]
name = "Seek town"
crs = "EPSG:28992"
origin = [92540.0, 437500.0]

[[sources]]
format = "procedural"
seed = 7
size = 120
"""


@pytest.fixture(scope="module")
def recording(tmp_path_factory) -> Path:
    """30 s of the demo source (40 vehicles every 0.1 s, roads every 1 s, buildings every 5 s)."""
    folder = tmp_path_factory.mktemp("seek")
    scene = folder / "town.toml"
    scene.write_text(SCENE)
    source = DemoSource.from_scene(load_scene(scene), seed=5, vehicles=40, start_time=1.8e9)
    out = folder / "town.feed.jsonl.gz"
    record_source(source, out, 30.0)
    return out


def fresh_state(path: Path, t: float, loop: bool = False) -> TwinState:
    """A replay stepped from its start through every update at or before feed time t, applied in order."""
    source = ReplaySource(path, loop=loop)
    state = TwinState()
    state.apply(source.start(), 0.0, reset=True)
    while (update := source.step()) is not None and update.time <= t:
        state.apply(update, 0.0)
    source.close()
    return state


def seek_state(update) -> TwinState:
    state = TwinState()
    state.apply(update, 0.0, reset=True)
    return state


def assert_same(a: TwinState, b: TwinState) -> None:
    """Same entities with the same latest values, kind by kind (row order and sample history aside)."""
    for kind in ("vehicle", "road", "building"):
        x, y = a[kind].batch(), b[kind].batch()
        ox, oy = np.argsort(x.ids.astype(str)), np.argsort(y.ids.astype(str))
        assert x.ids[ox].tolist() == y.ids[oy].tolist(), kind
        for name in column_names(kind):
            left, right = getattr(x, name)[ox], getattr(y, name)[oy]
            np.testing.assert_array_equal(left, right, err_msg=f"{kind}.{name}")


# ---------------------------------------------------------------- the reader


def test_a_position_reads_on_with_the_same_lines_and_numbers(recording):
    """Lines read from a saved position, twice, are the lines that followed it, numbered the same."""
    reader = GzipLines(recording, 1 << 24)
    lines = [reader.readline() for _ in range(50)]
    here = reader.position()
    rest = []
    while line := reader.readline():
        rest.append(line)
    assert gzip.open(recording, "rb").read().splitlines(keepends=True) == lines + rest
    for _ in range(2):
        again = GzipLines(recording, 1 << 24, at=here)
        assert again.number == 50 and again.readline() == rest[0] and again.number == 51
        again.close()


def test_members_read_as_one_stream_and_a_cut_file_fails_like_gzip(tmp_path):
    """Two concatenated gzip members are one stream; a cut one raises EOFError, a foreign one zlib.error."""
    both = tmp_path / "two.gz"
    both.write_bytes(gzip.compress(b"a\nb\n") + gzip.compress(b"c\nd"))
    reader = GzipLines(both, 100)
    assert [reader.readline() for _ in range(5)] == [b"a\n", b"b\n", b"c\n", b"d", b""]
    cut = tmp_path / "cut.gz"
    whole = gzip.compress(b"x" * 10000 + b"\n" + bytes(range(256)) * 100)
    cut.write_bytes(whole[:len(whole) // 2])
    reader = GzipLines(cut, 100000)
    with pytest.raises(EOFError):
        while reader.readline():
            pass
    plain = tmp_path / "plain.gz"
    plain.write_bytes(b"not gzip at all\n")
    with pytest.raises(zlib.error):
        GzipLines(plain, 100).readline()


def test_a_long_line_comes_back_cut_to_one_over_the_limit(tmp_path):
    """A line over the limit is returned as limit + 1 bytes, so the caller can say it is too long."""
    path = tmp_path / "long.gz"
    path.write_bytes(gzip.compress(b"y" * 5000 + b"\nshort\n"))
    assert len(GzipLines(path, 100).readline()) == 101


# ---------------------------------------------------------------- ReplaySource.seek


@pytest.mark.parametrize("every", [None, 2.0])
def test_state_after_seek_equals_a_fresh_replay_at_that_time(recording, every):
    """Seeks back and forth, with and without an index (from the start), give the fresh replay's state at t,
    and stepping on after a seek gives the fresh replay's next updates."""
    source = ReplaySource(recording)
    first = source.start().time
    index = build_index(recording, source.period, ReplayIndex(every)) if every else None
    for rel in (17.35, 3.0, 29.9, 0.0, 11.04, 11.1, 25.0):
        t = first + rel
        update = source.seek(t, index)
        assert update.snapshot and t - source.source_step < update.time <= t + 1e-9
        assert_same(seek_state(update), fresh_state(recording, t))
    source.seek(first + 12.0, index)
    follow = [source.step() for _ in range(25)]
    fresh = ReplaySource(recording)
    fresh.start()
    expected = [u for u in iter(fresh.step, None) if u.time > first + 12.0][:25]
    assert [u.time for u in follow] == [u.time for u in expected]
    assert [u.count() for u in follow] == [u.count() for u in expected]


def test_an_index_spaces_its_checkpoints_and_thins_out_over_its_memory_cap(recording):
    """A fixed spacing gives a checkpoint every `every` feed seconds from the start; over the byte cap every
    other one goes and the spacing doubles, and seeks stay correct."""
    source = ReplaySource(recording)
    first = source.start().time
    index = build_index(recording, source.period, ReplayIndex(5.0))
    assert [round(c.rel) for c in index.checkpoints] == [0, 5, 10, 15, 20, 25, 30]
    assert index.end == pytest.approx(30.0, abs=0.11) and index.progress == 1.0
    small = build_index(recording, source.period, ReplayIndex(1.0, max_bytes=8 * 64 * 1024))
    assert len(small.checkpoints) < 10 and small.every is not None and small.every > 1.0
    update = source.seek(first + 21.0, small)
    assert_same(seek_state(update), fresh_state(recording, first + 21.0))


def test_a_seek_in_a_later_loop_uses_the_first_pass_checkpoints(recording):
    """With loop=True the second pass's times continue the first's; a seek inside the second pass gives the
    state a looping replay had there."""
    source = ReplaySource(recording, loop=True)
    source.start()
    index = build_index(recording, source.period, ReplayIndex(4.0))
    while source.passes == 0:
        source.step()
    second = source.first_time
    assert second is not None
    update = source.seek(second + 13.0, index)
    assert source.passes == 1 and update.time == pytest.approx(second + 13.0, abs=source.source_step)
    assert_same(seek_state(update), fresh_state(recording, second + 13.0, loop=True))


# ---------------------------------------------------------------- SourceFeed


def test_feed_seek_back_hands_out_a_reset_snapshot_and_carries_on_paced(recording):
    """seek(t) back hands out one reset snapshot at t (within a step); the pace then runs on from t."""
    wall = [0.0]
    feed = SourceFeed(ReplaySource(recording), clock=lambda: wall[0]).start()
    feed.start_index(every=3.0, background=False)
    first = feed.first_time
    assert first is not None and feed.timeline() == (first, pytest.approx(first + 30.0, abs=0.11),
                                                     pytest.approx(first + 30.0, abs=0.11))
    wall[0] = 20.0
    feed.drain(10.0)
    assert feed.time == pytest.approx(first + 20.0, abs=0.11)
    feed.seek(first + 5.0)
    items = feed.drain(10.0)
    assert items[0][1] and items[0][0].snapshot and feed.seeks == 1
    assert feed.time == pytest.approx(first + 5.0, abs=0.11)
    wall[0] = 22.0
    feed.drain(10.0)
    assert feed.time == pytest.approx(first + 7.0, abs=0.11)
    feed.seek(first + 500.0)  # past the end: clamped to it
    assert feed.time == pytest.approx(first + 30.0, abs=0.11)
    feed.stop()


def test_pause_freezes_step_moves_one_step_and_speed_changes_the_rate(recording):
    """Paused, no wall time moves the feed; a step forward or back moves it by one source step; at 4x the
    feed runs four times the wall clock, with no jump when the speed changes."""
    wall = [0.0]
    feed = SourceFeed(ReplaySource(recording), clock=lambda: wall[0]).start()
    feed.start_index(every=3.0, background=False)
    first, step = feed.first_time, feed.step_seconds
    assert first is not None and step == pytest.approx(0.1, abs=1e-6)
    wall[0] = 10.0
    feed.drain(10.0)
    feed.pause()
    at = feed.time
    wall[0] = 50.0
    assert feed.drain(10.0) == [] and feed.time == at and feed.paused_seconds() == 40.0
    feed.step_forward()
    assert [u.time for u, _ in feed.drain(10.0)] == [pytest.approx(at + step, abs=1e-6)]
    assert feed.step_back()
    feed.drain(10.0)
    assert feed.time == pytest.approx(at, abs=1e-6) and feed.paused
    feed.play()
    feed.set_speed(4.0)
    wall[0] = 52.0
    feed.drain(10.0)
    assert feed.time == pytest.approx(at + 8.0, abs=step + 1e-6)
    assert feed.paused_seconds() == 40.0
    feed.stop()


def test_a_background_index_fills_while_the_feed_plays(recording):
    """start_index() on a thread: the timeline's end becomes known, and stop() ends the thread."""
    feed = SourceFeed(ReplaySource(recording)).start()
    feed.start_index(every=5.0)
    assert feed._indexer is not None
    feed._indexer.join(timeout=60)
    span = feed.timeline()
    assert span is not None and span[2] is not None and span[2] - span[0] == pytest.approx(30.0, abs=0.11)
    feed.stop()
