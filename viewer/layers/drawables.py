"""What a layer asks to be drawn: plain numpy data, no Panda3D (render/layer_draw.py turns it into nodes).

Rules this module keeps:
1. A layer describes, render/ draws (DESIGN rule 6, pygfx's split): Layer.draw() returns a list of these
   values and knows nothing of nodes, shaders or textures. Each type is one entry in render/layer_draw.py's
   DRAWERS table; a new primitive is a new entry there, never a branch in a layer.
2. Positions are float32 local metres of the scene (x east, y north, z up), already mapped from the feed's
   CRS (layers/base.py LayerScene.to_local); colours are (n, 4) uint8 RGBA, alpha 0 = not drawn.
3. `pick` ids are what the layer's describe() gets back for a click on that element: row i of a Columns is
   picked as ids[i]; a texel (column c, row r) of a GroundOverlay as r * width + c.
4. A drawable is a value: a layer returns the same object again when nothing changed (`version` unchanged),
   and the drawer skips the upload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class ObjectColours:
    """Colours of scene objects through the colour lookup texture (DESIGN rule 6). members (m,) int64 object
    indices, rgba (m, 4) uint8 (alpha 0: the object's own colour). target "city" (the model's LUT) or
    "roads" (the congestion bands of render/road_bands.py); `base` offsets streamed tile objects."""

    members: np.ndarray
    rgba: np.ndarray
    target: str = "city"
    base: int = 0


@dataclass(frozen=True)
class VehicleInstances:
    """The built-in vehicles: a layers/vehicles.py VehicleFrame already written into the renderer's memory."""

    frame: Any


@dataclass(frozen=True)
class Columns:
    """Upright markers standing on the ground: a column (a box `radius` m half-wide, `height` m tall) or a
    sphere (`radius` m, floating `height` m above the ground). ids (n,) object; base (n, 3) float32 ground
    point; height (n,) float32 m; rgba (n, 4) uint8."""

    ids: np.ndarray
    base: np.ndarray
    height: np.ndarray
    rgba: np.ndarray
    radius: float = 4.0
    shape: str = "column"
    version: int = 0


@dataclass(frozen=True)
class Labels:
    """Text above points: anchor (n, 3) float32 local metres, texts (n,) str, one colour (4,) uint8; at most
    `limit` are drawn (the first ones: the layer orders them by importance)."""

    anchor: np.ndarray
    texts: tuple[str, ...]
    rgba: np.ndarray = field(default_factory=lambda: np.array([255, 255, 255, 255], np.uint8))
    size: float = 6.0
    limit: int = 200
    version: int = 0


@dataclass(frozen=True)
class GroundOverlay:
    """An image laid on the ground (a heat map): rgba (h, w, 4) uint8, row 0 at the south edge, covering
    extent (x0, y0, x1, y1) local metres; `heights` (m + 1, n + 1) float32 ground heights at the corners of an
    m x n mesh over the extent, at any resolution ((2, 2): one flat quad), `lift` m above them (the overlay
    drapes over terrain)."""

    extent: tuple[float, float, float, float]
    rgba: np.ndarray
    heights: np.ndarray
    lift: float = 0.6
    version: int = 0


Drawable = ObjectColours | VehicleInstances | Columns | Labels | GroundOverlay
