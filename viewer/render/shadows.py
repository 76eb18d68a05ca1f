"""Sun shadows: a depth map rendered from the sun, sampled by the city shaders (render/lighting.py rule 6).

Rules this module keeps:
1. Casters are the city (the stage's city root, and any root given to add_caster), instanced under a
   `casters` node of their own that only the sun's camera draws: the ground, the base map and the vehicles
   never cast (the ground would only shadow itself; vehicles draw instanced, their shader would be lost).
   The sun's camera draws every caster with DEPTH_SHADER at an overriding priority and no colour writes.
2. The map is one orthographic frustum along the sun, fitted each time fit() is called to a region (the
   model's box by default; the part of a view's frustum within `reach` metres with follow()), extended
   toward the sun to hold every caster of the model's box. Its centre is snapped to whole texels so a
   moving camera does not make shadow edges crawl. One map, not cascades: docs/look.md says what it costs.
3. Acne and peter-panning: receivers look up the map at a point moved NORMAL_OFFSET_TEXELS texels along
   their normal (the fix that holds at grazing sun), minus a depth bias of DEPTH_BIAS_METRES only.
4. shadow_matrix maps world (render) coordinates to (s, t, depth) in 0..1 of the map; with Panda3D's
   row-vector matrices uploaded as they are, GLSL applies it as `shadow_matrix * p`.
5. The casters do not move (vehicles never cast, rule 1), so the map is drawn only when its frustum or the
   sun changed: fit() arms the buffer for one frame (one-shot) then, and a still camera costs no shadow
   pass at all. `set_active(False)` (sun below the horizon) stops it and sets the shadow strength to 0.
   add_caster() arms it again. read_depth() copies the map to RAM (the shadow study's use).
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from panda3d.core import (
    Camera,
    ColorWriteAttrib,
    FrameBufferProperties,
    GraphicsOutput,
    GraphicsPipe,
    LMatrix4f,
    LVecBase4f,
    NodePath,
    OrthographicLens,
    Point3,
    RenderState,
    SamplerState,
    Shader,
    ShaderAttrib,
    Texture,
    Vec3,
    Vec4,
    WindowProperties,
)

MAP_SIZE = 2048
NORMAL_OFFSET_TEXELS = 1.5
DEPTH_BIAS_METRES = 0.05
OVERRIDE = 1000
SOFTNESS = 1.0  # PCF taps one texel apart
MAX_SHADOW_LENGTH = 500.0  # metres beyond the model a low sun's shadows are drawn

DEPTH_VERTEX = """#version 330
uniform mat4 p3d_ModelViewProjectionMatrix;
in vec4 p3d_Vertex;
void main() { gl_Position = p3d_ModelViewProjectionMatrix * p3d_Vertex; }
"""
DEPTH_FRAGMENT = """#version 330
void main() { }
"""


@functools.cache
def depth_shader() -> Shader:
    return Shader.make(Shader.SL_GLSL, vertex=DEPTH_VERTEX, fragment=DEPTH_FRAGMENT)


def light_basis(to_sun: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(right, forward, up) unit vectors of a camera looking along the sun's light (forward = -to_sun)."""
    forward = -np.asarray(to_sun, np.float64) / np.linalg.norm(to_sun)
    helper = np.array([0.0, 0.0, 1.0]) if abs(forward[2]) < 0.99 else np.array([0.0, 1.0, 0.0])
    right = np.cross(forward, helper)
    right /= np.linalg.norm(right)
    return right, forward, np.cross(right, forward)


def box_corners(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])], np.float64)


class ShadowMap:
    """A sun's depth map of the casters (rules above), bound as shader inputs on `receivers`."""

    def __init__(self, base: Any, receivers: NodePath, casters_box: tuple[np.ndarray, np.ndarray],
                 size: int = MAP_SIZE) -> None:
        self.base, self.receivers, self.size = base, receivers, int(size)
        self.box = (np.asarray(casters_box[0], np.float64), np.asarray(casters_box[1], np.float64))
        self.casters = NodePath("casters")
        self.buffer = self._make_buffer()
        self.texture = Texture("citiverse-shadow-map")
        self.texture.setup_2d_texture(self.size, self.size, Texture.T_float, Texture.F_depth_component24)
        self.buffer.add_render_texture(self.texture, GraphicsOutput.RTM_bind_or_copy, GraphicsOutput.RTP_depth)
        for setting in (self.texture.set_minfilter, self.texture.set_magfilter):
            setting(SamplerState.FT_shadow)
        self.texture.set_wrap_u(SamplerState.WM_border_color)
        self.texture.set_wrap_v(SamplerState.WM_border_color)
        self.texture.set_border_color(LVecBase4f(1, 1, 1, 1))
        self.buffer.set_clear_depth_active(True)
        self.buffer.set_clear_depth(1.0)
        self.buffer.set_clear_color_active(False)
        self.lens = OrthographicLens()
        node = Camera("citiverse-sun", self.lens)
        node.set_scene(self.casters)
        node.set_initial_state(RenderState.make(ShaderAttrib.make(depth_shader(), OVERRIDE),
                                                ColorWriteAttrib.make(ColorWriteAttrib.C_off), OVERRIDE))
        self.camera = base.render.attach_new_node(node)
        region = self.buffer.make_display_region()
        region.set_camera(self.camera)
        self.to_sun = np.array([0.0, 0.0, 1.0])
        self.texel = 1.0
        self.active = True
        self.matrix = LMatrix4f.ident_mat()

    def _make_buffer(self) -> Any:
        props = FrameBufferProperties()
        props.set_depth_bits(24)
        props.set_rgb_color(False)
        props.set_rgba_bits(0, 0, 0, 0)
        win = self.base.win
        buffer = self.base.graphicsEngine.make_output(
            self.base.pipe, "citiverse-shadow", -20, props, WindowProperties.size(self.size, self.size),
            GraphicsPipe.BF_refuse_window, win.get_gsg(), win)
        if buffer is None:
            from viewer.errors import RenderError

            raise RenderError(f"cannot create a {self.size}x{self.size} shadow map buffer")
        return buffer

    def add_caster(self, root: NodePath) -> None:
        """Cast shadows from `root` too (rule 1), e.g. a streamed tileset's root."""
        root.instance_to(self.casters)
        self.redraw()

    def redraw(self) -> None:
        """Draw the map in the next frame, once (rule 5)."""
        if self.active:
            self.buffer.set_one_shot(True)
            self.buffer.set_active(True)

    def set_sun(self, to_sun: np.ndarray) -> None:
        self.to_sun = np.asarray(to_sun, np.float64)

    def set_active(self, active: bool) -> None:
        self.active = bool(active)
        self.buffer.set_active(False)
        self.redraw()
        self._bind()

    def fit(self, points: np.ndarray | None = None) -> None:
        """Fit the frustum to the region holding `points` ((n, 3) world metres; default: the casters' box)."""
        lo, hi = self.box
        region = self.default_region() if points is None or len(points) == 0 else np.asarray(points, np.float64)
        right, forward, up = light_basis(self.to_sun)
        across = np.stack([region @ right, region @ up], axis=1)
        half = 0.5 * float((across.max(axis=0) - across.min(axis=0)).max()) * 1.02 + 1.0
        self.texel = 2.0 * half / self.size
        centre = 0.5 * (across.max(axis=0) + across.min(axis=0))
        centre = np.round(centre / self.texel) * self.texel  # rule 2: whole texels
        casters, receivers = box_corners(lo, hi) @ forward, region @ forward
        near_plane = float(casters.min()) - 10.0  # every caster, and every receiver of the region, in range
        far_plane = max(float(casters.max()), float(receivers.max())) + 10.0
        origin = centre[0] * right + centre[1] * up + near_plane * forward
        self.camera.set_pos(*origin.tolist())
        self.camera.look_at(Point3(*(origin + forward).tolist()), Vec3(*up.tolist()))
        fitted = (tuple(np.round(origin, 3)), tuple(np.round(forward, 6)), round(half, 3), round(far_plane - near_plane, 3))
        if fitted == getattr(self, "fitted", None):
            return  # the same frustum: the map drawn for it still holds (rule 5)
        self.fitted = fitted
        self.lens.set_film_size(2.0 * half, 2.0 * half)
        self.lens.set_near_far(0.0, far_plane - near_plane)
        self.depth_range = far_plane - near_plane
        self._bind()
        self.redraw()

    def follow(self, camera: NodePath, lens: Any, reach: float) -> None:
        """Fit to the part of the view of `camera` / `lens` within `reach` metres, inside the casters' box
        (what the view can show a shadow on)."""
        near, far = lens.get_near(), min(lens.get_far(), reach)
        points = []
        for d in (near, far):
            for corner in ((-1, -1), (-1, 1), (1, -1), (1, 1)):
                on_near, _ = _extrude(lens, corner)
                local = np.array(on_near) * (d / lens.get_near())  # along the ray through that corner
                points.append(np.array(self.base.render.get_relative_point(camera, tuple(local.tolist()))))
        pts = np.asarray(points, np.float64)
        lo, hi = self.box
        clipped = np.clip(pts, lo - self.reach_out(), hi + self.reach_out())
        region_lo, region_hi = clipped.min(axis=0), clipped.max(axis=0)
        region_lo[2], region_hi[2] = lo[2] - 1.0, hi[2]
        self.fit(box_corners(region_lo, region_hi))

    def reach_out(self) -> np.ndarray:
        """How far (x, y, 0) beyond the casters' box their shadows reach: the tallest one's shadow length
        toward the side away from the sun, at most MAX_SHADOW_LENGTH."""
        lo, hi = self.box
        sun = self.to_sun / np.linalg.norm(self.to_sun)
        across = float(np.hypot(sun[0], sun[1]))
        length = min(MAX_SHADOW_LENGTH, float(hi[2] - lo[2]) * across / max(sun[2], 1e-3)) + 5.0
        return np.array([length, length, 0.0])

    def default_region(self) -> np.ndarray:
        lo, hi = self.box
        return box_corners(lo - self.reach_out() - np.array([0, 0, 1.0]), hi + self.reach_out())

    def _bind(self) -> None:
        world_to_light = LMatrix4f(self.camera.get_mat(self.base.render))
        world_to_light.invert_in_place()
        bias = LMatrix4f.scale_mat(0.5) * LMatrix4f.translate_mat(0.5, 0.5, 0.5)
        self.matrix = world_to_light * self.lens.get_projection_mat() * bias
        strength = 1.0 if self.active else 0.0
        depth_range = getattr(self, "depth_range", 1.0)
        self.receivers.set_shader_input("shadow_map", self.texture)
        self.receivers.set_shader_input("shadow_matrix", self.matrix)
        self.receivers.set_shader_input("shadow_params", Vec4(
            strength, NORMAL_OFFSET_TEXELS * self.texel, DEPTH_BIAS_METRES / max(depth_range, 1.0),
            SOFTNESS / self.size))

    def world_to_map(self, points: np.ndarray) -> np.ndarray:
        """(n, 3) world points -> (n, 3) (s, t, depth) in the map's 0..1 units (rule 4), for tests and studies."""
        m = np.array([[self.matrix.get_cell(i, j) for j in range(4)] for i in range(4)], np.float64)
        p = np.concatenate([np.asarray(points, np.float64), np.ones((len(points), 1))], axis=1) @ m
        return p[:, :3] / p[:, 3:4]

    def read_depth(self) -> np.ndarray:
        """The map as (size, size) float32 depths, row 0 at t = 0 (after a frame has drawn it)."""
        self.base.graphicsEngine.extract_texture_data(self.texture, self.base.win.get_gsg())
        data = self.texture.get_ram_image()
        raw = np.frombuffer(memoryview(data), np.uint8)
        count = self.size * self.size
        if raw.size == count * 2:
            return (raw.view(np.uint16).astype(np.float64) / 65535.0).astype(np.float32).reshape(self.size, self.size)
        if raw.size == count * 4:
            if self.texture.get_component_type() == Texture.T_float:
                return raw.view(np.float32).reshape(self.size, self.size).copy()
            return (raw.view(np.uint32).astype(np.float64) / 4294967295.0).astype(np.float32).reshape(
                self.size, self.size)
        raise ValueError(f"unexpected shadow map read-back of {raw.size} bytes for {self.size}x{self.size}")

    def close(self) -> None:
        self.receivers.clear_shader_input("shadow_map")
        self.receivers.clear_shader_input("shadow_matrix")
        self.receivers.clear_shader_input("shadow_params")
        self.camera.remove_node()
        self.casters.remove_node()
        self.base.graphicsEngine.remove_window(self.buffer)


def _extrude(lens: Any, corner: tuple[int, int]) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """Points on the near and far planes of `lens` through film corner `corner`, in the lens's space."""
    from panda3d.core import Point2

    near_point, far_point = Point3(), Point3()
    lens.extrude(Point2(*corner), near_point, far_point)
    return (near_point.x, near_point.y, near_point.z), (far_point.x, far_point.y, far_point.z)

