"""The desktop walkthrough in a real window (issue 20): `citiverse view` under Xvfb, real key and mouse
events from xdotool, the window's own pixels from ImageMagick, its state from the test hook
(tests/window_harness.py). Headless controller tests (test_nav_window.py, test_window.py) stay; these prove
the real window."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from window_harness import RealWindow, centre_ray_ground, needs_real_window, project

from viewer.city.scene import load_scene_models
from viewer.config import load_scene
from viewer.nav.pins import load_pins

pytestmark = needs_real_window

SCENE = """
[scene]
name = "Test town"
crs = "EPSG:28992"
origin = [92540.0, 437500.0]

[[sources]]
format = "procedural"
seed = 7
size = 300

[cameras.overview]
position = [-700.0, -800.0, 650.0]
look_at = [0.0, 0.0, 0.0]
fov = 45

[cameras.south]
position = [0.0, -900.0, 260.0]
look_at = [0.0, -620.0, 0.0]
fov = 45
"""


@pytest.fixture
def town(tmp_path) -> Path:
    """A small procedural town (300 buildings, flat ground at 0 m) with an overview and a view of the open
    ground south of it."""
    path = tmp_path / "town.toml"
    path.write_text(SCENE)
    return path


def test_land_where_you_look_then_fly_low_and_never_go_under_the_ground(town, tmp_path):
    """G from the overview lands the walker where the view's centre meets the city, facing the same way,
    after a glide; U flies from there at a useful speed; flying forward and down with C held for seconds
    stays above the ground, and the window's lower half shows ground, not sky."""
    with RealWindow(tmp_path, ["view", town, "--camera", "overview"]) as win:
        start = win.settled("the overview")
        aim = centre_ray_ground(start)
        win.key("g")
        walk = win.wait_for(lambda s: s["mode"] == "walk" and not s["gliding"], "walk mode, landed")
        feet = np.array(walk["feet"])
        assert feet[2] == pytest.approx(walk["ground"], abs=0.05) or feet[2] < 1.0
        assert math.dist(feet[:2], aim[:2]) < 80.0  # at the centre, or in front of the building there
        assert abs((walk["hpr"][0] - start["hpr"][0] + 180) % 360 - 180) < 2.0
        win.key("o")
        win.wait_for(lambda s: s["mode"] == "orbit", "orbit")
        win.key("u")
        fly = win.wait_for(lambda s: s["mode"] == "fly" and not s["gliding"], "fly mode, landed")
        assert fly["camera"][2] - fly["ground"] < 30.0  # near the ground, not 600 m up
        frame = fly["frame"]
        win.key_down("w")
        win.key_down("c")
        try:
            lows = []
            deadline = frame + 25  # about five seconds of states
            while True:
                s = win.wait_for(lambda s: True, "a state", after=frame)
                frame = s["frame"]
                lows.append(s["camera"][2] - s["ground"])
                if frame >= deadline:
                    break
            moved = math.dist(s["camera"][:2], fly["camera"][:2])
            pixels = win.screenshot()
        finally:
            win.key_up("c")
            win.key_up("w")
        assert min(lows) >= 0.45  # the flyer's radius (0.5 m) above the ground, never under it
        assert moved > 20.0  # a useful speed near the ground (it was 3 m/s)
        lower = pixels[pixels.shape[0] * 2 // 3:, :, :].reshape(-1, 3).astype(int)
        sky = np.array([158, 187, 217])  # the style's background
        assert (np.abs(lower - sky).sum(axis=1) < 30).mean() < 0.2, "below the horizon is sky"
        code, _, stderr = win.quit()
    assert code == 0 and "Traceback" not in stderr


def test_help_on_a_panel_closes_with_its_button_and_esc_and_f12_writes_a_png(town, tmp_path):
    """The keys help is on a dark panel with a close button: a click on the button closes it, H opens it,
    Esc closes it; F12 writes citiverse-YYYYmmdd-HHMMSS.png to --screenshot-dir, of the window's size,
    without the help, and says where."""
    shots = tmp_path / "shots"
    with RealWindow(tmp_path, ["view", town, "--camera", "overview", "--screenshot-dir", shots]) as win:
        state = win.settled()
        assert state["help"]
        x0, y0, x1, y1 = state["rects"]["help"]
        w, h = state["size"]
        aspect = w / h

        def pixel(x: float, y: float) -> tuple[float, float]:
            return (x / aspect + 1) / 2 * w, (1 - y) / 2 * h

        with_help = win.screenshot()
        hx0, hy1 = pixel(x0, y1)
        hx1, hy0 = pixel(x1, y0)
        inside = with_help[int(hy1) + 40:int(hy0) - 10, int(hx0) + 10:int(hx1) - 60].reshape(-1, 3)
        dark = (inside.astype(int).sum(axis=1) < 3 * 90).mean()
        assert dark > 0.5, "the help is not on a dark panel"
        bx, by = pixel(x1 - 0.04, y1 - 0.04)  # its close button at the top right
        win.click(bx, by)
        win.wait_for(lambda s: not s["help"], "the help closed by its button")
        win.key("h")
        win.wait_for(lambda s: s["help"], "the help open again")
        win.key("Escape")
        after = win.wait_for(lambda s: not s["help"], "the help closed by Esc")
        assert after["mode"] == "orbit"  # Esc closed the panel, it did not quit
        win.key("h")
        win.wait_for(lambda s: s["help"], "the help open again")
        win.key("F12")
        state = win.wait_for(lambda s: s["screenshots"], "a screenshot")
        shot = Path(state["screenshots"][0])
        assert shot.parent == shots and shot.name.startswith("citiverse-") and shot.suffix == ".png"
        assert len(shot.stem) == len("citiverse-20261207-091302")
        with Image.open(shot) as png:
            image = np.asarray(png.convert("RGB"))
        assert image.shape == (h, w, 3)
        region = image[int(hy1) + 40:int(hy0) - 10, int(hx0) + 10:int(hx1) - 60].reshape(-1, 3)
        assert (region.astype(int).sum(axis=1) < 3 * 90).mean() < dark - 0.2, "the help is in the screenshot"
        assert len(np.unique(image.reshape(-1, 3) // 16, axis=0)) > 8
        assert "Screenshot saved" in state["message"]
        code, stdout, stderr = win.quit()
    assert code == 0 and f"screenshot: {shot}" in stdout and "Traceback" not in stderr


def test_search_lists_and_flies_to_an_object(town, tmp_path):
    """`/` then an object's id and Enter: the hit is listed and the view glides to look at the object; typed
    letters never reach the other keys (the q of a query does not quit)."""
    scene = load_scene_models(load_scene(town))
    objects = scene.model.objects
    target = next(i for i, t in enumerate(objects.types) if t == "Building" and i > 100)
    centre = (np.asarray(objects.bbox_min[target], float) + np.asarray(objects.bbox_max[target], float)) / 2
    with RealWindow(tmp_path, ["view", town, "--camera", "overview"]) as win:
        win.settled()
        win.key("Escape")  # the help away
        win.wait_for(lambda s: not s["help"], "no help")
        win.key("slash")
        win.wait_for(lambda s: s["typing"], "the search box")
        win.type("qg")  # neither quits nor walks while typing
        win.wait_for(lambda s: s["tool"] == "search", "a search")
        for _ in range(2):
            win.key("BackSpace")
        win.type(objects.ids[target])
        win.wait_for(lambda s: any(h.startswith(objects.ids[target]) for h in s["hits"]), "the object listed")
        win.key("Return")
        state = win.wait_for(lambda s: not s["typing"] and s["chosen"] == 0, "a hit chosen")
        state = win.settled("the glide to the object")
        assert state["mode"] == "orbit"
        h, p = (math.radians(v) for v in state["hpr"][:2])
        forward = np.array([-math.sin(h) * math.cos(p), math.cos(h) * math.cos(p), math.sin(p)])
        to_object = centre - np.array(state["camera"])
        miss = np.linalg.norm(np.cross(to_object, forward))
        assert miss < 2.0 and np.linalg.norm(to_object) < 450.0
        code, _, stderr = win.quit()
    assert code == 0 and "Traceback" not in stderr


def test_measure_a_known_distance_within_one_percent(town, tmp_path):
    """M, then clicks on two ground points 200 m apart (projected to pixels from the camera the window
    reports): the measured distance is 200 m within 1 %, along the ground and in 3D."""
    a, b = np.array([-100.0, -620.0, 0.0]), np.array([100.0, -620.0, 0.0])
    with RealWindow(tmp_path, ["view", town, "--camera", "south"]) as win:
        win.settled()
        win.key("Escape")
        win.wait_for(lambda s: not s["help"], "no help")
        state = win.settled()
        win.key("m")
        win.wait_for(lambda s: s["tool"] == "measure", "measuring")
        for point in (a, b):
            win.click(*project(state, point))
        state = win.wait_for(lambda s: s["measure"] and len(s["measure"]["points"]) == 2, "two points")
        assert state["measure"]["ground"] == pytest.approx(200.0, rel=0.01)
        assert state["measure"]["path_3d"] == pytest.approx(200.0, rel=0.01)
        assert state["mode"] == "orbit" and not state["gliding"]  # clicks measured, they did not fly
        win.key("m")
        win.wait_for(lambda s: s["tool"] == "" and s["measure"] is None, "measuring ended")
        code, _, stderr = win.quit()
    assert code == 0 and "Traceback" not in stderr


def test_a_pin_with_a_note_is_saved_next_to_the_scene(town, tmp_path):
    """Insert over a point, a typed note and Enter: the pin is in town.pins.toml beside the scene (read back),
    listed by search, and still there when the window opens again."""
    with RealWindow(tmp_path, ["view", town, "--camera", "south"]) as win:
        state = win.settled()
        win.key("Escape")
        win.wait_for(lambda s: not s["help"], "no help")
        win.move(*project(state, (0.0, -620.0, 0.0)))
        win.wait_for(lambda s: True, "the pointer seen", after=win.state()["frame"])
        win.key("Insert")
        win.wait_for(lambda s: s["typing"], "the note box")
        win.type("broken lamp")
        win.key("Return")
        state = win.wait_for(lambda s: s["pins"] and not s["typing"], "a pin")
        assert state["pins_file"] == str(town.with_name("town.pins.toml"))
        code, _, stderr = win.quit()
    assert code == 0 and "Traceback" not in stderr
    pins = load_pins(town.with_name("town.pins.toml"))
    assert [p.note for p in pins] == ["broken lamp"]
    assert math.dist(pins[0].position[:2], (0.0, -620.0)) < 5.0
    with RealWindow(tmp_path, ["view", town]) as win:
        assert win.settled()["pins"][0]["note"] == "broken lamp"
        win.key("Escape")
        win.key("slash")
        win.type("lamp")
        state = win.wait_for(lambda s: any("broken lamp" in h for h in s["hits"]), "the pin listed")
        win.key("Escape")
        win.wait_for(lambda s: not s["typing"], "search closed")
        win.quit()


def record_town_feed(town: Path, out: Path, seconds: float = 8.0) -> Path:
    """A recording of the demo source on the town, written as `citiverse feed record` writes one."""
    from viewer.net.recorder import RecordingWriter
    from viewer.sources.demo import DemoSource
    from viewer.twin.codec import encode
    from viewer.twin.messages import Hello, data_message

    source = DemoSource.from_scene(load_scene(town), seed=3, vehicles=100, start_time=1.8e9)
    writer = RecordingWriter(out, {"url": "ws://test/", "start": 1.8e9})
    writer.write(0.0, encode(Hello(seq=1, time=1.8e9, crs=source.crs, kinds=source.kinds), "columns"))
    update, seq, t = source.start(), 2, 0.0
    while update is not None and t <= seconds:
        writer.write(t, encode(data_message(seq, update), "columns"))
        update, seq, t = source.step(), seq + 1, t + source.period
    writer.close()
    return out


def test_the_building_panel_closes_with_its_button_and_with_esc(town, tmp_path):
    """With a looping recorded feed: a click on a roof opens the building panel, a click on its close button
    closes it; opened again, Esc closes it (and does not quit)."""
    feed = record_town_feed(town, tmp_path / "town.feed.jsonl.gz")
    scene = load_scene_models(load_scene(town))
    objects = scene.model.objects
    tall = max((i for i, t in enumerate(objects.types) if t == "Building"), key=lambda i: objects.height[i])
    roof = (np.asarray(objects.bbox_min[tall], float) + np.asarray(objects.bbox_max[tall], float)) / 2
    roof[2] = float(objects.bbox_max[tall][2])
    with RealWindow(tmp_path, ["view", town, "--camera", "overview", "--feed", feed, "--loop"]) as win:
        state = win.settled()
        for attempt in range(2):
            win.click(*project(state, roof))
            state = win.wait_for(lambda s: s["panel"], "the building panel")
            panel = state["live_rects"][-1]
            w, h = state["size"]
            aspect = w / h
            if attempt == 0:
                bx, by = ((panel[2] - 0.04) / aspect + 1) / 2 * w, (1 - (panel[3] - 0.04)) / 2 * h
                win.click(bx, by)
            else:
                win.key("Escape")
            state = win.wait_for(lambda s: not s["panel"], "the panel closed")
        assert state["mode"] == "orbit"
        code, _, stderr = win.quit()
    assert code == 0 and "Traceback" not in stderr
