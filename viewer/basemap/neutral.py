"""A neutral map drawn from the city's own data, as web-mercator tiles: where no imagery is given.

Rules this module keeps:
1. What is drawn comes from the model alone (whatever loaded it: OSM, GeoJSON, CityJSON, SUMO): its flat
   surfaces by kind and object type, seen from above, in LAYERS order (later on top): green areas (objects
   whose type names a park, garden, grass, forest...), other ground (plazas, plates), water, roads, and
   building footprints (their roofs' outlines). Everywhere else is LAND.
2. Colours are light and unsaturated, so buildings' energy colours and road congestion stay readable on it.
3. Triangles are moved to mercator world coordinates once (through drape.Placement); a tile draws only
   those whose box meets it, with Pillow's ImageDraw, on the fetcher's worker threads.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from viewer.basemap.drape import Placement
from viewer.basemap.mercator import Tile
from viewer.city.model import SurfaceKind

LAND = (238, 235, 228)
GREEN_WORDS = ("park", "garden", "grass", "forest", "wood", "meadow", "green", "plantcover", "vegetation",
               "recreation", "cemetery", "pitch")
LAYERS = (("green", (206, 222, 190)), ("ground", (228, 225, 218)), ("water", (176, 204, 222)),
          ("road", (255, 255, 255)), ("building", (214, 207, 199)))


class MapSource:
    """The neutral map of rule 1 over `model`, placed with the scene's `frame`."""

    kind, remote, tile_size, min_zoom, max_zoom = "map", False, 256, 0, 20

    def __init__(self, model: Any, frame: Any, attribution: str | None = None) -> None:
        self.placement = Placement(frame)
        self.attribution = attribution or "Map: the scene's own data"
        self.name = "map"
        self.layers = [] if model is None else self._layers(model)

    def _layers(self, model: Any) -> list[tuple[tuple[int, int, int], np.ndarray, np.ndarray]]:
        """Per LAYERS entry: (colour, triangles (t, 3, 2) world u, v, boxes (t, 4) u0 v0 u1 v1)."""
        groups = _classify(model)
        used = np.unique(np.concatenate([model.triangles[m].ravel() for m in groups.values()] + [np.zeros(0, int)]))
        out: list[tuple[tuple[int, int, int], np.ndarray, np.ndarray]] = []
        if used.size == 0:
            return out
        u, v = self.placement.local_to_world(model.vertices[used, :2].astype(np.float64))
        where = np.full(model.vertex_count, -1, np.int64)
        where[used] = np.arange(used.size)
        uv = np.stack([u, v], axis=1)
        for name, colour in LAYERS:
            tri = model.triangles[groups[name]]
            if tri.size == 0:
                continue
            corners = uv[where[tri]]
            boxes = np.concatenate([corners.min(axis=1), corners.max(axis=1)], axis=1)
            out.append((colour, corners, boxes))
        return out

    def render(self, tile: Tile) -> np.ndarray:
        from PIL import Image, ImageDraw  # drawing only: Pillow is a dependency anyway

        s = self.tile_size
        image = Image.new("RGBA", (s, s), (*LAND, 255))
        draw = ImageDraw.Draw(image)
        u0, v0, u1, v1 = tile.world_rect()
        scale = s / (u1 - u0)
        for colour, corners, boxes in self.layers:
            hit = (boxes[:, 2] >= u0) & (boxes[:, 0] <= u1) & (boxes[:, 3] >= v0) & (boxes[:, 1] <= v1)
            pixels = (corners[hit] - np.array([u0, v0])) * scale
            fill = (*colour, 255)
            for tri in pixels.tolist():
                draw.polygon([tuple(p) for p in tri], fill=fill)
        return np.asarray(image, np.uint8).copy()


def _classify(model: Any) -> dict[str, np.ndarray]:
    """Per LAYERS name, a (T,) bool mask over the model's triangles (rule 1)."""
    kind = model.vertex_kind[model.triangles[:, 0]]
    obj = model.vertex_object[model.triangles[:, 0]]
    types = [t.lower() for t in model.objects.types]
    green_type = np.array([any(w in t for w in GREEN_WORDS) for t in types] + [False], bool)
    water_type = np.array(["water" in t for t in types] + [False], bool)
    obj = np.where((obj >= 0) & (obj < len(types)), obj, len(types))
    flat = np.isin(kind, (SurfaceKind.GROUND, SurfaceKind.OTHER, SurfaceKind.TERRAIN))
    return {"green": flat & green_type[obj],
            "ground": (kind == SurfaceKind.GROUND) & ~green_type[obj] & ~water_type[obj],
            "water": (kind == SurfaceKind.WATER) | (flat & water_type[obj]),
            "road": kind == SurfaceKind.ROAD,
            "building": kind == SurfaceKind.ROOF}
