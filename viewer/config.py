"""Scene files (TOML) -> frozen dataclasses, validated on load.

A mistake yields a ConfigError naming the file, the dotted key and the reason. Paths in a scene are
relative to the scene file. See docs/scenes.md for the format and scenes/demo.toml for an example.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from viewer.errors import ConfigError
from viewer.rules_config import RuleConfig, parse_rules

FORMATS = ("cityjson", "cityjsonseq", "gltf", "obj", "ply", "geojson", "osm", "sumo-net", "sumo-poly", "procedural",
           "3dtiles")


@dataclass(frozen=True)
class Limits:
    """Upper bounds a loader enforces before allocating. Defaults fit a large city on a 24 GiB machine."""

    max_file_bytes: int = 1 << 30  # 1 GiB
    max_vertices: int = 30_000_000
    max_triangles: int = 30_000_000
    max_objects: int = 5_000_000
    max_ring_vertices: int = 1_000_000
    max_texture_mb: int = 256  # one texture atlas (with mipmaps): images are scaled down to fit (city/appearance.py)
    # A CityJSON, CityJSONSeq or CityGML scene file larger than this (MB) is tiled once into the cache on first
    # load and streamed (tiles/write_auto.py); about 3M LoD1 triangles. A huge value turns this off.
    auto_tile_mb: int = 150


@dataclass(frozen=True)
class SourceConfig:
    """One model source of a scene. Only `path` (or format="procedural") is required.

    crs overrides the file's declaration (or supplies one when the file has none). lod picks a CityJSON LoD
    ("highest" by default). GeoJSON: features are extruded by `height_attribute`, else `levels_attribute`
    times `storey_height`, else `default_height`; lines become roads `road_width` metres wide. Meshes (glTF,
    OBJ, PLY): `up_axis` is "y" (glTF's convention, turned to z-up) or "z"; `offset` is added to positions
    (in the source CRS) for models in local coordinates; `object_type` names their objects.
    """

    path: Path | None = None
    format: str | None = None
    url: str | None = None  # an http(s) tileset.json (format "3dtiles"), in place of path
    crs: str | None = None
    lod: str = "highest"
    height_attribute: str | None = None
    levels_attribute: str = "building:levels"
    min_height_attribute: str | None = None
    storey_height: float = 3.0
    default_height: float = 10.0
    road_width: float = 6.0
    up_axis: str | None = None
    offset: tuple[float, float, float] = (0.0, 0.0, 0.0)
    object_type: str | None = None
    seed: int = 1
    size: int = 3000  # procedural: number of buildings


@dataclass(frozen=True)
class CameraBookmark:
    """A named view: position and look-at point in local metres (x east, y north, z up), vertical fov."""

    position: tuple[float, float, float]
    look_at: tuple[float, float, float]
    fov: float = 50.0


@dataclass(frozen=True)
class Style:
    """Colours as (r, g, b) in 0..1: per object type, per surface kind (roof, wall, ...), background, ground."""

    types: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    surfaces: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    background: tuple[float, float, float] = (0.62, 0.74, 0.86)
    ground: tuple[float, float, float] = (0.42, 0.45, 0.40)


# [layers]: per layer, the attributes it can show and their display units (unit -> factor from the base unit
# of viewer/twin/batch.py; the first unit is the default). Ramp names are viewer/layers/ramps.py's RAMPS.
LAYER_ATTRIBUTES: dict[str, dict[str, dict[str, float]]] = {
    "vehicles": {"type": {"": 1.0}, "speed": {"km/h": 3.6, "m/s": 1.0, "mph": 2.2369363}},
    "roads": {"relative_speed": {"%": 100.0, "": 1.0}, "speed": {"km/h": 3.6, "m/s": 1.0, "mph": 2.2369363},
              "occupancy": {"%": 100.0, "": 1.0}, "flow": {"veh/h": 1.0}},
    "buildings": {"power": {"kW": 1.0, "W": 1000.0, "MW": 0.001}, "intensity": {"W/m2": 1.0},
                  "energy": {"kWh": 1.0, "Wh": 1000.0, "MWh": 0.001}},
}
LAYER_DEFAULTS = {"vehicles": "type", "roads": "relative_speed", "buildings": "power"}
RAMP_NAMES = ("viridis", "cividis", "magma", "inferno", "congestion", "sumo")


@dataclass(frozen=True)
class Band:
    """One status range of a layer: values below `below` (display units; None for the last, open band)."""

    below: float | None
    colour: tuple[float, float, float]
    label: str = ""


@dataclass(frozen=True)
class LayerConfig:
    """How one layer draws (docs/layers.md). Values (range, bands, alert) are in the display `units`.

    ramp: a RAMP_NAMES name, "_r" appended to reverse it; None lets the layer choose. ranges, when given,
    replace the ramp. range None: chosen from the first data. Vehicles only: delay (render delay, seconds;
    None: follows the feed's pace), fade_after (seconds without an update before a vehicle fades out),
    extrapolate (seconds a late feed is extrapolated at most), scale (size factor of the markers).
    """

    visible: bool = True
    attribute: str | None = None
    units: str | None = None
    ramp: str | None = None
    range: tuple[float, float] | None = None
    ranges: tuple[Band, ...] = ()
    alert: float | None = None
    alert_colour: tuple[float, float, float] = (0.91, 0.07, 0.18)
    no_data: tuple[float, float, float] = (0.62, 0.62, 0.64)
    key: str | None = None
    delay: float | None = None
    fade_after: float = 30.0
    extrapolate: float = 1.0
    scale: float = 1.0


@dataclass(frozen=True)
class LayersConfig:
    """The [layers] table: the three built-in layers typed here; every other [layers.NAME] table kept as
    read (`extra`, in file order), checked against its layer type's options by layers/registry.py (this module
    sits below the layers and cannot know the types plug-ins bring)."""

    vehicles: LayerConfig = field(default_factory=LayerConfig)
    roads: LayerConfig = field(default_factory=LayerConfig)
    buildings: LayerConfig = field(default_factory=LayerConfig)
    extra: dict[str, dict[str, Any]] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class TerrainConfig:
    """The [terrain] table (docs/scenes.md). file: a GeoTIFF DEM (None: the model's relief, else a surface
    through its objects' bases); crs: the DEM's when its GeoKeys name none (default: the scene's);
    vertical_offset: metres added to the DEM's heights; seat_buildings: move buildings that miss the
    terrain onto it (`--seat-buildings`)."""

    file: Path | None = None
    crs: str | None = None
    vertical_offset: float = 0.0
    seat_buildings: bool = False


@dataclass(frozen=True)
class BasemapConfig:
    """The [basemap] table (docs/basemap.md). source: "none", "map" (drawn from the scene's own data), an
    http(s) {z}/{x}/{y} template, "wmts:" + capabilities URL or file, a .mbtiles or a GeoTIFF orthophoto;
    base: the folder relative files start from (the scene's). opacity 0..1 over the ground; brightness
    0..2 and saturation 0..1 of the imagery; dim_under_layers: dimmed and desaturated while live layers
    show; attribution: replaces the source's credit; layer: a WMTS layer; crs: an orthophoto's CRS when its
    GeoKeys name none; max_zoom caps the zoom; wait: seconds a still or video waits for its tiles."""

    source: str = "none"
    base: Path | None = None
    opacity: float = 1.0
    brightness: float = 1.0
    saturation: float = 1.0
    dim_under_layers: bool = True
    attribution: str | None = None
    layer: str | None = None
    crs: str | None = None
    max_zoom: int | None = None
    wait: float = 60.0


@dataclass(frozen=True)
class TilesConfig:
    """The [tiles] table (docs/tiles.md, Streaming): sse, the target screen-space error in pixels;
    memory_mb, the cap on loaded tiles; workers, loader threads; upload_ms, the window's per-frame budget for
    building tile geometry; wait, seconds a still or video frame waits for its tiles."""

    sse: float = 16.0
    memory_mb: float = 512.0
    workers: int = 2
    upload_ms: float = 8.0
    wait: float = 300.0


@dataclass(frozen=True)
class SceneConfig:
    path: Path | None
    name: str
    crs: str | None
    origin: tuple[float, float, float] | None  # in `crs`; None: the centre of the loaded model
    origin_lonlat: tuple[float, float] | None
    sources: tuple[SourceConfig, ...]
    style: Style = field(default_factory=Style)
    cameras: dict[str, CameraBookmark] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    layers: LayersConfig = field(default_factory=LayersConfig)
    terrain: TerrainConfig = field(default_factory=TerrainConfig)
    basemap: BasemapConfig = field(default_factory=BasemapConfig)
    tiles: TilesConfig = field(default_factory=TilesConfig)
    time: datetime | None = None  # [scene] time: the sun's date and time (docs/look.md); None: a fixed sun
    look: str | None = None  # [scene] look: "plain" or "full" (default), render/look.py
    rules: tuple[RuleConfig, ...] = ()  # [[rules]]: rules and alerts (viewer/rules_config.py, docs/rules.md)

    @classmethod
    def for_file(cls, path: Path, **source_options: Any) -> SceneConfig:
        """A scene of one model file, in the file's CRS, centred on the model."""
        return cls(path=None, name=path.name, crs=None, origin=None, origin_lonlat=None,
                   sources=(SourceConfig(path=path, **source_options),))


# ---------------------------------------------------------------- validation helpers


class _Reader:
    """Typed access to a TOML table that reports the dotted key of any mistake."""

    def __init__(self, file: Path, table: Any, prefix: str) -> None:
        self.file, self.prefix = file, prefix
        if not isinstance(table, dict):
            raise ConfigError(file, prefix, f"must be a table, got {type(table).__name__}")
        self.table: dict[str, Any] = table

    def key(self, name: str) -> str:
        return f"{self.prefix}.{name}" if self.prefix else name

    def fail(self, name: str, reason: str) -> ConfigError:
        return ConfigError(self.file, self.key(name), reason)

    def unknown(self, allowed: set[str]) -> None:
        extra = sorted(set(self.table) - allowed)
        if extra:
            raise self.fail(extra[0], f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def text(self, name: str, default: Any = None) -> Any:
        value = self.table.get(name, default)
        if value is not None and not isinstance(value, str):
            raise self.fail(name, f"must be a string, got {type(value).__name__}")
        return value

    def number(self, name: str, default: Any = None, positive: bool = False) -> Any:
        value = self.table.get(name, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.fail(name, "must be a finite number")
        if positive and value <= 0:
            raise self.fail(name, "must be greater than 0")
        return value

    def vector(self, name: str, sizes: tuple[int, ...], default: Any = None) -> Any:
        if name not in self.table:
            return default
        value = self.table[name]
        if (not isinstance(value, list) or len(value) not in sizes
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                           for v in value)):
            raise self.fail(name, f"must be a list of {' or '.join(map(str, sizes))} finite numbers")
        return tuple(float(v) for v in value)

    def color(self, name: str, value: Any) -> tuple[float, float, float]:
        if isinstance(value, str) and len(value) == 7 and value.startswith("#"):
            try:
                return tuple(int(value[i:i + 2], 16) / 255.0 for i in (1, 3, 5))  # type: ignore[return-value]
            except ValueError:
                pass
        if (isinstance(value, list) and len(value) == 3
                and all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in value)):
            return (float(value[0]), float(value[1]), float(value[2]))
        raise self.fail(name, 'must be a colour "#rrggbb" or [r, g, b] in 0..1')


_SOURCE_KEYS = {f.name for f in dataclasses.fields(SourceConfig)}


def _source(file: Path, table: Any, index: int) -> SourceConfig:
    r = _Reader(file, table, f"sources[{index}]")
    r.unknown(_SOURCE_KEYS)
    fmt = r.text("format")
    if fmt is not None and fmt not in FORMATS:
        raise r.fail("format", f"unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    path = r.text("path")
    if path is None and fmt != "procedural":
        raise r.fail("path", "is required (or format = \"procedural\")")
    url = None
    if path is not None and path.lower().startswith(("http://", "https://")):
        if fmt not in (None, "3dtiles"):
            raise r.fail("path", f"a URL is read only as a 3D Tiles tileset (format \"3dtiles\"), not {fmt}")
        url, path, fmt = path, None, "3dtiles"
    up = r.text("up_axis")
    if up is not None and up not in ("y", "z"):
        raise r.fail("up_axis", 'must be "y" or "z"')
    seed = r.table.get("seed", 1)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise r.fail("seed", "must be an integer")
    size = r.number("size", 3000, positive=True)
    if size > 1_000_000:
        raise r.fail("size", "must be at most 1,000,000 buildings")
    return SourceConfig(
        path=(file.parent / path) if path is not None else None, format=fmt, url=url, crs=r.text("crs"),
        lod=str(r.table.get("lod", "highest")), height_attribute=r.text("height_attribute"),
        levels_attribute=r.text("levels_attribute", "building:levels"),
        min_height_attribute=r.text("min_height_attribute"),
        storey_height=r.number("storey_height", 3.0, positive=True),
        default_height=r.number("default_height", 10.0, positive=True),
        road_width=r.number("road_width", 6.0, positive=True), up_axis=up,
        offset=r.vector("offset", (3,), (0.0, 0.0, 0.0)), object_type=r.text("object_type"),
        seed=seed, size=int(size))


def _camera(file: Path, name: str, table: Any) -> CameraBookmark:
    r = _Reader(file, table, f"cameras.{name}")
    r.unknown({"position", "look_at", "fov"})
    position = r.vector("position", (3,))
    look_at = r.vector("look_at", (3,))
    if position is None or look_at is None:
        raise r.fail("position" if position is None else "look_at", "is required ([x, y, z] in local metres)")
    if position == look_at:
        raise r.fail("look_at", "must differ from position")
    fov = r.number("fov", 50.0, positive=True)
    if fov >= 170:
        raise r.fail("fov", "must be below 170 degrees")
    return CameraBookmark(position=position, look_at=look_at, fov=float(fov))


def _style(file: Path, table: Any) -> Style:
    r = _Reader(file, table, "style")
    r.unknown({"types", "surfaces", "background", "ground"})
    types_r = _Reader(file, r.table.get("types", {}), "style.types")
    surfaces_r = _Reader(file, r.table.get("surfaces", {}), "style.surfaces")
    kinds = {"other", "roof", "wall", "ground", "road", "terrain", "water", "marking"}
    surfaces_r.unknown(kinds)
    default = Style()
    return Style(
        types={k: types_r.color(k, v) for k, v in types_r.table.items()},
        surfaces={k: surfaces_r.color(k, v) for k, v in surfaces_r.table.items()},
        background=r.color("background", r.table["background"]) if "background" in r.table else default.background,
        ground=r.color("ground", r.table["ground"]) if "ground" in r.table else default.ground)


def _limits(file: Path, table: Any) -> Limits:
    r = _Reader(file, table, "limits")
    names = {f.name for f in dataclasses.fields(Limits)}
    r.unknown(names)
    values = {}
    for name in names & set(r.table):
        value = r.table[name]
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise r.fail(name, "must be a positive integer")
        values[name] = value
    return Limits(**values)


_LAYER_KEYS = {"visible", "attribute", "units", "ramp", "range", "ranges", "alert", "alert_colour", "no_data", "key"}
_VEHICLE_KEYS = {"delay", "fade_after", "extrapolate", "scale"}


def _layer(file: Path, name: str, table: Any) -> LayerConfig:
    r = _Reader(file, table, f"layers.{name}")
    r.unknown(_LAYER_KEYS | (_VEHICLE_KEYS if name == "vehicles" else set()))
    known = LAYER_ATTRIBUTES[name]
    attribute = r.text("attribute", LAYER_DEFAULTS[name])
    if attribute not in known:
        raise r.fail("attribute", f"unknown attribute {attribute!r} (known: {', '.join(known)})")
    units = r.text("units", next(iter(known[attribute])))
    if units not in known[attribute]:
        raise r.fail("units", f"{attribute} is shown in one of: {', '.join(map(repr, known[attribute]))}")
    ramp = r.text("ramp")
    if ramp is not None and ramp.removesuffix("_r") not in RAMP_NAMES:
        raise r.fail("ramp", f"unknown ramp {ramp!r} (known: {', '.join(RAMP_NAMES)}, each also with _r)")
    span = r.vector("range", (2,))
    if span is not None and not span[0] < span[1]:
        raise r.fail("range", "must be [low, high] with low < high")
    key = r.text("key")
    if key is not None and not (len(key) == 1 and key.isalnum() or key in {f"f{i}" for i in range(1, 13)}):
        raise r.fail("key", "must be one letter or digit, or f1..f12")
    visible = r.table.get("visible", True)
    if not isinstance(visible, bool):
        raise r.fail("visible", "must be true or false")
    defaults = LayerConfig()
    colour: dict[str, Any] = {k: r.color(k, r.table[k]) if k in r.table else getattr(defaults, k)
                              for k in ("alert_colour", "no_data")}
    limits: dict[str, Any] = {k: r.number(k, getattr(defaults, k), positive=True)
                              for k in ("fade_after", "extrapolate", "scale")}
    delay = r.number("delay", None, positive=True)
    if delay is not None and delay > 60:
        raise r.fail("delay", "must be at most 60 seconds")
    return LayerConfig(visible=visible, attribute=attribute, units=units, ramp=ramp, range=span,
                       ranges=_bands(file, f"layers.{name}.ranges", r.table.get("ranges", [])), alert=r.number("alert"),
                       key=key, delay=delay, **colour, **limits)


def _bands(file: Path, key: str, raw: Any) -> tuple[Band, ...]:
    """Status ranges: every entry but the last has `below` (increasing); the last has none (open)."""
    if not isinstance(raw, list) or len(raw) > 32:
        raise ConfigError(file, key, "must be a list of at most 32 tables {below, colour, label}")
    bands: list[Band] = []
    for i, item in enumerate(raw):
        r = _Reader(file, item, f"{key}[{i}]")
        r.unknown({"below", "colour", "label"})
        below = r.number("below")
        if (below is None) != (i == len(raw) - 1):
            raise r.fail("below", "is required on every range but the last, which is open-ended")
        if below is not None and bands and bands[-1].below is not None and below <= bands[-1].below:
            raise r.fail("below", "must increase from one range to the next")
        if "colour" not in r.table:
            raise r.fail("colour", "is required")
        bands.append(Band(below, r.color("colour", r.table["colour"]), str(r.text("label", "") or "")[:40]))
    return tuple(bands)


def _terrain(file: Path, table: Any) -> TerrainConfig:
    r = _Reader(file, table, "terrain")
    r.unknown({f.name for f in dataclasses.fields(TerrainConfig)})
    path, crs = r.text("file"), r.text("crs")
    if crs is not None:
        _check_crs(file, crs, "terrain.crs")
    seat = r.table.get("seat_buildings", False)
    if not isinstance(seat, bool):
        raise r.fail("seat_buildings", "must be true or false")
    return TerrainConfig(file=(file.parent / path) if path is not None else None, crs=crs,
                         vertical_offset=float(r.number("vertical_offset", 0.0)), seat_buildings=seat)


def _basemap(file: Path, table: Any) -> BasemapConfig:
    r = _Reader(file, table, "basemap")
    r.unknown({f.name for f in dataclasses.fields(BasemapConfig)} - {"base"})
    bounds = {"opacity": (0.0, 1.0), "brightness": (0.0, 2.0), "saturation": (0.0, 1.0), "wait": (0.0, 3600.0)}
    values: dict[str, Any] = {}
    for name, (low, high) in bounds.items():
        value = r.number(name, getattr(BasemapConfig, name))
        if not low <= value <= high:
            raise r.fail(name, f"must be between {low:g} and {high:g}")
        values[name] = float(value)
    dim = r.table.get("dim_under_layers", True)
    if not isinstance(dim, bool):
        raise r.fail("dim_under_layers", "must be true or false")
    max_zoom = r.table.get("max_zoom")
    if max_zoom is not None and (isinstance(max_zoom, bool) or not isinstance(max_zoom, int) or not 0 <= max_zoom <= 24):
        raise r.fail("max_zoom", "must be an integer 0..24")
    crs = r.text("crs")
    if crs is not None:
        _check_crs(file, crs, "basemap.crs")
    source = r.text("source", "none")
    if not source.strip():
        raise r.fail("source", 'must name a base map (or "none")')
    return BasemapConfig(source=source.strip(), base=file.parent, dim_under_layers=dim,
                         attribution=r.text("attribution"), layer=r.text("layer"), crs=crs, max_zoom=max_zoom,
                         **values)


def _tiles(file: Path, table: Any) -> TilesConfig:
    r = _Reader(file, table, "tiles")
    r.unknown({f.name for f in dataclasses.fields(TilesConfig)})
    bounds = {"sse": (0.1, 1000.0), "memory_mb": (16.0, 1 << 20), "workers": (1, 16), "upload_ms": (0.5, 1000.0),
              "wait": (0.0, 3600.0)}
    values: dict[str, Any] = {}
    for name, (low, high) in bounds.items():
        value = r.number(name, getattr(TilesConfig, name))
        if not low <= value <= high:
            raise r.fail(name, f"must be between {low:g} and {high:g}")
        if name == "workers" and value != int(value):
            raise r.fail(name, "must be an integer")
        values[name] = int(value) if name == "workers" else float(value)
    return TilesConfig(**values)


# Layer types besides the three typed above: the built-in ones, those registered in code (layers/registry.py
# adds to this set) and the names of `citiverse.layers` entry points (read, not loaded: this module sits below
# the layers). Their options are checked by layers/registry.py check_layers().
LAYER_TYPES: set[str] = {"sensors", "heatmap"}


def known_layer_types() -> set[str]:
    from importlib.metadata import entry_points  # only when a scene has a layer beyond the built-in three

    return set(LAYER_ATTRIBUTES) | LAYER_TYPES | {point.name for point in entry_points(group="citiverse.layers")}


def _layers(file: Path, table: Any) -> LayersConfig:
    r = _Reader(file, table, "layers")
    extra = {}
    for name, value in r.table.items():
        if name in LAYER_ATTRIBUTES:
            continue
        if not isinstance(value, dict):
            raise r.fail(name, f"must be a table [layers.{name}] (a layer), got {type(value).__name__}")
        kind = value.get("type", name)
        key = f"{name}.type" if "type" in value else name
        if not isinstance(kind, str):
            raise r.fail(key, "must be a string (a layer type)")
        known = known_layer_types()
        if kind not in known:
            raise r.fail(key, f"unknown layer type {kind!r} (known: {', '.join(sorted(known))}; others come from "
                              f"packages with a 'citiverse.layers' entry point)")
        extra[name] = dict(value)
    return LayersConfig(**{name: _layer(file, name, r.table.get(name, {})) for name in LAYER_ATTRIBUTES},
                        extra=extra)


def load_scene(path: str | Path) -> SceneConfig:
    """Read and validate a scene file."""
    file = Path(path)
    try:
        with file.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(file, "", "scene file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(file, "", f"not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(file, "", f"cannot read: {exc}") from None

    top = _Reader(file, data, "")
    top.unknown({"scene", "sources", "style", "cameras", "limits", "layers", "terrain", "basemap", "tiles",
                 "rules"})
    scene = _Reader(file, data.get("scene", {}), "scene")
    scene.unknown({"name", "crs", "origin", "origin_lonlat", "time", "look"})
    crs = scene.text("crs")
    origin = scene.vector("origin", (2, 3))
    origin_lonlat = scene.vector("origin_lonlat", (2,))
    if origin is not None and origin_lonlat is not None:
        raise scene.fail("origin_lonlat", "give either origin or origin_lonlat, not both")
    if origin is not None and crs is None:
        raise scene.fail("origin", "needs scene.crs to say which CRS it is in")
    if origin_lonlat is not None and not (-180 <= origin_lonlat[0] <= 180 and -90 <= origin_lonlat[1] <= 90):
        raise scene.fail("origin_lonlat", "must be [lon, lat] in degrees")
    if crs is not None:
        _check_crs(file, crs)
    when, look = _scene_time(scene), scene.text("look")
    if look is not None and look not in ("plain", "full"):
        raise scene.fail("look", 'must be "plain" or "full"')
    sources_raw = data.get("sources")
    if not isinstance(sources_raw, list) or not sources_raw:
        raise ConfigError(file, "sources", "at least one [[sources]] entry is required")
    sources = tuple(_source(file, t, i) for i, t in enumerate(sources_raw))
    for i, s in enumerate(sources):
        if s.crs is not None:
            _check_crs(file, s.crs, f"sources[{i}].crs")
    cameras_r = _Reader(file, data.get("cameras", {}), "cameras")
    cameras = {name: _camera(file, name, t) for name, t in cameras_r.table.items()}
    if origin is not None and len(origin) == 2:
        origin = (origin[0], origin[1], 0.0)
    return SceneConfig(path=file, name=scene.text("name", file.stem), crs=crs, origin=origin,
                       origin_lonlat=origin_lonlat, sources=sources, style=_style(file, data.get("style", {})),
                       cameras=cameras, limits=_limits(file, data.get("limits", {})),
                       layers=_layers(file, data.get("layers", {})),
                       terrain=_terrain(file, data.get("terrain", {})),
                       basemap=_basemap(file, data.get("basemap", {})),
                       tiles=_tiles(file, data.get("tiles", {})), time=when, look=look,
                       rules=parse_rules(file, data.get("rules", [])))


def _scene_time(scene: _Reader) -> datetime | None:
    """[scene] time: an ISO 8601 string with a UTC offset, or a TOML offset date-time."""
    value = scene.table.get("time")
    if value is None:
        return None
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    example = "e.g. 2026-06-21T15:00+02:00"
    if not isinstance(value, str):
        raise scene.fail("time", f"must be a date and time with a UTC offset, {example}")
    text = value.strip()
    try:
        when = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        raise scene.fail("time", f"{value!r} is not an ISO 8601 date and time, {example}") from None
    if when.tzinfo is None:
        raise scene.fail("time", f"{value!r} has no UTC offset (the sun would be hours off), {example}")
    return when


def _check_crs(file: Path, crs: str, key: str = "scene.crs") -> None:
    # pyproj is imported here, not at module top: config is read by `--help` paths that should stay light.
    from pyproj import CRS
    from pyproj.exceptions import CRSError as ProjCRSError

    text = crs.strip()
    for prefix in ("https://www.opengis.net/def/crs/EPSG/0/", "http://www.opengis.net/def/crs/EPSG/0/"):
        if text.startswith(prefix):
            text = "EPSG:" + text[len(prefix):]
    try:
        CRS.from_user_input(text)
    except ProjCRSError as exc:
        raise ConfigError(file, key, f"unknown CRS {crs!r} ({exc})") from None
