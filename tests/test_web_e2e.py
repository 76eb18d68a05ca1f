"""A browser and a desktop client in one room, end to end: the real meeting server with its web side on
loopback serving a tiled test town, headless Chromium (Debian's `chromium`, driven by web/e2e/room.mjs with
npm's playwright-core) opening a `meet token --link` link, and a Python MeetingClient as the desktop. They see
each other, chat both ways, the browser points, the page draws the city, and the browser follows the host.
Skips when chromium, node or web/node_modules is missing."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.web_harness import Driver, hosted_room, tiled_town, wait_for
from viewer.app.meet_cli import room_link
from viewer.meeting.messages import ChatLine, FollowMe, Joined, Pointer, Pose, Presence, Say
from viewer.meeting.protocol import LIVE
from viewer.meeting.tokens import issue_token
from viewer.net.web_assets import WebSite

SECRET = b"web-e2e-test-secret-0123456789abc"
CLEAR = (0xA9, 0xC8, 0xE8)  # web/src/view.ts CLEAR_COLOUR
ANA_POSE = Pose((5.0, 6.0, 0.0), 30.0, (5.0, 6.0, 1.65), -10.0)


@pytest.fixture(scope="module")
def town(tmp_path_factory) -> Path:
    return tiled_town(tmp_path_factory, 300, "web", "test town")[1]


def test_browser_and_desktop_meet(town: Path, tmp_path: Path) -> None:
    """Each sees the other, chat goes both ways, the browser's pointer and poses reach the desktop, the page
    draws the city (pixels unlike the clear colour), and the browser's camera follows the host's eye."""
    now = time.time()
    with hosted_room(SECRET, WebSite(tiles=town), now) as (server, port, ana, received):

        def messages(kind):
            return [m for m in list(received) if isinstance(m, kind)]

        wait_for(lambda: ana.state == LIVE)
        ana.set_pose(ANA_POSE)
        ana.send(Say("hello from python"))
        link = room_link(f"http://127.0.0.1:{port}", "town", issue_token(SECRET, "town", "Bo", "guest", 600, now))
        driver = Driver("room.mjs", link, str(tmp_path / "page.png"), "--timeout", "120")
        try:
            joined = driver.step("joined")
            assert joined["me"]["name"] == "Bo" and "token" not in joined["address"]
            seen = driver.step("saw-desktop")
            (desk,) = [p for p in seen["participants"] if p["name"] == "Ana"]
            assert desk["role"] == "host" and desk["pose"]["p"] == pytest.approx([5.0, 6.0, 0.0])
            assert any(c["text"] == "hello from python" and c["name"] == "Ana" for c in seen["chat"])

            bo = wait_for(lambda: [m.participant for m in messages(Joined) if m.participant.name == "Bo"],
                          "the browser's join", seen=received)[0]
            wait_for(lambda: [m for m in messages(Presence) if m.sender == bo.id], "the browser's poses", seen=received)
            driver.step("chatted")
            wait_for(lambda: [m for m in messages(ChatLine) if m.sender == bo.id and m.text == "hello from the browser"],
                     "the browser's chat", seen=received)
            pick = driver.step("pointed")["pick"]
            assert pick is not None, "P over the middle of the view hit neither the city nor the ground"
            ray = wait_for(lambda: [m.ray for m in messages(Pointer) if m.sender == bo.id and m.ray],
                           "the browser's pointer", seen=received)[0]
            assert np.allclose(ray.target, pick, atol=0.01)

            drawn = driver.step("drawn")
            assert drawn["tilesLoaded"] >= 1
            pixels = np.asarray(Image.open(tmp_path / "page.png").convert("RGB"), np.int16)[60:-120, 220:-20]
            differs = np.abs(pixels - np.array(CLEAR)).sum(axis=2) > 30
            assert differs.mean() > 0.2, f"only {differs.mean():.0%} of the view is not the clear colour"

            ana.send(FollowMe(True))
            followed = driver.step("followed")
            assert followed["camera"]["e"] == pytest.approx([5.0, 6.0, 1.65], abs=0.05)
            assert followed["camera"]["h"] == pytest.approx(30.0, abs=0.5)
            assert followed["camera"]["pi"] == pytest.approx(-10.0, abs=0.5)
        finally:
            driver.close()
