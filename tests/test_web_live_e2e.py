"""The browser's live layers end to end: a real feed server (the demo source on a tiled test town) and a
meeting server with its web side on loopback, headless Chromium (web/e2e/live.mjs with npm's playwright-core)
opening a `meet token --link` link, and a Python host in the room who turns the shared layers off. The page
gets the feed's URL and token from /feed.json with its join token, maps the feed's CRS through /frame/,
draws the vehicles (blue car pixels on the screenshot that go when the host hides the layer) and colours
the buildings by feature id (pixels that change when the host hides those layers).
Skips when chromium, node or web/node_modules is missing."""

from __future__ import annotations

import colorsys
import json
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.test_web_e2e import SECRET
from tests.web_harness import PROJECT, Driver, need_browser, tiled_town, wait_for
from viewer.app.meet_cli import room_link
from viewer.meeting.messages import SetLayer
from viewer.meeting.protocol import LIVE
from viewer.meeting.tokens import issue_token, verify_token
from viewer.net.feed_server import ServerOptions
from viewer.net.meeting_client import MeetingClient
from viewer.net.meeting_server import ServerThread
from viewer.net.server_thread import ServerThread as FeedThread
from viewer.net.web_assets import FeedLink, WebSite
from viewer.sources.demo import DemoSource

LIVE_DRIVER = PROJECT / "web" / "e2e" / "live.mjs"
FEED_TOKEN = "feed-token-for-the-browser-test"


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    return tiled_town(tmp_path_factory, 300, "web-live", "test town")


def _hsv(path: Path) -> np.ndarray:
    rgb = np.asarray(Image.open(path).convert("RGB"), np.float64)[40:-40, 40:-260] / 255.0  # no panels
    return np.vectorize(colorsys.rgb_to_hsv, signature="(),(),()->(),(),()")(rgb[..., 0], rgb[..., 1], rgb[..., 2])


def car_blue(path: Path) -> int:
    """Pixels of the car colour (2f6fd6, hue 218 degrees) lit or shaded: saturated blue."""
    h, s, v = _hsv(path)
    return int(np.count_nonzero((h * 360 > 208) & (h * 360 < 228) & (s > 0.6) & (v > 0.3)))


def changed(a: Path, b: Path) -> float:
    pa = np.asarray(Image.open(a).convert("RGB"), np.int16)[40:-40, 40:-260]
    pb = np.asarray(Image.open(b).convert("RGB"), np.int16)[40:-40, 40:-260]
    return float((np.abs(pa - pb).sum(axis=2) > 40).mean())


def test_page_draws_live_vehicles_and_coloured_buildings(town, tmp_path: Path) -> None:
    scene, tiles = town
    source = DemoSource.from_scene(scene, seed=3, vehicles=600, start_time=1767225600.0)
    now = time.time()
    with FeedThread(source, ServerOptions(port=0, token=FEED_TOKEN)).start() as feed:
        link_feed = FeedLink((feed.url,), FEED_TOKEN, lambda t: _valid(t))
        with ServerThread(SECRET, port=0, web=WebSite(tiles=tiles, feed=link_feed)) as server:
            port = server.server.port  # type: ignore[union-attr]
            ana = MeetingClient(f"ws://127.0.0.1:{port}/town", issue_token(SECRET, "town", "Ana", "host", 600, now)).start()
            try:
                wait_for(lambda: ana.state == LIVE or (ana.poll() and False), "the host joining")
                link = room_link(f"http://127.0.0.1:{port}", "town", issue_token(SECRET, "town", "Bo", "guest", 600, now))
                lo, hi = (np.asarray(v, float) for v in scene.model.bounds())
                centre = ((lo + hi) / 2).tolist()
                eye, target = [centre[0] - 90, centre[1] - 90, 70.0], [centre[0], centre[1], 0.0]
                driver = Driver("live.mjs", link, str(tmp_path), ",".join(map(str, eye)), ",".join(map(str, target)),
                                    "--timeout", "150")
                try:
                    live = driver.step("live", timeout=180)["feed"]
                    assert live["crs"] == source.crs and live["vehicles"] == 600
                    assert live["drawn"] > 0 and live["coloured"] > 50 and live["roads"] > 0
                    assert live["legends"] == ["Vehicle type", "Speed / free flow", "Power (kW)"]
                    ana.poll()
                    ana.send(SetLayer("vehicles", False))
                    driver.step("no-vehicles")
                    ana.send(SetLayer("roads", False))
                    ana.send(SetLayer("buildings", False))
                    off = driver.step("no-layers")["feed"]
                    assert off["coloured"] == 0 and off["drawn"] == 0
                    landed = driver.step("landed")
                    assert landed["pick"] is not None and landed["mode"] == "walk"
                    feet, pick = landed["camera"]["p"], landed["pick"]
                    assert np.allclose(feet, pick, atol=0.15), "G did not land where the view's centre meets the city"
                    assert landed["camera"]["pi"] == pytest.approx(0.0, abs=0.5)  # walking looks level
                    walked = driver.step("walked")["camera"]
                    h = np.radians(landed["camera"]["h"])
                    ahead = (np.asarray(walked["p"][:2]) - feet[:2]) @ [-np.sin(h), np.cos(h)]
                    assert ahead > 0.1, f"W moved the walker {ahead:.2f} m ahead"
                    assert walked["p"][2] == pytest.approx(feet[2], abs=0.45)  # on the floor, steps at most
                    flew = driver.step("flew")
                    assert flew["mode"] == "fly" and flew["camera"]["e"][2] > walked["e"][2] + 0.5
                finally:
                    driver.close()
            finally:
                ana.stop()
    shots = {name: tmp_path / f"{name}.png" for name in ("all", "no-vehicles", "no-layers")}
    with_cars, without = car_blue(shots["all"]), car_blue(shots["no-vehicles"])
    assert with_cars > 150 and with_cars > 3 * without, f"car pixels: {with_cars} with vehicles, {without} without"
    recoloured = changed(shots["no-vehicles"], shots["no-layers"])
    assert recoloured > 0.05, f"only {recoloured:.1%} of the view changed when the building and road layers went off"


def _valid(token: str) -> bool:
    try:
        verify_token(SECRET, token, time.time())
    except Exception:  # noqa: BLE001 - any refusal is "no"
        return False
    return True


def test_driver_reports_json_lines() -> None:
    """The driver's contract with this test: one JSON object per line (checked on its failure path)."""
    need_browser()
    import subprocess

    out = subprocess.run(["node", str(LIVE_DRIVER), "http://127.0.0.1:9/rooms/x/#token=t", "/tmp", "0,0,10", "0,0,0",
                          "--timeout", "3"], cwd=PROJECT / "web", capture_output=True, text=True, timeout=120)
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert out.returncode != 0 and lines[-1]["step"] == "failed"
