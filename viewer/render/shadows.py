"""Sun shadows: cascaded depth maps rendered from the sun, sampled by the city shaders (render/lighting.py rule 6).

Rules this module keeps:
1. Casters are the city (the stage's city root, and any root given to add_caster), instanced under a
   `casters` node of their own that only the sun's cameras draw: the ground, the base map and the vehicles
   never cast (the ground would only shadow itself; vehicles draw instanced, their shader would be lost).
   The sun's cameras draw every caster with depth_shader() at an overriding priority and no colour writes.
2. Cascades: CASCADES orthographic frusta along the sun, each a MAP_SIZE tile (the window's: rule 6) of one depth atlas (tiles
   stacked: llvmpipe stores rows linearly, and a narrow atlas has shorter rows; measured 85-87 against
   90-91 ms a frame side by side, within a shared machine's noise; one display region and camera each; the atlas's height a power of two, as
   Panda pads others). follow() fits cascade k to the part of the view's frustum
   out to split k (render/look.py: the first at the near reach, each next CASCADE_RATIO times farther, the
   last at the view's far plane), clipped to what can receive a shadow; a cascade whose region the previous
   one already holds is left out (an overview often needs one). All share the light basis and one depth
   range (every caster of the model's box and every receiver), so the shader maps one light-space point
   (shadow_matrix) into any tile by a scale and an offset (shadow_cascades). It picks the cascade by the
   pixel's distance from the eye against the splits (a pixel nearer than split k is within view depth k,
   which cascade k holds); a point outside its tile's TILE_MARGIN texels (PCF taps never read the next
   tile) is where no caster's shadow falls: lit. Each cascade's size is
   rounded up to a step of SIZE_STEP and its centre snapped to its whole texels, so a moving or turning
   camera does not make shadow edges crawl or shimmer.
3. Acne and peter-panning: receivers look up the map at a point moved NORMAL_OFFSET_TEXELS texels of the
   finest cascade along their normal, per vertex (the fix that holds at grazing sun), minus a depth bias of
   DEPTH_BIAS_METRES in the finest cascade. In a coarser cascade the normal offset is too short for its
   texels, so its bias grows by COARSE_BIAS_TEXELS of its texels: metres of peter-panning that are a pixel
   or two where that cascade is used (beyond the first split: hundreds of metres away). A per-pixel normal
   offset per cascade cost 10-15% of the frame on llvmpipe (docs/look.md).
4. shadow_matrix maps world (render) coordinates to light space: metres along the light's right and up axes,
   and depth 0..1 of the shared range; with Panda3D's row-vector matrices uploaded as they are, GLSL applies
   it as `shadow_matrix * p`, and `shadow_cascades[k]` is row k of the Panda matrix.
5. The casters do not move (vehicles never cast, rule 1), so a cascade is drawn only when its frustum or the
   sun changed: fit() arms the buffer for one frame (one-shot) with only the changed cascades' regions
   active, so a still camera costs no shadow pass at all and a walking one mostly redraws the near cascade.
   A coarser cascade (k > 0) is fitted COARSE_SLACK larger than its part of the view and kept, not redrawn,
   while that part stays inside it and would not fit a size step smaller: a moving camera redraws it once
   every hundreds of metres instead of every frame (texels of distant shadows 15% coarser, pixels far away).
   `set_active(False)` (sun below the horizon) stops it and sets the shadow strength to 0. add_caster()
   arms every cascade again. read_depth() copies a tile to RAM (the shadow study's bench).
6. Sampling follows the receivers' flavour (render/lighting.py rule 7): the "soft" flavour (stills, videos)
   takes the atlas through a compare sampler (FT_shadow: each of its 4 taps a bilinear 2x2 compare); the
   window's "full" flavour through a nearest sampler without compare, one texel compared in the shader
   (hard edges a texel wide; on llvmpipe 5-9 ms a frame less than one bilinear compare at the overview,
   docs/look.md "Cost"). The texture keeps FT_shadow; the window's sampler is bound with it (_bind).
   The window's tiles are WINDOW_MAP_SIZE a side, stills' MAP_SIZE: on llvmpipe a quarter of the texels
   (less memory per frame's lookups, a quicker shadow pass) was 5 ms a frame less at the overview and 10 ms
   less for a moving camera; its texels are twice as large, which the overview does not show and street
   level shows as blockier edges of near shadows.
"""

from __future__ import annotations

import functools
import math
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

from viewer.render.lighting import flavour_of
from viewer.render.shader_files import load_shader

MAP_SIZE = 2048  # texels a side of each cascade's tile (stills and videos)
WINDOW_MAP_SIZE = 1024  # the window's (rule 6)
CASCADES = 3
CASCADE_RATIO = 4.0  # each cascade reaches this many times farther than the one before (render/look.py)
TILE_MARGIN = 2.0  # texels of a tile's border the shader never picks it in (rule 2)
SIZE_STEP = 1.05  # a cascade's size is a whole power of this (rule 2)
# At most this many metres from a cascade's centre to its edge: wider, its texels are 4 m and more, and the
# orthographic projection of a city-wide cascade (19 km across, 16 km deep in Berlin's network) is too thin
# for Panda3D to invert in single precision ("Tried to invert singular LMatrix4", a broken cull volume).
MAX_CASCADE_HALF = 4096.0
NORMAL_OFFSET_TEXELS = 1.5
DEPTH_BIAS_METRES = 0.05
COARSE_BIAS_TEXELS = 1.5  # rule 3
COARSE_SLACK = 1.15  # rule 5: a coarser cascade is fitted this much larger, and kept while it holds its region
NO_SPLIT = 1e30  # the split beyond the last cascade in use
OVERRIDE = 1000
SOFTNESS = 1.0  # PCF taps one texel apart
MAX_SHADOW_LENGTH = 500.0  # metres beyond the model a low sun's shadows are drawn

@functools.cache
def depth_shader() -> Shader:
    """Rule 1's depth-only shader (assets/shaders/shadow_depth.*)."""
    shader: Shader = load_shader("shadow_depth.vert", "shadow_depth.frag")
    return shader


def light_basis(to_sun: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(right, forward, up) unit vectors of a camera looking along the sun's light (forward = -to_sun)."""
    forward = -np.asarray(to_sun, np.float64) / np.linalg.norm(to_sun)
    helper = np.array([0.0, 0.0, 1.0]) if abs(forward[2]) < 0.99 else np.array([0.0, 1.0, 0.0])
    right = np.cross(forward, helper)
    right /= np.linalg.norm(right)
    return right, forward, np.cross(right, forward)


def box_corners(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])], np.float64)


class Cascade:
    """One tile of the atlas: its camera, lens and display region, and the frustum it was last drawn for."""

    def __init__(self, base: Any, buffer: Any, casters: NodePath, index: int, count: int) -> None:
        self.lens = OrthographicLens()
        node = Camera(f"citiverse-sun-{index}", self.lens)
        node.set_scene(casters)
        node.set_initial_state(RenderState.make(ShaderAttrib.make(depth_shader(), OVERRIDE),
                                                ColorWriteAttrib.make(ColorWriteAttrib.C_off), OVERRIDE))
        self.camera = base.render.attach_new_node(node)
        self.region = buffer.make_display_region(0.0, 1.0, index / count, (index + 1) / count)  # stacked (rule 2)
        self.region.set_camera(self.camera)
        self.region.set_clear_depth_active(True)  # each tile clears itself: the others keep their depths
        self.region.set_clear_depth(1.0)
        self.index = index
        self.centre = np.zeros(2)
        self.half = 1.0
        self.fitted: tuple[Any, ...] | None = None


@functools.cache
def one_texel_sampler() -> SamplerState:
    """Rule 6: nearest, clamped, no compare (the window's flavour compares in its shader)."""
    sampler = SamplerState()
    sampler.set_minfilter(SamplerState.FT_nearest)
    sampler.set_magfilter(SamplerState.FT_nearest)
    sampler.set_wrap_u(SamplerState.WM_clamp)
    sampler.set_wrap_v(SamplerState.WM_clamp)
    return sampler


class ShadowMap:
    """A sun's cascaded depth maps of the casters (rules above), bound as shader inputs on `receivers`."""

    def __init__(self, base: Any, receivers: NodePath, casters_box: tuple[np.ndarray, np.ndarray],
                 size: int | None = None, cascades: int = CASCADES) -> None:
        self.base, self.receivers = base, receivers
        self.size = int(size or (MAP_SIZE if flavour_of(receivers) == "soft" else WINDOW_MAP_SIZE))  # rule 6
        self.box = (np.asarray(casters_box[0], np.float64), np.asarray(casters_box[1], np.float64))
        self.casters = NodePath("casters")
        self.tiles = int(cascades)
        self.slots = 1 << (self.tiles - 1).bit_length()  # a power-of-two atlas: Panda pads others (rule 2)
        self.buffer = self._make_buffer()
        self.texture = Texture("citiverse-shadow-map")
        self.texture.setup_2d_texture(self.size, self.size * self.slots, Texture.T_float,
                                      Texture.F_depth_component24)
        self.buffer.add_render_texture(self.texture, GraphicsOutput.RTM_bind_or_copy, GraphicsOutput.RTP_depth)
        for setting in (self.texture.set_minfilter, self.texture.set_magfilter):
            setting(SamplerState.FT_shadow)
        # Clamped, not a border colour (cheaper per lookup on llvmpipe): the shader never reads past a tile's
        # TILE_MARGIN, so the atlas's own edge is never sampled as such (rule 2).
        self.texture.set_wrap_u(SamplerState.WM_clamp)
        self.texture.set_wrap_v(SamplerState.WM_clamp)
        self.buffer.set_clear_depth_active(False)  # the regions clear their own tiles (rule 5)
        self.buffer.set_clear_color_active(False)
        self.cascades = [Cascade(base, self.buffer, self.casters, k, self.slots) for k in range(self.tiles)]
        self.in_use = 1
        self.splits: list[float] = []  # metres from the eye where each cascade in use but the last ends
        self.to_sun = np.array([0.0, 0.0, 1.0])
        self.active = True
        self.near_plane, self.far_plane, self.depth_range = 0.0, 1.0, 1.0
        self.matrix = LMatrix4f.ident_mat()

    @property
    def texel(self) -> float:
        """Metres a texel of the finest cascade."""
        return 2.0 * self.cascades[0].half / self.size

    def _make_buffer(self) -> Any:
        props = FrameBufferProperties()
        props.set_depth_bits(24)
        props.set_rgb_color(False)
        props.set_rgba_bits(0, 0, 0, 0)
        win = self.base.win
        buffer = self.base.graphicsEngine.make_output(
            self.base.pipe, "citiverse-shadow", -20, props,
            WindowProperties.size(self.size, self.size * self.slots),
            GraphicsPipe.BF_refuse_window, win.get_gsg(), win)
        if buffer is None:
            from viewer.errors import RenderError

            raise RenderError(f"cannot create a {self.size}x{self.size * self.slots} shadow map buffer")
        return buffer

    def add_caster(self, root: NodePath) -> None:
        """Cast shadows from `root` too (rule 1), e.g. a streamed tileset's root."""
        root.instance_to(self.casters)
        self.redraw()

    def redraw(self, cascades: list[int] | None = None) -> None:
        """Draw these cascades' tiles (default: all) in the next frame, once (rule 5)."""
        if not self.active:
            return
        wanted = set(range(self.tiles) if cascades is None else cascades)
        if self.buffer.is_active():  # armed and not drawn yet: keep what was asked before too
            wanted |= {k for k, c in enumerate(self.cascades) if c.region.is_active()}
        for k, cascade in enumerate(self.cascades):
            cascade.region.set_active(k in wanted)
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
        """Fit the finest cascade, alone, to the region holding `points` ((n, 3) world metres; default: the
        casters' box and their shadows)."""
        region = self.default_region() if points is None or len(points) == 0 else np.asarray(points, np.float64)
        self.fit_cascades([region], [])

    def fit_cascades(self, regions: list[np.ndarray], splits: list[float]) -> None:
        """Fit cascade k to the points regions[k] (at most CASCADES; rule 2), the rest left out; splits[k]:
        where cascade k ends (metres from the eye), for each cascade but the last."""
        right, forward, up = light_basis(self.to_sun)
        every = np.concatenate([self.default_region(), *regions])
        near_plane = float((box_corners(*self.box) @ forward).min()) - 10.0  # every caster and receiver in range
        far_plane = float((every @ forward).max()) + 10.0
        changed = []
        for k, region in enumerate(regions[:self.tiles]):
            if self._fit_one(self.cascades[k], region, (right, forward, up), near_plane, far_plane):
                changed.append(k)
        in_use = min(len(regions), self.tiles)
        ends = [float(v) for v in splits[:in_use - 1]]
        changed_use = (in_use, ends) != (self.in_use, self.splits)
        self.in_use, self.splits = in_use, ends
        if changed or changed_use or (near_plane, far_plane) != (self.near_plane, self.far_plane):
            self.near_plane, self.far_plane = near_plane, far_plane
            self.depth_range = far_plane - near_plane
            self._bind()
            if changed:
                self.redraw(changed)

    def _fit_one(self, cascade: Cascade, region: np.ndarray, basis: tuple[np.ndarray, ...], near_plane: float,
                 far_plane: float) -> bool:
        """Place one cascade's camera over `region`; whether its frustum changed (rule 5)."""
        right, forward, up = basis
        across = np.stack([region @ right, region @ up], axis=1)
        low, high = across.min(axis=0), across.max(axis=0)
        need = 0.5 * float((high - low).max()) * 1.02 + 1.0
        light = (tuple(np.round(forward, 6)), round(near_plane, 3), round(far_plane - near_plane, 3))
        if cascade.index > 0 and cascade.fitted is not None and cascade.fitted[2:] == light \
                and _holds(cascade, low, high, need) and need * COARSE_SLACK >= cascade.half / SIZE_STEP:
            return False  # rule 5: a coarse cascade that still holds its part of the view is kept
        half = need * (COARSE_SLACK if cascade.index > 0 else 1.0)
        half = min(SIZE_STEP ** math.ceil(math.log(half) / math.log(SIZE_STEP)), MAX_CASCADE_HALF)  # rule 2
        texel = 2.0 * half / self.size
        centre = np.round(0.5 * (high + low) / texel) * texel  # whole texels
        origin = centre[0] * right + centre[1] * up + near_plane * forward
        fitted = (tuple(np.round(origin, 3)), round(half, 3), *light)
        if fitted == cascade.fitted:
            return False
        cascade.fitted, cascade.centre, cascade.half = fitted, centre, half
        cascade.camera.set_pos(*origin.tolist())
        cascade.camera.look_at(Point3(*(origin + forward).tolist()), Vec3(*up.tolist()))
        cascade.lens.set_film_size(2.0 * half, 2.0 * half)
        cascade.lens.set_near_far(0.0, far_plane - near_plane)
        return True

    def follow(self, camera: NodePath, lens: Any, splits: list[float]) -> None:
        """Fit cascade k to the part of the view of `camera` / `lens` out to splits[k] metres (the last
        split: the lens's far plane at most), inside what can hold a shadow of the casters (rule 2)."""
        lo, hi = self.box
        room_lo, room_hi = lo - self.reach_out(), hi + self.reach_out()
        regions: list[np.ndarray] = []
        last = None
        for reach in splits[:self.tiles]:
            far = min(lens.get_far(), reach)
            pts = np.clip(self._frustum_points(camera, lens, lens.get_near(), far), room_lo, room_hi)
            region_lo, region_hi = pts.min(axis=0), pts.max(axis=0)
            region_lo[2], region_hi[2] = lo[2] - 1.0, hi[2]
            key = (tuple(np.round(region_lo, 2)), tuple(np.round(region_hi, 2)))
            if key == last:
                break  # the previous cascade already holds all of it
            last = key
            regions.append(box_corners(region_lo, region_hi))
            if far >= lens.get_far():
                break
        self.fit_cascades(regions, list(splits))

    def _frustum_points(self, camera: NodePath, lens: Any, near: float, far: float) -> np.ndarray:
        """The 8 corners, in world metres, of the view's frustum between view depths `near` and `far`."""
        points = []
        for d in (near, far):
            for corner in ((-1, -1), (-1, 1), (1, -1), (1, 1)):
                on_near, _ = _extrude(lens, corner)
                local = np.array(on_near) * (d / lens.get_near())  # along the ray through that corner
                points.append(np.array(self.base.render.get_relative_point(camera, tuple(local.tolist()))))
        return np.asarray(points, np.float64)

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
        right, forward, up = light_basis(self.to_sun)
        rows = [(*right, 0.0), (*up, 0.0), (*(forward / self.depth_range), -self.near_plane / self.depth_range),
                (0.0, 0.0, 0.0, 1.0)]  # output i = rows[i] . (p, 1)
        # Panda's matrices act on row vectors (p M): M is `rows` transposed.
        self.matrix = LMatrix4f(*[rows[i][j] for j in range(4) for i in range(4)])
        cascades = LMatrix4f(LMatrix4f.zeros_mat())
        finest = 2.0 * self.cascades[0].half / self.size
        for k, cascade in enumerate(self.cascades):
            scale, texel = 1.0 / (2.0 * cascade.half), 2.0 * cascade.half / self.size
            bias = DEPTH_BIAS_METRES + (COARSE_BIAS_TEXELS * texel if k > 0 else 0.0)  # rule 3
            cascades.set_row(k, LVecBase4f(scale, 0.5 - cascade.centre[0] * scale, 0.5 - cascade.centre[1] * scale,
                                           bias / max(self.depth_range, 1.0)))
        ends = self.splits + [NO_SPLIT] * 2
        cascades.set_row(3, LVecBase4f(ends[0], ends[1], 1.0 / self.slots, TILE_MARGIN / self.size))
        self.receivers.set_shader_input("shadow_map", self.texture, self.sampler())  # rule 6
        self.receivers.set_shader_input("shadow_matrix", self.matrix)
        self.receivers.set_shader_input("shadow_cascades", cascades)
        self.receivers.set_shader_input("shadow_params", Vec4(
            1.0 if self.active else 0.0, NORMAL_OFFSET_TEXELS * finest, 0.0, SOFTNESS / self.size))

    def sampler(self) -> SamplerState:
        """Rule 6: the compare sampler of the texture for the soft flavour, one nearest texel for the window's."""
        if flavour_of(self.receivers) == "soft":
            return SamplerState(self.texture.get_default_sampler())
        return one_texel_sampler()

    def light_space(self, points: np.ndarray) -> np.ndarray:
        """(n, 3) world points -> (n, 3) light space (rule 4): metres across the light, depth 0..1."""
        right, forward, up = light_basis(self.to_sun)
        p = np.asarray(points, np.float64)
        return np.stack([p @ right, p @ up, (p @ forward - self.near_plane) / self.depth_range], axis=1)

    def world_to_map(self, points: np.ndarray, cascade: int = 0) -> np.ndarray:
        """(n, 3) world points -> (n, 3) (s, t, depth) in 0..1 of one cascade's tile, for tests and studies."""
        light = self.light_space(points)
        c = self.cascades[cascade]
        light[:, :2] = (light[:, :2] - c.centre) / (2.0 * c.half) + 0.5
        return light

    def read_depth(self, cascade: int = 0) -> np.ndarray:
        """One cascade's tile as (size, size) float32 depths, row 0 at t = 0 (after a frame has drawn it)."""
        self.base.graphicsEngine.extract_texture_data(self.texture, self.base.win.get_gsg())
        data = self.texture.get_ram_image()
        raw = np.frombuffer(memoryview(data), np.uint8)
        rows, cols = self.size * self.slots, self.size
        if raw.size == rows * cols * 2:
            atlas = raw.view(np.uint16).astype(np.float64) / 65535.0
        elif raw.size == rows * cols * 4 and self.texture.get_component_type() == Texture.T_float:
            atlas = raw.view(np.float32).astype(np.float64)
        elif raw.size == rows * cols * 4:
            atlas = raw.view(np.uint32).astype(np.float64) / 4294967295.0
        else:
            raise ValueError(f"unexpected shadow map read-back of {raw.size} bytes for {cols}x{rows}")
        tile = atlas.reshape(rows, cols)[cascade * self.size:(cascade + 1) * self.size]
        return tile.astype(np.float32)

    def close(self) -> None:
        for name in ("shadow_map", "shadow_matrix", "shadow_params", "shadow_cascades"):
            self.receivers.clear_shader_input(name)
        for cascade in self.cascades:
            cascade.camera.remove_node()
        self.casters.remove_node()
        self.base.graphicsEngine.remove_window(self.buffer)


def _holds(cascade: Cascade, low: np.ndarray, high: np.ndarray, need: float) -> bool:
    """Whether the cascade's square, as drawn, holds the light-space box low..high with the fit's margin."""
    margin = need - 0.5 * float((high - low).max())
    return bool(np.all(low - margin >= cascade.centre - cascade.half)
                and np.all(high + margin <= cascade.centre + cascade.half))


def _extrude(lens: Any, corner: tuple[int, int]) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """Points on the near and far planes of `lens` through film corner `corner`, in the lens's space."""
    from panda3d.core import Point2

    near_point, far_point = Point3(), Point3()
    lens.extrude(Point2(*corner), near_point, far_point)
    return (near_point.x, near_point.y, near_point.z), (far_point.x, far_point.y, far_point.z)

