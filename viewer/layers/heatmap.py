"""The heat map layer: the values of point entities interpolated over the ground as a coloured overlay.

    [layers.noise]
    type = "heatmap"
    kind = "noise"               # a point kind of protocol v1.1 (twin/kinds.py)
    field = "laeq"               # default: the kind's first number field
    radius = 250                 # metres a sensor's value reaches
    range = [40, 80]

Rules this module keeps:
1. The grid covers the scene's bounds (x, y) in square cells of `cell` metres, the cell doubled until the
   grid has at most MAX_TEXELS texels; row 0 is the south edge (drawables.GroundOverlay).
2. Each cell's value is the inverse-distance weighted mean (power `power`) of the sensors within `radius`
   metres of its centre, computed in chunks of cells so memory stays at CHUNK x sensors floats; a cell with
   no sensor in reach is transparent. Opacity fades from `opacity` to 0 over the outer third of the reach,
   so the map ends softly rather than in a hard disc edge.
3. Colours through the same ValueScale as the sensors layer (ramp, range fitted to the data, alert, legend).
4. The overlay drapes over the ground (LayerScene.ground at the texel corners) `lift` m above it, and is
   rebuilt only when the kind's table, the range or the visibility changed.
5. Panel for a picked texel: the interpolated value there, the sensors in reach (nearest first, at most 5).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from viewer.layers.base import LayerScene, LayerSettings, Option
from viewer.layers.drawables import Drawable, GroundOverlay
from viewer.layers.picking import PickInfo
from viewer.layers.registry import register
from viewer.layers.sensors import VALUE_OPTIONS, ValueLayer
from viewer.twin.state import TwinState

MAX_TEXELS = 256 * 256
CHUNK = 8192


def idw(cx: np.ndarray, cy: np.ndarray, px: np.ndarray, py: np.ndarray, values: np.ndarray, radius: float,
        power: float) -> tuple[np.ndarray, np.ndarray]:
    """(value (n,), distance to the nearest sensor (n,)) at cell centres cx, cy (n,) from sensors px, py,
    values (k,) (NaN values ignored); value NaN where no sensor is within `radius` (rule 2)."""
    ok = np.isfinite(values) & np.isfinite(px) & np.isfinite(py)
    px, py, values = px[ok], py[ok], values[ok]
    out = np.full(cx.shape, np.nan)
    nearest = np.full(cx.shape, np.inf)
    if values.size == 0:
        return out, nearest
    for start in range(0, cx.size, CHUNK):
        sl = slice(start, start + CHUNK)
        d = np.hypot(cx[sl, None] - px[None, :], cy[sl, None] - py[None, :])
        near = d <= radius
        w = np.where(near, 1.0 / np.maximum(d, 1.0) ** power, 0.0)
        total = w.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[sl] = np.where(total > 0, (w @ values) / total, np.nan)
        nearest[sl] = d.min(axis=1)
    return out, nearest


@register
class HeatmapLayer(ValueLayer):
    type_name = "heatmap"
    title = "heat map"
    default_kind = "noise"
    options = {
        **VALUE_OPTIONS,
        "ramp": Option("choice", "inferno", "colour ramp", VALUE_OPTIONS["ramp"].choices),
        "cell": Option("number", 10.0, "metres per texel (doubled while the grid is too big)", low=0.5, high=10000),
        "radius": Option("number", 250.0, "metres a sensor's value reaches", low=1, high=100000),
        "power": Option("number", 2.0, "inverse-distance power", low=0.5, high=6),
        "opacity": Option("number", 0.7, "alpha of the overlay", low=0.05, high=1),
        "lift": Option("number", 0.6, "metres above the ground", low=0, high=100),
    }

    def __init__(self, settings: LayerSettings, scene: LayerScene) -> None:
        super().__init__(settings, scene)
        self.grid = self._grid(scene)
        self._key: tuple[Any, ...] | None = None
        self._drawn: list[Drawable] = []
        self.cells = np.zeros(0)

    def _grid(self, scene: LayerScene) -> tuple[float, float, float, int, int]:
        """Rule 1: (x0, y0, cell, w, h)."""
        lo, hi = (np.asarray(b, np.float64) for b in scene.bounds)
        span_x, span_y = max(float(hi[0] - lo[0]), 1.0), max(float(hi[1] - lo[1]), 1.0)
        cell = float(self.settings.get("cell"))
        while math.ceil(span_x / cell) * math.ceil(span_y / cell) > MAX_TEXELS:
            cell *= 2.0
        return float(lo[0]), float(lo[1]), cell, math.ceil(span_x / cell), math.ceil(span_y / cell)

    def draw(self, state: TwinState, at: float) -> list[Drawable]:
        found = self.current(state) if self.visible else None
        if found is None or "x" not in found[0].columns:
            self._key, self._drawn = None, []
            return []
        table, field, values = found
        key = (id(table), table.version, field, self.values.version, self.overrides_version)
        if key != self._key:
            self._key, self._drawn = key, [self._overlay(table, values)]
        return self._drawn

    def _overlay(self, table: Any, values: np.ndarray) -> GroundOverlay:
        x0, y0, cell, w, h = self.grid
        cx, cy = np.meshgrid(x0 + (np.arange(w) + 0.5) * cell, y0 + (np.arange(h) + 0.5) * cell)
        radius = float(self.settings.get("radius"))
        cells, nearest = idw(cx.reshape(-1), cy.reshape(-1), table.column("x").astype(np.float64),
                             table.column("y").astype(np.float64), values, radius, float(self.settings.get("power")))
        self.cells = cells
        rgba = self.values.rgba(cells).reshape(h, w, 4).copy()
        fade = np.clip((radius - nearest) / (radius / 3.0), 0.0, 1.0)  # rule 2: a soft edge
        alpha = np.where(np.isfinite(cells), float(self.settings.get("opacity")) * fade, 0.0)
        rgba[..., 3] = np.rint(alpha.reshape(h, w) * 255.0).astype(np.uint8)
        gx, gy = np.meshgrid(x0 + np.arange(w + 1) * cell, y0 + np.arange(h + 1) * cell)
        ground = np.asarray(self.scene.ground(gx.reshape(-1), gy.reshape(-1)), np.float32).reshape(h + 1, w + 1)
        return GroundOverlay((x0, y0, x0 + w * cell, y0 + h * cell), rgba, ground,
                             float(self.settings.get("lift")), table.version)

    def describe(self, pick: Any, state: TwinState, at: float, wall: float) -> PickInfo | None:
        x0, y0, cell, w, h = self.grid
        texel = int(pick)
        if not 0 <= texel < self.cells.size:
            return None
        col, row = texel % w, texel // w
        x, y = x0 + (col + 0.5) * cell, y0 + (row + 0.5) * cell
        field = self.field_name(state)
        unit = self.units(field)
        value = float(self.cells[texel])
        lines = [f"{field}: {'no data' if not math.isfinite(value) else f'{value:.3g} {unit}'.rstrip()} "
                 f"(interpolated)", f"at {x:.0f}, {y:.0f} m (local), cell {cell:g} m"]
        table = state.tables.get(self.kind)
        if table is not None and len(table) and "x" in table.columns:
            d = np.hypot(table.column("x") - x, table.column("y") - y)
            radius = float(self.settings.get("radius"))
            for i in np.argsort(d)[:5].tolist():
                if d[i] <= radius and field is not None:
                    v = float(table.column(field)[i])
                    lines.append(f"{table.live_ids()[i]}: {v:.3g} {unit} at {d[i]:.0f} m".rstrip())
        return PickInfo("heatmap", f"{self.name} ({col}, {row})", self.title_of(field), tuple(lines))

    def help_line(self) -> str:
        return f"{self.name} heat map on / off"
