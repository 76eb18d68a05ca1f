"""`view --feed nats://HOST:4222?subject=NAME`: the viewer's feed read straight from a real NATS JetStream.

open_feed (what `view` and `render` use) turns the bus URL into a client of a private edge; its twin ends
equal to the publisher's, entity by entity. Wrong forms and an unreachable bus are one error line.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from bus_helpers import LoopThread, NatsServer, StepSource, free_port, need_nats, table_of, wait_until

from viewer.app.live_feed import check_feed_name, open_feed
from viewer.errors import CitiverseError, ConfigError
from viewer.net.bus import BusOptions, BusPublisher
from viewer.net.bus_feed import parse_bus_feed
from viewer.twin.state import TwinState

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture
def nats(tmp_path):
    need_nats()
    server = NatsServer(tmp_path).start()
    yield server
    server.stop()


def test_a_viewer_feed_from_the_bus_equals_the_publisher(nats):
    """A feed opened from nats://...?subject=steps converges on the publisher's twin while it runs."""
    loop = LoopThread()
    source = StepSource(vehicles=100, steps=40, period=0.1)
    publisher = BusPublisher(source, nats.url, "steps", BusOptions(checkpoint_every=1.0))
    loop.run(publisher.start())
    running = loop.spawn(publisher.run())
    feed = open_feed(f"{nats.url}?subject=steps")
    state = TwinState(("vehicle", "building"))
    try:
        def caught_up() -> bool:
            for update, reset in feed.drain():
                state.apply(update, time.time(), reset=reset)
            return running.done() and table_of(state) == table_of(publisher.state)

        wait_until(caught_up, 60, "the viewer's twin equal to the publisher's")
        assert feed.status().state == "live"
        assert "nats://" in feed.shown_url and "subject=steps" in feed.shown_url
    finally:
        feed.stop()
        loop.run(publisher.close())
        loop.stop()


@pytest.mark.parametrize("url, words", [
    ("nats://127.0.0.1:4222", ["subject=NAME"]),
    ("nats://127.0.0.1:4222?subject=a.b", ["a.b"]),
    ("nats://127.0.0.1:4222?subject=a&subject=b", ["one twin"]),
])
def test_wrong_bus_feed_forms_are_refused_before_anything_opens(url, words):
    """A bus feed without exactly one valid twin name is a ConfigError naming the form."""
    with pytest.raises(ConfigError) as refused:
        check_feed_name(url)
    assert all(w in str(refused.value) for w in words)


def test_bus_feed_url_parts():
    """Host, default port and twin name are read from the URL."""
    assert parse_bus_feed("nats://10.0.0.5?subject=city") == ("nats://10.0.0.5:4222", "city")


def test_an_unreachable_bus_is_one_line_from_the_command(tmp_path):
    """`citiverse render --feed nats://...` with nothing listening ends in one error line naming the bus."""
    (tmp_path / "tiny.toml").write_text('[scene]\nname = "t"\ncrs = "EPSG:7415"\norigin = [92540.0, 437500.0]\n\n'
                                        '[[sources]]\nformat = "procedural"\nseed = 1\nsize = 60\n')
    url = f"nats://127.0.0.1:{free_port()}?subject=city"
    result = subprocess.run([sys.executable, "-m", "viewer.cli", "-q", "render", "tiny.toml", "--feed", url,
                             "--out", "x.png"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if "error" in line.lower()]
    assert len(errors) == 1 and "nats://127.0.0.1" in errors[0], result.stderr


def test_bus_unavailable_is_a_citiverse_error():
    """The error open_feed raises for a bus nobody answers is the project's own (the CLI prints one line)."""
    with pytest.raises(CitiverseError):
        open_feed(f"nats://127.0.0.1:{free_port()}?subject=city")
