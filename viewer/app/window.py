"""The interactive window: orbit (the default), walk, fly and follow through the city, bookmarks on 1-9.

Rules this module keeps:
1. All camera state lives in pure objects: viewer.render.orbit.Orbit for orbit mode, viewer.nav's
   Navigator (through app/navigation.py) for walk, fly and follow. ViewerController turns Panda3D events
   into Orbit calls and applies the resulting pose to base.camera / base.camLens while in orbit mode;
   Navigation does the same for the other modes. Switching mode keeps the view where it is.
2. Events are bound through tables (`_bindings`: the Controls' frame/help/quit keys, the mouse events,
   keys 1-9; Navigation binds the movement and mode keys); the help lines come from the same Controls
   and the bookmark lines from the bookmarks, so the help text cannot drift from the keys.
3. The controller never reads the mouse directly: `pointer()` returns the cursor in -1..1 (or None). The
   window passes one reading base.mouseWatcherNode; tests pass their own and drive the controller on the
   offscreen ShowBase with messenger events, exactly as the window would.
4. Quitting stops the task manager (base.run() returns) instead of sys.exit, so run_window returns to its
   caller, and closing the window does the same.
5. run_window builds the window's parts in an ExitStack: each registers its teardown as soon as it is
   built, so they are torn down in reverse order (the last built first, the window itself last), after a
   normal quit and when building a later part fails (a control port in use, a meeting refused) alike.
6. Parts are given their callbacks when built (constructor arguments: ViewerController's on_help,
   on_search, on_escape; MeetingView's on_layer, on_feed_time, on_pins); no part sets another's callbacks
   afterwards. The tools need the controller, so the controller's three reach them through a holder
   filled right after.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from direct.gui.OnscreenText import OnscreenText
from direct.showbase.DirectObject import DirectObject
from panda3d.core import TextNode

from viewer.app.base import close_base, supports_shaders, window_base
from viewer.app.headless import find_bookmark
from viewer.app.navigation import FreePointer, Navigation, PointerDevice, WindowPointer
from viewer.app.state_dump import StateDump
from viewer.app.tiles_window import WindowTiles
from viewer.app.tools import WindowTools
from viewer.config import CameraBookmark
from viewer.nav.bindings import Controls, describe, load_controls
from viewer.nav.clearance import CityClearance
from viewer.nav.glide import Glide
from viewer.nav.index import CollisionIndex
from viewer.nav.modes import VehicleSource
from viewer.nav.pins import pins_file_for
from viewer.render.camera import apply_pose
from viewer.render.orbit import Orbit
from viewer.render.stage import Stage, background_rgba, build_stage

Pointer = Callable[[], tuple[float, float] | None]

CONTROLLER_ACTIONS = {"frame": "frame", "help": "toggle_help", "quit": "quit"}  # Controls action: method
MOUSE_HELP = ["Left drag  orbit", "Middle drag or Shift + left drag  pan", "Wheel  zoom toward the cursor",
              "1-9  camera bookmarks"]
CLOSE_EVENT = "citiverse-window-close"
FLY_TO_MIN, FLY_TO_MAX = 40.0, 400.0  # metres from what a fly-to looks at
FLY_TO_MIN_RISE = 0.35  # a fly-to looks down on its target at least this steeply (sine of the angle)


class ViewerController(DirectObject):
    """Binds mouse and keys on `base` to an Orbit over the stage and to Navigation (walk, fly, follow);
    bookmarks are (name, bookmark) in order. `pointer` is a position callable or a PointerDevice (one that
    can capture the mouse); `index` the scene's collision index (default: just the stage's ground)."""

    def __init__(self, base: Any, stage: Stage, bookmarks: list[tuple[str, CameraBookmark]],
                 pointer: Pointer | None = None, on_quit: Callable[[], None] | None = None,
                 index: CollisionIndex | None = None, controls: Controls | None = None,
                 clock: Callable[[], float] | None = None, vehicles: VehicleSource | None = None,
                 help_shown: bool = True, on_help: Callable[[], None] | None = None,
                 on_search: Callable[[], None] | None = None, on_escape: Callable[[], bool] | None = None) -> None:
        super().__init__()
        self.base = base
        self.bookmarks = bookmarks[:9]
        device: PointerDevice = (pointer if isinstance(pointer, PointerDevice)
                                 else FreePointer(pointer or self._mouse_watcher_pointer))
        self.pointer = device
        self.on_quit = on_quit or base.taskMgr.stop
        self.controls = controls or Controls()
        self.orbit = Orbit(stage.bmin, stage.bmax, self._aspect(), stage.frame_points)
        self.drag_mode: str | None = None  # "orbit" | "pan" while a button is held
        self.glide: Glide | None = None  # an orbit glide under way (bookmarks, fly-to) and its clock
        self.glide_elapsed = 0.0
        self.on_help = on_help  # the keys help drawn elsewhere (app/tools.py's panel) instead of here
        self.on_search = on_search  # Ctrl+F (app/tools.py)
        self.last: tuple[float, float] | None = None
        index = index or CollisionIndex.empty(float(stage.ground.get_z()))
        self.nav = Navigation(base, index, (stage.bmin, stage.bmax), self.controls, device, self.orbit,
                              self.apply, self.quit, clock=clock, vehicles=vehicles, on_escape=on_escape)
        self.help = OnscreenText(text=self.help_text(), parent=base.a2dTopLeft, pos=(0.04, -0.07),
                                 scale=0.045, align=TextNode.A_left, fg=(1, 1, 1, 1), shadow=(0, 0, 0, 0.7),
                                 mayChange=False)
        self.help_shown = help_shown
        if not help_shown:  # e.g. the layers' legends fill the left column: a hint instead
            self.help.hide()
            self.nav.say(f"{describe(self.controls.keys['help'])}  keys help")
        for event, handler in self._bindings().items():
            self.accept(event, handler)
        base.taskMgr.add(self._task, "citiverse-viewer-input")
        self.apply()

    def _bindings(self) -> dict[str, Callable[[], None]]:
        table: dict[str, Callable[[], None]] = {
            key: getattr(self, method) for action, method in CONTROLLER_ACTIONS.items()
            for key in self.controls.keys[action]}
        table.update({
            "mouse1": self.left_click, "shift-mouse1": lambda: self.start_drag("pan"),
            "mouse3": self.orbit_around_cursor,
            "mouse2": lambda: self.start_drag("pan"), "shift-mouse2": lambda: self.start_drag("pan"),
            "mouse1-up": self.end_drag, "shift-mouse1-up": self.end_drag,
            "mouse2-up": self.end_drag, "shift-mouse2-up": self.end_drag,
            "wheel_up": lambda: self.zoom(1), "wheel_down": lambda: self.zoom(-1),
            "shift-wheel_up": lambda: self.zoom(1), "shift-wheel_down": lambda: self.zoom(-1),
            CLOSE_EVENT: self.quit,
        })
        for i in range(len(self.bookmarks)):
            table[str(i + 1)] = functools.partial(self.bookmark, i)
        return table

    def help_text(self) -> str:
        names = [f"  {i + 1}  {name}" for i, (name, _) in enumerate(self.bookmarks)]
        return "\n".join(MOUSE_HELP + self.nav.help_lines() + names)

    # ------------------------------------------------------------------ actions

    def apply(self) -> None:
        """Put base.camera and base.camLens where the orbit says (only while orbit drives the camera)."""
        if self.nav.mode != "orbit":
            return
        self.orbit.aspect = self._aspect()
        apply_pose(self.base.camera, self.base.camLens, self.orbit.pose(), self.orbit.aspect)

    def left_click(self) -> None:
        """Orbit mode: start an orbit drag (a pan with Shift held); other modes: capture the mouse."""
        if self.nav.mode != "orbit":
            self.nav.capture()
        else:
            self.start_drag("pan" if self.nav.shift_down() else "orbit")

    def start_drag(self, mode: str) -> None:
        if self.nav.mode != "orbit":
            return
        self.glide = None  # the hand takes over from a glide
        self.drag_mode, self.last = mode, self.pointer()

    def end_drag(self) -> None:
        self.drag_mode, self.last = None, None

    def update(self) -> None:
        """Apply the pointer's motion since the last call to the current drag (called every frame)."""
        if self.drag_mode is None:
            return
        now = self.pointer()
        if now is None or self.last is None:
            self.last = now
            return
        dx, dy = now[0] - self.last[0], now[1] - self.last[1]
        self.last = now
        if dx or dy:
            (self.orbit.drag if self.drag_mode == "orbit" else self.orbit.pan)(dx, dy)
            self.apply()

    def zoom(self, steps: int) -> None:
        if self.nav.mode != "orbit":
            self.nav.wheel(steps)
            return
        self.glide = None
        at = self.pointer()
        toward = self.orbit.cursor_ground_point(*at) if at is not None else None
        self.orbit.zoom(steps, toward)
        self.apply()

    def frame(self) -> None:
        """Show the whole model (in orbit mode, switching to it), gliding there; Ctrl+F searches instead
        (the navigation's plain key events make it an F with Ctrl held)."""
        if self.nav.held_key("control") and self.on_search is not None:
            self.on_search()
            return
        self.nav.switch("orbit")
        start = self.orbit.pose()
        end = self.orbit.frame()
        self.glide_orbit(start, end.position, end.look_at)

    def orbit_around_cursor(self) -> None:
        """Orbit mode: turn around the scene point under the cursor from where the camera is."""
        at = self.pointer()
        point = self.nav.pick(*at) if at is not None and self.nav.mode == "orbit" else None
        if point is not None:
            self.orbit.look(self.orbit.position(), point, self.orbit.fov)
            self.apply()

    def bookmark(self, index: int) -> None:
        self.show(self.bookmarks[index][1])

    def show(self, mark: CameraBookmark, glide: bool = True) -> None:
        """Go to a bookmark's view, gliding there: walk and fly move there, orbit (and follow, leaving it)
        look. glide=False takes the view at once: where the camera already is (a camera path handing the
        view back) or where the window opens (`--camera`)."""
        if self.nav.mode in ("walk", "fly"):
            self.nav.teleport(mark.position, mark.look_at, mark.fov)
            if not glide:
                self.nav.glide_from = None
                self.nav.apply()
            return
        self.nav.switch("orbit")
        start = self.orbit.pose()
        self.orbit.fov = float(mark.fov)
        if glide:
            self.glide_orbit(start, mark.position, mark.look_at)
            return
        self.glide = None
        self.orbit.look(mark.position, mark.look_at, self.orbit.fov)
        self.apply()

    def take_view(self, mark: CameraBookmark) -> None:
        """show() without the glide (rule of the camera-path handover and the opening view)."""
        self.show(mark, glide=False)

    def fly_to(self, point: Any, size: float = 0.0) -> None:
        """Glide (in orbit mode, switching to it) to look at `point` from the current direction, from a
        distance that fits something `size` metres across (double-click, search hits, pins)."""
        self.nav.switch("orbit")
        start = self.orbit.pose()
        distance = min(max(2.5 * size, FLY_TO_MIN), FLY_TO_MAX, self.orbit.distance)
        distance = max(distance, FLY_TO_MIN)
        direction = np.subtract(start.position, start.look_at)
        direction = direction / max(float(np.linalg.norm(direction)), 1e-9)
        if direction[2] < FLY_TO_MIN_RISE:  # look down on it, whatever the view was
            flat = np.hypot(direction[0], direction[1]) or 1.0
            direction = np.array([direction[0] / flat * 0.8, direction[1] / flat * 0.8, FLY_TO_MIN_RISE])
            direction /= np.linalg.norm(direction)
        self.glide_orbit(start, np.asarray(point, np.float64) + direction * distance, point)

    def glide_orbit(self, start: Any, position: Any, look_at: Any) -> None:
        """Glide the orbit camera from pose `start` to `position` looking at `look_at` (nav/glide.py)."""
        self.glide, self.glide_elapsed = Glide.between(start.position, start.look_at, position, look_at), 0.0
        self.orbit.look(start.position, start.look_at, self.orbit.fov)
        self.apply()

    def _advance_glide(self, dt: float) -> None:
        if self.glide is None:
            return
        self.glide_elapsed += dt
        position, look_at = self.glide.at(self.glide_elapsed)
        self.orbit.look(position, look_at, self.orbit.fov)
        if self.glide.done(self.glide_elapsed):
            self.glide = None
        self.apply()

    def toggle_help(self) -> None:
        if self.on_help is not None:
            self.on_help()
            return
        (self.help.show if self.help.is_hidden() else self.help.hide)()
        self.help_shown = not self.help.is_hidden()

    def quit(self) -> None:
        self.on_quit()

    def destroy(self) -> None:
        """Unbind everything and remove the help text (the ShowBase lives on)."""
        self.ignore_all()
        self.base.taskMgr.remove("citiverse-viewer-input")
        self.nav.destroy()
        self.help.destroy()

    # ------------------------------------------------------------------ plumbing

    def _task(self, task: Any) -> Any:
        if self.nav.mode == "orbit":
            self._advance_glide(float(self.nav.clock()))
            self.update()
        else:
            self.glide = None
        return task.cont

    def state(self) -> dict[str, Any]:
        """The camera and mode for the test hook (app/state_dump.py)."""
        cam = self.base.camera
        x, y, z = (float(v) for v in cam.get_pos(self.base.render))
        h, p, r = (float(v) for v in cam.get_hpr(self.base.render))
        feet = self.nav.navigator.avatar()
        return {"mode": self.nav.mode, "camera": [x, y, z], "hpr": [h, p, r],
                "ground": self.nav.index.ground_under(x, y), "gliding": self.glide is not None
                or self.nav.glide_from is not None, "feet": list(feet[0]) if feet else None,
                "fov": float(self.orbit.fov), "message": self.nav.message,
                "size": [self.base.win.get_x_size(), self.base.win.get_y_size()]}

    def _aspect(self) -> float:
        return float(self.base.getAspectRatio(self.base.win)) if self.base.win is not None else 16 / 9

    def _mouse_watcher_pointer(self) -> tuple[float, float] | None:
        watcher = self.base.mouseWatcherNode
        if watcher is None or not watcher.has_mouse():
            return None
        m = watcher.get_mouse()
        return (float(m.x), float(m.y))


@dataclass(frozen=True)
class FeedRequest:
    """Live layers for the window: feed is a ws:// URL, a recording or a Source (the demo's); layers a comma
    list (None: the scene's)."""

    feed: Any
    layers: str | None = None
    token: str | None = None
    cafile: str | None = None
    speed: float = 1.0
    loop: bool = False


@dataclass(frozen=True)
class MeetRequest:
    """Join a meeting: url names the room (ws://host:8767/ROOM), token is the signed join token."""

    url: str
    token: str
    name: str | None = None


def run_window(scene: Any, camera: str | None = None, size: tuple[int, int] = (1280, 720),
               feed: FeedRequest | None = None, meet: MeetRequest | None = None,
               flythrough: Path | None = None, screenshot_dir: Path | None = None, control: Any = None) -> None:
    """Open a window on a LoadedScene (starting at bookmark `camera`, else framed) and run until the user
    quits, with live layers from `feed` and a shared meeting `meet` when given; camera paths are recorded
    to and played from `flythrough` (default: the scene's flythrough file); F12 screenshots go to
    `screenshot_dir` (default: the current folder), pins to the scene's pins file; `control` (a ControlRequest)
    opens the loopback control channel of app/control_channel.py. RenderError when no display;
    ConfigError for an unknown camera name or a broken user controls file (both checked first)."""
    from viewer.app.flythrough_window import FlythroughControl, default_file

    bookmarks = list(scene.config.cameras.items())
    start = find_bookmark(scene.config, camera)
    controls = load_controls()
    with contextlib.ExitStack() as parts:  # rule 5: each part's teardown registered as it is built
        base = window_base(f"CitiVerse - {scene.config.name}", size)
        parts.callback(close_base)
        base.disableMouse()  # the default trackball would fight the orbit controller
        base.win.set_clear_color(background_rgba(scene.config.style))
        base.win.set_close_request_event(CLOSE_EVENT)
        from viewer.render.look import scene_look

        look = dataclasses.replace(scene_look(scene), soft_shadows=False)  # one-tap shadows (render/look.py rule 4)
        stage = build_stage(base.render, scene.model, scene.config.style, shaders=supports_shaders(base),
                            basemap=scene.config.basemap, frame=scene.frame, basemap_always=True,
                            look=look, base=base)
        parts.callback(stage.remove)
        _follow_look(base, stage)
        streamed = WindowTiles(base, stage, scene)  # before the controller: it widens the stage's bounds
        parts.callback(streamed.destroy)
        index = CollisionIndex.from_model(scene.model, base_z=float(stage.ground.get_z()))
        # Rule 6: the live layers come before the controller (it follows their vehicles) and the tools after it
        # (they take it), so a picked vehicle, help, search and Esc reach them through `later`, filled on the
        # next lines (no key or click is handled before base.run()).
        later: dict[str, Any] = {}
        live = _attach_live(base, stage, scene, feed,
                            on_vehicle=lambda vehicle: later["controller"].nav.set_vehicle(vehicle)) if feed else None
        if live is not None:
            parts.callback(live.detach)
        controller = ViewerController(base, stage, bookmarks, pointer=WindowPointer(base), index=index,
                                      controls=controls, vehicles=live.vehicle_pose if live else None,
                                      help_shown=live is None,  # with layers, their legends take that corner
                                      on_help=lambda: later["tools"].toggle_help(),
                                      on_search=lambda: later["tools"].open_search(),
                                      on_escape=lambda: later["tools"].escape())
        parts.callback(controller.destroy)
        later["controller"] = controller  # a picked vehicle is the one follow mode rides
        if live is not None:
            live.rules.bind_keys(controller.fly_to)  # J: fly to the next alert (app/live_rules.py)
        tools = later["tools"] = _attach_tools(base, controller, scene, live, screenshot_dir)
        parts.callback(tools.destroy)
        tools.sun = _attach_sun(base, stage, look, controls, controller)
        parts.callback(tools.sun.destroy)
        hours = _attach_shadow_hours(base, stage, scene, tools.sun, controls, controller, live)
        parts.callback(hours.destroy)
        feed_time = _attach_feed_time(base, live, controls, controller.nav.say) if live is not None else None
        if feed_time is not None:
            parts.callback(feed_time.destroy)
        streamed.attach(index, tools.hud)
        meeting = _join_meeting(base, controller, live, meet, feed, on_pins=tools.set_room_pins,
                                on_sun_time=tools.sun.follow_room) if meet else None
        if meeting is not None:
            parts.callback(meeting.destroy)
            tools.attach_meeting(meeting)  # the room's pins (app/tools.py rule 5)
        _basemap_key(base, stage, controller, live is not None)
        paths = FlythroughControl(base, flythrough or default_file(scene.config), controls, controller.take_view,
                                  (stage.bmin, stage.bmax), obstacles=lambda: CityClearance.from_model(scene.model))
        parts.callback(paths.destroy)
        # The loaded city is hundreds of thousands of long-lived objects (attribute dicts, ids): exempt them
        # from the cyclic garbage collector so a full collection never stalls a frame (smooth motion).
        gc.freeze()
        if start is not None:
            controller.take_view(start)
        dump = StateDump.from_environment(base, lambda: {**controller.state(), **tools.state(), **streamed.state(),
                                                          **hours.state(),
                                                          **(feed_time.state() if feed_time else {})})
        if dump is not None:
            parts.callback(dump.remove)
        if control is not None:
            parts.callback(_open_control(base, control, controller, tools, live, scene).close)
        base.run()


def _open_control(base: Any, control: Any, controller: Any, tools: Any, live: Any, scene: Any) -> Any:
    """`--control`: the loopback control channel (app/control_channel.py), `control` a ControlRequest."""
    from viewer.app.control_channel import open_control

    return open_control(base, control, controller, tools, live, scene)


def _follow_look(base: Any, stage: Stage) -> None:
    """Shadows and haze fit the window's view each frame, after the controls moved the camera and before
    the frame is drawn (igLoop runs at sort 50)."""
    if stage.look is None:
        return

    def follow(task: Any) -> Any:
        stage.follow_view(base.cam, base.camLens)
        return task.cont

    base.taskMgr.add(follow, "citiverse-look", sort=49)


def _basemap_key(base: Any, stage: Stage, controller: ViewerController, live: bool) -> None:
    """The controls' basemap key (I, imagery: M measures) cycles the stage's base map; a task keeps its
    tiles following the camera (never waiting)."""
    drape = stage.basemap
    if drape is None:
        return
    drape.set_live(live)
    drape.show_attribution(base.win)

    def cycle() -> None:
        controller.nav.say(f"base map: {drape.cycle()}")

    def follow(task: Any) -> Any:
        size = (base.win.get_x_size(), base.win.get_y_size())
        drape.update(base.cam, base.camLens, size, base.render)
        return task.cont

    for key in controller.controls.keys["basemap"]:
        controller.accept(key, cycle)
    base.taskMgr.add(follow, "citiverse-basemap")


def _attach_tools(base: Any, controller: ViewerController, scene: Any, live: Any,
                  screenshot_dir: Path | None) -> WindowTools:
    """The everyday tools (app/tools.py); the keys help moves onto their panel, with the layers' keys
    (F1 shows the same help)."""
    tools = WindowTools(base, controller, scene, pins_file_for(scene.config), screenshot_dir, live=live)
    controller.help.hide()
    if live is not None:
        live.ignore(live.keys()["help"])
        live.accept(live.keys()["help"], tools.toggle_help)
    return tools


def _attach_sun(base: Any, stage: Stage, look: Any, controls: Controls, controller: ViewerController) -> Any:
    """The sun's time of day on its keys (app/sun_time.py), shown under the north arrow."""
    from viewer.app.sun_time import SunTime

    return SunTime(base, stage, look, controls, controller.nav.shift_down, controller.nav.say)


def _attach_shadow_hours(base: Any, stage: Stage, scene: Any, sun: Any, controls: Controls,
                         controller: ViewerController, live: Any) -> Any:
    """The shadow-hours layer on its key (app/shadow_hours.py), for the day of the sun's time."""
    from viewer.app.shadow_hours import ShadowHours

    return ShadowHours(base, stage, scene, sun, controls.keys.get("shadow_hours", ()), controller.nav.say, live)


def _attach_feed_time(base: Any, live: Any, controls: Controls, say: Callable[[str], None]) -> Any:
    """Pause, steps, speed and the time bar for a recorded feed (app/feed_time.py); None for a live URL."""
    from viewer.app.feed_time import FeedTime  # the feed stack only when a feed is asked for

    return FeedTime.attach(base, live, controls, say)


def _attach_live(base: Any, stage: Any, scene: Any, feed: FeedRequest,
                 on_vehicle: Callable[[str | None], None] | None = None) -> Any:
    from viewer.app.live import LiveLayers, LiveOptions  # the feed stack only when a feed is asked for

    return LiveLayers.attach(base, stage, scene, feed.feed, options=LiveOptions.from_cli(feed.layers),
                             on_vehicle=on_vehicle,
                             token=feed.token, cafile=feed.cafile, speed=feed.speed, loop=feed.loop)


def _join_meeting(base: Any, controller: Any, live: Any, meet: MeetRequest, feed: FeedRequest | None = None,
                  on_pins: Callable[[Any], None] | None = None,
                  on_sun_time: Callable[[float | None], None] | None = None) -> Any:
    """Join the room; with live layers, the room's shared layer visibility drives them and a host's own
    toggles are shared with the room; a host's recording names the feed (a recording's absolute path, a URL).
    The room's pins go to `on_pins`; its shared feed time moves a recorded feed, then `on_sun_time`."""
    from viewer.app.live import LAYERS
    from viewer.app.meeting_view import join_meeting

    def follow_room(name: str, visible: bool) -> None:
        if name in LAYERS and live.styles[name].visible != visible:
            live.toggle(name)

    # A recording follows the room's shared feed time; a live URL is live.
    seek = live.feed.seek if live is not None and hasattr(live.feed, "seek") else None
    timed = [hook for hook in (seek, on_sun_time) if hook is not None]

    def follow_time(feed_time: float | None) -> None:
        for hook in timed:
            hook(feed_time)

    meeting = join_meeting(base, controller, meet.url, meet.token, name=meet.name,
                           on_layer=follow_room if live is not None else None,
                           on_feed_time=(timed[0] if len(timed) == 1 else follow_time) if timed else None,
                           on_pins=on_pins)
    if feed is not None and isinstance(feed.feed, str | Path):
        ref = str(feed.feed) if "://" in str(feed.feed) else str(Path(feed.feed).resolve())
        meeting.feed_ref = ref if len(ref) <= 300 else None
    if live is None:
        return meeting

    def toggle_and_share(name: str) -> None:
        live.toggle(name)
        if name in LAYERS and meeting.view.is_host:  # guests' toggles stay local
            meeting.share_layer(name, live.styles[name].visible)

    for name, key in live.keys().items():
        live.accept(key, toggle_and_share, [name])
    return meeting
