"""The demo scene: the procedural city at its real-world origin, with camera bookmarks.

scenes/demo.toml describes the same scene as a file (tests/test_demo.py keeps the two in step); this module
lets `citiverse demo` run from an installed package, where scenes/ is not shipped.
"""

from __future__ import annotations

import math

from viewer.city import procedural
from viewer.config import CameraBookmark, SceneConfig, SourceConfig, Style

DEFAULT_BUILDINGS = 3000

# Bookmarks for the default size, in local metres around the city centre; scaled with the city's width.
_CAMERAS = {
    "overview": CameraBookmark(position=(-1150.0, -1400.0, 900.0), look_at=(0.0, 0.0, 0.0), fov=45.0),
    "centre": CameraBookmark(position=(-350.0, -520.0, 260.0), look_at=(0.0, 0.0, 40.0), fov=50.0),
    "street": CameraBookmark(position=(-10.0, -170.0, 1.7), look_at=(-10.0, 200.0, 25.0), fov=60.0),
}


def demo_scene(seed: int = 42, buildings: int = DEFAULT_BUILDINGS) -> SceneConfig:
    scale = math.sqrt(buildings / DEFAULT_BUILDINGS)
    cameras = {name: CameraBookmark(position=tuple(v * scale for v in cam.position),  # type: ignore[arg-type]
                                    look_at=cam.look_at, fov=cam.fov)
               for name, cam in _CAMERAS.items()}
    x, y = procedural.ORIGIN
    return SceneConfig(
        path=None, name=f"Demo city (seed {seed})", crs=procedural.CRS, origin=(x, y, 0.0), origin_lonlat=None,
        sources=(SourceConfig(format="procedural", seed=seed, size=buildings),), style=Style(), cameras=cameras)
