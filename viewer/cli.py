"""The `citiverse` command. Thin: parse arguments, load a scene, call an app; errors become one clear line.

Panda3D and the loaders are imported inside the commands that need them, so `citiverse --help` starts fast.

Rules:
1. A user mistake is caught as early as it can be known: by the argument types (numbers in range, an LoD,
   a port), then by check_inputs() before anything is loaded or a display is looked for (files that must
   exist, a feed that is a ws:// URL or a recording, output names, a CRS), then by the loaders. Each ends
   as one line "citiverse: error: ..." (or argparse's) and exit status 2, never a traceback.
2. Nothing answers a different question than the one asked: an option that does not apply is refused
   (--at without --feed), never ignored.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from viewer import __version__
from viewer.errors import CitiverseError, ConfigError, LoadError

VIDEO_SUFFIX = ".mp4"  # viewer/app/video.py writes H.264 in an MP4 container whatever the name

EXAMPLES = {
    "view": """examples:
  citiverse view scenes/demo.toml
  citiverse view ../shared/data/cityjson_delft/delft.json --camera overview
  citiverse view model.geojson --crs EPSG:3946 --height-attribute HAUTEUR
  citiverse view scenes/demo.toml --feed ws://127.0.0.1:8765/
  citiverse view scenes/demo.toml --feed 'nats://127.0.0.1:4222?subject=demo'     # straight from the bus
  citiverse view scenes/demo.toml --feed run.feed.jsonl.gz --speed 4 --loop
  citiverse view scenes/demo.toml --meet ws://127.0.0.1:8767/delft --token "$T" --name Ana""",
    "render": """examples:
  citiverse render scenes/demo.toml --out demo.png
  citiverse render ../shared/data/cityjson_delft/delft.json --out delft.png --size 1920x1080
  citiverse render scenes/demo.toml --camera street --out street.png
  citiverse render scenes/demo.toml --feed ws://127.0.0.1:8765/ --out live.png
  citiverse render scenes/demo.toml --feed run.feed.jsonl.gz --at +30 --layers vehicles,buildings --out t30.png""",
    "inspect": """examples:
  citiverse inspect ../shared/data/cityjson_denhaag/DenHaag_01.city.json
  citiverse inspect ../shared/data/osm_monaco/derived/monaco_buildings.geojson --json
  citiverse inspect ../shared/data/cityjson_3dbag_multilod/multi_lod.json --crs EPSG:7415 --lod 1.2""",
    "tile": """examples:
  citiverse tile ../shared/data/cityjson_delft/delft.json --out delft-tiles
  citiverse tile scenes/demo.toml --out demo-tiles --max-features-per-tile 500
  citiverse -q tile big.city.jsonl --out big-tiles""",
    "shadow": """examples:
  citiverse shadow ../shared/data/cityjson_denhaag/DenHaag_01.city.json --date 2026-03-21 --tz Europe/Amsterdam \\
      --from 08:00 --to 16:00 --step 10min --out sun-hours.png
  citiverse shadow city.toml --date 2026-06-21 --out roofs.csv --resolution 0.5
  citiverse shadow city.toml --date 2026-03-21 --area=-100,-100,100,100 --out sun-hours.tif""",
    "demo": """examples:
  citiverse demo                       # a window with a display, else renders citiverse-demo.mp4
  citiverse demo --headless --seconds 20 --size 1920x1080 --out tour.mp4
  citiverse demo --headless --out city.png --seed 7 --buildings 5000""",
    "feed": """examples:
  citiverse feed serve --scene scenes/demo.toml --source demo
  citiverse feed record ws://127.0.0.1:8765/ --out run.feed.jsonl.gz --duration 60
  citiverse feed serve --source replay --file run.feed.jsonl.gz --loop
  citiverse feed publish --scene scenes/demo.toml --source demo --nats nats://127.0.0.1:4222 --subject demo
  citiverse feed serve --nats nats://127.0.0.1:4222 --subject demo --port 8765     # one edge of many""",
    "feed publish": """examples:
  citiverse feed publish --scene scenes/demo.toml --source demo --nats nats://127.0.0.1:4222 --subject demo
  citiverse feed publish --source mqtt --broker mqtt://127.0.0.1:1883 --mapping sensors.toml \\
      --nats nats://127.0.0.1:4222 --subject city --history-hours 48""",
    "feed serve": """examples:
  citiverse feed serve --scene scenes/demo.toml --source demo --vehicles 5000 --port 8765
  citiverse feed serve --source replay --file run.feed.jsonl.gz --speed 4 --loop
  citiverse feed serve --source sumo --sumocfg ../shared/data/sumo_a10kw_berlin_pypi/a10kw.sumocfg
  citiverse feed serve --source sumo --file run.fcd.xml.gz --net osm.net.xml --speed 2
  citiverse feed serve --scene city.toml --source csv --file meters.csv --mapping meters.toml --speed 3600
  citiverse feed serve --source ngsi --ngsi-port 8766 --mapping roads.toml
  citiverse feed serve --source mqtt --broker mqtt://127.0.0.1:1883 --mapping sensors.toml
  citiverse feed serve --nats nats://127.0.0.1:4222 --subject demo --port 8765     # an edge of a bus
  citiverse feed serve --nats nats://127.0.0.1:4222 --subject demo --from 2026-01-05T08:00 --to 2026-01-05T09:00
  citiverse feed serve --scene scenes/demo.toml --source demo --host 0.0.0.0 \\
      --token-file feed.token --cert server.pem --key server.key      # wss:// with a bearer token""",
    "feed record": """examples:
  citiverse feed record ws://127.0.0.1:8765/ --out run.feed.jsonl.gz --duration 60
  citiverse feed record wss://twin.example.org/feed --token-file feed.token --cafile ca.pem --out run.feed.jsonl.gz
  citiverse feed record ws://127.0.0.1:8765/ --out columns.feed.jsonl.gz --encoding columns --kinds vehicle
  citiverse feed record --source demo --scene scenes/demo.toml --start 2024-03-12T07:00 --duration 60 --out demo.feed.jsonl.gz
  citiverse feed record --source csv --scene city.toml --file meters.csv --mapping meters.toml --out day.feed.jsonl.gz
  citiverse feed record --nats nats://127.0.0.1:4222 --subject demo --from 2026-01-05T08:00 --to 2026-01-05T08:30 \\
      --out morning.feed.jsonl.gz""",
    "flythrough": """examples:
  citiverse flythrough bookmarks scenes/demo.toml --name tour --seconds 6
  citiverse flythrough list scenes/demo.toml
  citiverse flythrough render scenes/demo.toml --path tour --out tour.mp4
  citiverse flythrough render scenes/demo.toml --path tour --feed run.feed.jsonl.gz --out tour.mp4 --size 1920x1080""",
    "flythrough render": """examples:
  citiverse flythrough render scenes/demo.toml --path tour --out tour.mp4
  citiverse flythrough render scenes/demo.toml --path tour --feed run.feed.jsonl.gz --feed-start +30 --out tour.mp4
  citiverse flythrough render city.toml --paths talks.flythrough.toml --path intro --fps 60 --size 1920x1080 --out intro.mp4
  citiverse flythrough render city.toml --path day --feed meters.feed.jsonl.gz --feed-speed 3600 --out day.mp4
  citiverse flythrough render city.toml --meeting council.meeting.jsonl.gz --eyes Ana --out council-ana.mp4
  citiverse flythrough render city.toml --meeting council.meeting.jsonl.gz --follow Bo --out council-bo.mp4""",
    "flythrough list": """examples:
  citiverse flythrough list scenes/demo.toml
  citiverse flythrough list scenes/demo.toml --paths talks.flythrough.toml""",
    "flythrough bookmarks": """examples:
  citiverse flythrough bookmarks scenes/demo.toml --name tour
  citiverse flythrough bookmarks scenes/demo.toml --name dive --cameras overview,street --seconds 8 --constant-speed""",
    "alerts": """examples:
  citiverse alerts city.toml --feed run.feed.jsonl.gz
  citiverse alerts city.toml --feed run.feed.jsonl.gz --from +60 --to +600 --csv --out alerts.csv
  citiverse alerts city.toml --feed nightly.feed.jsonl.gz --fail-on critical     # exit 1 in CI on a critical""",
    "meet": """examples:
  citiverse meet serve                                   # ws://127.0.0.1:8767, secret in ~/.config/citiverse
  citiverse meet token --room delft --name Ana --role host --secret-file meeting.secret""",
    "meet serve": """examples:
  citiverse meet serve
  citiverse meet serve --host 0.0.0.0 --port 8767 --secret-file meeting.secret
  citiverse meet serve --web --scene scenes/demo.toml        # also room pages for browsers (docs/web.md)
  citiverse meet serve --web --scene city.toml --cert cert.pem --key key.pem --host 0.0.0.0
  citiverse meet serve --nats nats://127.0.0.1:4222 --port 8767 --secret-file meeting.secret   # one of several""",
    "meet replay": """examples:
  citiverse meet replay ~/.local/share/citiverse/meetings/delft-20261207-093000.meeting.jsonl.gz --scene scenes/demo.toml
  citiverse meet replay council.meeting.jsonl.gz --scene city.toml --eyes Ana --start 120""",
    "meet minutes": """examples:
  citiverse meet minutes council.meeting.jsonl.gz --out minutes.md
  citiverse meet minutes council.meeting.jsonl.gz --scene city.toml --out minutes.html --clips""",
    "meet token": """examples:
  citiverse meet token --room delft --name Ana --role host --secret-file meeting.secret
  citiverse meet token --room delft --name Bo --role guest --ttl 3600 --secret-file meeting.secret
  T=$(citiverse meet token --room delft --name Bo --role guest --secret-file meeting.secret)
  citiverse meet token --room delft --name Cy --role guest --link http://127.0.0.1:8767   # a browser link""",
}


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1280x720, got {text!r}") from None
    if not (16 <= w <= 8192 and 16 <= h <= 8192):
        raise argparse.ArgumentTypeError("width and height must be between 16 and 8192")
    return w, h


def _positive(text: str) -> float:
    """A finite number > 0 (seconds, frames per second, speeds)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a number > 0, got {text!r}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0..65535 (0: any free port), got {text!r}")
    return value


def _lod(text: str) -> str:
    """"highest" or a number such as 2 or 1.2; the CityJSON loader refuses one the file does not have."""
    value = text.strip()
    if value.lower() == "highest":
        return "highest"
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not (math.isfinite(number) and number >= 0):
        raise argparse.ArgumentTypeError(f'expected "highest" or a level of detail such as 1.2 or 2, got {text!r}')
    return value


def _add_model_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("options for a model file given instead of a scene")
    g.add_argument("--crs", help="CRS of the file when it declares none or declares it wrongly (e.g. EPSG:7415)")
    g.add_argument("--lod", type=_lod, default="highest",
                   help='CityJSON level of detail: "highest" (default) or one the file has, e.g. 2.2')
    g.add_argument("--height-attribute", help="GeoJSON property holding building heights in metres")
    g.add_argument("--format", help="force a loader (cityjson, citygml, geojson, gltf, obj, osm, ply, sumo-net, "
                                    "sumo-poly, ...: see the error for a wrong one)")
    p.add_argument("--seat-buildings", action="store_true",
                   help="move buildings whose base misses the terrain by more than 1 m onto it (see inspect)")


def _add_look_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("the look (docs/look.md)")
    g.add_argument("--time", metavar="ISO", help="date and time of the sun, with its UTC offset, e.g. "
                   "2026-06-21T15:00+02:00 (default: the scene's [scene] time, else a fixed afternoon sun)")
    g.add_argument("--look", choices=("plain", "full"), help="full: sun shadows, sky and haze (default); "
                   "plain: flat light, the cheapest frame")


def _add_basemap_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--basemap", metavar="SOURCE|map|none",
                   help="base map on the terrain: an http(s) {z}/{x}/{y} template, wmts:CAPABILITIES, a .mbtiles "
                        "or GeoTIFF file, map (drawn from the scene's data) or none (default: the scene's [basemap])")


def _add_live_options(p: argparse.ArgumentParser, window: bool) -> None:
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
        g.add_argument("--speed", type=_positive, default=1.0, help="replay speed of a recording (default 1)")
        g.add_argument("--loop", action="store_true", help="replay a recording in a loop")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="citiverse", description="A 3D viewer for city digital twins.",
        epilog="Run `citiverse COMMAND --help` for the options and examples of each command.")
    parser.add_argument("--version", action="version", version=f"citiverse {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text, epilog=EXAMPLES[name],
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    view = command("view", "Open a window on a scene file (.toml) or a model file.")
    view.add_argument("scene", type=Path, help="scene .toml or model file")
    view.add_argument("--camera", help="start at this camera bookmark of the scene")
    view.add_argument("--no-cache", action="store_true", help="parse the files again, ignoring the geometry cache")
    _add_live_options(view, window=True)
    _add_basemap_option(view)
    _add_look_options(view)
    view.add_argument("--screenshot-dir", type=Path, metavar="DIR",
                      help="folder for F12 screenshots (default: the current folder)")
    view.add_argument("--paths", type=Path, help="flythrough file to record camera paths to and play them from "
                                                 "(default: the scene's, city.toml -> city.flythrough.toml)")
    c = view.add_argument_group("control from another process (docs/api.md)")
    c.add_argument("--control", metavar="PORT|auto", help="open a control channel on 127.0.0.1 (viewer.api Window)")
    c.add_argument("--control-file", type=Path, metavar="FILE",
                   help="where to write its port and token, mode 0600 (default: a private temporary folder)")
    m = view.add_argument_group("shared meeting")
    m.add_argument("--meet", metavar="URL", help="join a meeting room, e.g. ws://host:8767/delft (servers sharing "
                   "rooms over NATS: a comma list, the next is tried when one is lost)")
    m.add_argument("--token", help="signed join token (`citiverse meet token`; or $CITIVERSE_MEET_TOKEN)")
    m.add_argument("--name", help="your display name (the name others see comes from the token)")
    _add_model_options(view)

    render = command("render", "Render a scene or model headless (offscreen OpenGL) to a PNG.")
    render.add_argument("scene", type=Path, help="scene .toml or model file")
    render.add_argument("--out", type=Path, required=True, help="image to write: .png, or .jpg for JPEG")
    render.add_argument("--size", type=_size, default=(1280, 720), help="image size WxH (default 1280x720)")
    render.add_argument("--camera", help="camera bookmark of the scene (default: framed on the model)")
    render.add_argument("--no-cache", action="store_true", help="parse the files again, ignoring the geometry cache")
    _add_live_options(render, window=False)
    _add_basemap_option(render)
    _add_look_options(render)
    _add_model_options(render)

    inspect = command("inspect", "Summarise a model file: format, CRS, object counts, geometry, bounding box.")
    inspect.add_argument("file", type=Path, help="model file")
    inspect.add_argument("--json", action="store_true", help="print JSON with stable keys (docs/inspect.md)")
    inspect.add_argument("--no-cache", action="store_true",
                         help="accepted as by view and render (inspect always parses the file)")
    _add_model_options(inspect)

    demo = command("demo", "Show the procedural demo city with live demo traffic and energy: a window when "
                           "there is a display, else a flythrough video.")
    demo.add_argument("--seed", type=int, default=42, help="city seed (default 42)")
    demo.add_argument("--buildings", type=int, default=3000, help="number of buildings (default 3000)")
    demo.add_argument("--vehicles", type=int, default=2000, help="demo traffic: number of vehicles (default 2000)")
    demo.add_argument("--headless", action="store_true", help="render the video even when a display is present")
    demo.add_argument("--out", type=Path, help="file to write when headless: an MP4 flythrough (default "
                                               "citiverse-demo.mp4), or a still of the city for a .png or "
                                               ".jpg name")
    demo.add_argument("--seconds", type=_positive, default=10.0, help="length of the video (default 10)")
    demo.add_argument("--fps", type=_positive, default=30.0, help="video frames per second (default 30)")
    demo.add_argument("--size", type=_size, default=(1280, 720), help="video or image size WxH (default 1280x720)")
    _add_look_options(demo)

    tile = command("tile", "Write a scene or model file as a 3D Tiles 1.1 tileset (GLB tiles with feature ids "
                           "and properties, levels of detail) for CesiumJS and other 3D Tiles viewers.")
    tile.add_argument("scene", type=Path, help="scene .toml or model file")
    tile.add_argument("--out", type=Path, required=True, help="folder to write (replaced whole when it holds a "
                                                              "tileset; written only when complete)")
    tile.add_argument("--max-features-per-tile", type=_count, default=1000, metavar="N",
                      help="split tiles until each holds at most N features (default 1000)")
    tile.add_argument("--min-level-size", type=_positive, default=25.0, metavar="METRES",
                      help="do not split a tile whose buildings' centres span less (default 25)")
    tile.add_argument("--no-cache", action="store_true", help="parse the files again, ignoring the geometry cache")
    _add_model_options(tile)

    _add_shadow_parser(command("shadow", "Hours of direct sun on a grid over the city for a day (a shadow "
                                         "study): a picture, a GeoTIFF, or roof hours per building."))

    _add_alerts_parser(command("alerts", "Print the alert log of a scene's [[rules]] over a recorded feed, "
                                         "without a window (docs/rules.md): text or CSV."))

    feed = command("feed", "Serve a live twin feed over websockets, or record one.")
    feed_sub = feed.add_subparsers(dest="feed_command", required=True, metavar="SUBCOMMAND")
    for name, text in (("serve", "Serve a twin feed (hello, snapshot, deltas) from a source, or from a NATS bus "
                                 "(an edge), to many clients."),
                       ("record", "Record every message of a feed, with its receive time, to a replayable file."),
                       ("publish", "Run a source once and publish it to NATS JetStream for any number of edges.")):
        feed_sub.add_parser(name, help=text, description=text, epilog=EXAMPLES[f"feed {name}"],
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_feed_serve_options(feed_sub.choices["serve"])
    _add_feed_record_options(feed_sub.choices["record"])
    _add_feed_publish_options(feed_sub.choices["publish"])

    flythrough = command("flythrough", "Camera paths: list them, make one from bookmarks, render one to video.")
    fly_sub = flythrough.add_subparsers(dest="flythrough_command", required=True, metavar="SUBCOMMAND")
    for name, text in (("render", "Render a camera path to an H.264 MP4, a recorded feed replayed in lock-step."),
                       ("list", "List the camera paths of a scene's flythrough file."),
                       ("bookmarks", "Write a camera path through the scene's camera bookmarks.")):
        fly_sub.add_parser(name, help=text, description=text, epilog=EXAMPLES[f"flythrough {name}"],
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_flythrough_options(fly_sub.choices)

    meet = command("meet", "Run a meeting server, or make a signed join token for one.")
    meet_sub = meet.add_subparsers(dest="meet_command", required=True, metavar="SUBCOMMAND")
    for name, text in (("serve", "Serve shared meetings (rooms, avatars, pointers, chat) over websockets."),
                       ("token", "Print a signed join token for a room, a name and a role."),
                       ("replay", "Play a recorded meeting back in the window: pause, seek, speed, follow anyone."),
                       ("minutes", "Write the minutes of a recorded meeting (.md or .html) with stills.")):
        meet_sub.add_parser(name, help=text, description=text, epilog=EXAMPLES[f"meet {name}"],
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    _add_meet_options(meet_sub.choices["serve"], meet_sub.choices["token"])
    _add_meet_log_options(meet_sub.choices["replay"], meet_sub.choices["minutes"])
    return parser


def _add_alerts_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("scene", type=Path, help="scene .toml with [[rules]]")
    p.add_argument("--feed", required=True, metavar="RECORDING", help="a feed recording (`citiverse feed record`)")
    p.add_argument("--from", dest="start", metavar="TIME", help="report from this feed time: +SECONDS from the "
                                                                "start, ISO 8601 or epoch (default: the start)")
    p.add_argument("--to", dest="end", metavar="TIME", help="report up to this feed time (default: the end)")
    p.add_argument("--csv", action="store_true", help="CSV (time,utc,event,rule,severity,kind,id,value)")
    p.add_argument("--out", type=Path, help="file to write (default: standard output)")
    p.add_argument("--fail-on", choices=("info", "warning", "critical"), metavar="SEVERITY",
                   help="exit 1 when an alert of this severity (info, warning, critical) or higher was raised")


def _add_shadow_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("scene", type=Path, help="scene .toml or model file")
    p.add_argument("--date", required=True, help="the day, YYYY-MM-DD (BRE 209 uses 21 March)")
    p.add_argument("--from", dest="start", default="08:00", help="first time of day, HH:MM (default 08:00)")
    p.add_argument("--to", dest="end", default="16:00", help="last time of day, HH:MM (default 16:00)")
    p.add_argument("--step", default="10min", help="time between sun positions: 10min, 30s, 1h (default 10min)")
    p.add_argument("--tz", help="zone of the times: +01:00, Z or Europe/Amsterdam (default: the scene's time's)")
    p.add_argument("--out", type=Path, required=True, help="sun-hours.png (picture), .tif (GeoTIFF of hours) or "
                                                          ".csv (roof sun hours per building)")
    p.add_argument("--resolution", type=float, default=1.0, metavar="METRES", help="grid cell size (default 1)")
    p.add_argument("--area", metavar="X0,Y0,X1,Y1", help="study area in local metres, written --area=X0,... when X0 "
                   "is negative (default: the model's focus box and 20 m around it)")
    p.add_argument("--no-cache", action="store_true", help="parse the files again, ignoring the geometry cache")
    _add_model_options(p)


def _add_flythrough_options(parsers: dict[str, argparse.ArgumentParser]) -> None:
    paths_help = "flythrough file (default: the scene's, e.g. city.toml -> city.flythrough.toml)"
    for p in parsers.values():
        p.add_argument("scene", type=Path, help="scene .toml or model file")
        p.add_argument("--paths", type=Path, help=paths_help)
    render, bookmarks = parsers["render"], parsers["bookmarks"]
    render.add_argument("--path", help="name of the camera path to render (required without --meeting)")
    m = render.add_argument_group("a recorded meeting (citiverse meet serve --record-dir)")
    m.add_argument("--meeting", type=Path, metavar="LOG", help="re-shoot this meeting log: avatars, pointers, "
                   "chat as subtitles, its feed in lock-step; the camera is --follow, --eyes or --path")
    m.add_argument("--follow", metavar="NAME", help="the camera follows this participant (a name or #id)")
    m.add_argument("--eyes", metavar="NAME", help="the camera sees through this participant's eyes")
    render.add_argument("--out", type=Path, required=True, help="MP4 file to write")
    render.add_argument("--feed", metavar="RECORDING", help="a feed recording replayed in lock-step with the camera")
    render.add_argument("--feed-start", metavar="TIME", help="feed time of the first frame: +SECONDS from the "
                                                              "recording's start, ISO 8601 or epoch (default +0)")
    render.add_argument("--feed-speed", type=_positive, default=1.0, metavar="X",
                        help="feed seconds per video second: 3600 shows an hour of meter readings a second")
    render.add_argument("--layers", help="comma list of vehicles, roads, buildings to show, or none")
    render.add_argument("--status-line", action="store_true", help="engineers' feed status line instead of the caption")
    render.add_argument("--multisamples", type=int, choices=(0, 2, 4, 8), metavar="N",
                        help="antialiasing samples 0, 2, 4 or 8 (default 4; 0 renders about twice as fast)")
    render.add_argument("--fps", type=_positive, default=30.0, help="frames per second (default 30)")
    render.add_argument("--size", type=_size, default=(1280, 720), help="video size WxH, even (default 1280x720)")
    render.add_argument("--crf", type=int, default=20, choices=range(0, 52), metavar="0-51",
                        help="H.264 quality, lower is better (default 20)")
    render.add_argument("--no-cache", action="store_true", help="parse the files again, ignoring the geometry cache")
    _add_basemap_option(render)
    _add_look_options(render)
    for p in (render, bookmarks):
        p.add_argument("--clearance", type=_clearance, default=2.0, metavar="METRES",
                       help="metres a camera path keeps from the city: render warns of closer stretches, "
                            "bookmarks routes over buildings (default 2; 0: no check)")
    render.add_argument("--strict-clearance", action="store_true",
                        help="render nothing when the path comes closer than --clearance to the city")
    bookmarks.add_argument("--name", required=True, help="name of the path to write (replaced if it exists)")
    bookmarks.add_argument("--cameras", help="comma list of bookmarks in order (default: all, in file order)")
    bookmarks.add_argument("--seconds", type=_positive, default=5.0,
                           help="seconds from one bookmark to the next (default 5)")
    bookmarks.add_argument("--constant-speed", action="store_true", help="one speed along the whole path")
    for p in (render, bookmarks):
        _add_model_options(p)


def _add_meet_log_options(replay: argparse.ArgumentParser, minutes: argparse.ArgumentParser) -> None:
    for p in (replay, minutes):
        p.add_argument("log", type=Path, help="a meeting log (*.meeting.jsonl.gz)")
        p.add_argument("--scene", type=Path, help="the scene the meeting was held in (.toml or a model file)")
        p.add_argument("--no-cache", action="store_true", help="parse the files again, ignoring the geometry cache")
        _add_model_options(p)
    replay.add_argument("--follow", metavar="NAME", help="start following this participant")
    replay.add_argument("--eyes", metavar="NAME", help="start seeing through this participant's eyes")
    replay.add_argument("--start", type=float, default=0.0, metavar="SECONDS",
                        help="seconds into the recording to start at (default 0)")
    minutes.add_argument("--out", type=Path, required=True, help="minutes.md (Markdown) or minutes.html")
    minutes.add_argument("--clips", action="store_true", help="also a short video of each pointing moment")


def _clearance(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of metres: {text!r}") from None
    if not 0.0 <= value <= 100.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 100 metres, got {text}")
    return value


def _add_meet_options(serve: argparse.ArgumentParser, token: argparse.ArgumentParser) -> None:
    secret_help = "file holding the server's secret (default: ~/.config/citiverse/meeting.secret)"
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8767, help="port to listen on (default 8767)")
    serve.add_argument("--secret-file", type=Path, help=secret_help + "; created when missing")
    serve.add_argument("--record-dir", type=Path, metavar="DIR", help="where a host's recordings of a meeting go "
                       "(default: $XDG_DATA_HOME/citiverse/meetings, else ~/.local/share/citiverse/meetings)")
    serve.add_argument("--nats", metavar="URL", help="share rooms with every meeting server on this NATS "
                       "JetStream bus, e.g. nats://127.0.0.1:4222 (docs/meetings.md, Several servers)")
    web = serve.add_argument_group("browsers (docs/web.md)")
    web.add_argument("--web", action="store_true", help="also serve room pages (/rooms/NAME/) and the scene's "
                     "city as 3D Tiles on the same port, for joining from a browser")
    web.add_argument("--scene", type=Path, help="the scene the browsers see (with --web): .toml or a model file")
    web.add_argument("--cert", type=Path, help="TLS certificate chain (PEM): serve https:// and wss://")
    web.add_argument("--key", type=Path, help="TLS private key (PEM) of --cert")
    web.add_argument("--feed", metavar="URL[,URL...]", help="the live feed the pages draw (ws:// or wss://, as "
                     "browsers reach it; a comma list fails over): vehicles, roads and buildings")
    web.add_argument("--feed-token", help="bearer token of --feed (or $CITIVERSE_FEED_TOKEN), given to participants")
    _add_model_options(serve)
    token.add_argument("--link", metavar="BASE_URL", help="print a link to the room's page with the token in it "
                       "(e.g. http://127.0.0.1:8767) instead of the bare token")
    token.add_argument("--room", required=True, help="room name: letters, digits, '.', '_', '-'")
    token.add_argument("--name", required=True, help="the name others see")
    token.add_argument("--role", required=True, choices=("host", "guest"), help="host or guest")
    token.add_argument("--ttl", type=float, default=8 * 3600.0, help="seconds the token is valid (default 8 h)")
    token.add_argument("--secret-file", type=Path, help=secret_help)


def _add_source_options(p: Any, choices: tuple[str, ...], required: bool) -> None:
    a = p.add_argument
    a("--source", required=required, choices=choices, help="what to serve" if required else
      "record this source straight to the file, as fast as it runs, instead of a URL")
    a("--scene", type=Path, help="scene .toml or model file (demo needs it; csv checks building ids against it)")
    a("--file", type=Path, help="replay: a recording; sumo: FCD output (.xml/.xml.gz); csv: a meters CSV")
    a("--net", type=Path, help="sumo: the .net.xml placing an FCD replay (default: the scene's SUMO net)")
    a("--edgedata", type=Path, help="sumo: an edgeData file (road congestion) for an FCD replay")
    a("--sumocfg", type=Path, help="sumo: run this configuration live (libsumo or TraCI)")
    a("--mapping", type=Path, help="csv: meter -> building ids; ngsi: entity -> road ids (CSV or TOML); "
                                   "mqtt: topic patterns -> entities (TOML, docs/sources.md)")
    a("--broker", help="mqtt: the broker, mqtt://[USER:PASSWORD@]HOST[:PORT] (default port 1883)")
    a("--loop", action="store_true", help="replay: start again at the end (time keeps increasing)")
    a("--start", help="source start time, epoch seconds or ISO 8601 (default: now)")
    a("--vehicles", type=int, default=2000, help="demo: number of vehicles (default 2000)")
    a("--seed", type=int, default=1, help="demo: random seed (default 1)")


def _add_feed_serve_options(p: argparse.ArgumentParser) -> None:
    a = p.add_argument
    _add_source_options(p, SERVE_SOURCES, required=False)
    a("--speed", type=_positive, default=1.0, help="source seconds per wall second (default 1)")
    _add_bus_options(p, "serve as an edge of this twin on the bus instead of a --source")
    a("--from", dest="time_from", metavar="TIME", help="with --nats: replay the bus's history from this time "
      "(ISO 8601 or epoch seconds) instead of serving it live")
    a("--to", dest="time_to", metavar="TIME", help="with --from: end of the replay (default: the newest data)")
    a("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1; 0.0.0.0 = every interface)")
    a("--port", type=_port, default=8765, help="port (default 8765; 0 = any free port)")
    a("--ngsi-port", type=_port, default=8766, help="ngsi: port of the HTTP notify endpoint (default 8766)")
    a("--ngsi-host", default="127.0.0.1", help="ngsi: address of the notify endpoint (default 127.0.0.1, "
                                                 "whatever --host is)")
    a("--ngsi-token", help="ngsi: bearer token the notify endpoint requires (default: the feed's --token)")
    _add_token_options(p)
    a("--cert", type=Path, help="TLS certificate chain (PEM): serve wss://")
    a("--key", type=Path, help="TLS private key (PEM) of --cert")
    a("--status-every", type=float, default=10.0, help="seconds between status lines (default 10)")


def _add_feed_record_options(p: argparse.ArgumentParser) -> None:
    a = p.add_argument
    a("url", nargs="?", help="feed URL: ws://HOST:PORT/ or wss://... (or --source instead)")
    a("--out", type=Path, required=True, help="recording to write (gzip JSON lines, e.g. run.feed.jsonl.gz)")
    a("--duration", type=float, help="seconds to record (default: until Ctrl-C; with --source: until it "
                                     "ends), of the source's clock with --source")
    _add_token_options(p)
    a("--cafile", type=Path, help="CA certificate (PEM) to verify a wss:// server")
    a("--encoding", choices=("binary", "columns", "objects"), help="ask the server for this encoding")
    a("--kinds", help="comma-separated kinds to record, e.g. vehicle,road (default: all the server has)")
    _add_source_options(p.add_argument_group("recording a source without a server"), ("demo", "sumo", "csv"),
                        required=False)
    history = p.add_argument_group("recording a time range of a twin's history on NATS JetStream")
    _add_bus_options(history, "read the history of this twin from the bus instead of a URL")
    history.add_argument("--from", dest="time_from", metavar="TIME", help="first time to record (ISO 8601 or epoch)")
    history.add_argument("--to", dest="time_to", metavar="TIME", help="last time (default: the newest data)")


SERVE_SOURCES = ("demo", "replay", "sumo", "csv", "ngsi", "mqtt")


def _add_bus_options(p: Any, nats_help: str) -> None:
    p.add_argument("--nats", metavar="URL", help=f"NATS server, nats://HOST:4222: {nats_help}")
    p.add_argument("--subject", metavar="NAME", help="the twin's name on the bus (A-Z a-z 0-9 _ -)")


def _add_feed_publish_options(p: argparse.ArgumentParser) -> None:
    a = p.add_argument
    _add_source_options(p, SERVE_SOURCES, required=True)
    a("--speed", type=_positive, default=1.0, help="source seconds per wall second (default 1)")
    a("--nats", metavar="URL", required=True, help="NATS server with JetStream, nats://HOST:4222")
    a("--subject", metavar="NAME", required=True, help="the twin's name on the bus (A-Z a-z 0-9 _ -)")
    a("--checkpoint-every", type=_positive, default=5.0, metavar="S",
      help="seconds between checkpoints of the whole state (default 5)")
    a("--history-hours", type=_positive, default=24.0, metavar="H", help="hours of history kept (default 24)")
    a("--history-mb", type=_positive, default=4096.0, metavar="MB", help="megabytes of history kept (default 4096)")
    a("--ngsi-port", type=_port, default=8766, help="ngsi: port of the HTTP notify endpoint (default 8766)")
    a("--ngsi-host", default="127.0.0.1", help="ngsi: address of the notify endpoint (default 127.0.0.1)")
    a("--ngsi-token", help="ngsi: bearer token the notify endpoint requires")
    a("--status-every", type=float, default=10.0, help="seconds between status lines (default 10)")
    a("-q", "--quiet", action="store_true", help="no status lines")


def _add_token_options(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--token", help="bearer token (shows in the process list: prefer --token-file or "
                                       "$CITIVERSE_FEED_TOKEN)")
    group.add_argument("--token-file", type=Path, help="file holding the bearer token")


def has_display() -> bool:
    """Whether a window can open: always on macOS and Windows; on Linux an X11 or Wayland display is needed."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _scene_config(path: Path, args: argparse.Namespace) -> Any:
    from viewer.config import SceneConfig, load_scene

    if path.suffix.lower() == ".toml":
        from viewer.layers.registry import check_layers  # a [layers.NAME] typo is refused before any loading

        config = load_scene(path)
        check_layers(config)
        return _look(_basemap(_seating(config, args), args), args)
    options = {"crs": args.crs, "lod": str(args.lod), "height_attribute": args.height_attribute,
               "format": args.format}
    return _look(_basemap(_seating(SceneConfig.for_file(path, **{k: v for k, v in options.items() if v is not None}),
                                   args), args), args)


def _look(config: Any, args: argparse.Namespace) -> Any:
    """The config with [scene] time and look replaced by --time and --look."""
    import dataclasses

    when, look = getattr(args, "time", None), getattr(args, "look", None)
    if when is not None:
        from viewer.geo.sun import parse_time

        try:
            config = dataclasses.replace(config, time=parse_time(when, "--time"))
        except ValueError as exc:
            raise ConfigError("--time", "", str(exc).removeprefix("--time ")) from None
    return dataclasses.replace(config, look=look) if look is not None else config


def _basemap(config: Any, args: argparse.Namespace) -> Any:
    """The config with [basemap] source replaced by --basemap (relative files from the working folder)."""
    source = getattr(args, "basemap", None)
    if source is None:
        return config
    from viewer.basemap.sources import check_spelling

    check_spelling(source, "--basemap")
    import dataclasses

    return dataclasses.replace(config, basemap=dataclasses.replace(config.basemap, source=source.strip(), base=None))


def _seating(config: Any, args: argparse.Namespace) -> Any:
    """The config with [terrain] seat_buildings on when --seat-buildings is given."""
    if not getattr(args, "seat_buildings", False):
        return config
    import dataclasses

    return dataclasses.replace(config, terrain=dataclasses.replace(config.terrain, seat_buildings=True))


def _progress(args: argparse.Namespace) -> Callable[[str], None]:
    start = time.perf_counter()

    def report(line: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - start:6.2f} s] {line}", file=sys.stderr, flush=True)

    return report


def _load(args: argparse.Namespace, config: Any) -> Any:
    """The scene's models, loaded; a scene with nothing to draw is an error, not a blank picture."""
    from viewer.app.tiles_scene import load_scene  # tilesets stream; every other source loads whole

    scene = load_scene(config, use_cache=not getattr(args, "no_cache", False), progress=_progress(args))
    if scene.model.triangle_count == 0 and not scene.tilesets:
        label = config.path or ", ".join(str(s.path) for s in config.sources if s.path is not None) or config.name
        raise LoadError(label, f"no geometry to draw ({len(scene.model.objects):,} objects, no surfaces)")
    return scene


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


def _check_video_name(out: Path) -> None:
    if out.suffix.lower() != VIDEO_SUFFIX:
        raise ConfigError(f"--out {out}", "", f"a video is written as H.264 MP4: name it {VIDEO_SUFFIX}")


def cmd_view(args: argparse.Namespace) -> int:
    check_inputs(args)
    control = _control(args)  # a wrong port is said before anything loads
    if not has_display():
        print(f"citiverse: no display here to open a window on; render offscreen instead:\n"
              f"  citiverse render {args.scene} --out shot.png", file=sys.stderr)
        return 2
    if args.meet and not (args.token or os.environ.get("CITIVERSE_MEET_TOKEN")):
        print("citiverse: --meet needs a join token: --token T or $CITIVERSE_MEET_TOKEN", file=sys.stderr)
        return 2
    scene = _load(args, _scene_config(args.scene, args))
    from viewer.app.window import FeedRequest, MeetRequest, run_window

    feed = FeedRequest(args.feed, args.layers, _feed_token(args), args.cafile, args.speed, args.loop) \
        if args.feed else None
    meet = MeetRequest(args.meet, args.token or os.environ["CITIVERSE_MEET_TOKEN"], args.name) if args.meet else None
    run_window(scene, camera=args.camera, feed=feed, meet=meet, flythrough=args.paths,
               screenshot_dir=args.screenshot_dir, control=control)
    return 0


def _control(args: argparse.Namespace) -> Any:
    """`--control PORT|auto [--control-file FILE]` as a ControlRequest (None without --control)."""
    if args.control is None:
        if args.control_file is not None:
            raise ConfigError("--control-file", "", "is where --control PORT|auto writes its token: give --control")
        return None
    from viewer.app.control_channel import ControlRequest, parse_port

    return ControlRequest(parse_port(args.control), args.control_file)


def _feed_token(args: argparse.Namespace) -> str | None:
    return args.feed_token or os.environ.get("CITIVERSE_FEED_TOKEN")


def cmd_render(args: argparse.Namespace) -> int:
    check_inputs(args)
    from viewer.app.image_file import image_format

    image_format(args.out)  # before the scene loads: a name we cannot write is known now
    scene = _load(args, _scene_config(args.scene, args))
    if args.feed:
        from viewer.app.live import LiveOptions, render_live_png

        out = render_live_png(scene, args.feed, args.out, size=args.size, camera=args.camera, at_time=args.at,
                              options=LiveOptions.from_cli(args.layers, status_line=args.status_line or None),
                              token=_feed_token(args),
                              cafile=args.cafile)
    else:
        from viewer.app.image_file import render_still

        out = render_still(scene, args.out, size=args.size, camera=args.camera)
    print(f"wrote {out}")
    return 0


def cmd_inspect(args: argparse.Namespace) -> int:
    from viewer.city.inspect import format_text, summarize
    from viewer.city.loaders import load_source

    check_inputs(args)
    if _is_tileset(args.file):
        return _inspect_tileset(args)
    config = _scene_config(args.file, args)
    if config.path is not None:  # a scene: every source, and the scene they make
        return _inspect_scene(args, config)
    summary = summarize(load_source(config.sources[0], config.limits))
    summary["terrain"] = _terrain_summary(args, config)
    print(json.dumps(summary, indent=2) if args.json else format_text(summary))
    return 0


def _is_tileset(path: Path) -> bool:
    from viewer.city.loaders import is_tileset_source
    from viewer.config import SourceConfig

    return is_tileset_source(SourceConfig(path=path))


def _inspect_tileset(args: argparse.Namespace) -> int:
    from viewer.tiles.inspect import format_tileset_text, summarize_tileset

    summary = summarize_tileset(args.file)
    print(json.dumps(summary, indent=2) if args.json else format_tileset_text(summary))
    return 0


def _inspect_scene(args: argparse.Namespace, config: Any) -> int:
    from viewer.city.inspect import format_scene_text, summarize_scene
    from viewer.city.loaders import load_source
    from viewer.city.scene import load_scene_models

    sources = [load_source(s, config.limits) for s in config.sources]
    scene = load_scene_models(config, use_cache=not getattr(args, "no_cache", False))
    summary = summarize_scene(scene, sources)
    print(json.dumps(summary, indent=2) if args.json else format_scene_text(summary))
    return 0


def _terrain_summary(args: argparse.Namespace, config: Any) -> Any:
    """The terrain the scene (or file) is placed on, and the buildings off it (city/inspect.py)."""
    from viewer.city.inspect import terrain_summary
    from viewer.city.scene import load_scene_models

    return terrain_summary(load_scene_models(config, use_cache=not getattr(args, "no_cache", False)).model)


def cmd_demo(args: argparse.Namespace) -> int:
    from viewer.city.demo import demo_scene

    if not 1 <= args.buildings <= 1_000_000:
        raise ConfigError("--buildings", "", f"must be between 1 and 1,000,000, got {args.buildings}")
    if not 0 <= args.vehicles <= 100_000:
        raise ConfigError("--vehicles", "", f"must be between 0 and 100,000, got {args.vehicles}")
    windowed = has_display() and not args.headless
    out = args.out or Path("citiverse-demo.mp4")
    still = out.suffix.lower() != VIDEO_SUFFIX
    if not windowed and still:
        from viewer.app.image_file import image_format

        try:
            image_format(out)
        except CitiverseError:
            raise ConfigError(f"--out {out}", "", f"the demo writes a video ({VIDEO_SUFFIX}) or a still "
                                                  "(.png, .jpg)") from None
    config = _look(demo_scene(seed=args.seed, buildings=args.buildings), args)
    scene = _load(args, config)
    if windowed:
        from viewer.app.flythrough_cli import DEMO_START
        from viewer.app.window import FeedRequest, run_window
        from viewer.sources.demo import DemoSource

        source = DemoSource.from_scene(scene, seed=args.seed, vehicles=args.vehicles, start_time=DEMO_START)
        run_window(scene, camera=None, feed=FeedRequest(source) if args.vehicles else None)
        return 0
    reason = "" if args.headless else " (no display found, so it was rendered offscreen)"
    if still:
        from viewer.app.image_file import render_still

        print(f"wrote the demo city to {render_still(scene, out, size=args.size, camera='overview').resolve()}"
              f"{reason}")
        return 0
    from viewer.app.flythrough_cli import render_demo_video

    result = render_demo_video(scene, out, size=args.size, fps=args.fps, seconds=args.seconds, seed=args.seed,
                               vehicles=args.vehicles, quiet=args.quiet)
    print(f"wrote the demo flythrough to {result.out.resolve()}{reason}: {result.frames} frames, "
          f"{result.frames / result.fps:.0f} s at {result.fps:g} fps with live demo traffic and energy")
    return 0


def cmd_tile(args: argparse.Namespace) -> int:
    check_inputs(args)
    from viewer.app.tile_cli import run

    return run(args, lambda config: _load(args, config), lambda path: _scene_config(path, args), _progress(args))


def cmd_shadow(args: argparse.Namespace) -> int:
    check_inputs(args)
    from viewer.app.shadow_cli import parse_request, run

    parse_request(args)  # a wrong date, step, area or output is said before anything loads
    return run(args, lambda config: _load(args, config), lambda path: _scene_config(path, args), _progress(args))


def cmd_alerts(args: argparse.Namespace) -> int:
    check_inputs(args)
    from viewer.api import replay_alerts
    from viewer.config import load_scene
    from viewer.layers.rules_log import as_csv, as_text
    from viewer.rules_config import SEVERITIES

    if args.scene.suffix.lower() != ".toml":
        raise ConfigError(args.scene, "", "alerts reads the [[rules]] of a scene file (.toml), not a model")
    config = load_scene(args.scene)
    if not config.rules:
        raise ConfigError(args.scene, "rules", "the scene has no [[rules]]: nothing to alert on (docs/rules.md)")
    report = replay_alerts(config.rules, args.feed, args.start, args.end)
    text = as_csv(report.events) if args.csv else as_text(report.events, report.active)
    if args.out is not None:
        try:
            args.out.write_text(text)
        except OSError as exc:
            raise ConfigError(f"--out {args.out}", "", f"cannot write: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
    for error in report.errors:
        print(f"citiverse: warning: {error}", file=sys.stderr)
    worst = max((SEVERITIES.index(e.severity) for e in report.events if e.event == "raised"), default=-1)
    return 1 if args.fail_on is not None and worst >= SEVERITIES.index(args.fail_on) else 0


def _count(text: str) -> int:
    """A whole number of features per tile, 1 to 1,000,000."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}") from None
    if not 1 <= value <= 1_000_000:  # feature ids are float32 vertex attributes: exact to 2^24
        raise argparse.ArgumentTypeError(f"must be between 1 and 1000000, got {text}")
    return value


def cmd_feed(args: argparse.Namespace) -> int:
    from viewer.app.feed_cli import run

    return int(run(args))


def cmd_flythrough(args: argparse.Namespace) -> int:
    check_inputs(args)
    if args.flythrough_command == "render":
        _check_video_name(args.out)
    from viewer.app.flythrough_cli import run

    return run(args, lambda config: _load(args, config), lambda path: _scene_config(path, args))


def cmd_meet(args: argparse.Namespace) -> int:
    if args.meet_command in ("replay", "minutes"):
        check_inputs(args)
        from viewer.app.meeting_cli import run_log_command

        return run_log_command(args, lambda path: _load(args, _scene_config(path, args)))
    from viewer.app.meet_cli import run

    if args.meet_command == "serve" and args.web:
        check_inputs(args)
    return int(run(args, lambda config: _load(args, config), lambda path: _scene_config(path, args)))


COMMANDS = {"view": cmd_view, "render": cmd_render, "inspect": cmd_inspect, "demo": cmd_demo, "feed": cmd_feed,
            "flythrough": cmd_flythrough, "meet": cmd_meet, "tile": cmd_tile, "alerts": cmd_alerts,
            "shadow": cmd_shadow}


class _StderrLines(logging.Handler):
    """Each record as one line "citiverse: warning: ..." on the sys.stderr of the moment it is logged."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"citiverse: {record.levelname.lower()}: {record.getMessage()}", file=sys.stderr, flush=True)


def _warnings_to_stderr() -> None:
    """The library's warnings (a feed whose ids match nothing, a skipped geometry) as one line each on
    stderr; `feed` and `meet` set up their own logging. Once per process: main() may be called again."""
    root = logging.getLogger()
    if not any(isinstance(h, _StderrLines) for h in root.handlers):
        root.addHandler(_StderrLines(logging.WARNING))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command not in ("feed", "meet"):
        _warnings_to_stderr()
    from viewer.city.tuning import set_huge_page_advice

    set_huge_page_advice(False)  # bulk geometry loads 30-50% faster without it (see viewer/city/tuning.py)
    try:
        return COMMANDS[args.command](args)
    except CitiverseError as exc:
        print(f"citiverse: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
