"""Driving a live window from another process (viewer/app/control_channel.py, viewer.api.Window): a real
`citiverse view --control auto` under Xvfb moved, flown and photographed through the channel; a wrong token
and a non-loopback bind refused; hostile requests answered with an error, not a closed window."""

from __future__ import annotations

import json
import socket
import stat
import time
from pathlib import Path

import numpy as np
import pytest
from window_harness import RealWindow, needs_real_window

from viewer import api
from viewer.app.control_channel import ControlChannel, ControlRequest, check_loopback, parse_port
from viewer.cli import main
from viewer.errors import ConfigError, PeerError

SCENE = """
[scene]
name = "Control town"
crs = "EPSG:28992"
origin = [92540.0, 437500.0]

[[sources]]
format = "procedural"
seed = 7
size = 200

[cameras.overview]
position = [-700.0, -800.0, 650.0]
look_at = [0.0, 0.0, 0.0]
fov = 45
"""
START = 1.8e9


def test_only_loopback_addresses_are_bound() -> None:
    """The channel refuses any host that is not loopback before a socket exists."""
    assert check_loopback("127.0.0.1") == "127.0.0.1" and check_loopback("::1") == "::1"
    assert check_loopback("localhost") == "127.0.0.1"
    for host in ("0.0.0.0", "192.168.1.10", "::", "example.org"):
        with pytest.raises(ConfigError):
            check_loopback(host)
    with pytest.raises(ConfigError, match="refusing to bind 0.0.0.0: .*loopback only"):
        ControlChannel(None, None, ControlRequest(host="0.0.0.0"))  # type: ignore[arg-type]


def test_port_is_a_number_or_auto(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`--control` takes 1-65535 or auto; anything else is one line on stderr, exit 2, before loading."""
    assert parse_port("auto") == 0 and parse_port("8770") == 8770
    scene = tmp_path / "town.toml"
    scene.write_text(SCENE)
    assert main(["view", str(scene), "--control", "70000"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == "citiverse: error: --control: expected a port 1-65535 or auto, got '70000'"
    assert main(["view", str(scene), "--control-file", str(tmp_path / "c.json")]) == 2
    assert "give --control" in capsys.readouterr().err


@pytest.fixture
def town(tmp_path: Path) -> tuple[Path, Path]:
    scene = tmp_path / "town.toml"
    scene.write_text(SCENE)
    loaded = api.open_scene(scene)
    feed = api.record_demo_feed(loaded, tmp_path / "town.feed.jsonl.gz", seconds=30, vehicles=60,
                                start_time=START)
    return scene, feed


def _wait_file(path: Path, win: RealWindow) -> None:
    deadline = time.monotonic() + 120
    while not path.exists():
        assert win.view is not None and win.view.poll() is None, "the window exited"
        assert time.monotonic() < deadline, "no control file"
        time.sleep(0.1)


def _settle(window: api.Window) -> dict:
    """The state once no glide is under way (the deadline bounds a hang only)."""
    deadline = time.monotonic() + 120
    while (state := window.state())["gliding"]:
        assert time.monotonic() < deadline, "the glide never ended"
        time.sleep(0.1)
    return state


@needs_real_window
def test_a_real_window_driven_through_the_channel(town: tuple[Path, Path], tmp_path: Path) -> None:
    """Move the camera, fly to a building, hide a layer, seek the recording, drop a pin and take screenshots
    through the channel; a wrong token is refused and the right one still works after it."""
    scene, feed = town
    control = tmp_path / "control.json"
    args = ["view", scene, "--camera", "overview", "--feed", feed, "--control", "auto", "--control-file", control]
    with RealWindow(tmp_path, args) as win:
        _wait_file(control, win)
        assert stat.S_IMODE(control.stat().st_mode) == 0o600
        data = json.loads(control.read_text())
        port, token = data["port"], data["token"]

        with pytest.raises(PeerError, match="wrong or missing token"):
            api.Window.connect(port, "not-the-token")

        with api.Window.from_file(control) as window:
            down = api.Pose(position=(0.0, -1.0, 900.0), look_at=(0.0, 0.0, 0.0), fov=50.0)
            window.move(down)
            state = window.state()
            assert np.allclose(state["camera"], down.position, atol=0.5)
            ground = window.screenshot(tmp_path / "shots" / "down.png")
            w, h = state["size"]
            assert ground.image.shape == (h, w, 3) and (tmp_path / "shots" / "down.png").is_file()

            window.move(api.Pose(position=(0.0, 0.0, 20.0), look_at=(0.0, 300.0, 400.0), fov=50.0))
            sky = window.screenshot()
            centre = (slice(h // 3, 2 * h // 3), slice(w // 3, 2 * w // 3))
            assert np.abs(sky.image[centre].astype(int) - ground.image[centre].astype(int)).mean() > 20

            target = api.open_scene(scene).object("bldg-000010")
            reply = window.fly_to("bldg-000010")
            assert np.allclose(reply["look_at"], target.centre, atol=0.01)
            state = _settle(window)
            assert np.linalg.norm(np.subtract(state["camera"], target.centre)) < 450

            assert window.show_layer("vehicles", False) == {"visible": False}
            assert window.state()["layers"]["vehicles"] is False
            window.set_feed_time(START + 20)
            deadline = time.monotonic() + 120
            while abs((window.state()["feed_time"] or 0) - (START + 20)) > 2:
                assert time.monotonic() < deadline, "the feed never reached the time set"
                time.sleep(0.1)

            reply = window.pin((1.0, 2.0, 3.0), "meet here")
            assert reply["pins"] == 1 and "meet here" in Path(reply["file"]).read_text()

            with pytest.raises(PeerError, match="unknown command 'explode'"):
                window._client.call("explode")
            with pytest.raises(PeerError, match="no object 'nope'"):
                window.fly_to("nope")
            with pytest.raises(PeerError, match=r"position: expected a number"):
                window.move(api.Pose(position=(float("nan"), 0.0, 0.0), look_at=(0.0, 0.0, 0.0), fov=50.0))
            assert window.state()["mode"] == "orbit"  # still answering after the bad requests
        code, out, _ = win.quit()
    assert code == 0 and f"control: 127.0.0.1:{port} (token in {control})" in out
    assert token not in out and not control.exists()  # the token is never printed; the file goes with the window


@needs_real_window
def test_a_hostile_client_gets_an_error_line(town: tuple[Path, Path], tmp_path: Path) -> None:
    """Garbage before the token and an oversized line are answered with an error and the connection closed;
    the window keeps serving others."""
    scene, _ = town
    control = tmp_path / "control.json"
    with RealWindow(tmp_path, ["view", scene, "--control", "auto", "--control-file", control]) as win:
        _wait_file(control, win)
        data = json.loads(control.read_text())
        with socket.create_connection(("127.0.0.1", data["port"]), timeout=60) as sock:
            sock.sendall(b"GET / HTTP/1.1\r\n\r\n")
            reply = json.loads(sock.makefile("rb").readline())
            assert reply["ok"] is False and "token" in reply["error"]
        with socket.create_connection(("127.0.0.1", data["port"]), timeout=60) as sock:
            sock.sendall(json.dumps({"token": data["token"]}).encode() + b"\n" + b"x" * 70_000 + b"\n")
            lines = sock.makefile("rb")
            assert json.loads(lines.readline())["ok"] is True
            assert "longer than" in json.loads(lines.readline())["error"]
        with api.Window.connect(data["port"], data["token"]) as window:
            assert window.state()["mode"] == "orbit"
