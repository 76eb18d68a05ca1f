"""Feeding the live layers: sources stepped in feed time, `--at` times, a websocket client's updates (a fake with
FeedClient's API), resets, staleness, CRS mapping, key toggles, and `render --feed` from a recording file."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
import pytest

from viewer.app.live import LiveLayers, LiveOptions
from viewer.app.live_feed import SourceFeed, feed_crs, open_feed, parse_at
from viewer.app.live_headless import live_view, render_live_png
from viewer.city.demo import demo_scene
from viewer.city.scene import load_scene_models
from viewer.errors import ConfigError
from viewer.twin.batch import TwinUpdate, make_batch


class Counting:
    """A Source whose update k carries one building reading at time 100 + k."""

    name, crs, kinds, period = "counting", "EPSG:7415", ("building",), 1.0

    def __init__(self, steps: int = 5) -> None:
        self.k, self.steps, self.closed = 0, steps, False

    def update(self, snapshot: bool = False) -> TwinUpdate:
        return TwinUpdate(100.0 + self.k, {"building": make_batch("building", ids=["b"], power=[float(self.k)])},
                          snapshot=snapshot)

    def start(self) -> TwinUpdate:
        return self.update(snapshot=True)

    def step(self) -> TwinUpdate | None:
        self.k += 1
        return None if self.k > self.steps else self.update()

    def close(self) -> None:
        self.closed = True


def test_source_feed_paces_by_its_clock():
    """A source feed hands out its snapshot (reset) at once, then the updates whose feed time has come at
    `speed` x the clock, and says "ended" after the last one."""
    now = [0.0]
    feed = SourceFeed(Counting(), speed=2.0, clock=lambda: now[0]).start()
    first = feed.drain()
    assert [(u.time, reset) for u, reset in first] == [(100.0, True)]
    now[0] = 1.0  # 2 feed seconds later
    assert [u.time for u, _ in feed.drain()] == [101.0, 102.0]
    assert feed.status().state == "replay" and feed.status().updates_per_s == 2.0
    now[0] = 10.0
    assert [u.time for u, _ in feed.drain()] == [103.0, 104.0, 105.0]
    assert feed.status().state == "ended" and feed.crs == "EPSG:7415"
    feed.stop()
    assert feed.source.closed


def test_advance_to_reaches_the_first_update_at_or_after():
    """advance_to(t) returns every update up to the first at or after t, snapshot first."""
    feed = SourceFeed(Counting())
    assert [u.time for u, _ in feed.advance_to(102.5)] == [100.0, 101.0, 102.0, 103.0]
    assert feed.advance_to(50.0) == []


def test_advance_through_never_hands_out_an_update_from_the_future():
    """advance_through(t) returns the updates at or before t and holds the next one, which the next call
    (or a drain) hands out in order; the end of the source is reported once everything is out."""
    feed = SourceFeed(Counting(steps=3))
    assert [u.time for u, _ in feed.advance_through(101.5)] == [100.0, 101.0]
    assert feed.advance_through(101.9) == []
    assert [u.time for u, _ in feed.advance_through(102.0)] == [102.0]
    assert not feed.ended
    assert [u.time for u, _ in feed.advance_to(200.0)] == [103.0]
    assert feed.advance_through(300.0) == [] and feed.ended


def test_parse_at_forms():
    """--at takes +seconds after the first update, epoch seconds, or an ISO date and time (UTC by default)."""
    assert parse_at("+30", 1000.0) == 1030.0
    assert parse_at("1560340800", None) == 1560340800.0
    assert parse_at("2019-06-12T12:00:00", None) == 1560340800.0
    assert parse_at("2019-06-12 14:00+02:00", None) == 1560340800.0
    assert parse_at(None, 5.0) is None and parse_at(7.5, None) == 7.5
    with pytest.raises(ConfigError, match="--at"):
        parse_at("noon", 0.0)


def test_open_feed_chooses_by_what_it_is(tmp_path):
    """A Source is wrapped, a feed passes through, a ws:// URL becomes a FeedClient (started: its first
    connection is tried, test_net_first_connect.py), and a missing recording is a LoadError naming the file."""
    from test_net_helpers import MovingSource

    from viewer.errors import LoadError
    from viewer.net.feed_client import FeedClient
    from viewer.net.feed_server import ServerOptions
    from viewer.net.server_thread import ServerThread

    source = Counting()
    assert isinstance(open_feed(source), SourceFeed)
    fake = FakeClient()
    assert open_feed(fake) is fake
    with ServerThread(MovingSource(steps=None), ServerOptions(port=0, token="secret-token-1234")) as server:
        client = open_feed(server.url, token="secret-token-1234")
        try:
            assert isinstance(client, FeedClient) and client.status().last_error is None
        finally:
            client.stop()
    with pytest.raises(LoadError, match="nope.jsonl.gz"):
        open_feed(tmp_path / "nope.jsonl.gz")


def test_feed_crs_comes_from_hello_or_source():
    """The positions' CRS is the hello's for a websocket client and `crs` for a source; None until known."""
    assert feed_crs(SimpleNamespace(hello=SimpleNamespace(crs="EPSG:4326"))) == "EPSG:4326"
    assert feed_crs(SimpleNamespace(hello=None)) is None
    assert feed_crs(SourceFeed(Counting())) == "EPSG:7415"


@dataclass(frozen=True)
class Status:
    state: str
    lag_s: float = 0.0
    updates_per_s: float = 0.0
    stale_count: int = 0
    url: str = "ws://fake/"
    last_error: str | None = None


class FakeClient:
    """FeedClient's API (start, stop, drain, status, hello) over a list the test fills."""

    def __init__(self, crs: str = "EPSG:4326") -> None:
        self.queue: list[tuple[TwinUpdate, bool]] = []
        self.state, self.started, self.stopped = "live", False, False
        self.hello = SimpleNamespace(crs=crs)

    def start(self) -> FakeClient:
        self.started = True
        return self

    def stop(self) -> None:
        self.stopped = True

    def drain(self, max_seconds: float = 0.004) -> list[tuple[TwinUpdate, bool]]:
        out, self.queue = self.queue, []
        return out

    def status(self) -> Status:
        return Status(self.state)


@pytest.fixture(scope="module")
def small_city():
    return load_scene_models(demo_scene(buildings=60))


def car(t: float, x: float, y: float, snapshot: bool = False, ids: tuple[str, ...] = ("c1",)) -> TwinUpdate:
    n = len(ids)
    return TwinUpdate(t, {"vehicle": make_batch("vehicle", ids=list(ids), x=[x] * n, y=[y] * n, heading=[0.0] * n,
                                                speed=[5.0] * n, vtype=["car"] * n)}, snapshot=snapshot)


def test_client_updates_are_mapped_applied_and_reset(offscreen_gl, small_city):
    """Lon/lat vehicles from a client land at their local position on the ground; a new stream's snapshot
    (reset) replaces the old state even though its clock is earlier; a stale feed ghosts the vehicles."""
    client = FakeClient()
    frame = small_city.frame
    lon, lat = frame.local_to_lonlat(np.array([[10.0, 20.0]]))[0]
    with live_view(small_city, client, (320, 240), camera="overview") as lv:
        live = lv.live
        assert client.started
        client.queue = [(car(5000.0, lon, lat, snapshot=True), True)]
        live.update(wall=1.0)
        row = live.state["vehicle"].index["c1"]
        x, y, z = (float(live.state["vehicle"].column(c)[row]) for c in "xyz")
        assert (x, y) == pytest.approx((10.0, 20.0), abs=0.02) and z == pytest.approx(
            float(live.heights.at(np.array([10.0]), np.array([20.0]))[0]))
        client.queue = [(car(10.0, lon, lat, snapshot=True, ids=("c2",)), True)]
        live.update(wall=2.0)
        assert live.state["vehicle"].live_ids().tolist() == ["c2"]
        memory = live.renderer.memory()
        assert memory[0, 7] == 1.0
        client.state = "stale"
        live.update(wall=3.0)
        assert memory[0, 7] == pytest.approx(LiveOptions().ghost)
    assert client.stopped


def test_silent_vehicles_fade_then_go(offscreen_gl, small_city):
    """A vehicle without updates fades out after fade_after and is removed after remove_after (wall seconds)."""
    client = FakeClient(crs="EPSG:7415")
    x, y = small_city.frame.origin_xy
    with live_view(small_city, client, (320, 240), options=LiveOptions(remove_after=40.0)) as lv:
        client.queue = [(car(1.0, x, y, snapshot=True), True)]
        lv.live.update(wall=0.0)
        lv.live.update(wall=31.0)
        assert lv.live.renderer.memory()[0, 7] == pytest.approx(0.5)
        lv.live.update(wall=41.0)
        assert len(lv.live.state["vehicle"]) == 0 and lv.live.frame is not None and lv.live.frame.n == 0


def test_attach_binds_keys_and_a_frame_task(offscreen_gl, small_city):
    """attach() adds the frame task and binds the layer keys: V hides vehicles, F1 shows the keys overlay,
    and detach() removes all of it and gives the city its plain shader back."""
    from viewer.render.stage import build_stage

    base = offscreen_gl
    stage = build_stage(base.render, small_city.model, small_city.config.style)
    live = LiveLayers.attach(base, stage, small_city, SourceFeed(Counting()))
    try:
        assert base.taskMgr.hasTaskNamed("citiverse-live-layers")
        base.messenger.send("v")
        base.messenger.send("f1")
        assert not live.styles["vehicles"].visible and live.show_help
        assert live.hud is not None and "help" in live.hud.blocks
        assert "V  vehicles on / off" in live.help_lines()
    finally:
        live.detach()
        stage.remove()
    assert not base.taskMgr.hasTaskNamed("citiverse-live-layers")
    from viewer.render.lighting import city_shader

    assert stage.city.root.get_shader() == city_shader()


def record(path, source, steps: int) -> None:
    """A recording file of `source`'s first steps in the format of viewer/net/recorder.py."""
    from viewer.net.recorder import RecordingWriter
    from viewer.twin.codec import encode
    from viewer.twin.messages import Hello, data_message

    writer = RecordingWriter(path, {"url": "ws://test/", "start": 0.0})
    writer.write(0.0, encode(Hello(seq=0, time=0.0, crs=source.crs or "EPSG:7415")))
    update = source.start()
    for k in range(steps + 1):
        writer.write(0.1 * k, encode(data_message(k + 1, update)))
        update = source.step()
    writer.close()


def test_render_from_a_recording(offscreen_gl, small_city, tmp_path):
    """`render --feed RECORDING --at +S`: the recording is replayed to S seconds after its first update and the
    frame written; the vehicles are then in the state and drawn."""
    from viewer.sources.demo import DemoSource

    path = tmp_path / "demo.feed.jsonl.gz"
    record(path, DemoSource.from_scene(small_city, vehicles=40, start_time=1.56e9), steps=30)
    out = render_live_png(small_city, path, tmp_path / "shot.png", size=(320, 240), at_time="+2")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with live_view(small_city, path, (320, 240)) as lv:
        at = lv.seek(parse_at("+2", 1.56e9))
        lv.render()
        assert at == pytest.approx(1.56e9 + 2.0) and lv.live.frame is not None and lv.live.frame.n == 40


def test_layers_option():
    """`--layers` lists the visible layers (the rest hidden), "none" hides all, a typo is a ConfigError."""
    assert LiveOptions.from_cli("buildings, vehicles").visible == {"vehicles": True, "roads": False, "buildings": True}
    assert not any(LiveOptions.from_cli("none").visible.values())
    assert LiveOptions.from_cli(None).visible == {}
    with pytest.raises(ConfigError, match="--layers"):
        LiveOptions.from_cli("buildngs")


def test_seek_moves_the_replay_clock_forward_and_never_back():
    """seek(t) makes updates up to t due at once; an earlier t holds the replay where it is."""
    wall = [0.0]
    feed = SourceFeed(Counting(steps=50), speed=1.0, clock=lambda: wall[0]).start()
    feed.drain(1.0)
    assert feed.time == 100.0  # nothing more is due at wall time 0
    feed.seek(120.0)
    feed.drain(1.0)
    assert feed.time == 120.0
    feed.seek(105.0)  # backwards: the replay holds at 120 and carries on from there
    assert feed.drain(1.0) == []
    wall[0] = 2.0
    assert [u.time for u, _ in feed.drain(1.0)] == [121.0, 122.0]
