"""Recording a live feed and serving it again: the same states, in the same order; the CLI recorder."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_net_helpers import Mirror, MovingSource, assert_same_state, table_rows, wait_for

from viewer.net.feed_client import FeedClient
from viewer.net.feed_server import ServerOptions
from viewer.net.recorder import Recorder
from viewer.net.server_thread import ServerThread
from viewer.sources.replay import ReplaySource, read_header, recorded_messages
from viewer.twin.codec import decode
from viewer.twin.messages import Delta, Hello, Snapshot
from viewer.twin.state import TwinState

PROJECT = Path(__file__).resolve().parents[1]


def _states(updates) -> list[tuple[float, dict]]:
    """(time, vehicle rows) after applying each update in turn."""
    twin, out = TwinState(), []
    for update in updates:
        twin.apply(update, 0.0)
        out.append((update.time, table_rows(twin, "vehicle")))
    return out


def _replayed(source: ReplaySource) -> list:
    updates = [source.start()]
    while (update := source.step()) is not None:
        if update.count() or update.snapshot:
            updates.append(update)
    return updates


def test_record_then_replay_gives_the_same_sequence_of_states(tmp_path):
    """Every state the replay produces equals the recorded stream's state at that time, in the same order,
    ending in the same state; served again, a client converges to it."""
    source = MovingSource(n=80, steps=20, period=0.04)
    out = tmp_path / "run.feed.jsonl.gz"
    with ServerThread(source, ServerOptions(port=0)) as server:
        recorder = Recorder(server.url, out, duration=source.steps * source.period + 0.5)
        asyncio.run(recorder.run())
    assert out.exists() and not out.with_name(out.name + ".part").exists()
    messages = [decode(data) for _, _, data in recorded_messages(out)]
    assert isinstance(messages[0], Hello) and isinstance(messages[1], Snapshot)
    recorded = _states(m.update for m in messages if isinstance(m, Snapshot | Delta))
    steps = [round((t - source.start_time) / source.period) for t, _ in recorded]
    assert steps == list(range(steps[0], source.steps + 1)) and len(steps) > source.steps // 2  # all, in order

    replay = ReplaySource(out)
    assert replay.crs == "EPSG:3857" and replay.kinds == ("vehicle", "road", "building")
    assert abs(replay.period - source.period) < 0.02
    replayed = _states(_replayed(replay))
    by_time = dict(recorded)
    assert [t for t, _ in replayed] == sorted({t for t, _ in replayed})  # in order, each time once
    assert all(rows == by_time[t] for t, rows in replayed)
    assert replayed[-1] == recorded[-1] and len(replayed) >= len(recorded) // 2

    replay = ReplaySource(out)
    with ServerThread(replay, ServerOptions(port=0, speed=4.0)) as server2:
        with FeedClient(server2.url) as client:
            mirror = Mirror(client)
            wait_for(mirror.reaches(source.final_time), 10, "the replayed stream's end")
            assert_same_state(server.server.driver.state, mirror.twin)  # the recorded server, stopped


def test_feed_record_command_writes_a_readable_file_and_ctrl_c_finishes_it(tmp_path):
    """`citiverse feed record` with --duration writes a finished gzip file (hello, snapshot, deltas); without
    a duration, SIGINT (Ctrl-C) ends the recording with a whole file too."""
    with ServerThread(MovingSource(steps=None, period=0.05), ServerOptions(port=0)) as server:
        timed, interrupted = tmp_path / "timed.feed.jsonl.gz", tmp_path / "ctrl-c.feed.jsonl.gz"
        command = [sys.executable, "-m", "viewer.cli", "feed", "record", server.url]
        run = subprocess.run([*command, "--out", str(timed), "--duration", "0.8", "--encoding", "columns"],
                             cwd=PROJECT, capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        assert "wrote" in run.stdout
        proc = subprocess.Popen([*command, "--out", str(interrupted)], cwd=PROJECT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        part = interrupted.with_name(interrupted.name + ".part")
        wait_for(lambda: part.exists() and part.stat().st_size > 0, 30, "the recording to start")
        time.sleep(0.3)  # let a few messages arrive (the file is checked below, not this wait)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=30)
        assert proc.returncode == 0, stderr
    for path in (timed, interrupted):
        header = read_header(path)
        assert header["url"] == server.url and header["start"] > 1e9
        messages = [decode(data) for _, _, data in recorded_messages(path)]
        assert isinstance(messages[0], Hello) and isinstance(messages[1], Snapshot) and len(messages) >= 3
    assert decode(next(d for _, _, d in recorded_messages(timed))).encoding == "columns"


def test_feed_record_fails_fast_on_a_refused_token(tmp_path):
    """A recorder refused by the server (401) exits 2 with the reason and leaves no file behind."""
    with ServerThread(MovingSource(steps=None), ServerOptions(port=0, token="right")) as server:
        out = tmp_path / "x.feed.jsonl.gz"
        run = subprocess.run([sys.executable, "-m", "viewer.cli", "feed", "record", server.url, "--out", str(out),
                              "--token", "wrong", "--duration", "1"], cwd=PROJECT, capture_output=True, text=True,
                             timeout=60)
    assert run.returncode == 2 and "401" in run.stderr and "token" in run.stderr
    assert not out.exists() and not out.with_name(out.name + ".part").exists()
