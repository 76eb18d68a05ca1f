"""The sky: a dome coloured by the sun's position, and the haze that fades the ground into it.

Rules this module keeps:
1. The dome is a unit cube whose corners are directions: its vertex shader drops the view's translation
   and puts every vertex on the far plane (w = 0 trick), so it is infinitely far for any camera and needs
   no per-camera update. It draws after the opaque scene (render/bins.py rule 2) where nothing else was drawn: its depth
   is the far plane's, tested less-or-equal against the cleared depth, so llvmpipe shades only the pixels
   that show sky (drawn first, it shaded the whole screen under the ground too). It writes no depth and
   is never culled; transparent things draw after it.
2. Colours come from sky_colours(elevation): a zenith and a horizon colour (day blue, warm at sunrise and
   sunset, dark at night) and a glow around the sun. The city shaders' haze (render/lighting.py rule 6)
   fades toward the same horizon colour, so the terrain melts into the sky with no edge.
3. Haze is exp-squared in distance, 1 - exp(-(d / L)^2): clear over the model, opaque at the terrain's
   far ring. L = haze_length(reach): the terrain's reach (metres from the model's centre to the ring's
   edge) over HAZE_DEPTH, so the ring's edge is 99.8% haze.
4. The moon (viewer/geo/moon.py, through render/lighting.py's Lighting) is a disc drawn twice its size, lit
   on the side facing the sun (its phase, from the two directions alone), bright at night and faint by
   day (MOON_DAY), absent below the horizon.
5. Stars: a fixed field (the same in every frame and run) of points about a pixel across, one in a few
   hundred cells of a grid of directions, chosen and placed by a hash of the cell, brighter or fainter by
   another. They fade in as the sun sinks from STARS_FROM to STARS_FULL degrees under the horizon and fade
   out toward the horizon. Like the lit windows (render/lighting.py rule 9) they are compiled into a night
   variant of the sky shader, set only while stars show: by day the sky runs none of it.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
from panda3d.core import (
    DepthTestAttrib,
    Geom,
    GeomNode,
    GeomTriangles,
    GeomVertexData,
    GeomVertexFormat,
    NodePath,
    OmniBoundingVolume,
    RenderAttrib,
    Shader,
    Vec3,
    Vec4,
)

from viewer.render.bins import draw_in_sky_bin
from viewer.render.shader_files import load_shader

HAZE_DEPTH = 2.5
STARS_FROM, STARS_FULL = 4.0, 12.0  # rule 5: degrees of the sun under the horizon where stars start, and show fully
MOON_DAY = 0.25  # rule 4: how much of the moon shows in a day sky
Rgb = tuple[float, float, float]

@functools.cache
def sky_shader(stars: bool = False) -> Shader:
    """The sky's shader (assets/shaders/sky.*), with the stars compiled in or not (rule 5)."""
    shader: Shader = load_shader("sky.vert", "sky.frag", fragment_defines=["STARS"] if stars else [])
    return shader


def star_strength(elevation: float) -> float:
    """Rule 5: how brightly the stars show for a sun `elevation` degrees above the horizon (0: none)."""
    return float(np.clip((-float(elevation) - STARS_FROM) / (STARS_FULL - STARS_FROM), 0.0, 1.0))


def _mix(a: Rgb, b: Rgb, t: float) -> Rgb:
    t = float(np.clip(t, 0.0, 1.0))
    return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t)


def sky_colours(elevation: float) -> tuple[Rgb, Rgb, Rgb]:
    """(zenith, horizon, glow) linear RGB for a sun `elevation` degrees above the horizon (rule 2)."""
    night_z, night_h = (0.015, 0.025, 0.06), (0.05, 0.07, 0.12)
    dawn_z, dawn_h = (0.22, 0.32, 0.55), (0.92, 0.68, 0.50)
    day_z, day_h = (0.26, 0.46, 0.80), (0.74, 0.82, 0.90)
    if elevation < -2.0:
        t = (elevation + 10.0) / 8.0
        return _mix(night_z, dawn_z, t * 0.3), _mix(night_h, dawn_h, t * 0.3), (0.0, 0.0, 0.0)
    t = (elevation + 2.0) / 17.0  # sunrise colours up to 15 degrees
    glow = _mix((1.0, 0.55, 0.25), (1.0, 0.93, 0.80), t)
    return _mix(_mix(night_z, dawn_z, 0.3), day_z, t) if elevation < 0 else _mix(dawn_z, day_z, t), \
        _mix(dawn_h, day_h, t), glow


def haze_length(reach: float) -> float:
    """Rule 3: the haze's length scale for a terrain reaching `reach` metres from the centre."""
    return max(float(reach), 1.0) / HAZE_DEPTH


class Sky:
    """The dome under `parent` and the haze inputs on `receivers` (rules above)."""

    def __init__(self, parent: NodePath, receivers: NodePath, reach: float) -> None:
        self.receivers, self.reach = receivers, float(reach)
        self.node = parent.attach_new_node(_cube("sky"))
        self.node.node().set_bounds(OmniBoundingVolume())
        self.node.node().set_final(True)
        draw_in_sky_bin(self.node)
        self.node.set_depth_write(False)
        self.node.set_attrib(DepthTestAttrib.make(RenderAttrib.M_less_equal))
        self.node.set_two_sided(True)
        self.node.set_light_off(1)
        self.node.set_shader(sky_shader(), 10)
        self.horizon: Rgb = (0.74, 0.82, 0.90)
        self.sun_elevation = 90.0
        self.node.set_shader_input("sky_moon", Vec4(0.0, 0.0, 1.0, 0.0))  # no moon until set_moon

    def set_sun(self, to_sun: np.ndarray, elevation: float) -> None:
        zenith, horizon, glow = sky_colours(elevation)
        self.sun_elevation = float(elevation)
        self.horizon = horizon
        self.node.set_shader_input("sky_zenith", Vec3(*zenith))
        self.node.set_shader_input("sky_horizon", Vec3(*horizon))
        self.node.set_shader_input("sky_glow", Vec3(*glow))
        strength = float(np.clip((elevation + 3.0) / 3.0, 0.0, 1.0))
        self.node.set_shader_input("sky_sun", Vec4(*(float(v) for v in to_sun), strength))
        stars = star_strength(elevation)  # rule 5: the stars' variant only while they show
        self.node.set_shader(sky_shader(stars > 0.0), 10)
        self.node.set_shader_input("sky_stars", stars)
        self.set_reach(self.reach)

    def set_moon(self, lighting: Any) -> None:
        """Rule 4: the moon of a render/lighting.py Lighting (none where it is below the horizon), after
        set_sun (its brightness follows the sun's true elevation)."""
        strength = 0.0
        if lighting.moon_elevation > -0.5:
            night = float(np.clip(-self.sun_elevation / 6.0, 0.0, 1.0))  # dark from 6 degrees under
            strength = MOON_DAY + (1.0 - MOON_DAY) * night
        self.node.set_shader_input("sky_moon", Vec4(*(float(v) for v in lighting.moon_to()), strength))

    def set_reach(self, reach: float) -> None:
        """Haze that is opaque `reach` metres away (rule 3)."""
        self.reach = float(reach)
        self.receivers.set_shader_input("haze", Vec4(*self.horizon, haze_length(self.reach)))

    def close(self) -> None:
        self.receivers.clear_shader_input("haze")
        self.node.remove_node()


def _cube(name: str) -> GeomNode:
    corners = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)], np.float32)
    vdata = GeomVertexData(name, GeomVertexFormat.get_v3(), Geom.UH_static)
    vdata.unclean_set_num_rows(8)
    np.frombuffer(memoryview(vdata.modify_array(0)).cast("B"), np.float32)[:] = corners.reshape(-1)
    faces = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
    prim = GeomTriangles(Geom.UH_static)
    for a, b, c, d in faces:
        prim.add_vertices(a, b, c)
        prim.add_vertices(a, c, d)
    geom = Geom(vdata)
    geom.add_primitive(prim)
    node = GeomNode(name)
    node.add_geom(geom)
    return node
