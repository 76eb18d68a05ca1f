"""The feed over a real NATS JetStream: three edges (`citiverse feed serve --nats`, real processes), viewers given
every edge's URL, one edge killed with SIGKILL mid-stream, the NATS server restarted; at the end every viewer's
twin equals the publisher's, entity by entity. Nothing is mocked at the bus or the websockets."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from bus_helpers import (
    LoopThread,
    NatsServer,
    StepSource,
    free_port,
    need_nats,
    table_of,
    wait_port,
    wait_until,
)

from viewer.net.bus import BusOptions, BusPublisher
from viewer.net.feed_client import FeedClient
from viewer.twin.state import TwinState

PROJECT = Path(__file__).resolve().parents[1]
KINDS = ("vehicle", "building")


class Viewer:
    """A FeedClient over several edge URLs and the twin a render thread would keep from it."""

    def __init__(self, urls: list[str]) -> None:
        self.client = FeedClient(urls, stale_after=1.5).start()
        self.state = TwinState(KINDS)
        self.lock = threading.Lock()

    def pump(self) -> None:
        with self.lock:
            for update, reset in self.client.drain():
                self.state.apply(update, time.time(), reset=reset)

    def table(self) -> dict:
        with self.lock:
            return table_of(self.state)


def start_edge(nats_url: str, subject: str) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "viewer.cli", "feed", "serve", "--nats", nats_url,
                                "--subject", subject, "--port", str(port), "--status-every", "3600"],
                               cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_port(port, 30)
    return process, f"ws://127.0.0.1:{port}/"


@pytest.fixture
def nats(tmp_path):
    need_nats()
    server = NatsServer(tmp_path).start()
    yield server
    server.stop()


def test_three_edges_one_killed_nats_restarted_every_viewer_converges(nats):
    loop = LoopThread()
    source = StepSource(vehicles=300, steps=200, period=0.1)  # 20 s of source time
    publisher = BusPublisher(source, nats.url, "scenario", BusOptions(checkpoint_every=1.0, publish_timeout=1.0))
    loop.run(publisher.start())
    running = loop.spawn(publisher.run())
    edges = [start_edge(nats.url, "scenario") for _ in range(3)]
    urls = [url for _, url in edges]
    viewers = [Viewer(urls[i % 3:] + urls[:i % 3]) for i in range(6)]  # two start on each edge
    stop = threading.Event()

    def pump_all() -> None:
        while not stop.is_set():
            for viewer in viewers:
                viewer.pump()
            time.sleep(0.02)

    pump = threading.Thread(target=pump_all, daemon=True)
    pump.start()
    try:
        wait_until(lambda: all(v.client.status().state == "live" for v in viewers), 30, "every viewer live")
        time.sleep(1.5)
        killed = [v for v in viewers if v.client.url == urls[0]]
        assert len(killed) == 2
        before = {id(v): v.client.connections for v in killed}
        edges[0][0].send_signal(signal.SIGKILL)
        began = time.monotonic()
        wait_until(lambda: all(v.client.connections > before[id(v)] and v.client.status().state == "live"
                               for v in killed), 20, "the killed edge's viewers live on another edge")
        failover = time.monotonic() - began
        assert all(v.client.url != urls[0] for v in killed)

        nats.stop()  # the bus goes away mid-stream and comes back on its own store
        time.sleep(1.0)
        nats.start()
        running.result(120)  # the source ran to its end through the outage
        truth = table_of(publisher.state)
        assert len(truth["vehicle"]) == 300 and publisher.failed > 0  # the outage did lose messages
        wait_until(lambda: all(v.table() == truth for v in viewers), 60, "every viewer equal to the publisher")
        for process, _ in edges[1:]:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
        print(f"failover of the killed edge's viewers: {failover:.2f} s; publisher lost {publisher.failed} "
              f"messages in the outage, {publisher.checkpoints} checkpoints")
    finally:
        stop.set()
        for viewer in viewers:
            viewer.client.stop()
        for process, _ in edges:
            if process.poll() is None:
                process.terminate()
                process.wait(10)
        loop.run(publisher.close())
        loop.stop()
