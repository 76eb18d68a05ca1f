"""A browser and a desktop client in one room, end to end: the real meeting server with its web side on
loopback serving a tiled test town, headless Chromium (Debian's `chromium`, driven by web/e2e/room.mjs with
npm's playwright-core) opening a `meet token --link` link, and a Python MeetingClient as the desktop. They see
each other, chat both ways, the browser points, the page draws the city, and the browser follows the host.
Skips when chromium, node or web/node_modules is missing."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from viewer.app.meet_cli import room_link
from viewer.city.demo import demo_scene
from viewer.city.scene import load_scene_models
from viewer.meeting.messages import ChatLine, FollowMe, Joined, Pointer, Pose, Presence, Say
from viewer.meeting.protocol import LIVE, Received
from viewer.meeting.tokens import issue_token
from viewer.net.meeting_client import MeetingClient
from viewer.net.meeting_server import ServerThread
from viewer.net.web_assets import WebSite, tile_scene

PROJECT = Path(__file__).resolve().parents[1]
DRIVER = PROJECT / "web" / "e2e" / "room.mjs"
CHROMIUM = "/usr/bin/chromium"
SECRET = b"web-e2e-test-secret-0123456789abc"
CLEAR = (0xA9, 0xC8, 0xE8)  # web/src/view.ts CLEAR_COLOUR
ANA_POSE = Pose((5.0, 6.0, 0.0), 30.0, (5.0, 6.0, 1.65), -10.0)


def need_browser() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium): the browser tests skip")
    if shutil.which("node") is None or not (PROJECT / "web" / "node_modules" / "playwright-core").is_dir():
        pytest.skip("node or web/node_modules (npm ci --prefix web) is missing: the browser tests skip")


@pytest.fixture(scope="module")
def town(tmp_path_factory) -> Path:
    need_browser()
    scene = load_scene_models(demo_scene(seed=5, buildings=300), use_cache=False)
    out = tmp_path_factory.mktemp("web") / "tiles"
    tile_scene(scene.model, scene.frame, out, "test town")
    return out


class Driver:
    """web/e2e/room.mjs in a subprocess; its JSON lines collected on a thread."""

    def __init__(self, link: str, shot: Path) -> None:
        self.proc = subprocess.Popen(["node", str(DRIVER), link, str(shot), "--timeout", "120"], cwd=PROJECT / "web",
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[dict] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def step(self, name: str, timeout: float = 150.0) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
                continue
            if line["step"] == "failed":
                raise AssertionError(f"the browser failed before {name!r}: {line['reason']}")
            if line["step"] == name:
                return line
        err = self.proc.stderr.read() if self.proc.poll() is not None and self.proc.stderr else ""
        raise AssertionError(f"no {name!r} step from the browser driver {err[-2000:]}")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)


def wait_for(predicate, what: str = "", timeout: float = 30.0, seen: list | None = None):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        result = predicate()
        if result:
            return result
        time.sleep(0.02)
    kinds = sorted({type(m).__name__ for m in seen or []})
    raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}; the desktop got {kinds}")


def test_browser_and_desktop_meet(town: Path, tmp_path: Path) -> None:
    """Each sees the other, chat goes both ways, the browser's pointer and poses reach the desktop, the page
    draws the city (pixels unlike the clear colour), and the browser's camera follows the host's eye."""
    now = time.time()
    with ServerThread(SECRET, port=0, web=WebSite(tiles=town)) as server:
        port = server.server.port  # type: ignore[union-attr]
        ana = MeetingClient(f"ws://127.0.0.1:{port}/town", issue_token(SECRET, "town", "Ana", "host", 600, now)).start()
        received: list = []
        done = threading.Event()

        def drain() -> None:  # keep the client's bounded queue drained while the browser starts
            while not done.is_set():
                received.extend(e.message for _, e in ana.poll() if isinstance(e, Received))
                time.sleep(0.02)
        threading.Thread(target=drain, daemon=True).start()

        def messages(kind):
            return [m for m in list(received) if isinstance(m, kind)]
        try:
            wait_for(lambda: ana.state == LIVE)
            ana.set_pose(ANA_POSE)
            ana.send(Say("hello from python"))
            link = room_link(f"http://127.0.0.1:{port}", "town", issue_token(SECRET, "town", "Bo", "guest", 600, now))
            driver = Driver(link, tmp_path / "page.png")
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
        finally:
            done.set()
            ana.stop()
