"""`citiverse view`, `render` and `demo`: a window on a scene, a still of it, the procedural demo city.

Rules:
1. A display is looked for only after the inputs are checked (common.check_inputs); without one, `view`
   says how to render offscreen instead (exit 2) and `demo` renders its video or still offscreen.
2. stdout gets one line naming what was written.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from viewer.cli.common import (
    VIDEO_SUFFIX,
    add_basemap_option,
    add_live_options,
    add_look_options,
    add_model_options,
    check_inputs,
    control_request,
    feed_token,
    has_display,
    load,
    positive,
    scene_config,
    size_wxh,
    with_look,
)
from viewer.cli.examples import Command
from viewer.errors import CitiverseError, ConfigError


def add_view(command: Command) -> None:
    view = command("view", "Open a window on a scene file (.toml) or a model file.")
    view.add_argument("scene", type=Path, help="scene .toml or model file")
    view.add_argument("--camera", help="start at this camera bookmark of the scene")
    view.add_argument("--no-cache", action="store_true", help="parse the files again, ignoring the geometry cache")
    add_live_options(view, window=True)
    add_basemap_option(view)
    add_look_options(view)
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
    add_model_options(view)


def add_render(command: Command) -> None:
    render = command("render", "Render a scene or model headless (offscreen OpenGL) to a PNG.")
    render.add_argument("scene", type=Path, help="scene .toml or model file")
    render.add_argument("--out", type=Path, required=True, help="image to write: .png, or .jpg for JPEG")
    render.add_argument("--size", type=size_wxh, default=(1280, 720), help="image size WxH (default 1280x720)")
    render.add_argument("--camera", help="camera bookmark of the scene (default: framed on the model)")
    render.add_argument("--no-cache", action="store_true", help="parse the files again, ignoring the geometry cache")
    add_live_options(render, window=False)
    add_basemap_option(render)
    add_look_options(render)
    add_model_options(render)


def add_demo(command: Command) -> None:
    demo = command("demo", "Show the procedural demo city with live demo traffic and energy: a window when "
                           "there is a display, else a flythrough video.")
    demo.add_argument("--seed", type=int, default=42, help="city seed (default 42)")
    demo.add_argument("--buildings", type=int, default=3000, help="number of buildings (default 3000)")
    demo.add_argument("--vehicles", type=int, default=2000, help="demo traffic: number of vehicles (default 2000)")
    demo.add_argument("--headless", action="store_true", help="render the video even when a display is present")
    demo.add_argument("--out", type=Path, help="file to write when headless: an MP4 flythrough (default "
                                               "citiverse-demo.mp4), or a still of the city for a .png or "
                                               ".jpg name")
    demo.add_argument("--seconds", type=positive, default=10.0, help="length of the video (default 10)")
    demo.add_argument("--fps", type=positive, default=30.0, help="video frames per second (default 30)")
    demo.add_argument("--size", type=size_wxh, default=(1280, 720),
                      help="video or image size WxH (default 1280x720)")
    add_look_options(demo)


def run_view(args: argparse.Namespace) -> int:
    check_inputs(args)
    control = control_request(args)  # a wrong port is said before anything loads
    if not has_display():
        print(f"citiverse: no display here to open a window on; render offscreen instead:\n"
              f"  citiverse render {args.scene} --out shot.png", file=sys.stderr)
        return 2
    if args.meet and not (args.token or os.environ.get("CITIVERSE_MEET_TOKEN")):
        print("citiverse: --meet needs a join token: --token T or $CITIVERSE_MEET_TOKEN", file=sys.stderr)
        return 2
    scene = load(args, scene_config(args.scene, args))
    from viewer.app.window import FeedRequest, MeetRequest, run_window

    feed = FeedRequest(args.feed, args.layers, feed_token(args), args.cafile, args.speed, args.loop) \
        if args.feed else None
    meet = MeetRequest(args.meet, args.token or os.environ["CITIVERSE_MEET_TOKEN"], args.name) if args.meet else None
    run_window(scene, camera=args.camera, feed=feed, meet=meet, flythrough=args.paths,
               screenshot_dir=args.screenshot_dir, control=control)
    return 0


def run_render(args: argparse.Namespace) -> int:
    check_inputs(args)
    from viewer.app.image_file import image_format

    image_format(args.out)  # before the scene loads: a name we cannot write is known now
    scene = load(args, scene_config(args.scene, args))
    if args.feed:
        from viewer.app.live import LiveOptions
        from viewer.app.live_headless import render_live_png

        out = render_live_png(scene, args.feed, args.out, size=args.size, camera=args.camera, at_time=args.at,
                              options=LiveOptions.from_cli(args.layers, status_line=args.status_line or None),
                              token=feed_token(args),
                              cafile=args.cafile)
    else:
        from viewer.app.image_file import render_still

        out = render_still(scene, args.out, size=args.size, camera=args.camera)
    print(f"wrote {out}")
    return 0


def run_demo(args: argparse.Namespace) -> int:
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
    config = with_look(demo_scene(seed=args.seed, buildings=args.buildings), args)
    scene = load(args, config)
    if windowed:
        from viewer.app.flythrough_demo import DEMO_START
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
    from viewer.app.flythrough_demo import render_demo_video

    result = render_demo_video(scene, out, size=args.size, fps=args.fps, seconds=args.seconds, seed=args.seed,
                               vehicles=args.vehicles, quiet=args.quiet)
    print(f"wrote the demo flythrough to {result.out.resolve()}{reason}: {result.frames} frames, "
          f"{result.frames / result.fps:.0f} s at {result.fps:g} fps with live demo traffic and energy")
    return 0
