"""A page whose main thread stalls past the server's 5-s silence rule, end to end: the real meeting server with
its web side on loopback, headless Chromium (web/e2e/stall.mjs) busy-looping the page's main thread for 8 s
(as a long SwiftShader frame under load would), and a Python MeetingClient as the host watching. The page's
websocket lives in a worker (web/src/socket_worker.ts), whose keepalive is not starved: the server does not
drop the page, which comes back live with its id, its chat line and its pin. Skips when chromium, node or
web/node_modules is missing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.web_harness import Driver, hosted_room, tiled_town
from viewer.app.meet_cli import room_link
from viewer.meeting.messages import Left, Pose
from viewer.meeting.protocol import LIVE
from viewer.meeting.tokens import issue_token
from viewer.net.web_assets import WebSite

SECRET = b"web-stall-e2e-test-secret-0123456789"
STALL = 8.0  # seconds of busy main thread: beyond the server's 5-s silence limit


@pytest.fixture(scope="module")
def town(tmp_path_factory) -> Path:
    return tiled_town(tmp_path_factory, 30, "web-stall", "stall town")[1]


def test_a_stalled_page_stays_in_the_room(town: Path) -> None:
    """8 s of busy main thread: not dropped by the silence rule; live after it with the same id, chat and pin."""
    now = time.time()
    with hosted_room(SECRET, WebSite(tiles=town), now) as (server, port, ana, received):
        hub = server.server.hub  # type: ignore[union-attr]
        link = room_link(f"http://127.0.0.1:{port}", "town", issue_token(SECRET, "town", "Bo", "guest", 600, now))
        driver = Driver("stall.mjs", link, "--stall", str(STALL), "--timeout", "120")
        try:
            end = time.monotonic() + 30
            while ana.state != LIVE and time.monotonic() < end:
                time.sleep(0.02)
            ana.set_pose(Pose((-40.0, -40.0, 0.0), 0.0, (-40.0, -40.0, 1.65)))  # the host keeps itself alive
            joined = driver.step("joined")
            assert joined["thread"] == "worker", "the page's websocket is not in a worker"
            driver.step("said")
            assert driver.step("stalled")["status"] == "live"
            back = driver.step("back")
            assert back["me"]["id"] == joined["me"]["id"]
            assert [c["text"] for c in back["chat"]] == ["before the stall"]
            assert [(p["note"], p["mine"]) for p in back["pins"]] == [("kept", True)]
            assert back["rejoins"] == 0
            dropped = server.call(lambda: hub.counters["dropped:timeout"])
            lefts = [m for m in list(received) if isinstance(m, Left)]
            assert dropped == 0 and not lefts, f"the server dropped the stalled page: {lefts}"
        finally:
            driver.close()
