"""`citiverse inspect FILE`: a summary of a model file, a scene or a 3D Tiles tileset (text or --json).

stdout gets the summary only (docs/inspect.md: the --json keys are stable).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from viewer.cli.common import add_model_options, check_inputs, scene_config
from viewer.cli.examples import Command

if TYPE_CHECKING:
    from viewer.config import SceneConfig


def add_inspect(command: Command) -> None:
    inspect = command("inspect", "Summarise a model file: format, CRS, object counts, geometry, bounding box.")
    inspect.add_argument("file", type=Path, help="model file")
    inspect.add_argument("--json", action="store_true", help="print JSON with stable keys (docs/inspect.md)")
    inspect.add_argument("--no-cache", action="store_true",
                         help="accepted as by view and render (inspect always parses the file)")
    add_model_options(inspect)


def run_inspect(args: argparse.Namespace) -> int:
    from viewer.city.inspect import format_text, summarize
    from viewer.city.loaders import load_source

    check_inputs(args)
    if _is_tileset(args.file):
        return _inspect_tileset(args)
    config = scene_config(args.file, args)
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


def _inspect_scene(args: argparse.Namespace, config: SceneConfig) -> int:
    from viewer.city.inspect import format_scene_text, summarize_scene
    from viewer.city.loaders import load_source
    from viewer.city.scene import load_scene_models

    sources = [load_source(s, config.limits) for s in config.sources]
    scene = load_scene_models(config, use_cache=not getattr(args, "no_cache", False))
    summary = summarize_scene(scene, sources)
    print(json.dumps(summary, indent=2) if args.json else format_scene_text(summary))
    return 0


def _terrain_summary(args: argparse.Namespace, config: SceneConfig) -> Any:
    """The terrain the scene (or file) is placed on, and the buildings off it (city/inspect.py)."""
    from viewer.city.inspect import terrain_summary
    from viewer.city.scene import load_scene_models

    return terrain_summary(load_scene_models(config, use_cache=not getattr(args, "no_cache", False)).model)
