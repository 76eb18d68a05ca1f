"""Where a written tileset stands on earth: local metres of a LocalFrame -> the tileset's east-north-up frame.

Rules:
1. The tileset's root transform is east-north-up (ENU) at the frame origin, placed in ECEF (EPSG:4978) at the
   origin's lon/lat and WGS84 ellipsoidal height. Tile content and bounding volumes are in that ENU frame.
2. A LocalFrame's x/y are a projected grid (RD New, a UTM zone...), not ENU: grid convergence turns the axes
   (0.8 degrees at Delft in RD New) and the earth curves away (0.8 m at 3 km). So local positions are moved
   into ENU through pyproj, never by reinterpreting the axes.
3. Exact per vertex costs 1.3 s per million points; a tile instead fits a quadratic map local -> ENU on a
   grid of exactly transformed samples over its box, checks it on other samples, and falls back to exact
   transformation when the check is worse than FIT_TOLERANCE_M (1 mm).
4. A frame without a CRS is not placed on earth: ENU is the local frame itself and there is no transform.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from pyproj import Transformer

from viewer.geo.frame import LocalFrame

FIT_TOLERANCE_M = 0.001


@lru_cache(maxsize=1)
def _to_ecef() -> Transformer:
    return Transformer.from_crs("EPSG:4979", "EPSG:4978", always_xy=True)


def enu_rotation(lon: float, lat: float) -> np.ndarray:
    """(3, 3) float64 whose rows are the east, north and up unit vectors in ECEF at lon/lat (degrees)."""
    lo, la = np.radians(lon), np.radians(lat)
    return np.array([
        [-np.sin(lo), np.cos(lo), 0.0],
        [-np.sin(la) * np.cos(lo), -np.sin(la) * np.sin(lo), np.cos(la)],
        [np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)],
    ])


class Placement:
    """local metres (x, y, z of `frame`) -> the ENU frame of the tileset, and the root transform."""

    def __init__(self, frame: LocalFrame) -> None:
        self.frame = frame
        self.georeferenced = frame.georeferenced
        if not self.georeferenced:
            return
        lon, lat, h = frame.local_to_lonlat(np.zeros((1, 3)))[0]
        self.origin_lonlat_h = (float(lon), float(lat), float(h))
        self.origin_ecef = np.array(_to_ecef().transform(lon, lat, h), np.float64)
        self.rotation = enu_rotation(lon, lat)

    def root_transform(self) -> list[float] | None:
        """The 16 numbers (column-major) of ENU -> ECEF, or None when the frame has no CRS."""
        if not self.georeferenced:
            return None
        matrix = np.eye(4)
        matrix[:3, :3] = self.rotation.T  # columns: east, north, up in ECEF
        matrix[:3, 3] = self.origin_ecef
        return [float(v) for v in matrix.T.reshape(-1)]

    def to_enu_exact(self, local: np.ndarray) -> np.ndarray:
        """(n, 3) local metres -> (n, 3) float64 ENU metres, through pyproj point by point."""
        pts = np.asarray(local, np.float64)
        if not self.georeferenced or pts.shape[0] == 0:
            return pts.copy()
        lonlat_h = self.frame.local_to_lonlat(pts)
        x, y, z = _to_ecef().transform(lonlat_h[:, 0], lonlat_h[:, 1], lonlat_h[:, 2])
        ecef = np.stack([np.asarray(x), np.asarray(y), np.asarray(z)], axis=1) - self.origin_ecef
        return ecef @ self.rotation.T

    def to_enu(self, local: np.ndarray) -> np.ndarray:
        """(n, 3) local metres -> (n, 3) float64 ENU, by a quadratic fit over the points' box (rule 3)."""
        pts = np.asarray(local, np.float64)
        if not self.georeferenced or pts.shape[0] <= 64:
            return self.to_enu_exact(pts)
        lo, hi = column_bounds(pts)
        centre, half = (lo + hi) / 2.0, np.maximum((hi - lo) / 2.0, 0.5)
        fit_at, check_at = _samples(5), _samples(4) * 0.9
        coeffs = np.linalg.lstsq(_terms(fit_at), self.to_enu_exact(centre + fit_at * half), rcond=None)[0]
        residual = _terms(check_at) @ coeffs - self.to_enu_exact(centre + check_at * half)
        if float(np.abs(residual).max()) > FIT_TOLERANCE_M:
            return self.to_enu_exact(pts)
        return _terms((pts - centre) / half) @ coeffs


def column_bounds(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(min, max) corners of (n, 3) points, column by column (a (n, 3) reduce over axis 0 is ~20x slower)."""
    columns = [points[:, i] for i in range(points.shape[1])]
    return np.array([c.min() for c in columns]), np.array([c.max() for c in columns])


def _samples(k: int) -> np.ndarray:
    """(k*k*3, 3) points of a k x k x 3 grid over [-1, 1]^3."""
    a = np.linspace(-1.0, 1.0, k)
    x, y, z = np.meshgrid(a, a, np.array([-1.0, 0.0, 1.0]), indexing="ij")
    return np.stack([x.ravel(), y.ravel(), z.ravel()], axis=1)


def _terms(u: np.ndarray) -> np.ndarray:
    """(n, 10) quadratic monomials of (n, 3) normalised coordinates."""
    x, y, z = u[:, 0], u[:, 1], u[:, 2]
    return np.stack([np.ones_like(x), x, y, z, x * x, y * y, z * z, x * y, x * z, y * z], axis=1)
