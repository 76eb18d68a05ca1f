"""`citiverse inspect TILESET.json`: a tileset's tree in stable keys (the CLI's dispatch calls this; city/ sits
below tiles/ in the layers, so viewer/city/inspect.py cannot).

Keys: format ("3dtiles"), path, version, crs, tiles, levels, tiles_per_level, contents, content_kinds (by file
extension), features (objects and point batches of every content, decoded, when the contents are local and
add up to at most FEATURE_BYTES; else null), bbox_lonlat ([minlon, minlat, maxlon, maxlat] of the root
volume), truncated (the walk stopped at max_tiles: an implicit tree can hold billions of tiles).
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import Transformer

from viewer.city.limits import DEFAULT_LIMITS
from viewer.config import Limits
from viewer.errors import LimitExceeded
from viewer.geo.frame import to_lonlat
from viewer.tiles.content import decode_content
from viewer.tiles.placement import ECEF
from viewer.tiles.tile import Tile
from viewer.tiles.tileset import open_tileset
from viewer.tiles.uris import extension, is_url
from viewer.tiles.volumes import Region

FEATURE_BYTES = 64 << 20
MAX_TILES = 100_000
ON_THE_GLOBE = 6.0e6  # metres from the earth's centre: the lowest ground is 6,352 km from it


def summarize_tileset(path: str | Path, limits: Limits = DEFAULT_LIMITS, crs: str = ECEF,
                      max_tiles: int = MAX_TILES) -> dict[str, Any]:
    tileset = open_tileset(path, limits=limits, crs=crs)
    tiles, truncated = _walk(tileset.root, max_tiles)
    per_level = Counter(t.depth for t in tiles)
    contents = [(t, c.uri) for t in tiles for c in t.contents]
    return {
        "format": "3dtiles",
        "path": tileset.uri,
        "version": tileset.version,
        "crs": crs,
        "tiles": len(tiles),
        "levels": max(per_level) + 1,
        "tiles_per_level": [per_level[d] for d in range(max(per_level) + 1)],
        "contents": len(contents),
        "content_kinds": dict(sorted(Counter(extension(uri).lstrip(".") or "?" for _, uri in contents).items())),
        "features": None if truncated else _features(contents, tileset.crs, limits),
        "bbox_lonlat": _bbox_lonlat(tileset.root, crs),
        "truncated": truncated,
    }


def _walk(root: Tile, max_tiles: int) -> tuple[list[Tile], bool]:
    out: list[Tile] = []
    stack = [root]
    while stack:
        if len(out) >= max_tiles:
            return out, True
        tile = stack.pop()
        out.append(tile)
        stack.extend(reversed(tile.children()))
    return out, False


def _features(contents: list[tuple[Tile, str]], crs: str, limits: Limits) -> int | None:
    """Objects and point batches of every content, when they are cheap to know (module docstring)."""
    if any(is_url(uri) for _, uri in contents):
        return None
    if sum(os.path.getsize(uri) for _, uri in contents if os.path.isfile(uri)) > FEATURE_BYTES:
        return None
    try:
        return sum(decode_content(uri, Path(uri).read_bytes(), tile.transform, limits=limits, crs=crs)
                   .feature_count for tile, uri in contents)
    except (LimitExceeded, OSError):
        return None


def _bbox_lonlat(root: Tile, crs: str) -> list[float] | None:
    volume = root.bounding_volume
    if isinstance(volume, Region):
        west, south, east, north = volume.lonlat_bounds()
        return [round(v, 7) for v in (west, south, east, north)]
    corners = volume.box().corners()
    if crs == ECEF and float(np.linalg.norm(corners.mean(axis=0))) < ON_THE_GLOBE:
        return None  # a sample or a model near the earth's centre: it has no place on the globe to report
    if crs == ECEF:
        lon, lat, _ = Transformer.from_crs("EPSG:4978", "EPSG:4979", always_xy=True).transform(
            corners[:, 0], corners[:, 1], corners[:, 2])
        lonlat = np.column_stack([lon, lat])
    else:
        lonlat = to_lonlat(corners[:, :2], crs)
    if not np.isfinite(lonlat).all():
        return None
    return [round(float(v), 7) for v in (*lonlat.min(axis=0), *lonlat.max(axis=0))]


def format_tileset_text(summary: dict[str, Any]) -> str:
    lines = [f"{summary['path']}  (3D Tiles {summary['version']}, {summary['crs']})",
             f"  tiles      {summary['tiles']:,} in {summary['levels']} levels: "
             + " ".join(str(n) for n in summary["tiles_per_level"]) + (" (truncated)" if summary["truncated"] else ""),
             f"  contents   {summary['contents']:,}: "
             + ", ".join(f"{k} {v}" for k, v in summary["content_kinds"].items())]
    if summary["features"] is not None:
        lines.append(f"  features   {summary['features']:,}")
    if summary["bbox_lonlat"]:
        ll = summary["bbox_lonlat"]
        lines.append(f"  lon/lat    {ll[0]:.6f}, {ll[1]:.6f} - {ll[2]:.6f}, {ll[3]:.6f}")
    return "\n".join(lines)
