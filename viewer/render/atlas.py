"""A city/appearance.py Atlas as a Panda3D texture.

Rules this module keeps:
1. One RGBA8 2D texture per atlas, its RAM image written from numpy in one assignment (Panda3D keeps BGRA,
   rows from the bottom, which is how the Atlas stores its page: no flip).
2. Mipmapped (trilinear) and clamped: texture coordinates never leave their image's rectangle (appearance.py
   rule 5), so wrapping modes would change nothing and clamping keeps the page's edges from bleeding.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from panda3d.core import SamplerState, Texture


def atlas_texture(atlas: Any) -> Texture:
    """The Panda3D texture of a city/appearance.py Atlas (rules above)."""
    side = atlas.side
    texture = Texture("citiverse-atlas")
    texture.setup_2d_texture(side, side, Texture.T_unsigned_byte, Texture.F_rgba8)
    ram = np.frombuffer(memoryview(texture.modify_ram_image()), np.uint8).reshape(side, side, 4)
    ram[...] = atlas.pixels[:, :, (2, 1, 0, 3)]  # RGBA -> BGRA
    texture.set_minfilter(SamplerState.FT_linear_mipmap_linear)
    texture.set_magfilter(SamplerState.FT_linear)
    texture.set_wrap_u(SamplerState.WM_clamp)
    texture.set_wrap_v(SamplerState.WM_clamp)
    texture.set_anisotropic_degree(4)
    return texture
