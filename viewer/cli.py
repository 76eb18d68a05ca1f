"""The `citiverse` command. Thin: parse arguments, load a scene, call an app; errors become one clear line.

Panda3D and the loaders are imported inside the commands that need them, so `citiverse --help` starts fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from viewer import __version__
from viewer.errors import CitiverseError

EXAMPLES = {
    "view": """examples:
  citiverse view scenes/demo.toml
  citiverse view ../shared/data/cityjson_delft/delft.json --camera overview
  citiverse view model.geojson --crs EPSG:3946 --height-attribute HAUTEUR""",
    "render": """examples:
  citiverse render scenes/demo.toml --out demo.png
  citiverse render ../shared/data/cityjson_delft/delft.json --out delft.png --size 1920x1080
  citiverse render scenes/demo.toml --camera street --out street.png""",
    "inspect": """examples:
  citiverse inspect ../shared/data/cityjson_denhaag/DenHaag_01.city.json
  citiverse inspect ../shared/data/osm_monaco/derived/monaco_buildings.geojson --json
  citiverse inspect ../shared/data/cityjson_3dbag_multilod/*.json --crs EPSG:7415 --lod 1.2""",
    "demo": """examples:
  citiverse demo                       # a window with a display, else writes citiverse-demo.png
  citiverse demo --headless --out city.png --seed 7 --buildings 5000""",
}


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1280x720, got {text!r}") from None
    if not (16 <= w <= 8192 and 16 <= h <= 8192):
        raise argparse.ArgumentTypeError("width and height must be between 16 and 8192")
    return w, h


def _add_model_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("options for a model file given instead of a scene")
    g.add_argument("--crs", help="CRS of the file when it declares none or declares it wrongly (e.g. EPSG:7415)")
    g.add_argument("--lod", default="highest", help='CityJSON level of detail: "highest" (default) or e.g. 2.2')
    g.add_argument("--height-attribute", help="GeoJSON property holding building heights in metres")
    g.add_argument("--format", help="force a loader (cityjson, geojson, gltf, obj, ply, sumo-net, sumo-poly)")


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
    _add_model_options(view)

    render = command("render", "Render a scene or model headless (offscreen OpenGL) to a PNG.")
    render.add_argument("scene", type=Path, help="scene .toml or model file")
    render.add_argument("--out", type=Path, required=True, help="PNG file to write")
    render.add_argument("--size", type=_size, default=(1280, 720), help="image size WxH (default 1280x720)")
    render.add_argument("--camera", help="camera bookmark of the scene (default: framed on the model)")
    render.add_argument("--no-cache", action="store_true", help="parse the files again, ignoring the geometry cache")
    _add_model_options(render)

    inspect = command("inspect", "Summarise a model file: format, CRS, object counts, geometry, bounding box.")
    inspect.add_argument("file", type=Path, help="model file")
    inspect.add_argument("--json", action="store_true", help="print JSON with stable keys (docs/inspect.md)")
    _add_model_options(inspect)

    demo = command("demo", "Show the procedural demo city: a window when there is a display, else a PNG.")
    demo.add_argument("--seed", type=int, default=42, help="city seed (default 42)")
    demo.add_argument("--buildings", type=int, default=3000, help="number of buildings (default 3000)")
    demo.add_argument("--headless", action="store_true", help="render a PNG even when a display is present")
    demo.add_argument("--out", type=Path, default=Path("citiverse-demo.png"), help="PNG to write when headless")
    demo.add_argument("--size", type=_size, default=(1280, 720), help="image size WxH (default 1280x720)")
    return parser


def has_display() -> bool:
    """Whether a window can open: always on macOS and Windows; on Linux an X11 or Wayland display is needed."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _scene_config(path: Path, args: argparse.Namespace) -> Any:
    from viewer.config import SceneConfig, load_scene

    if path.suffix.lower() == ".toml":
        return load_scene(path)
    options = {"crs": args.crs, "lod": str(args.lod), "height_attribute": args.height_attribute,
               "format": args.format}
    return SceneConfig.for_file(path, **{k: v for k, v in options.items() if v is not None})


def _progress(args: argparse.Namespace) -> Callable[[str], None]:
    start = time.perf_counter()

    def report(line: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - start:6.2f} s] {line}", file=sys.stderr, flush=True)

    return report


def _load(args: argparse.Namespace, config: Any) -> Any:
    from viewer.city.scene import load_scene_models

    return load_scene_models(config, use_cache=not getattr(args, "no_cache", False), progress=_progress(args))


def cmd_view(args: argparse.Namespace) -> int:
    if not has_display():
        print(f"citiverse: no display here to open a window on; render offscreen instead:\n"
              f"  citiverse render {args.scene} --out shot.png", file=sys.stderr)
        return 2
    scene = _load(args, _scene_config(args.scene, args))
    from viewer.app.window import run_window

    run_window(scene, camera=args.camera)
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    scene = _load(args, _scene_config(args.scene, args))
    from viewer.app.headless import render_scene_png

    out = render_scene_png(scene, args.out, size=args.size, camera=args.camera)
    print(f"wrote {out}")
    return 0


def cmd_inspect(args: argparse.Namespace) -> int:
    from viewer.city.inspect import format_text, summarize
    from viewer.city.loaders import load_source

    config = _scene_config(args.file, args)
    summary = summarize(load_source(config.sources[0], config.limits))
    print(json.dumps(summary, indent=2) if args.json else format_text(summary))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from viewer.city.demo import demo_scene

    if not 1 <= args.buildings <= 1_000_000:
        raise SystemExit("citiverse demo: --buildings must be between 1 and 1,000,000")
    config = demo_scene(seed=args.seed, buildings=args.buildings)
    windowed = has_display() and not args.headless
    scene = _load(args, config)
    if windowed:
        from viewer.app.window import run_window

        run_window(scene, camera=None)
        return 0
    from viewer.app.headless import render_scene_png

    out = render_scene_png(scene, args.out, size=args.size, camera="overview")
    reason = "" if args.headless else " (no display found, so it was rendered offscreen)"
    print(f"wrote the demo city to {out.resolve()}{reason}")
    return 0


COMMANDS = {"view": cmd_view, "render": cmd_render, "inspect": cmd_inspect, "demo": cmd_demo}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
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
