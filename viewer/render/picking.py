"""Picker: what is drawn at a screen point, read back from an id render (exact, headless, instancing included).

Rules this module keeps:
1. The id render draws the same scene from the same camera into a tiny WINDOW x WINDOW buffer whose lens
   is the view's projection cropped to the pixels around the point (a MatrixLens: projection x crop), so
   only what lies under the point is drawn and culling keeps it cheap. Multisampling is off: ids never blend.
2. Encoding (the pick shaders of render/colour_lut.py and render/vehicles.py): RGB = index + 1 as 24 bits,
   alpha = kind (KIND_CITY: a model object index; KIND_VEHICLE: an instance index of the last vehicle
   frame). Nodes tagged PICK_TAG = "city" / "vehicles" get their kind's pick shader through the camera's
   tag states, at the ordinary priority so that the shader inputs set on them and their children still
   apply (an overriding priority would drop those). Nodes without a shader of their own draw with the null
   shader (all zero) of the camera's initial state; anything else untagged draws as it is, opaque, and an
   alpha of 255 never decodes as an id. Blending is forced off so no id is ever mixed with another.
3. The buffer renders only while a pick runs (one render_frame of the engine), then is inactive again.
   A vehicle within VEHICLE_REACH pixels of the centre wins (far vehicles are points a couple of pixels
   wide, render/vehicles.py rule 7: a click a pixel off one still finds it rather than the road under it);
   otherwise the centre pixel wins; if it holds nothing, the nearest pixel in the window that holds something.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
from panda3d.core import (
    Camera,
    ColorBlendAttrib,
    FrameBufferProperties,
    GraphicsOutput,
    GraphicsPipe,
    LMatrix4f,
    MatrixLens,
    NodePath,
    RenderState,
    Shader,
    ShaderAttrib,
    Texture,
    TransparencyAttrib,
    WindowProperties,
)

from viewer.render.shader_files import load_shader

PICK_TAG = "citiverse-pick"
KIND_CITY, KIND_VEHICLE = 1, 2
KIND_LAYER = 3  # 3 + slot, up to 254: what a layer of render/layer_draw.py drew (an alpha of 255 is never an id)
VEHICLE_REACH = 1  # pixels from the click within which a vehicle wins (rule 3)
WINDOW = 5
OVERRIDE = 1000

@functools.cache
def null_shader() -> Shader:
    return load_shader("pick_null.vert", "pick_null.frag")


@dataclass(frozen=True)
class PickHit:
    """kind KIND_CITY (index: model object) or KIND_VEHICLE (index: instance of the last vehicle frame)."""

    kind: int
    index: int


def crop_matrix(px: float, py: float, size: tuple[int, int], window: int = WINDOW) -> LMatrix4f:
    """Clip-space crop (Panda3D row-vector convention) that maps the `window` pixels around pixel (px, py)
    (from the top-left of a view of `size`) onto the whole of a window x window buffer."""
    w, h = size
    cx, cy = (px + 0.5) / w * 2.0 - 1.0, 1.0 - (py + 0.5) / h * 2.0
    sx, sy = w / window, h / window
    return LMatrix4f(sx, 0, 0, 0, 0, sy, 0, 0, 0, 0, 1, 0, -cx * sx, -cy * sy, 0, 1)


def decode(pixels: np.ndarray) -> PickHit | None:
    """The hit in a (k, k, 4) uint8 RGBA read-back, top row first (rule 3)."""
    k = pixels.shape[0]
    ids = pixels[..., 0].astype(np.int64) | pixels[..., 1].astype(np.int64) << 8 | \
        pixels[..., 2].astype(np.int64) << 16
    kind = pixels[..., 3].astype(np.int64)
    found = (ids > 0) & (kind >= KIND_CITY) & (kind < 255)
    c = (k - 1) / 2.0
    near = np.zeros_like(found)
    lo, hi = int(c - VEHICLE_REACH), int(c + VEHICLE_REACH) + 1
    near[lo:hi, lo:hi] = True
    vehicles = found & near & (kind == KIND_VEHICLE)
    if vehicles.any():
        found = vehicles
    if not found.any():
        return None
    yy, xx = np.nonzero(found)
    best = int(np.argmin((yy - c) ** 2 + (xx - c) ** 2))
    y, x = int(yy[best]), int(xx[best])
    return PickHit(int(kind[y, x]), int(ids[y, x]) - 1)


class Picker:
    """Id renders of `scene` (usually base.render) seen by `camera` through `lens` (rules above)."""

    def __init__(self, base: Any, scene: NodePath, camera: NodePath, lens: Any, window: int = WINDOW) -> None:
        self.base, self.lens, self.window = base, lens, window
        props = FrameBufferProperties()
        props.set_rgba_bits(8, 8, 8, 8)
        props.set_depth_bits(24)
        props.set_multisamples(0)
        self.buffer = base.graphicsEngine.make_output(
            base.pipe, "citiverse-pick", -20, props, WindowProperties.size(window, window),
            GraphicsPipe.BF_refuse_window, base.win.get_gsg(), base.win)
        if self.buffer is None:
            raise RuntimeError("cannot create the picking buffer")
        self.texture = Texture("citiverse-pick")
        self.buffer.add_render_texture(self.texture, GraphicsOutput.RTM_copy_ram, GraphicsOutput.RTP_color)
        self.buffer.set_clear_color_active(True)
        self.buffer.set_clear_color((0, 0, 0, 0))
        self.pick_lens = MatrixLens()
        node = Camera("citiverse-pick-camera", self.pick_lens)
        node.set_scene(scene)
        no_blending = RenderState.make(TransparencyAttrib.make(TransparencyAttrib.M_none),
                                       ColorBlendAttrib.make_off(), OVERRIDE)
        node.set_initial_state(no_blending.add_attrib(ShaderAttrib.make(null_shader()), 0))
        node.set_tag_state_key(PICK_TAG)
        self.camera = camera.attach_new_node(node)
        region = self.buffer.make_display_region()
        region.set_camera(self.camera)
        self.buffer.set_active(False)

    def add_kind(self, tag: str, shader: Shader) -> None:
        """Nodes tagged PICK_TAG = `tag` draw their ids with `shader` (rule 2)."""
        state = RenderState.make(ShaderAttrib.make(shader))
        self.camera.node().set_tag_state(tag, state)

    def pick(self, px: float, py: float, size: tuple[int, int]) -> PickHit | None:
        """What is drawn at pixel (px, py) from the top-left of the view, which is `size` (w, h) pixels."""
        w, h = size
        if not (0 <= px < w and 0 <= py < h):
            return None
        self.pick_lens.set_user_mat(self.lens.get_projection_mat() * crop_matrix(px, py, size, self.window))
        self.buffer.set_active(True)
        try:
            self.base.graphicsEngine.render_frame()
        finally:
            self.buffer.set_active(False)
        data = self.texture.get_ram_image_as("RGBA")
        k = self.window
        if len(data) != k * k * 4:
            return None
        return decode(np.frombuffer(data, np.uint8).reshape(k, k, 4)[::-1])

    def remove(self) -> None:
        self.camera.remove_node()
        self.base.graphicsEngine.remove_window(self.buffer)
