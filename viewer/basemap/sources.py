"""Tile sources: where the pixels of a web-mercator tile come from, and the text crediting them.

Rules this module keeps:
1. Every source answers for XYZ tiles (mercator.py) of tile_size pixels between min_zoom and max_zoom.
   Remote sources (XYZ/TMS templates, WMTS) only say which URL holds a tile (`url`); net/tile_fetch.py
   fetches it. Local sources (MBTiles, GeoTIFF, the neutral map) make the tile themselves (`render`, (s, s, 4)
   uint8 RGBA, alpha 0 where they have nothing), called on the fetcher's worker threads.
2. `parse_source` turns the scene's or the command line's spelling into a source:
   "none" | "map" | an http(s) template with {z} {x} {y} (optional {s} subdomains, {-y} or a "tms:" prefix
   for TMS rows, {q} quadkey) | "wmts:" + a capabilities URL or file (or a URL naming WMTSCapabilities /
   GetCapabilities) | a .mbtiles file | a .tif/.tiff GeoTIFF orthophoto. Anything else is a ConfigError
   naming what was given.
3. Attribution: the scene's override, else what the source declares (MBTiles metadata, WMTS
   ServiceProvider/Attribution), else the template's host; the neutral map credits the scene's own data.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from viewer.basemap.mercator import Tile, quadkey
from viewer.errors import ConfigError, LoadError

DEFAULT_MAX_ZOOM = 19
MAX_TEMPLATE = 2048
KINDS = ("imagery", "map", "none")


@dataclass(frozen=True)
class UrlSource:
    """A remote tile source: an XYZ/TMS template, or a WMTS layer turned into one (wmts.py)."""

    template: str
    attribution: str
    subdomains: tuple[str, ...] = ()
    tms: bool = False
    min_zoom: int = 0
    max_zoom: int = DEFAULT_MAX_ZOOM
    tile_size: int = 256
    name: str = ""
    matrix_ids: tuple[str, ...] = ()  # WMTS: TileMatrix identifier per zoom (index = z); empty: z itself
    kind: str = "imagery"
    remote: bool = True

    @property
    def key(self) -> str:
        """A stable name for the disk cache: a hash of everything that decides a tile's bytes."""
        text = "|".join([self.template, ",".join(self.subdomains), str(self.tms), ",".join(self.matrix_ids)])
        return hashlib.sha256(text.encode()).hexdigest()[:20]

    def url(self, tile: Tile) -> str:
        """The URL of an XYZ tile (rule 1)."""
        y = tile.tms_y() if self.tms else tile.y
        matrix = self.matrix_ids[tile.z] if self.matrix_ids else str(tile.z)
        text = (self.template.replace("{z}", matrix).replace("{x}", str(tile.x)).replace("{y}", str(y))
                .replace("{-y}", str(tile.tms_y())).replace("{q}", quadkey(tile)))
        if self.subdomains:
            text = text.replace("{s}", self.subdomains[(tile.x + tile.y) % len(self.subdomains)])
        return text

    def render(self, tile: Tile) -> np.ndarray | None:  # pragma: no cover - remote sources are fetched
        raise NotImplementedError


def xyz_source(template: str, attribution: str | None = None, subdomains: str | None = None,
               max_zoom: int | None = None, label: str = "basemap.source") -> UrlSource:
    """An XYZ (or TMS with {-y} / "tms:") template source (rule 2)."""
    tms = template.startswith("tms:")
    template = template.removeprefix("tms:")
    if len(template) > MAX_TEMPLATE:
        raise ConfigError(label, "", f"URL template longer than {MAX_TEMPLATE} characters")
    parts = urlsplit(template)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(label, "", f"{template!r} is not an http(s) URL template")
    has_xy = "{x}" in template and ("{y}" in template or "{-y}" in template)
    if not (has_xy and "{z}" in template) and "{q}" not in template:
        raise ConfigError(label, "", f"{template!r} lacks {{z}}, {{x}} and {{y}} (or {{q}})")
    subs = tuple(subdomains) if subdomains else (("a", "b", "c") if "{s}" in template else ())
    host = parts.netloc.replace("{s}.", "")
    return UrlSource(template, attribution or f"Tiles: {host}", subs, tms,
                     max_zoom=DEFAULT_MAX_ZOOM if max_zoom is None else max_zoom, name=host)


class MBTilesSource:
    """Tiles from an MBTiles file (SQLite; tile_row counts from the south: mercator.tms_flip)."""

    kind, remote, tile_size = "imagery", False, 256

    def __init__(self, path: Path, attribution: str | None = None) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise LoadError(self.path, "MBTiles file not found")
        self._local = threading.local()  # one read-only connection per worker thread
        try:
            meta = dict(self._db().execute("SELECT name, value FROM metadata").fetchall())
            zooms = self._db().execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
        except sqlite3.DatabaseError as exc:
            raise LoadError(self.path, f"not an MBTiles file: {exc}") from None
        if meta.get("format", "png") not in ("png", "jpg", "jpeg", "webp"):
            raise LoadError(self.path, f"holds {meta.get('format')!r} tiles; only raster (png, jpg, webp) drape")
        self.min_zoom = _int(meta.get("minzoom"), zooms[0] if zooms[0] is not None else 0)
        self.max_zoom = _int(meta.get("maxzoom"), zooms[1] if zooms[1] is not None else 0)
        self.attribution = attribution or _plain(str(meta.get("attribution") or "")) or f"Imagery: {self.path.name}"
        self.name = str(meta.get("name") or self.path.name)

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            try:
                db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            except sqlite3.Error as exc:
                raise LoadError(self.path, f"cannot open: {exc}") from None
            self._local.db = db
        return db

    def tile_bytes(self, tile: Tile) -> bytes | None:
        row = self._db().execute("SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                                 (tile.z, tile.x, tile.tms_y())).fetchone()
        return bytes(row[0]) if row else None

    def render(self, tile: Tile) -> np.ndarray | None:
        from viewer.basemap.images import decode_tile

        data = self.tile_bytes(tile)
        return None if data is None else decode_tile(data, self.tile_size, f"{self.path.name} {tile}")


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return int(default)


def _plain(text: str) -> str:
    """Attribution text without HTML tags (MBTiles often carry links)."""
    import re

    return re.sub(r"<[^>]*>", "", text).replace("&copy;", "(c)").replace("&amp;", "&").strip()[:200]


def check_spelling(text: str, label: str = "--basemap") -> None:
    """A ConfigError now for a spelling parse_source would refuse, before any file or URL is opened."""
    spec = text.strip()
    lowered = spec.lower()
    if spec in ("none", "map") or lowered.startswith("wmts:") or lowered.endswith((".mbtiles", ".tif", ".tiff")):
        return
    if lowered.startswith(("http://", "https://")) and ("wmtscapabilities" in lowered or "getcapabilities" in lowered):
        return
    if lowered.startswith(("http://", "https://", "tms:")):
        xyz_source(spec, label=label)
        return
    raise ConfigError(label, "", f"{text!r} is not a base map: give none, map, an http(s) {{z}}/{{x}}/{{y}} "
                                 "template, wmts:<capabilities URL or file>, a .mbtiles or a GeoTIFF (.tif)")


def parse_source(text: str, base: Path | None, frame: Any = None, model: Any = None,
                 attribution: str | None = None, label: str = "basemap.source",
                 crs: str | None = None, layer: str | None = None, fetch: Any = None) -> Any:
    """The source a spelling names (rule 2); None for "none". base: folder relative paths start from;
    fetch: (url, byte limit) -> bytes, for a WMTS capabilities URL (net/tile_fetch.py fetch_document)."""
    spec = text.strip()
    if spec == "none":
        return None
    if spec == "map":
        from viewer.basemap.neutral import MapSource

        return MapSource(model, frame, attribution)
    lowered = spec.lower()
    if lowered.startswith("wmts:") or (lowered.startswith(("http://", "https://"))
                                       and ("wmtscapabilities" in lowered or "getcapabilities" in lowered)):
        from viewer.basemap.wmts import wmts_source

        return wmts_source(spec[5:] if lowered.startswith("wmts:") else spec, base, layer, attribution, fetch)
    if lowered.startswith(("http://", "https://", "tms:")):
        return xyz_source(spec, attribution, label=label)
    path = Path(spec)
    if base is not None and not path.is_absolute():
        path = base / path
    if lowered.endswith(".mbtiles"):
        return MBTilesSource(path, attribution)
    if lowered.endswith((".tif", ".tiff")):
        from viewer.basemap.orthophoto import GeoTiffSource

        return GeoTiffSource(path, frame, attribution, crs)
    raise ConfigError(label, "", f"{text!r} is not a base map: give none, map, an http(s) {{z}}/{{x}}/{{y}} "
                                 "template, wmts:<capabilities URL or file>, a .mbtiles or a GeoTIFF (.tif)")
