"""The bus's history and publisher restarts on a real nats-server: `feed record --nats --from --to` writes the
exact states of that time range; a `--from` before the history is one clear line; a publisher restarted with
an earlier clock restarts an edge's client streams and every viewer follows the new run."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from bus_helpers import LoopThread, NatsServer, StepSource, need_nats, table_of, wait_until

from viewer.net.bus import BusEdgeDriver, BusOptions, BusPublisher, BusTwin
from viewer.net.feed_client import FeedClient
from viewer.net.feed_server import FeedServer, ServerOptions
from viewer.sources.replay import ReplaySource
from viewer.twin.state import TwinState

PROJECT = Path(__file__).resolve().parents[1]
KINDS = ("vehicle", "building")


@pytest.fixture
def nats(tmp_path):
    need_nats()
    server = NatsServer(tmp_path).start()
    yield server
    server.stop()


def expected_at(source: StepSource, step: int) -> dict:
    """The twin after `step` steps of a fresh copy of `source`, applied directly (no bus)."""
    fresh = StepSource(source.vehicles, source.steps, source.period, source.t0)
    state = TwinState(KINDS)
    state.apply(fresh.start(), 0.0)
    for _ in range(step):
        state.apply(fresh.step(), 0.0)
    return table_of(state)


def publish_all(url: str, subject: str, source: StepSource, speed: float = 4.0) -> BusPublisher:
    loop = LoopThread()
    publisher = BusPublisher(source, url, subject, BusOptions(speed=speed, checkpoint_every=0.2))
    try:
        loop.run(publisher.start())
        loop.run(publisher.run(), 120)
        loop.run(publisher.close())
    finally:
        loop.stop()
    return publisher


def test_feed_record_reads_a_time_range_from_the_history(nats, tmp_path):
    source = StepSource(vehicles=50, steps=80, period=0.1, t0=1.7e9)
    publish_all(nats.url, "hist", source)
    out = tmp_path / "range.feed.jsonl.gz"
    run = subprocess.run([sys.executable, "-m", "viewer.cli", "feed", "record", "--nats", nats.url, "--subject", "hist",
                          "--from", str(source.t0 + 2.0), "--to", str(source.t0 + 4.0), "--out", str(out)],
                         cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    replay = ReplaySource(out)
    state = TwinState(KINDS)
    first = replay.start()
    state.apply(first, 0.0)
    assert first.time == pytest.approx(source.t0 + 2.0)
    assert table_of(state) == expected_at(source, 20)
    while (update := replay.step()) is not None:
        state.apply(update, 0.0)
    replay.close()
    assert state.time == pytest.approx(source.t0 + 4.0)
    assert table_of(state) == expected_at(source, 40)


def test_a_range_before_the_history_is_one_clear_line(nats, tmp_path):
    source = StepSource(vehicles=5, steps=5, period=0.1, t0=1.7e9)
    publish_all(nats.url, "short", source)
    for subject, why in (("short", "has nothing at 1600000000.0: its history begins at 1700000000.0"),
                         ("nothing", "holds no feed named 'nothing'")):
        run = subprocess.run([sys.executable, "-m", "viewer.cli", "feed", "record", "--nats", nats.url, "--subject",
                              subject, "--from", "1600000000", "--out", str(tmp_path / "x.gz")],
                             cwd=PROJECT, capture_output=True, text=True, timeout=60)
        assert run.returncode == 2 and run.stderr.count("\n") == 1 and why in run.stderr, run.stderr
    assert not (tmp_path / "x.gz").exists()


def test_a_restarted_publisher_restarts_the_edges_streams(nats):
    loop = LoopThread()
    server = FeedServer(BusTwin(), ServerOptions(port=0, status_every=3600),
                        driver=lambda s: BusEdgeDriver(s, nats.url, "again"))
    client = None
    try:
        first = StepSource(vehicles=40, steps=20, period=0.1, t0=1.7e9)
        publish_all(nats.url, "again", first, speed=2.0)
        loop.run(server.start())
        running = loop.spawn(server.serve_forever())
        client = FeedClient(server.url).start()
        state = TwinState(KINDS)

        def pump() -> dict:
            for update, reset in client.drain():
                state.apply(update, time.time(), reset=reset)
            return table_of(state)

        wait_until(lambda: pump() == expected_at(first, 20), 20, "the viewer has the first run")
        second = StepSource(vehicles=30, steps=10, period=0.1, t0=1.6e9)  # an earlier clock
        publish_all(nats.url, "again", second, speed=2.0)
        wait_until(lambda: pump() == expected_at(second, 10), 20, "the viewer follows the second run")
        assert client.connections == 2 and server.driver.restarts == 1
        assert state.time == pytest.approx(second.t0 + 1.0)
        assert not running.done()
    finally:
        if client is not None:
            client.stop()
        loop.run(server.close())
        loop.stop()
