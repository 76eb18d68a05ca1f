"""Move a built stage's sun live: the window's sun-time keys (app/sun_time.py) relight the city in place.

Rules this module keeps:
1. One Lighting (render/lighting.py) reaches every path the stage was built with: the city shaders' inputs
   (sun_to, sun_color, fill_to, fill_color, ambient) wherever a node under the scene graph's top set them
   (city, ground, streamed tiles, vehicles), the fixed-function lights of attach_lights, and the full
   look's shadow map and sky (render/look.py LookNodes), and the base map's daylight (render/basemap_texture.py
   rule 4).
2. Nothing is rebuilt: inputs are overwritten on the nodes that hold them, the lights' colours and
   directions changed, the shadow map redrawn once (render/shadows.py rule 5). A key press costs a walk
   over the scene graph (a few milliseconds for thousands of nodes), never a frame's work.
3. The stage remembers the light it now shows (`stage.lighting`), so what is added later (a vehicle
   layer, a tileset) is lit by the sun of the moment.
"""

from __future__ import annotations

from typing import Any

from panda3d.core import NodePath, ShaderInput, Vec3

from viewer.render.lighting import Lighting, daylight, is_night, set_night

INPUTS = ("sun_to", "sun_color", "fill_to", "fill_color", "ambient")


def set_stage_sun(stage: Any, lighting: Lighting, elevation: float) -> int:
    """Relight `stage` (render/stage.py Stage) with `lighting`, the true sun at `elevation` degrees (below the
    horizon: no shadows, a night sky); the number of nodes whose shader inputs changed (rule 1)."""
    stage.lighting = lighting
    values = _values(lighting)
    top = stage.root.get_top()
    changed = 0
    for node in [top, *top.find_all_matches("**")]:
        if node.get_shader_input("sun_to").get_value_type() != ShaderInput.M_invalid:
            for name, value in values.items():
                node.set_shader_input(name, value)
            set_night(node, is_night(lighting))  # render/lighting.py rule 9: lit windows compiled in or out
            changed += 1
    _set_lights(stage.root, lighting)
    if getattr(stage, "basemap", None) is not None:
        stage.basemap.set_daylight(daylight(lighting))
    look = getattr(stage, "look", None)
    if look is not None:
        to_sun = lighting.sun_to()
        look.shadows.set_sun(to_sun)
        look.shadows.set_active(elevation > 0.0)  # redraws the map once (rule 2)
        look.sky.set_sun(to_sun, elevation)
        look.sky.set_moon(lighting)
    return changed


def _values(lighting: Lighting) -> dict[str, Vec3]:
    return {"sun_to": Vec3(*lighting.sun_to()), "sun_color": Vec3(*lighting.sun_color),
            "fill_to": Vec3(*lighting.fill_to()), "fill_color": Vec3(*lighting.fill_color),
            "ambient": Vec3(*lighting.ambient)}


def _set_lights(root: NodePath, lighting: Lighting) -> None:
    """The fixed-function lights attach_lights made under `root` ("sun", "fill", "ambient")."""
    for name, to, rgb in (("sun", lighting.sun_to(), lighting.sun_color),
                          ("fill", lighting.fill_to(), lighting.fill_color)):
        found = root.find(name)
        if not found.is_empty():
            found.node().set_color((*rgb, 1.0))
            found.node().set_direction(Vec3(*(-to)))
    ambient = root.find("ambient")
    if not ambient.is_empty():
        ambient.node().set_color((*lighting.ambient, 1.0))
