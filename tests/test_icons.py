"""Icons shipped in assets/icons/ and found at run time: drawn by bench/make_icons.py (no copied art), the
window's icon on a real X11 window (_NET_WM_ICON, read back with xprop under Xvfb), the web page's favicon
over a real loopback server."""

from __future__ import annotations

import io
import logging
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from viewer.app import window_icon
from viewer.app.window_icon import APP_ICON_SIZES, ICONS, app_icon, net_wm_icon_data

ROOT = Path(__file__).resolve().parent.parent
FAVICON_SIZES = {(16, 16), (32, 32), (48, 48)}


def test_the_icons_are_what_the_script_draws(tmp_path: Path) -> None:
    """Every shipped icon is reproduced pixel for pixel by bench/make_icons.py: the drawing is ours."""
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_icons.py"), "--out", str(tmp_path)], check=True,
                   capture_output=True, timeout=300)
    made = sorted(p.name for p in tmp_path.iterdir())
    assert made == sorted(p.name for p in ICONS.iterdir() if p.suffix in (".png", ".svg", ".ico"))
    for name in made:
        if name.endswith(".png"):
            assert np.array_equal(np.asarray(Image.open(tmp_path / name)), np.asarray(Image.open(ICONS / name))), name
        elif name.endswith(".svg"):
            assert (tmp_path / name).read_text() == (ICONS / name).read_text()
    assert set(Image.open(ICONS / "favicon.ico").info["sizes"]) == FAVICON_SIZES


def test_net_wm_icon_data_is_width_height_then_argb_rows() -> None:
    data = net_wm_icon_data([app_icon(16), app_icon(32)])
    assert data.dtype == np.uint32 and data.size == 2 + 16 * 16 + 2 + 32 * 32
    assert data[:2].tolist() == [16, 16] and data[2 + 256:2 + 258].tolist() == [32, 32]
    rgba = np.asarray(Image.open(app_icon(16)).convert("RGBA"), np.uint32)[0, 0]
    assert data[2] == (rgba[3] << 24 | rgba[0] << 16 | rgba[1] << 8 | rgba[2])


def test_a_missing_icon_is_one_warning_and_no_icon(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(window_icon, "ICONS", tmp_path)
    with caplog.at_level(logging.WARNING, logger="viewer.app.window_icon"):
        assert window_icon.set_window_icon(base=None) is False  # never touches the window
    assert [r.getMessage() for r in caplog.records] == [
        f"{tmp_path / 'citiverse-16.png'}: the window icon is missing; reinstall citiverse"]


def _xprop_icons(window: str, env: dict[str, str]) -> dict[tuple[int, int], np.ndarray]:
    """_NET_WM_ICON of X window `window` as xprop reads it back: {(w, h): (h, w) uint32 ARGB}."""
    out = subprocess.run(["xprop", "-len", "4000000", "-id", window, "-notype", "-f", "_NET_WM_ICON", "32c", "_NET_WM_ICON"],
                         capture_output=True, text=True, env=env, timeout=30).stdout
    numbers = [int(n) for n in re.findall(r"\d+", out.partition("=")[2])]
    icons, at = {}, 0
    while at + 2 <= len(numbers):
        w, h = numbers[at], numbers[at + 1]
        icons[(w, h)] = np.array(numbers[at + 2:at + 2 + w * h], np.uint32).reshape(h, w)
        at += 2 + w * h
    return icons


def test_the_window_shows_the_app_icon(tmp_path: Path) -> None:
    """`citiverse view` under Xvfb: the window's _NET_WM_ICON (what taskbars and switchers show) holds every
    size of the app icon, pixel for pixel (Panda3D's own set_icon_filename sets nothing on X11)."""
    from test_window_real import SCENE
    from window_harness import RealWindow, needs_real_window

    if needs_real_window.args[0]:
        pytest.skip(needs_real_window.kwargs["reason"])
    town = tmp_path / "town.toml"
    town.write_text(SCENE)
    with RealWindow(tmp_path, ["view", town, "--camera", "overview"]) as win:
        win.settled()
        icons = _xprop_icons(win.window, win.env)
    assert sorted(icons) == [(s, s) for s in APP_ICON_SIZES]
    expected = net_wm_icon_data([app_icon(32)])[2:].reshape(32, 32)
    assert np.array_equal(icons[(32, 32)], expected)


def test_the_web_page_gets_the_favicon(tmp_path: Path) -> None:
    """GET /favicon.ico on a real meeting server with its web side: the app icon as an ICO (no bundle rebuild)."""
    from viewer.net.meeting_server import ServerThread
    from viewer.net.web_assets import WebSite

    with ServerThread(b"icons-test-secret-0123456789abcdef", port=0, web=WebSite()) as server:
        url = f"http://127.0.0.1:{server.server.port}/favicon.ico"  # type: ignore[union-attr]
        with urllib.request.urlopen(url, timeout=10) as reply:
            status, kind, body = reply.status, reply.headers["Content-Type"], reply.read()
    assert status == 200 and kind == "image/x-icon"
    assert body == (ICONS / "favicon.ico").read_bytes()
    assert set(Image.open(io.BytesIO(body)).info["sizes"]) == FAVICON_SIZES


def test_the_alerts_panel_header_shows_the_alert_icon(offscreen_gl) -> None:
    """The alerts panel's count line starts with the alert icon (amber): drawn offscreen, its amber pixels
    are in the panel's top left and go when the icon node is hidden (the only row is critical: red)."""
    from viewer.app.headless import OffscreenView
    from viewer.render.hud import Hud
    from viewer.render.rule_badges import AlertsPanel

    view = OffscreenView(offscreen_gl, (960, 600), (0.0, 0.0, 0.0, 1.0), 0)
    hud = Hud(view.buffer, 960 / 600)
    try:
        panel = AlertsPanel(hud)
        panel.set("1 alert: 1 critical", [("critical", "too hot: B12 since 10:04")], 0, top_gap=False)
        with_icon = view.capture()
        panel.block.find("**/alert-icon").hide()
        without = view.capture()
    finally:
        hud.remove()
        view.close()

    def amber(image: np.ndarray) -> np.ndarray:
        r, g, b = (image[..., k].astype(int) for k in range(3))
        return (r > 200) & (g > 110) & (g < 200) & (b < 90)

    ys, xs = np.nonzero(amber(with_icon))
    assert ys.size >= 20, "no alert icon drawn"
    assert ys.max() < 40 and xs.max() < 30  # in the header's slot at the panel's top left, before the text
    assert not amber(without).any()
