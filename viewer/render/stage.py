"""A Stage: everything drawn for one city model under one NodePath (city tiles, ground, lights).

Rules this module keeps:
1. A Stage owns its nodes and removes them all in `remove()`, so a reused ShowBase (the headless renderer
   renders many scenes in one process) never accumulates old cities or lights.
2. The ground is a flat quad slightly below the model's lowest point, sized to the model plus a margin,
   unlit, in the "background" bin with depth writes off: drawn first, everything of the model draws over
   it, so it can never z-fight with terrain or road surfaces lying at the same height.
3. The window's background colour is not part of the stage (it belongs to the output); `background_rgba`
   turns the Style's colour into what GraphicsOutput.set_clear_color wants.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from panda3d.core import CardMaker, NodePath

from viewer.city.model import CityModel
from viewer.city.views import focus_points
from viewer.config import Style
from viewer.render.camera import frame_sample
from viewer.render.geometry import CityGeometry
from viewer.render.geometry_cache import cached_city_geometry
from viewer.render.lighting import Lighting, apply_city_shader, attach_lights

GROUND_MARGIN_FRACTION = 0.25  # of the model's larger horizontal extent ...
GROUND_MARGIN_MIN = 50.0  # ... but at least this many metres on every side
GROUND_DROP = 0.05  # metres below the lowest vertex (cosmetic: the bin, not the offset, prevents z-fight)


@dataclass
class Stage:
    """root holds city.root, ground and the lights; bmin/bmax (3,) float64 are the model's bounds;
    frame_points (k, 3) float64 a sample of its focus vertices (where the objects are: city.views) for framing."""

    root: NodePath
    city: CityGeometry
    ground: NodePath
    bmin: np.ndarray
    bmax: np.ndarray
    lighting: Lighting
    frame_points: np.ndarray

    def remove(self) -> None:
        """Detach and free every node of this stage (lights included)."""
        self.root.clear_light()
        self.root.remove_node()


def build_stage(parent: NodePath, model: CityModel, style: Style, shaders: bool = True,
                lighting: Lighting | None = None, tile_size: float | None = None) -> Stage:
    """Build the city geometry (through render/geometry_cache.py: read back when the model came from the
    scene cache and was drawn in this style before), ground and lights under a new node of `parent`.

    shaders=False keeps everything fixed-function (p3tinydisplay has no GLSL).
    """
    lighting = lighting or Lighting()
    root = parent.attach_new_node("stage")
    city = cached_city_geometry(model, style, tile_size=tile_size)
    city.root.reparent_to(root)
    if shaders:
        apply_city_shader(city.root, lighting)
    attach_lights(root, lighting)
    lo, hi = model.bounds()
    bmin, bmax = lo.astype(np.float64), hi.astype(np.float64)
    ground = make_ground(root, bmin, bmax, style.ground)
    return Stage(root, city, ground, bmin, bmax, lighting, frame_sample(focus_points(model)))


def ground_rect(bmin: Any, bmax: Any) -> tuple[float, float, float, float, float]:
    """(x0, x1, y0, y1, z) of the ground quad for a model box."""
    extent = max(float(bmax[0] - bmin[0]), float(bmax[1] - bmin[1]))
    margin = max(GROUND_MARGIN_MIN, GROUND_MARGIN_FRACTION * extent)
    return (float(bmin[0]) - margin, float(bmax[0]) + margin, float(bmin[1]) - margin,
            float(bmax[1]) + margin, float(bmin[2]) - GROUND_DROP)


def make_ground(parent: NodePath, bmin: Any, bmax: Any, rgb: tuple[float, float, float]) -> NodePath:
    """The ground quad (see rule 2), flat-coloured `rgb`."""
    x0, x1, y0, y1, z = ground_rect(bmin, bmax)
    card = CardMaker("ground")
    card.set_frame(x0, x1, y0, y1)  # CardMaker builds in the xz plane; pitched -90 it lies in xy, facing up
    ground = parent.attach_new_node(card.generate())
    ground.set_p(-90.0)
    ground.set_z(z)
    ground.set_color(*rgb, 1.0)
    ground.set_light_off()
    ground.set_shader_off()
    ground.set_two_sided(True)
    ground.set_bin("background", 10)
    ground.set_depth_write(False)
    return ground


def background_rgba(style: Style) -> tuple[float, float, float, float]:
    return (*style.background, 1.0)
