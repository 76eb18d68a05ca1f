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
   metres of its centre; a cell with no sensor in reach is transparent. Each sensor adds its weights to the
   window of cells within its reach only (one numpy pass per sensor over that window), so the cost is
   sensors x (2 radius / cell)^2, not sensors x the whole grid: 40 sensors over 216 x 204 cells, 6 ms
   instead of 100. Sensors are tens to thousands, never a per-vehicle loop. Opacity fades from `opacity` to 0 over the outer third of the reach,
   so the map ends softly rather than in a hard disc edge.
3. Colours through the same ValueScale as the sensors layer (ramp, range fitted to the data, alert, legend).
4. The overlay drapes over the ground `lift` m above it: LayerScene.ground sampled on a mesh of at most
   MESH x MESH quads (one quad where the ground is flat), independent of the texels; it is rebuilt only when
   the kind's table, the range or the visibility changed.
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
MESH = 64


def idw_grid(x0: float, y0: float, cell: float, w: int, h: int, px: np.ndarray, py: np.ndarray,
             values: np.ndarray, radius: float, power: float) -> tuple[np.ndarray, np.ndarray]:
    """(value (h, w), distance to the nearest sensor (h, w)) at the centres of a grid of cells (rule 2) from
    sensors px, py, values (k,) (NaN ignored); value NaN where no sensor is within `radius`."""
    ok = np.isfinite(values) & np.isfinite(px) & np.isfinite(py)
    px, py, values = px[ok], py[ok], values[ok]
    num, den = np.zeros((h, w)), np.zeros((h, w))
    nearest = np.full((h, w), np.inf)
    centre_x, centre_y = x0 + (np.arange(w) + 0.5) * cell, y0 + (np.arange(h) + 0.5) * cell
    for sx, sy, v in zip(px.tolist(), py.tolist(), values.tolist(), strict=True):
        c0, c1 = np.searchsorted(centre_x, [sx - radius, sx + radius])
        r0, r1 = np.searchsorted(centre_y, [sy - radius, sy + radius])
        if c0 >= c1 or r0 >= r1:
            continue
        d = np.hypot(centre_x[None, c0:c1] - sx, centre_y[r0:r1, None] - sy)
        weight = np.where(d <= radius, np.maximum(d, 1.0) ** -power, 0.0)
        num[r0:r1, c0:c1] += weight * v
        den[r0:r1, c0:c1] += weight
        np.minimum(nearest[r0:r1, c0:c1], d, out=nearest[r0:r1, c0:c1])
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan), nearest


def idw(cx: np.ndarray, cy: np.ndarray, px: np.ndarray, py: np.ndarray, values: np.ndarray, radius: float,
        power: float) -> tuple[np.ndarray, np.ndarray]:
    """The reference form of idw_grid at any points cx, cy (n,): (value (n,), nearest distance (n,))."""
    ok = np.isfinite(values) & np.isfinite(px) & np.isfinite(py)
    px, py, values = px[ok], py[ok], values[ok]
    if values.size == 0:
        return np.full(cx.shape, np.nan), np.full(cx.shape, np.inf)
    d = np.hypot(cx[:, None] - px[None, :], cy[:, None] - py[None, :])
    weight = np.where(d <= radius, np.maximum(d, 1.0) ** -power, 0.0)
    total = weight.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (weight @ values) / total, np.nan), d.min(axis=1)


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
        self._heights: np.ndarray | None = None  # the ground under the overlay does not move

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
        radius = float(self.settings.get("radius"))
        cells, nearest = idw_grid(x0, y0, cell, w, h, table.column("x").astype(np.float64),
                                  table.column("y").astype(np.float64), values, radius,
                                  float(self.settings.get("power")))
        self.cells = cells.reshape(-1)
        rgba = self.values.rgba(self.cells).reshape(h, w, 4).copy()
        fade = np.clip((radius - nearest) / (radius / 3.0), 0.0, 1.0)  # rule 2: a soft edge
        alpha = np.where(np.isfinite(cells), float(self.settings.get("opacity")) * fade, 0.0)
        rgba[..., 3] = np.rint(alpha * 255.0).astype(np.uint8)
        extent = (x0, y0, x0 + w * cell, y0 + h * cell)
        return GroundOverlay(extent, rgba, self._ground(extent), float(self.settings.get("lift")), table.version)

    def _ground(self, extent: tuple[float, float, float, float]) -> np.ndarray:
        """Rule 4: ground heights (m + 1, n + 1) of the overlay's mesh; (2, 2) where the ground is flat."""
        if self._heights is None:
            x0, y0, x1, y1 = extent
            gx, gy = np.meshgrid(np.linspace(x0, x1, MESH + 1), np.linspace(y0, y1, MESH + 1))
            z = np.asarray(self.scene.ground(gx.reshape(-1), gy.reshape(-1)), np.float32).reshape(MESH + 1, MESH + 1)
            self._heights = np.full((2, 2), z.mean(), np.float32) if float(np.ptp(z)) < 0.01 else z
        return self._heights

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
