"""What every `citiverse` command shares: argument types, option groups, and reading a scene from the options.

Rules:
1. The argument types refuse a wrong value with argparse's one line (exit 2): numbers in range, an LoD, a
   port. Their `except ValueError` wraps only int()/float() of the user's own text, never a call into the
   project (marked "plain parse of the user's text", which tests/test_cli_errors.py allows).
2. check_inputs() checks what can be known before anything loads or a display is looked for: files that must
   exist, a feed that is a ws:// URL or a recording, a loader name, a CRS; each mistake a CitiverseError.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.errors import ConfigError, LoadError

if TYPE_CHECKING:
    from viewer.app.control_channel import ControlRequest
    from viewer.city.scene import LoadedScene
    from viewer.config import SceneConfig

VIDEO_SUFFIX = ".mp4"  # viewer/app/video.py writes H.264 in an MP4 container whatever the name


def size_wxh(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:  # plain parse of the user's text
        raise argparse.ArgumentTypeError(f"size must look like 1280x720, got {text!r}") from None
    if not (16 <= w <= 8192 and 16 <= h <= 8192):
        raise argparse.ArgumentTypeError("width and height must be between 16 and 8192")
    return w, h


def positive(text: str) -> float:
    """A finite number > 0 (seconds, frames per second, speeds)."""
    try:
        value = float(text)
    except ValueError:  # plain parse of the user's text
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a number > 0, got {text!r}")
    return value


def port_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:  # plain parse of the user's text
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0..65535 (0: any free port), got {text!r}")
    return value


def lod_value(text: str) -> str:
    """"highest" or a number such as 2 or 1.2; the CityJSON loader refuses one the file does not have."""
    value = text.strip()
    if value.lower() == "highest":
        return "highest"
    try:
        number = float(value)
    except ValueError:  # plain parse of the user's text
        number = math.nan
    if not (math.isfinite(number) and number >= 0):
        raise argparse.ArgumentTypeError(f'expected "highest" or a level of detail such as 1.2 or 2, got {text!r}')
    return value


def add_model_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("options for a model file given instead of a scene")
    g.add_argument("--crs", help="CRS of the file when it declares none or declares it wrongly (e.g. EPSG:7415)")
    g.add_argument("--lod", type=lod_value, default="highest",
                   help='CityJSON level of detail: "highest" (default) or one the file has, e.g. 2.2')
    g.add_argument("--height-attribute", help="GeoJSON property holding building heights in metres")
    g.add_argument("--format", help="force a loader (cityjson, citygml, geojson, gltf, obj, osm, ply, sumo-net, "
                                    "sumo-poly, ...: see the error for a wrong one)")
    p.add_argument("--seat-buildings", action="store_true",
                   help="move buildings whose base misses the terrain by more than 1 m onto it (see inspect)")


def add_look_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("the look (docs/look.md)")
    g.add_argument("--time", metavar="ISO", help="date and time of the sun, with its UTC offset, e.g. "
                   "2026-06-21T15:00+02:00 (default: the scene's [scene] time, else a fixed afternoon sun)")
    g.add_argument("--look", choices=("plain", "full"), help="full: sun shadows, sky and haze (default); "
                   "plain: flat light, the cheapest frame")


def add_basemap_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--basemap", metavar="SOURCE|map|none",
                   help="base map on the terrain: an http(s) {z}/{x}/{y} template, wmts:CAPABILITIES, a .mbtiles "
                        "or GeoTIFF file, map (drawn from the scene's data) or none (default: the scene's [basemap])")


def add_live_options(p: argparse.ArgumentParser, window: bool) -> None:
    g = p.add_argument_group("live traffic and energy layers")
    g.add_argument("--feed", metavar="URL|RECORDING", help="a feed URL (ws://, wss://; several: ws://a/,ws://b/), "
                   "a bus twin (nats://HOST:4222?subject=NAME) or a recording file")
    if not window:
        g.add_argument("--at", metavar="TIME", help="feed time to show: +SECONDS from the start, ISO 8601 or epoch")
        g.add_argument("--status-line", action="store_true", help="engineers' feed status line instead of the caption")
    g.add_argument("--layers", help="comma list of vehicles, roads, buildings to show, or none (default: scene's)")
    g.add_argument("--feed-token", help="bearer token for the feed (or $CITIVERSE_FEED_TOKEN)")
    g.add_argument("--cafile", help="CA certificate (PEM) to verify a wss:// feed")
    if window:
        g.add_argument("--speed", type=positive, default=1.0, help="replay speed of a recording (default 1)")
        g.add_argument("--loop", action="store_true", help="replay a recording in a loop")



def clearance_metres(text: str) -> float:
    try:
        value = float(text)
    except ValueError:  # plain parse of the user's text
        raise argparse.ArgumentTypeError(f"not a number of metres: {text!r}") from None
    if not 0.0 <= value <= 100.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 100 metres, got {text}")
    return value



def feature_count(text: str) -> int:
    """A whole number of features per tile, 1 to 1,000,000."""
    try:
        value = int(text)
    except ValueError:  # plain parse of the user's text
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}") from None
    if not 1 <= value <= 1_000_000:  # feature ids are float32 vertex attributes: exact to 2^24
        raise argparse.ArgumentTypeError(f"must be between 1 and 1000000, got {text}")
    return value



def has_display() -> bool:
    """Whether a window can open: always on macOS and Windows; on Linux an X11 or Wayland display is needed."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def scene_config(path: Path, args: argparse.Namespace) -> SceneConfig:
    from viewer.config import SceneConfig, load_scene

    if path.suffix.lower() == ".toml":
        from viewer.layers.registry import check_layers  # a [layers.NAME] typo is refused before any loading

        config = load_scene(path)
        check_layers(config)
        return with_look(with_basemap(with_seating(config, args), args), args)
    options = {"crs": args.crs, "lod": str(args.lod), "height_attribute": args.height_attribute,
               "format": args.format}
    config = SceneConfig.for_file(path, **{k: v for k, v in options.items() if v is not None})
    return with_look(with_basemap(with_seating(config, args), args), args)


def with_look(config: SceneConfig, args: argparse.Namespace) -> SceneConfig:
    """The config with [scene] time and look replaced by --time and --look."""
    when, look = getattr(args, "time", None), getattr(args, "look", None)
    if when is not None:
        from viewer.geo.sun import parse_time

        config = dataclasses.replace(config, time=parse_time(when, "--time"))  # ConfigError naming --time
    return dataclasses.replace(config, look=look) if look is not None else config


def with_basemap(config: SceneConfig, args: argparse.Namespace) -> SceneConfig:
    """The config with [basemap] source replaced by --basemap (relative files from the working folder)."""
    source = getattr(args, "basemap", None)
    if source is None:
        return config
    from viewer.basemap.sources import check_spelling

    check_spelling(source, "--basemap")
    return dataclasses.replace(config, basemap=dataclasses.replace(config.basemap, source=source.strip(), base=None))


def with_seating(config: SceneConfig, args: argparse.Namespace) -> SceneConfig:
    """The config with [terrain] seat_buildings on when --seat-buildings is given."""
    if not getattr(args, "seat_buildings", False):
        return config
    return dataclasses.replace(config, terrain=dataclasses.replace(config.terrain, seat_buildings=True))


def progress(args: argparse.Namespace) -> Callable[[str], None]:
    start = time.perf_counter()

    def report(line: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - start:6.2f} s] {line}", file=sys.stderr, flush=True)

    return report


def load(args: argparse.Namespace, config: SceneConfig) -> LoadedScene:
    """The scene's models, loaded; a scene with nothing to draw is an error, not a blank picture."""
    from viewer.app.tiles_scene import load_scene  # tilesets stream; every other source loads whole

    report = progress(args)
    scene = load_scene(config, use_cache=not getattr(args, "no_cache", False), progress=report)
    if scene.model.triangle_count == 0 and not scene.tilesets:
        label = config.path or ", ".join(str(s.path) for s in config.sources if s.path is not None) or config.name
        raise LoadError(label, f"no geometry to draw ({len(scene.model.objects):,} objects, no surfaces)")
    note = sun_note(scene)
    if note is not None:
        report(note)
    return scene


def sun_note(scene: LoadedScene) -> str | None:
    """Where the sun of the scene's time (--time or [scene] time) stands, and for which place: a scene not placed on
    earth takes render/look.py's DEFAULT_LONLAT, and a time that is night there draws a dark picture, which
    this line explains (None without a time)."""
    from viewer.render.look import DEFAULT_LONLAT, scene_look

    spec = scene_look(scene)
    sun = spec.sun()
    if sun is None or spec.time is None:  # no time; the second test tells mypy what the first implies
        return None
    lon, lat = spec.lonlat or DEFAULT_LONLAT
    place = f"{abs(lat):.2f}\N{DEGREE SIGN}{'N' if lat >= 0 else 'S'} {abs(lon):.2f}\N{DEGREE SIGN}{'E' if lon >= 0 else 'W'}"
    if spec.lonlat is None:
        place += " (Amsterdam's: the scene has no CRS, so it is not on the earth)"
    night = "" if sun.up else ", under the horizon: night there"
    return (f"sun at {spec.time.isoformat(timespec='minutes')}: azimuth {sun.azimuth:.1f}\N{DEGREE SIGN}, elevation "
            f"{sun.elevation:.1f}\N{DEGREE SIGN} at {place}{night}")


def check_inputs(args: argparse.Namespace) -> None:
    """Rule 1: the inputs that can be checked before anything is loaded or a display is looked for."""
    scene = getattr(args, "scene", None) or getattr(args, "file", None)
    if scene is not None and not Path(scene).is_file():
        raise LoadError(scene, "file not found" if not Path(scene).exists() else "not a file")
    if getattr(args, "format", None):
        from viewer.city.loaders import LOADERS

        known = sorted(set(LOADERS) - {"procedural"})
        if args.format not in known:
            raise ConfigError(f"--format {args.format}", "", f"no such loader (known: {', '.join(known)})")
    if getattr(args, "crs", None):
        from viewer.geo.frame import crs_from

        crs_from(args.crs)  # CRSError naming it
    feed = getattr(args, "feed", None)
    if feed is not None:
        from viewer.app.live_feed import check_feed_name

        check_feed_name(feed)
    if getattr(args, "at", None) is not None and feed is None:
        raise ConfigError("--at", "", "is a time of the feed: give --feed URL|RECORDING with it")


def check_video_name(out: Path) -> None:
    if out.suffix.lower() != VIDEO_SUFFIX:
        raise ConfigError(f"--out {out}", "", f"a video is written as H.264 MP4: name it {VIDEO_SUFFIX}")


def control_request(args: argparse.Namespace) -> ControlRequest | None:
    """`--control PORT|auto [--control-file FILE]` as a ControlRequest (None without --control)."""
    if args.control is None:
        if args.control_file is not None:
            raise ConfigError("--control-file", "", "is where --control PORT|auto writes its token: give --control")
        return None
    from viewer.app.control_channel import ControlRequest, parse_port

    return ControlRequest(parse_port(args.control), args.control_file)


def feed_token(args: argparse.Namespace) -> str | None:
    return args.feed_token or os.environ.get("CITIVERSE_FEED_TOKEN")

