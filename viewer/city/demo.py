"""The demo scene: the procedural city at its real-world origin, with camera bookmarks.

scenes/demo.toml describes the same scene as a file (tests/test_demo.py keeps the two in step); this module
lets `citiverse demo` run from an installed package, where scenes/ is not shipped.

Bookmarks are written for the default city (seed 42, 3000 buildings) and scaled with the city's width for
other sizes, except the street view: another seed or size lays its streets elsewhere, so it stands at eye
height on the junction of a north-south street nearest the scaled spot, looking north along that street
(a scaled point could be inside a house).
"""

from __future__ import annotations

import math

import numpy as np

from viewer.city import procedural
from viewer.config import CameraBookmark, SceneConfig, SourceConfig, Style

DEFAULT_SEED = 42
DEFAULT_BUILDINGS = 3000
EYE_HEIGHT = 1.7

# Bookmarks for the default city, in local metres around the city centre; scaled with the city's width.
_CAMERAS = {
    "overview": CameraBookmark(position=(-1150.0, -1400.0, 900.0), look_at=(0.0, 0.0, 0.0), fov=45.0),
    "centre": CameraBookmark(position=(-350.0, -520.0, 260.0), look_at=(0.0, 0.0, 40.0), fov=50.0),
    "street": CameraBookmark(position=(-10.0, -170.0, EYE_HEIGHT), look_at=(-10.0, 200.0, 25.0), fov=60.0),
}


def demo_scene(seed: int = DEFAULT_SEED, buildings: int = DEFAULT_BUILDINGS) -> SceneConfig:
    scale = math.sqrt(buildings / DEFAULT_BUILDINGS)
    cameras = {name: CameraBookmark(position=tuple(v * scale for v in cam.position),  # type: ignore[arg-type]
                                    look_at=cam.look_at, fov=cam.fov)
               for name, cam in _CAMERAS.items()}
    if (seed, buildings) != (DEFAULT_SEED, DEFAULT_BUILDINGS):
        cameras["street"] = street_view(seed, buildings, scale)
    x, y = procedural.ORIGIN
    return SceneConfig(
        path=None, name=f"Demo city (seed {seed})", crs=procedural.CRS, origin=(x, y, 0.0), origin_lonlat=None,
        sources=(SourceConfig(format="procedural", seed=seed, size=buildings),), style=Style(), cameras=cameras)


def street_view(seed: int, buildings: int, scale: float) -> CameraBookmark:
    """Eye height on the junction nearest the scaled street bookmark that has a north-south street going north,
    looking up that street (local metres)."""
    graph = procedural.street_graph(seed, buildings)
    nodes = graph.nodes - np.asarray(procedural.ORIGIN)
    a, b = nodes[graph.edges[:, 0]], nodes[graph.edges[:, 1]]
    north_south = (np.abs(a[:, 0] - b[:, 0]) < 1e-6) & (graph.z == 0.0)
    starts = np.where((a[:, 1] < b[:, 1])[:, None], a, b)[north_south]
    want = np.asarray(_CAMERAS["street"].position[:2]) * scale
    if starts.shape[0] == 0:  # a city too small for a street running north: the scaled bookmark
        x, y = (float(v) for v in want)
    else:
        x, y = (float(v) for v in starts[np.argmin(np.hypot(*(starts - want).T))])
    reach = _CAMERAS["street"].look_at[1] - _CAMERAS["street"].position[1]
    return CameraBookmark(position=(x, y, EYE_HEIGHT), look_at=(x, y + reach * scale, 25.0), fov=60.0)
