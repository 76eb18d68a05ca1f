"""Meeting logs as files (viewer/meeting/log.py) and as a timeline (viewer/meeting/replay.py): written and read
back, hostile and truncated files refused with the file and the line, poses sampled exactly and between."""

from __future__ import annotations

import gzip
from pathlib import Path

import orjson
import pytest

from viewer.meeting.codec import encode
from viewer.meeting.log import LineWriter, LogBuffer, MeetingLogError, header_line, read_log
from viewer.meeting.messages import (
    ChatLine,
    FeedTime,
    Joined,
    LayerShown,
    Left,
    ParticipantInfo,
    Pointer,
    Pose,
    Presence,
    Ray,
    RoomState,
)
from viewer.meeting.replay import MeetingTimeline

T0 = 1_767_225_600.0
ANA = ParticipantInfo(1, "Ana", "host", pose=Pose((0.0, 0.0, 0.0), 0.0, (0.0, 0.0, 1.65)))
BO = ParticipantInfo(2, "Bo", "guest")


def sample_lines() -> list[bytes]:
    """A short meeting: Ana alone, Bo joins, both move, Bo points and talks, a layer and a feed time."""
    w = LineWriter(T0)
    messages = [(T0, RoomState((ANA,), recording=True)), (T0 + 1.0, Joined(BO)),
                (T0 + 1.5, Presence(2, Pose((10.0, 0.0, 0.0), 90.0, (10.0, 0.0, 1.65)))),
                (T0 + 2.0, Presence(1, Pose((2.0, 0.0, 0.0), 10.0, (2.0, 0.0, 1.65)))),
                (T0 + 2.5, Presence(2, Pose((20.0, 0.0, 0.0), 180.0, (20.0, 0.0, 1.65)))),
                (T0 + 3.0, Pointer(2, Ray((20.0, 0.0, 1.65), (30.0, 5.0, 3.0)))),
                (T0 + 3.5, ChatLine(1, 2, "Bo", "that one", T0 + 3.5)),
                (T0 + 4.0, LayerShown(1, "traffic", False)), (T0 + 5.0, FeedTime(1, 1_000.0)),
                (T0 + 6.0, Left(2, "connection lost"))]
    return [header_line("council", T0, "feed.jsonl.gz", "0.1.0")] + [w.line(t, encode(m)) for t, m in messages]


def write(path: Path, lines: list[bytes], members: int = 3) -> Path:
    """`lines` as `members` gzip members, as the server writes them."""
    buffer, step = LogBuffer(T0), max(1, len(lines) // members)
    with open(path, "wb") as f:
        for i in range(0, len(lines), step):
            for line in lines[i:i + step]:
                buffer.add(line)
            f.write(buffer.take(T0))
    return path


def test_a_log_reads_back_with_its_header_and_entries(tmp_path):
    """A log of several gzip members reads back whole: header, initial state, every entry in order."""
    log = read_log(write(tmp_path / "m.meeting.jsonl.gz", sample_lines()))
    assert (log.room, log.start, log.feed, log.ended) == ("council", T0, "feed.jsonl.gz", False)
    assert log.initial.participants[0].name == "Ana" and log.initial.recording
    assert [e.line for e in log.entries] == list(range(3, 12))
    assert log.feed_path == tmp_path / "feed.jsonl.gz"
    assert gzip.decompress((tmp_path / "m.meeting.jsonl.gz").read_bytes()).count(b"\n") == 11  # zcat reads it


def line(t: float, m: object) -> bytes:
    return orjson.dumps({"t": t, "m": m}) + b"\n"


PRESENCE = {"type": "presence", "from": 1, "p": [0, 0, 0], "h": 0}


@pytest.mark.parametrize("bad, number, reason", [
    (b"{not json\n", 3, "not JSON"),
    (b'{"t": NaN, "m": {}}\n', 3, "not JSON"),
    (line(T0 + 1, PRESENCE)[:-1] + b' \n', None, None),  # trailing space is fine: the control case
    (orjson.dumps({"t": T0, "m": PRESENCE, "x": 1}) + b"\n", 3, '{"t": seconds, "m": message}'),
    (line(T0 - 10, PRESENCE), 3, "never before the previous"),
    (line(T0 + 1, {"type": "welcome", "v": 1}), 3, "logged server message"),
    (line(T0 + 1, {**PRESENCE, "room": "other"}), 3, "unexpected field 'room'"),
    (line(T0 + 1, {**PRESENCE, "p": [1e9, 0, 0]}), 3, "outside"),
    (line(T0 + 1, {"type": "chat", "seq": 1, "from": 1, "name": "A", "text": "x" * 600, "time": T0}), 3, "exceeds"),
    (line(T0 + 1, {**PRESENCE, "h": "north"}), 3, "must be a number"),
    (b"[1, 2]\n", 3, "JSON object"),
    (b'{"t": 1, "m": ' + b"[" * 100 + b"]" * 100 + b"}\n", 3, None),
    (b"x" * (2 << 20) + b"\n", 3, "exceeds the limit"),
])
def test_hostile_lines_are_refused_naming_the_file_and_line(tmp_path, bad, number, reason):
    """Every hostile line is a MeetingLogError with the file, the line number and the reason."""
    lines = sample_lines()
    path = write(tmp_path / "bad.meeting.jsonl.gz", [*lines[:2], bad, *lines[2:]])
    if number is None and reason is None:
        read_log(path)
        return
    with pytest.raises(MeetingLogError) as info:
        read_log(path)
    assert str(path) in str(info.value) and info.value.line == 3
    assert reason is None or reason in str(info.value)


@pytest.mark.parametrize("header, reason", [
    ({"format": "citiverse-feed-recording", "version": 1}, "not a meeting log"),
    ({"format": "citiverse-meeting-log", "version": 9, "room": "r", "start": T0}, "version 9"),
    ({"format": "citiverse-meeting-log", "version": 1, "room": "r/../x", "start": T0}, "room"),
    ({"format": "citiverse-meeting-log", "version": 1, "room": "r", "start": "now"}, "start"),
    ({"format": "citiverse-meeting-log", "version": 1, "room": "r", "start": T0, "evil": 1}, "'evil'"),
])
def test_a_foreign_or_broken_header_is_refused_on_line_1(tmp_path, header, reason):
    path = write(tmp_path / "h.gz", [orjson.dumps(header) + b"\n", *sample_lines()[1:]])
    with pytest.raises(MeetingLogError, match=reason) as info:
        read_log(path)
    assert info.value.line == 1


def test_the_second_line_must_be_the_room_state(tmp_path):
    lines = sample_lines()
    with pytest.raises(MeetingLogError, match="line 2: the second line must be the room's state"):
        read_log(write(tmp_path / "s.gz", [lines[0], *lines[2:]]))


def test_a_truncated_file_is_refused_naming_the_line_it_stops_at(tmp_path):
    """A file cut inside a gzip member says so, with the line being read; whole members before are not
    enough to pass it as complete."""
    path = write(tmp_path / "t.gz", sample_lines(), members=2)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 7])
    with pytest.raises(MeetingLogError, match=r"line \d+: the file ends inside a compressed block"):
        read_log(path)


def test_garbage_and_empty_files_are_refused(tmp_path):
    (tmp_path / "g").write_bytes(b"\x00\x01 this is not gzip at all")
    with pytest.raises(MeetingLogError, match="line 1: not readable gzip data"):
        read_log(tmp_path / "g")
    (tmp_path / "e").write_bytes(b"")
    with pytest.raises(MeetingLogError, match="empty file"):
        read_log(tmp_path / "e")
    with pytest.raises(MeetingLogError, match="cannot read"):
        read_log(tmp_path / "missing")


def test_the_timeline_samples_poses_exactly_between_and_only_while_present(tmp_path):
    """Exact at logged times, linear between, held after the last, none before joining or after leaving."""
    timeline = MeetingTimeline(read_log(write(tmp_path / "m.gz", sample_lines())))
    assert timeline.pose_at(2, T0 + 0.5) is None  # not there yet
    assert timeline.pose_at(2, T0 + 1.2) is None  # there, no pose yet
    assert timeline.pose_at(2, T0 + 1.5).position == (10.0, 0.0, 0.0)
    middle = timeline.pose_at(2, T0 + 2.0)
    assert middle.position == (15.0, 0.0, 0.0) and middle.heading == pytest.approx(135.0)
    assert timeline.pose_at(2, T0 + 5.9).position == (20.0, 0.0, 0.0)
    assert timeline.pose_at(2, T0 + 6.0) is None  # left
    assert timeline.pose_at(1, T0).position == (0.0, 0.0, 0.0) and timeline.pose_at(1, T0 + 9).position[0] == 2.0


def test_moments_are_the_same_going_forward_or_seeking_back(tmp_path):
    """The room at t is the same whether reached by playing forward or by seeking back to it."""
    timeline = MeetingTimeline(read_log(write(tmp_path / "m.gz", sample_lines())))
    forward = [(t, repr(timeline.moment(T0 + t))) for t in (0.0, 1.0, 3.2, 4.5, 5.5, 6.5)]
    for t, seen in reversed(forward):
        assert repr(timeline.moment(T0 + t)) == seen
    m = timeline.moment(T0 + 5.5)
    assert m.layers == {"traffic": False} and m.members[2].pointer.target == (30.0, 5.0, 3.0)
    assert timeline.feed_at(T0 + 5.5) == 1_000.5 and timeline.feed_at(T0 + 0.5) == T0 + 0.5
    assert [(s.name, s.joined - T0, s.left and s.left - T0) for s in timeline.stays()] == [
        ("Ana", 0.0, None), ("Bo", 1.0, 6.0)]
    assert timeline.find("bo") == 2 and timeline.find("#1") == 1
    with pytest.raises(ValueError, match="there were: Ana"):
        timeline.find("Zed")


def test_the_first_line_is_never_before_the_header_start():
    """Rounding to microseconds never puts a line before the header's start (a real log once failed so)."""
    import random

    rng = random.Random(7)
    for _ in range(20_000):
        start = 1.7e9 + rng.random() * 1e8
        header = orjson.loads(header_line("r", start, None, ""))
        assert orjson.loads(LineWriter(start).line(start, "{}"))["t"] >= header["start"]


def test_the_replay_clock_plays_pauses_seeks_and_changes_speed():
    """Playing moves by dt x speed, pausing stops it, seeks stay inside the recording, the end pauses."""
    from viewer.meeting.replay import ReplayClock

    clock = ReplayClock(100.0, 160.0)
    assert clock.advance(2.0) == 102.0
    clock.faster(1)
    assert clock.advance(1.0) == 104.0
    clock.toggle()
    assert clock.advance(5.0) == 104.0 and clock.paused
    assert clock.seek(-30) == 100.0 and clock.seek(1000) == 160.0
    clock.toggle()  # at the end: plays again from the start
    assert clock.t == 100.0 and not clock.paused
    assert [clock.faster(-1) for _ in range(5)][-1] == 0.25
    clock.advance(1000.0)
    assert clock.t == 160.0 and clock.paused
