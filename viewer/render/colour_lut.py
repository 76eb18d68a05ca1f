"""ColourLut: per-object colours of the city in a lookup texture, read by the city shader through the per-vertex
object id, so a new energy or congestion reading rewrites texels and never the mesh.

Rules this module keeps:
1. One RGBA8 2D texture, WIDTH texels wide, one texel per model object: object k is texel (k % WIDTH,
   k // WIDTH). Alpha is how much the texel replaces the vertex's own colour: 0 keeps the style colour
   (objects no layer shows, hidden layers), 255 replaces it.
2. Writes go through memoryview into the texture's RAM image (Panda3D keeps it BGRA: swizzled here) and
   mark it modified; Panda3D uploads the texture before the next frame that draws it. Nothing is rebuilt.
3. attach() swaps the stage's city shader for LUT_SHADER (the lighting of render/lighting.py plus the lookup,
   done per vertex); detach() puts the plain city shader back. Both need GLSL 3.30. Unlike the plain shader,
   which flips the normal of back-facing fragments, LUT_SHADER turns each vertex's normal toward the eye:
   the same result on two-sided geometry, and right for the reversed copies that back-face culling draws
   (render/geometry.py rule 6), whose stored normal points away from the side they show. Textured vertices
   (render/lighting.py rule 5) show their texture as far as no layer colours their object. Light, shadow
   and haze are assets/shaders/look_fragment.glsl (render/lighting.py rule 6), as for the plain city shader. Facades and
   occlusion (its rule 8) apply to the model's own colours only, in proportion to how much of them a layer
   leaves; at night a layer's colour is lit at least LAYER_NIGHT_LIGHT, so the legend still reads.
4. The lookup also serves picking: PICK_SHADER writes the object id (render/picking.py's encoding, kind
   KIND_CITY) instead of a colour.
5. Facades and occlusion draw nothing where a layer's colour wholly replaces an object's own (rule 3), and
   llvmpipe runs their code for every pixel anyway (render/lighting.py rule 12). So while every object with
   a facade (the city root's FACADE_OBJECTS_TAG, render/geometry.py rule 7) has alpha 255 here, as when the
   buildings layer colours all buildings, the city is drawn with the variant compiled without them
   (NO_FACADES: no facade code, no per-vertex facade inputs); a write that leaves any facade object its own
   colour, even partly, brings them back. The pixels are the same either way.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from panda3d.core import NodePath, SamplerState, Shader, ShaderInput, Texture

from viewer.render.geometry import FACADE_OBJECTS_TAG
from viewer.render.lighting import (
    NIGHT_SUN,
    Flavour,
    Lighting,
    apply_city_shader,
    flavour_of,
    flavoured,
    register_night_twin,
)
from viewer.render.shader_files import load_shader, shader_source

WIDTH = 4096
LAYER_NIGHT_LIGHT = 0.8  # rule 3: the least light on a layer's colour at night (a lit roof's by day: ~1)


@functools.cache
def lut_shader(flavour: Flavour = "plain", night: bool = False, facades: bool = True) -> Shader:
    """The LUT shader of one flavour (render/lighting.py rule 7), by day or night (its rule 9), with or without
    the facade code (rule 5)."""
    no_facades = {} if facades else {"NO_FACADES": 1}
    vertex = shader_source("city_lut.vert", no_facades)  # its #include lines pull in the look and facade parts
    fragment = shader_source("city_lut.frag", {"LAYER_NIGHT_LIGHT": f"{LAYER_NIGHT_LIGHT:.3f}", **no_facades})
    shader = Shader.make(Shader.SL_GLSL, vertex=flavoured(vertex, flavour),
                         fragment=flavoured(fragment, flavour, night))
    register_night_twin(shader, night, lambda at_night: lut_shader(flavour, at_night, facades))
    _KINDS[shader] = (flavour, night, facades)
    return shader


_KINDS: dict[Shader, tuple[Flavour, bool, bool]] = {}  # lut_shader's arguments of each shader it made


@functools.cache
def pick_shader() -> Shader:
    """Writes object index + 1 in RGB (24 bits) and kind 1 (KIND_CITY) in alpha."""
    return load_shader("city_pick.vert", "city_pick.frag")


class ColourLut:
    """Colour overrides for `count` objects (rules above)."""

    def __init__(self, count: int) -> None:
        self.count = max(int(count), 1)
        self.height = math.ceil(self.count / WIDTH)
        self.texture = Texture("citiverse-object-colours")
        self.texture.setup_2d_texture(WIDTH, self.height, Texture.T_unsigned_byte, Texture.F_rgba8)
        for setting in (self.texture.set_minfilter, self.texture.set_magfilter):
            setting(SamplerState.FT_nearest)
        self.texture.set_wrap_u(SamplerState.WM_clamp)
        self.texture.set_wrap_v(SamplerState.WM_clamp)
        self.texture.set_keep_ram_image(True)
        self.texels().fill(0)
        self.writes = 0
        self.roots: list[tuple[NodePath, np.ndarray]] = []  # rule 5: attached roots and their facade objects

    def texels(self) -> np.ndarray:
        """(height * WIDTH, 4) uint8 view of the RAM image in Panda3D's BGRA order, marked modified."""
        return np.frombuffer(memoryview(self.texture.modify_ram_image()), np.uint8).reshape(-1, 4)

    def write(self, objects: np.ndarray, rgba: np.ndarray) -> None:
        """Set the colours of objects (m,) int64 indices to RGBA (m, 4) uint8."""
        objects = np.asarray(objects, np.int64)
        if objects.size == 0:
            return
        words = np.ascontiguousarray(rgba, np.uint8).view(np.uint32).reshape(-1)
        # RGBA -> Panda3D's BGRA: swap the bytes of red and blue in each little-endian word.
        bgra = (words & np.uint32(0xFF00FF00)) | ((words & np.uint32(0xFF)) << np.uint32(16)) | \
            ((words >> np.uint32(16)) & np.uint32(0xFF))
        self.texels().view(np.uint32).reshape(-1)[objects] = bgra
        self.writes += 1
        self._follow_facades()

    def grow(self, count: int) -> None:
        """Room for at least `count` objects (streamed tiles bring more, render/tiles_stage.py rule 6), at least
        doubling the rows; texels written so far stay, and so does the Texture object (shader inputs hold)."""
        height = math.ceil(max(int(count), 1) / WIDTH)
        if height <= self.height:
            return
        height = max(height, 2 * self.height)
        old = np.frombuffer(memoryview(self.texture.get_ram_image()), np.uint8).copy()
        self.texture.setup_2d_texture(WIDTH, height, Texture.T_unsigned_byte, Texture.F_rgba8)
        texels = self.texels().reshape(-1)
        texels.fill(0)
        texels[:old.size] = old
        self.count, self.height = height * WIDTH, height

    def read(self, objects: np.ndarray) -> np.ndarray:
        """(m, 4) uint8 RGBA currently set for these objects (for tests and the HUD)."""
        data = np.frombuffer(memoryview(self.texture.get_ram_image()), np.uint8).reshape(-1, 4)
        return data[np.asarray(objects, np.int64)][:, (2, 1, 0, 3)]

    def attach(self, city_root: NodePath) -> None:
        """Draw `city_root` with the LUT shader (rule 3); its lighting inputs stay as apply_city_shader set them."""
        sun = city_root.get_shader_input("sun_color")  # apply_city_shader's, on this node
        night = sun.get_value_type() != ShaderInput.M_invalid and max(sun.get_vector()[i] for i in range(3)) < NIGHT_SUN
        city_root.set_shader(lut_shader(flavour_of(city_root), night))
        city_root.set_shader_input("lut", self.texture)
        tagged = city_root.get_python_tag(FACADE_OBJECTS_TAG)
        if tagged is not None:
            self.roots.append((city_root, np.asarray(tagged, np.int64)))
            self._follow_facades()

    def detach(self, city_root: NodePath, lighting: Lighting) -> None:
        self.roots = [(root, objects) for root, objects in self.roots if root != city_root]
        city_root.clear_shader_input("lut")
        apply_city_shader(city_root, lighting)

    def facades_covered(self, facade_objects: np.ndarray) -> bool:
        """Rule 5: whether every one of these objects' own colour is wholly replaced (False for none)."""
        alpha = np.frombuffer(memoryview(self.texture.get_ram_image()), np.uint8).reshape(-1, 4)[:, 3]
        inside = facade_objects[facade_objects < alpha.size]
        return 0 < inside.size == facade_objects.size and bool(np.all(alpha[inside] == 255))

    def _follow_facades(self) -> None:
        """Rule 5: each attached root's LUT shader with or without the facade code, as facades_covered() says."""
        for root, facade_objects in self.roots:
            kind = _KINDS.get(root.get_shader())
            if kind is None or kind[0] == "plain":
                continue  # another shader (a caller's) or the plain look, which has no facades
            flavour, night, facades = kind
            wanted = not self.facades_covered(facade_objects)
            if wanted != facades:
                root.set_shader(lut_shader(flavour, night, wanted))
