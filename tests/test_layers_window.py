"""The sensors and heat map layers in a real window (Xvfb): drawn from the demo recording, keys hide and show them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from window_harness import RealWindow, needs_real_window

ROOT = Path(__file__).resolve().parents[1]
SCENE = ROOT / "scenes" / "demo.toml"
RECORDING = ROOT / "scenes" / "demo-sensors.feed.jsonl.gz"


def shot_after(win: RealWindow, frames: int = 4) -> np.ndarray:
    """A screenshot of a frame drawn at least `frames` frames from now (the key's effect is on screen)."""
    now = win.state()["frame"]
    win.wait_for(lambda s: True, f"{frames} more frames", after=now + frames)
    return win.screenshot().astype(int)


def column_pixel(gone: np.ndarray, shown: np.ndarray) -> tuple[int, int]:
    """A pixel well inside a sensor column: it went away with the columns, is saturated (not a label's white
    or dark card) and so are its 7 x 7 neighbours."""
    saturation = shown.max(axis=2) - shown.min(axis=2)
    solid = gone & (saturation > 60)
    h, w = solid.shape
    inner = solid.copy()
    for dy in range(-3, 4):
        for dx in range(-3, 4):
            inner &= np.roll(np.roll(solid, dy, axis=0), dx, axis=1)
    ys, xs = np.nonzero(inner[: int(h * 0.8)])
    assert ys.size, "no sensor column found on the screen"
    return int(xs[ys.size // 2]), int(ys[ys.size // 2])


@needs_real_window
def test_heat_map_and_sensors_show_and_hide_by_their_keys(tmp_path: Path):
    """`citiverse view scenes/demo.toml --feed` the demo sensors recording: the heat map is drawn (N hides it:
    many warm pixels turn to the city's own colours; N again brings them back), A hides the columns."""
    with RealWindow(tmp_path, ["view", SCENE, "--camera", "overview", "--feed", RECORDING]) as win:
        win.wait_for(lambda s: s.get("feed", {}).get("time") is not None, "the recording's first data")
        win.key("backslash")  # paused: only the keys change what is drawn
        win.wait_for(lambda s: s["feed"]["paused"], "paused")
        shown = shot_after(win)
        win.key("n")
        hidden = shot_after(win)
        changed = np.abs(shown - hidden).max(axis=2) > 24
        assert changed.mean() > 0.03, f"only {changed.mean():.1%} of the pixels changed when N hid the heat map"
        ramp = shown[changed]  # what went away was inferno's purples, reds and oranges: green below red or blue
        assert (ramp[:, 1] < np.maximum(ramp[:, 0], ramp[:, 2]) - 8).mean() > 0.6
        win.key("n")
        again = shot_after(win)
        assert (np.abs(again - shown).max(axis=2) > 24).mean() < 0.2 * changed.mean()
        win.key("a")
        columns_off = shot_after(win)
        gone = np.abs(columns_off - again).max(axis=2) > 24
        assert 0.0005 < gone.mean() < changed.mean()  # columns and labels: fewer pixels than the map
        x, y = column_pixel(gone, again)
        win.key("a")
        shot_after(win)
        win.click(x, y)
        win.wait_for(lambda s: s["panel"], "the panel of the clicked sensor")
        code, _, err = win.quit()
        assert code == 0 and "Traceback" not in err
