"""A GeoTIFF orthophoto in any CRS as a tile source: each web-mercator tile resampled from it.

Rules this module keeps:
1. Georeferencing is city/geotiff.py's (ModelPixelScale + ModelTiepoint or ModelTransformation, PixelIsArea
   or PixelIsPoint, the CRS from the GeoKeys); a file without a CRS takes `crs` (the scene's [basemap] crs),
   else the scene's; none at all is a LoadError naming the file.
2. Bands: 1 (grey), 3 (RGB) or 4 (RGBA), bands first or last, 8 or 16 bits (16 scaled by the file's
   largest value); at most MAX_PIXELS pixels, checked before the pixels are read.
3. A tile's pixel centres go lon/lat -> the file's CRS -> fractional pixel (nearest sample); pixels off the
   photo are transparent, and a tile wholly off it renders as None (nothing to draw).
4. max_zoom is the zoom whose pixels first get finer than the photo's own (mercator.zoom_for_resolution).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from viewer.basemap.mercator import Tile, world_to_lonlat, zoom_for_resolution
from viewer.errors import CitiverseError, LoadError

MAX_PIXELS = 400_000_000


class GeoTiffSource:
    """Rules 1-4."""

    kind, remote, tile_size, min_zoom = "imagery", False, 256, 0

    def __init__(self, path: Path, frame: Any = None, attribution: str | None = None, crs: str | None = None) -> None:
        import tifffile  # only orthophoto scenes need it

        # geotiff.py's georeferencing helpers, shared with the DEM reader (rule 1)
        from viewer.city.geotiff import KEY_RASTER_TYPE, PIXEL_IS_POINT, TAG_GEOKEYS, _crs, _geokeys, _matrix

        self.path = Path(path)
        if not self.path.is_file():
            raise LoadError(self.path, "orthophoto file not found")
        try:
            with tifffile.TiffFile(self.path) as tif:
                page: Any = tif.pages[0]
                if int(np.prod(page.shape)) > MAX_PIXELS * 4:
                    raise LoadError(self.path, f"{page.shape} samples is more than the limit of {MAX_PIXELS:,} pixels")
                tags = {tag.code: tag.value for tag in page.tags}
                pixels = np.asarray(page.asarray())
        except (tifffile.TiffFileError, ValueError, OSError, IndexError) as exc:
            if isinstance(exc, LoadError):
                raise
            raise LoadError(self.path, f"not a readable TIFF: {exc}") from None
        keys = _geokeys(tags.get(TAG_GEOKEYS))
        self.matrix = _matrix(self.path, tags, keys.get(KEY_RASTER_TYPE) == PIXEL_IS_POINT)
        found = _crs(keys) or crs or (frame.crs if frame is not None else None)
        if found is None:
            raise LoadError(self.path, "the orthophoto declares no CRS and the scene has none: set [basemap] crs")
        self.crs: str = str(found)
        self.rgba = _as_rgba(self.path, pixels)
        self.inverse = np.linalg.inv(self.matrix[:, :2])
        self.attribution = attribution or f"Imagery: {self.path.name}"
        self.name = self.path.name
        self.max_zoom = self._native_zoom()

    def _native_zoom(self) -> int:
        from viewer.geo.frame import is_geographic, transform_xy

        rows, cols = self.rgba.shape[:2]
        centre = self.matrix @ np.array([cols / 2, rows / 2, 1.0])
        try:
            lonlat = transform_xy(centre[None, :], self.crs, "EPSG:4326")[0]
            geographic = is_geographic(self.crs)
        except CitiverseError as exc:
            raise LoadError(self.path, f"cannot place the orthophoto ({self.crs}): {exc}") from None
        pixel = float(np.sqrt(abs(np.linalg.det(self.matrix[:, :2]))))
        if geographic:
            pixel *= 111_320.0 * np.cos(np.radians(lonlat[1]))
        return zoom_for_resolution(pixel, float(lonlat[1]), self.tile_size)

    def render(self, tile: Tile) -> np.ndarray | None:
        from viewer.geo.frame import transform_xy

        s = self.tile_size
        u0, v0, u1, v1 = tile.world_rect()
        centres = (np.arange(s) + 0.5) / s
        gu, gv = np.meshgrid(u0 + (u1 - u0) * centres, v0 + (v1 - v0) * centres)
        lon, lat = world_to_lonlat(gu.ravel(), gv.ravel())
        xy = transform_xy(np.stack([lon, lat], axis=1), "EPSG:4326", self.crs)
        dx, dy = xy[:, 0] - self.matrix[0, 2], xy[:, 1] - self.matrix[1, 2]
        col = np.rint(self.inverse[0, 0] * dx + self.inverse[0, 1] * dy).astype(np.int64)
        row = np.rint(self.inverse[1, 0] * dx + self.inverse[1, 1] * dy).astype(np.int64)
        rows, cols = self.rgba.shape[:2]
        inside = (col >= 0) & (col < cols) & (row >= 0) & (row < rows)
        if not inside.any():
            return None
        out = np.zeros((s * s, 4), np.uint8)
        out[inside] = self.rgba[row[inside], col[inside]]
        return out.reshape(s, s, 4)


def _as_rgba(path: Path, pixels: np.ndarray) -> np.ndarray:
    """(rows, cols, 4) uint8 from 1, 3 or 4 bands, first or last, 8 or 16 bits (rule 2)."""
    if pixels.ndim == 3 and pixels.shape[0] in (3, 4) and pixels.shape[-1] not in (3, 4):
        pixels = np.moveaxis(pixels, 0, -1)
    if pixels.ndim == 2:
        pixels = pixels[..., None]
    if pixels.ndim != 3 or pixels.shape[-1] not in (1, 3, 4) or min(pixels.shape[:2]) < 1:
        raise LoadError(path, f"expected 1, 3 or 4 bands of pixels, got shape {pixels.shape}")
    if pixels.dtype != np.uint8:
        top = float(np.nanmax(pixels)) if pixels.size else 1.0
        pixels = np.clip(np.nan_to_num(pixels.astype(np.float64)) * (255.0 / max(top, 1e-9)), 0, 255).astype(np.uint8)
    bands = pixels.shape[-1]
    if bands == 1:
        pixels = np.repeat(pixels, 3, axis=-1)
    if pixels.shape[-1] == 3:
        pixels = np.concatenate([pixels, np.full(pixels.shape[:2] + (1,), 255, np.uint8)], axis=-1)
    return np.ascontiguousarray(pixels)
