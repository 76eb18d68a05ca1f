"""Walk, fly and follow through the real window code path, headless: the ViewerController on the offscreen
ShowBase, keys sent as Panda3D events, a fake pointer that can be captured, a fixed frame time."""

from __future__ import annotations

import numpy as np
import pytest
from test_render import town

from viewer.config import CameraBookmark, Style
from viewer.nav.bindings import Controls
from viewer.nav.modes import VehiclePose
from viewer.render.camera import horizontal_fov

STREET = CameraBookmark(position=(40.0, -30.0, 1.7), look_at=(40.0, 100.0, 1.7), fov=60.0)
FPS = 60.0
GLIDE = 2.1  # seconds: longer than any glide (nav/glide.py MAX_SECONDS)


class CapturePointer:
    """A PointerDevice the test moves by hand: position in -1..1, capture, recentre, focus."""

    def __init__(self) -> None:
        self.at: tuple[float, float] | None = (0.0, 0.0)
        self.captured = False
        self.focus = True

    def __call__(self) -> tuple[float, float] | None:
        return self.at

    def capture(self) -> bool:
        self.captured = self.focus
        return self.captured

    def release(self) -> None:
        self.captured = False

    def recentre(self) -> None:
        if self.captured:
            self.at = (0.0, 0.0)

    def focused(self) -> bool:
        return self.focus


class Buses:
    """A VehicleSource with one bus the test can move."""

    def __init__(self) -> None:
        self.pose = VehiclePose((40.0, 0.0, 0.0), bearing=0.0)

    def __call__(self, vehicle: str) -> VehiclePose | None:
        return self.pose if vehicle == "bus-1" else None


@pytest.fixture
def window(offscreen_gl):
    """A ViewerController over the small town with a street-level bookmark, its collision index, no look
    smoothing and 60 fps frames; torn down after."""
    from viewer.app.window import ViewerController
    from viewer.nav.index import CollisionIndex
    from viewer.render.stage import build_stage

    model = town()
    stage = build_stage(offscreen_gl.render, model, Style())
    index = CollisionIndex.from_model(model, base_z=float(stage.ground.get_z()))
    pointer, quits = CapturePointer(), []
    controller = ViewerController(offscreen_gl, stage, [("street", STREET)], pointer=pointer,
                                  on_quit=lambda: quits.append(True), index=index,
                                  controls=Controls(smoothing=0.0), clock=lambda: 1.0 / FPS, vehicles=Buses())
    yield offscreen_gl, controller, pointer, quits
    controller.destroy()
    stage.remove()


def frames(base, seconds: float) -> None:
    for _ in range(round(seconds * FPS)):
        base.taskMgr.step()


def camera(base) -> tuple[np.ndarray, np.ndarray]:
    return np.array(base.camera.get_pos()), np.array(base.camera.get_hpr())


def on_the_street(base, controller) -> None:
    """Walk mode, first person, standing at the street bookmark (via the G, T and 1 keys)."""
    base.messenger.send("g")
    base.messenger.send("t")
    base.messenger.send("1")
    frames(base, GLIDE)


def test_shift_g_walks_capturing_the_mouse_and_keeping_the_view(window):
    """From the street bookmark in orbit, Shift+G switches to walk keeping the camera's own spot: the
    pointer is captured and the camera has not moved on the switch (the avatar stands ahead of it)."""
    base, controller, pointer, _ = window
    base.messenger.send("1")
    frames(base, GLIDE)
    before = camera(base)
    base.messenger.send("lshift")
    base.messenger.send("g")
    base.messenger.send("lshift-up")
    assert controller.nav.mode == "walk" and pointer.captured
    after = camera(base)
    assert after[0] == pytest.approx(before[0], abs=1e-3) and after[1] == pytest.approx(before[1], abs=1e-3)


def test_g_from_high_above_lands_where_the_view_looks(window):
    """From the framed overview (200 m up) G puts the walker on the ground at the point under the screen
    centre (or in front of the building there), facing the view's heading; the camera glides down behind
    it with no jump between frames."""
    base, controller, _, _ = window
    before_pos, before_hpr = camera(base)
    centre = controller.nav.pick(0.0, 0.0)
    base.messenger.send("g")
    path = [camera(base)[0]]
    for _ in range(round(GLIDE * FPS)):
        base.taskMgr.step()
        path.append(camera(base)[0])
    feet = np.array(controller.nav.avatar.get_pos())
    assert feet[2] == pytest.approx(controller.nav.index.ground_under(feet[0], feet[1]), abs=0.05)
    assert np.hypot(*(feet[:2] - np.array(centre[:2]))) < 60.0  # at the centre, or just in front of a roof
    assert camera(base)[0][2] < feet[2] + 10.0
    assert camera(base)[1][0] == pytest.approx(before_hpr[0], abs=0.5)
    steps = np.linalg.norm(np.diff(path, axis=0), axis=1)
    assert path[0] == pytest.approx(before_pos, abs=1e-3)
    assert steps.max() < 0.1 * np.linalg.norm(before_pos - feet)  # eased, not a jump


def test_holding_w_walks_forward_at_eye_height(window):
    """At the street bookmark, W held for 2 s moves the eye 4 m north at 1.65 m above the ground."""
    base, controller, _, _ = window
    on_the_street(base, controller)
    start, _ = camera(base)
    assert start == pytest.approx((40.0, -30.0, controller.nav.index.base_z + 1.65), abs=1e-3)
    base.messenger.send("w")
    frames(base, 2.0)
    base.messenger.send("w-up")
    frames(base, 0.5)
    assert camera(base)[0] - start == pytest.approx((0.0, 4.0, 0.0), abs=1e-3)


def test_shift_runs_and_arrows_move_too(window):
    """Shift with the up arrow runs (6 m/s); releasing both stops."""
    base, controller, _, _ = window
    on_the_street(base, controller)
    start, _ = camera(base)
    base.messenger.send("shift")
    base.messenger.send("arrow_up")
    frames(base, 1.0)
    base.messenger.send("arrow_up-up")
    base.messenger.send("shift-up")
    frames(base, 0.5)
    assert camera(base)[0][1] - start[1] == pytest.approx(6.0, abs=1e-3)


def test_space_jumps_in_walk_mode(window):
    """Space on the street lifts the eye (a jump) and it comes back down."""
    base, controller, _, _ = window
    on_the_street(base, controller)
    start, _ = camera(base)
    base.messenger.send("space")
    base.messenger.send("space-up")
    frames(base, 0.3)
    assert camera(base)[0][2] > start[2] + 0.5
    frames(base, 1.0)
    assert camera(base)[0][2] == pytest.approx(start[2], abs=1e-6)


def test_pointer_motion_turns_the_view_while_captured(window):
    """Moving the captured pointer right by 0.1 turns the heading right by 0.1 x half the horizontal fov,
    and the pointer is put back in the middle; a released pointer turns nothing."""
    base, controller, pointer, _ = window
    on_the_street(base, controller)
    _, hpr0 = camera(base)
    pointer.at = (0.1, 0.0)
    base.taskMgr.step()
    _, hpr1 = camera(base)
    aspect = base.getAspectRatio(base.win)
    assert hpr1[0] - hpr0[0] == pytest.approx(-0.1 * horizontal_fov(STREET.fov, aspect) / 2, abs=1e-3)
    assert pointer.at == (0.0, 0.0)
    pointer.at = (0.0, 0.2)
    base.taskMgr.step()
    assert camera(base)[1][1] == pytest.approx(0.2 * STREET.fov / 2, abs=1e-3)
    base.messenger.send("escape")
    pointer.at = (0.5, 0.5)
    base.taskMgr.step()
    assert camera(base)[1][1] == pytest.approx(0.2 * STREET.fov / 2, abs=1e-3)


def test_escape_releases_the_mouse_then_quits(window):
    """Esc with the pointer captured releases it; a second Esc quits; a click captures it again."""
    base, controller, pointer, quits = window
    base.messenger.send("g")
    base.messenger.send("escape")
    assert not pointer.captured and quits == []
    base.messenger.send("mouse1")
    assert pointer.captured
    base.messenger.send("escape")
    base.messenger.send("escape")
    assert quits == [True]


def test_losing_focus_releases_the_mouse_and_forgets_held_keys(window):
    """When the window loses focus the pointer is released and a held W no longer walks."""
    base, controller, pointer, _ = window
    on_the_street(base, controller)
    base.messenger.send("w")
    frames(base, 0.5)
    pointer.focus = False
    frames(base, 0.2)
    assert not pointer.captured and not controller.nav.down
    pointer.focus = True
    stopped, _ = camera(base)
    frames(base, 1.0)
    assert camera(base)[0] == pytest.approx(stopped, abs=0.05)


def test_fly_rises_with_space_and_orbit_takes_over_where_it_is(window):
    """U flies, Space held climbs; O returns to orbit without moving the camera, and a left drag orbits."""
    base, controller, pointer, _ = window
    base.messenger.send("u")
    frames(base, GLIDE)
    start, _ = camera(base)
    base.messenger.send("space")
    frames(base, 1.0)
    base.messenger.send("space-up")
    frames(base, 0.1)
    flown, hpr = camera(base)
    assert flown[2] - start[2] > 10.0 and flown[:2] == pytest.approx(start[:2], abs=1e-6)
    base.messenger.send("o")
    assert controller.nav.mode == "orbit" and not pointer.captured
    pos, hpr2 = camera(base)
    assert pos == pytest.approx(flown, abs=1e-3) and hpr2 == pytest.approx(hpr, abs=1e-3)
    base.messenger.send("mouse1")
    pointer.at = (0.3, 0.0)
    base.taskMgr.step()
    base.messenger.send("mouse1-up")
    assert np.linalg.norm(camera(base)[0] - pos) > 1.0


def test_orbit_from_third_person_walk_turns_around_the_avatar(window):
    """O from third-person walk keeps the camera where it was and makes the avatar's head the orbit's
    centre; the avatar is no longer drawn."""
    base, controller, _, _ = window
    base.messenger.send("g")
    base.messenger.send("1")
    frames(base, GLIDE)
    pos, hpr = camera(base)
    feet = np.array(controller.nav.avatar.get_pos())
    base.messenger.send("o")
    assert camera(base)[0] == pytest.approx(pos, abs=1e-3) and camera(base)[1] == pytest.approx(hpr, abs=1e-3)
    assert controller.orbit.target == pytest.approx(feet + (0.0, 0.0, 1.65), abs=1e-3)
    assert controller.nav.avatar.is_hidden()


def test_tab_cycles_walk_fly_orbit(window):
    """Tab goes orbit -> walk -> fly -> orbit."""
    base, controller, _, _ = window
    seen = []
    for _ in range(3):
        base.messenger.send("tab")
        seen.append(controller.nav.mode)
    assert seen == ["walk", "fly", "orbit"]


def test_third_person_shows_the_avatar_at_the_feet(window):
    """In third-person walk the avatar is drawn where the walker stands, facing its heading; T hides it."""
    base, controller, _, _ = window
    base.messenger.send("g")
    base.messenger.send("1")
    frames(base, GLIDE)
    avatar = controller.nav.avatar
    assert not avatar.is_hidden()
    assert np.array(avatar.get_pos()) == pytest.approx((40.0, -30.0, controller.nav.index.base_z), abs=1e-3)
    eye, _ = camera(base)
    assert eye[1] == pytest.approx(-34.0, abs=1e-3)  # 4 m behind the head
    base.messenger.send("t")
    assert avatar.is_hidden()


def test_walls_stop_the_walker_in_the_window(window):
    """Walking west from the street into the marker tower stops r from its east wall (x = 20)."""
    base, controller, _, _ = window
    on_the_street(base, controller)
    controller.nav.teleport((40.0, 10.0, 1.7), (0.0, 10.0, 1.7), 60.0)
    base.messenger.send("w")
    frames(base, 12.0)
    assert camera(base)[0][0] == pytest.approx(20.3, abs=2e-3)
    base.messenger.send("n")
    frames(base, 1.0)
    assert camera(base)[0][0] < 19.0 and "collision off" in controller.nav.status.getText()


def test_follow_needs_a_chosen_vehicle_then_rides_behind_it(window):
    """L with no vehicle chosen stays in orbit and says so; with bus-1 chosen it follows the bus."""
    base, controller, _, _ = window
    base.messenger.send("l")
    assert controller.nav.mode == "orbit" and "pick one" in controller.nav.status.getText()
    controller.nav.set_vehicle("bus-1")
    base.messenger.send("l")
    frames(base, 3.0)
    pos, hpr = camera(base)
    assert controller.nav.mode == "follow"
    assert pos[:2] == pytest.approx((40.0, -8.86), abs=0.05) and hpr[0] == pytest.approx(0.0, abs=0.05)


def test_wheel_changes_fly_speed_and_bookmarks_teleport(window):
    """Two wheel notches make flying 1.25^2 faster; key 1 in fly mode puts the camera at the bookmark."""
    base, controller, _, _ = window
    base.messenger.send("u")
    before = controller.nav.navigator.flyer.speed()
    base.messenger.send("wheel_up")
    base.messenger.send("wheel_up")
    assert controller.nav.navigator.flyer.speed() == pytest.approx(before * 1.25**2)
    base.messenger.send("1")
    frames(base, GLIDE)
    assert camera(base)[0] == pytest.approx(STREET.position, abs=1e-3)


def test_shift_left_drag_pans_with_plain_key_events(window):
    """With modifier prefixes off (a real window), Shift then mouse1 still pans instead of orbiting."""
    base, _, pointer, _ = window
    pos0, hpr0 = camera(base)
    base.messenger.send("shift")
    base.messenger.send("mouse1")
    pointer.at = (0.2, 0.0)
    base.taskMgr.step()
    base.messenger.send("mouse1-up")
    base.messenger.send("shift-up")
    pos1, hpr1 = camera(base)
    assert np.linalg.norm(pos1 - pos0) > 1.0 and hpr1 == pytest.approx(hpr0, abs=1e-3)


def test_right_click_orbits_around_the_point_under_the_cursor(window):
    """A right click on the marker tower makes the point clicked the orbit's centre, camera unmoved."""
    base, controller, pointer, _ = window
    pos0, _ = camera(base)
    controller.orbit.look(pos0, (10.0, 10.0, 20.0), controller.orbit.fov)  # the tower in the middle
    controller.apply()
    pointer.at = (0.0, 0.0)
    base.messenger.send("mouse3")
    target = controller.orbit.target
    assert camera(base)[0] == pytest.approx(pos0, abs=1e-3)
    assert -1e-3 <= target[0] <= 20.0 + 1e-3 and -1e-3 <= target[1] <= 20.0 + 1e-3 and 20.0 < target[2] <= 40.0
    assert min(abs(target[0]), abs(target[1]), abs(target[2] - 40.0)) < 1e-3  # on its south or west wall or roof


def test_help_lists_the_navigation_keys(window):
    """The help overlay lists moving, the mode keys and the bookmarks."""
    _, controller, _, _ = window
    text = controller.help_text()
    for line in ("W A S D or Up Left Down Right  move", "G  walk on the ground", "U  fly", "1  street"):
        assert line in text


def test_the_avatar_fits_the_walker_and_its_parts_face_outward():
    """The avatar stands 1.755 m tall inside the walker's 0.3 m radius, shows its body colour, and every
    face of its (convex) building blocks points away from the block's centre."""
    from viewer.render.avatar import _box, _face_normals, _icosphere, _tapered, avatar_mesh

    corners, rgb = avatar_mesh((0.2, 0.4, 0.8))
    points = corners.reshape(-1, 3).astype(np.float64)
    assert np.hypot(points[:, 0], points[:, 1]).max() <= 0.305
    assert points[:, 2].min() == 0.0 and points[:, 2].max() == pytest.approx(1.755)
    assert (rgb == (0.2, 0.4, 0.8)).all(axis=1).any()
    for (positions, triangles), centre in ((_icosphere((0, 0, 0), 1.0), (0, 0, 0)),
                                           (_box((0, 0, 0), (1, 2, 3)), (0, 0, 0)),
                                           (_tapered((0, 0, 0), (0, 0, 1), (0.3, 0.2), (0.1, 0.1)), (0, 0, 0.5))):
        faces = positions[triangles]
        outward = np.einsum("ij,ij->i", _face_normals(faces), faces.mean(axis=1) - centre)
        assert (outward > 0).all()


def test_name_tags_face_the_camera_and_grow_with_distance(offscreen_gl):
    """A name tag is a billboarded text above the avatar, drawn over the scene; tag_scale keeps its natural
    size nearby and grows it far away so it stays a fixed share of the screen."""
    from viewer.render.avatar import TAG_HEIGHT, make_avatar, name_tag, tag_scale

    avatar = make_avatar(offscreen_gl.render)
    try:
        tag = name_tag(avatar, "Anna")
        assert tag.node().get_text() == "Anna" and tag.get_z() == pytest.approx(TAG_HEIGHT)
        assert tag.get_bin_name() == "fixed" and tag.has_billboard()
    finally:
        avatar.remove_node()
    assert tag_scale(5.0) == 0.22
    assert tag_scale(400.0) == pytest.approx(2 * 400.0 * np.tan(np.radians(30.0)) * 0.025)


@pytest.mark.render
def test_the_avatar_renders_as_a_readable_figure(offscreen_gl):
    """Rendered 4 m in front of the camera, the avatar covers the middle of the image in its body colour
    with a head above, against the background."""
    from viewer.app.headless import render_stage_image
    from viewer.render.avatar import make_avatar
    from viewer.render.camera import CameraPose
    from viewer.render.stage import build_stage

    stage = build_stage(offscreen_gl.render, town(), Style())
    avatar = make_avatar(stage.root, colour=(0.1, 0.3, 0.9))
    avatar.set_pos(40.0, -30.0, 0.0)
    avatar.set_h(180.0)  # facing the camera
    try:
        pose = CameraPose((40.0, -34.0, 1.0), (40.0, -30.0, 1.0), 40.0, 0.1, 1000.0)
        image = render_stage_image(offscreen_gl, stage, (120, 160), pose, Style()).astype(int)
    finally:
        stage.remove()
    torso = image[60:80, 57:63].reshape(-1, 3).mean(axis=0)  # z 1.0 to 1.4 m: rows 80 to 60 of 160
    assert torso[2] > torso[0] + 60  # blue shirt
    head = image[39:42, 57:63].reshape(-1, 3).mean(axis=0)  # z 1.69 to 1.75 m, above the visor
    assert head[0] > head[2] + 20  # skin
    assert image[5, 5] == pytest.approx(image[5, -5], abs=3)  # nothing but the background in the corners


class _StubWindow:
    """Just enough of a GraphicsWindow for WindowPointer: size, pointer, focus, property requests."""

    def __init__(self) -> None:
        self.requests: list = []
        self.moves: list[tuple[int, int]] = []
        self.x, self.y, self.foreground = 600, 150, True

    def get_x_size(self) -> int:
        return 800

    def get_y_size(self) -> int:
        return 600

    def get_pointer(self, device: int):
        window = self

        class Pointer:
            def get_in_window(self) -> bool:
                return True

            def get_x(self) -> int:
                return window.x

            def get_y(self) -> int:
                return window.y

        return Pointer()

    def move_pointer(self, device: int, x: int, y: int) -> bool:
        self.moves.append((x, y))
        self.x, self.y = x, y
        return True

    def get_properties(self):
        from panda3d.core import WindowProperties

        props = WindowProperties()
        props.set_foreground(self.foreground)
        return props

    def request_properties(self, props) -> None:
        self.requests.append(props)


def test_window_pointer_captures_hides_and_recentres():
    """WindowPointer reads pixels as -1..1 (y up), captures by hiding and confining the cursor and moving
    it to the middle, releases by showing it, and refuses to capture an unfocused window."""
    from types import SimpleNamespace

    from panda3d.core import WindowProperties

    from viewer.app.navigation import WindowPointer

    win = _StubWindow()
    pointer = WindowPointer(SimpleNamespace(win=win))
    assert pointer() == pytest.approx((0.5, 0.5))
    assert pointer.capture() and win.moves == [(400, 300)] and pointer() == (0.0, 0.0)
    assert win.requests[-1].get_cursor_hidden() and win.requests[-1].get_mouse_mode() == WindowProperties.M_confined
    pointer.release()
    assert not win.requests[-1].get_cursor_hidden()
    win.foreground = False
    assert not pointer.capture() and len(win.requests) == 2
