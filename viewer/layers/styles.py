"""A layer's scene configuration resolved into what it draws: attribute, units, colour scale, legend (as data).

Rules this module keeps:
1. Values reach a LayerStyle in the base units of viewer/twin/batch.py (m/s, kW, fractions, ...) and are
   multiplied by the display unit's factor (config.LAYER_ATTRIBUTES) before the scale sees them, so ranges,
   bands, alerts and legend labels are all in the units the scene file names.
2. Defaults when the scene says nothing: roads show speed over free-flow speed in sumo-gui-like congestion
   bands (occupancy in bands the other way round), buildings power on viridis, vehicles by type in a fixed
   palette (speed on the congestion ramp). The type palette keeps off the congestion colours (reds,
   oranges, yellow-greens, greens: at least 40 CIE76 units from any of them), so no colour on the screen
   means both a vehicle type and a road state; the vehicle legend lists only the types the feed carried.
   A ramp without a `range` is auto-ranged from the first data (ramps.auto_range) and widened later only
   when the 98th percentile outgrows it, so colours stay put.
3. A Legend is plain data (colours, labels, tick positions) that render/hud.py draws; nothing here draws.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from viewer.config import LAYER_ATTRIBUTES, LAYER_DEFAULTS, Band, LayerConfig
from viewer.layers.ramps import LUT_SIZE, ColourScale, auto_range, hex_rgb, ramp, rgba8

VEHICLE_TYPE_COLOURS = {  # distinct, none grey (grey is "no data"), none a congestion colour (rule 2)
    "car": "2f6fd6", "bus": "00b8d4", "truck": "7b1fa2", "bike": "e040fb", "tram": "1a237e",
    "motorcycle": "f48fb1", "pedestrian": "b2ebf2", "other": "455a64",
}
_B = Band
DEFAULT_BANDS: dict[tuple[str, str], tuple[Band, ...]] = {  # in the attribute's default display unit
    ("roads", "relative_speed"): (_B(25.0, hex_rgb("7f0000"), "stopped"), _B(50.0, hex_rgb("e31a1c"), "slow"),
                                  _B(75.0, hex_rgb("fd8d3c"), "dense"), _B(None, hex_rgb("1a9850"), "free")),
    ("roads", "occupancy"): (_B(10.0, hex_rgb("1a9850"), "free"), _B(25.0, hex_rgb("d9ef8b"), "busy"),
                             _B(50.0, hex_rgb("fd8d3c"), "dense"), _B(None, hex_rgb("7f0000"), "jammed")),
}
DEFAULT_RAMPS: dict[tuple[str, str], tuple[str, tuple[float, float] | None]] = {  # range in base units
    ("vehicles", "speed"): ("congestion", (0.0, 100 / 3.6)),
    ("roads", "speed"): ("sumo", (0.0, 150 / 3.6)),
}
TITLES = {"type": "Vehicle type", "speed": "Speed", "relative_speed": "Speed / free flow",
          "occupancy": "Occupancy", "flow": "Flow", "power": "Power", "intensity": "Power per floor area",
          "energy": "Energy per interval"}
UNIT_LABELS: dict[str, str] = {}  # display names of units (the default font has no "²")


@dataclass(frozen=True)
class Legend:
    """What a legend shows. kind "ramp": colours (256, 4) uint8 RGBA from low to high, labels at `ticks`
    (0..1 along the ramp); "bands" and "categories": colours (k, 4), one label each. no_data (4,) uint8 or
    None; alert (label, (4,) uint8) or None."""

    title: str
    units: str
    kind: str
    colours: np.ndarray
    labels: tuple[str, ...]
    ticks: tuple[float, ...] = ()
    no_data: np.ndarray | None = None
    alert: tuple[str, np.ndarray] | None = None


def fmt(value: float) -> str:
    """A number for a label: at most three significant digits, no exponent below 1e6."""
    if value == 0:
        return "0"
    text = f"{value:.3g}"
    return f"{float(text):.0f}" if "e" in text and abs(value) < 1e6 else text


class LayerStyle:
    """One layer's configuration resolved (rules above). `name` is "vehicles", "roads" or "buildings"."""

    def __init__(self, name: str, config: LayerConfig) -> None:
        self.name, self.config = name, config
        self.attribute = config.attribute or LAYER_DEFAULTS[name]
        units = LAYER_ATTRIBUTES[name][self.attribute]
        self.units = config.units if config.units is not None else next(iter(units))
        self.factor = units[self.units]
        self.visible = config.visible
        self.categories = self.attribute == "type"
        self.auto = False  # set by _scale: a ramp with no range is fitted to the data
        self.ranged = False  # whether the auto range has been fitted yet
        self.scale = self._scale()

    def _scale(self) -> ColourScale:
        c = self.config
        common = {"no_data": rgba8(c.no_data)[0], "alert": c.alert, "alert_colour": rgba8(c.alert_colour)[0]}
        if self.categories:
            colours = rgba8([hex_rgb(VEHICLE_TYPE_COLOURS[k]) for k in VEHICLE_TYPE_COLOURS])
            return ColourScale(edges=np.arange(0.5, len(colours) - 1), band_colours=colours, **common)
        bands = c.ranges
        default_bands = DEFAULT_BANDS.get((self.name, self.attribute))
        if not bands and c.ramp is None and default_bands is not None:
            first = next(iter(LAYER_ATTRIBUTES[self.name][self.attribute].values()))
            bands = tuple(Band(None if b.below is None else b.below / first * self.factor, b.colour, b.label)
                          for b in default_bands)
        if bands:
            edges = np.array([b.below for b in bands[:-1]], np.float64)
            return ColourScale(edges=edges, band_colours=rgba8([b.colour for b in bands]), **common)
        ramp_name, base_range = DEFAULT_RAMPS.get((self.name, self.attribute), ("viridis", None))
        span = c.range or (None if base_range is None else (base_range[0] * self.factor,
                                                            base_range[1] * self.factor))
        self.auto = span is None
        lo, hi = span or (0.0, 1.0)
        return ColourScale(lut=ramp(c.ramp or ramp_name).lut(LUT_SIZE), lo=lo, hi=hi, **common)

    @property
    def bands(self) -> tuple[Band, ...]:
        """The bands in use (the scene's or the defaults), in display units; () for a ramp."""
        s = self.scale
        if s.edges is None or self.categories:
            return ()
        given = self.config.ranges
        if given:
            return given
        default = DEFAULT_BANDS[(self.name, self.attribute)]
        first = next(iter(LAYER_ATTRIBUTES[self.name][self.attribute].values()))
        return tuple(Band(None if b.below is None else b.below / first * self.factor, b.colour, b.label)
                     for b in default)

    def adapt(self, values: np.ndarray) -> bool:
        """Auto-range (rule 2) from values (n,) in base units; True when the ramp's domain changed."""
        if not self.auto or not self.scale.is_ramp:
            return False
        v = np.asarray(values, np.float64) * self.factor
        if self.ranged:  # the common case costs two comparisons: does more than 2 % fall outside?
            outside = np.count_nonzero(v > self.scale.hi) + np.count_nonzero(v < self.scale.lo)
            if outside <= 0.02 * np.count_nonzero(np.isfinite(v)):
                return False
        span = auto_range(v)
        if span is None:
            return False
        if self.ranged:
            if span[1] <= self.scale.hi and span[0] >= self.scale.lo:
                return False
            span = (min(span[0], self.scale.lo), max(span[1], self.scale.hi))  # only ever widened
        self.scale.lo, self.scale.hi = span
        self.ranged = True
        return True

    def rgba32(self, values: np.ndarray) -> np.ndarray:
        """(n,) uint32 RGBA words of values (n,) in base units (codes into VEHICLE_TYPE_COLOURS for types)."""
        v = np.asarray(values, np.float64)
        return self.scale.rgba32(v if self.categories or self.factor == 1.0 else v * self.factor)

    def rgba(self, values: np.ndarray) -> np.ndarray:
        """(n, 4) uint8 RGBA of values (n,) in base units."""
        return self.rgba32(values).view(np.uint8).reshape(-1, 4)

    def unit_label(self) -> str:
        return UNIT_LABELS.get(self.units, self.units)

    def legend(self, types: Collection[str] | None = None) -> Legend:
        """The legend of this style; for vehicle types, only `types` (None: all of them), in palette order."""
        s, title, units = self.scale, TITLES[self.attribute], self.unit_label()
        alert = None if s.alert is None else (f"> {fmt(s.alert)} {units}".rstrip(), s.alert_colour)
        if self.categories:
            assert s.band_colours is not None
            shown = [k for k, name in enumerate(VEHICLE_TYPE_COLOURS) if types is None or name in types]
            return Legend("Vehicle type", "", "categories", s.band_colours[shown],
                          tuple(list(VEHICLE_TYPE_COLOURS)[k] for k in shown))
        if not s.is_ramp:
            assert s.band_colours is not None
            labels: list[str] = []
            low = None
            for band in self.bands:
                bound = f"< {fmt(band.below)}" if band.below is not None else f">= {fmt(low or 0.0)}"
                labels.append(f"{band.label}  {bound} {units}".strip() if band.label else f"{bound} {units}")
                low = band.below
            return Legend(title, units, "bands", s.band_colours, tuple(labels), (), s.no_data, alert)
        assert s.lut is not None
        ticks = (0.0, 0.5, 1.0)
        return Legend(title, units, "ramp", s.lut, tuple(fmt(s.lo + t * (s.hi - s.lo)) for t in ticks), ticks,
                      s.no_data, alert)
