"""`citiverse tile SCENE|FILE --out DIR`: read what the viewer loads, write it as a 3D Tiles 1.1 tileset.

No Panda3D here. A scene of one CityJSON, CityJSONSeq or CityGML file is read in chunks (city/chunks.py) and
written through tiles/write_stream.py in memory bounded by a chunk, so a city bigger than memory converts;
anything else is loaded whole through city/scene.py first. A tileset given as input is refused: there is
nothing to convert.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from viewer.cli.common import (
    add_model_options,
    check_inputs,
    feature_count,
    load,
    positive,
    progress,
    scene_config,
)
from viewer.cli.examples import Command
from viewer.errors import LoadError

if TYPE_CHECKING:
    from viewer.config import SceneConfig


def add_tile(command: Command) -> None:
    tile = command("tile", "Write a scene or model file as a 3D Tiles 1.1 tileset (GLB tiles with feature ids "
                           "and properties, levels of detail) for CesiumJS and other 3D Tiles viewers.")
    tile.add_argument("scene", type=Path, help="scene .toml or model file")
    tile.add_argument("--out", type=Path, required=True, help="folder to write (replaced whole when it holds a "
                                                              "tileset; written only when complete)")
    tile.add_argument("--max-features-per-tile", type=feature_count, default=1000, metavar="N",
                      help="split tiles until each holds at most N features (default 1000)")
    tile.add_argument("--min-level-size", type=positive, default=25.0, metavar="METRES",
                      help="do not split a tile whose buildings' centres span less (default 25)")
    tile.add_argument("--no-cache", action="store_true", help="parse the files again, ignoring the geometry cache")
    add_model_options(tile)


def run_tile(args: argparse.Namespace) -> int:
    """Read args.scene (in chunks when it can be, else loaded whole, refusing a scene with nothing to draw) and
    write args.out."""
    from viewer.city.chunks import LocalChunks, chunked_source
    from viewer.tiles.write_tileset import TileOptions, check_out, write_streamed, write_tileset

    check_inputs(args)
    check_out(args.out)
    config = scene_config(args.scene, args)
    refuse_tilesets(config)
    options = TileOptions(max_features=args.max_features_per_tile, min_size=args.min_level_size)
    source = chunked_source(config)
    report = progress(args)
    if source is not None:
        chunks = LocalChunks(config, source)
        summary = write_streamed(chunks, chunks.placed_frame, args.out, options, report)
        frame = chunks.placed_frame()
    else:
        scene = load(args, config)
        summary = write_tileset(scene.model, scene.frame, args.out, options, report)
        frame = scene.frame
    where = "" if frame.georeferenced else " (the scene has no CRS: not placed on earth)"
    print(f"wrote {summary.out.resolve()}/tileset.json: {summary.features:,} features in {summary.tiles:,} tiles, "
          f"{summary.levels} levels, {summary.bytes / 1e6:.1f} MB; whole-city view {summary.root_triangles:,} "
          f"triangles, full detail {summary.leaf_triangles:,}{where}", file=sys.stdout)
    return 0


def refuse_tilesets(config: SceneConfig) -> None:
    """A 3D Tiles source is already what `tile` writes: say so instead of writing an empty tileset."""
    from viewer.city.loaders import is_tileset_source

    for source in config.sources:
        if is_tileset_source(source):
            label = source.url or source.path or "the tileset"
            raise LoadError(label, "already a 3D Tiles tileset: nothing to convert (open it with `citiverse view`)")
