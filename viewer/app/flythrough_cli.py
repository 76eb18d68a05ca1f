"""The `citiverse flythrough` commands and the demo video.

    citiverse flythrough render SCENE --path NAME --out tour.mp4 [--feed RECORDING] [--fps 30] [--size WxH]
                                      [--clearance 2] [--strict-clearance]
    citiverse flythrough list SCENE
    citiverse flythrough bookmarks SCENE --name NAME [--cameras a,b,c] [--seconds 5] [--clearance 2]

viewer/cli.py parses the arguments and calls run(args); everything else is here.

Rules:
1. A scene's paths live in its flythrough file (viewer/flythrough/pathfile.py: `city.toml` ->
   `city.flythrough.toml`); `--paths FILE` names another. An unknown path name is a ConfigError listing
   the names the file holds.
2. Progress goes to stderr (a redrawn bar on a terminal, a line every 5 s elsewhere) unless -q; stdout
   gets one line naming what was written, so scripts can capture it.
3. The demo video (render_demo_video): the procedural demo city with the demo source's traffic and energy
   (DemoSource, deterministic from its seed and start time) along a path through the scene's three
   bookmarks, eased at both ends and at constant speed, coming down into the street bookmark's street from
   behind it, never through a house (tests/test_flythrough_clearance.py checks it against the city).
4. Clearance (viewer/flythrough/clearance.py over viewer/nav/clearance.py): `render` warns, one line on
   stderr per stretch of the path closer than --clearance metres (default 2; 0 turns the check off) to the
   city, with its times and the objects, and with --strict-clearance renders nothing; `bookmarks` adds
   keyframes over the buildings its legs would pass through and warns of what it could not route (a
   bookmark inside a building).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import Any

from viewer.app.flythrough_render import RenderResult, render_flythrough
from viewer.app.video import ProgressLine
from viewer.errors import ConfigError, RenderError
from viewer.flythrough.clearance import DEFAULT_CLEARANCE, ClearanceHit, Obstacles, check_path, route_over
from viewer.flythrough.path import CameraPath, Keyframe, path_from_bookmarks
from viewer.flythrough.pathfile import flythrough_file_for, load_paths, save_path

DEMO_START = 1_710_226_800.0  # 2024-03-12 07:00 UTC, a Tuesday morning: traffic building up, offices filling
DEMO_SECONDS = 10.0


def paths_file(args: argparse.Namespace) -> Path:
    return Path(args.paths) if getattr(args, "paths", None) else flythrough_file_for(args.scene)


def find_path(file: Path, name: str) -> CameraPath:
    """The path `name` of a flythrough file (rule 1)."""
    paths = load_paths(file)
    if name not in paths:
        known = ", ".join(paths) or "none"
        raise ConfigError(file, f"paths.{name}", f"no such path (the file has: {known})")
    return paths[name]


def describe(path: CameraPath) -> str:
    speed = "constant speed" if path.constant_speed else "keyframe timing"
    return (f"{path.name}: {len(path.keyframes)} keyframes, {path.duration:.1f} s, {path.length:,.0f} m, "
            f"{speed}, ease {path.ease:g} s")


def cmd_list(args: argparse.Namespace) -> int:
    file = paths_file(args)
    paths = load_paths(file)
    print(f"{file}: {len(paths)} path{'s' * (len(paths) != 1)}")
    for path in paths.values():
        print("  " + describe(path))
    return 0


def cmd_bookmarks(args: argparse.Namespace, scene: Any) -> int:
    """Write a path through camera bookmarks of the scene (all of them, in file order, by default), routed over
    the buildings its legs would pass through (rule 4)."""
    config = scene.config
    names = [n.strip() for n in args.cameras.split(",") if n.strip()] if args.cameras else list(config.cameras)
    unknown = [n for n in names if n not in config.cameras]
    if unknown:
        raise ConfigError("--cameras", "", f"unknown bookmark {unknown[0]!r} (the scene has: "
                                           f"{', '.join(config.cameras) or 'none'})")
    try:
        path = path_from_bookmarks(args.name, [config.cameras[n] for n in names], args.seconds,
                                   constant_speed=args.constant_speed)
    except ValueError as exc:
        raise ConfigError("--cameras", "", str(exc)) from None
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


def city_obstacles(scene: Any) -> Obstacles:
    from viewer.nav.clearance import CityClearance

    return CityClearance.from_model(scene.model)


def warn_hits(name: str, hits: list[ClearanceHit], clearance: float) -> None:
    """One line on stderr per stretch of the path closer than `clearance` to the city (rule 4)."""
    for hit in hits:
        print(f"warning: path {name} comes within {clearance:g} m of the city at {hit.describe()}",
              file=sys.stderr)


def cmd_render(args: argparse.Namespace, scene: Any) -> int:
    from viewer.app.live import LiveOptions

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


def demo_path(config: Any, seconds: float = DEMO_SECONDS, obstacles: Obstacles | None = None) -> CameraPath:
    """The demo's path (rule 3): the overview, a quarter turn round the city lower down, the centre, then
    down into the street the street bookmark looks along, from behind it, and along the street to the
    bookmark (two keyframes on the street's axis keep the last stretch straight, between the houses); routed
    over anything still in the way when `obstacles` are given."""
    cams = config.cameras
    over, centre, street = cams["overview"], cams["centre"], cams["street"]
    ox, oy, oz = over.position
    swing = (-0.85 * oy, 0.85 * ox, 0.7 * oz)  # a quarter turn round the centre, to the south-east
    legs = [(over.position, over.look_at, over.fov), (swing, (0.0, 0.0, 0.0), over.fov),
            (centre.position, centre.look_at, centre.fov),
            (_behind(street, 250.0, 80.0), street.look_at, street.fov),
            (_behind(street, 120.0, 12.0), street.look_at, street.fov),
            (street.position, street.look_at, street.fov)]
    step = seconds / (len(legs) - 1)
    keys = tuple(Keyframe.look(i * step, p, a, f) for i, (p, a, f) in enumerate(legs))
    path = CameraPath("demo", keys, constant_speed=True, ease=min(2.0, seconds / 6.0))
    return path if obstacles is None else route_over(path, obstacles, DEFAULT_CLEARANCE)[0]


def _behind(mark: Any, back: float, up: float) -> tuple[float, float, float]:
    """A point `back` metres behind a bookmark along its level view direction and `up` metres higher."""
    (x, y, z), (ax, ay, _) = mark.position, mark.look_at
    length = math.hypot(ax - x, ay - y) or 1.0
    return (x - back * (ax - x) / length, y - back * (ay - y) / length, z + up)


def render_demo_video(scene: Any, out: Path, size: tuple[int, int] = (1280, 720), fps: float = 30.0,
                      seconds: float = DEMO_SECONDS, seed: int = 42, vehicles: int = 2000,
                      quiet: bool = False) -> RenderResult:
    """The demo city with live demo traffic and energy along demo_path, to an MP4 (rule 3)."""
    from viewer.nav.clearance import CityClearance
    from viewer.sources.demo import DemoSource

    source = DemoSource.from_scene(scene, seed=seed, vehicles=vehicles, start_time=DEMO_START)
    progress = None if quiet else ProgressLine("demo video")
    path = demo_path(scene.config, seconds, CityClearance.from_model(scene.model))
    return render_flythrough(scene, path, out, size=size, fps=fps, feed=source, progress=progress)


def run(args: argparse.Namespace, load: Any, scene_config: Any) -> int:
    """Dispatch `citiverse flythrough SUBCOMMAND`; load(config) loads a scene, scene_config(path) reads one."""
    if args.flythrough_command == "list":
        return cmd_list(args)
    config = scene_config(args.scene)
    if args.flythrough_command == "bookmarks":
        return cmd_bookmarks(args, load(config))
    if getattr(args, "meeting", None) is not None:  # a recorded meeting (app/meeting_cli.py)
        from viewer.app.meeting_cli import render_meeting_command

        return render_meeting_command(args, lambda: load(config), find_path)
    if getattr(args, "follow", None) or getattr(args, "eyes", None) or not args.path:
        raise ConfigError("--path", "", "name a camera path (--follow and --eyes go with --meeting LOG)")
    find_path(paths_file(args), args.path)  # a wrong name fails before the scene loads
    return cmd_render(args, load(config))
