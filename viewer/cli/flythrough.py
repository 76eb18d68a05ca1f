"""The `citiverse flythrough` commands.

    citiverse flythrough render SCENE --path NAME --out tour.mp4 [--feed RECORDING] [--fps 30] [--size WxH]
                                      [--clearance 2] [--strict-clearance]
    citiverse flythrough render SCENE --meeting LOG (--follow NAME | --eyes NAME | --path NAME) --out x.mp4
    citiverse flythrough list SCENE
    citiverse flythrough bookmarks SCENE --name NAME [--cameras a,b,c] [--seconds 5] [--clearance 2]

Rules:
1. A scene's paths live in its flythrough file (viewer/flythrough/pathfile.py: `city.toml` ->
   `city.flythrough.toml`); `--paths FILE` names another. An unknown path name is a ConfigError listing
   the names the file holds.
2. Progress goes to stderr (a redrawn bar on a terminal, a line every 5 s elsewhere) unless -q; stdout
   gets one line naming what was written, so scripts can capture it.
3. Clearance (viewer/flythrough/clearance.py over viewer/nav/clearance.py): `render` warns, one line on
   stderr per stretch of the path closer than --clearance metres (default 2; 0 turns the check off) to the
   city, with its times and the objects, and with --strict-clearance renders nothing; `bookmarks` adds
   keyframes over the buildings its legs would pass through and warns of what it could not route (a
   bookmark inside a building).
4. A recorded meeting (--meeting, cli/meet.py render_meeting) is filmed with exactly one camera: --follow,
   --eyes or --path.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.cli.common import (
    add_basemap_option,
    add_look_options,
    add_model_options,
    check_inputs,
    check_video_name,
    clearance_metres,
    load,
    positive,
    scene_config,
    size_wxh,
)
from viewer.cli.examples import Command, subcommands
from viewer.errors import ConfigError, RenderError

if TYPE_CHECKING:
    from viewer.app.flythrough_render import RenderResult
    from viewer.city.scene import LoadedScene
    from viewer.flythrough.clearance import ClearanceHit, Obstacles
    from viewer.flythrough.path import CameraPath


def add_flythrough(command: Command) -> None:
    flythrough = command("flythrough", "Camera paths: list them, make one from bookmarks, render one to video.")
    parsers = subcommands(flythrough, "flythrough_command", "flythrough", (
        ("render", "Render a camera path to an H.264 MP4, a recorded feed replayed in lock-step."),
        ("list", "List the camera paths of a scene's flythrough file."),
        ("bookmarks", "Write a camera path through the scene's camera bookmarks.")))
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
    render.add_argument("--feed-speed", type=positive, default=1.0, metavar="X",
                        help="feed seconds per video second: 3600 shows an hour of meter readings a second")
    render.add_argument("--layers", help="comma list of vehicles, roads, buildings to show, or none")
    render.add_argument("--status-line", action="store_true", help="engineers' feed status line instead of the caption")
    render.add_argument("--multisamples", type=int, choices=(0, 2, 4, 8), metavar="N",
                        help="antialiasing samples 0, 2, 4 or 8 (default 4; 0 renders about twice as fast)")
    render.add_argument("--fps", type=positive, default=30.0, help="frames per second (default 30)")
    render.add_argument("--size", type=size_wxh, default=(1280, 720), help="video size WxH, even (default 1280x720)")
    render.add_argument("--crf", type=int, default=20, choices=range(0, 52), metavar="0-51",
                        help="H.264 quality, lower is better (default 20)")
    render.add_argument("--no-cache", action="store_true", help="parse the files again, ignoring the geometry cache")
    add_basemap_option(render)
    add_look_options(render)
    for p in (render, bookmarks):
        p.add_argument("--clearance", type=clearance_metres, default=2.0, metavar="METRES",
                       help="metres a camera path keeps from the city: render warns of closer stretches, "
                            "bookmarks routes over buildings (default 2; 0: no check)")
    render.add_argument("--strict-clearance", action="store_true",
                        help="render nothing when the path comes closer than --clearance to the city")
    bookmarks.add_argument("--name", required=True, help="name of the path to write (replaced if it exists)")
    bookmarks.add_argument("--cameras", help="comma list of bookmarks in order (default: all, in file order)")
    bookmarks.add_argument("--seconds", type=positive, default=5.0,
                           help="seconds from one bookmark to the next (default 5)")
    bookmarks.add_argument("--constant-speed", action="store_true", help="one speed along the whole path")
    for p in (render, bookmarks):
        add_model_options(p)


def run_flythrough(args: argparse.Namespace) -> int:
    """Dispatch `citiverse flythrough SUBCOMMAND`."""
    check_inputs(args)
    if args.flythrough_command == "render":
        check_video_name(args.out)
    if args.flythrough_command == "list":
        return run_list(args)
    config = scene_config(args.scene, args)
    if args.flythrough_command == "bookmarks":
        return run_bookmarks(args, load(args, config))
    if getattr(args, "meeting", None) is not None:  # a recorded meeting (rule 4)
        from viewer.cli.meet import render_meeting

        return render_meeting(args, lambda: load(args, config))
    if getattr(args, "follow", None) or getattr(args, "eyes", None) or not args.path:
        raise ConfigError("--path", "", "name a camera path (--follow and --eyes go with --meeting LOG)")
    find_path(paths_file(args), args.path)  # a wrong name fails before the scene loads
    return run_render(args, load(args, config))


def paths_file(args: argparse.Namespace) -> Path:
    from viewer.flythrough.pathfile import flythrough_file_for

    return Path(args.paths) if getattr(args, "paths", None) else flythrough_file_for(args.scene)


def find_path(file: Path, name: str) -> CameraPath:
    """The path `name` of a flythrough file (rule 1)."""
    from viewer.flythrough.pathfile import load_paths

    paths = load_paths(file)
    if name not in paths:
        known = ", ".join(paths) or "none"
        raise ConfigError(file, f"paths.{name}", f"no such path (the file has: {known})")
    return paths[name]


def describe(path: CameraPath) -> str:
    speed = "constant speed" if path.constant_speed else "keyframe timing"
    return (f"{path.name}: {len(path.keyframes)} keyframes, {path.duration:.1f} s, {path.length:,.0f} m, "
            f"{speed}, ease {path.ease:g} s")


def run_list(args: argparse.Namespace) -> int:
    from viewer.flythrough.pathfile import load_paths

    file = paths_file(args)
    paths = load_paths(file)
    print(f"{file}: {len(paths)} path{'s' * (len(paths) != 1)}")
    for path in paths.values():
        print("  " + describe(path))
    return 0


def run_bookmarks(args: argparse.Namespace, scene: LoadedScene) -> int:
    """Write a path through camera bookmarks of the scene (all of them, in file order, by default), routed over
    the buildings its legs would pass through (rule 3)."""
    from viewer.flythrough.clearance import route_over
    from viewer.flythrough.path import path_from_bookmarks
    from viewer.flythrough.pathfile import save_path

    config = scene.config
    names = [n.strip() for n in args.cameras.split(",") if n.strip()] if args.cameras else list(config.cameras)
    unknown = [n for n in names if n not in config.cameras]
    if unknown:
        raise ConfigError("--cameras", "", f"unknown bookmark {unknown[0]!r} (the scene has: "
                                           f"{', '.join(config.cameras) or 'none'})")
    path = path_from_bookmarks(args.name, [config.cameras[n] for n in names], args.seconds,
                               constant_speed=args.constant_speed, option="--cameras")
    added = ""
    if args.clearance > 0:
        routed, left = route_over(path, city_obstacles(scene), args.clearance)
        more = len(routed.keyframes) - len(path.keyframes)
        added = f" ({more} keyframes added over buildings)" if more else ""
        path = routed
        warn_hits(path.name, left, args.clearance)
    file = save_path(paths_file(args), path)
    print(f"wrote path {describe(path)} to {file}{added}")
    return 0


def city_obstacles(scene: LoadedScene) -> Obstacles:
    from viewer.nav.clearance import CityClearance

    return CityClearance.from_model(scene.model)


def warn_hits(name: str, hits: list[ClearanceHit], clearance: float) -> None:
    """One line on stderr per stretch of the path closer than `clearance` to the city (rule 3)."""
    for hit in hits:
        print(f"warning: path {name} comes within {clearance:g} m of the city at {hit.describe()}",
              file=sys.stderr)


def run_render(args: argparse.Namespace, scene: LoadedScene) -> int:
    from viewer.app.flythrough_render import render_flythrough
    from viewer.app.live import LiveOptions
    from viewer.app.video import ProgressLine
    from viewer.flythrough.clearance import check_path

    path = find_path(paths_file(args), args.path)
    if args.clearance > 0:
        hits = check_path(path, city_obstacles(scene), args.clearance)
        warn_hits(path.name, hits, args.clearance)
        if hits and args.strict_clearance:
            raise RenderError(f"path {path.name} passes within {args.clearance:g} m of the city "
                              f"({len(hits)} time{'s' * (len(hits) != 1)}; see above): nothing rendered "
                              f"(--strict-clearance)")
    progress = None if args.quiet else ProgressLine(f"{path.name}")
    result = render_flythrough(scene, path, args.out, size=args.size, fps=args.fps, feed=args.feed,
                               feed_start=args.feed_start, feed_speed=args.feed_speed,
                               options=LiveOptions.from_cli(args.layers, status_line=args.status_line or None),
                               multisamples=args.multisamples,
                               progress=progress, crf=args.crf)
    print(summary(result))
    return 0


def summary(result: RenderResult) -> str:
    w, h = result.size
    return (f"wrote {result.out} ({result.frames} frames, {w}x{h} at {result.fps:g} fps, "
            f"{result.frames / result.fps:.1f} s of video, rendered at {result.frames_per_second:.1f} fps)")
