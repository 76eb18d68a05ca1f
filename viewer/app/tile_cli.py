"""`citiverse tile SCENE|FILE --out DIR`: load what the viewer loads, write it as a 3D Tiles 1.1 tileset.

No Panda3D here: loading goes through city/scene.py, writing through tiles/write_tileset.py. The whole model
is loaded first (no streaming of CityJSONSeq or CityGML yet), so memory is what `view` needs for it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from viewer.tiles.write_tileset import TileOptions, check_out, write_tileset


def run(args: argparse.Namespace, load: Callable[[Any], Any], scene_config: Callable[[Any], Any],
        progress: Callable[[str], None]) -> int:
    """Load args.scene (through `load`, which refuses a scene with nothing to draw), write args.out."""
    check_out(args.out)
    scene = load(scene_config(args.scene))
    options = TileOptions(max_features=args.max_features_per_tile, min_size=args.min_level_size)
    summary = write_tileset(scene.model, scene.frame, args.out, options, progress)
    where = "" if scene.frame.georeferenced else " (the scene has no CRS: not placed on earth)"
    print(f"wrote {summary.out.resolve()}/tileset.json: {summary.features:,} features in {summary.tiles:,} tiles, "
          f"{summary.levels} levels, {summary.bytes / 1e6:.1f} MB; whole-city view {summary.root_triangles:,} "
          f"triangles, full detail {summary.leaf_triangles:,}{where}", file=sys.stdout)
    return 0
