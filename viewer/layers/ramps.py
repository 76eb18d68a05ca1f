"""Colour ramps, status bands and the scale that turns values into RGBA: pure numpy, no Panda3D.

Rules this module keeps:
1. A Ramp is control points (positions 0..1, sRGB colours 0..1) interpolated linearly; the perceptual ramps
   (viridis, cividis, magma, inferno) are sampled from matplotlib's tables at nine points, close enough to
   the originals that lightness still rises monotonically. "name_r" is the reversed ramp.
2. A ColourScale maps values (n,) in display units to RGBA (n, 4) uint8 with no per-value Python: a ramp
   over [lo, hi] through a 256-entry table (values outside clamp to the ends), or bands (upper edges
   increasing, the last band open). NaN is "no data" and gets `no_data`, never a ramp colour; values above
   `alert` get `alert_colour`, whatever the ramp or bands say.
3. Colours are RGBA in that order here; the renderer swizzles for Panda3D's BGRA texture memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

Rgb = tuple[float, float, float]

_NINE = np.linspace(0.0, 1.0, 9)
_HEX = {  # nine samples of each perceptual ramp (matplotlib's tables at 0, 1/8, ..., 1)
    "viridis": "440154 482878 3e4989 31688e 26828e 1f9e89 35b779 6ece58 fde725",
    "cividis": "00224e 123570 3b496c 575d6d 707173 8a8779 a69d75 c4b56c fee838",
    "magma": "000004 1c1044 4f127b 812581 b5367a e55064 fb8761 fec287 fcfdbf",
    "inferno": "000004 1f0c48 550f6d 88226a ba3655 e35933 f98e09 f8c932 fcffa4",
}
LUT_SIZE = 256


def hex_rgb(text: str) -> Rgb:
    """"rrggbb" (with or without "#") -> (r, g, b) in 0..1."""
    text = text.lstrip("#")
    return (int(text[0:2], 16) / 255.0, int(text[2:4], 16) / 255.0, int(text[4:6], 16) / 255.0)


def rgba8(rgb: object, alpha: int = 255) -> np.ndarray:
    """Colours (n, 3) (or one (3,)) in 0..1 -> (n, 4) uint8 RGBA with this alpha."""
    c = np.clip(np.asarray(rgb, np.float64).reshape(-1, 3), 0.0, 1.0)
    out = np.full((c.shape[0], 4), alpha, np.uint8)
    out[:, :3] = np.rint(c * 255.0)
    return out


@dataclass(frozen=True)
class Ramp:
    """positions (k,) float64 increasing from 0 to 1; colours (k, 3) float64 sRGB 0..1."""

    name: str
    positions: np.ndarray
    colours: np.ndarray

    def sample(self, t: np.ndarray) -> np.ndarray:
        """(n, 3) float64 colours at t (n,) in 0..1 (clamped)."""
        t = np.clip(np.asarray(t, np.float64), 0.0, 1.0)
        return np.stack([np.interp(t, self.positions, self.colours[:, c]) for c in range(3)], axis=1)

    def lut(self, size: int = LUT_SIZE) -> np.ndarray:
        """(size, 4) uint8 RGBA, evenly sampled from 0 to 1."""
        return rgba8(self.sample(np.linspace(0.0, 1.0, size)))

    def reversed(self) -> Ramp:
        return Ramp(self.name + "_r", (1.0 - self.positions)[::-1].copy(), self.colours[::-1].copy())


def _ramp(name: str, positions: object, colours: list[str]) -> Ramp:
    return Ramp(name, np.asarray(positions, np.float64), np.array([hex_rgb(c) for c in colours]))


RAMPS: dict[str, Ramp] = {name: _ramp(name, _NINE, codes.split()) for name, codes in _HEX.items()}
# Slow is red, free is green (road and vehicle speeds): a traffic map's convention.
RAMPS["congestion"] = _ramp("congestion", [0.0, 0.3, 0.55, 0.78, 1.0],
                            ["7f0000", "e31a1c", "fd8d3c", "d9ef8b", "1a9850"])
# sumo-gui's default "by speed" scheme over 0..150 km/h: red 0, yellow 30, green 55, cyan 80, blue 120, magenta.
RAMPS["sumo"] = _ramp("sumo", [0.0, 30 / 150, 55 / 150, 80 / 150, 120 / 150, 1.0],
                      ["ff0000", "ffff00", "00ff00", "00ffff", "0000ff", "ff00ff"])


def ramp(name: str) -> Ramp:
    """The ramp called `name` ("viridis", or "viridis_r" reversed); KeyError listing the known ones."""
    base = name.removesuffix("_r")
    if base not in RAMPS:
        raise KeyError(f"unknown ramp {name!r} (known: {', '.join(RAMPS)})")
    return RAMPS[base].reversed() if name.endswith("_r") else RAMPS[base]


@dataclass
class ColourScale:
    """Values (display units) -> RGBA (rule 2). Either `lut` (256, 4) with `lo` < `hi`, or `edges` (k-1,)
    increasing with `band_colours` (k, 4)."""

    no_data: np.ndarray  # (4,) uint8
    lut: np.ndarray | None = None
    lo: float = 0.0
    hi: float = 1.0
    edges: np.ndarray | None = None
    band_colours: np.ndarray | None = None
    alert: float | None = None
    alert_colour: np.ndarray = field(default_factory=lambda: rgba8((0.91, 0.07, 0.18))[0])

    def table(self) -> np.ndarray:
        """(k + 2,) uint32 RGBA words (R in the low byte): no_data, the ramp or band colours, alert_colour."""
        colours = self.band_colours if self.edges is not None else self.lut
        assert colours is not None
        rows = np.concatenate([self.no_data[None], colours, self.alert_colour[None]]).astype(np.uint8)
        return np.ascontiguousarray(rows).view(np.uint32).reshape(-1)

    def index(self, values: np.ndarray) -> np.ndarray:
        """(n,) intp index into table() per value: 0 for NaN, the last entry above the alert (rule 2)."""
        v = np.asarray(values, np.float64)
        if self.edges is not None:
            finite = np.isfinite(v)
            index = np.searchsorted(self.edges, np.where(finite, v, 0.0), side="right") + 1
            index[~finite] = 0
        else:
            assert self.lut is not None
            top = self.lut.shape[0]
            position = (v - self.lo) * ((top - 1) / (self.hi - self.lo)) + 1.5
            np.clip(position, 1.0, top + 0.5, out=position)  # NaN stays NaN ...
            np.nan_to_num(position, copy=False, nan=0.0)  # ... and becomes the no-data entry
            index = position.astype(np.intp)
        if self.alert is not None:
            index[v > self.alert] = index.dtype.type(self.table().shape[0] - 1)
        return index

    def rgba32(self, values: np.ndarray) -> np.ndarray:
        """(n,) uint32 RGBA words of values (n,): the fast form of rgba()."""
        return self.table()[self.index(values)]

    def rgba(self, values: np.ndarray) -> np.ndarray:
        """(n, 4) uint8 RGBA of values (n,) float; NaN -> no_data; above alert -> alert_colour."""
        return self.rgba32(values).view(np.uint8).reshape(-1, 4)

    @property
    def is_ramp(self) -> bool:
        return self.edges is None


def nice_ceil(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k at or above `value` (> 0); 1 for anything not positive."""
    if not math.isfinite(value) or value <= 0:
        return 1.0
    exp = math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        candidate = step * 10.0 ** exp
        if candidate >= value * (1 - 1e-9):
            return candidate
    return 10.0 ** (exp + 1)


def auto_range(values: np.ndarray) -> tuple[float, float] | None:
    """A ramp domain for these values: [0 (or a nice floor of the 2nd percentile when negative), a nice
    ceiling of the 98th percentile]; None when there is no finite value."""
    v = np.asarray(values, np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return None
    lo_p, hi_p = np.percentile(v, [2.0, 98.0])
    lo = 0.0 if lo_p >= 0 else -nice_ceil(-float(lo_p))
    hi = nice_ceil(float(hi_p)) if hi_p > 0 else 1.0
    return (lo, hi) if hi > lo else (lo, lo + 1.0)
