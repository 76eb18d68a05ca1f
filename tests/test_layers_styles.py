"""Colour ramps, colour scales, layer styles with units and legends, and the scene file's [layers] section."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from viewer.config import RAMP_NAMES, Band, LayerConfig, load_scene
from viewer.errors import ConfigError
from viewer.layers.ramps import RAMPS, ColourScale, auto_range, hex_rgb, nice_ceil, ramp, rgba8
from viewer.layers.styles import VEHICLE_TYPE_COLOURS, LayerStyle, fmt
from viewer.twin.batch import VEHICLE_TYPES


def luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb @ np.array([0.2126, 0.7152, 0.0722])


def test_ramp_names_match_the_config_vocabulary():
    """Every ramp the scene file may name exists, and no ramp exists that it cannot name."""
    assert set(RAMP_NAMES) == set(RAMPS)


def test_vehicle_palette_follows_the_feed_types():
    """Vehicle type colours are listed in VEHICLE_TYPES order (codes index the palette) and none is grey."""
    assert tuple(VEHICLE_TYPE_COLOURS) == VEHICLE_TYPES
    rgb = np.array([hex_rgb(c) for c in VEHICLE_TYPE_COLOURS.values()])
    assert (np.ptp(rgb, axis=1) > 0.1).all()


@pytest.mark.parametrize("name", ["viridis", "cividis", "magma", "inferno"])
def test_perceptual_ramps_rise_in_lightness(name):
    """A perceptual ramp gets lighter monotonically from 0 to 1, so value order reads as lightness order."""
    light = luminance(ramp(name).sample(np.linspace(0, 1, 64)))
    assert (np.diff(light) > 0).all()


def test_ramp_ends_and_reversal():
    """viridis starts at #440154 and ends at #fde725; viridis_r is the same ramp backwards."""
    lut = ramp("viridis").lut()
    assert lut[0, :3].tolist() == [68, 1, 84] and lut[-1, :3].tolist() == [253, 231, 37]
    assert (ramp("viridis_r").lut() == lut[::-1]).all()
    with pytest.raises(KeyError, match="unknown ramp"):
        ramp("rainbow")


def test_scale_marks_missing_and_alert_values():
    """NaN is "no data" (never a ramp colour), values above the alert get the alert colour, others clamp."""
    scale = ColourScale(no_data=rgba8((0.5, 0.5, 0.5))[0], lut=ramp("viridis").lut(), lo=0.0, hi=100.0,
                        alert=150.0, alert_colour=rgba8((1, 0, 1))[0])
    out = scale.rgba(np.array([np.nan, -5.0, 0.0, 100.0, 120.0, 151.0]))
    assert out[0, :3].tolist() == [128, 128, 128]
    assert out[1].tolist() == out[2].tolist() == [68, 1, 84, 255]
    assert out[3].tolist() == out[4].tolist() == [253, 231, 37, 255]
    assert out[5, :3].tolist() == [255, 0, 255]


def test_bands_split_at_their_upper_edges():
    """A value equal to a band's `below` falls in the next band; the last band is open-ended."""
    colours = rgba8(np.eye(3))
    scale = ColourScale(no_data=rgba8((0, 0, 0))[0], edges=np.array([10.0, 20.0]), band_colours=colours)
    out = scale.rgba(np.array([9.9, 10.0, 19.0, 20.0, 1e9]))
    assert [row.tolist().index(255) for row in out[:, :3]] == [0, 1, 1, 2, 2]


@given(st.floats(min_value=1e-6, max_value=1e12))
def test_nice_ceil_is_a_tight_round_bound(value):
    """nice_ceil(v) is at least v, at most 2.5 v, and of the form 1, 2, 2.5 or 5 times a power of ten."""
    nice = nice_ceil(value)
    assert value * (1 - 1e-9) <= nice <= 2.5 * value
    mantissa = nice / 10 ** np.floor(np.log10(nice) + 1e-12)
    assert min(abs(mantissa - m) for m in (1, 2, 2.5, 5, 10)) < 1e-6


def test_auto_range_ignores_outliers_and_missing_values():
    """The auto range runs from 0 to a round ceiling of the 98th percentile; NaNs are ignored; all-NaN is None."""
    values = np.r_[np.linspace(0, 80, 1000), [1e6], [np.nan]]
    assert auto_range(values) == (0.0, 100.0)
    assert auto_range(np.array([np.nan])) is None


def test_road_defaults_are_congestion_bands_in_percent():
    """Roads default to speed / free-flow speed in % with sumo-gui-like bands: 20 % is "stopped" dark red."""
    style = LayerStyle("roads", LayerConfig())
    assert style.attribute == "relative_speed" and style.units == "%"
    out = style.rgba(np.array([0.2, 0.4, 0.6, 0.9, np.nan]))
    assert out[0, :3].tolist() == [0x7F, 0, 0] and out[3, :3].tolist() == [0x1A, 0x98, 0x50]
    assert out[4, :3].tolist() == rgba8(LayerConfig().no_data)[0, :3].tolist()
    legend = style.legend()
    assert legend.kind == "bands" and legend.labels[0] == "stopped  < 25 %" and legend.labels[-1].endswith(">= 75 %")


def test_fraction_units_keep_default_bands_in_place():
    """Shown as a fraction instead of %, the default bands move with the unit (0.2 is still stopped)."""
    style = LayerStyle("roads", LayerConfig(units=""))
    assert style.rgba(np.array([0.2]))[0, :3].tolist() == [0x7F, 0, 0]


def test_display_units_scale_ranges_and_alerts():
    """With units = "W", power 2 kW is 2000 W: above an alert of 1500 (W) and at the top of a 0..2000 ramp."""
    style = LayerStyle("buildings", LayerConfig(units="W", range=(0.0, 2000.0), alert=1500.0,
                                                alert_colour=(0.0, 1.0, 0.0)))
    out = style.rgba(np.array([2.0, 1.0]))
    assert out[0, :3].tolist() == [0, 255, 0]
    assert out[1, :3].tolist() == ramp("viridis").lut()[128, :3].tolist()
    legend = style.legend()
    assert legend.units == "W" and legend.labels == ("0", "1000", "2000")
    assert legend.alert is not None and legend.alert[0] == "> 1500 W"


def test_auto_range_is_fitted_once_then_only_widened():
    """An auto-ranged ramp fits the first data, keeps its domain for smaller data, and widens for larger."""
    style = LayerStyle("buildings", LayerConfig())
    assert style.auto
    assert style.adapt(np.linspace(0, 40, 100)) and (style.scale.lo, style.scale.hi) == (0.0, 50.0)
    assert not style.adapt(np.linspace(0, 10, 100)) and style.scale.hi == 50.0
    assert style.adapt(np.linspace(0, 400, 100)) and style.scale.hi == 500.0
    assert not LayerStyle("buildings", LayerConfig(range=(0.0, 10.0))).adapt(np.linspace(0, 400, 100))


def test_vehicle_type_legend_lists_every_type():
    """Vehicles by type: a categories legend with one entry per feed type, coloured by type code."""
    style = LayerStyle("vehicles", LayerConfig())
    legend = style.legend()
    assert legend.kind == "categories" and legend.labels == VEHICLE_TYPES
    codes = np.arange(len(VEHICLE_TYPES))
    assert (style.rgba(codes) == legend.colours).all()


def test_scene_bands_replace_the_ramp():
    """Status ranges from the scene colour buildings by band, labelled with their names and units."""
    bands = (Band(5.0, (0.0, 0.0, 1.0), "low"), Band(15.0, (0.0, 1.0, 0.0), "normal"), Band(None, (1.0, 0.0, 0.0), "high"))
    style = LayerStyle("buildings", LayerConfig(attribute="intensity", units="W/m2", ranges=bands))
    assert style.rgba(np.array([1.0, 10.0, 99.0]))[:, :3].tolist() == [[0, 0, 255], [0, 255, 0], [255, 0, 0]]
    assert style.legend().labels == ("low  < 5 W/m2", "normal  < 15 W/m2", "high  >= 15 W/m2")


def test_fmt_is_short():
    """Legend numbers have at most three significant digits and no needless decimals."""
    assert [fmt(v) for v in (0, 2.5, 100.0, 1234.0, 0.125)] == ["0", "2.5", "100", "1230", "0.125"]


LAYERS_TOML = """
[[sources]]
format = "procedural"

[layers.buildings]
attribute = "intensity"
units = "W/m2"
ranges = [
  { below = 5, colour = "#2c7bb6", label = "low" },
  { below = 15, colour = "#ffffbf", label = "normal" },
  { colour = "#d7191c", label = "high" },
]
alert = 40
alert_colour = "#ff00ff"

[layers.roads]
attribute = "speed"
units = "km/h"
ramp = "sumo"
range = [0, 150]
visible = false

[layers.vehicles]
attribute = "speed"
delay = 0.5
fade_after = 10
scale = 2.5
key = "x"
"""


def test_layers_section_loads(tmp_path):
    """A [layers] section loads attributes, units, bands, alerts, visibility and vehicle options."""
    path = tmp_path / "scene.toml"
    path.write_text(LAYERS_TOML)
    layers = load_scene(path).layers
    b, r, v = layers.buildings, layers.roads, layers.vehicles
    assert b.attribute == "intensity" and b.alert == 40 and b.alert_colour == (1.0, 0.0, 1.0)
    assert [band.below for band in b.ranges] == [5, 15, None] and b.ranges[2].label == "high"
    assert r.ramp == "sumo" and r.range == (0.0, 150.0) and r.visible is False
    assert v.delay == 0.5 and v.fade_after == 10 and v.scale == 2.5 and v.key == "x"


def test_layers_default_when_absent(tmp_path):
    """A scene without [layers] gets every layer visible with its default attribute."""
    path = tmp_path / "scene.toml"
    path.write_text('[[sources]]\nformat = "procedural"\n')
    layers = load_scene(path).layers
    assert (layers.buildings.attribute, layers.roads.attribute, layers.vehicles.attribute) == \
        ("power", "relative_speed", "type")
    assert layers.buildings.visible and layers.roads.visible and layers.vehicles.visible


@pytest.mark.parametrize(("snippet", "key"), [
    ("[layers.trains]\nvisible = true", "layers.trains"),
    ("[layers.roads]\ncolour_by = 1", "layers.roads.colour_by"),
    ('[layers.roads]\nattribute = "power"', "layers.roads.attribute"),
    ('[layers.buildings]\nunits = "km/h"', "layers.buildings.units"),
    ('[layers.buildings]\nramp = "rainbow"', "layers.buildings.ramp"),
    ("[layers.buildings]\nrange = [5, 5]", "layers.buildings.range"),
    ('[layers.buildings]\nrange = [0, "x"]', "layers.buildings.range"),
    ('[layers.buildings]\nvisible = "yes"', "layers.buildings.visible"),
    ('[layers.buildings]\nkey = "ctrl-x"', "layers.buildings.key"),
    ('[layers.buildings]\nno_data = "grey"', "layers.buildings.no_data"),
    ("[layers.buildings]\nalert = nan", "layers.buildings.alert"),
    ("[layers.roads]\ndelay = 1", "layers.roads.delay"),
    ("[layers.vehicles]\ndelay = -1", "layers.vehicles.delay"),
    ("[layers.vehicles]\ndelay = 600", "layers.vehicles.delay"),
    ("[layers.vehicles]\nscale = 0", "layers.vehicles.scale"),
    ('[layers.buildings]\nranges = "low"', "layers.buildings.ranges"),
    ('[layers.buildings]\nranges = [{ colour = "#000000" }, { colour = "#ffffff" }]', "layers.buildings.ranges[0].below"),
    ('[layers.buildings]\nranges = [{ below = 5, colour = "#000000" }]', "layers.buildings.ranges[0].below"),
    ('[layers.buildings]\nranges = [{ below = 5, colour = "#000000" }, { below = 4, colour = "#000000" }, '
     '{ colour = "#000000" }]', "layers.buildings.ranges[1].below"),
    ("[layers.buildings]\nranges = [{ below = 5 }, { colour = \"#000000\" }]", "layers.buildings.ranges[0].colour"),
    ('[layers.buildings]\nranges = [{ colour = "#000000", size = 3 }]', "layers.buildings.ranges[0].size"),
    ("[layers]\nbuildings = 3", "layers.buildings"),
])
def test_layers_mistakes_name_their_key(tmp_path: Path, snippet: str, key: str):
    """Every mistake in [layers] is a ConfigError naming the file and the dotted key."""
    path = tmp_path / "scene.toml"
    path.write_text('[[sources]]\nformat = "procedural"\n' + snippet + "\n")
    with pytest.raises(ConfigError) as err:
        load_scene(path)
    assert err.value.key == key and err.value.file == str(path)


def _lab(rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of sRGB colours (..., 3) in 0..1."""
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = linear @ np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]).T
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1)


def test_vehicle_colours_never_mean_a_road_state():
    """No vehicle type colour is within 40 CIE76 units of a congestion colour (the default road bands for
    speed and occupancy, the congestion ramp) or of "no data", and the types are 25 apart from each other:
    a green bike on a green "free" road was read as both."""
    from viewer.layers.styles import DEFAULT_BANDS

    congestion = [b.colour for bands in DEFAULT_BANDS.values() for b in bands]
    ramp_colours = ramp("congestion").sample(np.linspace(0, 1, 64))[:, :3]
    ramp_colours = ramp_colours / 255.0 if ramp_colours.max() > 1 else ramp_colours
    roads = _lab(np.vstack([np.array(congestion, np.float64), ramp_colours]))
    vehicles = _lab(np.array([hex_rgb(c) for c in VEHICLE_TYPE_COLOURS.values()], np.float64))
    no_data = _lab(np.array([LayerConfig().no_data], np.float64))
    to_roads = np.linalg.norm(vehicles[:, None] - roads[None], axis=2).min(axis=1)
    assert to_roads.min() >= 40, dict(zip(VEHICLE_TYPE_COLOURS, to_roads.round(1), strict=True))
    assert np.linalg.norm(vehicles - no_data, axis=1).min() >= 25
    apart = np.linalg.norm(vehicles[:, None] - vehicles[None], axis=2) + np.eye(len(vehicles)) * 1e3
    assert apart.min() >= 25
