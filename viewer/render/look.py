"""The look of a stage: plain (today's flat light) or full (the sun of a date and time, shadows, sky, haze).

Rules this module keeps:
1. LookSpec is what a caller asks for: a name (LOOKS) and an optional aware datetime with the scene's
   (lon, lat). Without a time the sun is the fixed default of render/lighting.py (renders stay identical
   from run to run and day to day); with one it is viewer/geo/sun.py's sun at that place. A scene that
   is not placed on earth takes DEFAULT_LONLAT for its sun, and lighting_of says so in `place`.
2. The full look needs GLSL (render/lighting.py rule 6): on p3tinydisplay a stage falls back to plain.
3. LookNodes is what build_stage makes for the full look: the shadow map (render/shadows.py), the sky
   (render/sky.py); follow(camera, lens) is the per-view hook: it fits the shadow cascades to the view and
   pushes the lens's far plane out to the terrain's ring, which the haze then hides (no slab edge).
5. Cascade splits (shadow_splits): the finest cascade covers the view out to max(SHADOW_REACH, 6 x the
   camera's height above the model's floor) (the one map of earlier versions: near shadows unchanged), each
   next one CASCADE_RATIO times farther, the last one out to the far plane: shadows at every distance.
4. Shadow edges: stills and videos take 4-tap soft edges; the window asks for one tap (soft_shadows=False,
   render/lighting.py rule 7), which is most of the full look's frame cost on llvmpipe (bench/bench_look.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from viewer.geo.sun import SunPosition, sun_position
from viewer.render.lighting import Lighting

LOOKS = ("plain", "full")
DEFAULT_LONLAT = (4.90, 52.37)  # Amsterdam: the sun of a scene with no CRS
SHADOW_REACH = 600.0  # metres of a view that the finest shadow cascade covers at least (rule 5, docs/look.md)


@dataclass(frozen=True)
class LookSpec:
    name: str = "plain"
    time: datetime | None = None
    lonlat: tuple[float, float] | None = None
    soft_shadows: bool = True  # 4-tap shadow edges (stills, videos); the window draws one tap (rule 4)

    @property
    def full(self) -> bool:
        return self.name == "full"

    def sun(self) -> SunPosition | None:
        if self.time is None:
            return None
        lon, lat = self.lonlat or DEFAULT_LONLAT
        return sun_position(lon, lat, self.time)


def look_spec(name: str | None, time: datetime | None, frame: Any) -> LookSpec:
    """The spec for a look name (None: "full"), a time and the scene's LocalFrame (may be None)."""
    name = name or "full"
    if name not in LOOKS:
        raise ValueError(f"unknown look {name!r} (known: {', '.join(LOOKS)})")
    lonlat = None
    if frame is not None and getattr(frame, "georeferenced", False):
        lonlat = frame.origin_lonlat
    return LookSpec(name, time, lonlat)


def lighting_of(spec: LookSpec) -> Lighting:
    if spec.time is None:
        return Lighting()
    return Lighting.at(*(spec.lonlat or DEFAULT_LONLAT), spec.time)  # the sun and the moon (render/sky.py)


class LookNodes:
    """The full look's nodes on a stage (rule 3)."""

    def __init__(self, base: Any, stage_root: Any, city_root: Any, bmin: np.ndarray, bmax: np.ndarray,
                 lighting: Lighting, terrain_reach: float, elevation: float) -> None:
        from viewer.render.shadows import ShadowMap
        from viewer.render.sky import Sky

        self.bmin, self.bmax, self.terrain_reach = bmin, bmax, terrain_reach
        self.centre = 0.5 * (bmin + bmax)
        self.shadows = ShadowMap(base, stage_root, (bmin, bmax))
        self.shadows.add_caster(city_root)
        self.shadows.set_sun(lighting.sun_to())
        self.shadows.fit()
        self.shadows.set_active(elevation > 0.0)
        self.sky = Sky(stage_root, stage_root, terrain_reach)
        self.sky.set_sun(lighting.sun_to(), elevation)
        self.sky.set_moon(lighting)

    def follow(self, camera: Any, lens: Any) -> None:
        """Rule 3 for one view: shadows fitted to it, far plane at the terrain's ring, haze to match."""
        position = np.array(camera.get_pos(camera.get_top()), np.float64)
        reach = self.terrain_reach + float(np.linalg.norm((position - self.centre)[:2]))
        height = max(position[2] - float(self.bmin[2]), 1.0)
        # The ground under the camera must not be clipped (the model's box alone sets near far out).
        near = min(lens.get_near(), max(0.5 * height, reach * 1e-5, 0.1))
        lens.set_near_far(near, max(lens.get_far(), reach))
        if self.shadows.active:
            self.shadows.follow(camera, lens, shadow_splits(height, self.shadows.tiles))
        self.sky.set_reach(reach)

    def close(self) -> None:
        self.shadows.close()
        self.sky.close()


def shadow_splits(height: float, cascades: int) -> list[float]:
    """Rule 5: how far (metres along the view) each cascade reaches, for a camera `height` m above the floor."""
    from viewer.render.shadows import CASCADE_RATIO

    first = max(SHADOW_REACH, 6.0 * height)
    return [first * CASCADE_RATIO ** k for k in range(cascades - 1)] + [math.inf]


def terrain_reach(bmin: np.ndarray, bmax: np.ndarray, terrain: Any) -> float:
    """Metres from the model's centre to the edge of the terrain's ring (render/terrain_mesh.py rule 1)."""
    from viewer.render.terrain_mesh import TERRAIN_REACH

    xs, ys = terrain.xs(), terrain.ys()
    size = max(float(xs[-1] - xs[0]), float(ys[-1] - ys[0]), 1.0)
    return size * (TERRAIN_REACH + 0.5) * 0.95 if math.isfinite(size) else float(np.linalg.norm(bmax - bmin))


def scene_look(scene: Any) -> LookSpec:
    """The look a LoadedScene asks for: its config's look (default full) and time at its frame's place."""
    config = scene.config
    return look_spec(getattr(config, "look", None), getattr(config, "time", None), getattr(scene, "frame", None))
