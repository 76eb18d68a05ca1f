"""An interactive view of a city in Jupyter: orbit, zoom and pick, with every frame rendered by the kernel.

    from viewer import api
    from viewer.notebook import CityView
    view = CityView(api.demo_scene(), size=(640, 360))
    view            # the last line of a cell shows it: drag to orbit, buttons to orbit and zoom, click to pick

Rules this module keeps:
1. The browser only shows PNG frames and sends what the hand did (a drag, a click, a button) as messages;
   the camera is viewer.render.orbit.Orbit (the window's orbit camera, pure math) and frames come from
   viewer.api Scene.render, so a notebook shows what the window and `citiverse render` show.
2. Picking casts the ray under the click through the scene's collision index (viewer.nav, the window's own
   picking) and names the object seen from above at the point hit (Scene.object_at).
3. Everything the browser can do is a method here too (orbit_by, zoom, pick, reset), so the view is driven
   and tested without a browser.
4. anywidget is optional (pip install anywidget): imported when a view is made, with the install line
   when it is missing.
"""

from __future__ import annotations

import base64
import math
from typing import Any

import numpy as np

from viewer.api import Frame, Pose, Scene

BUTTON_DEGREES = 0.25  # a button press orbits as a drag over an eighth of the view does
_ESM = """
function render({ model, el }) {
  const img = document.createElement("img");
  img.style.cursor = "grab"; img.draggable = false;
  const bar = document.createElement("div");
  const status = document.createElement("div");
  status.style.font = "12px sans-serif"; status.style.minHeight = "1.4em";
  const send = (msg) => model.send(msg);
  for (const [label, msg] of [["\u25c0", {type: "orbit", dx: -1, dy: 0}], ["\u25b6", {type: "orbit", dx: 1, dy: 0}],
                              ["\u25b2", {type: "orbit", dx: 0, dy: 1}], ["\u25bc", {type: "orbit", dx: 0, dy: -1}],
                              ["+", {type: "zoom", steps: 1}], ["\u2212", {type: "zoom", steps: -1}],
                              ["\u27f2", {type: "reset"}]]) {
    const b = document.createElement("button"); b.textContent = label; b.onclick = () => send(msg); bar.append(b);
  }
  let down = null;
  img.onmousedown = (e) => { down = [e.offsetX, e.offsetY]; };
  img.onmouseup = (e) => {
    if (!down) return;
    const [dx, dy] = [e.offsetX - down[0], e.offsetY - down[1]];
    const w = img.clientWidth || 1, h = img.clientHeight || 1;
    if (Math.hypot(dx, dy) < 4) send({type: "pick", x: e.offsetX * img.naturalWidth / w, y: e.offsetY * img.naturalHeight / h});
    else send({type: "drag", dx: 2 * dx / w, dy: -2 * dy / h});
    down = null;
  };
  const show = () => { img.src = "data:image/png;base64," + model.get("png"); status.textContent = model.get("status"); };
  model.on("change:png", show); model.on("change:status", show); show();
  el.append(bar, img, status);
}
export default { render };
"""


def _widget_base() -> Any:
    try:
        import anywidget  # optional: only the notebook view needs it (rule 4)
    except ImportError:
        raise ImportError("the interactive view needs anywidget: pip install anywidget") from None
    return anywidget.AnyWidget


def CityView(scene: Scene, size: tuple[int, int] = (640, 360)) -> Any:  # noqa: N802  (a class made on demand)
    """An interactive view of `scene` (see the module docstring); `size` of the frames in pixels."""
    return _view_class()(scene, size)


_CLASS: list[Any] = []


def _view_class() -> Any:
    """The widget class, made once anywidget is imported (rule 4)."""
    if _CLASS:
        return _CLASS[0]
    import traitlets

    class _CityView(_widget_base()):  # type: ignore[misc]
        _esm = _ESM
        png = traitlets.Unicode("").tag(sync=True)
        status = traitlets.Unicode("").tag(sync=True)
        picked = traitlets.Unicode("").tag(sync=True)  # the id of the last object picked ("" for none)

        def __init__(self, scene: Scene, size: tuple[int, int]) -> None:
            super().__init__()
            from viewer.render.orbit import Orbit

            self.scene, self.size = scene, (int(size[0]), int(size[1]))
            lo, hi = scene.bounds
            self.orbit = Orbit(lo, hi, self.size[0] / self.size[1])
            self.frame: Frame | None = None
            self._index: Any = None
            self.on_msg(self._message)
            self.redraw()

        # the hand's actions (rule 3)
        def orbit_by(self, dx: float, dy: float) -> None:
            """Turn around the target as a drag of (dx, dy) across the view (-1..1 units each way) does."""
            self.orbit.drag(dx, dy)
            self.redraw()

        def zoom(self, steps: float) -> None:
            self.orbit.zoom(steps)
            self.redraw()

        def reset(self) -> None:
            self.orbit.frame()
            self.redraw()

        def pick(self, x: float, y: float) -> str | None:
            """The object under pixel (x, y) from the top-left, or None (rule 2); shown in the status line."""
            hit = self._ray_hit(x, y)
            found = self.scene.object_at(hit[0], hit[1]) if hit is not None else None
            self.picked = found or ""
            if found is None:
                self.status = "nothing there"
            else:
                info = self.scene.object(found)
                self.status = f"{found} ({info.type}, {info.height:.1f} m)"
            return found

        @property
        def pose(self) -> Pose:
            p = self.orbit.pose()
            return Pose(position=p.position, look_at=p.look_at, fov=p.fov)

        def redraw(self) -> None:
            self.frame = self.scene.render(self.pose, size=self.size)
            self.png = base64.b64encode(self.frame.to_png()).decode("ascii")

        # plumbing
        def _message(self, _: Any, content: dict[str, Any], buffers: Any = None) -> None:
            kind = content.get("type")
            if kind == "orbit":
                self.orbit_by(BUTTON_DEGREES * float(content["dx"]), BUTTON_DEGREES * float(content["dy"]))
            elif kind == "drag":
                self.orbit_by(float(content["dx"]), float(content["dy"]))
            elif kind == "zoom":
                self.zoom(float(content["steps"]))
            elif kind == "reset":
                self.reset()
            elif kind == "pick":
                self.pick(float(content["x"]), float(content["y"]))

        def _ray_hit(self, x: float, y: float) -> np.ndarray | None:
            """The scene point under pixel (x, y): the view's ray through it, cast on the collision index."""
            from viewer.nav.index import CollisionIndex
            from viewer.render.camera import horizontal_fov, screen_axes

            if self._index is None:
                self._index = CollisionIndex.from_model(self.scene.model)
            pose = self.orbit.pose()
            position = np.asarray(pose.position, np.float64)
            forward = np.asarray(pose.look_at, np.float64) - position
            forward /= max(float(np.linalg.norm(forward)), 1e-9)
            right, up = screen_axes(forward)
            w, h = self.size
            tan_v = math.tan(math.radians(pose.fov) / 2)
            tan_h = math.tan(math.radians(horizontal_fov(pose.fov, w / h)) / 2)
            nx, ny = 2 * x / w - 1, 1 - 2 * y / h
            direction = forward + nx * tan_h * right + ny * tan_v * up
            distance = self._index.raycast(position, direction, max_distance=1e6)
            if distance is None:
                return None
            point: np.ndarray = position + distance * direction / np.linalg.norm(direction)
            return point

        def _repr_png_(self) -> bytes:  # outside a widget front end (nbconvert, a plain console): the frame
            return self.frame.to_png() if self.frame is not None else b""

    _CLASS.append(_CityView)
    return _CityView
