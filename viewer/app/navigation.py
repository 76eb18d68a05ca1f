"""Walk, fly and follow in the window: keys and mouse in, viewer.nav's poses out to the camera.

Rules this module keeps:
1. All motion is decided by viewer.nav (pure, tested without a window); this module only reads input,
   feeds a Navigator once a frame and applies the pose it returns to base.camera and base.camLens.
2. Keys are bound from Controls (nav/bindings.py). Held keys are tracked by their down/up events, which
   needs plain event names whatever modifier is held: with a real window the ButtonThrower's modifier
   prefixes ("shift-w") are switched off while Navigation lives, and restored by destroy(). Losing the
   window's focus forgets every held key (no stuck keys after Alt-Tab).
3. The pointer is a PointerDevice: position in -1..1 (as window.py's pointer), capture (hidden, confined
   cursor), release, recentre, focus. The window passes WindowPointer; tests pass a fake with the same
   methods. While captured, each frame's pointer motion turns the view, then the pointer is recentred.
   It is captured on entering walk, fly or follow and on a click, released by Esc and by losing focus.
4. Orbit stays the window controller's: switching to orbit hands the current view to its Orbit
   (`look`), switching away takes the Orbit's pose, so the view stays where it is across every switch.
5. The clock is injected (default: the ShowBase's frame dt), so tests step frames with a fixed dt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import numpy as np
from direct.gui.OnscreenText import OnscreenText
from direct.showbase.DirectObject import DirectObject
from panda3d.core import ModifierButtons, TextNode, WindowProperties

from viewer.nav.bindings import MODIFIER_SIDES, Controls
from viewer.nav.glide import blend_angles, glide_seconds, land_spot, smoothstep
from viewer.nav.index import CollisionIndex
from viewer.nav.kinematics import Intent
from viewer.nav.modes import Navigator, NavPose, VehicleSource, pose_from_look_at
from viewer.render.avatar import make_avatar
from viewer.render.camera import (
    CameraPose,
    apply_pose,
    bounding_radius,
    horizontal_fov,
    near_far,
    screen_axes,
)

CYCLE = {"walk": "fly", "fly": "orbit", "orbit": "walk", "follow": "orbit"}
MOUSE_LINES = ["Mouse  look around in walk, fly and follow (click to capture, Esc releases)",
               "Wheel  speed (walk, fly), distance (follow), zoom (orbit)",
               "Right click  orbit around the point clicked"]


@runtime_checkable
class PointerDevice(Protocol):
    """Where the pointer is (-1..1, None when outside the window) and control over capturing it."""

    def __call__(self) -> tuple[float, float] | None: ...
    def capture(self) -> bool: ...
    def release(self) -> None: ...
    def recentre(self) -> None: ...
    def focused(self) -> bool: ...


class FreePointer:
    """A PointerDevice around a plain position callable: capture is only remembered, never enforced."""

    def __init__(self, position: Callable[[], tuple[float, float] | None]) -> None:
        self.position = position

    def __call__(self) -> tuple[float, float] | None:
        return self.position()

    def capture(self) -> bool:
        return True

    def release(self) -> None:
        pass

    def recentre(self) -> None:
        pass

    def focused(self) -> bool:
        return True


class WindowPointer:
    """The mouse of a real ShowBase window (see rule 3)."""

    def __init__(self, base: Any) -> None:
        self.base = base

    def __call__(self) -> tuple[float, float] | None:
        win = self.base.win
        pointer = win.get_pointer(0)
        if not pointer.get_in_window():
            return None
        w, h = max(win.get_x_size(), 1), max(win.get_y_size(), 1)
        return (2.0 * pointer.get_x() / w - 1.0, 1.0 - 2.0 * pointer.get_y() / h)

    def capture(self) -> bool:
        if not self.focused():
            return False
        self._request(hidden=True, mode=WindowProperties.M_confined)
        self.recentre()
        return True

    def release(self) -> None:
        self._request(hidden=False, mode=WindowProperties.M_absolute)

    def recentre(self) -> None:
        win = self.base.win
        win.move_pointer(0, win.get_x_size() // 2, win.get_y_size() // 2)

    def focused(self) -> bool:
        return bool(self.base.win.get_properties().get_foreground())

    def _request(self, hidden: bool, mode: Any) -> None:
        props = WindowProperties()
        props.set_cursor_hidden(hidden)
        props.set_mouse_mode(mode)
        self.base.win.request_properties(props)


class Navigation(DirectObject):
    """Walk / fly / follow for a window controller that owns an Orbit (`orbit`, `apply_orbit`)."""

    def __init__(self, base: Any, index: CollisionIndex, bounds: tuple[Any, Any], controls: Controls,
                 pointer: PointerDevice, orbit: Any, apply_orbit: Callable[[], None],
                 on_quit: Callable[[], None], clock: Callable[[], float] | None = None,
                 vehicles: VehicleSource | None = None, on_escape: Callable[[], bool] | None = None) -> None:
        super().__init__()
        self.base, self.index, self.controls, self.pointer = base, index, controls, pointer
        self.bmin, self.bmax = np.asarray(bounds[0], np.float64), np.asarray(bounds[1], np.float64)
        self.orbit, self.apply_orbit, self.on_quit = orbit, apply_orbit, on_quit
        self.clock = clock or base.clock.get_dt
        self.navigator = Navigator(index, controls.walk, controls.fly, controls.smoothing, vehicles)
        self.events = controls.events()  # key name -> action
        self.vehicle: str | None = None  # chosen in the traffic layer (set_vehicle), for follow
        self.down: set[str] = set()  # raw key names held now
        self.captured = False
        self.last: tuple[float, float] | None = None  # pointer position after the last recentre
        self.jump = False
        self.glide_from: NavPose | None = None  # the view a landing glides from (switch)
        self.glide_elapsed = 0.0
        self.on_escape = on_escape  # closes an open panel (app/tools.py); True when it did
        self.message = ""
        self.avatar = make_avatar(base.render)
        self.avatar.hide()
        # Bottom centre: the layers' legends stack up the left; two lines fit above the edge (a message).
        self.status = OnscreenText(text="", parent=base.a2dBottomCenter, pos=(0.0, 0.1), scale=0.045,
                                   align=TextNode.A_center, fg=(1, 1, 1, 1), shadow=(0, 0, 0, 0.7), mayChange=True)
        self._saved_modifiers = _plain_key_events(base)
        self._bind()
        base.taskMgr.add(self._task, "citiverse-navigation", sort=-10)
        self._show_status()

    # ------------------------------------------------------------------ binding

    def _bind(self) -> None:
        events = self.events
        held = set(self.controls.held())
        actions = {"walk": lambda: self.switch("walk"), "fly": lambda: self.switch("fly"),
                   "orbit": lambda: self.switch("orbit"), "follow": lambda: self.switch("follow"),
                   "cycle": self.cycle, "view": self.toggle_view, "collision": self.toggle_collision,
                   "release": self.release_or_quit}
        tracked = set(events) | {side for sides in MODIFIER_SIDES.values() for side in sides} | set(MODIFIER_SIDES)
        for name in tracked:
            action = events.get(name)
            if action in held or action is None:
                self.accept(name, self._key_down, [name])
                self.accept(f"{name}-up", self._key_up, [name])
            elif action in actions:
                self.accept(name, actions[action])

    def _key_down(self, name: str) -> None:
        self.down.add(name)
        if self.events.get(name) == "up":
            self.jump = True

    def _key_up(self, name: str) -> None:
        self.down.discard(name)

    def held(self, action: str) -> bool:
        """Whether any key of `action` is down (a modifier on either side)."""
        return any(k in self.down or any(s in self.down for s in MODIFIER_SIDES.get(k, ()))
                   for k in self.controls.keys[action])

    def held_key(self, key: str) -> bool:
        """Whether `key` (a modifier on either side) is down now."""
        return key in self.down or any(side in self.down for side in MODIFIER_SIDES.get(key, ()))

    def shift_down(self) -> bool:
        return any(k in self.down for k in ("shift", *MODIFIER_SIDES["shift"]))

    # ------------------------------------------------------------------ modes

    @property
    def mode(self) -> str:
        return self.navigator.mode

    def current_view(self) -> NavPose:
        """The camera's pose now, from whichever mode drives it."""
        pose = self.navigator.pose()
        if pose is not None:
            return self._gliding(pose) if self.glide_from is not None else pose
        orbit = self.orbit.pose()
        return pose_from_look_at(orbit.position, orbit.look_at)

    def switch(self, mode: str, at: tuple[float, float, float] | None = None) -> None:
        """Enter `mode` (follow needs a vehicle chosen with set_vehicle). From orbit, walk and fly land at
        the point under the screen centre (or `at`, a clicked point) facing the same way, gliding there;
        with Shift held they keep the camera's own spot. Other switches keep the view."""
        if mode == self.mode:
            return
        if mode == "follow" and self.vehicle is None:
            self.message = "No vehicle chosen: pick one in the traffic layer to follow it"
            self._show_status()
            return
        view = self.current_view()
        target = self._orbit_target(view) if mode == "orbit" else None  # before the avatar goes
        landing = self._landing(view, at) if self.mode == "orbit" and mode in ("walk", "fly") else None
        if landing is not None:
            self.navigator.enter_at(mode, landing, view.heading, 0.0 if mode == "walk" else min(view.pitch, -10.0))
            self.glide_from, self.glide_elapsed = view, 0.0
        else:
            self.navigator.enter(mode, view, self.vehicle)
        self.message = ""
        if target is not None:
            self.release()
            self.apply()  # hides the avatar
            self.orbit.look(view.position, target, self.orbit.fov)
            self.apply_orbit()
        else:
            self.capture()
            self.apply()
        self._show_status()

    def _landing(self, view: NavPose, at: tuple[float, float, float] | None) -> tuple[float, float, float] | None:
        """Where walk or fly starts from the orbit view (nav/glide.py rule 3); None with Shift held (keep
        the camera's spot) or when the centre of the view is sky."""
        if self.shift_down():
            return None
        hit = at if at is not None else self.pick(0.0, 0.0)
        return None if hit is None else land_spot(self.index, view.position, hit)

    def cycle(self) -> None:
        self.switch(CYCLE[self.mode])

    def set_vehicle(self, vehicle: str | None) -> None:
        """The vehicle that follow mode rides with (the traffic layer's pick)."""
        self.vehicle = vehicle

    def teleport(self, position: Any, look_at: Any, fov: float) -> None:
        """A camera bookmark in walk or fly mode (follow goes back to orbit first, as the caller does)."""
        self.orbit.fov = float(fov)
        self.glide_from, self.glide_elapsed = self.current_view(), 0.0  # glide there, no jump
        self.navigator.teleport(tuple(position), tuple(look_at))
        self.apply()

    def toggle_view(self) -> None:
        self.navigator.toggle_third_person()
        self.apply()
        self._show_status()

    def toggle_collision(self) -> None:
        self.navigator.toggle_collision()
        self._show_status()

    def wheel(self, steps: int) -> None:
        self.navigator.wheel(steps)
        self._show_status()

    def _orbit_target(self, view: NavPose) -> tuple[float, float, float]:
        """What the orbit will turn around: the avatar's head when it was in view (it lies on the view
        axis), else the first thing straight ahead, else a point ahead."""
        avatar = self.navigator.avatar()
        if avatar is not None:
            feet = avatar[0]
            return (feet[0], feet[1], feet[2] + self.controls.walk.eye_height)
        ahead = 0.1 * bounding_radius(self.bmin, self.bmax)
        hit = self.index.raycast(view.position, np.subtract(view.look_at(1.0), view.position), 20 * ahead)
        return view.look_at(max(hit, 1.0) if hit is not None else ahead)

    # ------------------------------------------------------------------ pointer

    def capture(self) -> None:
        if self.mode != "orbit" and not self.captured:
            self.captured = self.pointer.capture()
            self.last = self.pointer() if self.captured else None
            self._show_status()

    def release(self) -> None:
        if self.captured:
            self.pointer.release()
        self.captured, self.last = False, None
        self._show_status()

    def release_or_quit(self) -> None:
        """Esc: give the mouse back; with nothing captured, close the open panel (on_escape); else quit."""
        if self.captured:
            self.release()
        elif self.on_escape is None or not self.on_escape():
            self.on_quit()

    def pick(self, x: float, y: float) -> tuple[float, float, float] | None:
        """The scene point under screen point (x, y) in -1..1 for the current camera, or None."""
        view = self.current_view()
        forward = np.subtract(view.look_at(1.0), view.position)
        right, up = screen_axes(forward)
        aspect = self._aspect()
        tan_v = np.tan(np.radians(self.orbit.fov) / 2.0)
        tan_h = np.tan(np.radians(horizontal_fov(self.orbit.fov, aspect)) / 2.0)
        ray = forward + right * x * tan_h + up * y * tan_v
        hit = self.index.raycast(view.position, ray, 40.0 * bounding_radius(self.bmin, self.bmax))
        if hit is None:
            return None
        p = np.asarray(view.position) + ray / np.linalg.norm(ray) * hit
        return (float(p[0]), float(p[1]), float(p[2]))

    # ------------------------------------------------------------------ per frame

    def update(self, dt: float) -> None:
        """One frame: focus, mouse look, keys -> Navigator -> camera and avatar."""
        if self.captured and not self.pointer.focused():
            self.release()
            self.down.clear()
        jump, self.jump = self.jump, False
        if self.mode == "orbit":
            return
        turn = self._look_delta()
        forward = float(self.held("forward")) - float(self.held("back"))
        right = float(self.held("right")) - float(self.held("left"))
        up = float(self.held("up")) - float(self.held("down"))
        intent = Intent(forward, right, up, run=self.held("run"), jump=jump)
        if self.glide_from is not None:
            self.glide_elapsed += dt
        self.apply(self.navigator.update(dt, intent, turn))

    def _gliding(self, pose: NavPose) -> NavPose:
        """The camera part way from the view a landing started at to the mode's own pose (no jump)."""
        assert self.glide_from is not None
        start = self.glide_from
        seconds = glide_seconds(start.position, pose.position)
        if self.glide_elapsed >= seconds:
            self.glide_from = None
            return pose
        k = smoothstep(self.glide_elapsed / seconds)
        position = np.add(start.position, np.subtract(pose.position, start.position) * k)
        heading, pitch = blend_angles((start.heading, start.pitch), (pose.heading, pose.pitch), k)
        return NavPose((float(position[0]), float(position[1]), float(position[2])), heading, pitch)

    def _look_delta(self) -> tuple[float, float]:
        """Degrees (heading, pitch) the pointer turned the view since the last frame (0 when free)."""
        if not self.captured:
            return (0.0, 0.0)
        now = self.pointer()
        delta = (0.0, 0.0)
        if now is not None and self.last is not None:
            dx, dy = now[0] - self.last[0], now[1] - self.last[1]
            fov = self.orbit.fov
            k = self.controls.sensitivity
            sign = -1.0 if self.controls.invert_y else 1.0
            delta = (-dx * horizontal_fov(fov, self._aspect()) / 2.0 * k, sign * dy * fov / 2.0 * k)
        self.pointer.recentre()
        self.last = self.pointer()
        return delta

    def apply(self, pose: NavPose | None = None) -> None:
        """Put the camera (and the avatar) where the navigator says (`pose` when just computed); nothing
        in orbit mode."""
        pose = pose or self.navigator.pose()
        if pose is None:
            self.avatar.hide()
            return
        if self.glide_from is not None:
            pose = self._gliding(pose)
        margin = 0.1 * bounding_radius(self.bmin, self.bmax)
        near, far = near_far(pose.position, self.bmin, self.bmax, margin=margin)
        avatar = self.navigator.avatar()
        if avatar is not None:  # the avatar a few metres ahead must not be clipped, even off the model
            near = min(near, 1.0)
        camera = CameraPose(pose.position, pose.look_at(10.0), self.orbit.fov, near, far)
        apply_pose(self.base.camera, self.base.camLens, camera, self._aspect())
        if avatar is None:
            self.avatar.hide()
        else:
            self.avatar.show()
            self.avatar.set_pos(*avatar[0])
            self.avatar.set_h(avatar[1])

    def help_lines(self) -> list[str]:
        return MOUSE_LINES + self.controls.help_lines()

    def destroy(self) -> None:
        """Unbind, give the mouse back, remove the avatar and status line, restore modifier events."""
        self.release()
        self.ignore_all()
        self.base.taskMgr.remove("citiverse-navigation")
        self.avatar.remove_node()
        self.status.destroy()
        if self._saved_modifiers is not None:
            self.base.buttonThrowers[0].node().set_modifier_buttons(self._saved_modifiers)

    # ------------------------------------------------------------------ plumbing

    def _task(self, task: Any) -> Any:
        self.update(float(self.clock()))
        return task.cont

    def _aspect(self) -> float:
        return float(self.base.getAspectRatio(self.base.win)) if self.base.win is not None else 16 / 9

    def say(self, text: str) -> None:
        """A line under the mode on the status line, until the next mode change."""
        self.message = text
        self._show_status()

    def _show_status(self) -> None:
        text = self.navigator.status()
        if self.mode != "orbit" and not self.captured:
            text += "  -  click to look around with the mouse"
        self.status.setText(f"{text}\n{self.message}" if self.message else text)


def _plain_key_events(base: Any) -> Any:
    """Switch off modifier prefixes on the window's key events (rule 2); the old setting, or None."""
    throwers = getattr(base, "buttonThrowers", None)
    if not throwers:
        return None
    node = throwers[0].node()
    saved = node.get_modifier_buttons()
    node.set_modifier_buttons(ModifierButtons())
    return saved
