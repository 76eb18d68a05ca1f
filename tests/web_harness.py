"""What the browser end-to-end tests (tests/test_web_*_e2e.py) share: the skip when headless Chromium or node is
missing, a tiled demo town for the meeting server's web side, a web/e2e/*.mjs driver in a subprocess whose JSON
step lines are read on a thread, a host client's messages drained on a thread, and a poll with a generous deadline (no timing is ever asserted)."""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from viewer.city.demo import demo_scene
from viewer.city.scene import load_scene_models
from viewer.meeting.protocol import Received
from viewer.meeting.tokens import issue_token
from viewer.net.meeting_client import MeetingClient
from viewer.net.meeting_server import ServerThread
from viewer.net.web_assets import tile_scene

PROJECT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
# Steps a driver reports when the page goes wrong before it fails: named in the failure message.
PAGE_TROUBLE = ("page-error", "socket-closed", "socket-error", "socket-silent")


def need_browser() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium is not installed (apt-get install chromium): the browser tests skip")
    if shutil.which("node") is None or not (PROJECT / "web" / "node_modules" / "playwright-core").is_dir():
        pytest.skip("node or web/node_modules (npm ci --prefix web) is missing: the browser tests skip")


def tiled_town(tmp_path_factory, buildings: int, folder: str, title: str):
    """A demo town of `buildings` (seed 5) and its tiles for WebSite: (scene, tiles folder). Skips without a browser."""
    need_browser()
    scene = load_scene_models(demo_scene(seed=5, buildings=buildings), use_cache=False)
    out = tmp_path_factory.mktemp(folder) / "tiles"
    tile_scene(scene.model, scene.frame, out, title)
    return scene, out


def drained(client) -> tuple[list, threading.Event]:
    """The messages a started MeetingClient receives, collected on a thread that keeps its bounded queue drained
    (the host would otherwise fill it while the browser starts), until the returned event is set."""
    received: list = []
    done = threading.Event()

    def drain() -> None:
        while not done.is_set():
            received.extend(e.message for _, e in client.poll() if isinstance(e, Received))
            time.sleep(0.02)
    threading.Thread(target=drain, daemon=True).start()
    return received, done


@contextmanager
def hosted_room(secret: bytes, web, now: float) -> Iterator[tuple[ServerThread, int, MeetingClient, list]]:
    """A meeting server on loopback with its web side `web`, and Ana connected to room "town" as host, her
    messages drained into a list: (server, port, Ana, received). Ana leaves and the server stops after."""
    with ServerThread(secret, port=0, web=web) as server:
        port = server.server.port  # type: ignore[union-attr]
        ana = MeetingClient(f"ws://127.0.0.1:{port}/town", issue_token(secret, "town", "Ana", "host", 600, now)).start()
        received, done = drained(ana)
        try:
            yield server, port, ana, received
        finally:
            done.set()
            ana.stop()


class Driver:
    """A web/e2e/*.mjs script run by node in a subprocess; its JSON lines collected on a thread."""

    def __init__(self, script: str, *args: str, step_timeout: float = 150.0) -> None:
        self.proc = subprocess.Popen(["node", str(PROJECT / "web" / "e2e" / script), *args], cwd=PROJECT / "web",
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.step_timeout = step_timeout
        self.lines: queue.Queue[dict] = queue.Queue()
        self.errors: list[str] = []  # the page's uncaught errors and socket troubles, named in a failure
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(json.loads(line))

    def step(self, name: str, timeout: float | None = None) -> dict:
        """The driver's next line of step `name`; AssertionError if it fails, exits or is silent first."""
        end = time.monotonic() + (self.step_timeout if timeout is None else timeout)
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
                continue
            if line["step"] in PAGE_TROUBLE:
                self.errors.append(str(line))
            if line["step"] == "failed":
                errors = f" (page errors: {self.errors})" if self.errors else ""
                raise AssertionError(f"the browser failed before {name!r}: {line['reason']}{errors}")
            if line["step"] == name:
                return line
        err = self.proc.stderr.read() if self.proc.poll() is not None and self.proc.stderr else ""
        raise AssertionError(f"no {name!r} step from the browser driver {err[-2000:]}")

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)


def wait_for(predicate, what: str = "", timeout: float = 30.0, seen: list | None = None):
    """The first truthy result of `predicate`, polled until a generous deadline (no timing is asserted)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        result = predicate()
        if result:
            return result
        time.sleep(0.02)
    kinds = sorted({type(m).__name__ for m in seen or []})
    raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}; the desktop got {kinds}")
