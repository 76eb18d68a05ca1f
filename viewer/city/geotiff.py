"""A GeoTIFF DEM read with tifffile: its first band as heights, where its pixels are, and its CRS.

Rules this module keeps:
1. Georeferencing comes from the GeoTIFF tags: ModelPixelScale + ModelTiepoint (the common north-up case),
   else ModelTransformation (an affine matrix); a file with neither is refused (it is not placed anywhere).
2. GTRasterTypeGeoKey decides what a raster coordinate means: PixelIsArea (1, the default) puts raster
   (0, 0) at the first pixel's corner, PixelIsPoint (2) at its centre. `pixel_of` answers in pixel-centre
   units either way (column 0 = the first pixel's centre), ready for bilinear sampling.
3. The CRS is ProjectedCSTypeGeoKey, else GeographicTypeGeoKey, as "EPSG:n"; user-defined (32767) or none
   gives None (the caller falls back to [terrain] crs, then the scene's).
4. GDAL_NODATA values and non-finite heights become NaN. Every failure is a LoadError naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from viewer.errors import LoadError

TAG_PIXEL_SCALE, TAG_TIEPOINT, TAG_TRANSFORMATION = 33550, 33922, 34264
TAG_GEOKEYS, TAG_NODATA = 34735, 42113
KEY_RASTER_TYPE, KEY_GEOGRAPHIC, KEY_PROJECTED = 1025, 2048, 3072
PIXEL_IS_POINT = 2
USER_DEFINED = 32767


@dataclass(frozen=True)
class GeoRaster:
    """heights : (rows, cols) float64, NaN for no data; crs : "EPSG:n" or None; matrix : (2, 3) float64
    mapping pixel-centre (col, row, 1) to CRS (x, y)."""

    heights: np.ndarray
    crs: str | None
    matrix: np.ndarray

    def pixel_of(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Fractional (col, row) in pixel-centre units of CRS coordinates x, y (rule 2)."""
        a = self.matrix[:, :2]
        dx, dy = np.asarray(x, np.float64) - self.matrix[0, 2], np.asarray(y, np.float64) - self.matrix[1, 2]
        inv = np.linalg.inv(a)
        return inv[0, 0] * dx + inv[0, 1] * dy, inv[1, 0] * dx + inv[1, 1] * dy


def read_geotiff(path: Path) -> GeoRaster:
    """Read a single-band GeoTIFF DEM (rules 1-4)."""
    import tifffile  # imported here: only scenes with a DEM need it

    path = Path(path)
    if not path.is_file():
        raise LoadError(path, "DEM file not found")
    try:
        with tifffile.TiffFile(path) as tif:
            page = tif.pages[0]
            tags = {tag.code: tag.value for tag in page.tags}  # type: ignore[union-attr]  # the first page
            heights = np.asarray(page.asarray(), np.float64)
    except (tifffile.TiffFileError, ValueError, OSError, IndexError) as exc:
        raise LoadError(path, f"not a readable TIFF: {exc}") from None
    if heights.ndim == 3:  # bands last or first: keep the first band
        heights = heights[..., 0] if heights.shape[-1] < heights.shape[0] else heights[0]
    if heights.ndim != 2 or min(heights.shape) < 1:
        raise LoadError(path, f"expected a 2D height raster, got shape {heights.shape}")
    keys = _geokeys(tags.get(TAG_GEOKEYS))
    nodata = _nodata(tags.get(TAG_NODATA))
    if nodata is not None:
        heights = np.where(heights == nodata, np.nan, heights)
    heights = np.where(np.isfinite(heights), heights, np.nan)
    return GeoRaster(heights, _crs(keys), _matrix(path, tags, keys.get(KEY_RASTER_TYPE) == PIXEL_IS_POINT))


def _geokeys(directory: object) -> dict[int, int]:
    """Short-valued GeoKeys (id -> value) of a GeoKeyDirectory; empty without one."""
    if directory is None:
        return {}
    values = [int(v) for v in np.asarray(directory).ravel()]
    if len(values) < 4:
        return {}
    count = values[3]
    keys = {}
    for n in range(count):
        entry = values[4 + 4 * n: 8 + 4 * n]
        if len(entry) == 4 and entry[1] == 0:  # location 0: the value is the short itself
            keys[entry[0]] = entry[3]
    return keys


def _crs(keys: dict[int, int]) -> str | None:
    for key in (KEY_PROJECTED, KEY_GEOGRAPHIC):
        code = keys.get(key)
        if code and code != USER_DEFINED:
            return f"EPSG:{code}"
    return None


def _nodata(value: object) -> float | None:
    if value is None:
        return None
    try:
        return float(str(value).strip().strip("\x00"))
    except ValueError:
        return None


def _matrix(path: Path, tags: dict[int, object], pixel_is_point: bool) -> np.ndarray:
    """(2, 3) pixel-centre -> CRS affine matrix from the tags (rule 1)."""
    shift = 0.0 if pixel_is_point else 0.5  # raster coordinate of a pixel's centre, rule 2
    if TAG_PIXEL_SCALE in tags and TAG_TIEPOINT in tags:
        sx, sy = (float(v) for v in np.asarray(tags[TAG_PIXEL_SCALE]).ravel()[:2])
        i, j, _, x, y = (float(v) for v in np.asarray(tags[TAG_TIEPOINT]).ravel()[:5])
        if sx == 0 or sy == 0:
            raise LoadError(path, "GeoTIFF pixel scale is zero")
        return np.array([[sx, 0.0, x + (shift - i) * sx], [0.0, -sy, y - (shift - j) * sy]])
    if TAG_TRANSFORMATION in tags:
        m = np.asarray(tags[TAG_TRANSFORMATION], np.float64).ravel()
        if m.size < 8:
            raise LoadError(path, "GeoTIFF ModelTransformation is not a 4x4 matrix")
        a, b, d, e, f, h = m[0], m[1], m[3], m[4], m[5], m[7]
        if a * f - b * e == 0:
            raise LoadError(path, "GeoTIFF ModelTransformation is singular")
        return np.array([[a, b, d + shift * (a + b)], [e, f, h + shift * (e + f)]])
    raise LoadError(path, "not a GeoTIFF: no ModelPixelScale/ModelTiepoint or ModelTransformation tag, "
                          "so the DEM cannot be placed")
