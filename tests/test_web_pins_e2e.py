"""The room's pins between a browser and a desktop client, end to end: the real meeting server with its web
side on loopback serving a tiled test town, headless Chromium (web/e2e/pins.mjs, npm's playwright-core)
opening a `meet token --link` link as a guest, and a Python MeetingClient as the host. The host's pin from
before the page joined arrives in the page's first room state, its note shows beside the marker under the
mouse, a live pin appears, the page's Insert + note reaches the desktop at the picked point, the page's
Delete unpins its own pin, a click in the pins panel flies there, and the host's unpin reaches the page.
Skips when chromium, node or web/node_modules is missing."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from tests.web_harness import Driver, hosted_room, tiled_town, wait_for
from viewer.app.meet_cli import room_link
from viewer.meeting.messages import DropPin, Joined, Notice, PinRemoved, Pose, RoomPin, Unpin
from viewer.meeting.protocol import LIVE
from viewer.meeting.tokens import issue_token
from viewer.net.web_assets import WebSite

SECRET = b"web-pins-e2e-test-secret-0123456789"


@pytest.fixture(scope="module")
def town(tmp_path_factory) -> Path:
    return tiled_town(tmp_path_factory, 300, "web-pins", "pin town")[1]


def town_centre(port: int) -> tuple[float, float, float]:
    """The middle of the town's box on its ground (local metres), from the page's /scene.json."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/scene.json", timeout=30) as reply:
        bounds = json.load(reply)["bounds"]
    lo, hi = bounds["min"], bounds["max"]
    return ((lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, lo[2])


def test_pins_between_browser_and_desktop(town: Path) -> None:
    """Late join with pins, hover note, live pin, the page's pin and unpin reach the desktop, fly-to, host unpin."""
    now = time.time()
    with hosted_room(SECRET, WebSite(tiles=town), now) as (server, port, ana, received):

        def messages(kind):
            return [m for m in list(received) if isinstance(m, kind)]

        driver = None
        try:
            wait_for(lambda: ana.state == LIVE, "the desktop going live")
            ana.set_pose(Pose((-40.0, -40.0, 0.0), 0.0, (-40.0, -40.0, 1.65)))  # a silent client is timed out by the server after 5 s
            centre = town_centre(port)
            ana.send(DropPin(centre, "before you came", "bldg-1"))
            first = wait_for(lambda: [m for m in messages(RoomPin) if m.note == "before you came"], "the host's pin",
                             seen=received)[0]
            link = room_link(f"http://127.0.0.1:{port}", "town", issue_token(SECRET, "town", "Bo", "guest", 600, now))
            driver = Driver("pins.mjs", link, "--timeout", "150", step_timeout=180.0)

            joined = driver.step("joined")
            (pin,) = joined["pins"]
            assert (pin["id"], pin["name"], pin["note"], pin["object"]) == (first.id, "Ana", "before you came", "bldg-1")
            assert pin["p"] == pytest.approx(list(centre)) and not pin["removable"]
            assert driver.step("hovered")["tip"] == "before you came (Ana)"

            ana.send(DropPin((centre[0] + 20, centre[1], centre[2]), "second"))
            live = driver.step("saw-live")
            assert [r["text"] for r in live["rows"]] == ["before you came (Ana)", "second (Ana)"]
            assert not any(r["remove"] for r in live["rows"]), "a guest is offered to remove the host's pins"
            second = wait_for(lambda: [m for m in messages(RoomPin) if m.note == "second"], "the second pin", seen=received)[0]

            wait_for(lambda: [m for m in messages(Joined) if m.participant.name == "Bo"], "the browser's join", seen=received)
            pick = driver.step("pinned")["pick"]
            assert pick is not None, "Insert over the middle of the view hit neither the city nor the ground"
            assert pick["object"], "the pin over the town's middle names no object (the tiles' feature ids)"
            mine = driver.step("mine")
            # by name: a page stalled past the server's 5-s silence rule on a busy machine rejoins, maybe as a new id
            theirs = wait_for(lambda: [m for m in messages(RoomPin) if m.name == "Bo"], "the browser's pin",
                              seen=received)[0]
            bo_ids = {m.participant.id for m in messages(Joined) if m.participant.name == "Bo"}
            assert theirs.sender in bo_ids
            assert (theirs.name, theirs.note, theirs.object) == ("Bo", "from the browser", pick["object"])
            assert np.allclose(theirs.position, pick["point"], atol=0.01)
            assert [r["remove"] for r in mine["rows"]] == [False, False, True]

            assert driver.step("unpinned")["pin"] == theirs.id
            removed = wait_for(lambda: [m for m in messages(PinRemoved) if m.pin == theirs.id], "the browser's unpin",
                               seen=received)[0]
            assert removed.sender in {m.participant.id for m in messages(Joined) if m.participant.name == "Bo"}

            flew = driver.step("flew")
            assert flew["target"] == pytest.approx(list(centre), abs=0.05)

            ana.send(Unpin(second.id))
            gone = driver.step("saw-unpin")
            assert [p["id"] for p in gone["pins"]] == [first.id]
            assert not messages(Notice), f"the server refused something: {messages(Notice)}"
        finally:
            if driver is not None:
                driver.close()
