"""Sun, fill and ambient light for the city, as Panda3D lights and as a small two-sided GLSL shader.

Rules this module keeps:
1. One description of the light (Lighting) feeds both paths: Panda3D light nodes (fixed-function, used by
   p3tinydisplay, the ground and any node drawn with set_shader_auto) and the uniforms of CITY_SHADER.
2. The city is drawn two-sided because loaders' winding is not trusted. The shader flips the normal of a
   back-facing fragment, so whichever side of a surface the camera sees is lit as facing it; only the
   fixed-function fallback can show a wrongly wound wall darker.
3. Colours are linear 0..1 RGB; nothing here reads a clock or a window.
5. Textures (render/geometry.py rule 3): a fragment whose texture coordinate u is > 0 multiplies its colour
   by the city's atlas (p3d_Texture0); u <= 0 (untextured vertices, and geometry with no texcoord column,
   whose attribute reads as 0) is not textured. The fixed-function path modulates by the atlas the same way
   (an untextured vertex's (-1, -1) clamps onto the atlas's white corner).
4. The default sun stands south-south-west at 50 degrees so that, from the default south-west camera,
   roofs, south walls and west walls get three clearly different brightnesses.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from panda3d.core import AmbientLight, DirectionalLight, NodePath, Shader, Vec3

from viewer.render.camera import direction_from_angles

Rgb = tuple[float, float, float]

CITY_VERTEX = """#version 120
uniform mat4 p3d_ModelViewProjectionMatrix;
uniform mat4 p3d_ModelMatrix;
attribute vec4 p3d_Vertex;
attribute vec3 p3d_Normal;
attribute vec4 p3d_Color;
attribute vec4 p3d_MultiTexCoord0;
varying vec3 v_normal;
varying vec4 v_color;
varying vec2 v_uv;
void main() {
    gl_Position = p3d_ModelViewProjectionMatrix * p3d_Vertex;
    v_normal = mat3(p3d_ModelMatrix) * p3d_Normal;
    v_color = p3d_Color;
    v_uv = p3d_MultiTexCoord0.xy;
}
"""

CITY_FRAGMENT = """#version 120
uniform vec4 p3d_ColorScale;
uniform vec3 sun_to;      // unit vector from the scene toward the sun, world space
uniform vec3 sun_color;
uniform vec3 fill_to;
uniform vec3 fill_color;
uniform vec3 ambient;
uniform sampler2D p3d_Texture0;
varying vec3 v_normal;
varying vec4 v_color;
varying vec2 v_uv;
void main() {
    vec3 n = normalize(v_normal);
    if (!gl_FrontFacing) n = -n;
    vec3 light = ambient + sun_color * max(dot(n, sun_to), 0.0) + fill_color * max(dot(n, fill_to), 0.0);
    vec4 base = v_uv.x > 0.0 ? v_color * texture2D(p3d_Texture0, v_uv) : v_color;  // rule 5
    gl_FragColor = vec4(base.rgb * light, base.a) * p3d_ColorScale;
}
"""


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


def apply_city_shader(node: NodePath, lighting: Lighting) -> None:
    """Draw `node` with the two-sided city shader lit by `lighting` (needs GLSL: not on p3tinydisplay)."""
    node.set_shader(city_shader())
    node.set_shader_input("sun_to", Vec3(*lighting.sun_to()))
    node.set_shader_input("sun_color", Vec3(*lighting.sun_color))
    node.set_shader_input("fill_to", Vec3(*lighting.fill_to()))
    node.set_shader_input("fill_color", Vec3(*lighting.fill_color))
    node.set_shader_input("ambient", Vec3(*lighting.ambient))


@functools.cache
def city_shader() -> Shader:
    """The city shader, made once per process and shared by every stage."""
    return Shader.make(Shader.SL_GLSL, vertex=CITY_VERTEX, fragment=CITY_FRAGMENT)
