"""The sensors layer: point entities of a generic kind with a value, drawn as coloured columns or spheres with labels.

    [layers.air]                 # e.g. NO2 of NGSI-LD AirQualityObserved stations (sources/ngsi.py)
    type = "sensors"
    kind = "air_quality"         # the feed kind (protocol v1.1, twin/kinds.py; geometry "point")
    field = "no2"                # the value shown (default: the kind's first number field)
    range = [0, 80]              # the ramp's domain in the field's units (default: fitted to the first data)

Rules this module keeps:
1. One entity = one marker at its position (local metres, layers/position.py mapped it; z NaN = the ground):
   a column `radius` m wide whose height is `min_height` + the value's place in the range x `height`, or a
   sphere of `radius` m floating `height` m up; coloured by the value through a ColourScale (layers/ramps.py:
   NaN = no data grey, above `alert` the alert colour). Overrides by id (base.py rule 4) win over both.
2. Labels (`labels = true`) show the value with its unit above each marker, optionally after the entity's
   `label_field` (a str field such as a station name); at most MAX_LABELS, highest values first.
3. Drawables are rebuilt only when the kind's table, the visibility, the range or the overrides changed.
4. Legend: a ramp titled with the kind's title and the field, in the unit the hello gave (or `units`).
   Panel: the id, the kind, every field with its unit, the position and the age of the data.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from viewer.layers.base import Layer, LayerScene, LayerSettings, Option
from viewer.layers.drawables import Columns, Drawable, Labels
from viewer.layers.picking import PickInfo, age_text, utc_text
from viewer.layers.ramps import LUT_SIZE, ColourScale, auto_range, ramp, rgba8
from viewer.layers.registry import register
from viewer.layers.styles import Legend, fmt
from viewer.twin.kinds import EntityKind
from viewer.twin.state import TwinState

MAX_LABELS = 200
RAMP_NAMES = ("viridis", "cividis", "magma", "inferno", "congestion", "sumo")


def ramp_choices() -> tuple[str, ...]:
    return (*RAMP_NAMES, *(f"{name}_r" for name in RAMP_NAMES))


class ValueScale:
    """A value field's colours and legend: a ramp over a fixed range or one fitted to the first data
    (ramps.auto_range, only ever widened), no-data grey, an optional alert threshold."""

    def __init__(self, ramp_name: str, span: tuple[float, float] | None, alert: float | None) -> None:
        self.auto = span is None
        lo, hi = span or (0.0, 1.0)
        self.scale = ColourScale(no_data=rgba8((0.62, 0.62, 0.64))[0], lut=ramp(ramp_name).lut(LUT_SIZE),
                                 lo=lo, hi=hi, alert=alert)
        self.fitted = not self.auto
        self.version = 0

    def adapt(self, values: np.ndarray) -> None:
        """Fit (or widen) an automatic range to these values."""
        if not self.auto:
            return
        span = auto_range(values)
        if span is None:
            return
        s = self.scale
        if self.fitted:
            if span[0] >= s.lo and span[1] <= s.hi:
                return
            span = (min(span[0], s.lo), max(span[1], s.hi))
        s.lo, s.hi = span
        self.fitted = True
        self.version += 1

    def rgba(self, values: np.ndarray) -> np.ndarray:
        return self.scale.rgba(values)

    def fraction(self, values: np.ndarray) -> np.ndarray:
        """(n,) 0..1 place of each value in the range (NaN -> 0)."""
        s = self.scale
        return np.nan_to_num(np.clip((values - s.lo) / (s.hi - s.lo), 0.0, 1.0))

    def legend(self, title: str, units: str) -> Legend:
        s = self.scale
        assert s.lut is not None
        ticks = (0.0, 0.5, 1.0)
        alert = None if s.alert is None else (f"> {fmt(s.alert)} {units}".rstrip(), s.alert_colour)
        return Legend(title, units, "ramp", s.lut, tuple(fmt(s.lo + t * (s.hi - s.lo)) for t in ticks), ticks,
                      s.no_data, alert)


VALUE_OPTIONS: dict[str, Option] = {
    "kind": Option("text", None, "the feed kind read (a point kind of protocol v1.1)"),
    "field": Option("text", None, "the number field shown (default: the kind's first)"),
    "units": Option("text", None, "the unit shown in the legend (default: the hello's)"),
    "ramp": Option("choice", "viridis", "colour ramp", ramp_choices()),
    "range": Option("range", None, "[low, high] of the ramp in the field's units"),
    "alert": Option("number", None, "values above it get the alert colour"),
}


class ValueLayer(Layer):
    """A layer showing one number field of one generic kind (sensors, heatmap): the shared options."""

    default_kind = ""

    def __init__(self, settings: LayerSettings, scene: LayerScene) -> None:
        super().__init__(settings, scene)
        self.kind = str(settings.get("kind", self.default_kind))
        self.values = ValueScale(settings.get("ramp", "viridis"), settings.get("range"), settings.get("alert"))
        self.legend_version = 0

    @property
    def kinds(self) -> tuple[str, ...]:
        return (self.kind,)

    def described_kind(self) -> EntityKind | None:
        return self.scene.kinds.get(self.kind)

    def field_name(self, state: TwinState) -> str | None:
        """The field shown: the option, else the kind's first number field (from the hello or the table)."""
        chosen = self.settings.get("field")
        if chosen is not None:
            return str(chosen)
        kind = self.described_kind()
        if kind is not None:
            return next((f.name for f in kind.fields if f.type != "str"), None)
        table = state.tables.get(self.kind)
        names = () if table is None else table.names
        return next((n for n in names if n not in ("x", "y", "z", "x2", "y2", "z2")
                     and table is not None and table.columns[n].dtype != object), None)

    def units(self, field: str | None) -> str:
        given = self.settings.get("units")
        if given is not None:
            return str(given)
        kind = self.described_kind()
        spec = None if kind is None or field is None else kind.field(field)
        return "" if spec is None else spec.unit

    def title_of(self, field: str | None) -> str:
        kind = self.described_kind()
        name = (kind.title if kind is not None and kind.title else self.kind.replace("_", " ").capitalize())
        return f"{name}: {field}" if field else name

    def current(self, state: TwinState) -> tuple[Any, str, np.ndarray] | None:
        """(table, field, values (n,) float64) of the kind now; None when there is no such table or field."""
        table = state.tables.get(self.kind)
        field = self.field_name(state)
        if table is None or field is None or field not in table.columns or not len(table):
            return None
        values = table.column(field).astype(np.float64)
        before = self.values.version
        self.values.adapt(values)
        self.legend_version += self.values.version - before
        return table, field, values

    def legend(self, state: TwinState) -> Legend | None:
        field = self.field_name(state)
        return self.values.legend(self.title_of(field), self.units(field))

    def field_lines(self, state: TwinState, entity: str, at: float, wall: float) -> list[str] | None:
        """Every field of one entity with its unit, where it is and how old its data is; None when gone."""
        table = state.tables.get(self.kind)
        row = None if table is None else table.index.get(entity)
        if table is None or row is None:
            return None
        kind = self.described_kind()
        lines = []
        for name in table.names:
            if name in ("x", "y", "z", "x2", "y2", "z2"):
                continue
            value = table.column(name)[row]
            spec = None if kind is None else kind.field(name)
            unit = "" if spec is None else spec.unit
            text = str(value) if table.columns[name].dtype == object else \
                ("no data" if not math.isfinite(float(value)) else f"{float(value):.4g} {unit}".rstrip())
            lines.append(f"{name}: {text}")
        if "x" in table.columns:
            c = table.column
            lines.append(f"position: {float(c('x')[row]):.1f}, {float(c('y')[row]):.1f} m (local)")
        t = float(table.column("time")[row])
        lines.append(f"data: {utc_text(t) if abs(t) > 1e8 else f't {t:.1f} s'}, {age_text(at - t)} old")
        lines.append(f"received {age_text(wall - float(table.column('seen')[row]))} ago")
        return lines


@register
class SensorsLayer(ValueLayer):
    type_name = "sensors"
    title = "sensors"
    default_kind = "air_quality"
    options = {
        **VALUE_OPTIONS,
        "shape": Option("choice", "column", "column or sphere", ("column", "sphere")),
        "height": Option("number", 60.0, "metres a column grows over the range (a sphere's height)", low=0, high=2000),
        "min_height": Option("number", 6.0, "metres of a column at the low end", low=0, high=2000),
        "radius": Option("number", 5.0, "half-width of a column or radius of a sphere, metres", low=0.1, high=500),
        "labels": Option("bool", True, "the value above each marker"),
        "label_field": Option("text", None, "a str field written before the value (e.g. a name)"),
        "label_size": Option("number", None, "text height in metres (default: about the marker's width)",
                             low=0.1, high=1000),
    }

    def __init__(self, settings: LayerSettings, scene: LayerScene) -> None:
        super().__init__(settings, scene)
        self._key: tuple[Any, ...] | None = None
        self._drawn: list[Drawable] = []

    def draw(self, state: TwinState, at: float) -> list[Drawable]:
        found = self.current(state) if self.visible else None
        if found is None:
            self._key, self._drawn = None, []
            return []
        table, field, values = found
        key = (id(table), table.version, field, self.values.version, self.overrides_version)
        if key != self._key:
            self._key, self._drawn = key, self._build(table, field, values)
        return self._drawn

    def _build(self, table: Any, field: str, values: np.ndarray) -> list[Drawable]:
        s = self.settings
        ids = table.live_ids().copy()
        base = np.stack([table.column("x"), table.column("y"), table.column("z")], axis=1).astype(np.float32)
        place = self.values.fraction(values)
        sphere = s.get("shape") == "sphere"
        height = np.full(len(ids), float(s.get("height")), np.float32) if sphere else \
            (float(s.get("min_height")) + place * float(s.get("height"))).astype(np.float32)
        rgba = self.apply_overrides(ids, self.values.rgba(values))
        radius = float(s.get("radius"))
        drawn: list[Drawable] = [Columns(ids, base, height, rgba, radius, "sphere" if sphere else "column",
                                         table.version)]
        if s.get("labels"):
            drawn.append(self._labels(table, values, base, height + (2 * radius if sphere else 0.0) + 4.0, field))
        return drawn

    def _labels(self, table: Any, values: np.ndarray, base: np.ndarray, top: np.ndarray, field: str) -> Labels:
        """Rule 2: value and unit (after the label field) above each marker, highest values first."""
        order = np.argsort(-np.nan_to_num(values, nan=-np.inf), kind="stable")[:MAX_LABELS]
        unit = self.units(field)
        label = self.settings.get("label_field")
        names: list[Any] = table.column(label).tolist() if label in table.columns else [""] * len(values)
        texts = tuple(f"{names[i]}  ".lstrip() + (f"{values[i]:.3g} {unit}".rstrip()
                      if math.isfinite(values[i]) else "no data") for i in order.tolist())
        anchor = base[order].copy()
        anchor[:, 2] += top[order]
        size = self.settings.get("label_size", max(float(self.settings.get("radius")) * 1.5, 3.0))
        return Labels(anchor, texts, size=float(size), version=table.version)

    def describe(self, pick: Any, state: TwinState, at: float, wall: float) -> PickInfo | None:
        entity = str(pick)
        lines = self.field_lines(state, entity, at, wall)
        if lines is None:
            return None
        kind = self.described_kind()
        return PickInfo("sensor", entity, kind.title if kind is not None and kind.title else self.kind,
                        (*self.badge_lines(entity), *lines))

    def help_line(self) -> str:
        return f"{self.name} sensors on / off"
