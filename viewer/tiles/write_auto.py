"""Tile a big scene on first load, into the cache, so a person who opens a whole city gets it streamed.

Rules:
1. Only a scene that city/chunks.py reads in chunks (one CityJSON, CityJSONSeq or CityGML file, nothing to seat
   it on) and whose file is larger than [limits] auto_tile_mb megabytes is tiled; anything else loads as
   before. The scene then opens the tileset in place of the file (app/tiles_scene.py streams it).
2. The tileset's folder is cache_dir()/tiles/KEY. KEY covers the file's content, the loader code and source
   options (city/cache.py cache_key), the tile writer's code, the scene's crs and origin and the tile
   options: a changed file or writer is tiled again, an unchanged one is reused (its tileset.json touched).
   write_tileset.py rule 1 makes a folder with a tileset.json a complete one.
3. At most KEEP_TILESETS tilesets stay in the cache: the least recently used ones beyond are removed after a
   new one is written (a 1M-building tileset is about 1.2 GB).
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable
from pathlib import Path

from viewer.city.cache import cache_dir, cache_key, modules_digest
from viewer.city.chunks import LocalChunks, chunked_source
from viewer.city.loaders import detect_format
from viewer.config import SceneConfig, SourceConfig
from viewer.tiles.write_tileset import TileOptions, write_streamed

KEEP_TILESETS = 3
_WRITER_MODULES = ("viewer.tiles.write_stream", "viewer.tiles.write_tileset", "viewer.tiles.write_hlod",
                   "viewer.tiles.write_mesh", "viewer.tiles.write_glb", "viewer.tiles.write_place",
                   "viewer.tiles.write_auto", "viewer.city.chunks")
Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def auto_tileset(config: SceneConfig, reuse: bool = True, progress: Progress = _quiet) -> SceneConfig:
    """`config` with its big file replaced by its cached tileset (rule 1), written first when missing (or when
    reuse is False); `config` itself when it is not big or not read in chunks."""
    source = chunked_source(config)
    if source is None or source.path is None:
        return config
    path = Path(source.path)
    size_mb = path.stat().st_size / 1e6
    if size_mb <= config.limits.auto_tile_mb:
        return config
    options = TileOptions()
    folder = cache_dir() / "tiles" / _key(config, source, path, options)
    tileset = folder / "tileset.json"
    if reuse and tileset.is_file():
        tileset.touch()
        progress(f"{path.name}: streaming its tileset from the cache ({folder})")
    else:
        progress(f"{path.name}: {size_mb:,.0f} MB is over [limits] auto_tile_mb = {config.limits.auto_tile_mb:,}: "
                 f"tiling it once into the cache so it streams ({folder})")
        chunks = LocalChunks(config, source)
        write_streamed(chunks, chunks.placed_frame, folder, options, progress)
        _prune(folder)
    tiled = SourceConfig(path=tileset, format="3dtiles", crs=None)
    return dataclasses.replace(config, sources=(tiled,))


def _key(config: SceneConfig, source: SourceConfig, path: Path, options: TileOptions) -> str:
    content = cache_key(path, source.format or detect_format(path), source)
    frame = json.dumps([config.crs, config.origin, config.origin_lonlat, dataclasses.asdict(options)], default=str)
    return modules_digest(_WRITER_MODULES, f"{content} {frame}")


def _prune(keep: Path) -> None:
    """Rule 3: remove the least recently used tilesets beyond KEEP_TILESETS."""
    found = []
    for folder in keep.parent.iterdir():
        tileset = folder / "tileset.json"
        if folder != keep and tileset.is_file():
            found.append((tileset.stat().st_mtime, folder))
    for _, folder in sorted(found, reverse=True)[KEEP_TILESETS - 1:]:
        shutil.rmtree(folder, ignore_errors=True)
