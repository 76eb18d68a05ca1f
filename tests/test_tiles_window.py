"""Streamed tiles in a real window (tests/window_harness.py: Xvfb, xdotool, the state hook): Delft written by
`citiverse tile` opens, loads while flying with memory under the [tiles] cap, and the walker lands and walks
on the tiles' own ground (the collision index rebuilt from the tiles near the camera)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from window_harness import RealWindow, needs_real_window

pytestmark = [needs_real_window, pytest.mark.shared_data]
CAP_MB = 16.0  # the smallest cap [tiles] takes
SSE = 150.0  # pixels: Delft is small, so a coarse target leaves detail to load as the camera comes nearer


@pytest.fixture(scope="module")
def delft_tiles(shared_data, tmp_path_factory):
    """Delft tiled by the command, small tiles so a flight loads and evicts some."""
    out = tmp_path_factory.mktemp("delft-window") / "tiles"
    subprocess.run([sys.executable, "-m", "viewer.cli", "-q", "tile", str(shared_data / "cityjson_delft" / "delft.json"),
                    "--out", str(out), "--max-features-per-tile", "20"], check=True, timeout=600)
    return out


def _scene(tmp_path, tiles) -> str:
    path = tmp_path / "delft-tiles.toml"
    path.write_text(f'[scene]\nname = "Delft tiles"\n[[sources]]\npath = "{tiles}/tileset.json"\n'
                    f'[tiles]\nmemory_mb = {CAP_MB}\nsse = {SSE}\n'
                    # local metres around the root's centre (a tileset-only scene's frame): a corner, low
                    '[cameras.corner]\nposition = [-330.0, -200.0, 90.0]\nlook_at = [-150.0, -90.0, 40.0]\nfov = 50\n',
                    encoding="utf-8")
    return str(path)


def _tiles(state) -> dict:
    return state["tiles"][0]


def test_flying_loads_tiles_under_the_cap_and_walking_stays_on_their_ground(delft_tiles, tmp_path):
    with RealWindow(tmp_path, ["view", _scene(tmp_path, delft_tiles), "--camera", "corner"]) as win:
        start = win.wait_for(lambda s: "tiles" in s and _tiles(s)["complete"], "the overview's tiles")
        assert _tiles(start)["drawn"] >= 1 and _tiles(start)["failed"] == 0
        win.key("u")
        fly = win.wait_for(lambda s: s["mode"] == "fly" and not s["gliding"], "fly mode")
        frame, states = fly["frame"], []
        win.key_down("w")
        try:
            while len(states) < 25:  # about five seconds of states
                s = win.wait_for(lambda s: True, "a state", after=frame)
                frame = s["frame"]
                states.append(s)
        finally:
            win.key_up("w")
        assert max(_tiles(s)["loaded"] for s in states) > _tiles(start)["loaded"], "no tile loaded while flying"
        for s in states:  # what the frame draws may exceed the cap (never evicted); here it fits
            assert _tiles(s)["memory_mb"] <= CAP_MB, _tiles(s)
        win.key("o")
        win.wait_for(lambda s: s["mode"] == "orbit", "orbit")
        win.key("g")
        walk = win.wait_for(lambda s: s["mode"] == "walk" and not s["gliding"], "walk mode, landed")
        walk = win.wait_for(lambda s: s["collision_tiles"] > 0, "collision from the tiles near the walker",
                            after=walk["frame"])
        frame, steps = walk["frame"], []
        win.key_down("w")
        try:
            while len(steps) < 15:
                s = win.wait_for(lambda s: True, "a state", after=frame)
                frame = s["frame"]
                steps.append(s)
        finally:
            win.key_up("w")
        for s in steps:
            assert s["mode"] == "walk"
            assert s["feet"][2] == pytest.approx(s["ground"], abs=0.3), s  # on the ground the tiles give
        code, _, stderr = win.quit()
    assert code == 0 and "Traceback" not in stderr
