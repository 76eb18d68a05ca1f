"""The interactive window: orbit, pan and zoom around the city, bookmarks on 1-9, help on H.

Rules this module keeps:
1. All camera state lives in viewer.render.orbit.Orbit (pure); ViewerController only turns Panda3D events
   into Orbit calls and applies the resulting pose to base.camera / base.camLens.
2. Events are bound through one table (`_bindings`: KEY_BINDINGS, the mouse events, keys 1-9); the keys'
   help lines come from KEY_BINDINGS itself and the bookmark lines from the bookmarks, so the help text
   cannot drift from the keys.
3. The controller never reads the mouse directly: `pointer()` returns the cursor in -1..1 (or None). The
   window passes one reading base.mouseWatcherNode; tests pass their own and drive the controller on the
   offscreen ShowBase with messenger events, exactly as the window would.
4. Quitting stops the task manager (base.run() returns) instead of sys.exit, so run_window returns to its
   caller, and closing the window does the same.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from direct.gui.OnscreenText import OnscreenText
from direct.showbase.DirectObject import DirectObject
from panda3d.core import TextNode

from viewer.app.base import close_base, supports_shaders, window_base
from viewer.app.headless import find_bookmark
from viewer.config import CameraBookmark
from viewer.render.camera import apply_pose
from viewer.render.orbit import Orbit
from viewer.render.stage import Stage, background_rgba, build_stage

Pointer = Callable[[], tuple[float, float] | None]

KEY_BINDINGS: list[tuple[str, str, str]] = [  # (Panda3D event, controller method, help label)
    ("f", "frame", "F  frame the whole model"),
    ("h", "toggle_help", "H  show / hide this help"),
    ("escape", "quit", "Esc or Q  quit"),
    ("q", "quit", ""),
]
MOUSE_HELP = ["Left drag  orbit", "Middle drag or Shift + left drag  pan", "Wheel  zoom toward the cursor",
              "1-9  camera bookmarks"]
CLOSE_EVENT = "citiverse-window-close"


class ViewerController(DirectObject):
    """Binds mouse and keys on `base` to an Orbit over the stage; bookmarks are (name, bookmark) in order."""

    def __init__(self, base: Any, stage: Stage, bookmarks: list[tuple[str, CameraBookmark]],
                 pointer: Pointer | None = None, on_quit: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.base = base
        self.bookmarks = bookmarks[:9]
        self.pointer = pointer or self._mouse_watcher_pointer
        self.on_quit = on_quit or base.taskMgr.stop
        self.orbit = Orbit(stage.bmin, stage.bmax, self._aspect(), stage.frame_points)
        self.drag_mode: str | None = None  # "orbit" | "pan" while a button is held
        self.last: tuple[float, float] | None = None
        self.help = OnscreenText(text=self.help_text(), parent=base.a2dTopLeft, pos=(0.04, -0.07),
                                 scale=0.045, align=TextNode.A_left, fg=(1, 1, 1, 1), shadow=(0, 0, 0, 0.7),
                                 mayChange=False)
        for event, handler in self._bindings().items():
            self.accept(event, handler)
        base.taskMgr.add(self._task, "citiverse-viewer-input")
        self.apply()

    def _bindings(self) -> dict[str, Callable[[], None]]:
        table: dict[str, Callable[[], None]] = {e: getattr(self, m) for e, m, _ in KEY_BINDINGS}
        table.update({
            "mouse1": lambda: self.start_drag("orbit"), "shift-mouse1": lambda: self.start_drag("pan"),
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
        keys = [label for _, _, label in KEY_BINDINGS if label]
        return "\n".join(MOUSE_HELP + keys + names)

    # ------------------------------------------------------------------ actions

    def apply(self) -> None:
        """Put base.camera and base.camLens where the orbit says."""
        self.orbit.aspect = self._aspect()
        apply_pose(self.base.camera, self.base.camLens, self.orbit.pose(), self.orbit.aspect)

    def start_drag(self, mode: str) -> None:
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
        at = self.pointer()
        toward = self.orbit.cursor_ground_point(*at) if at is not None else None
        self.orbit.zoom(steps, toward)
        self.apply()

    def frame(self) -> None:
        self.orbit.frame()
        self.apply()

    def bookmark(self, index: int) -> None:
        self.show(self.bookmarks[index][1])

    def show(self, mark: CameraBookmark) -> None:
        """Jump to a bookmark's view."""
        self.orbit.look(mark.position, mark.look_at, mark.fov)
        self.apply()

    def toggle_help(self) -> None:
        (self.help.show if self.help.is_hidden() else self.help.hide)()

    def quit(self) -> None:
        self.on_quit()

    def destroy(self) -> None:
        """Unbind everything and remove the help text (the ShowBase lives on)."""
        self.ignore_all()
        self.base.taskMgr.remove("citiverse-viewer-input")
        self.help.destroy()

    # ------------------------------------------------------------------ plumbing

    def _task(self, task: Any) -> Any:
        self.update()
        return task.cont

    def _aspect(self) -> float:
        return float(self.base.getAspectRatio(self.base.win)) if self.base.win is not None else 16 / 9

    def _mouse_watcher_pointer(self) -> tuple[float, float] | None:
        watcher = self.base.mouseWatcherNode
        if watcher is None or not watcher.has_mouse():
            return None
        m = watcher.get_mouse()
        return (float(m.x), float(m.y))


def run_window(scene: Any, camera: str | None = None, size: tuple[int, int] = (1280, 720)) -> None:
    """Open a window on a LoadedScene (starting at bookmark `camera`, else framed) and run until the user
    quits. RenderError when no display; ConfigError for an unknown camera name (checked first)."""
    bookmarks = list(scene.config.cameras.items())
    start = find_bookmark(scene.config, camera)
    base = window_base(f"CitiVerse - {scene.config.name}", size)
    try:
        base.disableMouse()  # the default trackball would fight the orbit controller
        base.win.set_clear_color(background_rgba(scene.config.style))
        base.win.set_close_request_event(CLOSE_EVENT)
        stage = build_stage(base.render, scene.model, scene.config.style, shaders=supports_shaders(base))
        controller = ViewerController(base, stage, bookmarks)
        if start is not None:
            controller.show(start)
        base.run()
        controller.destroy()
        stage.remove()
    finally:
        close_base()
