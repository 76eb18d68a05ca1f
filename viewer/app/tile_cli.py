"""`citiverse tile SCENE|FILE --out DIR`: read what the viewer loads, write it as a 3D Tiles 1.1 tileset.

No Panda3D here. A scene of one CityJSON, CityJSONSeq or CityGML file is read in chunks (city/chunks.py) and
written through tiles/write_stream.py in memory bounded by a chunk, so a city bigger than memory converts;
anything else is loaded whole through city/scene.py first. A tileset given as input is refused: there is
nothing to convert.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from viewer.city.chunks import LocalChunks, chunked_source
from viewer.city.loaders import is_tileset_source
from viewer.errors import LoadError
from viewer.tiles.write_tileset import TileOptions, check_out, write_streamed, write_tileset


def run(args: argparse.Namespace, load: Callable[[Any], Any], scene_config: Callable[[Any], Any],
        progress: Callable[[str], None]) -> int:
    """Read args.scene (in chunks when it can be, else through `load`, which refuses a scene with nothing to
    draw) and write args.out."""
    check_out(args.out)
    config = scene_config(args.scene)
    refuse_tilesets(config)
    options = TileOptions(max_features=args.max_features_per_tile, min_size=args.min_level_size)
    source = chunked_source(config)
    if source is not None:
        chunks = LocalChunks(config, source)
        summary = write_streamed(chunks, chunks.placed_frame, args.out, options, progress)
        frame = chunks.placed_frame()
    else:
        scene = load(config)
        summary = write_tileset(scene.model, scene.frame, args.out, options, progress)
        frame = scene.frame
    where = "" if frame.georeferenced else " (the scene has no CRS: not placed on earth)"
    print(f"wrote {summary.out.resolve()}/tileset.json: {summary.features:,} features in {summary.tiles:,} tiles, "
          f"{summary.levels} levels, {summary.bytes / 1e6:.1f} MB; whole-city view {summary.root_triangles:,} "
          f"triangles, full detail {summary.leaf_triangles:,}{where}", file=sys.stdout)
    return 0


def refuse_tilesets(config: Any) -> None:
    """A 3D Tiles source is already what `tile` writes: say so instead of writing an empty tileset."""
    for source in config.sources:
        if is_tileset_source(source):
            label = source.url or source.path
            raise LoadError(label, "already a 3D Tiles tileset: nothing to convert (open it with `citiverse view`)")
