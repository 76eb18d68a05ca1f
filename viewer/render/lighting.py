"""Sun, fill and ambient light for the city, as Panda3D lights and as a small two-sided GLSL shader.

Rules this module keeps:
1. One description of the light (Lighting) feeds both paths: Panda3D light nodes (fixed-function, used by
   p3tinydisplay, the ground and any node drawn with set_shader_auto) and the uniforms of the city shader
   (assets/shaders/city.vert, city.frag, read by render/shader_files.py; its parts look_*.glsl, facade_*.glsl).
2. The city is drawn two-sided because loaders' winding is not trusted. The shader flips the normal of a
   back-facing fragment, so whichever side of a surface the camera sees is lit as facing it; only the
   fixed-function fallback can show a wrongly wound wall darker.
3. Colours are linear 0..1 RGB; nothing here reads a clock or a window.
5. Textures (render/geometry.py rule 3): a fragment whose texture coordinate u is > 0 multiplies its colour
   by the city's atlas (p3d_Texture0); u <= 0 (untextured vertices, and geometry with no texcoord column,
   whose attribute reads as 0) is not textured. The fixed-function path modulates by the atlas the same way
   (an untextured vertex's (-1, -1) clamps onto the atlas's white corner).
4. The default sun stands south-south-west at 50 degrees so that, from the default south-west camera,
   roofs, south walls and west walls get three clearly different brightnesses. A scene's date and time
   gives the real sun instead (Lighting.for_sun: colour, fill and sky light follow its elevation).
6. The look (docs/look.md): every city shader (this one, render/colour_lut.py's) lights through look_fragment.glsl:
   sun light times its visibility in the shadow map (render/shadows.py), and haze toward the horizon's
   colour with distance (render/sky.py). Their inputs default, on the scene graph's top node, to no shadow
   and no haze (set_look_defaults), so a node drawn with the city shader shows today's plain look unless a
   stage's look sets them on its root. Haze spares what a live layer colours (render/colour_lut.py): the
   legend's colour stays what the pixel shows, lit as before.
7. Flavours of every city shader: "plain" has no shadow lookup, no haze and none of their per-vertex
   outputs (on llvmpipe each interpolated vec3 and each skipped branch still costs per pixel); "full"
   defines FULL_LOOK and reads one texel of the shadow map, nearest, compared in the shader (the
   window's, as shadow taps are most of the look's cost on llvmpipe; render/shadows.py rule 6); "soft" adds
   SOFT_SHADOWS, 4 bilinear compare taps (stills and videos, where edges matter more than milliseconds). A stage marks its root (mark_flavour) before its shaders are
   applied; apply_city_shader and ColourLut.attach take the flavour of the nearest mark.
8. Facades, ambient occlusion and night (docs/look.md), full and soft flavours only (the plain look stays as
   it was): facade_vertex.glsl reads the object's row of the city's `object_look` texture (render/geometry.py
   rule 7) and passes one vec4 per vertex: metres along the wall (from the world position and the wall's
   normal), metres above the object's base, the storey height (0: no facade) and the occlusion at the
   wall's foot. facade_fragment.glsl's look_surface darkens the model's own colour toward a wall's foot (more
   in street canyons) and draws windows in rows per storey, shop windows on a commercial ground floor,
   faded to their average tone once a window is a few pixels (no shimmer far away). Roofs, textured
   surfaces (rule 5) and what is not a building get none. Night is told by the sun's colour (zero once the
   sun is 4 degrees under the horizon, Lighting.for_sun): then a fixed share of windows, chosen by a hash
   of the window's cell, glows warm, added after the light. Callers pass how much applies: 1 for the
   model's own colours, 0 where a live layer's colour replaces them (render/colour_lut.py: the legend
   stays true).
9. Night is compiled in, not branched on: llvmpipe pays for both sides of a branch in every pixel (rule 7),
   so the lit windows' hash and glow exist only in the NIGHT_WINDOWS variant of each shader, which
   apply_city_shader picks when the sun is low enough to light windows (is_night) and set_night swaps in
   when the sun's time changes (render/sun_light.py). By day look_night() is the constant 0.
10. The ground (the terrain, render/stage.py) takes the GROUND variant of the city shader in every flavour:
   it has no texture coordinates and no facades, so it samples no atlas and runs no facade code (llvmpipe
   runs a ternary's texture lookup and the facade maths for every ground pixel otherwise; the ground is
   most of an overview's pixels and, in the full look, runs to the horizon).
11. The eye's distance (shadow cascade, haze) is interpolated from the vertices' on the city, whose triangles
   are small against their distance (a chord overestimates it: a pixel may take the next, coarser cascade,
   never one that misses it); the ground (rule 10) interpolates its position from the eye, one vec3 more.
12. No early return and no `if` in the look's shader code: a condition becomes a factor (step, mix). On
   llvmpipe a branch does not skip work for the pixels not taking it, and its execution masks cost extra.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
from panda3d.core import (
    AmbientLight,
    DirectionalLight,
    LMatrix4f,
    NodePath,
    SamplerState,
    Shader,
    ShaderAttrib,
    Texture,
    Vec3,
    Vec4,
)

from viewer.render.camera import direction_from_angles
from viewer.render.shader_files import load_shader

Rgb = tuple[float, float, float]

# The GLSL lives in assets/shaders/ (render/shader_files.py): city.vert and city.frag include the look's and the
# facades' parts (look_*.glsl, facade_*.glsl).


NIGHT_AMBIENT, DAY_AMBIENT = np.array([0.07, 0.08, 0.12]), np.array([0.27, 0.28, 0.29])  # sky light, and the day's
NIGHT_DAYLIGHT = 0.2  # daylight(): what unlit surfaces (imagery) keep of their brightness at night


@dataclass(frozen=True)
class Lighting:
    """A sun (directional), a dim fill from the opposite side, and ambient light.

    Directions are compass azimuth / elevation in degrees of where the light comes from.
    """

    sun_azimuth: float = 200.0
    sun_elevation: float = 50.0
    sun_color: Rgb = (0.75, 0.73, 0.68)
    fill_azimuth: float = 20.0
    fill_elevation: float = 25.0
    fill_color: Rgb = (0.20, 0.21, 0.24)
    ambient: Rgb = (0.36, 0.37, 0.40)
    moon_azimuth: float = 0.0  # the moon, for the sky (render/sky.py rule 4); -90 degrees up: no moon
    moon_elevation: float = -90.0
    moon_lit: float = 0.0

    @classmethod
    def at(cls, lon: float, lat: float, when: Any) -> Lighting:
        """for_sun of the sun at (lon, lat) and the aware datetime `when`, with that time's moon."""
        from viewer.geo.moon import moon_position
        from viewer.geo.sun import sun_position

        sun, moon = sun_position(lon, lat, when), moon_position(lon, lat, when)
        return dataclasses.replace(cls.for_sun(sun.azimuth, sun.elevation), moon_azimuth=moon.azimuth,
                                   moon_elevation=moon.elevation, moon_lit=moon.lit)

    def moon_to(self) -> np.ndarray:
        """Unit (3,) float64 vector from the scene toward the moon."""
        return direction_from_angles(self.moon_azimuth, self.moon_elevation)

    @classmethod
    def for_sun(cls, azimuth: float, elevation: float) -> Lighting:
        """The light of a real sun at (azimuth, elevation) degrees: weaker and warmer toward the horizon, gone
        below it (a dim blue night), with a fill from the opposite side and sky light that follow the day."""
        day = float(np.clip((elevation + 4.0) / 10.0, 0.0, 1.0))  # twilight fades between -4 and +6 degrees
        high = float(np.clip(elevation / 35.0, 0.0, 1.0))
        warm, white = np.array([0.78, 0.52, 0.30]), np.array([0.80, 0.77, 0.70])
        sun = (warm + (white - warm) * high) * day
        ambient = NIGHT_AMBIENT + DAY_AMBIENT * day
        fill = np.array([0.16, 0.17, 0.21]) * day
        return cls(sun_azimuth=float(azimuth), sun_elevation=max(float(elevation), 0.0),
                   sun_color=_rgb(sun), fill_azimuth=(float(azimuth) + 180.0) % 360.0, fill_elevation=25.0,
                   fill_color=_rgb(fill), ambient=_rgb(ambient))

    def sun_to(self) -> np.ndarray:
        """Unit (3,) float64 vector from the scene toward the sun."""
        return direction_from_angles(self.sun_azimuth, self.sun_elevation)

    def fill_to(self) -> np.ndarray:
        return direction_from_angles(self.fill_azimuth, self.fill_elevation)

    def brightness(self, normal: np.ndarray) -> np.ndarray:
        """What the shader computes for unit normals (n, 3): light factor (n, 3) per RGB channel."""
        n = np.asarray(normal, np.float64).reshape(-1, 3)
        sun = np.maximum(n @ self.sun_to(), 0.0)[:, None] * np.asarray(self.sun_color)
        fill = np.maximum(n @ self.fill_to(), 0.0)[:, None] * np.asarray(self.fill_color)
        return np.asarray(self.ambient) + sun + fill


def attach_lights(root: NodePath, lighting: Lighting) -> list[NodePath]:
    """Create the fixed-function lights under `root` and enable them for everything below it."""
    nodes = []
    for name, to, rgb in (("sun", lighting.sun_to(), lighting.sun_color),
                          ("fill", lighting.fill_to(), lighting.fill_color)):
        light = DirectionalLight(name)
        light.set_color((*rgb, 1.0))
        light.set_direction(Vec3(*(-to)))  # a DirectionalLight's direction is where the light travels
        nodes.append(root.attach_new_node(light))
    ambient = AmbientLight("ambient")
    ambient.set_color((*lighting.ambient, 1.0))
    nodes.append(root.attach_new_node(ambient))
    for node in nodes:
        root.set_light(node)
    return nodes


def _rgb(values: np.ndarray) -> Rgb:
    return (float(values[0]), float(values[1]), float(values[2]))


LOOK_TAG = "citiverse-look-defaults"


def set_look_defaults(top: NodePath) -> None:
    """Rule 6: no shadow and no haze for everything under `top` (the scene graph's root), set once."""
    if top.has_python_tag(LOOK_TAG):
        return
    top.set_python_tag(LOOK_TAG, True)
    top.set_shader_input("shadow_map", no_shadow_map())
    top.set_shader_input("shadow_matrix", LMatrix4f.ident_mat())
    top.set_shader_input("shadow_params", Vec4(0.0, 0.0, 0.0, 0.0))
    top.set_shader_input("shadow_cascades", LMatrix4f(LMatrix4f.zeros_mat()))
    top.set_shader_input("haze", Vec4(0.0, 0.0, 0.0, 0.0))
    top.set_shader_input("object_look", no_object_look())  # rule 8: no facades, no occlusion


@functools.cache
def no_shadow_map() -> Texture:
    """A 1x1 depth texture at the far plane: bound where no shadow map is, never sampled (strength 0)."""
    texture = Texture("citiverse-no-shadow")
    texture.setup_2d_texture(1, 1, Texture.T_float, Texture.F_depth_component32)
    texture.set_ram_image(np.ones(1, np.float32).tobytes())
    texture.set_minfilter(SamplerState.FT_shadow)
    texture.set_magfilter(SamplerState.FT_shadow)
    return texture


@functools.cache
def no_object_look() -> Texture:
    """A 1x1 float texture of zeros: no object has a facade or occlusion (rule 8) where no city set one."""
    texture = Texture("citiverse-no-object-look")
    texture.setup_2d_texture(1, 1, Texture.T_float, Texture.F_rgba32)
    texture.set_ram_image(np.zeros(4, np.float32).tobytes())
    return texture


FLAVOUR_TAG = "citiverse-look-flavour"
Flavour = str  # "plain", "full" (one-tap shadows) or "soft" (the full look with 4-tap shadows): rule 7
FLAVOURS = ("plain", "full", "soft")


def mark_flavour(root: NodePath, flavour: Flavour) -> None:
    """Rule 7: city shaders applied under `root` from now on are of this flavour."""
    if flavour not in FLAVOURS:
        raise ValueError(f"unknown shader flavour {flavour!r}")
    root.set_python_tag(FLAVOUR_TAG, flavour)


def flavour_of(node: NodePath) -> Flavour:
    """The flavour marked on `node` or its nearest marked ancestor ("plain" if none)."""
    return str(node.get_net_python_tag(FLAVOUR_TAG) or "plain")


def flavour_defines(flavour: Flavour, night: bool = False, ground: bool = False) -> list[str]:
    """The defines of a flavour (rule 7), of the night's lit windows (rule 9) when `night` and the flavour is
    full or soft, and of the ground (rule 10)."""
    defines = {"plain": [], "full": ["FULL_LOOK"], "soft": ["FULL_LOOK", "SOFT_SHADOWS"]}[flavour]
    if night and flavour != "plain" and not ground:
        defines = [*defines, "NIGHT_WINDOWS"]
    return [*defines, "GROUND"] if ground else defines


def flavoured(source: str, flavour: Flavour, night: bool = False, ground: bool = False) -> str:
    """GLSL `source` (starting with its #version line) with flavour_defines inserted after that line."""
    lines = "".join(f"#define {name} 1\n" for name in flavour_defines(flavour, night, ground))
    version, rest = source.split("\n", 1)
    return f"{version}\n{lines}{rest}"


def apply_city_shader(node: NodePath, lighting: Lighting, ground: bool = False) -> None:
    """Draw `node` with the two-sided city shader lit by `lighting` (needs GLSL: not on p3tinydisplay), in the
    full look's flavour when an ancestor was marked (rule 7); `ground`: the terrain's variant (rule 10)."""
    if node.has_parent():
        set_look_defaults(node.get_top())
    node.set_shader(city_shader(flavour_of(node), is_night(lighting), ground))
    node.set_shader_input("sun_to", Vec3(*lighting.sun_to()))
    node.set_shader_input("sun_color", Vec3(*lighting.sun_color))
    node.set_shader_input("fill_to", Vec3(*lighting.fill_to()))
    node.set_shader_input("fill_color", Vec3(*lighting.fill_color))
    node.set_shader_input("ambient", Vec3(*lighting.ambient))


@functools.cache
def city_shader(flavour: Flavour = "plain", night: bool = False, ground: bool = False) -> Shader:
    """The city shader of one flavour (rule 7), by day or night (rule 9), for the ground or not (rule 10), made
    once per process and shared by every stage."""
    if ground and night:
        return city_shader(flavour, False, True)  # the ground has no windows to light: one shader day and night
    vertex = flavour_defines(flavour, ground=ground)
    night_only = [name for name in flavour_defines(flavour, night, ground) if name not in vertex]
    shader = load_shader("city.vert", "city.frag", vertex, fragment_defines=night_only)
    register_night_twin(shader, night, lambda at_night: city_shader(flavour, at_night, ground))
    return shader


NIGHT_SUN = 0.25  # rule 9: a sun colour (max channel) under this lights windows: the sun under ~1.5 degrees
_NIGHT_TWINS: dict[Any, tuple[bool, Any]] = {}  # shader -> (made for night, make(night) -> its twin)


def is_night(lighting: Lighting) -> bool:
    """Rule 9: whether windows light up under `lighting`."""
    return max(lighting.sun_color) < NIGHT_SUN


def register_night_twin(shader: Shader, night: bool, make: Any) -> None:
    """Rule 9: `make(night)` gives the shader of the same kind and flavour for day or night."""
    _NIGHT_TWINS[shader] = (night, make)


def set_night(node: NodePath, night: bool) -> None:
    """Rule 9: swap the city shader (or render/colour_lut.py's) set on `node` for its day or night twin."""
    shader = node.get_shader()
    if shader is None or shader not in _NIGHT_TWINS:
        return
    made_for, make = _NIGHT_TWINS[shader]
    if made_for != night:
        node.set_shader(make(night), node.get_state().get_attrib(ShaderAttrib).get_shader_priority())


def daylight(lighting: Lighting) -> float:
    """How much of the day's light falls on the ground, NIGHT_DAYLIGHT (night) to 1 (day), told by the sky light,
    which follows the sun through twilight (Lighting.for_sun). Surfaces drawn unlit, such as base-map imagery
    whose daylight is in its pixels, are scaled by it so they darken with the city at night."""
    night, full = float(NIGHT_AMBIENT.max()), max(Lighting().ambient)  # the default (timeless) light is a day's
    share = float(np.clip((max(lighting.ambient) - night) / (full - night), 0.0, 1.0))
    return NIGHT_DAYLIGHT + (1.0 - NIGHT_DAYLIGHT) * share
