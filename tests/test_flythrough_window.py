"""Recording and playing camera paths through the real window code, headless: keys as Panda3D events, the
ViewerController on the offscreen ShowBase, a fixed frame clock."""

from __future__ import annotations

import numpy as np
import pytest
from test_nav_window import FPS, STREET, Buses, CapturePointer
from test_render import town

from viewer.config import Style
from viewer.flythrough.path import CameraPath, Keyframe
from viewer.flythrough.pathfile import load_paths, save_path
from viewer.nav.bindings import Controls


class FrameClock:
    """A clock the test advances one frame at a time."""

    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def window(offscreen_gl, tmp_path):
    """A ViewerController over the small town and a FlythroughControl writing town.flythrough.toml."""
    from viewer.app.flythrough_window import FlythroughControl
    from viewer.app.window import ViewerController
    from viewer.nav.index import CollisionIndex
    from viewer.render.stage import build_stage

    model = town()
    stage = build_stage(offscreen_gl.render, model, Style())
    index = CollisionIndex.from_model(model, base_z=float(stage.ground.get_z()))
    controls = Controls(smoothing=0.0)
    controller = ViewerController(offscreen_gl, stage, [("street", STREET)], pointer=CapturePointer(),
                                  on_quit=lambda: None, index=index, controls=controls,
                                  clock=lambda: 1.0 / FPS, vehicles=Buses())
    clock = FrameClock()
    control = FlythroughControl(offscreen_gl, tmp_path / "town.flythrough.toml", controls, controller.take_view,
                                (stage.bmin, stage.bmax), clock=clock)
    yield offscreen_gl, controller, control, clock
    control.destroy()
    controller.destroy()
    stage.remove()


def step(base, clock: FrameClock, frames: int = 1) -> None:
    for _ in range(frames):
        clock.t += 1.0 / FPS
        base.taskMgr.step()


def camera_pos(base) -> np.ndarray:
    return np.array(base.camera.get_pos(base.render))


def test_x_records_the_camera_into_a_new_path_in_the_file(window):
    """X starts recording, the camera moves for 2 s, X again saves take-1 whose ends are where it started
    and stopped, with the file's other paths kept."""
    base, _, control, clock = window
    other = CameraPath("kept", (Keyframe.look(0, (0, -50, 20), (0, 0, 0), 50), Keyframe.look(1, (0, -40, 20),
                                                                                          (0, 0, 0), 50)))
    save_path(control.file, other)
    base.camera.set_pos(base.render, 0, -100, 30)
    base.camera.look_at(base.render, 0, 0, 0)
    base.messenger.send("x")
    assert control.recording and "REC take-1" in control.status()
    for k in range(2 * int(FPS)):
        base.camera.set_pos(base.render, k * 0.5, -100, 30)  # 30 m/s east
        base.camera.look_at(base.render, 0, 0, 0)
        step(base, clock)
    base.messenger.send("x")
    paths = load_paths(control.file)
    assert list(paths) == ["kept", "take-1"]
    take = paths["take-1"]
    assert take.keyframes[0].position == pytest.approx((0.0, -100.0, 30.0), abs=0.01)
    assert take.keyframes[-1].position == pytest.approx((59.5, -100.0, 30.0), abs=0.01)
    assert take.duration == pytest.approx(2.0, abs=0.05)
    middle = take.sample([take.start + 1.0]).positions[0]
    assert middle == pytest.approx((30.0, -100.0, 30.0), abs=0.6)
    assert "saved take-1" in control.status()


def test_z_plays_the_path_then_pause_seek_and_stop_hand_the_view_back(window):
    """Z plays the selected path (the camera is on the path at the player's time), Z pauses, ] seeks on,
    Backspace stops and leaves orbit looking from where the path left the camera."""
    base, controller, control, clock = window
    path = CameraPath("tour", (Keyframe.look(0, (0, -120, 40), (0, 0, 0), 50),
                               Keyframe.look(4, (120, 0, 60), (0, 0, 0), 40),
                               Keyframe.look(8, (0, 120, 80), (0, 0, 0), 50)))
    save_path(control.file, path)
    base.messenger.send("z")
    step(base, clock, int(FPS))  # one second
    assert control.player is not None and control.player.state == "playing"
    expected = path.sample([control.player.time])
    assert camera_pos(base) == pytest.approx(expected.positions[0], abs=1e-3)
    q = base.camera.get_quat(base.render)
    dot = abs(float(np.dot((q.get_r(), q.get_i(), q.get_j(), q.get_k()), expected.orientations[0])))
    assert dot > 1 - 1e-9  # the same rotation (q and -q are one)
    assert base.camLens.get_fov()[1] == pytest.approx(expected.fov[0], abs=1e-3)
    base.messenger.send("z")
    paused_at = control.player.time
    step(base, clock, 10)
    assert control.player.state == "paused" and control.player.time == paused_at
    base.messenger.send("]")
    assert control.player.time == pytest.approx(paused_at + 5.0)
    step(base, clock)
    there = camera_pos(base)
    base.messenger.send("backspace")
    step(base, clock)
    assert not control.player.active and controller.nav.mode == "orbit"
    assert np.asarray(controller.orbit.position()) == pytest.approx(there, abs=1e-3)
    assert camera_pos(base) == pytest.approx(there, abs=1e-3)


def test_z_with_no_paths_says_how_to_record_one(window):
    """With no flythrough file yet, Z leaves the camera alone and the status says X records a path."""
    base, _, control, clock = window
    before = camera_pos(base)
    base.messenger.send("z")
    step(base, clock, 5)
    assert control.player is None
    assert "X records one" in control.status()
    assert camera_pos(base) == pytest.approx(before)


def test_a_broken_file_is_reported_and_nothing_is_lost(window):
    """A flythrough file that does not parse is named on the status line; recording refuses to overwrite it."""
    base, _, control, clock = window
    control.file.write_text("version = 1\n[paths.a]\nkeyframes = 3\n")
    base.messenger.send("z")
    assert "paths.a.keyframes" in control.status()
    base.messenger.send("x")
    step(base, clock, 10)
    base.messenger.send("x")
    assert "could not save" in control.status()
    assert control.file.read_text() == "version = 1\n[paths.a]\nkeyframes = 3\n"


def test_period_cycles_through_the_paths(window):
    """. selects the file's paths in turn, and Z then plays the selected one."""
    base, _, control, clock = window
    for name, x in (("a", 0.0), ("b", 50.0)):
        save_path(control.file, CameraPath(name, (Keyframe.look(0, (x, -100, 30), (0, 0, 0), 50),
                                                  Keyframe.look(2, (x, -90, 30), (0, 0, 0), 50))))
    base.messenger.send(".")
    assert control.selected == "a"
    base.messenger.send(".")
    assert control.selected == "b"
    base.messenger.send("z")
    step(base, clock)
    assert control.player is not None and control.player.path.name == "b"
    assert camera_pos(base)[0] == pytest.approx(50.0, abs=1e-3)


def test_comma_adds_the_view_as_keyframes_of_a_new_path(window):
    """Comma at three views builds keys-1 (saved from the second keyframe on, 5 s apart) through those
    views; Z then plays it from the first."""
    base, _, control, clock = window
    views = [((0.0, -120.0, 40.0), 50.0), ((120.0, 0.0, 60.0), 40.0), ((0.0, 120.0, 80.0), 50.0)]
    for k, (position, fov) in enumerate(views):
        base.camera.set_pos(base.render, *position)
        base.camera.look_at(base.render, 0, 0, 0)
        base.camLens.set_min_fov(fov)
        base.messenger.send(",")
        if k == 0:
            assert not control.file.exists() and "keyframe 1" in control.status()
    path = load_paths(control.file)["keys-1"]
    assert [k.t for k in path.keyframes] == [0.0, 5.0, 10.0]
    for key, (position, fov) in zip(path.keyframes, views, strict=True):
        assert key.position == pytest.approx(position, abs=1e-3)
        assert key.fov == pytest.approx(fov, abs=1e-3)
    base.messenger.send("z")
    step(base, clock)
    assert control.player is not None and control.player.path.name == "keys-1"
    assert camera_pos(base) == pytest.approx(views[0][0], abs=0.05)
    base.messenger.send(",")  # playing ended keys-1: a new path starts
    assert control.building is not None and control.building[0] == "keys-2"
