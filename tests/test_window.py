"""The interactive viewer without a window: Orbit math, and the controller driven by Panda3D events on the
offscreen ShowBase exactly as the window would drive it."""

from __future__ import annotations

import numpy as np
import pytest
from test_render import town, town_scene

from viewer.config import CameraBookmark, Style
from viewer.errors import ConfigError, RenderError
from viewer.render.camera import frame_bounds
from viewer.render.orbit import MAX_ELEVATION, MIN_DISTANCE, ZOOM_STEP, Orbit

BMIN, BMAX = (-100.0, -80.0, 0.0), (120.0, 90.0, 45.0)
NORTH = CameraBookmark(position=(10.0, 160.0, 20.0), look_at=(10.0, 20.0, 20.0), fov=30.0)


def test_orbit_starts_framed_from_the_south_west():
    """A new Orbit's pose is the framing pose: south-west of the model, above it, looking at its centre."""
    orbit = Orbit(BMIN, BMAX, 16 / 9)
    expected = frame_bounds(BMIN, BMAX, 16 / 9)
    assert np.allclose(orbit.pose().position, expected.position)
    assert np.allclose(orbit.pose().look_at, expected.look_at)


def test_look_reproduces_a_bookmark_exactly():
    """Taking a bookmark puts the camera at its position, aiming at its look_at, with its fov."""
    pose = Orbit(BMIN, BMAX).look(NORTH.position, NORTH.look_at, NORTH.fov)
    assert np.allclose(pose.position, NORTH.position) and np.allclose(pose.look_at, NORTH.look_at)
    assert pose.fov == NORTH.fov


def test_drag_turns_around_the_target_and_clamps_elevation():
    """A horizontal drag changes the azimuth only; a long vertical drag stops at the elevation limit."""
    orbit = Orbit(BMIN, BMAX)
    target, distance, elevation = orbit.target.copy(), orbit.distance, orbit.elevation
    orbit.drag(0.25, 0.0)
    assert orbit.azimuth != pytest.approx(225.0) and orbit.elevation == elevation
    assert np.allclose(orbit.target, target) and orbit.distance == distance
    orbit.drag(0.0, -50.0)
    assert orbit.elevation == MAX_ELEVATION


def test_zoom_toward_a_point_keeps_it_under_the_cursor():
    """Zooming toward the ground point under a cursor position keeps that point under the same position."""
    orbit = Orbit(BMIN, BMAX)
    point = orbit.cursor_ground_point(0.4, -0.3)
    assert point is not None
    before = orbit.distance
    orbit.zoom(2, toward=point)
    assert orbit.distance == pytest.approx(before * ZOOM_STEP**2)
    assert np.allclose(orbit.cursor_ground_point(0.4, -0.3), point, atol=1e-6)


def test_zoom_is_clamped():
    """However far one zooms in, the camera stays at least MIN_DISTANCE from the target."""
    orbit = Orbit(BMIN, BMAX)
    orbit.zoom(500)
    assert orbit.distance == MIN_DISTANCE


def test_cursor_ray_hits_the_target_at_the_centre_and_misses_above_the_horizon():
    """The screen centre looks at the target; a ray above the horizon has no ground point."""
    orbit = Orbit(BMIN, BMAX)
    assert np.allclose(orbit.cursor_ground_point(0.0, 0.0), orbit.target)
    orbit.look((0.0, -100.0, 2.0), (0.0, 0.0, 2.0), 40.0)  # looking level
    assert orbit.cursor_ground_point(0.0, 0.5) is None


def test_pan_moves_the_target_sideways_in_the_ground_plane():
    """A horizontal pan moves the target across the view, level, keeping distance and angles."""
    orbit = Orbit(BMIN, BMAX)
    before = orbit.pose()
    target = orbit.target.copy()
    orbit.pan(0.2, 0.0)
    moved = orbit.target - target
    view = np.subtract(before.look_at, before.position)
    assert moved[2] == 0 and np.linalg.norm(moved) > 1.0
    assert abs(np.dot(moved[:2], view[:2])) < 1e-6 * np.linalg.norm(view)
    assert np.allclose(np.subtract(orbit.pose().position, orbit.pose().look_at),
                       np.subtract(before.position, before.look_at))


# ---------------------------------------------------------------------------- the controller, headless


class FakePointer:
    """A cursor the test moves by hand, in Panda3D's -1..1 screen coordinates."""

    def __init__(self) -> None:
        self.at: tuple[float, float] | None = (0.0, 0.0)

    def __call__(self) -> tuple[float, float] | None:
        return self.at


@pytest.fixture
def viewer(offscreen_gl):
    """A ViewerController on the offscreen ShowBase over a small town with one bookmark; torn down after."""
    from viewer.app.window import ViewerController
    from viewer.render.stage import build_stage

    stage = build_stage(offscreen_gl.render, town(), Style())
    pointer, quits = FakePointer(), []
    controller = ViewerController(offscreen_gl, stage, [("north", NORTH)], pointer=pointer,
                                  on_quit=lambda: quits.append(True))
    yield offscreen_gl, controller, pointer, quits
    controller.destroy()
    stage.remove()


def camera_state(base) -> tuple[np.ndarray, np.ndarray]:
    return np.array(base.camera.get_pos()), np.array(base.camera.get_hpr())


def settle(base, controller) -> None:
    """Step frames until the controller's glide (bookmarks, F, fly-to) has ended (bounded)."""
    for _ in range(10_000):
        if controller.glide is None:
            return
        base.taskMgr.step()
    raise AssertionError("the glide never ended")


def test_left_drag_orbits_the_camera(viewer):
    """mouse1, a pointer move over a frame, mouse1-up: the camera moves and turns; later moves do nothing."""
    base, _, pointer, _ = viewer
    pos0, hpr0 = camera_state(base)
    base.messenger.send("mouse1")
    pointer.at = (0.3, 0.1)
    base.taskMgr.step()
    base.messenger.send("mouse1-up")
    pos1, hpr1 = camera_state(base)
    assert np.linalg.norm(pos1 - pos0) > 1.0 and abs(hpr1[0] - hpr0[0]) > 10
    pointer.at = (-0.5, -0.5)
    base.taskMgr.step()
    assert np.allclose(camera_state(base)[0], pos1)


def test_shift_left_drag_pans_without_turning(viewer):
    """shift-mouse1 drags pan: the camera moves but keeps its heading and pitch."""
    base, _, pointer, _ = viewer
    pos0, hpr0 = camera_state(base)
    base.messenger.send("shift-mouse1")
    pointer.at = (0.2, 0.0)
    base.taskMgr.step()
    base.messenger.send("mouse1-up")
    pos1, hpr1 = camera_state(base)
    assert np.linalg.norm(pos1 - pos0) > 1.0 and np.allclose(hpr1, hpr0, atol=1e-3)


def test_wheel_zooms_and_f_frames_again(viewer):
    """wheel_up brings the camera closer to its target; F glides back to the framing pose."""
    base, controller, _, _ = viewer
    pos0, _ = camera_state(base)
    target = controller.orbit.target.copy()
    base.messenger.send("wheel_up")
    pos1, _ = camera_state(base)
    assert np.linalg.norm(pos1 - target) < np.linalg.norm(pos0 - target) * 0.9
    base.messenger.send("f")
    assert np.allclose(camera_state(base)[0], pos1, atol=1e-3)  # a glide starts where the view is
    settle(base, controller)
    assert np.allclose(camera_state(base)[0], pos0, atol=1e-3)


def test_number_key_glides_to_the_bookmark(viewer):
    """Key 1 glides the camera to the first bookmark (no jump: the first frame is where the view was) with
    its vertical fov; key 2 (no bookmark) does nothing."""
    base, controller, _, _ = viewer
    before, _ = camera_state(base)
    base.messenger.send("1")
    assert np.allclose(camera_state(base)[0], before, atol=1e-3)
    settle(base, controller)
    pos, hpr = camera_state(base)
    assert np.allclose(pos, NORTH.position, atol=1e-3)
    assert hpr[0] == pytest.approx(180.0, abs=1e-3) or hpr[0] == pytest.approx(-180.0, abs=1e-3)
    assert base.camLens.get_fov()[1] == pytest.approx(NORTH.fov, abs=1e-3)
    base.messenger.send("2")
    assert np.allclose(camera_state(base)[0], pos)


def test_h_toggles_help_and_escape_q_quit(viewer):
    """H hides then shows the help text listing the bookmark; Escape and Q both ask to quit."""
    base, controller, _, quits = viewer
    assert "1  north" in controller.help_text() and not controller.help.is_hidden()
    base.messenger.send("h")
    assert controller.help.is_hidden()
    base.messenger.send("h")
    assert not controller.help.is_hidden()
    base.messenger.send("escape")
    base.messenger.send("q")
    assert quits == [True, True]


def test_destroyed_controller_ignores_events(offscreen_gl):
    """After destroy() the controller no longer reacts to keys and leaves no help text behind."""
    from viewer.app.window import ViewerController
    from viewer.render.stage import build_stage

    stage = build_stage(offscreen_gl.render, town(), Style())
    quits: list[bool] = []
    controller = ViewerController(offscreen_gl, stage, [], pointer=lambda: None, on_quit=lambda: quits.append(True))
    controller.destroy()
    stage.remove()
    offscreen_gl.messenger.send("q")
    assert quits == [] and controller.help.is_empty()



def test_help_can_start_hidden_with_a_hint(offscreen_gl):
    """With help_shown=False (the window with live layers) the keys help starts hidden, the status line says
    which key shows it, and H shows it."""
    from viewer.app.window import ViewerController
    from viewer.render.stage import build_stage

    stage = build_stage(offscreen_gl.render, town(), Style())
    controller = ViewerController(offscreen_gl, stage, [], pointer=lambda: None, on_quit=lambda: None,
                                  help_shown=False)
    try:
        assert controller.help.is_hidden()
        assert "H  keys help" in controller.nav.status.getText()
        offscreen_gl.messenger.send("h")
        assert not controller.help.is_hidden()
    finally:
        controller.destroy()
        stage.remove()

# ---------------------------------------------------------------------------- opening a real window


def test_no_display_means_render_error_pointing_offscreen(monkeypatch):
    """Without DISPLAY or WAYLAND_DISPLAY on Linux, run_window raises RenderError naming `citiverse render`."""
    import sys

    from viewer.app.window import run_window

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    with pytest.raises(RenderError, match="citiverse render"):
        run_window(town_scene(town(), {}))


def test_window_with_unknown_camera_fails_before_opening():
    """run_window checks the camera name first: ConfigError listing the known bookmarks."""
    from viewer.app.window import run_window

    with pytest.raises(ConfigError, match="known: north"):
        run_window(town_scene(town(), {"north": NORTH}), camera="south")


def test_display_detection_follows_the_environment(monkeypatch):
    """display_available is true on Linux exactly when DISPLAY or WAYLAND_DISPLAY is set."""
    import sys

    from viewer.app.base import display_available

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert not display_available()
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert display_available()
