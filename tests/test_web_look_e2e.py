"""A scene's own look in the browser, end to end: a feed server (the demo source on a tiled test town) and the
meeting server serving the page with the styles and bookmarks of a scene file (tests/web_style_vectors.py's:
buildings on magma over 0..200 kW with an alert at 180, roads in the scene's own speed bands in km/h, two
bookmarks), headless Chromium (web/e2e/look.mjs). Each live building and road takes in the page the colour the
desktop's style (layers/styles.py, what its legend shows) gives its reading; the legends carry the scene's
units; a click on a bookmark in the Views panel flies the camera to it. Skips without chromium or node."""

from __future__ import annotations

import time

import numpy as np
import pytest

from tests.web_harness import Driver, tiled_town
from tests.web_style_vectors import scene_look
from viewer.app.meet_cli import room_link
from viewer.layers.styles import LayerStyle
from viewer.meeting.tokens import issue_token
from viewer.net.feed_server import ServerOptions
from viewer.net.meeting_server import ServerThread
from viewer.net.server_thread import ServerThread as FeedThread
from viewer.net.web_assets import FeedLink, WebSite
from viewer.sources.demo import DemoSource

SECRET = b"web-look-e2e-test-secret-0123456789"


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    return tiled_town(tmp_path_factory, 120, "web-look", "styled town")


def desktop_rgb(style: LayerStyle, values: dict[str, float | None]) -> list[int]:
    value = values.get(style.attribute)
    return [int(c) for c in style.rgba(np.array([np.nan if value is None else value]))[0][:3]]


def test_the_page_colours_as_the_scene_says(town) -> None:
    scene, tiles = town
    config, look = scene_look()
    source = DemoSource.from_scene(scene, seed=3, vehicles=50, start_time=1767225600.0)
    now = time.time()
    with FeedThread(source, ServerOptions(port=0)).start() as feed, \
            ServerThread(SECRET, port=0, web=WebSite(tiles=tiles, feed=FeedLink((feed.url,), None, lambda _: True),
                                                     look=look)) as server:
        port = server.server.port  # type: ignore[union-attr]
        link = room_link(f"http://127.0.0.1:{port}", "town", issue_token(SECRET, "town", "Bo", "guest", 600, now))
        driver = Driver("look.mjs", link, "--timeout", "150")
        try:
            live = driver.step("live", timeout=180)
            assert live["legends"] == ["Vehicle type", "Speed (km/h)", "Power (kW)"]
            assert live["bookmarks"] == ["tower", "street"]
            for layer in ("buildings", "roads"):
                style = LayerStyle(layer, getattr(config.layers, layer))
                samples = live[layer]
                assert samples, f"no {layer} readings in the page"
                wrong = [(s["id"], s["values"], s["rgb"], desktop_rgb(style, s["values"])) for s in samples
                         if s["rgb"] != desktop_rgb(style, s["values"])]
                assert not wrong, f"{layer} coloured unlike the desktop: {wrong[:5]}"
            kinds = {tuple(s["rgb"]) for s in live["buildings"]}
            assert len(kinds) > 1, "every building took one colour: the ramp was not used"
            flew = driver.step("flew")
            assert flew["camera"]["e"] == pytest.approx([10.0, -20.0, 45.0], abs=0.05)
            assert flew["target"] == pytest.approx([0.0, 0.0, 5.0], abs=0.05)
        finally:
            driver.close()
