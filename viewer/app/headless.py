"""Headless rendering: a scene or a model to an image (numpy array or PNG) with offscreen OpenGL.

Rules this module keeps:
1. Everything draws on the process's one offscreen ShowBase (viewer.app.base.offscreen_base). Each render
   builds a Stage and an OffscreenView (its own buffer, camera and display region at the requested size)
   and removes both afterwards, so any number of renders, of any sizes, can follow each other.
2. A capture renders CAPTURE_FRAMES frames before reading back: the first frame uploads geometry and the
   image is complete from the second on.
3. Images are (h, w, 3) uint8 RGB, row 0 at the top (Panda3D's textures are bottom-up; we flip).
4. Camera: a named bookmark of the scene, or None to frame the whole model from the south-west. An unknown
   name raises ConfigError listing the known names.
5. Multisampling: 4x by default (`multisamples=None`), none for models above MULTISAMPLE_MAX_TRIANGLES:
   on llvmpipe 4x costs about 0.3 s a frame at a million triangles, for edges that are a pixel wide at that
   scale anyway. An explicit count is always honoured.
6. A scene's streamed tilesets (app/tiles_scene.py) draw under the stage and every tile the frame needs is
   loaded before the frame is drawn, so the same camera gives the same image.
7. The look (render/look.py): a scene's renders take its look and time (full by default: sun, shadows, sky,
   haze); a bare model renders plain unless a LookSpec is given. The stage's look follows each pose.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from panda3d.core import (
    Camera,
    FrameBufferProperties,
    GraphicsOutput,
    GraphicsPipe,
    PerspectiveLens,
    Texture,
    WindowProperties,
)

from viewer.app.base import offscreen_base, supports_shaders
from viewer.app.tiles_scene import attach_tiles, remove_tiles, settle_tiles
from viewer.city.model import CityModel
from viewer.config import CameraBookmark, Style
from viewer.errors import ConfigError, RenderError
from viewer.render.camera import CameraPose, apply_pose, frame_bounds, pose_from_bookmark
from viewer.render.stage import Stage, background_rgba, build_stage

CAPTURE_FRAMES = 1  # a fresh buffer copies its first frame to RAM complete
DEFAULT_MULTISAMPLES = 4
MULTISAMPLE_MAX_TRIANGLES = 1_000_000  # rule 5
PNG_COMPRESS_LEVEL = 1  # a city frame: 0.07 s and ~320 KB at 1280x720, against 0.11 s and ~380 KB at zlib's 6
MAX_SIZE = 8192


class OffscreenView:
    """An offscreen buffer of `size` (w, h) on `base`, with its own camera, showing base.render."""

    def __init__(self, base: Any, size: tuple[int, int], background: tuple[float, float, float, float],
                 multisamples: int = DEFAULT_MULTISAMPLES) -> None:
        w, h = int(size[0]), int(size[1])
        if not (0 < w <= MAX_SIZE and 0 < h <= MAX_SIZE):
            raise RenderError(f"image size {w}x{h} is outside 1..{MAX_SIZE} pixels per side")
        self.base, self.size = base, (w, h)
        self.buffer = self._make_buffer(multisamples) or self._make_buffer(0)
        if self.buffer is None:
            raise RenderError(f"cannot create a {w}x{h} offscreen buffer")
        self.texture = Texture("capture")
        self.buffer.add_render_texture(self.texture, GraphicsOutput.RTM_copy_ram, GraphicsOutput.RTP_color)
        self.buffer.set_clear_color_active(True)
        self.buffer.set_clear_color(background)
        self.lens = PerspectiveLens()
        self.camera = base.render.attach_new_node(Camera("capture-camera", self.lens))
        self.region = self.buffer.make_display_region()
        self.region.set_camera(self.camera)

    def _make_buffer(self, multisamples: int) -> Any:
        props = FrameBufferProperties()
        props.set_rgb_color(True)
        props.set_rgba_bits(8, 8, 8, 8)
        props.set_depth_bits(24)
        props.set_multisamples(multisamples)
        return self.base.graphicsEngine.make_output(
            self.base.pipe, "citiverse-capture", -10, props, WindowProperties.size(*self.size),
            GraphicsPipe.BF_refuse_window, self.base.win.get_gsg(), self.base.win)

    @property
    def aspect(self) -> float:
        return self.size[0] / self.size[1]

    def set_pose(self, pose: CameraPose) -> None:
        apply_pose(self.camera, self.lens, pose, self.aspect)

    def capture(self, frames: int = CAPTURE_FRAMES) -> np.ndarray:
        """Render `frames` frames and return the last as (h, w, 3) uint8 RGB, top row first."""
        for _ in range(max(1, frames)):
            self.base.graphicsEngine.render_frame()
        w, h = self.texture.get_x_size(), self.texture.get_y_size()
        data = self.texture.get_ram_image_as("RGB")
        if (w, h) != self.size or len(data) != w * h * 3:
            raise RenderError(f"offscreen read-back returned {w}x{h}, expected {self.size[0]}x{self.size[1]}")
        return np.frombuffer(data, np.uint8).reshape(h, w, 3)[::-1].copy()

    def close(self) -> None:
        self.camera.remove_node()
        self.base.graphicsEngine.remove_window(self.buffer)


def model_pose(stage: Stage, size: tuple[int, int], bookmark: CameraBookmark | None) -> CameraPose:
    """The bookmark's pose, or a south-west 3/4 view framing the whole model."""
    if bookmark is not None:
        return pose_from_bookmark(bookmark, stage.bmin, stage.bmax)
    return frame_bounds(stage.bmin, stage.bmax, size[0] / size[1], points=stage.frame_points)


def multisamples_for(model: CityModel, multisamples: int | None = None) -> int:
    """The multisample count for drawing `model` (rule 5)."""
    if multisamples is not None:
        return multisamples
    return DEFAULT_MULTISAMPLES if model.triangle_count <= MULTISAMPLE_MAX_TRIANGLES else 0


def render_model_image(model: CityModel, style: Style, size: tuple[int, int] = (1280, 720),
                       bookmark: CameraBookmark | None = None,
                       multisamples: int | None = None, basemap: Any = None, frame: Any = None,
                       scene: Any = None, look: Any = None) -> np.ndarray:
    """Draw `model` offscreen and return the image, (h, w, 3) uint8 RGB; basemap: the scene's [basemap]
    (BasemapConfig) with `frame` its LocalFrame, waited for (render/basemap_texture.py rule 5); scene: the
    LoadedScene whose streamed tilesets are drawn too, every tile the frame needs waited for (rule 6), and
    whose look (render/look.py) is drawn unless `look` says otherwise (rule 7)."""
    multisamples = multisamples_for(model, multisamples)
    base = offscreen_base()
    shaders = supports_shaders(base)
    if look is None and scene is not None:
        from viewer.render.look import scene_look

        look = scene_look(scene)
    stage = build_stage(base.render, model, style, shaders=shaders, basemap=basemap, frame=frame, look=look,
                        base=base)
    tiles = attach_tiles(stage, scene, shaders) if scene is not None else []
    try:
        return render_stage_image(base, stage, size, model_pose(stage, size, bookmark), style, multisamples,
                                  tiles=tiles, wait=scene.config.tiles.wait if tiles else 0.0)
    finally:
        remove_tiles(tiles)
        stage.remove()


def render_stage_image(base: Any, stage: Stage, size: tuple[int, int], pose: CameraPose, style: Style,
                       multisamples: int = DEFAULT_MULTISAMPLES, tiles: list[Any] = (),  # type: ignore[assignment]
                       wait: float = 0.0) -> np.ndarray:
    """Draw an already built stage from `pose` into a fresh buffer of `size`; (h, w, 3) uint8 RGB. tiles:
    app/tiles_scene.py stages settled for this pose first (rule 6)."""
    view = OffscreenView(base, size, background_rgba(style), multisamples)
    try:
        view.set_pose(pose)
        stage.follow_view(view.camera, view.lens)
        settle_tiles(list(tiles), view.camera, view.lens, base.render, view.size, wait)
        settle_basemap(stage, view)
        return view.capture()
    finally:
        release_basemap(stage, view)
        view.close()


def settle_basemap(stage: Stage, view: OffscreenView) -> None:
    """Wait for the base map tiles this view needs and show its attribution (a no-op without a base map)."""
    if stage.basemap is not None:
        stage.basemap.settle(view.camera, view.lens, view.size, view.base.render, output=view.buffer)


def release_basemap(stage: Stage, view: OffscreenView) -> None:
    if stage.basemap is not None:
        stage.basemap.release(view.buffer)


def find_bookmark(config: Any, camera: str | None) -> CameraBookmark | None:
    """The scene's bookmark named `camera` (None for None); ConfigError naming the known ones if absent."""
    if camera is None:
        return None
    cameras = config.cameras
    if camera not in cameras:
        known = ", ".join(sorted(cameras)) or "none defined"
        raise ConfigError(config.path or config.name, f"cameras.{camera}",
                          f"unknown camera {camera!r} (known: {known})")
    return cameras[camera]


def render_scene_png(scene: Any, out: Path, size: tuple[int, int] = (1280, 720),
                     camera: str | None = None) -> Path:
    """Render a LoadedScene (config, frame, model) to a PNG at `out`; returns `out`."""
    bookmark = find_bookmark(scene.config, camera)
    image = render_model_image(scene.model, scene.config.style, size, bookmark, basemap=scene.config.basemap,
                               frame=scene.frame, scene=scene)
    return write_png(image, Path(out))


def write_png(image: np.ndarray, out: Path) -> Path:
    """Write an (h, w, 3) uint8 image as PNG, creating missing parent folders."""
    from PIL import Image  # Pillow only for writing files; rendering itself never needs it

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.ascontiguousarray(image, np.uint8)).save(out, format="PNG",
                                                                     compress_level=PNG_COMPRESS_LEVEL)
    except OSError as exc:
        raise RenderError(f"cannot write {out}: {exc}") from None
    return out

