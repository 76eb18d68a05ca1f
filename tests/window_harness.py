"""A real window for tests: `citiverse view` under Xvfb, driven by xdotool's real key and mouse events.

    with RealWindow(tmp_path, [scene, "--camera", "overview"]) as win:
        win.key("g")
        state = win.wait_for(lambda s: s["mode"] == "walk" and not s["gliding"], "walk mode")
        pixels = win.screenshot()        # (h, w, 3) uint8, ImageMagick's `import -window`

What it relies on:
- Xvfb on a free display number (a lock file and a socket checked, as X itself does), xdotool for events
  (XTEST: the window gets the same events a keyboard and a mouse would send), ImageMagick's import.
  Missing tools skip the test (`needs_real_window`), they do not fail it.
- The window's test hook (viewer/app/state_dump.py): CITIVERSE_TEST_STATE=PATH makes it write its camera,
  mode and open panels as JSON a few times a second. Tests poll that file for the state they wait for, with
  a generous deadline that only bounds a hang (no sleeps that assume a speed: the machine may be loaded).
- A private HOME/XDG_CONFIG_HOME (no user controls file) and the test's folder as the working folder.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

TOOLS = ("Xvfb", "xdotool", "import")
needs_real_window = pytest.mark.skipif(any(shutil.which(t) is None for t in TOOLS),
                                       reason="needs Xvfb, xdotool and ImageMagick (installed by .ci/run)")
DEADLINE = 120.0  # seconds: a hang guard only; a loaded 2-core machine opens the window in a few seconds


def start_xvfb(width: int = 1920, height: int = 1080) -> tuple[subprocess.Popen, str]:
    """A fresh Xvfb and its display (":N") on a free display number (a lock file and a socket checked, as X
    itself does); a number taken meanwhile by another run makes Xvfb exit, and the next one is tried."""
    for number in range(91, 200):
        if Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
            continue
        server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20.0
        while server.poll() is None and not Path(f"/tmp/.X11-unix/X{number}").exists():
            if time.monotonic() > deadline:
                stop_xvfb(server)
                pytest.skip("Xvfb did not start")
            time.sleep(0.05)
        if server.poll() is None:
            return server, f":{number}"
    pytest.skip("no free X display number")


def stop_xvfb(server: subprocess.Popen) -> None:
    """SIGTERM, so Xvfb removes its lock file and socket (SIGKILL left them behind by the dozen)."""
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


class RealWindow:
    """`citiverse view ARGS` in a fresh Xvfb (see the module docstring); a context manager."""

    def __init__(self, folder: Path, args: list[str], screen: tuple[int, int] = (1920, 1080),
                 env: dict[str, str] | None = None) -> None:
        self.folder, self.args, self.screen = Path(folder), [str(a) for a in args], screen
        self.extra_env = env or {}
        self.state_file = self.folder / "window-state.json"
        self.server: subprocess.Popen | None = None
        self.view: subprocess.Popen | None = None
        self.window = ""
        self.env: dict[str, str] = {}
        self.stdout = self.stderr = ""

    # ------------------------------------------------------------ lifecycle

    def __enter__(self) -> RealWindow:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def start(self) -> None:
        self.server, display = start_xvfb(*self.screen)
        home = self.folder / "home"
        home.mkdir(exist_ok=True)
        self.env = {**os.environ, "DISPLAY": display, "CITIVERSE_TEST_STATE": str(self.state_file),
                    "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), **self.extra_env}
        self.env.pop("CITIVERSE_CONTROLS", None)
        self.view = subprocess.Popen([sys.executable, "-m", "viewer.cli", *self.args], env=self.env,
                                     cwd=self.folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self._until(self._find_window, DEADLINE, "the CitiVerse window")
        self.wait_for(lambda s: s["frame"] >= 2, "the window's first state")
        self.run("xdotool", "windowfocus", "--sync", self.window)

    def _find_window(self) -> bool:
        if self.view is not None and self.view.poll() is not None:
            raise AssertionError(f"citiverse view exited: {self.view.stderr.read() if self.view.stderr else ''}")
        found = self.run("xdotool", "search", "--name", "CitiVerse", check=False).stdout.split()
        self.window = found[0] if found else ""
        return bool(self.window)

    def quit(self) -> tuple[int, str, str]:
        """Q, then the exit code, stdout and stderr of the view."""
        assert self.view is not None
        self.key("q")
        self.stdout, self.stderr = self.view.communicate(timeout=60)
        return self.view.returncode, self.stdout, self.stderr

    def stop(self) -> None:
        if self.view is not None and self.view.poll() is None:
            self.view.kill()
            self.view.communicate(timeout=30)
        if self.server is not None:
            stop_xvfb(self.server)

    # ------------------------------------------------------------ state

    def state(self) -> dict[str, Any]:
        """The window's last written state (app/state_dump.py); {} before the first."""
        try:
            return json.loads(self.state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def wait_for(self, check: Callable[[dict[str, Any]], bool], what: str, timeout: float = DEADLINE,
                 after: int | None = None) -> dict[str, Any]:
        """Poll the state until check(state) holds (a state written after frame `after` when given)."""
        result: dict[str, Any] = {}

        def ready() -> bool:
            nonlocal result
            state = self.state()
            fresh = bool(state) and (after is None or state["frame"] > after)
            if fresh and check(state):
                result = state
                return True
            return False

        self._until(ready, timeout, what)
        return result

    def settled(self, what: str = "the view to settle") -> dict[str, Any]:
        """The state once no glide is under way, written after this call."""
        now = self.state().get("frame", 0)
        return self.wait_for(lambda s: not s["gliding"], what, after=now)

    def _until(self, check: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            if self.view is not None and self.view.poll() is not None:
                raise AssertionError(f"citiverse view exited while waiting for {what}: "
                                     f"{self.view.stderr.read() if self.view.stderr else ''}")
            if time.monotonic() > deadline:
                state = self.state()
                raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}; last state "
                                     f"{json.dumps(state)[:600]}; feed {json.dumps(state.get('feed'))[:400]}")
            time.sleep(0.05)

    # ------------------------------------------------------------ input

    def run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(list(command), env=self.env, capture_output=True, text=True, timeout=60, check=check)

    def key(self, *names: str) -> None:
        """Press and release keys (xdotool names: "g", "shift+g", "F12", "slash", "Escape", "Return")."""
        self.run("xdotool", "key", "--delay", "60", *names)

    def type(self, text: str) -> None:
        self.run("xdotool", "type", "--delay", "60", text)

    def key_down(self, name: str) -> None:
        self.run("xdotool", "keydown", name)

    def key_up(self, name: str) -> None:
        self.run("xdotool", "keyup", name)

    def move(self, x: float, y: float) -> None:
        """The pointer to pixel (x, y) of the window."""
        self.run("xdotool", "mousemove", "--window", self.window, str(round(x)), str(round(y)))

    def click(self, x: float, y: float, button: int = 1, repeat: int = 1) -> None:
        self.move(x, y)
        frame = self.state().get("frame", 0)
        self.wait_for(lambda s: True, "a frame with the pointer there", after=frame)  # the window saw it
        self.run("xdotool", "click", "--repeat", str(repeat), "--delay", "120", str(button))

    # ------------------------------------------------------------ pixels

    def screenshot(self) -> np.ndarray:
        """The window's pixels now, (h, w, 3) uint8."""
        from PIL import Image

        out = self.folder / f"import-{time.monotonic_ns()}.png"
        self.run("import", "-window", self.window, str(out))
        with Image.open(out) as png:
            return np.asarray(png.convert("RGB"))


def project(state: dict[str, Any], point: Any) -> tuple[float, float]:
    """Pixel (x, y) of a local point in the window, from the camera the state reports (a pinhole camera:
    vertical fov `fov`, the window's aspect; Panda3D headings, 0 north, counter-clockwise)."""
    h, p = (math.radians(v) for v in state["hpr"][:2])
    forward = np.array([-math.sin(h) * math.cos(p), math.cos(h) * math.cos(p), math.sin(p)])
    right = np.cross(forward, [0.0, 0.0, 1.0])
    right /= np.linalg.norm(right)
    up = np.cross(right, forward)
    d = np.asarray(point, np.float64) - np.asarray(state["camera"], np.float64)
    w, hgt = state["size"]
    tan_v = math.tan(math.radians(state["fov"]) / 2)
    tan_h = tan_v * w / hgt
    depth = float(d @ forward)
    x, y = float(d @ right) / (depth * tan_h), float(d @ up) / (depth * tan_v)
    return (x + 1) / 2 * w, (1 - y) / 2 * hgt


def centre_ray_ground(state: dict[str, Any], z: float = 0.0) -> np.ndarray:
    """Where the view's centre ray meets the plane at height z."""
    h, p = (math.radians(v) for v in state["hpr"][:2])
    forward = np.array([-math.sin(h) * math.cos(p), math.cos(h) * math.cos(p), math.sin(p)])
    eye = np.asarray(state["camera"], np.float64)
    return eye + forward * (z - eye[2]) / forward[2]
