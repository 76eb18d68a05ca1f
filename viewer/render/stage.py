"""A Stage: everything drawn for one city model under one NodePath (city tiles, ground, lights).

Rules this module keeps:
1. A Stage owns its nodes and removes them all in `remove()`, so a reused ShowBase (the headless renderer
   renders many scenes in one process) never accumulates old cities or lights.
2. The ground is the model's terrain (model.terrain, built by city/scene.py; without one, a flat terrain
   slightly below the model's lowest point), drawn by render/terrain_mesh.py: lit like the city, extended
   to the horizon, and pushed back in depth so roads, plates and relief lying on it never z-fight with it
   (its rule 3). `Stage.ground` is its node; `ground.get_z()` is its lowest height, the base plane the
   collision index and the flythrough code take.
3. The base map (render/basemap_texture.py Drape) lies on the ground when the caller gives a [basemap]
   config and the scene's frame: `Stage.basemap`, None when there is none; removed with the stage.
4. The window's background colour is not part of the stage (it belongs to the output); `background_rgba`
   turns the Style's colour into what GraphicsOutput.set_clear_color wants.
5. The look (render/look.py): a LookSpec sets the stage's Lighting (its sun); the full look, with shaders,
   adds `Stage.look` (LookNodes: shadow map, sky, haze), removed with the stage. Renderers call
   `stage.follow_view(camera, lens)` once per frame (or pose) so shadows and haze fit that view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from panda3d.core import NodePath

from viewer.city.model import CityModel
from viewer.city.terrain import Terrain, flat
from viewer.city.views import focus_points
from viewer.config import Style
from viewer.render.camera import frame_sample
from viewer.render.geometry import CityGeometry
from viewer.render.geometry_cache import cached_city_geometry
from viewer.render.lane_marks import make_lane_marks
from viewer.render.lighting import Lighting, apply_city_shader, attach_lights, daylight, mark_flavour
from viewer.render.terrain_mesh import make_terrain_node

GROUND_DROP = 0.05  # metres below the lowest vertex for the flat terrain of a model built without one
FLAT_PAD = 100.0  # metres of flat ground around a small model: its ring (20x its size) then reaches kilometres,
# far enough for the haze of the full look to hide its edge (render/sky.py rule 3)


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
    basemap: Any = None  # render/basemap_texture.py Drape (rule 3)
    look: Any = None  # render/look.py LookNodes (rule 5)

    def follow_view(self, camera: NodePath, lens: Any) -> None:
        """Fit the look to a view (rule 5; a no-op for the plain look)."""
        if self.look is not None:
            self.look.follow(camera, lens)

    def remove(self) -> None:
        """Detach and free every node of this stage (lights included) and stop its base map's loaders."""
        if self.look is not None:
            self.look.close()
            self.look = None
        if self.basemap is not None:
            self.basemap.close()
        self.root.clear_light()
        self.root.remove_node()


def build_stage(parent: NodePath, model: CityModel, style: Style, shaders: bool = True,
                lighting: Lighting | None = None, tile_size: float | None = None, basemap: Any = None,
                frame: Any = None, basemap_always: bool = False, look: Any = None, base: Any = None) -> Stage:
    """Build the city geometry (through render/geometry_cache.py: read back when the model came from the
    scene cache and was drawn in this style before), ground and lights under a new node of `parent`.

    shaders=False keeps everything fixed-function (p3tinydisplay has no GLSL). basemap: the scene's
    BasemapConfig with `frame` its LocalFrame (rule 3); a source of "none" makes no drape unless
    basemap_always (the window, whose I key switches to the map). look: a render/look.py LookSpec (rule 5)
    drawn with `base` (the ShowBase; default: Panda3D's global one).
    """
    if look is not None and lighting is None:
        from viewer.render.look import lighting_of

        lighting = lighting_of(look)
    lighting = lighting or Lighting()
    root = parent.attach_new_node("stage")
    if shaders and look is not None and look.full:
        mark_flavour(root, "soft" if look.soft_shadows else "full")  # before any shader below (lighting.py rule 7)
    city = cached_city_geometry(model, style, tile_size=tile_size)
    city.root.reparent_to(root)
    make_lane_marks(city.root, model, style, textured=city.atlas is not None and bool(city.atlas.rects))
    if shaders:
        apply_city_shader(city.root, lighting)
    attach_lights(root, lighting)
    lo, hi = model.bounds()
    bmin, bmax = lo.astype(np.float64), hi.astype(np.float64)
    ground = make_ground(root, ground_terrain(model), style.ground)
    if shaders:
        apply_city_shader(ground, lighting, ground=True)  # render/lighting.py rule 10
    drape = None
    if basemap is not None and (basemap_always or basemap.source != "none"):
        from viewer.render.basemap_texture import make_drape  # only scenes with a base map need it

        drape = make_drape(root, ground_terrain(model), frame, basemap, model, shaders)
        drape.set_daylight(daylight(lighting))  # imagery darkens with the city at night
    stage = Stage(root, city, ground, bmin, bmax, lighting, frame_sample(focus_points(model)), drape)
    if shaders and look is not None and look.full:
        stage.look = make_look(base, stage, ground_terrain(model), look)
    return stage


def make_look(base: Any, stage: Stage, terrain: Terrain, look: Any) -> Any:
    """The full look's nodes for `stage` (rule 5)."""
    from viewer.render.look import LookNodes, terrain_reach

    if base is None:
        import builtins

        base = getattr(builtins, "base")  # noqa: B009 - ShowBase registers itself there
    sun = look.sun()
    elevation = stage.lighting.sun_elevation if sun is None else sun.elevation
    return LookNodes(base, stage.root, stage.city.root, stage.bmin, stage.bmax, stage.lighting,
                     terrain_reach(stage.bmin, stage.bmax, terrain), elevation)


def ground_terrain(model: CityModel) -> Terrain:
    """The model's terrain, or a flat one GROUND_DROP below its lowest point over its box (rule 2)."""
    if model.terrain is not None:
        return model.terrain
    lo, hi = model.bounds()
    pad = max(FLAT_PAD, 0.05 * float(max(hi[0] - lo[0], hi[1] - lo[1])))
    return flat(float(lo[2]) - GROUND_DROP, (float(lo[0]) - pad, float(lo[1]) - pad, float(hi[0]) + pad,
                                            float(hi[1]) + pad))


def make_ground(parent: NodePath, terrain: Terrain, rgb: tuple[float, float, float]) -> NodePath:
    """The terrain mesh (rule 2) coloured `rgb`; lit by the stage's lights (and its shader, set by the caller)."""
    return make_terrain_node(parent, terrain, rgb)


def background_rgba(style: Style) -> tuple[float, float, float, float]:
    return (*style.background, 1.0)
